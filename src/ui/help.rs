//! The `?` overlay, generated from the key table so it can never disagree with the keys.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::{popup, scrolling_overlay};
use crate::state::State;
use crate::theme::{Role, Theme};

pub fn render(frame: &mut Frame, area: Rect, state: &State, theme: &Theme, scroll: u16) {
    let keymap = &state.setup.keymap;
    let key_width = keymap
        .bindings
        .iter()
        .map(|b| b.keys_text().chars().count())
        .max()
        .unwrap_or(4)
        + 2;
    let mut lines = Vec::new();
    for binding in &keymap.bindings {
        let mut spans = vec![
            Span::styled(
                format!("{:<key_width$}", binding.keys_text()),
                theme.style(Role::HintKey),
            ),
            Span::raw(crate::sanitize::line(&binding.desc).into_owned()),
        ];
        if let Some(reason) = state.action_refused(binding.action) {
            // Off for the selected incident's source: say why instead.
            spans[0].style = theme.style(Role::Dim);
            spans[1].style = theme.style(Role::Dim);
            spans.push(Span::styled(
                format!("  ✗ {}", crate::sanitize::line(&reason)),
                theme.style(Role::Dim),
            ));
        } else if binding.dangerous {
            spans.push(Span::styled(
                "  ⚠ changes the source, asks first",
                theme.style(Role::Danger),
            ));
        }
        lines.push(Line::from(spans));
    }
    lines.push(Line::raw(""));
    for (context, keys) in [
        ("dialogs", "y/Enter yes · n/Esc no · ←/→ how long (snooze)"),
        (
            "filter",
            "type to narrow · Enter keep · Esc clear · ↑/↓ move",
        ),
        (
            "mouse",
            "wheel scrolls the pane under it · click selects or focuses",
        ),
    ] {
        lines.push(Line::from(vec![
            Span::styled(format!("{context:<key_width$}"), theme.style(Role::Dim)),
            Span::raw(keys),
        ]));
    }
    if state.shadow {
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            "Shadow mode: watching the live queue, nothing you press changes anything.",
            theme.style(Role::Badge),
        ));
    } else if state.setup.read_only {
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            "Read-only: every action that changes a source is off.",
            theme.style(Role::Badge),
        ));
    }
    let height = (lines.len() as u16).saturating_add(2);
    let rect = popup(frame, area, 76, height);
    scrolling_overlay(frame, rect, "Keys · Esc closes", lines, scroll, theme);
}
