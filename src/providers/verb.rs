//! The verbs: what the user asked for, as it travels to a source and into the journal.

use serde::{Deserialize, Serialize};

use super::route;
use crate::incident::{Incident, IncidentKey, Status};

/// A verb the user asked for, as it travels to a source and into the journal.
///
/// Journal lines written before a field existed still read: new fields have defaults.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "verb", rename_all = "snake_case")]
pub enum Verb {
    Acknowledge {
        /// Said with the acknowledgement (Alertmanager: the silence's comment).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// Take an acknowledgement back: the incident pages again.
    Unacknowledge,
    /// Quiet the incident for a while; it comes back by itself.
    Snooze {
        seconds: u64,
    },
    Resolve,
    /// Hand the incident to level two (named `to`, e.g. "Eng Cap"), by the route the
    /// source was configured with (`[escalation]`).
    Escalate {
        to: String,
        /// The hand-over: what level two needs to start at once.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message: Option<String>,
        /// The route, as the escalation panel said it: the journal's record of the way
        /// it went.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        route: Option<String>,
        /// The incident's playbook's own route to level two, taken instead of the
        /// source's `[escalation]` one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        playbook_route: Option<route::RouteOverride>,
    },
    /// Add a note to the incident's record.
    Note {
        text: String,
    },
    /// Give the incident to someone else (PagerDuty: a user id; Opsgenie: a user name).
    Reassign {
        to: String,
    },
    /// Ask another person, team or escalation policy to join, saying why.
    AddResponder {
        to: Responder,
        message: String,
    },
}

/// Who a responder request goes to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Responder {
    pub kind: ResponderKind,
    /// The provider's id (or, where it takes one, a name: Opsgenie users and teams).
    pub id: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResponderKind {
    User,
    Team,
    /// PagerDuty escalation policy, Opsgenie escalation.
    Escalation,
    /// Opsgenie schedule.
    Schedule,
}

impl ResponderKind {
    pub fn name(self) -> &'static str {
        match self {
            ResponderKind::User => "user",
            ResponderKind::Team => "team",
            ResponderKind::Escalation => "escalation",
            ResponderKind::Schedule => "schedule",
        }
    }
}

impl Verb {
    pub fn acknowledge() -> Self {
        Verb::Acknowledge { note: None }
    }

    pub fn describe(&self) -> String {
        match self {
            Verb::Acknowledge { .. } => "acknowledge".into(),
            Verb::Unacknowledge => "unacknowledge".into(),
            Verb::Snooze { seconds } => format!("snooze for {}", format_duration(*seconds)),
            Verb::Resolve => "resolve".into(),
            Verb::Escalate { to, .. } => format!("escalate to {to}"),
            Verb::Note { .. } => "add a note".into(),
            Verb::Reassign { to } => format!("reassign to {to}"),
            Verb::AddResponder { to, .. } => format!("ask {} {} to respond", to.kind.name(), to.id),
        }
    }

    /// The verb done to `key`, as a sentence's start: "snooze demo:INC-1 for 2h",
    /// "add a note to pd:Q1", "reassign pd:Q1 to kai".
    pub fn describe_on(&self, key: &IncidentKey) -> String {
        match self {
            Verb::Snooze { seconds } => format!("snooze {key} for {}", format_duration(*seconds)),
            Verb::Escalate { to, .. } => format!("escalate {key} to {to}"),
            Verb::Note { .. } => format!("add a note to {key}"),
            Verb::Reassign { to } => format!("reassign {key} to {to}"),
            Verb::AddResponder { to, .. } => {
                format!("ask {} {} to respond to {key}", to.kind.name(), to.id)
            }
            _ => format!("{} {key}", self.describe()),
        }
    }
}

impl Verb {
    /// Why doing this to `incident` would change nothing ("INC-1 is already
    /// acknowledged"), if so: the screen and the command line both say it instead.
    pub fn pointless_on(&self, incident: &Incident) -> Option<String> {
        let key = &incident.key;
        match self {
            Verb::Acknowledge { .. } if incident.status != Status::Triggered => {
                Some(format!("{key} is already {}", incident.status.name()))
            }
            Verb::Unacknowledge if incident.status != Status::Acknowledged => {
                Some(format!("{key} is not acknowledged"))
            }
            Verb::Resolve | Verb::Snooze { .. } if incident.status == Status::Resolved => {
                Some(format!("{key} is already resolved"))
            }
            _ => None,
        }
    }
}

/// "45m", "2h", "1h30m": how long a snooze or a silence lasts, as people write it.
pub fn format_duration(seconds: u64) -> String {
    let (hours, minutes) = (seconds / 3600, seconds % 3600 / 60);
    match (hours, minutes) {
        (0, 0) => format!("{seconds}s"),
        (0, m) => format!("{m}m"),
        (h, 0) => format!("{h}h"),
        (h, m) => format!("{h}h{m}m"),
    }
}
