//! `--json` output that is safe to print on a terminal. serde_json escapes only what JSON
//! requires (`"`, `\` and C0), so DEL, C1 controls (an 8-bit CSI), bidi and zero-width
//! characters would reach the terminal raw when a user runs a command without `| jq`.
//! Here they are written as `\uXXXX` too: the parsed values are unchanged.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::{Formatter, PrettyFormatter};

/// `value` as pretty JSON, with every character the sanitiser refuses escaped.
pub fn write_pretty<W: Write, T: Serialize + ?Sized>(out: W, value: &T) -> io::Result<()> {
    let mut serializer = serde_json::Serializer::with_formatter(out, Escaping::default());
    value.serialize(&mut serializer).map_err(io::Error::from)
}

#[derive(Default)]
struct Escaping<'a>(PrettyFormatter<'a>);

impl Formatter for Escaping<'_> {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut plain = 0;
        for (at, c) in fragment.char_indices() {
            if !crate::sanitize::is_unsafe(c) {
                continue;
            }
            writer.write_all(&fragment.as_bytes()[plain..at])?;
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                write!(writer, "\\u{unit:04x}")?;
            }
            plain = at + c.len_utf8();
        }
        writer.write_all(&fragment.as_bytes()[plain..])
    }

    // The rest is PrettyFormatter's layout.
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_could_steer_is_escaped_and_reads_back_the_same() {
        let text = "a\u{9b}31m\u{7f}\u{202E}b\u{200B}\u{E0041}\x1b[0m \"q\" é 👩\u{200D}💻";
        let mut out = Vec::new();
        write_pretty(&mut out, &serde_json::json!({ "title": [text] })).unwrap();
        let printed = String::from_utf8(out).unwrap();
        assert!(
            !printed
                .chars()
                .any(|c| crate::sanitize::is_unsafe(c) && c != '\n'),
            "{printed:?}"
        );
        assert!(printed.contains("\\u009b31m\\u007f\\u202eb\\u200b\\udb40\\udc41\\u001b[0m"));
        assert!(printed.contains("é 👩\\u200d💻"), "{printed}");
        let back: serde_json::Value = serde_json::from_str(&printed).unwrap();
        assert_eq!(back["title"][0], text);
        let pretty = serde_json::to_string_pretty(&serde_json::json!({ "a": [1] })).unwrap();
        let mut ours = Vec::new();
        write_pretty(&mut ours, &serde_json::json!({ "a": [1] })).unwrap();
        assert_eq!(String::from_utf8(ours).unwrap(), pretty, "the same layout");
    }
}
