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
