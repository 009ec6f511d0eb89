//! The line writer: wraps styled words to the width, with block prefixes (quotes, lists).

use pulldown_cmark::Event;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::breaks;
use super::prefix::{Container, trim_end};
use super::{Line, Rendered, Roles, Span};
use crate::sanitize;
use crate::theme::Role;

pub(super) struct Writer {
    pub(super) width: usize,
    pub(super) out: Rendered,
    pub(super) line: Line,
    pub(super) used: usize,
    /// How wide the current line's prefix is: anything past it is text.
    pub(super) line_indent: usize,
    /// The text being written is a number for what precedes it ("[2]", "¹"): never
    /// put on a line of its own.
    pub(super) glued: bool,
    /// Byte offsets in the current line's text where such a number starts.
    pub(super) glue: Vec<usize>,
    /// Where the current line's text starts: span, byte (text may run on in the
    /// prefix's last span when the roles are the same).
    pub(super) content_at: (usize, usize),
    /// Open quotes, list items and footnotes, outermost first.
    pub(super) containers: Vec<Container>,
    /// How many of `containers` have written a line (the rest show their first-line part).
    pub(super) started: usize,
    /// The prefix of lines after a container's first, kept built, and its width.
    pub(super) prefix: Line,
    pub(super) prefix_width: usize,
    /// The enclosing containers' prefixes (and widths), to return to when one closes.
    pub(super) outer: Vec<(Line, usize)>,
    pub(super) styles: Roles,
    pub(super) lists: Vec<Option<u64>>,
    pub(super) quote_depth: usize,
    /// The blank line last added between blocks, if it is still the last line.
    pub(super) blank_line: Option<usize>,
    pub(super) code_block: Option<String>,
    /// Inside raw HTML on lines of its own: shown as written, line by line.
    pub(super) html_block: bool,
    /// The heading being written: its text so far and the line it starts on.
    pub(super) heading: Option<(String, usize)>,
    pub(super) table: Option<super::table::Table>,
    /// The table cell being collected: laid out when the whole table is known.
    pub(super) cell: Option<Line>,
    /// List items being written.
    pub(super) open_items: Vec<OpenItem>,
    /// Destinations of the links (and images) being written, innermost last.
    /// Links being written: their index in `out.links`, and their text so far.
    pub(super) open_links: Vec<(usize, String)>,
    /// Footnote names in order of first mention: the reference and the note share the
    /// number.
    pub(super) footnotes: Vec<String>,
}

/// A list item being written.
pub(super) struct OpenItem {
    /// Into `out.items`.
    pub(super) index: usize,
    /// Still collecting its own text (its sub-list has not begun).
    pub(super) own_text: bool,
    /// Checked: its text is struck through until it ends.
    pub(super) done: bool,
}

impl Writer {
    pub(super) fn new(width: usize) -> Self {
        Writer {
            width,
            out: Rendered::default(),
            line: Vec::new(),
            used: 0,
            line_indent: 0,
            content_at: (0, 0),
            glued: false,
            glue: Vec::new(),
            containers: Vec::new(),
            started: 0,
            prefix: Vec::new(),
            prefix_width: 0,
            outer: Vec::new(),
            styles: Roles::new(),
            lists: Vec::new(),
            quote_depth: 0,
            blank_line: None,
            code_block: None,
            html_block: false,
            heading: None,
            table: None,
            cell: None,
            open_items: Vec::new(),
            open_links: Vec::new(),
            footnotes: Vec::new(),
        }
    }

    pub(super) fn event(&mut self, event: &Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(*tag),
            Event::Text(text) => self.text(text),
            Event::Code(code) => self.styled(code, Role::Code),
            Event::InlineMath(text) | Event::DisplayMath(text) => self.styled(text, Role::Code),
            Event::Html(html) if self.html_block => {
                for line in html.split_inclusive('\n') {
                    self.text(line.trim_end_matches(['\r', '\n']));
                    if line.ends_with('\n') {
                        self.flush();
                    }
                }
            }
            Event::Html(html) | Event::InlineHtml(html) => self.text(html),
            Event::FootnoteReference(name) => {
                // Not part of the heading's or the step's name.
                let mark = self.footnote_mark(name);
                self.glued = true;
                self.styled_run(&mark, Role::Link);
                self.glued = false;
            }
            Event::SoftBreak => self.text(" "),
            Event::HardBreak => self.flush(),
            Event::Rule => {
                self.block_gap();
                self.start_line();
                let rule = "─".repeat(self.width.saturating_sub(self.used));
                self.append(&rule, &[Role::Rule]);
                self.flush();
                self.blank();
            }
            Event::TaskListMarker(done) => self.task_marker(*done),
        }
    }

    pub(super) fn text(&mut self, text: &str) {
        if let Some(code) = &mut self.code_block {
            code.push_str(text);
            return;
        }
        if !self.open_links.is_empty() || !text.contains("://") {
            self.plain_text(text);
            return;
        }
        // Bare URLs are links too, as on GitHub: numbered so that `o` can open them.
        let mut rest = text;
        while let Some((start, end)) = super::links::bare_url(rest) {
            self.plain_text(&rest[..start]);
            let url = &rest[start..end];
            self.open_link(url.to_string(), false);
            self.styles.push(Role::Link);
            self.plain_text(url);
            self.styles.pop();
            self.close_link();
            rest = &rest[end..];
        }
        self.plain_text(rest);
    }

    fn plain_text(&mut self, text: &str) {
        // Once here; everything below takes the clean text.
        let clean = sanitize::line_within(text, usize::MAX);
        let roles = self.styles.clone();
        if self.cell_push(&clean, &roles) {
            if let Some((_, link_text)) = self.open_links.last_mut() {
                link_text.push_str(&clean);
            }
            return;
        }
        self.collect_text(&clean);
        self.write_run(&clean, &roles);
    }

    /// A piece of text that is not the document's words (a link's number, an image's
    /// brackets; ours, so clean): into the table cell being collected, or onto the line.
    pub(super) fn mark(&mut self, text: &str, roles: &[Role]) {
        if !self.cell_push(text, roles) {
            self.push_word(text, roles);
        }
    }

    /// Lay out sanitised text with `roles`, wrapping at spaces.
    pub(super) fn write_run(&mut self, clean: &str, roles: &[Role]) {
        if clean.is_ascii() {
            self.ascii_run(clean, roles);
            return;
        }
        let mut rest = clean;
        while !rest.is_empty() {
            let split = rest
                .find(' ')
                .map_or(rest.len(), |i| if i == 0 { 1 } else { i });
            let (word, tail) = rest.split_at(split);
            // CJK text breaks between characters, not only at spaces.
            for piece in breaks::pieces(word) {
                self.push_word(piece, roles);
            }
            rest = tail;
        }
    }

    /// Lay out ASCII text a line at a time (one column per byte), as `push_word` would
    /// word by word: this is most playbook text, and 1 MiB must lay out in milliseconds.
    fn ascii_run(&mut self, text: &str, roles: &[Role]) {
        let mut rest = text;
        while !rest.is_empty() {
            if self.line.is_empty() {
                self.start_line();
                rest = rest.trim_start_matches(' ');
                if rest.is_empty() {
                    return;
                }
            }
            let room = self.width.saturating_sub(self.used);
            if rest.len() <= room {
                self.append(rest, roles);
                return;
            }
            let window = &rest.as_bytes()[..=room];
            if let Some(space) = window.iter().rposition(|&b| b == b' ') {
                // Everything before the last space that fits; the space ends the line.
                self.append(&rest[..space], roles);
                self.flush();
                rest = &rest[space + 1..];
            } else if self.used > self.line_indent {
                // The next word does not fit here: it starts the next line.
                self.wrap_before(rest);
            } else {
                // A word longer than the line: cut it into line-sized pieces.
                let word = rest.find(' ').unwrap_or(rest.len());
                let take = room.max(1).min(word);
                self.append(&rest[..take], roles);
                rest = &rest[take..];
                if !rest.is_empty() && !rest.starts_with(' ') {
                    self.flush();
                    self.start_line();
                }
            }
        }
    }

    pub(super) fn styled(&mut self, text: &str, role: Role) {
        let clean = sanitize::line_within(text, usize::MAX);
        if self.cell.is_none() {
            self.collect_text(&clean);
        }
        self.styled_run(&clean, role);
    }

    /// `styled` without collecting the text; `clean` is sanitised.
    fn styled_run(&mut self, clean: &str, role: Role) {
        let mut roles = self.styles.clone();
        roles.push(role);
        // Inline code wraps at its spaces, as in a browser, rather than mid-word.
        if !self.cell_push(clean, &roles) {
            self.write_run(clean, &roles);
        }
    }

    /// Add a word (or a run of spaces), wrapping before it when it does not fit.
    pub(super) fn push_word(&mut self, word: &str, roles: &[Role]) {
        if self.line.is_empty() {
            self.start_line();
            if word == " " {
                return;
            }
        }
        let width = text_width(word);
        if self.used + width > self.width && self.used > self.line_indent {
            if word == " " {
                self.flush();
                return;
            }
            self.wrap_before(word);
        }
        if self.used + width > self.width {
            // A word longer than the line: break it by characters.
            let mut chunk = String::new();
            for c in word.chars() {
                let w = c.width().unwrap_or(0);
                if self.used + chunk.width() + w > self.width && !chunk.is_empty() {
                    self.append(&chunk, roles);
                    chunk.clear();
                    self.flush();
                    self.start_line();
                }
                chunk.push(c);
            }
            self.append(&chunk, roles);
            return;
        }
        self.append(word, roles);
    }

    pub(super) fn append(&mut self, text: &str, roles: &[Role]) {
        if self.glued {
            self.glue.push(self.line.iter().map(|s| s.text.len()).sum());
        }
        self.used += text_width(text);
        let link = self.current_link();
        match self.line.last_mut() {
            Some(last) if last.roles.as_slice() == roles && last.link == link => {
                last.text.push_str(text)
            }
            _ => self.line.push(Span {
                text: text.into(),
                roles: Roles::from_slice(roles),
                link,
            }),
        }
    }

    pub(super) fn start_line(&mut self) {
        let prefix = self.take_prefix();
        self.used = prefix.iter().map(|s| text_width(&s.text)).sum();
        self.line_indent = self.used;
        self.line = prefix;
        if self.line.is_empty() {
            // Keeps `line` non-empty so the next word does not start another line.
            self.line.push(Span {
                text: Default::default(),
                roles: smallvec::smallvec![],
                link: None,
            });
        }
        let last = self.line.len() - 1;
        self.content_at = (last, self.line[last].text.len());
        self.glue.clear();
    }

    pub(super) fn flush(&mut self) {
        if !self.line.is_empty() {
            let mut line = std::mem::take(&mut self.line);
            line.retain(|s| !s.text.is_empty());
            trim_end(&mut line);
            self.out.lines.push(line);
        }
        self.used = 0;
    }

    pub(super) fn block_gap(&mut self) {
        self.flush();
    }
}

/// Display width, with a fast path for ASCII, which most playbook text is.
pub(super) fn text_width(text: &str) -> usize {
    if text.is_ascii() {
        text.len()
    } else {
        text.width()
    }
}

#[cfg(test)]
mod tests {
    use super::Writer;
    use crate::markdown::plain;

    fn lay_out(width: usize, text: &str, fast: bool) -> Vec<String> {
        let mut writer = Writer::new(width);
        if fast {
            writer.ascii_run(text, &[]);
        } else {
            let mut rest = text;
            while !rest.is_empty() {
                let split = rest
                    .find(' ')
                    .map_or(rest.len(), |i| if i == 0 { 1 } else { i });
                let (word, tail) = rest.split_at(split);
                writer.push_word(word, &[]);
                rest = tail;
            }
        }
        writer.flush();
        writer.out.lines.iter().map(plain).collect()
    }

    #[test]
    fn the_ascii_fast_path_lays_out_exactly_like_the_word_loop() {
        // Words of every length from 1 to 23, in a deterministic shuffle.
        let mut seed = 7u64;
        let mut text = String::new();
        for _ in 0..400 {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let len = 1 + (seed >> 33) as usize % 23;
            text.push_str(&"abcdefghijklmnopqrstuvw"[..len]);
            text.push(' ');
        }
        for width in [8, 9, 10, 13, 20, 22, 23, 24, 40, 79, 80] {
            assert_eq!(
                lay_out(width, &text, true),
                lay_out(width, &text, false),
                "width {width}"
            );
        }
    }
}
