//! A provider's JSON answer read whatever its bytes. serde_json refuses invalid UTF-8 and
//! an escaped half of a surrogate pair (`"\ud800"`) anywhere in a document, so one bad
//! title would fail the whole page of incidents: both become U+FFFD instead.

use std::borrow::Cow;

use serde::de::DeserializeOwned;

/// `bytes` as JSON text: invalid UTF-8 and lone surrogate escapes replaced by U+FFFD.
pub fn text(bytes: &[u8]) -> Cow<'_, str> {
    let text = String::from_utf8_lossy(bytes);
    if !text.contains("\\u") {
        return text;
    }
    match without_lone_surrogates(&text) {
        Some(fixed) => Cow::Owned(fixed),
        None => text,
    }
}

/// Decode `bytes` as `T`, after `text` made them readable.
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> serde_json::Result<T> {
    serde_json::from_str(&text(bytes))
}

/// The text with every `\uXXXX` that is half a surrogate pair, alone, as `\ufffd`;
/// `None` when there is none. A backslash only stands in a string, so no string state
/// is tracked: `\\` is skipped as the pair it is.
fn without_lone_surrogates(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut fixed: Option<String> = None;
    let mut copied = 0;
    let mut at = 0;
    while let Some(found) = text[at..].find('\\') {
        let slash = at + found;
        let Some(unit) = escape_at(bytes, slash) else {
            // `\\`, `\"`, `\n`, or a broken escape serde_json will report.
            let next = text[slash + 1..].chars().next();
            at = slash + 1 + next.map_or(0, char::len_utf8);
            continue;
        };
        if !(0xD800..=0xDFFF).contains(&unit) {
            at = slash + 6;
            continue;
        }
        let paired = (0xD800..=0xDBFF).contains(&unit)
            && escape_at(bytes, slash + 6).is_some_and(|low| (0xDC00..=0xDFFF).contains(&low));
        if paired {
            at = slash + 12;
            continue;
        }
        let out = fixed.get_or_insert_with(|| String::with_capacity(text.len()));
        out.push_str(&text[copied..slash]);
        out.push_str("\\ufffd");
        copied = slash + 6;
        at = copied;
    }
    let mut out = fixed?;
    out.push_str(&text[copied..]);
    Some(out)
}

/// The code unit of a `\uXXXX` escape starting at `at`, if one does.
fn escape_at(bytes: &[u8], at: usize) -> Option<u32> {
    let escape = bytes.get(at..at + 6)?;
    if escape[0] != b'\\' || escape[1] != b'u' {
        return None;
    }
    let hex = std::str::from_utf8(&escape[2..]).ok()?;
    u32::from_str_radix(hex, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_and_lone_surrogates_become_replacement_characters() {
        let titles: Vec<String> =
            decode(b"[\"a\xff\xfeb\", \"c\\ud800d\", \"\\udc00\", \"e\\ud83d\"]").unwrap();
        assert_eq!(
            titles,
            ["a\u{FFFD}\u{FFFD}b", "c\u{FFFD}d", "\u{FFFD}", "e\u{FFFD}"]
        );
        assert!(serde_json::from_slice::<Vec<String>>(b"[\"\\ud800\"]").is_err());
    }

    #[test]
    fn pairs_escaped_backslashes_and_clean_text_are_left_alone() {
        let json = r#"["\ud83d\udc69", "\\ud800", "\u0041\n"]"#;
        assert!(matches!(text(json.as_bytes()), Cow::Borrowed(_)));
        let decoded: Vec<String> = decode(json.as_bytes()).unwrap();
        assert_eq!(decoded, ["👩", "\\ud800", "A\n"]);
        // A cut escape is not ours to mend: serde_json says what is wrong.
        assert!(decode::<String>(br#""\ud8""#).is_err());
        assert!(decode::<String>("\"\\é\"".as_bytes()).is_err());
    }
}
