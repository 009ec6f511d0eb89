//! Code blocks (never wrapped: cut with a mark) and tables (columns fitted to the width).

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::Span;
use super::writer::Writer;
use crate::sanitize;
use crate::theme::Role;

impl Writer {
    pub(super) fn code_line(&mut self, code: &str) {
        // Under a list item, code sits at the item's text column.
        let mut line = self.take_prefix();
        line.push(Span {
            text: "│ ".into(),
            roles: smallvec::smallvec![Role::Rule],
        });
        let room = self
            .width
            .saturating_sub(line.iter().map(|s| s.text.width()).sum());
        let clean = sanitize::line(code);
        let mut text = String::new();
        let mut used = 0;
        for c in clean.chars() {
            let w = c.width().unwrap_or(0);
            if used + w > room.saturating_sub(1) && clean.width() > room {
                text.push('…');
                break;
            }
            used += w;
            text.push(c);
        }
        line.push(Span {
            text,
            roles: smallvec::smallvec![Role::CodeBlock],
        });
        self.out.lines.push(line);
    }

    pub(super) fn table_lines(&mut self, rows: &[Vec<String>]) {
        let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
        if columns == 0 {
            return;
        }
        let mut widths: Vec<usize> = (0..columns)
            .map(|c| {
                rows.iter()
                    .filter_map(|r| r.get(c))
                    .map(|s| s.width())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let room = self.width.saturating_sub(
            super::writer::text_width(&super::plain(&self.prefix)) + 3 * (columns - 1),
        );
        while widths.iter().sum::<usize>() > room && widths.iter().any(|&w| w > 3) {
            if let Some(widest) = widths.iter_mut().max() {
                *widest -= 1;
            }
        }
        for (index, row) in rows.iter().enumerate() {
            let mut line = self.take_prefix();
            for (c, width) in widths.iter().enumerate() {
                let cell = fit(row.get(c).map_or("", String::as_str), *width);
                let roles = if index == 0 {
                    smallvec::smallvec![Role::Strong]
                } else {
                    smallvec::smallvec![]
                };
                line.push(Span { text: cell, roles });
                if c + 1 < columns {
                    line.push(Span {
                        text: " │ ".into(),
                        roles: smallvec::smallvec![Role::Rule],
                    });
                }
            }
            if let Some(last) = line.last_mut() {
                last.text.truncate(last.text.trim_end().len());
            }
            self.out.lines.push(line);
            if index == 0 {
                let mut rule = self.take_prefix();
                let text = widths
                    .iter()
                    .map(|w| "─".repeat(*w))
                    .collect::<Vec<_>>()
                    .join("─┼─");
                rule.push(Span {
                    text,
                    roles: smallvec::smallvec![Role::Rule],
                });
                self.out.lines.push(rule);
            }
        }
    }
}

/// Pad or cut `text` to exactly `width` columns.
fn fit(text: &str, width: usize) -> String {
    if text.width() <= width {
        return format!("{text}{}", " ".repeat(width - text.width()));
    }
    let mut out = String::new();
    for c in text.chars() {
        if out.width() + c.width().unwrap_or(0) + 1 > width {
            break;
        }
        out.push(c);
    }
    out.push('…');
    let pad = width.saturating_sub(out.width());
    out + &" ".repeat(pad)
}
