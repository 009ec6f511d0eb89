//! `!`: the reason prompt, and how a mark reads on the incident (list badge, details).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{clock, pane_block, popup};
use crate::incident::Incident;
use crate::sanitize;
use crate::state::State;
use crate::state::not_actionable::ReasonPrompt;
use crate::theme::{Role, Theme};

/// The list's badge before the title: a word, not a colour alone.
pub const BADGE: &str = "⊘noise";

pub fn render(frame: &mut Frame, area: Rect, state: &State, theme: &Theme, prompt: &ReasonPrompt) {
    let title = state
        .selected()
        .filter(|i| i.key == prompt.key)
        .map(|i| sanitize::line(&i.title).into_owned())
        .unwrap_or_default();
    let dim = theme.style(Role::Dim);
    let question = match prompt.changing {
        true => "Change why this page is not actionable:",
        false => "Why is this page not actionable (noise)?",
    };
    let mut lines = vec![
        Line::raw(format!(
            "{} · {title}",
            sanitize::line(&prompt.key.to_string())
        )),
        Line::raw(""),
        Line::styled(question, theme.style(Role::Title)),
        Line::from(vec![
            Span::raw(sanitize::line(&prompt.text).into_owned()),
            Span::styled("▏", theme.style(Role::HintKey)),
        ]),
        Line::raw(""),
    ];
    if !prompt.recent.is_empty() {
        let offered: Vec<String> = prompt
            .recent
            .iter()
            .map(|r| format!("“{}”", sanitize::line(r)))
            .collect();
        lines.push(Line::styled(
            format!("↑/↓ reasons used before: {}", offered.join(", ")),
            dim,
        ));
    }
    lines.push(Line::styled(
        "Enter marks it (a reason is needed), Esc drops it. Kept in your journal only: nothing is sent to the source.",
        dim,
    ));
    let rect = popup(frame, area, 72, 12);
    let block = pane_block(
        Line::styled(" Not actionable ", theme.style(Role::Title)),
        true,
        theme,
    )
    .style(theme.style(Role::Dialog));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        rect,
    );
}

/// "marked not actionable by Ana Ops 03:12: flaps every night", if it is.
pub fn said(state: &State, incident: &Incident) -> Option<String> {
    let mark = state.not_actionable.get(&incident.key)?;
    let text = mark.describe(&clock(mark.at, state, false));
    Some(sanitize::line(&text).into_owned())
}
