//! OSC 8 hyperlinks: a web link's cells become clickable in terminals that know OSC 8
//! (others ignore the sequence and show the text as before).
//!
//! ratatui's buffer has no place for a link, but the crossterm backend prints a cell's
//! symbol as it is. So each cell of the link carries its own open + glyph + close sequence
//! (OSC 8 is modal: a cell redrawn alone must not leave a link open), and is marked with
//! its real width so the diff does not count the escape's bytes as columns.

use std::num::NonZeroU16;

use ratatui::buffer::{Buffer, CellDiffOption};
use unicode_width::UnicodeWidthStr;

/// Make the cells from (`x`, `y`) that show `text` a link to `url`, within `limit` columns.
/// `url` must already be a checked web address (no control characters).
pub fn link_cells(
    buffer: &mut Buffer,
    (x, y): (u16, u16),
    limit: u16,
    text: &str,
    url: &str,
    id: usize,
) {
    debug_assert!(!url.chars().any(char::is_control));
    let mut column = x;
    let end = x.saturating_add(limit);
    for grapheme in text.split_inclusive(|_| true) {
        let width = grapheme.width();
        if width == 0 {
            continue;
        }
        if column >= end || column.saturating_add(width as u16) > end {
            break;
        }
        let Some(cell) = buffer.cell_mut((column, y)) else {
            break;
        };
        let shown = cell.symbol().to_string();
        cell.set_symbol(&format!(
            "\x1b]8;id=pd{id};{url}\x1b\\{shown}\x1b]8;;\x1b\\"
        ));
        if let Some(width) = NonZeroU16::new(width as u16) {
            cell.set_diff_option(CellDiffOption::ForcedWidth(width));
        }
        column = column.saturating_add(width as u16);
    }
}

/// The address and the glyph of a cell `link_cells` made, if `symbol` is one: the only
/// escape sequence a cell may hold.
pub fn parse_cell(symbol: &str) -> Option<(&str, &str)> {
    let rest = symbol.strip_prefix("\x1b]8;id=pd")?;
    let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit());
    let rest = rest.strip_prefix(';')?;
    let (url, rest) = rest.split_once("\x1b\\")?;
    let shown = rest.strip_suffix("\x1b]8;;\x1b\\")?;
    let plain = |text: &str| !text.chars().any(crate::sanitize::is_unsafe);
    (plain(url) && plain(shown)).then_some((url, shown))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Rect;

    #[test]
    fn a_link_cell_is_read_back_and_nothing_else_passes_for_one() {
        let mut buffer = Buffer::empty(Rect::new(0, 0, 4, 1));
        buffer.set_string(0, 0, "ab", ratatui::style::Style::default());
        link_cells(&mut buffer, (0, 0), 4, "ab", "https://x.example/a", 3);
        let cell = buffer[(1, 0)].symbol();
        assert_eq!(parse_cell(cell), Some(("https://x.example/a", "b")));
        assert_eq!(parse_cell("b"), None);
        let forged = "\x1b]8;id=pd1;https://x\x1b\\b\x1b]52;c;AA\x07\x1b]8;;\x1b\\";
        assert_eq!(parse_cell(forged), None);
        assert_eq!(parse_cell("\x1b]8;id=pd1;https://x\x1b\\b"), None);
    }
}
