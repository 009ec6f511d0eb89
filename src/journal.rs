//! Append-only journals (JSON lines in the data dir, each record flushed to disk): the
//! actions, written before they are sent, and the playbook steps checked.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::incident::IncidentKey;
use crate::providers::Verb;

pub mod outstanding;
pub use outstanding::{Outstanding, outstanding};

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
}

pub struct Journal {
    path: PathBuf,
    file: File,
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
            file,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Append one record and wait until it is on disk.
    pub fn append<T: Serialize>(&mut self, record: &T) -> io::Result<()> {
        let mut line = serde_json::to_vec(record).map_err(io::Error::other)?;
        line.push(b'\n');
        self.file.write_all(&line)?;
        self.file.sync_data()
    }
}

/// Read every whole record; a torn last line (power loss) is skipped, not fatal.
pub fn read<T: DeserializeOwned>(path: &Path) -> io::Result<Vec<T>> {
    let text = std::fs::read_to_string(path)?;
    Ok(text
        .lines()
        .filter_map(|line| serde_json::from_str(line).ok())
        .collect())
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
