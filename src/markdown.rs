//! Markdown to styled, wrapped lines for the playbook pane. No terminal I/O: spans carry
//! theme roles, and the UI turns roles into styles.

mod blocks;
mod table;
#[cfg(test)]
mod tests;
mod writer;

use pulldown_cmark::{Options, Parser};

use crate::theme::Role;
use writer::Writer;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub text: String,
    /// Laid over each other in order: e.g. [Link, Strong].
    pub roles: Vec<Role>,
}

pub type Line = Vec<Span>;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Rendered {
    pub lines: Vec<Line>,
    /// Each heading's text and the line it starts on, for anchors and the outline.
    pub headings: Vec<(String, usize)>,
}

impl Rendered {
    pub fn heading_line(&self, text: &str) -> Option<usize> {
        self.headings
            .iter()
            .find(|(h, _)| h.eq_ignore_ascii_case(text))
            .map(|&(_, line)| line)
    }
}

/// Render `markdown` wrapped to `width` columns.
pub fn render(markdown: &str, width: u16) -> Rendered {
    let mut writer = Writer::new(usize::from(width.max(8)));
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES;
    for event in Parser::new_ext(markdown, options) {
        writer.event(event);
    }
    writer.flush();
    while writer.out.lines.last().is_some_and(Vec::is_empty) {
        writer.out.lines.pop();
    }
    writer.out
}

/// The plain text of a rendered line (for tests and the headless printer).
pub fn plain(line: &Line) -> String {
    line.iter().map(|s| s.text.as_str()).collect()
}
