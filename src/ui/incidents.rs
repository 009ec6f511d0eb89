//! The incident list: severity and status as glyph and word as well as colour. Only the
//! visible rows are built, so 10,000 incidents draw as fast as ten.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, Wrap};
use unicode_width::UnicodeWidthStr;

use super::{clock, pane_block, severity_label, title, truncate};
use crate::incident::{Incident, format_age};
use crate::layout::Pane;
use crate::sanitize;
use crate::state::{Health, State, list_age};
use crate::theme::{Role, Theme};

pub fn render(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let mut heading = vec![title(format!("Incidents {}", state.incidents.len()), theme)];
    if !state.filter.is_empty() {
        heading.push(Span::styled(
            format!(
                " filter: {} ({}/{}) ",
                sanitize::line(&state.filter),
                state.visible.len(),
                state.incidents.len()
            ),
            theme.style(Role::Filter),
        ));
    }
    for source in &state.sources {
        let stale_for = match source.health(state.now) {
            Health::Live | Health::Connecting | Health::Degraded { .. } => continue,
            Health::Stale { seconds } => Some(seconds),
            Health::Failing {
                last_ok_seconds, ..
            }
            | Health::RateLimited {
                last_ok_seconds, ..
            } => last_ok_seconds,
        };
        let age = stale_for.map_or("no data".into(), |s| format!("data {} old", format_age(s)));
        heading.push(Span::styled(
            format!(" ⚠ {} {age} ", sanitize::line(&source.name)),
            theme.style(Role::HealthFailing),
        ));
    }
    let mut block = pane_block(Line::from(heading), state.focus == Pane::Incidents, theme);
    // Rows inside the borders, under the header: when the list is longer, say where we are.
    if state.visible.len() > usize::from(area.height.saturating_sub(3)) {
        let position = format!(" {}/{} ", state.cursor + 1, state.visible.len());
        block = block.title_bottom(Line::styled(position, theme.style(Role::Dim)).right_aligned());
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if state.visible.is_empty() {
        frame.render_widget(
            Paragraph::new(empty_text(state, theme)).wrap(Wrap { trim: true }),
            inner,
        );
        return;
    }
    // With several sources, each row says which one it came from; who is on it yields
    // its column to that until there is room for both.
    let tagged = state.sources.len() > 1 && inner.width >= 60;
    let wide = inner.width >= if tagged { 90 } else { 66 };
    let mut widths = vec![
        Constraint::Length(6),
        Constraint::Length(6),
        Constraint::Length(5),
        Constraint::Length(13),
    ];
    let mut header = vec!["SEV", "STATUS", "AGE", "SERVICE"];
    if tagged {
        widths.insert(3, Constraint::Length(8));
        header.insert(3, "SOURCE");
    }
    if wide {
        widths.push(Constraint::Length(9));
        header.push("WHO");
    }
    widths.push(Constraint::Fill(1));
    header.push("TITLE");
    let title_width = usize::from(inner.width)
        .saturating_sub(if wide { 44 } else { 34 })
        .saturating_sub(if tagged { 9 } else { 0 });
    let columns = Columns {
        wide,
        tagged,
        title_width,
    };
    // With rows to spare, the selected incident is summed up under the list.
    let needed = u16::try_from(state.visible.len() + 1).unwrap_or(u16::MAX);
    let (inner, preview) = if inner.height > needed.saturating_add(PREVIEW_ROWS) {
        let [table, _, preview] = Layout::vertical([
            Constraint::Length(needed),
            Constraint::Length(1),
            Constraint::Min(PREVIEW_ROWS),
        ])
        .areas(inner);
        (table, Some(preview))
    } else {
        (inner, None)
    };
    let rows_shown = usize::from(inner.height.saturating_sub(1));
    let rows = state
        .visible
        .iter()
        .enumerate()
        .skip(state.list_offset)
        .take(rows_shown)
        .map(|(position, &index)| {
            let row = row(&state.incidents[index], state, theme, &columns);
            if position == state.cursor {
                row.style(theme.style(Role::Selected))
            } else {
                row
            }
        });
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(theme.style(Role::Dim)))
        .column_spacing(1);
    frame.render_widget(table, inner);
    if let (Some(area), Some(incident)) = (preview, state.selected()) {
        summary(frame, area, incident, state, theme);
    }
}

const PREVIEW_ROWS: u16 = 5;

fn summary(frame: &mut Frame, area: Rect, incident: &Incident, state: &State, theme: &Theme) {
    let dim = theme.style(Role::Dim);
    let mut lines = vec![
        Line::styled(
            "─".repeat(usize::from(area.width)),
            theme.style(Role::Border),
        ),
        Line::from(vec![
            severity_label(incident.severity, false, theme),
            Span::raw(" "),
            Span::styled(
                sanitize::line(&incident.title).into_owned(),
                theme.style(Role::Title),
            ),
        ]),
    ];
    let mut facts = vec![
        sanitize::line(&incident.key.to_string()).into_owned(),
        format!("{} {}", incident.status.glyph(), incident.status.name()),
        format!(
            "since {} ({} ago)",
            clock(incident.opened_at, state, false),
            list_age(incident, state.now)
        ),
    ];
    if let Some(alert) = &incident.alert {
        facts.push(format!("alert {}", sanitize::line(alert)));
    }
    if let Some(team) = &incident.team {
        facts.push(format!("team {}", sanitize::line(team)));
    }
    facts.push(
        incident
            .assignee
            .as_deref()
            .map_or("unassigned".into(), |a| {
                format!("with {}", sanitize::line(a))
            }),
    );
    match state.escalation_of(incident) {
        Some((to, at, escalation)) => facts.push(format!(
            "escalation to {}: {}",
            sanitize::line(&to),
            sanitize::line(&escalation.describe(&clock(at, state, false)))
        )),
        None => {
            if let Some(level_two) = &incident.escalated_to {
                facts.push(format!("escalated to {}", sanitize::line(level_two)));
            }
        }
    }
    lines.push(Line::styled(facts.join(" · "), dim));
    if let Some(mark) = super::not_actionable::said(state, incident) {
        lines.push(Line::styled(format!("⊘ {mark}"), theme.style(Role::Badge)));
    }
    lines.push(Line::raw(
        sanitize::long_line(&incident.description).into_owned(),
    ));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}

/// Which optional columns the list shows, and the room left for the title.
struct Columns {
    wide: bool,
    tagged: bool,
    title_width: usize,
}

fn row<'a>(incident: &Incident, state: &State, theme: &Theme, columns: &Columns) -> Row<'a> {
    let severity = severity_label(incident.severity, true, theme);
    let status = match state.pending_op(&incident.key) {
        Some(_) => Span::styled("⋯ SENT", theme.style(Role::Pending)),
        None => Span::styled(
            format!("{} {}", incident.status.glyph(), short(incident.status)),
            theme.status(incident.status),
        ),
    };
    let mut cells = vec![
        Cell::from(severity),
        Cell::from(status),
        Cell::from(list_age(incident, state.now)),
    ];
    if columns.tagged {
        cells.push(Cell::from(truncate(&sanitize::line(&incident.source), 8)));
    }
    cells.push(Cell::from(truncate(&sanitize::line(&incident.service), 13)));
    if columns.wide {
        let who = incident
            .assignee
            .as_deref()
            .map(sanitize::line)
            .unwrap_or_default();
        cells.push(Cell::from(truncate(&who, 9)));
    }
    let mut title = Vec::new();
    let mut room = columns.title_width;
    if let Some((done, total)) = state.step_progress(incident) {
        let steps = format!("{done}/{total}");
        room = room.saturating_sub(steps.width() + 1);
        let role = if done == total {
            Role::HealthLive
        } else {
            Role::Dim
        };
        title.push(Span::styled(steps, theme.style(role)));
        title.push(Span::raw(" "));
    }
    if let Some(level_two) = &incident.escalated_to {
        let badge = format!("⇡{}", sanitize::line(level_two));
        room = room.saturating_sub(badge.width() + 1);
        title.push(Span::styled(badge, theme.style(Role::Badge)));
        title.push(Span::raw(" "));
    }
    if state.not_actionable.contains_key(&incident.key) {
        let badge = super::not_actionable::BADGE;
        room = room.saturating_sub(badge.width() + 1);
        title.push(Span::styled(badge, theme.style(Role::Badge)));
        title.push(Span::raw(" "));
    }
    title.push(Span::raw(truncate(&sanitize::line(&incident.title), room)));
    cells.push(Cell::from(Line::from(title)));
    Row::new(cells)
}

fn short(status: crate::incident::Status) -> &'static str {
    match status {
        crate::incident::Status::Triggered => "TRIG",
        crate::incident::Status::Acknowledged => "ACK",
        crate::incident::Status::Resolved => "RES",
    }
}

/// An empty list says why: all quiet only when every source is live.
fn empty_text<'a>(state: &State, theme: &Theme) -> Vec<Line<'a>> {
    if !state.incidents.is_empty() {
        return vec![
            Line::styled(
                format!("No incident matches “{}”.", sanitize::line(&state.filter)),
                theme.style(Role::Filter),
            ),
            Line::styled(
                "Esc clears the filter (press / first).",
                theme.style(Role::Dim),
            ),
        ];
    }
    let unhealthy: Vec<_> = state
        .sources
        .iter()
        .filter_map(|s| match s.health(state.now) {
            // The members of an HA cluster hold the same alerts: one answering is enough.
            Health::Live | Health::Degraded { .. } => None,
            health => Some(sanitize::line(&format!("{}: {}", s.name, health.label())).into_owned()),
        })
        .collect();
    if unhealthy.is_empty() {
        vec![Line::styled(
            "All quiet: no active incidents.",
            theme.style(Role::HealthLive),
        )]
    } else {
        let mut lines = vec![Line::styled(
            "No data — this is not \"all quiet\":",
            theme.style(Role::HealthFailing),
        )];
        lines.extend(
            unhealthy
                .into_iter()
                .map(|text| Line::styled(text, theme.style(Role::HealthStale))),
        );
        lines
    }
}
