//! Opsgenie Alert API v2 as an incident source: open alerts, every verb (asynchronous:
//! each write is followed until Opsgenie says it was done), notes, logs, who is on call.
//!
//! Opsgenie's API ends on 2027-04-05; its successor (Jira Service Management Ops) keeps
//! the alert shape, so only the paths and the auth header here are Opsgenie's own.

use std::time::Duration;

use super::token::Secret;
use super::{Capabilities, ProviderError, Source, Verb};
use crate::incident::{Incident, IncidentKey};

pub const DEFAULT_BASE_URL: &str = "https://api.opsgenie.com";

#[derive(Debug, Clone)]
pub struct Settings {
    pub name: String,
    pub base_url: String,
    pub token: Secret,
    /// Where the token came from, for "token rejected for og: check OPSGENIE_KEY".
    pub token_origin: String,
    /// The `user` named on actions and notes.
    pub user: Option<String>,
    pub timeout: Duration,
    /// The alert search (default "status:open").
    pub query: String,
    /// Schedules (names) whose on-call people `oncall` lists.
    pub schedules: Vec<String>,
    /// Level two's escalation (name), for `Verb::Escalate`.
    pub escalation: Option<String>,
    /// How often, and how many times, an asynchronous write's outcome is asked for.
    pub request_poll: Duration,
    pub request_attempts: u32,
}

pub struct Opsgenie {
    settings: Settings,
}

impl Opsgenie {
    pub fn new(settings: Settings) -> Result<Opsgenie, String> {
        Ok(Opsgenie { settings })
    }
}

impl Source for Opsgenie {
    fn kind(&self) -> &'static str {
        "opsgenie"
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities::all()
    }

    async fn incidents(&self) -> Result<Vec<Incident>, ProviderError> {
        Err(ProviderError::Unsupported(format!(
            "{}: not built yet",
            self.settings.name
        )))
    }

    async fn perform(&self, _key: &IncidentKey, _verb: &Verb) -> Result<(), ProviderError> {
        Err(ProviderError::Unsupported("not built yet".into()))
    }
}
