//! Prometheus Alertmanager as an incident source (API v2): active alerts grouped into
//! incidents by labels, the members of an HA cluster merged by fingerprint.
//!
//! Acknowledge and snooze are silences, as karma does it (see `silences`); resolve is not
//! possible: an alert resolves when whatever fires it stops. Alertmanager cannot page on
//! demand, so escalating pages level two by the configured route (see `paging`).

mod act;
mod decode;
mod ending;
mod group;
mod history;
mod silences;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Mutex;
use std::time::Duration;

use super::paging::{PageRoute, Pager};
use super::route::RouteOverride;
use super::{Applied, Asked, Capabilities, ProviderError, Source, Verb};
use crate::incident::{Incident, IncidentKey, Severity};
pub use decode::incidents_from_json;
use group::{Alert, Group};

/// How one configured Alertmanager source reads its alerts.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub name: String,
    /// The members of one HA cluster (or a single server).
    pub urls: Vec<String>,
    /// The labels whose values make one incident of many alerts.
    pub group_by: Vec<String>,
    /// The label that names the service.
    pub service_label: String,
    /// The label that says how bad an alert is.
    pub severity_label: String,
    /// The team's own severity words (lower case), before the common ones.
    pub severities: BTreeMap<String, Severity>,
    pub timeout: Duration,
    /// Connecting only; cut to `timeout` if longer.
    pub connect_timeout: Duration,
    /// Who acknowledges: the silence's `createdBy`.
    pub me: String,
    /// How long an acknowledgement (a silence) lasts.
    pub ack_for: Duration,
    /// How level two is paged; without it, escalating is refused with how to set it.
    pub escalation: Option<PageRoute>,
}

impl Settings {
    /// Settings with the defaults for everything but where and who.
    pub fn new(name: &str, urls: Vec<String>, me: &str) -> Settings {
        Settings {
            name: name.to_string(),
            urls,
            group_by: vec!["alertname".into(), "service".into()],
            service_label: "service".into(),
            severity_label: "severity".into(),
            severities: BTreeMap::new(),
            timeout: Duration::from_secs(15),
            connect_timeout: Duration::from_secs(5),
            me: me.to_string(),
            ack_for: Duration::from_secs(3600),
            escalation: None,
        }
    }
}

pub struct Alertmanager {
    settings: Settings,
    http: reqwest::Client,
    /// Each incident as last polled, with its matchers and silences.
    groups: Mutex<HashMap<IncidentKey, Polled>>,
    /// Which members did not answer the last poll, when others did.
    degraded: Mutex<Option<String>>,
    /// Pages level two, once per open incident; `None` when no route is configured.
    /// Pages level two, by `[escalation] alertmanager` or by a playbook's own route.
    pager: Pager,
}

/// What the last poll said about one incident: what silences it, and what to page with.
#[derive(Debug, Clone)]
struct Polled {
    matchers: Vec<(String, String)>,
    silenced_by: Vec<String>,
    incident: Incident,
}

/// Why escalating is refused, and how to make it possible.
const NO_ROUTE: &str = "Alertmanager cannot escalate by itself: set [escalation] alertmanager = { events_routing_key_env = \"…\" } or { webhook_url = \"…\" }";

impl Alertmanager {
    pub fn new(settings: Settings) -> Result<Alertmanager, String> {
        if settings.urls.is_empty() {
            return Err(format!(
                "source {}: an alertmanager source needs urls = [\"http://…:9093\"]",
                settings.name
            ));
        }
        let http = reqwest::Client::builder()
            .timeout(settings.timeout)
            .connect_timeout(settings.connect_timeout.min(settings.timeout))
            .user_agent(concat!("pagerdeck/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| format!("source {}: cannot set up HTTP: {e}", settings.name))?;
        let pager = Pager::for_source(
            settings.escalation.clone(),
            settings.timeout,
            settings.connect_timeout,
        )
        .map_err(|e| format!("source {}: {e}", settings.name))?;
        Ok(Alertmanager {
            settings,
            http,
            groups: Mutex::new(HashMap::new()),
            degraded: Mutex::new(None),
            pager,
        })
    }

    fn endpoint(url: &str, path: &str) -> String {
        format!("{}/api/v2/{path}", url.trim_end_matches('/'))
    }

    fn unreachable(url: &str, error: &reqwest::Error) -> ProviderError {
        super::http::unreachable(url, error)
    }

    /// A non-2xx answer; Alertmanager's error bodies are a bare JSON string. A huge one
    /// is not read whole: its start says what it is.
    async fn refusal(response: reqwest::Response) -> ProviderError {
        let code = response.status().as_u16();
        // A proxy in front may rate-limit: wait as asked, as for the token APIs.
        if code == 429 {
            return ProviderError::RateLimited {
                retry_after_secs: super::http::retry_after(response.headers()),
            };
        }
        let url = response.url().to_string();
        let body = match super::http::body::read(response, &url, 64 * 1024).await {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(_) => String::new(),
        };
        let body = serde_json::from_str::<String>(&body).unwrap_or(body);
        ProviderError::Status {
            code,
            body: body.chars().take(200).collect(),
        }
    }

    async fn alerts_from(&self, url: &str) -> Result<Vec<Alert>, ProviderError> {
        let endpoint = Self::endpoint(url, "alerts");
        let response = self
            .http
            .get(&endpoint)
            .query(&[("active", "true"), ("inhibited", "false")])
            .send()
            .await
            .map_err(|e| Self::unreachable(url, &e))?;
        if !response.status().is_success() {
            return Err(Self::refusal(response).await);
        }
        Self::decode(response, endpoint).await
    }

    /// An answer's body as `T`, read as `sanitize::json` reads it: one alert's bad bytes
    /// must not hide every other alert. At most `ALERTS_LIMIT` is read (unpaged: a storm
    /// of alerts is one answer), and a large one is decoded off the async workers.
    async fn decode<T: serde::de::DeserializeOwned + Send + 'static>(
        response: reqwest::Response,
        endpoint: String,
    ) -> Result<T, ProviderError> {
        use super::http::body;
        let bytes = body::read(response, &endpoint, body::ALERTS_LIMIT).await?;
        body::decode(bytes, &endpoint).await
    }

    /// The incident as last polled, with its matchers and silences; polled afresh when
    /// it is not known yet (a headless command, or an action before the first poll).
    async fn polled(&self, key: &IncidentKey) -> Result<Polled, ProviderError> {
        if let Some(known) = self.known(key) {
            return Ok(known);
        }
        self.incidents().await?;
        self.known(key)
            .ok_or_else(|| ProviderError::NotFound(key.clone()))
    }

    fn known(&self, key: &IncidentKey) -> Option<Polled> {
        let groups = self.groups.lock().unwrap_or_else(|e| e.into_inner());
        groups.get(key).cloned()
    }
}

impl Source for Alertmanager {
    fn kind(&self) -> &'static str {
        "alertmanager"
    }

    fn escalation_route(&self) -> Option<String> {
        Some(match self.settings.escalation.as_ref()? {
            PageRoute::Events { url, read_back, .. } => {
                let taken = match read_back {
                    Some(read_back) => format!(
                        "; whether level two took it is read from {}",
                        read_back.api_url
                    ),
                    None => String::new(),
                };
                super::paging::events_route_words(url) + &taken
            }
            route @ PageRoute::Webhook { .. } => {
                format!(
                    "webhook POST to {}, the hand-over as its text",
                    route.shown()
                )
            }
        })
    }

    async fn active_silences(&self) -> Result<Vec<super::silence::SilenceSummary>, ProviderError> {
        self.silence_summaries().await
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            resolve: Err(
                "Alertmanager cannot resolve: the alert resolves when it stops firing".into(),
            ),
            escalate: match self.pager.has_route() {
                true => Ok(()),
                false => Err(NO_ROUTE.into()),
            },
            note: Err("Alertmanager keeps no notes: say it with the acknowledgement".into()),
            reassign: Err("Alertmanager has no assignees".into()),
            add_responder: Err(
                "Alertmanager has no responders: page them through PagerDuty".into(),
            ),
            ..Capabilities::all()
        }
    }

    fn degraded(&self) -> Option<String> {
        self.degraded
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Every member is asked; the alerts are merged by fingerprint, so an HA pair never
    /// shows an alert twice. Only when no member answers is the source failing; when
    /// some do, it is degraded.
    async fn incidents(&self) -> Result<Vec<Incident>, ProviderError> {
        let answers = futures_util::future::join_all(
            self.settings.urls.iter().map(|url| self.alerts_from(url)),
        )
        .await;
        let mut merged: BTreeMap<String, Alert> = BTreeMap::new();
        let mut down = Vec::new();
        let members = answers.len();
        for answer in answers {
            match answer {
                Ok(alerts) => {
                    for alert in alerts {
                        merged.entry(alert.fingerprint.clone()).or_insert(alert);
                    }
                }
                Err(error) => down.push(error),
            }
        }
        if down.len() == members && !down.is_empty() {
            return Err(down.swap_remove(0));
        }
        let degraded = down
            .first()
            .map(|error| format!("{} of {members} members down: {error}", down.len()));
        *self.degraded.lock().unwrap_or_else(|e| e.into_inner()) = degraded;
        let alerts: Vec<Alert> = merged.into_values().collect();
        let silenced = alerts.iter().any(|a| !a.status.silenced_by.is_empty());
        // Who silenced what is a nicety: without it the incident still shows, acked.
        let silences = match silenced {
            true => self.silences().await.unwrap_or_default(),
            false => HashMap::new(),
        };
        let grouped = group::group(&self.settings, alerts);
        let open: HashSet<&IncidentKey> = grouped.iter().map(|g| &g.incident.key).collect();
        self.pager.keep_only(&open);
        // Failures are logged there and never fail this poll.
        self.pager.read_answers(std::time::Instant::now()).await;
        let mut groups = self.groups.lock().unwrap_or_else(|e| e.into_inner());
        groups.clear();
        let incidents = grouped
            .into_iter()
            .map(
                |Group {
                     matchers,
                     silenced_by,
                     mut incident,
                 }| {
                    if let Some(silence) = silenced_by.iter().find_map(|id| silences.get(id)) {
                        incident.assignee = Some(silence.created_by.clone());
                        let said = silences::describe(silence);
                        incident.description = match incident.description.is_empty() {
                            true => said,
                            false => format!("{said}\n{}", incident.description),
                        };
                    }
                    incident.escalated_to = self.pager.paged_to(&incident.key);
                    incident.level_two_answer = self.pager.answer(&incident.key);
                    let polled = Polled {
                        matchers,
                        silenced_by,
                        incident: incident.clone(),
                    };
                    groups.insert(incident.key.clone(), polled);
                    incident
                },
            )
            .collect();
        Ok(incidents)
    }

    async fn perform(&self, key: &IncidentKey, verb: &Verb) -> Result<(), ProviderError> {
        self.act(key, verb, None).await
    }

    /// The silence an ack or snooze makes carries the op id in its comment: the dedup key
    /// a resume looks for.
    async fn page_history(
        &self,
        since: chrono::DateTime<chrono::Utc>,
        until: chrono::DateTime<chrono::Utc>,
    ) -> Result<super::PageHistory, ProviderError> {
        self.past(since, until).await
    }

    async fn perform_once(
        &self,
        key: &IncidentKey,
        verb: &Verb,
        op: u64,
    ) -> Result<(), ProviderError> {
        self.act(key, verb, Some(op)).await
    }

    async fn already_applied(
        &self,
        key: &IncidentKey,
        verb: &Verb,
        asked: Asked,
    ) -> Result<Applied, ProviderError> {
        match verb {
            Verb::Acknowledge { .. } | Verb::Snooze { .. } => self.silenced_as(asked.op).await,
            // Sent by the Events API v2 with the incident's own dedup_key: sending it
            // again folds into the same PagerDuty alert, so it is safe to send.
            Verb::Escalate {
                playbook_route: Some(RouteOverride::Alertmanager(_)),
                ..
            } => Ok(Applied::No),
            Verb::Escalate { .. }
                if matches!(self.settings.escalation, Some(PageRoute::Events { .. })) =>
            {
                Ok(Applied::No)
            }
            _ => super::applied::from_status_and_notes(self, key, verb).await,
        }
    }
}
