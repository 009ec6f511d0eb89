//! The details overlay's notes and timeline, as the source told them.

use chrono::{DateTime, Utc};
use ratatui::text::{Line, Span};

use super::clock;
use crate::incident::Incident;
use crate::sanitize;
use crate::state::State;
use crate::state::history::HistoryState;
use crate::theme::{Role, Theme};

/// Timelines can be long; the newest entries matter at 3 a.m.
const TIMELINE_SHOWN: usize = 30;

pub fn lines(state: &State, incident: &Incident, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = vec![Line::raw(""), Line::styled("notes", theme.style(Role::Dim))];
    let history = match state.histories.get(&incident.key) {
        None | Some(HistoryState::Loading) => {
            lines.push(Line::styled("  loading…", theme.style(Role::Dim)));
            return lines;
        }
        Some(HistoryState::Failed(reason)) => {
            lines.push(Line::styled(
                format!("  could not be read: {}", sanitize::line(reason)),
                theme.style(Role::Danger),
            ));
            return lines;
        }
        Some(HistoryState::Loaded(history)) => history,
    };
    if history.notes.is_empty() {
        lines.push(Line::raw("  none (N writes one)"));
    }
    for note in &history.notes {
        lines.push(entry(state, note.at, note.by.as_deref(), &note.text, theme));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled("timeline", theme.style(Role::Dim)));
    if let Some(problem) = &history.timeline_problem {
        lines.push(Line::styled(
            format!("  could not be read: {}", sanitize::line(problem)),
            theme.style(Role::Danger),
        ));
    } else if history.timeline.is_empty() {
        lines.push(Line::raw("  nothing recorded"));
    }
    let skipped = history.timeline.len().saturating_sub(TIMELINE_SHOWN);
    if skipped > 0 {
        lines.push(Line::styled(
            format!("  … {skipped} older entries"),
            theme.style(Role::Dim),
        ));
    }
    for item in &history.timeline[skipped..] {
        lines.push(entry(state, item.at, item.by.as_deref(), &item.what, theme));
    }
    lines
}

fn entry(
    state: &State,
    at: DateTime<Utc>,
    by: Option<&str>,
    text: &str,
    theme: &Theme,
) -> Line<'static> {
    let by = by
        .map(|b| format!("{}: ", sanitize::line(b)))
        .unwrap_or_default();
    Line::from(vec![
        Span::styled(
            format!("  {} ", clock(at, state, true)),
            theme.style(Role::Dim),
        ),
        Span::styled(by, theme.style(Role::Title)),
        Span::raw(sanitize::long_line(text).into_owned()),
    ])
}
