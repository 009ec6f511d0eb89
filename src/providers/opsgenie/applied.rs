//! Whether an Opsgenie write sent before a kill arrived, from the alert as it is now: its
//! owner for a reassignment, its notes for the hand-over an escalation or a responder
//! request carried as its note.

use super::Opsgenie;
use super::wire::AlertNote;
use crate::incident::IncidentKey;
use crate::providers::applied::{self, Applied};
use crate::providers::http::segment;
use crate::providers::{ProviderError, Source, Verb};

impl Opsgenie {
    pub(super) async fn applied(
        &self,
        key: &IncidentKey,
        verb: &Verb,
    ) -> Result<Applied, ProviderError> {
        match verb {
            // Assigning the owner it has already changes nothing, so a "no" where the
            // owner is named another way (an id, not the username) is safe to send.
            Verb::Reassign { to } => {
                let owner = self.incident(key).await?.and_then(|alert| alert.assignee);
                Ok(match owner {
                    Some(owner) if owner.eq_ignore_ascii_case(to) => Applied::Yes,
                    _ => Applied::No,
                })
            }
            // The hand-over travels as the action's note, which Opsgenie keeps among the
            // alert's notes: found there, the action arrived.
            Verb::Escalate {
                message: Some(note),
                ..
            }
            | Verb::AddResponder { message: note, .. }
                if !note.trim().is_empty() =>
            {
                let path = format!("/v2/alerts/{}", segment(&key.id));
                let notes = self.notes(&path).await?;
                let same = |n: &AlertNote| n.note.as_deref().map(str::trim) == Some(note.trim());
                let carried = notes.iter().any(same);
                Ok(if carried { Applied::Yes } else { Applied::No })
            }
            _ => applied::from_status_and_notes(self, key, verb).await,
        }
    }
}
