//! Enter: every field of the selected incident, its labels and links.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::{clock, popup, scrolling_overlay, severity_label};
use crate::incident::format_age;
use crate::sanitize;
use crate::state::State;
use crate::theme::{Role, Theme};

pub fn render(frame: &mut Frame, area: Rect, state: &State, theme: &Theme, scroll: u16) {
    let Some(incident) = state.selected() else {
        return;
    };
    let field = |name: &str, value: String| {
        Line::from(vec![
            Span::styled(format!("{name:<11}"), theme.style(Role::Dim)),
            Span::raw(sanitize::line(&value).into_owned()),
        ])
    };
    let age = format_age((state.now - incident.opened_at).num_seconds());
    let mut lines = vec![
        Line::styled(
            sanitize::line(&incident.title).into_owned(),
            theme.style(Role::Title),
        ),
        Line::raw(""),
        Line::from(vec![
            Span::styled(format!("{:<11}", "severity"), theme.style(Role::Dim)),
            severity_label(incident.severity, false, theme),
        ]),
        Line::from(vec![
            Span::styled(format!("{:<11}", "status"), theme.style(Role::Dim)),
            Span::styled(
                format!("{} {}", incident.status.glyph(), incident.status.name()),
                theme.status(incident.status),
            ),
        ]),
        field("key", incident.key.to_string()),
        field("source", incident.source.clone()),
        field("service", incident.service.clone()),
        field("team", incident.team.clone().unwrap_or_else(|| "–".into())),
        field(
            "alert",
            incident.alert.clone().unwrap_or_else(|| "–".into()),
        ),
        field(
            "opened",
            format!("{} ({age} ago)", clock(incident.opened_at, state, true)),
        ),
        field(
            "assignee",
            incident
                .assignee
                .clone()
                .unwrap_or_else(|| "unassigned".into()),
        ),
    ];
    match state.escalation_of(incident) {
        Some((to, at, escalation)) => lines.push(field(
            "escalation",
            format!("to {to}: {}", escalation.describe(&clock(at, state, false))),
        )),
        None => {
            if let Some(level_two) = &incident.escalated_to {
                lines.push(field("escalated", format!("to {level_two}")));
            }
        }
    }
    if let Some(mark) = super::not_actionable::said(state, incident) {
        lines.push(Line::styled(format!("⊘ {mark}"), theme.style(Role::Badge)));
    }
    if let Some(op) = state.pending_op(&incident.key) {
        lines.push(Line::styled(
            format!("⋯ {} is on its way", op.verb.describe()),
            theme.style(Role::Pending),
        ));
    }
    let capabilities = state.capabilities_of(&incident.key.source);
    let refused: Vec<(&str, &String)> = [
        ("acknowledge", &capabilities.acknowledge),
        ("unacknowledge", &capabilities.unacknowledge),
        ("snooze", &capabilities.snooze),
        ("resolve", &capabilities.resolve),
        ("escalate", &capabilities.escalate),
        ("note", &capabilities.note),
    ]
    .into_iter()
    .filter_map(|(verb, allowed)| allowed.as_ref().err().map(|reason| (verb, reason)))
    .collect();
    for (verb, reason) in refused {
        lines.push(Line::styled(
            format!("✗ no {verb}: {}", sanitize::line(reason)),
            theme.style(Role::Dim),
        ));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled("description", theme.style(Role::Dim)));
    lines.push(Line::raw(
        sanitize::long_line(&incident.description).into_owned(),
    ));
    lines.push(Line::raw(""));
    lines.push(Line::styled("labels", theme.style(Role::Dim)));
    for (key, value) in &incident.labels {
        lines.push(Line::raw(format!(
            "  {} = {}",
            sanitize::line(key),
            sanitize::line(value)
        )));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled("links", theme.style(Role::Dim)));
    if incident.links.is_empty() {
        lines.push(Line::raw("  none"));
    }
    for link in &incident.links {
        lines.push(Line::from(vec![
            Span::raw(format!("  {}: ", sanitize::line(&link.title))),
            Span::styled(
                sanitize::line(&link.url).into_owned(),
                theme.style(Role::Link),
            ),
        ]));
    }
    lines.extend(super::history::lines(state, incident, theme));
    let rect = popup(
        frame,
        area,
        area.width.saturating_sub(8).max(40),
        area.height.saturating_sub(4),
    );
    scrolling_overlay(frame, rect, "Details · Esc closes", lines, scroll, theme);
}
