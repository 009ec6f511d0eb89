//! Whether an action sent before pagerdeck was killed already reached the source: asked
//! before it is sent again, so a resume does it exactly once.

use chrono::{DateTime, Utc};

use super::{ProviderError, Source, Verb};
use crate::incident::IncidentKey;

/// The action being checked: its journal op id (a mark some writes carry) and when it
/// was asked for (what came before it at the source is not its doing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Asked {
    pub op: u64,
    pub at: DateTime<Utc>,
}

/// What the source says of an action that may have been sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Applied {
    /// Done already (by us, or by someone else: either way, sending it changes nothing).
    Yes,
    /// Not done: safe to send.
    No,
    /// The source cannot say (its API keeps no trace to read back): not sent blind; the
    /// reason tells the user what to check.
    Unknown(String),
}

/// The check most sources can make from what they already read: the incident's status
/// for the status verbs, its notes for a note. Escalations, reassignments and responder
/// requests leave no trace a generic read can match, so they are `Unknown` unless the
/// source says better.
pub async fn from_status_and_notes<S: Source + ?Sized>(
    source: &S,
    key: &IncidentKey,
    verb: &Verb,
) -> Result<Applied, ProviderError> {
    match verb {
        Verb::Acknowledge { .. } | Verb::Unacknowledge | Verb::Resolve | Verb::Snooze { .. } => {
            let incident = source
                .incident(key)
                .await?
                .ok_or_else(|| ProviderError::NotFound(key.clone()))?;
            // Pointless now means done: a second ack, unack or resolve would change
            // nothing. A snooze sent twice only restarts the same wait, so `No` is safe.
            Ok(match verb.pointless_on(&incident) {
                Some(_) => Applied::Yes,
                None => Applied::No,
            })
        }
        Verb::Note { text } => {
            let history = source.history(key).await?;
            let same = |note: &super::Note| note.text.trim() == text.trim();
            Ok(match history.notes.iter().any(same) {
                true => Applied::Yes,
                false => Applied::No,
            })
        }
        Verb::Escalate { .. } | Verb::Reassign { .. } | Verb::AddResponder { .. } => {
            Ok(Applied::Unknown(cannot_tell(source.kind(), verb, key)))
        }
    }
}

/// The reason given when a source cannot say whether an action arrived.
pub fn cannot_tell(kind: &str, verb: &Verb, key: &IncidentKey) -> String {
    format!(
        "pagerdeck stopped after sending it and {kind} cannot say whether it arrived: check {key}, and retry if it did not ({})",
        verb.describe()
    )
}
