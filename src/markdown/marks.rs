//! What the text carries besides its words: footnote and link numbers, task boxes, and
//! the names collected for the outline, the steps and the list of links.

use super::prefix::span;
use super::writer::Writer;
use crate::theme::Role;

impl Writer {
    /// A footnote's number as superscript digits ("deploy¹"), as printed text shows them.
    pub(super) fn footnote_mark(&mut self, name: &str) -> String {
        let number = match self.footnotes.iter().position(|n| n == name) {
            Some(i) => i + 1,
            None => {
                self.footnotes.push(name.to_string());
                self.footnotes.len()
            }
        };
        const SUPERSCRIPT: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
        number
            .to_string()
            .bytes()
            .map(|digit| SUPERSCRIPT[usize::from(digit - b'0')])
            .collect()
    }

    /// A link (or image) starts: it takes its number now, so that its text knows it.
    pub(super) fn open_link(&mut self, url: String, image: bool) {
        self.out.links.push(super::LinkTarget {
            url,
            text: String::new(),
            line: self.out.lines.len(),
            image,
        });
        self.open_links
            .push((self.out.links.len() - 1, String::new()));
    }

    /// The number of the innermost link being written.
    pub(super) fn current_link(&self) -> Option<u32> {
        let (index, _) = self.open_links.last()?;
        u32::try_from(index + 1).ok()
    }

    /// Close the innermost link: number it where it ends, "[3]", in a table cell too.
    pub(super) fn close_link(&mut self) {
        let Some((index, text)) = self.open_links.pop() else {
            return;
        };
        let link = &mut self.out.links[index];
        link.text = text.trim().to_string();
        link.line = self.out.lines.len();
        let number = format!("[{}]", index + 1);
        self.glued = true;
        self.mark(&number, &[Role::Link]);
        self.glued = false;
    }

    /// `- [ ]` / `- [x]`: a box instead of the bullet, after a number ("1. ☐ ").
    pub(super) fn task_marker(&mut self, done: bool) {
        let Some(item) = self.open_items.last_mut() else {
            return;
        };
        item.done = done;
        self.out.items[item.index].task = true;
        let mark = span(if done { "☑ " } else { "☐ " }, Role::ListMarker);
        if let Some(container) = self.containers.last_mut() {
            match container.first.last_mut() {
                Some(bullet) if bullet.text == "• " => *bullet = mark,
                _ => container.first.push(mark),
            }
        }
        self.reindent();
        if done {
            self.styles.push(Role::TaskDone);
        }
    }

    /// The open item's own text, for naming its step, the open link's, for the list of
    /// links, and the heading's, for the outline and anchors.
    /// `clean` is sanitised already.
    pub(super) fn collect_text(&mut self, clean: &str) {
        if let Some((heading, _)) = &mut self.heading {
            heading.push_str(clean);
        }
        if let Some((_, link_text)) = self.open_links.last_mut() {
            link_text.push_str(clean);
        }
        if let Some(item) = self.open_items.last()
            && item.own_text
        {
            self.out.items[item.index].text.push_str(clean);
        }
    }
}
