//! Markdown to styled, wrapped lines for the playbook pane. No terminal I/O: spans carry
//! theme roles, and the UI turns roles into styles.

mod blocks;
mod breaks;
mod links;
mod marks;
mod prefix;
mod steps;
mod table;
#[cfg(test)]
mod tests;
mod writer;

use pulldown_cmark::{Event, Options, Parser};

use crate::theme::Role;
pub(crate) use links::is_scheme;
pub use links::{Destination, LinkTarget, find_heading, slug};
pub use steps::{Heading, Item, Outline};
use writer::Writer;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Span {
    /// Inline up to 24 bytes: indents, bullets, quote bars and short styled words, which
    /// every wrapped line repeats, cost no allocation.
    pub text: compact_str::CompactString,
    /// Laid over each other in order: e.g. [Link, Strong].
    pub roles: Roles,
    /// The link this text belongs to, as its number (1 for `links[0]`): its cells become
    /// a hyperlink.
    pub link: Option<u32>,
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
    /// Every link and image, numbered in order of appearance from 1.
    pub links: Vec<LinkTarget>,
}

/// A parsed playbook, laid out again at any width without parsing again.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    events: Vec<Event<'static>>,
}

impl Document {
    pub fn parse(markdown: &str) -> Document {
        let events = Parser::new_ext(markdown, OPTIONS)
            .map(Event::into_static)
            .collect();
        Document { events }
    }

    /// The document wrapped to `width` columns.
    pub fn layout(&self, width: u16) -> Rendered {
        let mut writer = Writer::new(usize::from(width.max(8)));
        for event in &self.events {
            writer.event(event);
        }
        finish(writer)
    }
}

/// What the renderer understands; `playbook lint` parses with the same, so both see the
/// same headings and links.
pub(crate) const OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_TASKLISTS)
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_FOOTNOTES);

/// Parse and lay out `markdown` at `width` columns in one go, streaming: nothing of the
/// text is copied on the way.
pub fn render(markdown: &str, width: u16) -> Rendered {
    let mut writer = Writer::new(usize::from(width.max(8)));
    for event in Parser::new_ext(markdown, OPTIONS) {
        writer.event(&event);
    }
    finish(writer)
}

fn finish(mut writer: Writer) -> Rendered {
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
