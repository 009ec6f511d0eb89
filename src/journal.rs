//! Append-only journals (JSON lines in the data dir, each record flushed to disk): the
//! actions, written before they are sent, and the playbook steps checked.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::incident::IncidentKey;
use crate::providers::Verb;

mod facts;
pub mod outstanding;
pub use facts::IncidentFacts;
pub use outstanding::{Outstanding, outstanding};
mod read;

pub use read::{Readout, Unreadable, read, read_checked};

/// One line of the journal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Record {
    /// The user asked for `verb`; not yet known to the source.
    Pending {
        at: DateTime<Utc>,
        op: u64,
        key: IncidentKey,
        #[serde(flatten)]
        verb: Verb,
        by: String,
        /// Whom the incident was with then (lines written before it read as unknown).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        assignee_then: Option<String>,
        /// What the incident was (lines written before it have none).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        incident: Option<IncidentFacts>,
    },
    /// The request went out (the first attempt): from here on, the source may have
    /// acted even if no answer came back, so a resume checks before it sends again.
    Sent { at: DateTime<Utc>, op: u64 },
    Confirmed {
        at: DateTime<Utc>,
        op: u64,
        /// How it was confirmed, when not by the source's answer to sending it
        /// ("already done at the source", found so by a resume).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    Failed {
        at: DateTime<Utc>,
        op: u64,
        reason: String,
    },
    /// The user gave up on a pending or failed action: it is not sent again.
    Dropped { at: DateTime<Utc>, op: u64 },
    /// The user marked an incident "not actionable" (`!`): the page was noise. Kept
    /// here only, never sent; the hygiene report and drills read it.
    NotActionable {
        at: DateTime<Utc>,
        key: IncidentKey,
        reason: String,
        by: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        incident: Option<IncidentFacts>,
    },
}

pub struct Journal {
    path: PathBuf,
    file: File,
    /// The file ends in a torn line (power loss): the next record starts on a new line,
    /// so it is not glued onto the torn one and lost with it.
    torn_end: bool,
}

impl Journal {
    /// Open (creating the folder and file) for appending.
    pub fn open(path: &Path) -> io::Result<Self> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let file = OpenOptions::new().create(true).append(true).open(path)?;
        Ok(Self {
            path: path.to_path_buf(),
            torn_end: !ends_whole(path),
            file,
        })
    }

    /// Open the actions journal, or say why not in the words the user sees: the outbox
    /// then fails every action with it, none is reported done.
    pub fn open_actions(path: &Path) -> Result<Self, String> {
        Self::open(path).map_err(|e| format!("cannot open journal {}: {e}", path.display()))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Append one record and wait until it is on disk.
    pub fn append<T: Serialize>(&mut self, record: &T) -> io::Result<()> {
        let mut line = Vec::new();
        if self.torn_end {
            line.push(b'\n');
        }
        serde_json::to_writer(&mut line, record).map_err(io::Error::other)?;
        line.push(b'\n');
        self.file.write_all(&line)?;
        self.file.sync_data()?;
        self.torn_end = false;
        Ok(())
    }
}

/// Whether the file is empty or ends in a newline. When that cannot be told (no read
/// permission, not a regular file), say no: a blank line costs nothing, a glued one a
/// record.
fn ends_whole(path: &Path) -> bool {
    let last_byte = || -> io::Result<Option<u8>> {
        let mut file = File::open(path)?;
        if !file.metadata()?.is_file() {
            return Ok(None);
        }
        if file.seek(SeekFrom::End(0))? == 0 {
            return Ok(Some(b'\n'));
        }
        file.seek(SeekFrom::End(-1))?;
        let mut byte = [0];
        file.read_exact(&mut byte)?;
        Ok(Some(byte[0]))
    };
    matches!(last_byte(), Ok(Some(b'\n')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_round_trip_through_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/journal.jsonl");
        let mut journal = Journal::open(&path).unwrap();
        let at = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let pending = Record::Pending {
            at,
            op: 7,
            key: IncidentKey::new("demo", "INC-1"),
            verb: Verb::Escalate {
                to: "Eng Cap".into(),
                message: Some("checkout-api is down".into()),
                // The record says which way it went.
                route: Some("Opsgenie: escalation \"Payments\", the hand-over as its note".into()),
                playbook_route: Some(crate::providers::route::RouteOverride::Opsgenie(
                    crate::config::OpsgenieRoute {
                        escalation: "Payments".into(),
                    },
                )),
            },
            by: "Ana Ops".into(),
            assignee_then: Some("Ana Ops".into()),
            incident: None,
        };
        journal.append(&pending).unwrap();
        journal
            .append(&Record::Confirmed {
                at,
                op: 7,
                note: None,
            })
            .unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.lines()
                .next()
                .unwrap()
                .contains(r#""verb":"escalate","to":"Eng Cap""#)
        );
        assert_eq!(
            read::<Record>(&path).unwrap(),
            vec![
                pending,
                Record::Confirmed {
                    at,
                    op: 7,
                    note: None
                }
            ]
        );
    }
}
