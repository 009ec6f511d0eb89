//! The confirm dialog: nothing is sent until the user says yes.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{pane_block, popup, severity_label};
use crate::providers::{Verb, format_duration};
use crate::state::{Confirm, State};
use crate::theme::{Role, Theme};

pub fn render(frame: &mut Frame, area: Rect, state: &State, theme: &Theme, confirm: &Confirm) {
    let source = &confirm.key.source;
    let (question, explain) = match &confirm.verb {
        Verb::Acknowledge { .. } => (
            "Acknowledge?".to_string(),
            format!("Tells {source} you are on it. Written to the journal first, then sent."),
        ),
        Verb::Unacknowledge => (
            "Take the acknowledgement back?".to_string(),
            format!("{source} will page again. Written to the journal first, then sent."),
        ),
        Verb::Snooze { seconds } => (
            format!("Snooze for {}?", format_duration(*seconds)),
            format!(
                "Quiet until then; it comes back by itself. ←/→ change how long. Written to the journal first, then sent to {source}."
            ),
        ),
        Verb::Resolve => (
            "Resolve?".to_string(),
            format!("Tells {source} it is over. Written to the journal first, then sent."),
        ),
        Verb::Escalate { to, .. } => (
            format!("Escalate to {to}?"),
            format!(
                "Hands this incident to {to} (level two) through {source}'s route, with the hand-over below. Written to the journal first, then sent."
            ),
        ),
        other => (
            format!("{}?", other.describe()),
            format!("Sent to {source}. Written to the journal first, then sent."),
        ),
    };
    // Both carry the source's name, level two's and what the user typed.
    let question = crate::sanitize::line(&question).into_owned();
    let explain = crate::sanitize::line(&explain).into_owned();
    let incident = state.selected().filter(|i| i.key == confirm.key);
    let mut lines = Vec::new();
    if let Some(incident) = incident {
        lines.push(Line::from(vec![
            severity_label(incident.severity, true, theme),
            Span::raw(" "),
            Span::raw(format!(
                "{} · {}",
                crate::sanitize::line(&confirm.key.to_string()),
                crate::sanitize::line(&incident.service)
            )),
        ]));
    }
    lines.push(Line::styled(
        confirm.title.clone(),
        theme.style(Role::Title),
    ));
    lines.push(Line::raw(""));
    lines.push(Line::styled(explain, theme.style(Role::Dim)));
    lines.push(Line::raw(""));
    // The hand-over level two will read, as it will be sent.
    let hand_over = match &confirm.verb {
        Verb::Escalate {
            message: Some(message),
            ..
        } => message.lines().collect(),
        _ => Vec::new(),
    };
    for text in &hand_over {
        lines.push(Line::raw(crate::sanitize::line(text).into_owned()));
    }
    let answer = Line::from(vec![
        Span::styled("[y]", theme.style(Role::HintKey)),
        Span::raw(" yes    "),
        Span::styled("[n]", theme.style(Role::HintKey)),
        Span::raw(" no"),
    ]);
    // A long hand-over may not fit: the answer then sits on the frame, always in sight.
    if hand_over.is_empty() {
        lines.push(answer.clone());
    }
    let rect = match hand_over.is_empty() {
        true => popup(frame, area, 64, 11),
        false => popup(
            frame,
            area,
            area.width.saturating_sub(8).max(64),
            area.height.saturating_sub(4),
        ),
    };
    let mut block = pane_block(
        Line::styled(format!(" {question} "), theme.style(Role::Danger)),
        true,
        theme,
    )
    .style(theme.style(Role::Dialog));
    if !hand_over.is_empty() {
        block = block.title_bottom(answer);
    }
    frame.render_widget(
        Paragraph::new(lines).block(block).wrap(Wrap { trim: true }),
        rect,
    );
}
