//! PagerDuty REST API v2 as an incident source: active incidents, every verb, notes, the
//! log entries as a timeline, and who is on call.

mod applied;
mod decode;
mod levels;
mod log_entries;
mod map;
mod pages;
mod people;
mod records;
mod responders;
mod verbs;
// Also read by paging, for level two's answer to an Events trigger.
pub(crate) mod wire;

use std::time::Duration;

use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderMap, HeaderValue};
use serde::de::DeserializeOwned;

use super::http::Api;
use super::token::Secret;
use super::{Capabilities, History, OnCall, ProviderError, Source, Verb};
use crate::config::{PagerdutyRoute, PagerdutyWay};
use crate::incident::{Incident, IncidentKey};
pub use decode::incidents_from_json;
use pages::{PAGE_LIMIT, every_page};

pub const DEFAULT_BASE_URL: &str = "https://api.pagerduty.com";

/// The versioned media type PagerDuty asks every request to accept.
pub(crate) const ACCEPT_V2: &str = "application/vnd.pagerduty+json;version=2";

const FROM_MISSING: &str = "PagerDuty writes need a From email: set [me] email, or from = \"you@example.com\" in the source";

const NO_ROUTE: &str = "no escalation route for PagerDuty: set [escalation] pagerduty = { escalation_policy_id = \"P…\" }, { escalation_level = 2 } or { mode = \"next_level\" }";

/// How level two is reached from a PagerDuty incident (`[escalation] pagerduty`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EscalationRoute {
    /// `escalation_level = N` of the incident's own policy.
    Level(u32),
    /// One level above where the incident is on its own policy.
    NextLevel,
    /// Give the incident to this escalation policy.
    Reassign(String),
    /// Ask this escalation policy to respond (a responder request).
    ResponderRequest(String),
}

impl EscalationRoute {
    /// `[escalation] pagerduty` (or a playbook's) as a route, or why it names none.
    pub fn from_config(route: &PagerdutyRoute) -> Result<EscalationRoute, String> {
        Ok(match route.way()? {
            PagerdutyWay::Reassign { policy } => EscalationRoute::Reassign(policy.into()),
            PagerdutyWay::ResponderRequest { policy } => {
                EscalationRoute::ResponderRequest(policy.into())
            }
            PagerdutyWay::Level(level) => EscalationRoute::Level(level),
            PagerdutyWay::NextLevel => EscalationRoute::NextLevel,
        })
    }

    /// The route in the escalation panel's words.
    pub fn describe(&self) -> String {
        let route = match self {
            EscalationRoute::Level(level) => {
                format!("PagerDuty: level {level} of the incident's escalation policy")
            }
            EscalationRoute::NextLevel => {
                "PagerDuty: the next level of the incident's escalation policy".to_string()
            }
            EscalationRoute::Reassign(policy) => {
                format!("PagerDuty: reassigned to escalation policy {policy}")
            }
            EscalationRoute::ResponderRequest(policy) => {
                format!("PagerDuty: responder request to escalation policy {policy}")
            }
        };
        route + ", the hand-over as a note"
    }
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
    /// Connecting only; cut to `timeout` if longer.
    pub connect_timeout: Duration,
    pub service_ids: Vec<String>,
    pub team_ids: Vec<String>,
    pub urgencies: Vec<String>,
    /// Whose on-call people `oncall` lists (empty: every policy).
    pub escalation_policy_ids: Vec<String>,
    pub escalation: Option<EscalationRoute>,
}

pub struct PagerDuty {
    settings: Settings,
    api: Api,
    /// `settings.from` as a header, checked once.
    from: Option<HeaderValue>,
    /// The user id behind `from`, looked up once (responder requests name a requester).
    requester: tokio::sync::OnceCell<String>,
}

impl PagerDuty {
    pub fn new(settings: Settings) -> Result<PagerDuty, String> {
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, HeaderValue::from_static(ACCEPT_V2));
        // The spec requires it on every operation, GET included.
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        let api = Api::new(
            &settings.name,
            &settings.base_url,
            (settings.timeout, settings.connect_timeout),
            ("Token token=", &settings.token),
            &settings.token_origin,
            headers,
        )?;
        let from = match settings.from.as_deref().map(str::trim) {
            Some(email) if !email.is_empty() => {
                Some(HeaderValue::from_str(email).map_err(|_| {
                    format!(
                        "source {}: from = {email:?} cannot be sent as a header",
                        settings.name
                    )
                })?)
            }
            _ => None,
        };
        Ok(PagerDuty {
            settings,
            api,
            from,
            requester: tokio::sync::OnceCell::new(),
        })
    }

    /// GET `path` and read the answer; errors name the path.
    async fn get<T: DeserializeOwned + Send + 'static>(
        &self,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<T, ProviderError> {
        let request = self.api.client().get(self.api.url(path)).query(query);
        self.api.json(request, path).await
    }

    /// The active-incident listing's query for one page: bracketed keys repeated once
    /// per value, as PagerDuty reads arrays.
    fn incidents_query(&self, offset: u32) -> Vec<(&'static str, String)> {
        let mut query: Vec<(&'static str, String)> = vec![
            ("statuses[]", "triggered".into()),
            ("statuses[]", "acknowledged".into()),
            // Without it PagerDuty looks back one month only, and an incident open
            // longer drops out of the list.
            ("date_range", "all".into()),
            ("limit", PAGE_LIMIT.to_string()),
            ("offset", offset.to_string()),
            ("include[]", "services".into()),
            ("include[]", "assignees".into()),
            ("include[]", "priorities".into()),
        ];
        let settings = &self.settings;
        for (key, values) in [
            ("service_ids[]", &settings.service_ids),
            ("team_ids[]", &settings.team_ids),
            ("urgencies[]", &settings.urgencies),
        ] {
            query.extend(values.iter().map(|value| (key, value.clone())));
        }
        query
    }
}

/// `/incidents/{id}` for `key`; an id PagerDuty could not have made is refused rather
/// than put into a path.
fn incident_path(key: &IncidentKey) -> Result<String, ProviderError> {
    let plain = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    match !key.id.is_empty() && key.id.chars().all(plain) {
        true => Ok(format!("/incidents/{}", key.id)),
        false => Err(ProviderError::NotFound(key.clone())),
    }
}

impl Source for PagerDuty {
    fn kind(&self) -> &'static str {
        "pagerduty"
    }

    fn escalation_route(&self) -> Option<String> {
        Some(self.settings.escalation.as_ref()?.describe())
    }

    fn capabilities(&self) -> Capabilities {
        if self.from.is_none() {
            let missing = || Err(FROM_MISSING.to_string());
            return Capabilities {
                acknowledge: missing(),
                unacknowledge: missing(),
                snooze: missing(),
                resolve: missing(),
                escalate: missing(),
                escalate_by_playbook_route: missing(),
                note: missing(),
                reassign: missing(),
                add_responder: missing(),
            };
        }
        Capabilities {
            escalate: match self.settings.escalation {
                Some(_) => Ok(()),
                None => Err(NO_ROUTE.to_string()),
            },
            ..Capabilities::all()
        }
    }

    async fn incidents(&self) -> Result<Vec<Incident>, ProviderError> {
        let incidents = every_page(
            |offset| async move {
                let page: wire::IncidentsPage = self
                    .get("/incidents", &self.incidents_query(offset))
                    .await?;
                Ok((page.incidents, page.paging))
            },
            |incident: &wire::Incident| incident.id.clone(),
        )
        .await?;
        let now = chrono::Utc::now();
        Ok(incidents
            .into_iter()
            .map(|incident| map::incident(&self.settings.name, incident, now))
            .collect())
    }

    async fn perform(&self, key: &IncidentKey, verb: &Verb) -> Result<(), ProviderError> {
        self.capabilities()
            .allows(verb)
            .map_err(ProviderError::Unsupported)?;
        self.carry_out(&incident_path(key)?, verb).await
    }

    async fn history(&self, key: &IncidentKey) -> Result<History, ProviderError> {
        self.records(&incident_path(key)?).await
    }

    async fn already_applied(
        &self,
        key: &IncidentKey,
        verb: &Verb,
        asked: super::Asked,
    ) -> Result<super::Applied, ProviderError> {
        self.applied(key, verb, asked.at).await
    }

    /// Read by id: a resumed action's incident may have left the active list.
    async fn incident(&self, key: &IncidentKey) -> Result<Option<Incident>, ProviderError> {
        let query = [("include[]", "assignees".to_string())];
        let answer: wire::IncidentAnswer = self.get(&incident_path(key)?, &query).await?;
        let now = chrono::Utc::now();
        Ok(Some(map::incident(
            &self.settings.name,
            answer.incident,
            now,
        )))
    }

    async fn oncall(&self) -> Result<Vec<OnCall>, ProviderError> {
        self.on_call_now().await
    }

    async fn page_history(
        &self,
        since: chrono::DateTime<chrono::Utc>,
        until: chrono::DateTime<chrono::Utc>,
    ) -> Result<super::PageHistory, ProviderError> {
        self.past_pages(since, until).await
    }

    async fn level_two_oncall(
        &self,
        key: &IncidentKey,
        escalation: &Verb,
    ) -> Result<Vec<OnCall>, ProviderError> {
        let route = self.route_for(escalation)?;
        self.level_two_on_call(&incident_path(key)?, &route).await
    }
}
