//! The row above the status bar: the filter being typed, a brief message, or key hints
//! generated from the key table.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::sanitize;
use crate::state::State;
use crate::theme::{Role, Theme};

pub fn render(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let line = if state.filtering {
        Line::from(vec![
            Span::styled(
                format!(" / {}▏", sanitize::line(&state.filter)),
                theme.style(Role::Filter),
            ),
            Span::styled(
                format!(
                    "  {} of {} · Enter keep · Esc clear · ↑↓ move",
                    state.visible.len(),
                    state.incidents.len()
                ),
                theme.style(Role::HintText),
            ),
        ])
    } else if let Some(flash) = &state.flash {
        let role = if flash.error {
            Role::Danger
        } else {
            Role::HealthLive
        };
        Line::styled(
            format!(" {}", sanitize::line(&flash.text)),
            theme.style(role),
        )
    } else {
        let mut spans = vec![Span::raw(" ")];
        for binding in &state.setup.keymap.bindings {
            if let (Some(label), Some(key)) = (&binding.hint, binding.keys.first()) {
                spans.push(Span::styled(key.to_string(), theme.style(Role::HintKey)));
                spans.push(Span::styled(
                    format!(" {label}  "),
                    theme.style(Role::HintText),
                ));
            }
        }
        Line::from(spans)
    };
    frame.render_widget(Paragraph::new(line), area);
}
