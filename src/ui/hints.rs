//! The row above the status bar: the filter being typed, a brief message, or key hints
//! generated from the key table.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::action::Action;
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
        let mut hints: Vec<[Span; 2]> = Vec::new();
        for binding in &state.setup.keymap.bindings {
            // The actions list is hinted once there is something in it.
            let pointless = binding.action == Action::Actions && state.ops.is_empty();
            if let (Some(label), Some(key), false) =
                (&binding.hint, binding.keys.first(), pointless)
            {
                // A verb the selected incident's source does not have is shown, greyed.
                let (key_role, text_role) = match state.action_refused(binding.action) {
                    Some(_) => (Role::Dim, Role::Dim),
                    None => (Role::HintKey, Role::HintText),
                };
                hints.push([
                    Span::styled(key.to_string(), theme.style(key_role)),
                    // A user's keymap.toml names them.
                    Span::styled(
                        format!(" {}  ", sanitize::line(label)),
                        theme.style(text_role),
                    ),
                ]);
            }
        }
        // Too narrow for all: drop from the end, but the last two (help, quit) stay.
        let width = |hints: &[[Span; 2]]| -> usize {
            1 + hints
                .iter()
                .map(|[key, label]| key.width() + label.width())
                .sum::<usize>()
        };
        let banner = super::shadow::banner(state, area.width, theme);
        let room =
            (usize::from(area.width) + 2).saturating_sub(banner.iter().map(Span::width).sum());
        while width(&hints) > room && hints.len() > 2 {
            hints.remove(hints.len() - 3);
        }
        let mut spans = vec![Span::raw(" ")];
        spans.extend(banner);
        spans.extend(hints.into_iter().flatten());
        Line::from(spans)
    };
    frame.render_widget(Paragraph::new(line), area);
}
