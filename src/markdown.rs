//! Markdown to styled, wrapped lines for the playbook pane. No terminal I/O: spans carry
//! theme roles, and the UI turns roles into styles.

mod blocks;
mod steps;
mod table;
#[cfg(test)]
mod tests;
mod writer;

use pulldown_cmark::{Options, Parser};

use crate::theme::Role;
pub use steps::{Heading, Item};
use writer::Writer;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub text: String,
    /// Laid over each other in order: e.g. [Link, Strong].
    pub roles: Roles,
}

pub type Line = Vec<Span>;

/// A span's roles, kept inline: rarely more than three are stacked.
pub type Roles = smallvec::SmallVec<[Role; 4]>;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Rendered {
    pub lines: Vec<Line>,
    /// Every heading, in order: anchors, sections and the outline.
    pub headings: Vec<Heading>,
    /// Every list item, in order: where steps come from.
    pub items: Vec<Item>,
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
