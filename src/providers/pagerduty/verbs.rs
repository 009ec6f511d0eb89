//! The verbs as PagerDuty writes: `PUT /incidents/{id}` for status, assignment and
//! escalation, and the snooze, notes and responder-request endpoints. Every write says
//! who it is `From`.

use reqwest::Method;
use serde::Serialize;

use super::{EscalationRoute, NO_ROUTE, PagerDuty};
use crate::providers::route::RouteOverride;
use crate::providers::{ProviderError, Responder, ResponderKind, Verb, format_duration};

/// PagerDuty snoozes for 1 second to 7 days.
const SNOOZE_SECONDS: std::ops::RangeInclusive<u64> = 1..=7 * 24 * 3600;

/// The note an escalation leaves (and a responder request's message): the hand-over. It
/// is written last, so finding it means the escalation went through.
pub(super) fn escalation_record(to: &str, message: Option<&str>) -> String {
    match message.map(str::trim).filter(|m| !m.is_empty()) {
        Some(message) => format!("Escalated to {to} from pagerdeck:\n\n{message}"),
        None => format!("Escalated to {to} from pagerdeck"),
    }
}

impl PagerDuty {
    /// Carry out `verb` on the incident at `path` (its capability already checked).
    pub(super) async fn carry_out(&self, path: &str, verb: &Verb) -> Result<(), ProviderError> {
        match verb {
            Verb::Acknowledge { note } => {
                self.update(path, status("acknowledged")).await?;
                match note.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
                    Some(note) => follow_up("acknowledged", self.add_note(path, note).await),
                    None => Ok(()),
                }
            }
            // The spec allows putting an incident back to triggered: it pages again.
            Verb::Unacknowledge => self.update(path, status("triggered")).await,
            Verb::Resolve => self.update(path, status("resolved")).await,
            Verb::Snooze { seconds } => {
                if !SNOOZE_SECONDS.contains(seconds) {
                    return Err(ProviderError::Unsupported(format!(
                        "PagerDuty snoozes for 1 second to 7 days, not {}",
                        format_duration(*seconds)
                    )));
                }
                let snooze = Snooze { duration: *seconds };
                self.write(Method::POST, &format!("{path}/snooze"), &snooze)
                    .await
            }
            Verb::Note { text } => self.add_note(path, text).await,
            Verb::Reassign { to } => {
                let change = Change {
                    assignments: vec![Assignment {
                        assignee: Target::user(to),
                    }],
                    ..Change::new()
                };
                self.update(path, change).await
            }
            Verb::Escalate { to, message, .. } => {
                let route = self.route_for(verb)?;
                self.escalate(path, &route, to, message.as_deref()).await
            }
            Verb::AddResponder { to, message } => {
                self.request_responder(path, target(to)?, message).await
            }
        }
    }

    /// The route `escalation` takes: its playbook's own, else the configured one.
    pub(super) fn route_for(&self, escalation: &Verb) -> Result<EscalationRoute, ProviderError> {
        match escalation {
            Verb::Escalate {
                playbook_route: Some(RouteOverride::Pagerduty(route)),
                ..
            } => EscalationRoute::from_config(route).map_err(|reason| {
                ProviderError::Unsupported(format!("the playbook's route: {reason}"))
            }),
            _ => self
                .settings
                .escalation
                .clone()
                .ok_or_else(|| ProviderError::Unsupported(NO_ROUTE.into())),
        }
    }

    /// Level two by `route`; a note keeps the record of who asked for it.
    async fn escalate(
        &self,
        path: &str,
        route: &EscalationRoute,
        to: &str,
        message: Option<&str>,
    ) -> Result<(), ProviderError> {
        let record = escalation_record(to, message);
        match route {
            EscalationRoute::Level(level) => self.escalate_to_level(path, *level).await?,
            EscalationRoute::NextLevel => {
                let level = self.next_level(path).await?;
                self.escalate_to_level(path, level).await?;
            }
            EscalationRoute::Reassign(policy) => {
                let change = Change {
                    escalation_policy: Some(Target::policy(policy)),
                    ..Change::new()
                };
                self.update(path, change).await?;
            }
            EscalationRoute::ResponderRequest(policy) => {
                self.request_responder(path, Target::policy(policy), &record)
                    .await?;
            }
        }
        follow_up("escalated", self.add_note(path, &record).await)
    }

    async fn escalate_to_level(&self, path: &str, level: u32) -> Result<(), ProviderError> {
        let change = Change {
            escalation_level: Some(level),
            ..Change::new()
        };
        self.update(path, change).await
    }

    async fn request_responder(
        &self,
        path: &str,
        target: Target<'_>,
        message: &str,
    ) -> Result<(), ProviderError> {
        let requester_id = self.requester_id().await?;
        let request = ResponderRequest {
            requester_id: &requester_id,
            message,
            responder_request_targets: vec![RequestTarget {
                responder_request_target: target,
            }],
        };
        let path = format!("{path}/responder_requests");
        self.write(Method::POST, &path, &request).await
    }

    async fn add_note(&self, path: &str, text: &str) -> Result<(), ProviderError> {
        let note = NoteBody {
            note: NoteContent { content: text },
        };
        self.write(Method::POST, &format!("{path}/notes"), &note)
            .await
    }

    async fn update(&self, path: &str, change: Change<'_>) -> Result<(), ProviderError> {
        let update = IncidentUpdate { incident: change };
        self.write(Method::PUT, path, &update).await
    }

    /// Send one write, `From` the configured email; the answer's body is not needed.
    async fn write(
        &self,
        method: Method,
        path: &str,
        body: &impl Serialize,
    ) -> Result<(), ProviderError> {
        let from = self
            .from
            .clone()
            .ok_or_else(|| ProviderError::Unsupported(super::FROM_MISSING.into()))?;
        let request = self
            .api
            .client()
            .request(method, self.api.url(path))
            .header("From", from)
            .json(body);
        self.api.send(request, path).await.map(drop)
    }
}

/// The main write went through; a failed note after it must not make the whole verb
/// look failed, or a retry would acknowledge or escalate twice.
fn follow_up(done: &str, note: Result<(), ProviderError>) -> Result<(), ProviderError> {
    note.map_err(|error| {
        ProviderError::Refused(format!("{done}, but the note was not added: {error}"))
    })
}

fn status(status: &'static str) -> Change<'static> {
    Change {
        status: Some(status),
        ..Change::new()
    }
}

/// PagerDuty takes responder requests for users and escalation policies only.
fn target(responder: &Responder) -> Result<Target<'_>, ProviderError> {
    match responder.kind {
        ResponderKind::User => Ok(Target::user(&responder.id)),
        ResponderKind::Escalation => Ok(Target::policy(&responder.id)),
        kind @ (ResponderKind::Team | ResponderKind::Schedule) => {
            Err(ProviderError::Unsupported(format!(
                "PagerDuty asks users or escalation policies to respond, not a {}: ask its escalation policy instead",
                kind.name()
            )))
        }
    }
}

#[derive(Serialize)]
struct IncidentUpdate<'a> {
    incident: Change<'a>,
}

/// The fields of `PUT /incidents/{id}` a verb changes; the rest stay out of the body.
#[derive(Serialize)]
struct Change<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    escalation_level: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    escalation_policy: Option<Target<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    assignments: Vec<Assignment<'a>>,
}

impl Change<'_> {
    fn new() -> Self {
        Change {
            kind: "incident_reference",
            status: None,
            escalation_level: None,
            escalation_policy: None,
            assignments: Vec::new(),
        }
    }
}

#[derive(Serialize)]
struct Target<'a> {
    id: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
}

impl<'a> Target<'a> {
    fn user(id: &'a str) -> Self {
        Target {
            id,
            kind: "user_reference",
        }
    }

    fn policy(id: &'a str) -> Self {
        Target {
            id,
            kind: "escalation_policy_reference",
        }
    }
}

#[derive(Serialize)]
struct Assignment<'a> {
    assignee: Target<'a>,
}

#[derive(Serialize)]
struct Snooze {
    duration: u64,
}

#[derive(Serialize)]
struct NoteBody<'a> {
    note: NoteContent<'a>,
}

#[derive(Serialize)]
struct NoteContent<'a> {
    content: &'a str,
}

#[derive(Serialize)]
struct ResponderRequest<'a> {
    requester_id: &'a str,
    message: &'a str,
    responder_request_targets: Vec<RequestTarget<'a>>,
}

#[derive(Serialize)]
struct RequestTarget<'a> {
    responder_request_target: Target<'a>,
}
