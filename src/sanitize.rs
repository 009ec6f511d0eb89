//! Text from providers and playbooks is untrusted: nothing in it may reach the terminal as
//! a control sequence. Every string passes through here before it is drawn.

use std::borrow::Cow;

const TAB_WIDTH: usize = 4;

/// Is `c` something that could steer the terminal or reorder text?
fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// One line of text: controls dropped, tabs expanded, line breaks become spaces.
pub fn line(text: &str) -> Cow<'_, str> {
    // Printable ASCII is the common case and needs no look at characters.
    let printable_ascii = text.bytes().all(|b| (0x20..0x7f).contains(&b));
    if printable_ascii || !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\t' => {
                let column = out.chars().count();
                out.extend(std::iter::repeat_n(' ', TAB_WIDTH - column % TAB_WIDTH));
            }
            '\n' | '\r' => out.push(' '),
            c if is_unsafe(c) => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Several lines (a code block, for the clipboard): line breaks and tabs kept, `\r` and
/// every other control or bidi character dropped, so that pasting it into a shell runs
/// what was shown (no `ESC [201~` ending a bracketed paste early).
pub fn lines(text: &str) -> Cow<'_, str> {
    let keep = |c: char| c == '\n' || c == '\t' || !is_unsafe(c);
    if text.chars().all(keep) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.chars().filter(|&c| keep(c)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_and_bidi_overrides_never_pass() {
        let hostile = "ok\x1b[31mred\x1b]8;;http://evil\x07link\x1b]52;c;ZXZpbA==\x07\u{9b}2J\u{202E}txet\u{2066}";
        let clean = line(hostile);
        assert!(!clean.chars().any(is_unsafe), "{clean:?}");
        assert_eq!(clean, "ok[31mred]8;;http://evillink]52;c;ZXZpbA==2Jtxet");
    }

    #[test]
    fn code_keeps_its_lines_and_tabs_but_no_controls() {
        assert_eq!(
            lines("a\r\n\tb\x1b[201~\u{202E}c\u{9b}\n"),
            "a\n\tb[201~c\n"
        );
        assert!(matches!(lines("ls -l\n\tcd /"), Cow::Borrowed(_)));
    }

    #[test]
    fn tabs_expand_and_clean_text_is_not_copied() {
        assert_eq!(line("a\tb"), "a   b");
        assert_eq!(line("two\nlines"), "two lines");
        assert!(matches!(line("plain – ünïcode 漢字"), Cow::Borrowed(_)));
    }
}
