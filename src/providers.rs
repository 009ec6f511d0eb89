//! The boundary to incident sources: the `Source` trait every provider implements, its
//! errors, and what a source can and cannot do.

pub mod alertmanager;
pub mod applied;
pub mod demo;
pub mod history;
pub mod http;
pub mod opsgenie;
pub mod pagerduty;
pub mod paging;
pub mod past_pages;
pub mod poller;
pub mod route;
pub mod silence;
pub mod token;
mod verb;

use std::fmt;
use std::future::Future;

use crate::incident::{Incident, IncidentKey};
pub use applied::{Applied, Asked};
pub use history::{History, Note, OnCall, TimelineEntry};
pub use past_pages::{PageHistory, PastPage, PastSilence};
pub use verb::{Responder, ResponderKind, Verb, format_duration};

/// Which verbs a source has. A missing verb is shown disabled, with its reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Capabilities {
    pub acknowledge: Result<(), String>,
    pub unacknowledge: Result<(), String>,
    pub snooze: Result<(), String>,
    pub resolve: Result<(), String>,
    /// Escalating by the source's `[escalation]` route.
    pub escalate: Result<(), String>,
    /// Escalating by a playbook's own route, which needs no `[escalation]` one.
    pub escalate_by_playbook_route: Result<(), String>,
    pub note: Result<(), String>,
    pub reassign: Result<(), String>,
    pub add_responder: Result<(), String>,
}

impl Capabilities {
    pub fn all() -> Self {
        Self {
            acknowledge: Ok(()),
            unacknowledge: Ok(()),
            snooze: Ok(()),
            resolve: Ok(()),
            escalate: Ok(()),
            escalate_by_playbook_route: Ok(()),
            note: Ok(()),
            reassign: Ok(()),
            add_responder: Ok(()),
        }
    }

    pub fn allows(&self, verb: &Verb) -> Result<(), String> {
        match verb {
            Verb::Acknowledge { .. } => self.acknowledge.clone(),
            Verb::Unacknowledge => self.unacknowledge.clone(),
            Verb::Snooze { .. } => self.snooze.clone(),
            Verb::Resolve => self.resolve.clone(),
            Verb::Escalate {
                playbook_route: Some(_),
                ..
            } => self.escalate_by_playbook_route.clone(),
            Verb::Escalate { .. } => self.escalate.clone(),
            Verb::Note { .. } => self.note.clone(),
            Verb::Reassign { .. } => self.reassign.clone(),
            Verb::AddResponder { .. } => self.add_responder.clone(),
        }
    }
}

/// What went wrong talking to a source, in words a tired human can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProviderError {
    Http(String),
    Status {
        code: u16,
        body: String,
    },
    Decode {
        endpoint: String,
        reason: String,
    },
    /// 401/403: the whole message, naming the source and where its token comes from.
    Auth(String),
    RateLimited {
        retry_after_secs: Option<u64>,
    },
    Timeout,
    Unsupported(String),
    NotFound(IncidentKey),
    /// The source took the request and then said no (an Opsgenie request that failed).
    Refused(String),
    /// A write asked for in read-only mode, refused before it reached the source.
    ReadOnly,
}

impl fmt::Display for ProviderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProviderError::Http(reason) => write!(f, "cannot reach server: {reason}"),
            ProviderError::Status { code, body } => write!(f, "server answered {code}: {body}"),
            ProviderError::Decode { endpoint, reason } => {
                write!(f, "unreadable answer from {endpoint}: {reason}")
            }
            ProviderError::Auth(message) => write!(f, "{message}"),
            ProviderError::RateLimited {
                retry_after_secs: Some(secs),
            } => write!(f, "rate limited: retrying in {secs}s"),
            ProviderError::RateLimited { .. } => write!(f, "rate limited"),
            ProviderError::Timeout => write!(f, "timed out"),
            ProviderError::Unsupported(reason) => write!(f, "{reason}"),
            ProviderError::NotFound(key) => write!(f, "no incident {key} at the source"),
            ProviderError::Refused(reason) => write!(f, "{reason}"),
            ProviderError::ReadOnly => write!(f, "read-only mode: nothing was sent"),
        }
    }
}

impl ProviderError {
    /// The same error with `change` applied to every text it carries (to blot secrets
    /// out of what a server echoed back, or to cut it short).
    pub fn map_text(self, change: impl Fn(String) -> String) -> ProviderError {
        match self {
            ProviderError::Http(reason) => ProviderError::Http(change(reason)),
            ProviderError::Status { code, body } => ProviderError::Status {
                code,
                body: change(body),
            },
            ProviderError::Decode { endpoint, reason } => ProviderError::Decode {
                endpoint: change(endpoint),
                reason: change(reason),
            },
            ProviderError::Refused(reason) => ProviderError::Refused(change(reason)),
            ProviderError::Auth(message) => ProviderError::Auth(change(message)),
            ProviderError::Unsupported(reason) => ProviderError::Unsupported(change(reason)),
            other @ (ProviderError::RateLimited { .. }
            | ProviderError::Timeout
            | ProviderError::NotFound(_)
            | ProviderError::ReadOnly) => other,
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

    /// How `Verb::Escalate` reaches level two, in words for the escalation panel
    /// ("PagerDuty: reassign to escalation policy PENGCAP"); `None` when it cannot.
    fn escalation_route(&self) -> Option<String> {
        None
    }

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

    /// Carry out `verb` as the journal's op `op`. Sources whose writes can carry a mark
    /// (a dedup key, a comment) put `op` in it, for `already_applied` to find.
    fn perform_once(
        &self,
        key: &IncidentKey,
        verb: &Verb,
        op: u64,
    ) -> impl Future<Output = Result<(), ProviderError>> + Send {
        let _ = op;
        self.perform(key, verb)
    }

    /// Whether `verb` on `key`, as `asked`, is done at the source already: asked on
    /// resume, before an action that may have been sent is sent again.
    fn already_applied(
        &self,
        key: &IncidentKey,
        verb: &Verb,
        asked: Asked,
    ) -> impl Future<Output = Result<Applied, ProviderError>> + Send {
        let _ = asked;
        applied::from_status_and_notes(self, key, verb)
    }

    /// One incident as the source has it now (`None`: it is not among the active ones).
    fn incident(
        &self,
        key: &IncidentKey,
    ) -> impl Future<Output = Result<Option<Incident>, ProviderError>> + Send {
        async move {
            let incidents = self.incidents().await?;
            Ok(incidents.into_iter().find(|i| &i.key == key))
        }
    }

    /// The incident's notes and timeline, for the details overlay. Sources that keep
    /// none answer with an empty history.
    fn history(
        &self,
        _key: &IncidentKey,
    ) -> impl Future<Output = Result<History, ProviderError>> + Send {
        std::future::ready(Ok(History::default()))
    }

    /// Who at level two `escalation` (a `Verb::Escalate` of the incident `key`) would
    /// reach: the people on call there now and next. By default, the roster's level 2,
    /// or a rota named as level two is.
    fn level_two_oncall(
        &self,
        key: &IncidentKey,
        escalation: &Verb,
    ) -> impl Future<Output = Result<Vec<OnCall>, ProviderError>> + Send {
        let _ = key;
        let to = match escalation {
            Verb::Escalate { to, .. } => to.clone(),
            _ => String::new(),
        };
        async move {
            let people = self.oncall().await?;
            Ok(people
                .into_iter()
                .filter(|p| p.level == Some(2) || p.rota.eq_ignore_ascii_case(&to))
                .collect())
        }
    }

    /// The silences not yet expired (Alertmanager's); a source without any has none.
    fn active_silences(&self) -> impl Future<Output = silence::Silences> + Send {
        silence::none()
    }

    /// The pages sent and silences made between `since` and `until`, for the report.
    fn page_history(
        &self,
        _since: chrono::DateTime<chrono::Utc>,
        _until: chrono::DateTime<chrono::Utc>,
    ) -> impl Future<Output = Result<PageHistory, ProviderError>> + Send {
        past_pages::cannot_tell(self.kind())
    }

    /// Who is on call now, by escalation level where the source knows levels.
    fn oncall(&self) -> impl Future<Output = Result<Vec<OnCall>, ProviderError>> + Send {
        let kind = self.kind();
        std::future::ready(Err(ProviderError::Unsupported(format!(
            "{kind} does not know who is on call"
        ))))
    }
}
