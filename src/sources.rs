//! From configured sources to running ones. The only place that knows every kind.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::{mpsc, watch};

use crate::config::{Config, MetricsKind, SourceConfig, SourceKind};
use crate::event::Event;
use crate::incident::{Incident, IncidentKey};
use crate::metrics::prometheus::{self, Prometheus};
use crate::metrics::{ChartRange, MetricsSource, Series, Window};
use crate::providers::alertmanager::{self, Alertmanager};
use crate::providers::demo::{DemoSource, DemoWorld};
use crate::providers::poller::{self, PollSettings, SourceHandle};
use crate::providers::{Capabilities, ProviderError, Source, Verb};

/// A source built from config, not yet running.
pub enum Built {
    Demo(Arc<DemoSource>),
    Alertmanager(Arc<Alertmanager>),
}

pub fn build(config: &SourceConfig, me: &str, start: DateTime<Utc>) -> Result<Built, String> {
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
                ack_for: config.ack_duration,
                ..alertmanager::Settings::new(&config.name, config.urls.clone(), me)
            };
            Ok(Built::Alertmanager(Arc::new(Alertmanager::new(settings)?)))
        }
    }
}

impl Built {
    pub fn kind(&self) -> &'static str {
        match self {
            Built::Demo(source) => source.kind(),
            Built::Alertmanager(source) => source.kind(),
        }
    }

    pub fn capabilities(&self) -> Capabilities {
        match self {
            Built::Demo(source) => source.capabilities(),
            Built::Alertmanager(source) => source.capabilities(),
        }
    }

    /// Why part of the source did not answer its last poll, when the rest did.
    pub fn degraded(&self) -> Option<String> {
        match self {
            Built::Demo(source) => source.degraded(),
            Built::Alertmanager(source) => source.degraded(),
        }
    }

    pub async fn perform(&self, key: &IncidentKey, verb: &Verb) -> Result<(), ProviderError> {
        match self {
            Built::Demo(source) => source.perform(key, verb).await,
            Built::Alertmanager(source) => source.perform(key, verb).await,
        }
    }

    pub async fn incidents(&self) -> Result<Vec<Incident>, ProviderError> {
        match self {
            Built::Demo(source) => source.incidents().await,
            Built::Alertmanager(source) => source.incidents().await,
        }
    }

    pub fn spawn(
        &self,
        config: &SourceConfig,
        events: mpsc::UnboundedSender<Event>,
    ) -> SourceHandle {
        let settings = PollSettings {
            interval: config.poll_interval,
            timeout: config.timeout,
            max_backoff: Duration::from_secs(120),
        };
        match self {
            Built::Demo(source) => {
                poller::spawn(config.name.clone(), Arc::clone(source), settings, events)
            }
            Built::Alertmanager(source) => {
                poller::spawn(config.name.clone(), Arc::clone(source), settings, events)
            }
        }
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
            services,
        };
        return Ok(Some(Metrics::Prometheus(Arc::new(Prometheus::new(
            settings,
        )?))));
    }
    Ok(built.iter().find_map(|source| match source {
        Built::Demo(demo) => Some(Metrics::Demo(Arc::clone(demo))),
        Built::Alertmanager(_) => None,
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
