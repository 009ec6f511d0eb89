//! The metrics pane's state: which span it charts, what was fetched and when, the fetch
//! in flight, and the cache that makes going back to an incident instant.

use chrono::{DateTime, Utc};

use super::State;
use crate::command::Command;
use crate::incident::IncidentKey;
use crate::layout::{self, Pane};
use crate::metrics::cache::Cached;
use crate::metrics::window::step_for_columns;
use crate::metrics::{ChartRange, Series, Span, Window};
use crate::providers::ProviderError;

/// How often the selected incident's metrics are fetched again; cached series younger
/// than this are shown without a fetch.
pub const METRICS_REFRESH_SECONDS: i64 = 15;

/// Columns a chart's y-axis labels take ("1.9k/s│"), and what the plot keeps at least.
const Y_LABEL_COLUMNS: u16 = 8;
const MIN_PLOT_COLUMNS: u16 = 10;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct MetricsView {
    pub key: Option<IncidentKey>,
    pub ticket: u64,
    pub loading: bool,
    pub series: Vec<Series>,
    pub error: Option<String>,
    /// The window `series` covers.
    pub window: Option<Window>,
    /// When `series` was fetched (they stay shown, stale, when a later fetch fails).
    pub series_at: Option<DateTime<Utc>>,
    /// The last answer, good or not: the refresh counts from it.
    pub fetched_at: Option<DateTime<Utc>>,
    /// What `[` and `]` chose; every incident starts around its firing.
    pub span: Span,
    /// The range of the fetch in flight (or the last one).
    pub asked: Option<ChartRange>,
    /// The first signal shown.
    pub scroll: usize,
}

impl State {
    /// Cached series for the selected incident and span at once; a fetch unless they are
    /// younger than the refresh interval (older ones stay on screen while it runs).
    pub(super) fn show_or_fetch_metrics(&mut self) -> Vec<Command> {
        let Some(key) = self.selected().map(|i| i.key.clone()) else {
            return Vec::new();
        };
        if let Some(Cached {
            fetched_at,
            window,
            series,
        }) = self.metrics_cache.get(&key, self.metrics.span).cloned()
        {
            self.metrics.series = series;
            self.metrics.window = Some(window);
            self.metrics.series_at = Some(fetched_at);
            self.metrics.fetched_at = Some(fetched_at);
            self.metrics.error = None;
            self.metrics.loading = false;
            self.dirty = true;
            if (self.now - fetched_at).num_seconds() < METRICS_REFRESH_SECONDS {
                return Vec::new();
            }
        }
        self.fetch_metrics()
    }

    pub(super) fn fetch_metrics(&mut self) -> Vec<Command> {
        let Some(incident) = self.selected().cloned() else {
            return Vec::new();
        };
        self.next_ticket += 1;
        let span = self.metrics.span;
        let window = span.window(incident.opened_at, self.now);
        let range = ChartRange {
            span,
            window,
            step: step_for_columns(window, self.metrics_columns()),
        };
        self.metrics.ticket = self.next_ticket;
        self.metrics.loading = true;
        self.metrics.asked = Some(range);
        vec![Command::FetchMetrics {
            ticket: self.next_ticket,
            incident: Box::new(incident),
            range,
        }]
    }

    /// The plot's width in columns, as if the pane were shown (it may be a hidden tab).
    fn metrics_columns(&self) -> u16 {
        let pane = layout::compute(self.size.0, self.size.1, Pane::Metrics).metrics;
        pane.width
            .saturating_sub(2 + Y_LABEL_COLUMNS)
            .max(MIN_PLOT_COLUMNS)
    }

    pub(super) fn metrics_refresh_due(&mut self) -> Vec<Command> {
        let due = self
            .metrics
            .fetched_at
            .is_some_and(|at| (self.now - at).num_seconds() >= METRICS_REFRESH_SECONDS);
        if due && !self.metrics.loading {
            self.fetch_metrics()
        } else {
            Vec::new()
        }
    }

    /// `[` (wider) and `]` (narrower): the next span on the ladder, its charts from the
    /// cache or fetched.
    pub(super) fn zoom_metrics(&mut self, wider: bool) -> Vec<Command> {
        let Some(opened_at) = self.selected().map(|i| i.opened_at) else {
            self.say("no incident selected".into(), false);
            return Vec::new();
        };
        let Some(span) = self.metrics.span.zoom(wider, opened_at, self.now) else {
            let end = if wider {
                "the widest window: 7d"
            } else {
                "the narrowest window: 15m"
            };
            self.say(format!("metrics already show {end}"), false);
            return Vec::new();
        };
        self.metrics = super::MetricsView {
            key: self.metrics.key.clone(),
            span,
            ..super::MetricsView::default()
        };
        self.show_or_fetch_metrics()
    }

    pub(super) fn on_metrics(
        &mut self,
        ticket: u64,
        key: &IncidentKey,
        range: ChartRange,
        result: Result<Vec<Series>, ProviderError>,
    ) {
        // Kept even when no longer shown: the user may come back to it.
        if let Ok(series) = &result {
            let cached = Cached {
                fetched_at: self.now,
                window: range.window,
                series: series.clone(),
            };
            self.metrics_cache.insert(key.clone(), range.span, cached);
        }
        if ticket != self.metrics.ticket || self.metrics.key.as_ref() != Some(key) {
            return; // For an incident or span no longer shown.
        }
        self.metrics.loading = false;
        self.metrics.fetched_at = Some(self.now);
        match result {
            Ok(series) => {
                self.metrics.window = Some(range.window);
                self.metrics.series_at = Some(self.now);
                self.metrics.series = series;
                self.metrics.error = None;
                let last = self.metrics.series.len().saturating_sub(1);
                self.metrics.scroll = self.metrics.scroll.min(last);
            }
            Err(error) => self.metrics.error = Some(error.to_string()),
        }
        self.dirty = true;
    }
}
