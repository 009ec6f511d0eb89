//! The last word on what reaches the terminal. Every widget is given sanitised text, but a
//! string that slipped past (a new overlay, a library widget) must still not carry a
//! bidi override or a zero-width trick into a cell: ratatui itself drops only controls.

use std::borrow::Cow;

use ratatui::buffer::Buffer;

use super::hyperlink;
use crate::sanitize;

/// Clean every cell of `buffer` that holds a character the sanitiser refuses; a hyperlink
/// cell made by `hyperlink::link_cells` is left as it is.
pub fn scrub(buffer: &mut Buffer) {
    for cell in &mut buffer.content {
        let symbol = cell.symbol();
        // Nearly every cell: one printable ASCII character.
        if symbol.bytes().all(|b| (0x20..0x7f).contains(&b)) {
            continue;
        }
        if hyperlink::parse_cell(symbol).is_some() {
            continue;
        }
        // A control in a cell was put there by hand, as a sequence of its own: its
        // printable rest would not fit one cell, so the cell is blanked.
        if symbol.chars().any(char::is_control) {
            cell.set_symbol(" ");
            continue;
        }
        let Cow::Owned(clean) = sanitize::line(symbol) else {
            continue;
        };
        // Bidi and invisible characters have no width: the rest fills the same columns.
        cell.set_symbol(if clean.is_empty() { " " } else { &clean });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Rect;

    #[test]
    fn hidden_characters_in_cells_are_taken_out() {
        let mut buffer = Buffer::empty(Rect::new(0, 0, 4, 1));
        buffer[(0, 0)].set_symbol("a\u{200D}");
        buffer[(1, 0)].set_symbol("\u{202E}");
        buffer[(2, 0)].set_symbol("\x1b]52;c;AA\x07");
        buffer[(3, 0)].set_symbol("é");
        scrub(&mut buffer);
        let shown: Vec<&str> = buffer.content.iter().map(|c| c.symbol()).collect();
        assert_eq!(shown, ["a", " ", " ", "é"]);
    }
}
