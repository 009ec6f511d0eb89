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
                panel.key,
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
    let [facts, editor] =
        Layout::vertical([Constraint::Length(3), Constraint::Min(1)]).areas(inner);
    let source = &panel.key.source;
    let route = panel.plan.route.as_deref().map_or_else(
        || format!("{source}'s escalation, as configured"),
        str::to_string,
    );
    let lines = vec![
        Line::from(vec![
            Span::styled("route      ", theme.style(Role::Dim)),
            Span::raw(sanitize::line(&route).into_owned()),
        ]),
        Line::from(vec![
            Span::styled("on call    ", theme.style(Role::Dim)),
            Span::raw(on_call(state, panel)),
        ]),
        Line::styled("─".repeat(usize::from(facts.width)), theme.style(Role::Dim)),
    ];
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), facts);
    frame.render_widget(&panel.editor, editor);
}

/// Who the escalation reaches, as its source answered.
fn on_call(state: &State, panel: &EscalatePanel) -> String {
    let source = &panel.key.source;
    match &panel.level_two {
        Roster::Loading => format!("asking {source}…"),
        Roster::Unknown(reason) => format!("not known: {}", sanitize::line(reason)),
        Roster::Known(people) => handover::who_is_reached(people, state.now, source),
    }
}
