//! From configured sources to running ones. The only place that knows every kind.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::{mpsc, watch};

use crate::config::{
    AlertmanagerRoute, AlertmanagerTarget, Config, MetricsKind, PagerdutyRoute, SourceConfig,
    SourceKind,
};
use crate::event::Event;
use crate::incident::{Incident, IncidentKey};
use crate::metrics::prometheus::{self, Prometheus};
use crate::metrics::{ChartRange, MetricsSource, Series, Window};
use crate::providers::alertmanager::{self, Alertmanager};
use crate::providers::demo::{DemoSource, DemoWorld};
use crate::providers::opsgenie::{self, Opsgenie};
use crate::providers::pagerduty::{self, PagerDuty};
use crate::providers::paging::{self, PageRoute, ReadBack};
use crate::providers::poller::{self, PollSettings, SourceHandle};
use crate::providers::token::{Secret, TokenOrigin};
use crate::providers::{Capabilities, History, OnCall, ProviderError, Source, Verb};

/// A source built from config, not yet running.
pub enum Built {
    Demo(Arc<DemoSource>),
    Alertmanager(Arc<Alertmanager>),
    Pagerduty(Arc<PagerDuty>),
    Opsgenie(Arc<Opsgenie>),
}

/// `$body` with `$source` bound to whichever source `$built` holds.
macro_rules! each_source {
    ($built:expr, $source:ident => $body:expr) => {
        match $built {
            Built::Demo($source) => $body,
            Built::Alertmanager($source) => $body,
            Built::Pagerduty($source) => $body,
            Built::Opsgenie($source) => $body,
        }
    };
}

/// Build one configured source; `whole` gives who you are and how level two is reached.
pub fn build(
    config: &SourceConfig,
    whole: &Config,
    me: &str,
    start: DateTime<Utc>,
) -> Result<Built, String> {
    match config.kind {
        SourceKind::Demo => {
            let world = DemoWorld::embedded()?;
            Ok(Built::Demo(Arc::new(DemoSource::new(
                &config.name,
                world,
                start,
                me,
            ))))
        }
        SourceKind::Alertmanager => {
            let settings = alertmanager::Settings {
                group_by: config.group_by.clone(),
                service_label: config.service_label.clone(),
                severity_label: config.severity_label.clone(),
                severities: config
                    .severities
                    .iter()
                    .map(|(word, severity)| (word.to_ascii_lowercase(), *severity))
                    .collect(),
                timeout: config.timeout,
                connect_timeout: config.connect_timeout,
                ack_for: config.ack_duration,
                escalation: alertmanager_route(whole.escalation.alertmanager.as_ref())?,
                ..alertmanager::Settings::new(&config.name, config.urls.clone(), me)
            };
            Ok(Built::Alertmanager(Arc::new(Alertmanager::new(settings)?)))
        }
        SourceKind::Pagerduty => {
            let (token, token_origin) = token(config)?;
            let settings = pagerduty::Settings {
                name: config.name.clone(),
                base_url: base_url(config, pagerduty::DEFAULT_BASE_URL),
                token,
                token_origin,
                from: config.from.clone().or_else(|| whole.me.email.clone()),
                timeout: config.timeout,
                connect_timeout: config.connect_timeout,
                service_ids: config.service_ids.clone(),
                team_ids: config.team_ids.clone(),
                urgencies: config.urgencies.clone(),
                escalation_policy_ids: config.escalation_policy_ids.clone(),
                escalation: pagerduty_route(whole.escalation.pagerduty.as_ref())?,
            };
            Ok(Built::Pagerduty(Arc::new(PagerDuty::new(settings)?)))
        }
        SourceKind::Opsgenie => {
            let (token, token_origin) = token(config)?;
            let settings = opsgenie::Settings {
                name: config.name.clone(),
                base_url: base_url(config, opsgenie::DEFAULT_BASE_URL),
                token,
                token_origin,
                user: config
                    .from
                    .clone()
                    .or_else(|| whole.me.email.clone())
                    .or_else(|| whole.me.name.clone()),
                timeout: config.timeout,
                connect_timeout: config.connect_timeout,
                query: config.query.clone().unwrap_or_else(|| "status:open".into()),
                schedules: config.schedules.clone(),
                escalation: whole
                    .escalation
                    .opsgenie
                    .as_ref()
                    .map(|r| r.escalation.clone()),
                request_poll: Duration::from_millis(500),
                request_attempts: 20,
            };
            Ok(Built::Opsgenie(Arc::new(Opsgenie::new(settings)?)))
        }
    }
}

fn token(config: &SourceConfig) -> Result<(Secret, String), String> {
    let origin = TokenOrigin::from_config(
        &config.name,
        config.token.as_ref(),
        config.token_env.as_deref(),
        config.token_cmd.as_deref(),
    )?;
    Ok((origin.read(&config.name)?, origin.describe()))
}

fn base_url(config: &SourceConfig, default: &str) -> String {
    config.base_url.clone().unwrap_or_else(|| default.into())
}

fn pagerduty_route(
    route: Option<&PagerdutyRoute>,
) -> Result<Option<pagerduty::EscalationRoute>, String> {
    route
        .map(pagerduty::EscalationRoute::from_config)
        .transpose()
        .map_err(|reason| format!("[escalation] pagerduty: {reason}"))
}

/// `[escalation] alertmanager` as a route to page by, its routing key (and REST token)
/// read now.
fn alertmanager_route(route: Option<&AlertmanagerRoute>) -> Result<Option<PageRoute>, String> {
    let Some(route) = route else {
        return Ok(None);
    };
    Ok(Some(match route.target()? {
        AlertmanagerTarget::Events {
            routing_key_env,
            url,
            read_back,
        } => PageRoute::Events {
            url: url.unwrap_or(paging::DEFAULT_EVENTS_URL).to_string(),
            routing_key: secret_from_env(routing_key_env, "events_routing_key_env")?,
            read_back: match read_back {
                Some(read_back) => Some(ReadBack {
                    api_url: read_back
                        .url
                        .unwrap_or(pagerduty::DEFAULT_BASE_URL)
                        .to_string(),
                    token: secret_from_env(read_back.token_env, "api_token_env")?,
                    token_origin: read_back.token_env.to_string(),
                }),
                None => None,
            },
        },
        AlertmanagerTarget::Webhook { url } => PageRoute::Webhook {
            url: url.to_string(),
        },
    }))
}

/// A key or token of `[escalation] alertmanager`, from the variable its `key` names.
fn secret_from_env(variable: &str, key: &str) -> Result<Secret, String> {
    let said = |what: &str| {
        format!("[escalation] alertmanager: the environment variable {variable} ({key}) {what}")
    };
    let key = std::env::var(variable).map_err(|_| said("is not set"))?;
    match key.trim() {
        "" => Err(said("is empty")),
        key => Ok(Secret::new(key)),
    }
}

impl Built {
    pub fn kind(&self) -> &'static str {
        each_source!(self, source => source.kind())
    }

    pub fn capabilities(&self) -> Capabilities {
        each_source!(self, source => source.capabilities())
    }

    pub fn escalation_route(&self) -> Option<String> {
        each_source!(self, source => source.escalation_route())
    }

    /// Why part of the source did not answer its last poll, when the rest did.
    pub fn degraded(&self) -> Option<String> {
        each_source!(self, source => source.degraded())
    }

    pub async fn incidents(&self) -> Result<Vec<Incident>, ProviderError> {
        each_source!(self, source => source.incidents().await)
    }

    pub async fn history(&self, key: &IncidentKey) -> Result<History, ProviderError> {
        each_source!(self, source => source.history(key).await)
    }

    pub async fn level_two_oncall(
        &self,
        key: &IncidentKey,
        escalation: &Verb,
    ) -> Result<Vec<OnCall>, ProviderError> {
        each_source!(self, source => source.level_two_oncall(key, escalation).await)
    }

    pub async fn active_silences(
        &self,
    ) -> Result<Vec<crate::providers::silence::SilenceSummary>, ProviderError> {
        each_source!(self, source => source.active_silences().await)
    }

    pub async fn page_history(
        &self,
        since: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<crate::providers::PageHistory, ProviderError> {
        each_source!(self, source => source.page_history(since, until).await)
    }

    pub async fn oncall(&self) -> Result<Vec<OnCall>, ProviderError> {
        each_source!(self, source => source.oncall().await)
    }

    /// Start the source's task: the only way to reach `perform`, so `read_only` there
    /// refuses every write.
    pub fn spawn(
        &self,
        config: &SourceConfig,
        read_only: bool,
        events: mpsc::UnboundedSender<Event>,
    ) -> SourceHandle {
        let settings = PollSettings {
            interval: config.poll_interval,
            timeout: config.timeout,
            max_backoff: Duration::from_secs(120),
            read_only,
        };
        let name = config.name.clone();
        each_source!(self, source => poller::spawn(name, Arc::clone(source), settings, events))
    }
}

/// Where the metrics pane's series come from.
pub enum Metrics {
    Prometheus(Arc<Prometheus>),
    Demo(Arc<DemoSource>),
}

/// `[metrics]` when configured, for every incident whatever its source; without it the
/// demo charts its own services; otherwise there is no metrics source.
pub fn build_metrics(config: &Config, built: &[&Built]) -> Result<Option<Metrics>, String> {
    if let Some(metrics) = &config.metrics {
        // The only kind so far: another one will not compile until it is built here.
        let MetricsKind::Prometheus = metrics.kind;
        let services = config
            .services
            .iter()
            .map(|(name, service)| (name.clone(), service.queries.0.clone()))
            .collect();
        let settings = prometheus::Settings {
            url: metrics.url.clone(),
            timeout: metrics.timeout,
            connect_timeout: metrics.connect_timeout,
            services,
        };
        return Ok(Some(Metrics::Prometheus(Arc::new(Prometheus::new(
            settings,
        )?))));
    }
    Ok(built.iter().find_map(|source| match source {
        Built::Demo(demo) => Some(Metrics::Demo(Arc::clone(demo))),
        _ => None,
    }))
}

/// What the pane says when nothing can chart.
pub const NO_METRICS: &str = "no metrics source: add [metrics] with url = \"http://…:9090\" (any Prometheus-compatible API) to the config";

impl Metrics {
    /// A whole fetch gives up after this long (each query has its own, shorter, timeout).
    pub fn timeout(&self, config: &Config) -> Duration {
        match (self, &config.metrics) {
            (Metrics::Prometheus(_), Some(metrics)) => metrics.timeout + Duration::from_secs(5),
            _ => Duration::from_secs(15),
        }
    }

    pub async fn series_for(
        &self,
        incident: &Incident,
        window: Window,
        step_seconds: u64,
    ) -> Result<Vec<Series>, ProviderError> {
        match self {
            Metrics::Prometheus(source) => source.series_for(incident, window, step_seconds).await,
            Metrics::Demo(source) => source.series_for(incident, window, step_seconds).await,
        }
    }

    pub fn spawn(
        &self,
        timeout: Duration,
        events: mpsc::UnboundedSender<Event>,
    ) -> watch::Sender<Option<MetricsRequest>> {
        match self {
            Metrics::Prometheus(source) => spawn_metrics(Arc::clone(source), timeout, events),
            Metrics::Demo(source) => spawn_metrics(Arc::clone(source), timeout, events),
        }
    }
}

/// One request for the selected incident's series.
#[derive(Clone)]
pub struct MetricsRequest {
    pub ticket: u64,
    pub incident: Incident,
    pub range: ChartRange,
}

/// The metrics task: always works on the newest request only, one fetch at a time, so
/// moving quickly through the list never queues stale fetches.
pub fn spawn_metrics<M: MetricsSource>(
    metrics: Arc<M>,
    timeout: Duration,
    events: mpsc::UnboundedSender<Event>,
) -> watch::Sender<Option<MetricsRequest>> {
    let (requests, mut inbox) = watch::channel::<Option<MetricsRequest>>(None);
    tokio::spawn(async move {
        while inbox.changed().await.is_ok() {
            let Some(request) = inbox.borrow_and_update().clone() else {
                continue;
            };
            let result = tokio::time::timeout(
                timeout,
                metrics.series_for(&request.incident, request.range.window, request.range.step),
            )
            .await
            .unwrap_or(Err(ProviderError::Timeout));
            let key: IncidentKey = request.incident.key.clone();
            if events
                .send(Event::Metrics {
                    ticket: request.ticket,
                    key,
                    range: request.range,
                    result,
                })
                .is_err()
            {
                return;
            }
        }
    });
    requests
}
