//! Metric series for the selected incident's service, and where they come from: the
//! built-in demo, or any Prometheus-compatible API (`metrics/prometheus.rs`).

pub mod alert_expr;
mod answers;
pub mod cache;
pub mod prometheus;
pub mod query;
mod range_answer;
pub mod window;

use std::future::Future;

use serde::{Deserialize, Serialize};

use crate::incident::Incident;
use crate::providers::ProviderError;

pub use window::{ChartRange, Span, Window};

/// The unit a series is measured in, for formatting its values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    #[default]
    None,
    /// Already 0–100.
    Percent,
    /// 0–1, shown as a percentage.
    Ratio,
    Seconds,
    PerSecond,
    Bytes,
    BytesPerSecond,
}

impl Unit {
    /// The name used in the config and in `--json`.
    pub fn name(self) -> &'static str {
        match self {
            Unit::None => "none",
            Unit::Percent => "percent",
            Unit::Ratio => "ratio",
            Unit::Seconds => "seconds",
            Unit::PerSecond => "per_second",
            Unit::Bytes => "bytes",
            Unit::BytesPerSecond => "bytes_per_second",
        }
    }
}

/// Said in place of a chart: why a signal has none, or what was left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Notice {
    /// Something to fix: a template label the incident lacks, the server's error.
    Problem(String),
    /// Worth knowing, nothing broken: series not charted, nothing configured.
    Info(String),
}

/// One signal over time: `points` are (unix seconds, value), oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Series {
    pub name: String,
    pub unit: Unit,
    pub points: Vec<(f64, f64)>,
    /// The PromQL that was asked (none for the demo).
    #[serde(default)]
    pub query: Option<String>,
    /// When set, the pane shows this instead of a chart.
    #[serde(default)]
    pub notice: Option<Notice>,
    /// The alert's threshold, drawn across the chart of its expression.
    #[serde(default)]
    pub threshold: Option<f64>,
}

impl Series {
    pub fn new(name: impl Into<String>, unit: Unit, points: Vec<(f64, f64)>) -> Self {
        Series {
            name: name.into(),
            unit,
            points,
            ..Series::default()
        }
    }

    /// A signal with no chart, only something to say.
    pub fn notice(name: impl Into<String>, notice: Notice) -> Self {
        Series {
            name: name.into(),
            notice: Some(notice),
            ..Series::default()
        }
    }

    pub fn problem(&self) -> Option<&str> {
        match &self.notice {
            Some(Notice::Problem(text)) => Some(text),
            _ => None,
        }
    }

    pub fn latest(&self) -> Option<f64> {
        self.points.last().map(|&(_, value)| value)
    }

    /// Change over the last quarter of the window, as a direction glyph.
    pub fn trend(&self) -> &'static str {
        let n = self.points.len();
        if n < 4 {
            return "→";
        }
        let (old, new) = (self.points[n - n / 4 - 1].1, self.points[n - 1].1);
        let scale = old.abs().max(new.abs()).max(f64::EPSILON);
        match (new - old) / scale {
            d if d > 0.1 => "↑",
            d if d < -0.1 => "↓",
            _ => "→",
        }
    }
}

/// Anything that can chart a service: Prometheus-compatible APIs, the demo.
pub trait MetricsSource: Send + Sync + 'static {
    /// Every signal for `incident` over `window`, one point per `step_seconds`. A signal
    /// that fails alone is a `Series` with a notice; `Err` is for the source as a whole
    /// (the server is down), so the pane can say so once.
    fn series_for(
        &self,
        incident: &Incident,
        window: Window,
        step_seconds: u64,
    ) -> impl Future<Output = Result<Vec<Series>, ProviderError>> + Send;
}

/// A value in its unit, short enough for a chart title: "7.3%", "1.42s", "830ms", "12.0k/s".
pub fn format_value(value: f64, unit: Unit) -> String {
    if !value.is_finite() {
        return "–".into();
    }
    match unit {
        Unit::Percent => format!("{value:.1}%"),
        Unit::Ratio => format!("{:.1}%", value * 100.0),
        Unit::Seconds if value.abs() < 1.0 => format!("{:.0}ms", value * 1000.0),
        Unit::Seconds => format!("{value:.2}s"),
        Unit::PerSecond => format!("{}/s", si(value)),
        Unit::Bytes => format!("{}B", si(value)),
        Unit::BytesPerSecond => format!("{}B/s", si(value)),
        Unit::None => si(value),
    }
}

fn si(value: f64) -> String {
    let magnitude = value.abs();
    if magnitude >= 1e9 {
        format!("{:.1}G", value / 1e9)
    } else if magnitude >= 1e6 {
        format!("{:.1}M", value / 1e6)
    } else if magnitude >= 1e3 {
        format!("{:.1}k", value / 1e3)
    } else if magnitude >= 10.0 || magnitude == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.2}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_carry_their_units() {
        assert_eq!(format_value(7.345, Unit::Percent), "7.3%");
        assert_eq!(format_value(0.83, Unit::Seconds), "830ms");
        assert_eq!(format_value(1.4234, Unit::Seconds), "1.42s");
        assert_eq!(format_value(12_000.0, Unit::PerSecond), "12.0k/s");
        assert_eq!(
            format_value(3.0 * 1024.0 * 1024.0 * 1024.0, Unit::Bytes),
            "3.2GB"
        );
        assert_eq!(format_value(0.0512, Unit::Ratio), "5.1%");
        assert_eq!(format_value(2_500_000.0, Unit::BytesPerSecond), "2.5MB/s");
        assert_eq!(format_value(f64::NAN, Unit::None), "–");
    }

    #[test]
    fn trend_follows_the_last_quarter() {
        let rising = Series::new(
            "x",
            Unit::None,
            (0..20).map(|i| (i as f64, i as f64)).collect(),
        );
        assert_eq!(rising.trend(), "↑");
        let flat = Series {
            points: (0..20).map(|i| (i as f64, 5.0)).collect(),
            ..rising.clone()
        };
        assert_eq!(flat.trend(), "→");
    }
}
