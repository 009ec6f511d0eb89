//! Journaling a not-actionable mark (`!`): appended to the actions journal off the loop
//! and flushed to disk, like a step; a write that fails takes the mark back off the screen.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use chrono::Utc;
use tokio::sync::mpsc;

use crate::event::Event;
use crate::in_flight::Token;
use crate::incident::IncidentKey;
use crate::journal::{IncidentFacts, Journal, Record};

/// The session's actions journal opened for marks, at the first one (most sessions never
/// mark). The session's: a drill's marks stay in the drill's, out of the real report.
/// A handle of its own beside the outbox's: both append whole lines in one write each.
#[derive(Clone)]
pub struct MarksJournal {
    path: PathBuf,
    /// Who marks: the user.
    by: String,
    journal: Arc<Mutex<Option<Journal>>>,
}

impl MarksJournal {
    pub fn new(path: PathBuf, by: &str) -> Self {
        Self {
            path,
            by: by.to_string(),
            journal: Arc::new(Mutex::new(None)),
        }
    }

    /// Write the mark off the loop; if it cannot be, the state hears `Event::MarkNotSaved`.
    pub fn save(
        &self,
        (key, reason, incident): (IncidentKey, String, Option<IncidentFacts>),
        events: &mpsc::UnboundedSender<Event>,
        token: Token,
    ) {
        let (this, events) = (self.clone(), events.clone());
        tokio::task::spawn_blocking(move || {
            let _in_flight = token;
            let record = Record::NotActionable {
                at: Utc::now(),
                key: key.clone(),
                reason: reason.clone(),
                by: this.by.clone(),
                incident,
            };
            if let Err(error) = this.append(&record) {
                let _ = events.send(Event::MarkNotSaved { key, reason, error });
            }
        });
    }

    fn append(&self, record: &Record) -> Result<(), String> {
        let mut slot = self.journal.lock().unwrap_or_else(|e| e.into_inner());
        if slot.is_none() {
            *slot = Some(Journal::open_actions(&self.path)?);
        }
        let Some(journal) = slot.as_mut() else {
            return Err(format!("cannot open journal {}", self.path.display()));
        };
        let result = journal
            .append(record)
            .map_err(|e| format!("cannot write {}: {e}", journal.path().display()));
        if result.is_err() {
            // Opened again at the next mark: the disk may be back by then.
            *slot = None;
        }
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::in_flight::InFlight;

    fn asked(reason: &str) -> (IncidentKey, String, Option<IncidentFacts>) {
        (IncidentKey::new("demo", "INC-1042"), reason.into(), None)
    }

    #[tokio::test]
    async fn a_mark_is_journaled_and_one_that_cannot_be_is_reported_back() {
        let dir = tempfile::tempdir().unwrap();
        let (events, mut inbox) = mpsc::unbounded_channel();
        let writes = InFlight::new();
        let path = dir.path().join("journal.jsonl");
        MarksJournal::new(path.clone(), "Ana Ops").save(asked("flaps"), &events, writes.token());
        // A folder where the journal should be: it cannot be opened.
        let blocked = dir.path().join("blocked");
        std::fs::create_dir(&blocked).unwrap();
        MarksJournal::new(blocked, "Ana Ops").save(asked("noise"), &events, writes.token());
        writes.wait().await;
        let records = crate::journal::read::<Record>(&path).unwrap();
        assert!(
            matches!(&records[..], [Record::NotActionable { reason, by, .. }] if reason == "flaps" && by == "Ana Ops"),
            "{records:?}"
        );
        drop(events);
        let Some(Event::MarkNotSaved { key, reason, error }) = inbox.recv().await else {
            panic!("no report");
        };
        assert_eq!((key.id.as_str(), reason.as_str()), ("INC-1042", "noise"));
        assert!(error.contains("cannot open journal"), "{error}");
        assert!(
            inbox.recv().await.is_none(),
            "the written one is not reported"
        );
    }
}
