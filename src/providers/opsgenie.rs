//! Opsgenie Alert API v2 as an incident source: open alerts, every verb (asynchronous:
//! each write is followed until Opsgenie says it was done), notes, logs, who is on call
//! and who is next, and who an escalation reaches.
//!
//! Opsgenie's API ends on 2027-04-05; its successor (Jira Service Management Ops) keeps
//! the alert shape, so only the paths and the auth header here are Opsgenie's own: the
//! wire types (`wire`), the mapping (`map`, `people`, `shifts`, `escalation_rules`) and the
//! bodies (`actions`) are not.

mod actions;
mod applied;
mod decode;
mod escalation_rules;
mod level_two;
mod map;
mod pages;
mod past;
mod people;
mod requests;
mod schedules;
mod shifts;
mod wire;

use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use super::http::{Api, segment};
use super::token::Secret;
use super::{Capabilities, History, OnCall, ProviderError, Source, Verb};
use crate::incident::{Incident, IncidentKey};
use pages::{Collected, Next};
use requests::Patience;
use wire::{Accepted, Alert, AlertLog, AlertNote, Page};

pub use decode::incidents_from_json;
pub use schedules::{ScheduleIdentifier, ScheduleRoster};

pub const DEFAULT_BASE_URL: &str = "https://api.opsgenie.com";

/// The largest page the Alert API gives.
const PAGE_LIMIT: usize = 100;

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
    /// Connecting only; cut to `timeout` if longer.
    pub connect_timeout: Duration,
    /// The alert search (default "status:open").
    pub query: String,
    /// Schedules (names) whose on-call people, and who is next, `oncall` lists.
    pub schedules: Vec<String>,
    /// Level two's escalation (name), for `Verb::Escalate`.
    pub escalation: Option<String>,
    /// How often, and how many times, an asynchronous write's outcome is asked for.
    pub request_poll: Duration,
    pub request_attempts: u32,
}

pub struct Opsgenie {
    settings: Settings,
    api: Api,
    /// Set when the last poll stopped at the cap with more alerts to come.
    degraded: Mutex<Option<String>>,
}

impl Opsgenie {
    pub fn new(settings: Settings) -> Result<Opsgenie, String> {
        let api = Api::new(
            &settings.name,
            &settings.base_url,
            (settings.timeout, settings.connect_timeout),
            ("GenieKey ", &settings.token),
            &settings.token_origin,
            HeaderMap::new(),
        )?;
        Ok(Opsgenie {
            settings,
            api,
            degraded: Mutex::new(None),
        })
    }

    /// Every page of the search, newest first.
    async fn open_alerts(&self) -> Result<Vec<Incident>, ProviderError> {
        let limit = PAGE_LIMIT.to_string();
        let query = [
            ("query", self.settings.query.as_str()),
            ("limit", limit.as_str()),
            ("sort", "createdAt"),
            ("order", "desc"),
        ];
        // Alert offsets are counted, not taken from the link: they must stay numbers.
        let next_offset = |page: &Page<Alert>, offset: Option<&str>| {
            let offset: usize = offset.and_then(|o| o.parse().ok()).unwrap_or(0);
            Some((offset + page.data.len()).to_string())
        };
        let (alerts, done) = self
            .read_all(
                "/v2/alerts",
                &query,
                Some("0".into()),
                |alert: &Alert| alert.id.clone(),
                next_offset,
            )
            .await?;
        let capped = (done == Next::Capped).then(|| {
            format!(
                "more than {} alerts match `{}`: showing the newest; narrow the query",
                pages::MAX_ITEMS,
                self.settings.query
            )
        });
        *self.degraded.lock().unwrap_or_else(|e| e.into_inner()) = capped;
        let now = Utc::now();
        Ok(alerts
            .into_iter()
            .map(|alert| map::incident(&self.settings.name, alert, now))
            .collect())
    }

    /// Queue the write, then follow it until Opsgenie says it was done or refused.
    async fn write_and_confirm(&self, key: &IncidentKey, verb: &Verb) -> Result<(), ProviderError> {
        let escalation = self.escalation_for(verb);
        let write = actions::write(verb, self.settings.user.as_deref(), escalation)
            .ok_or_else(|| ProviderError::Unsupported(format!("cannot {}", verb.describe())))?;
        let path = format!("/v2/alerts/{}/{}", segment(&key.id), write.action);
        let request = self
            .api
            .client()
            .post(self.api.url(&path))
            .query(&[("identifierType", "id")])
            .json(&write.body);
        let accepted: Accepted = self.api.json(request, &path).await?;
        let patience = Patience {
            every: self.settings.request_poll,
            attempts: self.settings.request_attempts,
        };
        let what = format!("{} {key}", write.words);
        requests::confirm(&self.api, &accepted.request_id, &what, patience).await
    }

    /// Every item of a paged list at `path`, oldest-first or newest-first as `query`
    /// asks. `next_offset` says where the next page starts, given the page just read.
    async fn read_all<T: DeserializeOwned + Send + 'static>(
        &self,
        path: &str,
        query: &[(&str, &str)],
        first_offset: Option<String>,
        identity: impl Fn(&T) -> String,
        next_offset: impl Fn(&Page<T>, Option<&str>) -> Option<String>,
    ) -> Result<(Vec<T>, Next), ProviderError> {
        let mut collected = Collected::default();
        let mut offset = first_offset;
        loop {
            let mut request = self.api.client().get(self.api.url(path)).query(query);
            if let Some(offset) = &offset {
                request = request.query(&[("offset", offset)]);
            }
            let page: Page<T> = self.api.json(request, path).await?;
            let next = next_offset(&page, offset.as_deref());
            let more = page.paging.as_ref().is_some_and(|p| p.next.is_some()) && next.is_some();
            match collected.add(page.data, PAGE_LIMIT, more, &identity) {
                Next::Ask => offset = next,
                done => return Ok((collected.items, done)),
            }
        }
    }

    async fn notes(&self, alert_path: &str) -> Result<Vec<AlertNote>, ProviderError> {
        let path = format!("{alert_path}/notes");
        let (notes, _) = self
            .read_all(
                &path,
                &HISTORY_QUERY,
                None,
                |n: &AlertNote| format!("{:?}", (&n.offset, &n.created_at, &n.owner, &n.note)),
                |page, _| later_than(page, |n| n.offset.clone()),
            )
            .await?;
        Ok(notes)
    }

    async fn logs(&self, alert_path: &str) -> Result<Vec<AlertLog>, ProviderError> {
        let path = format!("{alert_path}/logs");
        let (logs, _) = self
            .read_all(
                &path,
                &HISTORY_QUERY,
                None,
                |l: &AlertLog| format!("{:?}", (&l.offset, &l.created_at, &l.owner, &l.log)),
                |page, _| later_than(page, |l| l.offset.clone()),
            )
            .await?;
        Ok(logs)
    }
}

/// Notes and logs, oldest first, in the largest pages.
const HISTORY_QUERY: [(&str, &str); 3] =
    [("identifierType", "id"), ("order", "asc"), ("limit", "100")];

/// Where the page after `page` starts: the offset its `next` link names, else the last
/// item's own offset (notes and logs carry one).
fn later_than<T>(page: &Page<T>, offset_of: impl Fn(&T) -> Option<String>) -> Option<String> {
    pages::offset_in(page.paging.as_ref()).or_else(|| page.data.last().and_then(offset_of))
}

/// Escalating to `escalation`, in the escalation panel's words.
pub fn route_words(escalation: &str) -> String {
    format!("Opsgenie: escalation \"{escalation}\", the hand-over as its note")
}

impl Source for Opsgenie {
    fn kind(&self) -> &'static str {
        "opsgenie"
    }

    fn escalation_route(&self) -> Option<String> {
        Some(route_words(self.settings.escalation.as_ref()?))
    }

    fn capabilities(&self) -> Capabilities {
        let escalate = match self.settings.escalation {
            Some(_) => Ok(()),
            None => Err(level_two::NO_ESCALATION.to_string()),
        };
        Capabilities {
            escalate,
            ..Capabilities::all()
        }
    }

    fn degraded(&self) -> Option<String> {
        self.degraded
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    async fn incidents(&self) -> Result<Vec<Incident>, ProviderError> {
        self.open_alerts().await
    }

    async fn page_history(
        &self,
        since: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<super::PageHistory, ProviderError> {
        self.past(since, until).await
    }

    async fn perform(&self, key: &IncidentKey, verb: &Verb) -> Result<(), ProviderError> {
        self.capabilities()
            .allows(verb)
            .map_err(ProviderError::Unsupported)?;
        self.write_and_confirm(key, verb).await
    }

    async fn already_applied(
        &self,
        key: &IncidentKey,
        verb: &Verb,
        _asked: super::Asked,
    ) -> Result<super::Applied, ProviderError> {
        self.applied(key, verb).await
    }

    /// Read by id: a resumed action's alert may have left the search (closed).
    async fn incident(&self, key: &IncidentKey) -> Result<Option<Incident>, ProviderError> {
        let path = format!("/v2/alerts/{}", segment(&key.id));
        let request = self
            .api
            .client()
            .get(self.api.url(&path))
            .query(&[("identifierType", "id")]);
        let answer: wire::AlertAnswer = self.api.json(request, &path).await?;
        Ok(Some(map::incident(
            &self.settings.name,
            answer.data,
            Utc::now(),
        )))
    }

    async fn history(&self, key: &IncidentKey) -> Result<History, ProviderError> {
        let alert_path = format!("/v2/alerts/{}", segment(&key.id));
        let (notes, logs) =
            futures_util::future::join(self.notes(&alert_path), self.logs(&alert_path)).await;
        let (logs, timeline_problem) = match logs {
            Ok(logs) => (logs, None),
            Err(error) => (Vec::new(), Some(error.to_string())),
        };
        Ok(History {
            notes: notes?.into_iter().map(map::note).collect(),
            timeline: logs.into_iter().map(map::timeline_entry).collect(),
            timeline_problem,
        })
    }

    /// Every rule of the escalation the alert would go to, in order (`level`): Opsgenie's
    /// rows carry no levels and its schedules seldom level two's name, so the default
    /// pick from `oncall` would find nobody.
    async fn level_two_oncall(
        &self,
        _key: &IncidentKey,
        escalation: &Verb,
    ) -> Result<Vec<OnCall>, ProviderError> {
        self.level_two_people(escalation).await
    }

    async fn oncall(&self) -> Result<Vec<OnCall>, ProviderError> {
        if self.settings.schedules.is_empty() {
            return Err(ProviderError::Unsupported(
                "set schedules = [\"…\"] in the opsgenie source to see who is on call".into(),
            ));
        }
        // What could not be read is logged where it was read: who is on call now is shown.
        let mut everyone = Vec::new();
        for schedule in &self.settings.schedules {
            everyone.extend(self.schedule_roster(schedule).await?.people);
        }
        Ok(everyone)
    }
}
