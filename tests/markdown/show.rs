//! Snapshot text that shows both what a line says and how it is styled, and the checks
//! every rendering must pass.

use pagerdeck::markdown::{Line, Rendered, plain};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Span, Text};
use ratatui::widgets::{Paragraph, Widget};
use unicode_width::UnicodeWidthStr;

/// Each line between bars padded to the width (a line too wide pushes its bar out), then,
/// when any of its spans is styled, the spans: `text`[role+role].
pub fn show(rendered: &Rendered, width: u16) -> String {
    let mut out = String::new();
    for line in &rendered.lines {
        let text = plain(line);
        let pad = usize::from(width).saturating_sub(text.width());
        out.push_str(&format!("|{text}{}|\n", " ".repeat(pad)));
        if line.iter().any(|span| !span.roles.is_empty()) {
            out.push_str(&format!("  {}\n", spans(line)));
        }
    }
    out
}

fn spans(line: &Line) -> String {
    line.iter()
        .map(|span| {
            if span.roles.is_empty() {
                return format!("`{}`", span.text);
            }
            let roles: Vec<&str> = span
                .roles
                .iter()
                .map(|role| role.name().trim_start_matches("markdown."))
                .collect();
            format!("`{}`[{}]", span.text, roles.join("+"))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// No rendered line may be wider than the pane: ratatui would cut it without a mark.
pub fn assert_fits(rendered: &Rendered, width: u16, what: &str) {
    for (number, line) in rendered.lines.iter().enumerate() {
        let text = plain(line);
        assert!(
            text.width() <= usize::from(width),
            "{what} at width {width}: line {number} is {} wide: {text:?}",
            text.width()
        );
    }
}

/// Every word of `text` is in the rendering, in order (compared without whitespace, as
/// wrapping moves it).
pub fn assert_keeps(rendered: &Rendered, text: &str) {
    let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let all: String = rendered.lines.iter().map(|l| squeeze(&plain(l))).collect();
    let wanted = squeeze(text);
    assert!(all.contains(&wanted), "{wanted:?} not in {all:?}");
}

/// Snapshots sit with the other integration tests' in `tests/snapshots`; the description
/// is the markdown that was rendered.
pub fn settings(markdown: &str) -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.set_description(markdown);
    settings.set_omit_expression(true);
    settings
}

fn bidi(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn unsafe_char(c: char) -> bool {
    c.is_control() || bidi(c)
}

/// No span, heading name, step name or link text holds a control or bidi character;
/// a step's code (copied to the clipboard) only its line breaks and tabs.
pub fn assert_clean(rendered: &Rendered, what: &str) {
    for (number, line) in rendered.lines.iter().enumerate() {
        for span in line {
            assert!(
                !span.text.chars().any(unsafe_char),
                "{what}: line {number}: {:?}",
                span.text
            );
        }
    }
    let names = rendered.headings.iter().map(|h| &h.text);
    let names = names.chain(rendered.items.iter().map(|i| &i.text));
    for name in names.chain(rendered.links.iter().map(|l| &l.text)) {
        assert!(!name.chars().any(unsafe_char), "{what}: {name:?}");
    }
    for code in rendered.items.iter().flat_map(|i| &i.code) {
        let bad = |c: char| unsafe_char(c) && c != '\n' && c != '\t';
        assert!(!code.chars().any(bad), "{what}: {code:?}");
    }
}

/// Draw the lines as the pane does (spans into a paragraph into a buffer) and look at
/// every cell.
pub fn assert_clean_buffer(rendered: &Rendered, width: u16, what: &str) {
    for chunk in rendered.lines.chunks(200) {
        let text: Text = chunk
            .iter()
            .map(|line| {
                ratatui::text::Line::from_iter(line.iter().map(|s| Span::raw(s.text.as_str())))
            })
            .collect();
        let area = Rect::new(0, 0, width, chunk.len() as u16);
        let mut buffer = Buffer::empty(area);
        Paragraph::new(text).render(area, &mut buffer);
        for cell in buffer.content() {
            assert!(
                !cell.symbol().chars().any(unsafe_char),
                "{what}: cell {:?}",
                cell.symbol()
            );
        }
    }
}
