//! Each verb as an Alert API write: which action path it posts to and with what body.

use chrono::{SecondsFormat, Utc};

use super::wire::{ActionBody, Recipient};
use crate::providers::{Responder, ResponderKind, Verb};

/// What Opsgenie's alerts show as the source of our writes.
pub const SOURCE: &str = "pagerdeck";

/// One write: `POST /v2/alerts/{id}/{action}` with `body`.
#[derive(Debug, Clone, PartialEq)]
pub struct Write {
    pub action: &'static str,
    pub body: ActionBody,
    /// What it does, for "Opsgenie did not <words> og:…".
    pub words: &'static str,
}

/// The write for `verb`. `escalation` is the configured escalation's name; without it
/// `Escalate` has no route (the capabilities refuse it before this is asked).
pub fn write(verb: &Verb, user: Option<&str>, escalation: Option<&str>) -> Option<Write> {
    let body = ActionBody {
        user: user.map(String::from),
        source: SOURCE,
        ..ActionBody::default()
    };
    let (action, words, body) = match verb {
        Verb::Acknowledge { note } => (
            "acknowledge",
            "acknowledge",
            ActionBody {
                note: note.clone(),
                ..body
            },
        ),
        Verb::Unacknowledge => ("unacknowledge", "unacknowledge", body),
        Verb::Resolve => ("close", "close", body),
        Verb::Snooze { seconds } => {
            let until = Utc::now() + chrono::Duration::seconds(i64::try_from(*seconds).ok()?);
            let end_time = until.to_rfc3339_opts(SecondsFormat::Secs, true);
            let body = ActionBody {
                end_time: Some(end_time),
                ..body
            };
            ("snooze", "snooze", body)
        }
        Verb::Note { text } => (
            "notes",
            "add the note to",
            ActionBody {
                note: Some(text.clone()),
                ..body
            },
        ),
        Verb::Escalate { message, .. } => {
            let escalation = Recipient {
                kind: "escalation",
                id: None,
                username: None,
                name: Some(escalation?.to_string()),
            };
            // The hand-over travels as the escalation's note.
            let body = ActionBody {
                escalation: Some(escalation),
                note: message.clone(),
                ..body
            };
            ("escalate", "escalate", body)
        }
        Verb::Reassign { to } => {
            let owner = recipient(&Responder {
                kind: ResponderKind::User,
                id: to.clone(),
            });
            let body = ActionBody {
                owner: Some(owner),
                ..body
            };
            ("assign", "reassign", body)
        }
        Verb::AddResponder { to, message } => {
            let body = ActionBody {
                responder: Some(recipient(to)),
                note: Some(message.clone()).filter(|m| !m.is_empty()),
                ..body
            };
            ("responders", "add the responder to", body)
        }
    };
    Some(Write {
        action,
        body,
        words,
    })
}

/// A user is named by username (always an e-mail address in Opsgenie), else taken as an
/// id; a team, escalation or schedule by id when it looks like one (a UUID), else by name.
pub fn recipient(who: &Responder) -> Recipient {
    let mut recipient = Recipient {
        kind: who.kind.name(),
        id: None,
        username: None,
        name: None,
    };
    let given = Some(who.id.clone());
    match who.kind {
        ResponderKind::User if who.id.contains('@') => recipient.username = given,
        ResponderKind::User => recipient.id = given,
        _ if looks_like_uuid(&who.id) => recipient.id = given,
        _ => recipient.name = given,
    }
    recipient
}

fn looks_like_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups
            .iter()
            .all(|g| g.chars().all(|c| c.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn body(verb: Verb) -> serde_json::Value {
        let write = write(&verb, Some("ann@example.com"), Some("Eng Cap escalation")).unwrap();
        serde_json::to_value(write.body).unwrap()
    }

    #[test]
    fn responders_are_named_the_way_opsgenie_takes_them() {
        let to = |kind, id: &str| {
            serde_json::to_value(recipient(&Responder {
                kind,
                id: id.into(),
            }))
            .unwrap()
        };
        assert_eq!(
            to(ResponderKind::User, "bob@example.com"),
            json!({"type":"user","username":"bob@example.com"})
        );
        let uuid = "4513b7ea-3b91-438f-b7e4-e3e54af9147c";
        assert_eq!(
            to(ResponderKind::User, uuid),
            json!({"type":"user","id":uuid})
        );
        assert_eq!(
            to(ResponderKind::Team, "payments"),
            json!({"type":"team","name":"payments"})
        );
        assert_eq!(
            to(ResponderKind::Schedule, uuid),
            json!({"type":"schedule","id":uuid})
        );
    }

    #[test]
    fn escalation_without_a_route_has_no_write() {
        let verb = Verb::Escalate {
            to: "x".into(),
            message: None,
            route: None,
            playbook_route: None,
        };
        assert_eq!(write(&verb, None, None), None);
    }

    #[test]
    fn a_snooze_ends_when_asked() {
        let sent = body(Verb::Snooze { seconds: 3600 });
        let end: chrono::DateTime<Utc> = sent["endTime"].as_str().unwrap().parse().unwrap();
        let from_now = (end - Utc::now()).num_seconds();
        assert!((3590..=3600).contains(&from_now), "{from_now}");
        assert_eq!(sent["user"], "ann@example.com");
        assert_eq!(sent["source"], SOURCE);
    }
}
