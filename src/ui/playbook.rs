//! The owning team's playbook for the selected incident, and why it was chosen.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{pane_block, title};
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
        Some(path) => format!("Playbook · {path}"),
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
    let Some(matched) = &view.matched else {
        let text = match &view.hint {
            Some(hint) => Line::styled(hint.clone(), theme.style(Role::HealthStale)),
            None => Line::styled(
                "Select an incident to see its playbook.",
                theme.style(Role::Dim),
            ),
        };
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), inner);
        return;
    };
    let mut reason = matched.rule.to_string();
    if let Some(anchor) = &matched.anchor {
        reason.push_str(&format!(" · § {anchor}"));
    }
    frame.render_widget(
        Paragraph::new(Line::styled(reason, theme.style(Role::Dim))),
        why,
    );
    let base = theme.style(Role::Base);
    let lines: Vec<Line> = view
        .rendered
        .lines
        .iter()
        .skip(view.scroll)
        .take(usize::from(body.height))
        .map(|line| {
            Line::from(
                line.iter()
                    .map(|span| styled(span, base, theme))
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), body);
}

fn styled<'a>(span: &'a markdown::Span, base: Style, theme: &Theme) -> Span<'a> {
    let style = span
        .roles
        .iter()
        .fold(base, |style, role| style.patch(theme.style(*role)));
    Span::styled(span.text.as_str(), style)
}
