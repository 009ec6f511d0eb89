//! Code blocks (never wrapped: cut with a mark) and tables (columns fitted to the width,
//! cells wrapped inside them; one record per row when the columns cannot fit).

use pulldown_cmark::Alignment;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::prefix::trim_end;
use super::writer::{Writer, text_width};
use super::{Line, Roles, Span, plain};
use crate::sanitize;
use crate::theme::Role;

/// No column is squeezed below this many columns (or its own width, if narrower): thinner
/// than that, words break into letters, and a record per row reads better.
const MIN_COLUMN: usize = 6;

/// A table being collected: the header row first.
#[derive(Debug, Default)]
pub(super) struct Table {
    pub(super) alignments: Vec<Alignment>,
    pub(super) rows: Vec<Vec<Line>>,
}

impl Table {
    pub(super) fn new(alignments: Vec<Alignment>) -> Table {
        Table {
            alignments,
            rows: Vec::new(),
        }
    }
}

impl Writer {
    pub(super) fn code_line(&mut self, code: &str) {
        // Under a list item, code sits at the item's text column.
        let mut line = self.take_prefix();
        line.push(Span {
            text: "│ ".into(),
            roles: smallvec::smallvec![Role::Rule],
            link: None,
        });
        let room = self
            .width
            .saturating_sub(line.iter().map(|s| s.text.width()).sum());
        let clean = sanitize::line_within(code, usize::MAX);
        let mut text = String::new();
        let mut cut = false;
        if text_width(&clean) <= room {
            text.push_str(&clean);
        } else {
            // Never wrapped (that would change what the command says): cut, with a mark
            // of its own, and `y` still copies all of it.
            let mut used = 0;
            for c in clean.chars() {
                let w = c.width().unwrap_or(0);
                if used + w + 1 > room {
                    break;
                }
                used += w;
                text.push(c);
            }
            cut = true;
        }
        if !text.is_empty() {
            line.push(Span {
                text: text.into(),
                roles: smallvec::smallvec![Role::CodeBlock],
                link: None,
            });
        }
        if cut {
            line.push(rule("…"));
        }
        self.out.lines.push(line);
    }
}

impl Writer {
    /// Add sanitised text to the table cell being collected, if there is one.
    pub(super) fn cell_push(&mut self, clean: &str, roles: &[Role]) -> bool {
        let link = self.current_link();
        let Some(cell) = &mut self.cell else {
            return false;
        };
        match cell.last_mut() {
            Some(last) if last.roles.as_slice() == roles && last.link == link => {
                last.text.push_str(clean)
            }
            _ => cell.push(Span {
                text: clean.into(),
                roles: Roles::from_slice(roles),
                link,
            }),
        }
        true
    }

    pub(super) fn table_lines(&mut self, table: &Table) {
        let columns = table.rows.iter().map(Vec::len).max().unwrap_or(0);
        if columns == 0 {
            return;
        }
        let column = |c: usize| table.rows.iter().filter_map(move |r| r.get(c));
        let natural: Vec<usize> = (0..columns)
            .map(|c| {
                column(c)
                    .map(|cell| text_width(&plain(cell)))
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let indent = text_width(&plain(&self.prefix));
        let room = self.width.saturating_sub(indent + 3 * (columns - 1));
        let least: usize = natural.iter().map(|&w| w.min(MIN_COLUMN)).sum();
        if least > room {
            self.table_records(table, columns);
            return;
        }
        let longest: Vec<usize> = (0..columns)
            .map(|c| column(c).map(longest_word).max().unwrap_or(0))
            .collect();
        let widths = fit_columns(&natural, &longest, room);
        for (index, row) in table.rows.iter().enumerate() {
            let header = index == 0;
            let cells: Vec<Vec<Line>> = widths
                .iter()
                .enumerate()
                .map(|(c, &width)| {
                    wrap_cell(row.get(c).map_or(&[][..], Vec::as_slice), width, header)
                })
                .collect();
            let height = cells.iter().map(Vec::len).max().unwrap_or(0).max(1);
            for at in 0..height {
                let mut line = self.take_prefix();
                for (c, &width) in widths.iter().enumerate() {
                    let text = cells[c].get(at).map_or(&[][..], Vec::as_slice);
                    let align = table.alignments.get(c).copied().unwrap_or(Alignment::None);
                    pad_into(&mut line, text, width, align);
                    if c + 1 < columns {
                        line.push(rule(" │ "));
                    }
                }
                trim_end(&mut line);
                self.out.lines.push(line);
            }
            if header {
                let mut line = self.take_prefix();
                let text: Vec<String> = widths.iter().map(|w| "─".repeat(*w)).collect();
                line.push(rule(&text.join("─┼─")));
                self.out.lines.push(line);
            }
        }
    }

    /// A table too wide for the pane: each row as "Header: value" lines, wrapped like
    /// text, rows apart by a rule. Nothing is cut.
    fn table_records(&mut self, table: &Table, columns: usize) {
        let Some((header, body)) = table.rows.split_first() else {
            return;
        };
        let records: Vec<&Vec<Line>> = if body.is_empty() {
            vec![header]
        } else {
            body.iter().collect()
        };
        for (index, row) in records.into_iter().enumerate() {
            if index > 0 {
                self.start_line();
                let length = self.width.saturating_sub(self.used);
                self.append(&"─".repeat(length), &[Role::Rule]);
                self.flush();
            }
            for c in 0..columns {
                let name = header.get(c).map(plain).unwrap_or_default();
                if !body.is_empty() && !name.is_empty() {
                    self.write_run(&format!("{name}: "), &[Role::Strong]);
                }
                for span in row.get(c).map_or(&[][..], Vec::as_slice) {
                    self.write_run(&span.text, &span.roles);
                }
                self.flush();
            }
        }
    }
}

/// Column widths within `room`: as wide as their text if the table fits; else the
/// widest column gives way first, but not below its longest word (so that words wrap
/// whole) while another column can still give; then below it, to `MIN_COLUMN`.
fn fit_columns(natural: &[usize], longest: &[usize], room: usize) -> Vec<usize> {
    let mut widths = natural.to_vec();
    let mut total: usize = widths.iter().sum();
    let floor = |c: usize| natural[c].min(MIN_COLUMN);
    for least in [|c: usize, longest: &[usize]| longest[c], |_, _: &[usize]| 0] {
        while total > room {
            let widest = (0..widths.len())
                .filter(|&c| widths[c] > floor(c).max(least(c, longest)))
                .max_by_key(|&c| widths[c]);
            let Some(c) = widest else {
                break;
            };
            widths[c] -= 1;
            total -= 1;
        }
    }
    widths
}

fn cell_width(cell: &[Span]) -> usize {
    cell.iter().map(|s| text_width(&s.text)).sum()
}

/// The widest piece of a cell that wrapping cannot break (a word, or one CJK
/// character).
fn longest_word(cell: &Line) -> usize {
    let text = plain(cell);
    let words = text.split(' ').flat_map(super::breaks::pieces);
    words.map(text_width).max().unwrap_or(0)
}

/// A cell's text wrapped to `width` columns (the header's in bold).
fn wrap_cell(cell: &[Span], width: usize, header: bool) -> Vec<Line> {
    let bold = |span: &Span| {
        let mut roles = span.roles.clone();
        if header && !roles.contains(&Role::Strong) {
            roles.push(Role::Strong);
        }
        roles
    };
    if cell_width(cell) <= width {
        // Most cells fit their column as they are (the parser trims them).
        let line = cell.iter().filter(|s| !s.text.is_empty());
        let line = line.map(|s| Span {
            text: s.text.clone(),
            roles: bold(s),
            link: s.link,
        });
        return vec![line.collect()];
    }
    let mut writer = Writer::new(width.max(1));
    for span in cell {
        writer.write_run(&span.text, &bold(span));
    }
    writer.flush();
    writer.out.lines
}

/// `text` padded to `width` columns as the column is aligned.
fn pad_into(line: &mut Line, text: &[Span], width: usize, align: Alignment) {
    let used: usize = text.iter().map(|s| text_width(&s.text)).sum();
    let gap = width.saturating_sub(used);
    let before = match align {
        Alignment::Right => gap,
        Alignment::Center => gap / 2,
        Alignment::None | Alignment::Left => 0,
    };
    let space = |n: usize| Span {
        text: " ".repeat(n).into(),
        roles: Roles::new(),
        link: None,
    };
    if before > 0 {
        line.push(space(before));
    }
    line.extend(text.iter().cloned());
    if gap > before {
        line.push(space(gap - before));
    }
}

fn rule(text: &str) -> Span {
    Span {
        text: text.into(),
        roles: smallvec::smallvec![Role::Rule],
        link: None,
    }
}
