//! The escalation panel: the route, who is on call at level two, and the hand-over in an
//! editor, sent with Ctrl-S.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{pane_block, popup};
use crate::handover;
use crate::sanitize;
use crate::state::State;
use crate::state::escalate::{EscalatePanel, Roster};
use crate::theme::{Role, Theme};

pub fn render(frame: &mut Frame, area: Rect, state: &State, theme: &Theme, panel: &EscalatePanel) {
    let rect = popup(
        frame,
        area,
        area.width.saturating_sub(8).max(60),
        area.height.saturating_sub(4),
    );
    let block = pane_block(
        Line::styled(
            format!(
                " Escalate {} to {} ",
                sanitize::line(&panel.key.to_string()),
                sanitize::line(&panel.plan.to)
            ),
            theme.style(Role::Danger),
        ),
        true,
        theme,
    )
    .title_bottom(Line::from(vec![
        Span::styled(" Ctrl-S", theme.style(Role::HintKey)),
        Span::raw(" send  "),
        Span::styled("Esc", theme.style(Role::HintKey)),
        Span::raw(" drop  "),
        Span::styled("↑↓←→ Ctrl-←/→ paste", theme.style(Role::HintKey)),
        Span::raw(" edit "),
    ]))
    .style(theme.style(Role::Dialog));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let source = sanitize::line(&panel.key.source);
    let route = panel.plan.route.as_deref().map_or_else(
        || format!("{source}'s escalation, as configured"),
        str::to_string,
    );
    let facts = vec![
        Line::from(vec![
            Span::styled("route      ", theme.style(Role::Dim)),
            Span::raw(sanitize::line(&route).into_owned()),
        ]),
        Line::from(vec![
            Span::styled("on call    ", theme.style(Role::Dim)),
            Span::raw(on_call(state, panel)),
        ]),
    ];
    // Long facts wrap (who is on call now and next): as many rows as they take, a third
    // of the panel at most, so the hand-over keeps the room.
    let width = usize::from(inner.width.max(1));
    let rows: usize = facts.iter().map(|line| wrapped_rows(line, width)).sum();
    let rows = u16::try_from(rows)
        .unwrap_or(u16::MAX)
        .min((inner.height / 3).max(2));
    let [facts_area, rule, editor] = Layout::vertical([
        Constraint::Length(rows),
        Constraint::Length(1),
        Constraint::Min(1),
    ])
    .areas(inner);
    frame.render_widget(Paragraph::new(facts).wrap(Wrap { trim: true }), facts_area);
    let line = "─".repeat(usize::from(rule.width));
    frame.render_widget(Line::styled(line, theme.style(Role::Dim)), rule);
    frame.render_widget(&panel.editor, editor);
}

/// Who the escalation reaches, as its source answered.
fn on_call(state: &State, panel: &EscalatePanel) -> String {
    let source = sanitize::line(&panel.key.source);
    match &panel.level_two {
        Roster::Loading => format!("asking {source}…"),
        Roster::Unknown(reason) => format!("not known: {}", sanitize::line(reason)),
        Roster::Known(people) => handover::who_is_reached(people, state.now, &source),
    }
}

/// Rows `line` takes when wrapped at words to `width` columns, as the paragraph does.
fn wrapped_rows(line: &Line, width: usize) -> usize {
    let text: String = line
        .spans
        .iter()
        .map(|span| span.content.as_ref())
        .collect();
    let (mut rows, mut column) = (1, 0);
    for word in text.split(' ').filter(|word| !word.is_empty()) {
        let word = unicode_width::UnicodeWidthStr::width(word);
        column = match column {
            0 => word,
            _ if column + 1 + word <= width => column + 1 + word,
            _ => {
                rows += 1;
                word
            }
        };
        // A word longer than the row is broken across rows.
        while column > width {
            rows += 1;
            column -= width;
        }
    }
    rows
}
