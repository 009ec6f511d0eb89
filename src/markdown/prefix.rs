//! What stands left of a line: one part per open block quote, list item and footnote,
//! outermost first, so that blocks nest inside each other in any order.

use super::writer::{Writer, text_width};
use super::{Line, Span};
use crate::theme::Role;

/// An open block that every line inside it is prefixed by.
#[derive(Debug, Clone)]
pub(super) struct Container {
    /// On the first line written inside it: a list marker, a footnote's number.
    pub(super) first: Vec<Span>,
    /// On the lines after: a quote's bar again, or spaces as wide as the marker.
    pub(super) rest: Span,
    pub(super) quote: bool,
}

impl Container {
    pub(super) fn quote() -> Container {
        let bar = span("▎ ", Role::Quote);
        Container {
            first: vec![bar.clone()],
            rest: bar,
            quote: true,
        }
    }

    /// A list item or footnote: `marker` on its first line, a hanging indent after.
    pub(super) fn hanging(marker: Vec<Span>) -> Container {
        let width = marker.iter().map(|s| text_width(&s.text)).sum();
        Container {
            first: marker,
            rest: Span {
                text: " ".repeat(width).into(),
                roles: smallvec::smallvec![],
                link: None,
            },
            quote: false,
        }
    }
}

/// Add a part to a prefix: bars and spaces run together; list markers stay apart (the
/// pane swaps a task's box when the step is checked).
fn push_part(line: &mut Line, part: &Span) {
    match line.last_mut() {
        Some(last) if last.roles == part.roles && !part.roles.contains(&Role::ListMarker) => {
            last.text.push_str(&part.text)
        }
        _ => line.push(part.clone()),
    }
}

pub(super) fn span(text: &str, role: Role) -> Span {
    Span {
        text: text.into(),
        roles: smallvec::smallvec![role],
        link: None,
    }
}

impl Writer {
    pub(super) fn open(&mut self, container: Container) {
        if container.quote {
            self.quote_depth += 1;
            if self.quote_depth == 1 {
                self.styles.insert(0, Role::Quote);
            }
        }
        // Usually the outer prefix with one more part; built anew only when it meets the
        // budget.
        let added = text_width(&container.rest.text);
        let outer = std::mem::take(&mut self.prefix);
        let outer_width = self.prefix_width;
        self.containers.push(container);
        if outer_width + added <= self.width / 2 {
            self.prefix = outer.clone();
            if let Some(container) = self.containers.last() {
                push_part(&mut self.prefix, &container.rest);
            }
            self.prefix_width = outer_width + added;
        } else {
            self.rebuild_prefix();
        }
        self.outer.push((outer, outer_width));
    }

    pub(super) fn close(&mut self) {
        if self.containers.pop().is_some_and(|c| c.quote) {
            self.quote_depth = self.quote_depth.saturating_sub(1);
            if self.quote_depth == 0 {
                self.styles.retain(|r| *r != Role::Quote);
            }
        }
        self.started = self.started.min(self.containers.len());
        (self.prefix, self.prefix_width) = self.outer.pop().unwrap_or_default();
    }

    /// The innermost container's hanging indent changed (a task box after a number).
    pub(super) fn reindent(&mut self) {
        if let Some(last) = self.containers.last_mut() {
            let width = last.first.iter().map(|s| text_width(&s.text)).sum();
            last.rest.text = " ".repeat(width).into();
        }
        self.rebuild_prefix();
    }

    fn rebuild_prefix(&mut self) {
        self.prefix = self.build_prefix(false);
        self.prefix_width = self.prefix.iter().map(|s| text_width(&s.text)).sum();
    }

    /// The prefix for the next line: first-line parts for the containers that have not
    /// written a line yet. Only the innermost parts that fit in half the width are kept,
    /// so that deep nesting (10,000 quotes) leaves room for the text and costs no more
    /// than shallow nesting.
    pub(super) fn build_prefix(&self, first_line: bool) -> Line {
        let budget = self.width / 2;
        let mut parts: Vec<&Span> = Vec::new();
        let mut used = 0;
        for (index, container) in self.containers.iter().enumerate().rev() {
            let spans = if first_line && index >= self.started {
                container.first.as_slice()
            } else {
                std::slice::from_ref(&container.rest)
            };
            let width: usize = spans.iter().map(|s| text_width(&s.text)).sum();
            if used + width > budget && !parts.is_empty() {
                break;
            }
            used += width;
            parts.extend(spans.iter().rev());
        }
        let mut line: Line = Vec::with_capacity(parts.len());
        for part in parts.into_iter().rev() {
            push_part(&mut line, part);
        }
        line
    }

    /// The prefix for a line starting now; every open container has then begun.
    pub(super) fn take_prefix(&mut self) -> Line {
        let fresh = self.containers.len() - self.started;
        let line = match (fresh, self.containers.last(), self.outer.last()) {
            (0, ..) => self.prefix.clone(),
            // A list item's first line: the outer prefix and its marker.
            (1, Some(container), Some((outer, width)))
                if width
                    + container
                        .first
                        .iter()
                        .map(|s| text_width(&s.text))
                        .sum::<usize>()
                    <= self.width / 2 =>
            {
                let mut line = outer.clone();
                for part in &container.first {
                    push_part(&mut line, part);
                }
                line
            }
            _ => self.build_prefix(true),
        };
        self.started = self.containers.len();
        line
    }

    /// An empty line between blocks: inside a quote it keeps the quote's bars. A blank
    /// line already there takes the bars of where the text is now (a quote just ended).
    pub(super) fn blank(&mut self) {
        if self.out.lines.is_empty() {
            return;
        }
        let mut line = if self.quote_depth > 0 {
            self.prefix.clone()
        } else {
            Vec::new()
        };
        trim_end(&mut line);
        let last = self.out.lines.len() - 1;
        if self.blank_line == Some(last) {
            self.out.lines[last] = line;
        } else {
            self.out.lines.push(line);
            self.blank_line = Some(last + 1);
        }
    }
}

/// Drop trailing spaces (and the spans they leave empty).
pub(super) fn trim_end(line: &mut Line) {
    while let Some(last) = line.last_mut() {
        let trimmed = last.text.trim_end().len();
        last.text.truncate(trimmed);
        if !last.text.is_empty() {
            break;
        }
        line.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::{Container, span};
    use crate::markdown::writer::Writer;
    use crate::theme::Role;

    #[test]
    fn prefixes_kept_on_the_way_equal_prefixes_built_anew() {
        let marker = |text: &str| Container::hanging(vec![span(text, Role::ListMarker)]);
        for width in [8, 20, 40, 41, 80] {
            let mut writer = Writer::new(width);
            // Quotes, bullets, wide numbers and footnotes, nested past the budget and
            // back, some starting a line before the next opens.
            for step in 0..60 {
                let container = match step % 4 {
                    0 => Container::quote(),
                    1 => marker("• "),
                    2 => marker("123. "),
                    _ => Container::hanging(vec![span("¹ ", Role::Link)]),
                };
                writer.open(container);
                assert_eq!(writer.prefix, writer.build_prefix(false), "{width} {step}");
                if step % 3 == 0 {
                    let first = writer.build_prefix(true);
                    assert_eq!(writer.take_prefix(), first, "{width} {step}");
                }
            }
            for step in 0..60 {
                writer.close();
                assert_eq!(writer.prefix, writer.build_prefix(false), "{width} {step}");
            }
        }
    }
}
