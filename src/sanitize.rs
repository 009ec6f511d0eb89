//! Text from providers, playbooks and config is untrusted: nothing in it may reach the
//! terminal as a control sequence, reorder what is shown, hide text from the reader, or
//! run on without end. Every string passes through here before it is drawn or printed.

use std::borrow::Cow;

pub mod json;

const TAB_WIDTH: usize = 4;

/// At most this many characters of one field (a title, a name, a label, an error):
/// PagerDuty's own limit for a title. Past it, the text ends in "…".
pub const FIELD: usize = 1024;
/// A description or a note: longer than a field, still bounded.
pub const LONG: usize = 16 * 1024;

/// Could `c` steer the terminal (C0, DEL, C1), reorder text (bidi embeddings, overrides,
/// isolates, marks) or hide text (zero-width characters, invisible operators, tags)?
/// The zero width joiner is one of them, though kept inside an emoji (see `line`).
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || is_bidi(c) || is_invisible(c) || is_line_break(c)
}

/// The characters that change the order in which text is shown (Trojan Source).
pub fn is_bidi(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Characters that show nothing, or nothing of themselves: enough to hide a word inside
/// another ("pay\u{200B}pal") or to carry text no one sees (tag characters).
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' // soft hyphen
        | '\u{034F}' // combining grapheme joiner
        | '\u{180E}' // Mongolian vowel separator
        | '\u{200B}'..='\u{200D}' // zero width space, non-joiner, joiner
        | '\u{2060}'..='\u{2064}' // word joiner, invisible operators
        | '\u{206A}'..='\u{206F}' // deprecated format controls
        | '\u{3164}' | '\u{FFA0}' // Hangul fillers, blank yet printable
        | '\u{FEFF}' // zero width no-break space (BOM)
        | '\u{FFF9}'..='\u{FFFB}' // interlinear annotation
        | '\u{1BCA0}'..='\u{1BCA3}' // shorthand format controls
        | '\u{1D173}'..='\u{1D17A}' // musical format controls
        | '\u{E0000}'..='\u{E007F}' // tags: an invisible copy of ASCII
    )
}

/// Line and paragraph separators: not controls to Rust, but line breaks to a terminal.
fn is_line_break(c: char) -> bool {
    matches!(c, '\u{2028}' | '\u{2029}')
}

/// A zero width joiner between two emoji makes one (👩‍💻); anywhere else it only hides.
fn joins_emoji(before: Option<char>, after: Option<char>) -> bool {
    let emoji = |c: char| {
        matches!(c, '\u{00A9}' | '\u{00AE}' | '\u{203C}' | '\u{2049}' | '\u{2122}' | '\u{2139}'
            | '\u{2194}'..='\u{21AA}' | '\u{231A}'..='\u{23FF}' | '\u{24C2}' | '\u{25AA}'..='\u{27BF}'
            | '\u{2934}' | '\u{2935}' | '\u{2B05}'..='\u{2B55}' | '\u{3030}' | '\u{303D}'
            | '\u{3297}' | '\u{3299}' | '\u{1F000}'..='\u{1FAFF}')
    };
    // Before the joiner may stand a variation selector (🏳️‍🌈) or a skin tone (in 1F000…).
    before.is_some_and(|c| emoji(c) || c == '\u{FE0F}') && after.is_some_and(emoji)
}

/// What one character of a line becomes.
#[derive(PartialEq)]
enum Fate {
    Keep,
    Drop,
    Space,
    Tab,
}

fn fate(before: Option<char>, c: char, after: Option<char>) -> Fate {
    match c {
        '\t' => Fate::Tab,
        '\n' | '\r' => Fate::Space,
        c if is_line_break(c) => Fate::Space,
        '\u{200D}' if joins_emoji(before, after) => Fate::Keep,
        c if is_unsafe(c) => Fate::Drop,
        _ => Fate::Keep,
    }
}

/// Each character with the one before and the one after it.
fn with_neighbours(text: &str) -> impl Iterator<Item = (Option<char>, char, Option<char>)> + '_ {
    let mut before = None;
    let mut chars = text.chars().peekable();
    std::iter::from_fn(move || {
        let c = chars.next()?;
        let item = (before, c, chars.peek().copied());
        before = Some(c);
        Some(item)
    })
}

/// One line of a field: controls, bidi and invisible characters dropped, tabs expanded,
/// line breaks become spaces, cut at `FIELD` characters with "…".
pub fn line(text: &str) -> Cow<'_, str> {
    line_within(text, FIELD)
}

/// `line` for a description or a note, cut at `LONG` characters.
pub fn long_line(text: &str) -> Cow<'_, str> {
    line_within(text, LONG)
}

/// `line`, cut at `max` characters (the last of them "…"). The markdown renderer passes
/// `usize::MAX`: a playbook is laid out whole, its size bounded by the file's.
pub fn line_within(text: &str, max: usize) -> Cow<'_, str> {
    // Printable ASCII is the common case and needs no look at characters.
    let printable_ascii = text.bytes().all(|b| (0x20..0x7f).contains(&b));
    if printable_ascii && text.len() <= max {
        return Cow::Borrowed(text);
    }
    let short = text.len() <= max || text.chars().nth(max).is_none();
    if short && with_neighbours(text).all(|(b, c, a)| fate(b, c, a) == Fate::Keep) {
        return Cow::Borrowed(text);
    }
    let mut out = Capped::new(text.len(), max);
    for (before, c, after) in with_neighbours(text) {
        let room = match fate(before, c, after) {
            Fate::Keep => out.push(c),
            Fate::Drop => true,
            Fate::Space => out.push(' '),
            Fate::Tab => (0..TAB_WIDTH - out.count % TAB_WIDTH).all(|_| out.push(' ')),
        };
        if !room {
            return Cow::Owned(out.cut());
        }
    }
    Cow::Owned(out.text)
}

/// Text being built up to `max` characters.
struct Capped {
    text: String,
    count: usize,
    max: usize,
}

impl Capped {
    fn new(bytes: usize, max: usize) -> Capped {
        // Never more than 4 bytes a character, so a huge input does not reserve huge.
        let capacity = bytes.min(max.saturating_mul(4));
        Capped {
            text: String::with_capacity(capacity),
            count: 0,
            max,
        }
    }

    /// `false` when `c` would be one too many.
    fn push(&mut self, c: char) -> bool {
        if self.count == self.max {
            return false;
        }
        self.text.push(c);
        self.count += 1;
        true
    }

    /// Full and more to come: the last character gives way to "…", and so does a
    /// joiner left before it (it joined nothing now).
    fn cut(mut self) -> String {
        if self.text.pop().is_some() {
            while self.text.ends_with('\u{200D}') {
                self.text.pop();
            }
            self.text.push('…');
        }
        self.text
    }
}

/// Several lines (a code block for the clipboard, an error report): line breaks and tabs
/// kept, `\r` and every other control, bidi or invisible character dropped, so that
/// pasting it into a shell runs what was shown (no `ESC [201~` ending a bracketed paste
/// early). Not cut: it is what is copied, and the text it comes from is bounded.
pub fn lines(text: &str) -> Cow<'_, str> {
    let keep = |(before, c, after): (Option<char>, char, Option<char>)| match c {
        '\n' | '\t' => Some(c),
        c if is_line_break(c) => Some('\n'),
        '\r' => None,
        c => (fate(before, c, after) == Fate::Keep).then_some(c),
    };
    if with_neighbours(text).all(|item| keep(item) == Some(item.1)) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(with_neighbours(text).filter_map(keep).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// No character of `text` may steer, reorder or hide (a joiner inside an emoji aside).
    fn clean(text: &str) -> bool {
        with_neighbours(text).all(|(b, c, a)| !is_unsafe(c) || fate(b, c, a) == Fate::Keep)
    }

    #[test]
    fn escape_sequences_and_bidi_overrides_never_pass() {
        let hostile = "ok\x1b[31mred\x1b]8;;http://evil\x07link\x1b]52;c;ZXZpbA==\x07\u{9b}2J\u{202E}txet\u{2066}";
        let clean_text = line(hostile);
        assert!(!clean_text.chars().any(is_unsafe), "{clean_text:?}");
        assert_eq!(
            clean_text,
            "ok[31mred]8;;http://evillink]52;c;ZXZpbA==2Jtxet"
        );
    }

    #[test]
    fn c1_controls_isolates_marks_and_zero_width_characters_are_dropped() {
        let mut hostile = String::from("a");
        let ranges = [
            '\u{80}'..='\u{9f}',
            '\u{200B}'..='\u{200F}',
            '\u{202A}'..='\u{202E}',
            '\u{2060}'..='\u{2064}',
            '\u{2066}'..='\u{2069}',
            '\u{FEFF}'..='\u{FEFF}',
            '\u{E0020}'..='\u{E007F}',
        ];
        for c in ranges.into_iter().flatten() {
            hostile.push(c);
            hostile.push('b');
        }
        let shown = line(&hostile);
        assert!(clean(&shown), "{shown:?}");
        assert_eq!(shown.trim_start_matches('a').replace('b', ""), "");
        assert_eq!(lines(&hostile), shown);
        assert_eq!(line("one\u{2028}two\u{2029}"), "one two ");
        assert_eq!(lines("one\u{2028}two"), "one\ntwo");
    }

    #[test]
    fn a_joiner_stays_inside_an_emoji_and_nowhere_else() {
        assert_eq!(
            line("👩\u{200D}💻 🏳\u{FE0F}\u{200D}🌈"),
            "👩\u{200D}💻 🏳\u{FE0F}\u{200D}🌈"
        );
        assert_eq!(line("pay\u{200D}pal \u{200D}👩 👩\u{200D}"), "paypal 👩 👩");
        assert!(matches!(line("👩\u{200D}💻"), Cow::Borrowed(_)));
    }

    #[test]
    fn long_text_is_cut_with_an_ellipsis() {
        let title = "x".repeat(10_000);
        let shown = line(&title);
        assert_eq!(shown.chars().count(), FIELD);
        assert!(shown.ends_with("x…"), "{}", &shown[FIELD - 8..]);
        assert_eq!(line(&"é".repeat(FIELD)).chars().count(), FIELD);
        assert!(!line(&"é".repeat(FIELD)).ends_with('…'));
        assert!(line(&"é".repeat(FIELD + 1)).ends_with('…'));
        // A tab's spaces count; what is dropped does not.
        assert_eq!(line_within("ab\tcd", 5), "ab  …");
        assert_eq!(line_within("\x1b\x1b\x1babc", 3), "abc");
        assert_eq!(line_within("abc", 0), "");
        assert_eq!(
            line_within("👩\u{200D}💻x", 3),
            "👩…",
            "no joiner before the cut"
        );
        assert_eq!(long_line(&title).len(), 10_000);
        assert_eq!(line_within(&title, usize::MAX).len(), 10_000);
    }

    #[test]
    fn code_keeps_its_lines_and_tabs_but_no_controls() {
        assert_eq!(
            lines("a\r\n\tb\x1b[201~\u{202E}c\u{9b}\u{200B}\n"),
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
