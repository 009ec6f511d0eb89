//! The boundary to incident sources: the `Source` trait every provider implements, its
//! errors, and what a source can and cannot do.

pub mod alertmanager;
pub mod demo;
pub mod poller;

use std::fmt;
use std::future::Future;

use serde::{Deserialize, Serialize};

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
    /// Hand the incident to level two (named `to`, e.g. "Eng Cap").
    Escalate {
        to: String,
    },
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
            Verb::Escalate { to } => format!("escalate to {to}"),
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

/// Which verbs a source has. A missing verb is shown disabled, with its reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Capabilities {
    pub acknowledge: Result<(), String>,
    pub unacknowledge: Result<(), String>,
    pub snooze: Result<(), String>,
    pub resolve: Result<(), String>,
    pub escalate: Result<(), String>,
}

impl Capabilities {
    pub fn all() -> Self {
        Self {
            acknowledge: Ok(()),
            unacknowledge: Ok(()),
            snooze: Ok(()),
            resolve: Ok(()),
            escalate: Ok(()),
        }
    }

    pub fn allows(&self, verb: &Verb) -> Result<(), String> {
        match verb {
            Verb::Acknowledge { .. } => self.acknowledge.clone(),
            Verb::Unacknowledge => self.unacknowledge.clone(),
            Verb::Snooze { .. } => self.snooze.clone(),
            Verb::Resolve => self.resolve.clone(),
            Verb::Escalate { .. } => self.escalate.clone(),
        }
    }
}

/// What went wrong talking to a source, in words a tired human can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProviderError {
    Http(String),
    Status { code: u16, body: String },
    Decode { endpoint: String, reason: String },
    Auth(String),
    RateLimited { retry_after_secs: Option<u64> },
    Timeout,
    Unsupported(String),
    NotFound(IncidentKey),
}

impl fmt::Display for ProviderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProviderError::Http(reason) => write!(f, "cannot reach server: {reason}"),
            ProviderError::Status { code, body } => write!(f, "server answered {code}: {body}"),
            ProviderError::Decode { endpoint, reason } => {
                write!(f, "unreadable answer from {endpoint}: {reason}")
            }
            ProviderError::Auth(hint) => write!(f, "token rejected: {hint}"),
            ProviderError::RateLimited {
                retry_after_secs: Some(secs),
            } => write!(f, "rate limited: retrying in {secs}s"),
            ProviderError::RateLimited { .. } => write!(f, "rate limited"),
            ProviderError::Timeout => write!(f, "timed out"),
            ProviderError::Unsupported(reason) => write!(f, "{reason}"),
            ProviderError::NotFound(key) => write!(f, "no incident {key} at the source"),
        }
    }
}

impl std::error::Error for ProviderError {}

/// An incident source: PagerDuty, Opsgenie, Alertmanager, or the built-in demo.
///
/// Methods return `Send` futures so each source can live in its own tokio task; nothing
/// here knows about the UI.
pub trait Source: Send + Sync + 'static {
    /// The kind, for the status bar and errors ("demo", "alertmanager", …).
    fn kind(&self) -> &'static str;

    fn capabilities(&self) -> Capabilities;

    /// After a poll that answered: why part of the source is missing (an HA member
    /// down), or `None` when all of it answered.
    fn degraded(&self) -> Option<String> {
        None
    }

    /// The active incidents (triggered and acknowledged, and recently resolved ones the
    /// source still reports).
    fn incidents(&self) -> impl Future<Output = Result<Vec<Incident>, ProviderError>> + Send;

    /// Carry out one verb on one incident.
    fn perform(
        &self,
        key: &IncidentKey,
        verb: &Verb,
    ) -> impl Future<Output = Result<(), ProviderError>> + Send;
}
