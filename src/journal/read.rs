//! Reading a journal back: every whole record, and a warning naming the lines that could
//! not be read (a line cut short by a power loss, garbage) instead of refusing the file.

use std::io;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

/// What a journal held.
#[derive(Debug, Clone, PartialEq)]
pub struct Readout<T> {
    pub records: Vec<T>,
    /// Lines skipped, in file order.
    pub unreadable: Vec<Unreadable>,
    path: PathBuf,
    /// The number of the file's last line with anything on it.
    last_line: usize,
}

/// One line that is no record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unreadable {
    /// From 1, as an editor counts.
    pub line: usize,
    /// The line stops in the middle of a record (a write cut off), rather than being
    /// something else entirely.
    pub cut_short: bool,
}

/// Every whole record; blank lines are skipped silently, unreadable ones are counted.
/// Only a file that cannot be read at all is an error.
pub fn read_checked<T: DeserializeOwned>(path: &Path) -> io::Result<Readout<T>> {
    // Bytes, not a string: one bad byte spoils its line, not the file.
    let bytes = std::fs::read(path)?;
    let mut readout = Readout {
        records: Vec::new(),
        unreadable: Vec::new(),
        path: path.to_path_buf(),
        last_line: 0,
    };
    for (index, line) in bytes.split(|&b| b == b'\n').enumerate() {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        readout.last_line = index + 1;
        match serde_json::from_slice(line) {
            Ok(record) => readout.records.push(record),
            Err(error) => readout.unreadable.push(Unreadable {
                line: index + 1,
                cut_short: error.is_eof(),
            }),
        }
    }
    Ok(readout)
}

/// The records alone, any damage logged: for readers with nobody to tell.
pub fn read<T: DeserializeOwned>(path: &Path) -> io::Result<Vec<T>> {
    let readout = read_checked(path)?;
    if let Some(warning) = readout.warning() {
        tracing::warn!("{warning}");
    }
    Ok(readout.records)
}

impl<T> Readout<T> {
    /// What to tell the user when lines were skipped: which, why, and what was kept.
    pub fn warning(&self) -> Option<String> {
        let path = self.path.display();
        let records = self.records.len();
        let kept = match records {
            1 => "1 record".to_string(),
            n => format!("{n} records"),
        };
        match self.unreadable.as_slice() {
            [] => None,
            [only] if only.cut_short && only.line == self.last_line => Some(format!(
                "journal {path}: line {} is cut short (power loss?): read the {kept} before it",
                only.line
            )),
            lines => {
                let why = if lines.iter().all(|l| l.cut_short) {
                    "cut short: power loss?"
                } else if lines.iter().any(|l| l.cut_short) {
                    "cut short or not a record"
                } else {
                    "not a record"
                };
                let numbers = numbers(lines);
                let (noun, verb) = match lines.len() {
                    1 => ("line", "was"),
                    _ => ("lines", "were"),
                };
                Some(format!(
                    "journal {path}: {noun} {numbers} could not be read ({why}) and {verb} skipped: read the other {kept}"
                ))
            }
        }
    }
}

/// "12, 41 and 3 more": the first few line numbers.
fn numbers(lines: &[Unreadable]) -> String {
    const SHOWN: usize = 5;
    let listed: Vec<String> = lines
        .iter()
        .take(SHOWN)
        .map(|l| l.line.to_string())
        .collect();
    let mut text = listed.join(", ");
    if lines.len() > SHOWN {
        text.push_str(&format!(" and {} more", lines.len() - SHOWN));
    }
    text
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;
    use crate::journal::{Journal, Record};

    fn confirmed(op: u64) -> Record {
        let at = chrono::DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        Record::Confirmed { at, op, note: None }
    }

    /// A journal of `count` confirmed records, then `tail` written raw after them.
    fn journal_with(count: u64, tail: &[u8]) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.jsonl");
        let mut journal = Journal::open(&path).unwrap();
        for op in 1..=count {
            journal.append(&confirmed(op)).unwrap();
        }
        std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap()
            .write_all(tail)
            .unwrap();
        (dir, path)
    }

    #[test]
    fn a_torn_last_line_is_read_up_to_with_a_warning() {
        let (_dir, path) = journal_with(40, br#"{"state":"confirmed","at":"2027-01"#);
        let readout = read_checked::<Record>(&path).unwrap();
        assert_eq!(readout.records.len(), 40);
        assert_eq!(readout.records[39], confirmed(40));
        let warning = readout.warning().unwrap();
        assert_eq!(
            warning,
            format!(
                "journal {}: line 41 is cut short (power loss?): read the 40 records before it",
                path.display()
            )
        );
    }

    #[test]
    fn garbage_in_the_middle_is_skipped_and_named_and_the_rest_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.jsonl");
        let good = serde_json::to_string(&confirmed(1)).unwrap();
        let text = format!("{good}\nnot json at all\n\n{good}\n\u{0}\u{ff}garbage\n{good}\n");
        let mut bytes = text.into_bytes();
        // Not even UTF-8: the line is lost, not the file.
        bytes.extend_from_slice(b"\xff\xfe\n");
        bytes.extend_from_slice(good.as_bytes());
        std::fs::write(&path, bytes).unwrap();
        let readout = read_checked::<Record>(&path).unwrap();
        assert_eq!(readout.records, vec![confirmed(1); 4]);
        let lines: Vec<usize> = readout.unreadable.iter().map(|l| l.line).collect();
        assert_eq!(lines, [2, 5, 7]);
        let warning = readout.warning().unwrap();
        assert!(
            warning.ends_with(
                "lines 2, 5, 7 could not be read (not a record) and were skipped: read the other 4 records"
            ),
            "{warning}"
        );
    }

    #[test]
    fn a_whole_journal_has_no_warning() {
        let (_dir, path) = journal_with(3, b"");
        let readout = read_checked::<Record>(&path).unwrap();
        assert_eq!(readout.records.len(), 3);
        assert_eq!(readout.warning(), None);
    }

    #[test]
    fn an_append_after_a_torn_line_starts_on_a_new_line_and_stays_readable() {
        let (_dir, path) = journal_with(2, br#"{"state":"pend"#);
        let mut journal = Journal::open(&path).unwrap();
        journal.append(&confirmed(3)).unwrap();
        journal.append(&confirmed(4)).unwrap();
        drop(journal);
        let readout = read_checked::<Record>(&path).unwrap();
        assert_eq!(
            readout.records,
            [confirmed(1), confirmed(2), confirmed(3), confirmed(4)]
        );
        // The torn line stays where it was, named, no longer the last.
        assert_eq!(
            readout.unreadable,
            [Unreadable {
                line: 3,
                cut_short: true
            }]
        );
        assert!(
            readout
                .warning()
                .unwrap()
                .contains("line 3 could not be read (cut short")
        );
        // Opening a whole file again adds no blank line.
        let before = std::fs::read(&path).unwrap();
        Journal::open(&path).unwrap().append(&confirmed(5)).unwrap();
        let after = std::fs::read(&path).unwrap();
        assert_eq!(
            &after[before.len()..],
            format!("{}\n", serde_json::to_string(&confirmed(5)).unwrap()).as_bytes()
        );
    }

    #[test]
    fn a_missing_journal_is_an_error_of_its_own_kind() {
        let dir = tempfile::tempdir().unwrap();
        let error = read_checked::<Record>(&dir.path().join("none.jsonl")).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::NotFound);
    }
}
