//! Untrusted text (titles, notes, reasons, names) made safe to put in markdown: terminal
//! controls stripped, and every character markdown gives a meaning escaped, so a title
//! cannot open a heading, a table, a code span, a link or a raw HTML tag.

/// One line of provider text as literal markdown inline text, cut at `max` characters.
pub fn inline_within(text: &str, max: usize) -> String {
    let clean = crate::sanitize::line_within(text, max);
    let mut out = String::with_capacity(clean.len() + 8);
    for c in clean.chars() {
        if is_markdown_punctuation(c) {
            out.push('\\');
        }
        out.push(c);
    }
    escape_line_start(out)
}

/// `inline_within` at a field's length.
pub fn inline(text: &str) -> String {
    inline_within(text, crate::sanitize::FIELD)
}

/// ASCII punctuation that means something anywhere in a line in CommonMark or GFM. A
/// backslash before ASCII punctuation is always a literal, so escaping costs nothing.
fn is_markdown_punctuation(c: char) -> bool {
    matches!(
        c,
        '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '~' | '&'
    )
}

/// What opens a list or a heading underline at a line's start ("- ", "+ ", "1. ", "="):
/// escaped when the text starts with it, in case it starts a line.
fn escape_line_start(text: String) -> String {
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    let mut after_digits = text[digits..].chars();
    // "1. " or "1)" at the end: a list marker; "2026.11" is not.
    let marker = matches!(after_digits.next(), Some('.' | ')'))
        && after_digits.next().is_none_or(char::is_whitespace);
    match text.chars().next() {
        Some('-' | '+' | '=') => format!("\\{text}"),
        Some(_) if digits > 0 && marker => {
            format!("{}\\{}", &text[..digits], &text[digits..])
        }
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_in_a_title_stays_literal_and_controls_are_gone() {
        assert_eq!(
            inline("# `rm -rf` | <b>x</b> [link](http://e) *bold* \u{1b}[2J"),
            "\\# \\`rm -rf\\` \\| \\<b\\>x\\</b\\> \\[link\\](http://e) \\*bold\\* \\[2J"
        );
        assert_eq!(inline("line one\nline two"), "line one line two");
        assert_eq!(inline("- not a list"), "\\- not a list");
        assert_eq!(inline("12. not a list"), "12\\. not a list");
        assert_eq!(inline("2026.11 deploy"), "2026.11 deploy");
    }
}
