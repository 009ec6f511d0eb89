//! PagerDuty REST API v2 as an incident source: active incidents, every verb, notes, the
//! log entries as a timeline, and who is on call.

use std::time::Duration;

use super::token::Secret;
use super::{Capabilities, ProviderError, Source, Verb};
use crate::incident::{Incident, IncidentKey};

pub const DEFAULT_BASE_URL: &str = "https://api.pagerduty.com";

/// How level two is reached from a PagerDuty incident (`[escalation] pagerduty`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EscalationRoute {
    /// `escalation_level = N` of the incident's own policy.
    Level(u32),
    /// Give the incident to this escalation policy.
    Reassign(String),
    /// Ask this escalation policy to respond (a responder request).
    ResponderRequest(String),
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub name: String,
    pub base_url: String,
    pub token: Secret,
    /// Where the token came from, for "token rejected for pd: check PAGERDUTY_TOKEN".
    pub token_origin: String,
    /// The `From` header on writes: a user's email.
    pub from: Option<String>,
    pub timeout: Duration,
    pub service_ids: Vec<String>,
    pub team_ids: Vec<String>,
    pub urgencies: Vec<String>,
    /// Whose on-call people `oncall` lists (empty: every policy).
    pub escalation_policy_ids: Vec<String>,
    pub escalation: Option<EscalationRoute>,
}

pub struct PagerDuty {
    settings: Settings,
}

impl PagerDuty {
    pub fn new(settings: Settings) -> Result<PagerDuty, String> {
        Ok(PagerDuty { settings })
    }
}

impl Source for PagerDuty {
    fn kind(&self) -> &'static str {
        "pagerduty"
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
