//! Metric series for the selected incident's service, and where they come from.

use std::future::Future;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::incident::Incident;
use crate::providers::ProviderError;

/// The unit a series is measured in, for formatting its values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    #[default]
    None,
    Percent,
    Seconds,
    PerSecond,
    Bytes,
}

/// One signal over time: `points` are (unix seconds, value), oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Series {
    pub name: String,
    pub unit: Unit,
    pub points: Vec<(f64, f64)>,
}

impl Series {
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

/// The time span a chart covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl Window {
    /// From well before the incident fired (half an hour, or half its age) to now.
    pub fn around(opened_at: DateTime<Utc>, now: DateTime<Utc>) -> Self {
        let age = (now - opened_at).max(chrono::TimeDelta::zero());
        let lead = (age / 2).max(chrono::TimeDelta::minutes(30));
        Window {
            start: opened_at - lead,
            end: now.max(opened_at + chrono::TimeDelta::minutes(1)),
        }
    }
}

/// Anything that can chart a service: Prometheus-compatible APIs, the demo.
pub trait MetricsSource: Send + Sync + 'static {
    fn series_for(
        &self,
        incident: &Incident,
        window: Window,
    ) -> impl Future<Output = Result<Vec<Series>, ProviderError>> + Send;
}

/// A value in its unit, short enough for a chart title: "7.3%", "1.42s", "830ms", "12.0k/s".
pub fn format_value(value: f64, unit: Unit) -> String {
    if !value.is_finite() {
        return "–".into();
    }
    match unit {
        Unit::Percent => format!("{value:.1}%"),
        Unit::Seconds if value.abs() < 1.0 => format!("{:.0}ms", value * 1000.0),
        Unit::Seconds => format!("{value:.2}s"),
        Unit::PerSecond => format!("{}/s", si(value)),
        Unit::Bytes => format!("{}B", si(value)),
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
        assert_eq!(format_value(f64::NAN, Unit::None), "–");
    }

    #[test]
    fn trend_follows_the_last_quarter() {
        let rising = Series {
            name: "x".into(),
            unit: Unit::None,
            points: (0..20).map(|i| (i as f64, i as f64)).collect(),
        };
        assert_eq!(rising.trend(), "↑");
        let flat = Series {
            points: (0..20).map(|i| (i as f64, 5.0)).collect(),
            ..rising.clone()
        };
        assert_eq!(flat.trend(), "→");
    }

    #[test]
    fn window_starts_well_before_the_firing() {
        let opened = DateTime::from_timestamp(10_000, 0).unwrap();
        let now = opened + chrono::TimeDelta::minutes(10);
        let window = Window::around(opened, now);
        assert_eq!(window.start, opened - chrono::TimeDelta::minutes(30));
        assert_eq!(window.end, now);
    }
}
