//! Playbook progress: which steps of which playbook were done for which incident, kept in
//! an append-only journal (`steps.jsonl` in the data dir) so it survives a restart.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::incident::IncidentKey;

/// One step checked or unchecked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepRecord {
    pub at: DateTime<Utc>,
    pub incident: IncidentKey,
    pub playbook: String,
    /// The playbook's text when the step was checked, to notice later edits.
    pub hash: String,
    /// The step's position in its section, from 0.
    pub step: usize,
    pub text: String,
    pub done: bool,
    pub by: String,
}

/// The steps done for one incident and playbook.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Progress {
    pub done: BTreeMap<usize, DateTime<Utc>>,
    /// The playbook's hash at the last check.
    pub hash: String,
}

/// Progress per (incident, playbook path).
pub type ProgressBook = HashMap<(IncidentKey, String), Progress>;

pub fn journal_path(data_dir: &Path) -> PathBuf {
    data_dir.join("steps.jsonl")
}

/// Replay records in order: the last word on each step wins.
pub fn fold(records: impl IntoIterator<Item = StepRecord>) -> ProgressBook {
    let mut book = ProgressBook::new();
    for record in records {
        apply(&mut book, &record);
    }
    book
}

pub fn apply(book: &mut ProgressBook, record: &StepRecord) {
    let progress = book
        .entry((record.incident.clone(), record.playbook.clone()))
        .or_default();
    if record.done {
        progress.done.insert(record.step, record.at);
    } else {
        progress.done.remove(&record.step);
    }
    progress.hash.clone_from(&record.hash);
}

/// A stable fingerprint of a playbook's text (FNV-1a): the same across runs and builds,
/// unlike std's hasher.
pub fn body_hash(body: &str) -> String {
    let hash = body.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{hash:016x}")
}

/// Load the book, with a warning to show when lines were skipped (a torn last line); a
/// missing file is an empty book, an unreadable one an error to show.
pub fn load(path: &Path) -> Result<(ProgressBook, Option<String>), String> {
    match crate::journal::read_checked::<StepRecord>(path) {
        Ok(readout) => {
            let warning = readout.warning().map(|w| format!("step progress: {w}"));
            Ok((fold(readout.records), warning))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok((ProgressBook::new(), None)),
        Err(e) => Err(format!("cannot read step progress {}: {e}", path.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::Journal;

    fn record(step: usize, done: bool, minute: i64) -> StepRecord {
        StepRecord {
            at: DateTime::from_timestamp(1_800_000_000 + minute * 60, 0).unwrap(),
            incident: IncidentKey::new("demo", "INC-1"),
            playbook: "pay/api.md".into(),
            hash: body_hash("v1"),
            step,
            text: format!("step {step}"),
            done,
            by: "Ana".into(),
        }
    }

    #[test]
    fn progress_survives_a_restart_and_a_torn_last_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = journal_path(dir.path());
        let mut journal = Journal::open(&path).unwrap();
        for r in [
            record(0, true, 1),
            record(1, true, 2),
            record(0, false, 3),
            record(2, true, 4),
        ] {
            journal.append(&r).unwrap();
        }
        drop(journal);
        // Power lost in the middle of a line.
        std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .map(|mut f| std::io::Write::write_all(&mut f, b"{\"at\":\"20"))
            .unwrap()
            .unwrap();
        let (book, warning) = load(&path).unwrap();
        assert!(
            warning
                .unwrap()
                .contains("line 5 is cut short (power loss?)"),
            "the user is told"
        );
        let progress = &book[&(IncidentKey::new("demo", "INC-1"), "pay/api.md".to_string())];
        assert_eq!(progress.done.keys().copied().collect::<Vec<_>>(), [1, 2]);
        assert_eq!(progress.hash, body_hash("v1"));
        assert_eq!(
            load(&dir.path().join("none.jsonl")).unwrap(),
            (ProgressBook::new(), None)
        );
    }

    #[test]
    fn the_hash_is_stable_and_sensitive() {
        assert_eq!(body_hash(""), "cbf29ce484222325");
        assert_ne!(body_hash("a"), body_hash("b"));
    }
}
