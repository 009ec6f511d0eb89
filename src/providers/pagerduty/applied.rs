//! Whether a PagerDuty write sent before a kill arrived, from the incident as it is now:
//! its assignments, its policy, its responders and responder requests, the note an
//! escalation leaves and the escalation PagerDuty logs.

use chrono::{DateTime, TimeDelta, Utc};

use super::verbs::escalation_record;
use super::{EscalationRoute, PagerDuty, incident_path, wire};
use crate::incident::IncidentKey;
use crate::providers::applied::{self, Applied};
use crate::providers::{ProviderError, ResponderKind, Verb};

/// How far PagerDuty's clock may be behind ours: an escalation it logs this long before
/// the action was asked still counts as the action's.
const CLOCK_SKEW: TimeDelta = TimeDelta::seconds(30);

impl PagerDuty {
    pub(super) async fn applied(
        &self,
        key: &IncidentKey,
        verb: &Verb,
        asked_at: DateTime<Utc>,
    ) -> Result<Applied, ProviderError> {
        let path = incident_path(key)?;
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
                    // A level's trace is the escalate log entry PagerDuty writes for it;
                    // one from before the action was asked is someone else's doing.
                    _ => {
                        let since = asked_at - CLOCK_SKEW;
                        let entries = self.log_entries(&path).await?;
                        found(entries.iter().any(|entry| {
                            entry.kind == "escalate_log_entry"
                                && entry.created_at.is_some_and(|at| at >= since)
                        }))
                    }
                }
            }
            Verb::AddResponder { to, .. } if to.kind == ResponderKind::User => {
                let incident = self.incident_as_is(&path).await?;
                let asked = incident.incidents_responders.iter();
                found(asked.map(|r| r.user.as_ref()).any(|user| is(user, &to.id)))
            }
            // A request to a policy (or a user not yet listed) is found among the
            // incident's responder requests, made since it was asked, to that target.
            Verb::AddResponder { to, .. } => {
                let since = asked_at - CLOCK_SKEW;
                let incident = self.incident_as_is(&path).await?;
                found(incident.responder_requests.iter().any(|request| {
                    request.requested_at.is_some_and(|at| at >= since)
                        && request
                            .responder_request_targets
                            .iter()
                            .any(|t| t.responder_request_target.id == to.id)
                }))
            }
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
