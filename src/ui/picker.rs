//! Pickers over the playbook: its numbered links (`o`) and its outline (`O`). The cursor
//! row is marked with `›` as well as colour, so it shows in monochrome too.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{pane_block, popup, title};
use crate::sanitize;
use crate::state::State;
use crate::theme::{Role, Theme};

pub fn links(
    frame: &mut Frame,
    area: Rect,
    state: &State,
    theme: &Theme,
    cursor: usize,
    typed: &str,
) {
    let links = &state.playbook.rendered.links;
    let own = state.incident_links();
    let number_width = (links.len() + own.len()).to_string().len() + 2;
    let mut rows: Vec<Vec<Span>> = links
        .iter()
        .enumerate()
        .map(|(i, link)| {
            let number = format!("{:>number_width$} ", format!("[{}]", i + 1));
            let kind = if link.image { "image " } else { "" };
            let text = if link.text.is_empty() || link.text == link.url {
                String::new()
            } else {
                format!("{} · ", link.text)
            };
            vec![
                Span::styled(number, theme.style(Role::HintKey)),
                Span::styled(format!("{kind}{text}"), theme.style(Role::Dim)),
                Span::styled(
                    sanitize::line(&link.url).into_owned(),
                    theme.style(Role::Link),
                ),
            ]
        })
        .collect();
    // The incident's own links follow, numbered on: its page at the source, its runbook.
    rows.extend(own.iter().enumerate().map(|(i, link)| {
        let number = format!("{:>number_width$} ", format!("[{}]", links.len() + i + 1));
        vec![
            Span::styled(number, theme.style(Role::HintKey)),
            Span::styled(
                format!("incident · {} · ", sanitize::line(&link.title)),
                theme.style(Role::Dim),
            ),
            Span::styled(
                sanitize::line(&link.url).into_owned(),
                theme.style(Role::Link),
            ),
        ]
    }));
    let heading = if typed.is_empty() {
        "Links · number or Enter opens · Esc closes".to_string()
    } else {
        format!("Links · {typed}_ · Enter opens · Esc closes")
    };
    picker(frame, area, theme, &heading, rows, cursor);
}

pub fn outline(frame: &mut Frame, area: Rect, state: &State, theme: &Theme, cursor: usize) {
    let rows = state
        .playbook
        .rendered
        .headings
        .iter()
        .map(|heading| {
            let depth = usize::from(heading.level.saturating_sub(1)) * 2;
            let role = match heading.level {
                1 => Role::Heading1,
                2 => Role::Heading2,
                _ => Role::Heading3,
            };
            vec![
                Span::raw(" ".repeat(depth)),
                Span::styled(heading.text.clone(), theme.style(role)),
            ]
        })
        .collect();
    picker(
        frame,
        area,
        theme,
        "Outline · Enter jumps · Esc closes",
        rows,
        cursor,
    );
}

/// A list in a popup, scrolled so that the cursor row is in view.
fn picker(
    frame: &mut Frame,
    area: Rect,
    theme: &Theme,
    heading: &str,
    rows: Vec<Vec<Span<'static>>>,
    cursor: usize,
) {
    // As wide as the longest row (plus marks and borders), within the screen.
    let longest = rows
        .iter()
        .map(|spans| spans.iter().map(Span::width).sum::<usize>())
        .max()
        .unwrap_or(0);
    let width = u16::try_from(longest + 4)
        .unwrap_or(u16::MAX)
        .max(heading.chars().count() as u16 + 6)
        .min(area.width.saturating_sub(4));
    let height = (rows.len() as u16)
        .saturating_add(2)
        .min(area.height.saturating_sub(4).max(5));
    let rect = popup(frame, area, width, height);
    let inner_rows = usize::from(height.saturating_sub(2)).max(1);
    let offset = cursor.saturating_sub(inner_rows - 1);
    let lines: Vec<Line> = rows
        .into_iter()
        .enumerate()
        .skip(offset)
        .take(inner_rows)
        .map(|(i, spans)| {
            let mark = if i == cursor { "› " } else { "  " };
            let mut line = Line::from([vec![Span::raw(mark)], spans].concat());
            if i == cursor {
                line = line.style(theme.style(Role::Selected));
            }
            line
        })
        .collect();
    let block =
        pane_block(Line::from(title(heading, theme)), true, theme).style(theme.style(Role::Dialog));
    frame.render_widget(Paragraph::new(lines).block(block), rect);
}
