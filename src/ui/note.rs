//! The note dialog: one paragraph, sent to the incident's source on Enter.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{pane_block, popup};
use crate::incident::IncidentKey;
use crate::sanitize;
use crate::state::State;
use crate::theme::{Role, Theme};

pub fn render(
    frame: &mut Frame,
    area: Rect,
    state: &State,
    theme: &Theme,
    key: &IncidentKey,
    text: &str,
) {
    let title = state
        .selected()
        .filter(|i| &i.key == key)
        .map(|i| sanitize::line(&i.title).into_owned())
        .unwrap_or_default();
    let lines = vec![
        Line::raw(format!("{} · {title}", sanitize::line(&key.to_string()))),
        Line::raw(""),
        Line::from(vec![
            Span::raw(sanitize::line(text).into_owned()),
            Span::styled("▏", theme.style(Role::HintKey)),
        ]),
        Line::raw(""),
        Line::styled(
            format!(
                "Enter sends it to {}, Esc drops it, Ctrl-U clears. Written to the journal first.",
                sanitize::line(&key.source)
            ),
            theme.style(Role::Dim),
        ),
    ];
    let rect = popup(frame, area, 72, 12);
    let block = pane_block(
        Line::styled(" Note ", theme.style(Role::Title)),
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
