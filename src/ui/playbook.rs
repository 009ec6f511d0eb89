//! The owning team's playbook for the selected incident, and why it was chosen.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use std::collections::HashMap;

use ratatui::style::Modifier;

use super::{clock, pane_block, title};
use crate::layout::Pane;
use crate::markdown;
use crate::state::State;
use crate::theme::{Role, Theme};

pub fn render(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let view = &state.playbook;
    let library = &state.setup.library;
    let path = view
        .matched
        .as_ref()
        .map(|m| library.playbooks[m.index].path.as_str());
    let heading = match path {
        // A web playbook's address is long: its tail says enough.
        Some(path) => format!(
            "Playbook · {}",
            crate::sanitize::line(&crate::playbook::explicit::short(path))
        ),
        None => "Playbook".into(),
    };
    let total = view.rendered.lines.len();
    let rows = usize::from(area.height.saturating_sub(3));
    let mut block = pane_block(
        Line::from(title(heading, theme)),
        state.focus == Pane::Playbook,
        theme,
    );
    if total > rows {
        let last = (view.scroll + rows).min(total);
        let position = format!(" {}–{}/{} ", view.scroll + 1, last, total);
        block = block.title_bottom(Line::styled(position, theme.style(Role::Dim)).right_aligned());
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [why, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(inner);
    if view.matched.is_none() {
        let text = match state.remote_note().or_else(|| view.hint.clone()) {
            Some(note) => Line::styled(
                crate::sanitize::line(&note).into_owned(),
                theme.style(Role::HealthStale),
            ),
            None => Line::styled(
                "Select an incident to see its playbook.",
                theme.style(Role::Dim),
            ),
        };
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), inner);
        return;
    };
    frame.render_widget(Paragraph::new(status_line(state, theme)), why);
    let base = theme.style(Role::Base);
    let done = state.shown_progress().map(|p| &p.done);
    // Which rendered line starts which step.
    let step_at: HashMap<usize, usize> = view
        .steps
        .iter()
        .enumerate()
        .map(|(step, &item)| (view.rendered.items[item].line, step))
        .collect();
    let lines: Vec<Line> = view
        .rendered
        .lines
        .iter()
        .enumerate()
        .skip(view.scroll)
        .take(usize::from(body.height))
        .map(|(number, line)| {
            let mut spans: Vec<Span> = line.iter().map(|span| styled(span, base, theme)).collect();
            let Some(&step) = step_at.get(&number) else {
                return Line::from(spans);
            };
            if let Some(at) = done.and_then(|d| d.get(&step)) {
                for span in spans.iter_mut().filter(|s| s.content == "☐ ") {
                    *span = Span::styled("☑ ", theme.style(Role::HealthLive));
                }
                spans.push(Span::styled(
                    format!(" ✓ {}", clock(*at, state, false)),
                    theme.style(Role::HealthLive),
                ));
            }
            let line = Line::from(spans);
            if step == view.current && state.focus == Pane::Playbook {
                line.style(theme.style(Role::Selected))
            } else if step == view.current {
                line.style(theme.style(Role::Selected).remove_modifier(Modifier::BOLD))
            } else {
                line
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), body);
    if state.setup.hyperlinks {
        link_web_text(frame, body, view);
    }
}

/// The shown text of web links becomes OSC 8 hyperlinks: clickable where the terminal
/// supports it. Anchors and files are followed with `o`; only web addresses are linked.
fn link_web_text(frame: &mut Frame, body: Rect, view: &crate::state::PlaybookView) {
    let shown = view.rendered.lines.iter().skip(view.scroll);
    for (row, line) in shown.take(usize::from(body.height)).enumerate() {
        let y = body.y + row as u16;
        let mut x: u16 = 0;
        for span in line {
            let width = u16::try_from(span.text.width()).unwrap_or(u16::MAX);
            let number = span.link.unwrap_or(0) as usize;
            if let Some(target) = number
                .checked_sub(1)
                .and_then(|i| view.rendered.links.get(i))
                && let markdown::Destination::Web(url) = target.destination()
                && x < body.width
            {
                let at = (body.x + x, y);
                let room = body.width - x;
                super::hyperlink::link_cells(frame.buffer_mut(), at, room, &span.text, url, number);
            }
            x = x.saturating_add(width);
        }
    }
}

/// Why this playbook, where the user is in its steps, and the keys to move on.
fn status_line<'a>(state: &State, theme: &Theme) -> Line<'a> {
    let view = &state.playbook;
    let mut spans = Vec::new();
    if state.playbook_changed() {
        spans.push(Span::styled(
            "⚠ changed since steps were checked · ",
            theme.style(Role::HealthStale),
        ));
    }
    let mut text = view
        .matched
        .as_ref()
        .map(|m| crate::sanitize::line(&m.rule.to_string()).into_owned())
        .unwrap_or_default();
    let fetched = view
        .matched
        .as_ref()
        .and_then(|m| state.setup.library.playbooks[m.index].fetched.as_ref());
    if let Some(fetched) = fetched {
        let age = crate::incident::format_age((state.now - fetched.at).num_seconds());
        match &fetched.offline {
            None => text.push_str(&format!(" · fetched {age} ago")),
            Some(why) => {
                let why = crate::sanitize::line(why);
                spans.push(Span::styled(
                    format!("offline copy from {age} ago ({why}) · "),
                    theme.style(Role::HealthStale),
                ));
            }
        }
    }
    if let Some(note) = state.remote_note() {
        spans.push(Span::styled(
            format!("{} · ", crate::sanitize::line(&note)),
            theme.style(Role::HealthStale),
        ));
    }
    if !view.steps.is_empty() {
        let done = state
            .shown_progress()
            .map_or(0, |p| p.done.range(..view.steps.len()).count());
        text.push_str(&format!(
            " · step {}/{} ({done} done) · n/p x y",
            view.current + 1,
            view.steps.len()
        ));
    }
    spans.push(Span::styled(text, theme.style(Role::Dim)));
    Line::from(spans)
}

fn styled<'a>(span: &'a markdown::Span, base: Style, theme: &Theme) -> Span<'a> {
    let style = span
        .roles
        .iter()
        .fold(base, |style, role| style.patch(theme.style(*role)));
    Span::styled(span.text.as_str(), style)
}
