//! Whether a PagerDuty write sent before a kill arrived, from the incident as it is now:
//! its assignments, its policy, its responders, the note an escalation leaves.

use super::verbs::escalation_record;
use super::{EscalationRoute, PagerDuty, incident_path, wire};
use crate::incident::IncidentKey;
use crate::providers::applied::{self, Applied, cannot_tell};
use crate::providers::{ProviderError, ResponderKind, Verb};

impl PagerDuty {
    pub(super) async fn applied(
        &self,
        key: &IncidentKey,
        verb: &Verb,
    ) -> Result<Applied, ProviderError> {
        let path = incident_path(key)?;
        let unknown = || Ok(Applied::Unknown(cannot_tell("PagerDuty", verb, key)));
        let found = |yes: bool| Ok(if yes { Applied::Yes } else { Applied::No });
        match verb {
            Verb::Reassign { to } => {
                let incident = self.incident_as_is(&path).await?;
                found(
                    incident
                        .assignments
                        .iter()
                        .any(|a| is(a.assignee.as_ref(), to)),
                )
            }
            Verb::Escalate { to, message, .. } => {
                let record = escalation_record(to, message.as_deref());
                let history = self.records(&path).await?;
                if history.notes.iter().any(|n| n.text.trim() == record.trim()) {
                    return Ok(Applied::Yes);
                }
                match self.route_for(verb)? {
                    EscalationRoute::Reassign(policy) => {
                        let incident = self.incident_as_is(&path).await?;
                        found(is(incident.escalation_policy.as_ref(), &policy))
                    }
                    // A level leaves no trace but its note, which comes after it: without
                    // the note, it may or may not have been paged.
                    _ => unknown(),
                }
            }
            Verb::AddResponder { to, .. } if to.kind == ResponderKind::User => {
                let incident = self.incident_as_is(&path).await?;
                let asked = incident.incidents_responders.iter();
                found(asked.map(|r| r.user.as_ref()).any(|user| is(user, &to.id)))
            }
            Verb::AddResponder { .. } => unknown(),
            _ => applied::from_status_and_notes(self, key, verb).await,
        }
    }

    /// The incident as PagerDuty answers it, assignments and responders included.
    async fn incident_as_is(&self, path: &str) -> Result<wire::Incident, ProviderError> {
        let answer: wire::IncidentAnswer = self.get(path, &[]).await?;
        Ok(answer.incident)
    }
}

fn is(reference: Option<&wire::Reference>, id: &str) -> bool {
    reference.is_some_and(|r| r.id == id)
}
