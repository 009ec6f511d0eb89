//! Where a line may break: at spaces, and without a space between ideographs, kana,
//! hangul and other double-width characters, except before closing punctuation or after
//! opening punctuation (kinsoku, as Japanese and Chinese typesetting does), never inside
//! an emoji sequence and never before a link's or footnote's number. When a word does
//! not fit, the part of it already on the line moves down with it.

use unicode_width::UnicodeWidthChar;

use super::Span;
use super::writer::Writer;

/// Never at the start of a line.
const NO_START: &str = "、。，．・：；？！ー～…‥）」』】〕〉》〙〗〟’”｝ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ%),.:;?!]}";
/// Never at the end of a line.
const NO_END: &str = "（「『【〔〈《〘〖〝‘“｛([{";

/// May a line break between `a` and `b`, which stand side by side with no space?
/// (Korean, written with spaces between words, breaks only at them.)
pub(super) fn can_break(a: char, b: char) -> bool {
    let (wide_a, wide_b) = match (a.width(), b.width()) {
        // Joiners, variation selectors and combining marks hold a sequence together.
        (Some(0) | None, _) | (_, Some(0) | None) => return false,
        (Some(x), Some(y)) => (x == 2, y == 2),
    };
    (wide_a || wide_b) && !NO_START.contains(b) && !NO_END.contains(a) && !(hangul(a) || hangul(b))
}

fn hangul(c: char) -> bool {
    matches!(c, '\u{1100}'..='\u{11FF}' | '\u{3130}'..='\u{318F}' | '\u{AC00}'..='\u{D7AF}')
}

/// `word` (no spaces) cut where a line may break inside it.
pub(super) fn pieces(word: &str) -> impl Iterator<Item = &str> {
    // ASCII has no double-width characters: one piece.
    let mut rest = word;
    let mut whole = word.is_ascii();
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        if whole {
            whole = false;
            return Some(std::mem::take(&mut rest));
        }
        let mut chars = rest.char_indices().peekable();
        let mut end = rest.len();
        while let Some((_, a)) = chars.next() {
            if let Some(&(at, b)) = chars.peek()
                && can_break(a, b)
            {
                end = at;
                break;
            }
        }
        let (piece, tail) = rest.split_at(end);
        rest = tail;
        Some(piece)
    })
}

impl Writer {
    /// End the line before `next`, which does not fit. When `next` goes on with a word
    /// the line ends in ("page[4]" then "."), that word moves down with it: a line never
    /// starts with the end of a word.
    pub(super) fn wrap_before(&mut self, next: &str) {
        let last = self.line.last().and_then(|s| s.text.chars().last());
        let goes_on = match (last, next.chars().next()) {
            (Some(a), Some(b)) => a != ' ' && b != ' ' && (self.glued || !can_break(a, b)),
            _ => false,
        };
        let (carried, glue) = if goes_on {
            self.word_end()
        } else {
            (Vec::new(), Vec::new())
        };
        self.flush();
        self.start_line();
        // The moved word keeps its glue points, and gains none.
        let glued = std::mem::take(&mut self.glued);
        let base: usize = self.line.iter().map(|s| s.text.len()).sum();
        for span in carried {
            self.append(&span.text, &span.roles);
        }
        self.glue.extend(glue.into_iter().map(|at| base + at));
        self.glued = glued;
    }

    /// Take the line's last word off it (after its last space or CJK break past the
    /// prefix), with its glue points counted from its start; nothing if the line is one
    /// word.
    fn word_end(&mut self) -> (Vec<Span>, Vec<usize>) {
        let (first, offset) = self.content_at;
        // The character after the one looked at, which may be in the next span.
        let mut after: Option<char> = None;
        let mut start_of = self.line.iter().map(|s| s.text.len()).sum::<usize>();
        for index in (first..self.line.len()).rev() {
            start_of -= self.line[index].text.len();
            let from = if index == first { offset } else { 0 };
            let Some(text) = self.line[index].text.get(from..) else {
                continue;
            };
            // Where the carried part starts, and where the kept part ends.
            let mut cut = None;
            for (at, c) in text.char_indices().rev() {
                if c == ' ' {
                    cut = Some((from + at + 1, from + at));
                    break;
                }
                let end = from + at + c.len_utf8();
                let glued = self.glue.contains(&(start_of + end));
                if !glued && after.is_some_and(|b| can_break(c, b)) {
                    cut = Some((end, end));
                    break;
                }
                after = Some(c);
            }
            let Some((start, end)) = cut else {
                continue;
            };
            let mut carried: Vec<Span> = self.line.drain(index + 1..).collect();
            let span = &mut self.line[index];
            let tail = span.text.split_off(start);
            span.text.truncate(end);
            if !tail.is_empty() {
                let (roles, link) = (span.roles.clone(), span.link);
                carried.insert(
                    0,
                    Span {
                        text: tail,
                        roles,
                        link,
                    },
                );
            }
            let from = start_of + start;
            let glue = self.glue.iter().filter(|&&at| at > from);
            return (carried, glue.map(|at| at - from).collect());
        }
        (Vec::new(), Vec::new())
    }
}

#[cfg(test)]
mod tests {
    use super::pieces;

    #[test]
    fn ideographs_break_anywhere_but_before_closing_punctuation() {
        let cut: Vec<&str> = pieces("遅延（大）です。Redis").collect();
        assert_eq!(cut, ["遅", "延", "（大）", "で", "す。", "Redis"]);
        let cut: Vec<&str> = pieces("👩\u{200D}💻🔥;ok").collect();
        assert_eq!(cut, ["👩\u{200D}💻", "🔥;ok"]);
        assert_eq!(pieces("plain-word").collect::<Vec<_>>(), ["plain-word"]);
        assert_eq!(pieces("바꿈이").collect::<Vec<_>>(), ["바꿈이"]);
    }
}
