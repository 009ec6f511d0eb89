//! The tab bar of the one-pane layout: three equal parts, so a click maps to a tab.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use crate::layout::Pane;
use crate::state::State;
use crate::theme::{Role, Theme};

pub fn render(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let third = area.width / 3;
    let parts = Layout::horizontal([
        Constraint::Length(third),
        Constraint::Length(third),
        Constraint::Min(0),
    ])
    .split(area);
    for (pane, rect) in Pane::ALL.into_iter().zip(parts.iter()) {
        let label = match pane {
            Pane::Incidents => format!("Incidents ({})", state.visible.len()),
            _ => pane.title().to_string(),
        };
        let (text, role) = if pane == state.focus {
            (format!("▶ {label}"), Role::TabActive)
        } else {
            (label, Role::Tab)
        };
        frame.render_widget(
            Paragraph::new(Line::from(text))
                .alignment(Alignment::Center)
                .style(theme.style(role)),
            *rect,
        );
    }
}
