//! Each source's health: live, stale, or failing with the reason. An empty list is only
//! "all quiet" when the source behind it is live.

use chrono::{DateTime, Utc};

use crate::incident::format_age;
use crate::providers::Capabilities;

#[derive(Debug, Clone, PartialEq)]
pub struct SourceStatus {
    pub name: String,
    pub kind: String,
    pub poll_seconds: u64,
    pub last_ok: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    /// Answered, but not all of it (an HA member down): still live data.
    pub degraded: Option<String>,
    /// Rate limited: asked again only after this.
    pub slowed_until: Option<DateTime<Utc>>,
    pub generation: u64,
    /// Which verbs it has; the others are shown disabled with the reason.
    pub capabilities: Capabilities,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Health {
    Connecting,
    Live,
    /// Live data, but part of the source did not answer.
    Degraded {
        reason: String,
    },
    Stale {
        seconds: i64,
    },
    /// The server asked us to slow down (429): the last data stays until it may be asked.
    RateLimited {
        next_in_seconds: i64,
        last_ok_seconds: Option<i64>,
    },
    Failing {
        reason: String,
        last_ok_seconds: Option<i64>,
    },
}

impl Health {
    /// What the status bar says: "live", "stale for 1m", "failing: … (last good 5m ago)".
    pub fn label(&self) -> String {
        match self {
            Health::Connecting => "connecting…".into(),
            Health::Live => "live".into(),
            Health::Degraded { reason } => format!("degraded: {reason}"),
            Health::Stale { seconds } => format!("stale for {}", format_age(*seconds)),
            Health::RateLimited {
                next_in_seconds,
                last_ok_seconds,
            } => {
                let last = last_ok_seconds
                    .map(|s| format!(", last good {} ago", format_age(s)))
                    .unwrap_or_default();
                format!(
                    "rate limited: asking again in {}{last}",
                    format_age(*next_in_seconds)
                )
            }
            Health::Failing {
                reason,
                last_ok_seconds: Some(seconds),
            } => format!("failing: {reason} (last good {} ago)", format_age(*seconds)),
            Health::Failing { reason, .. } => format!("failing: {reason} (no data yet)"),
        }
    }

    pub fn glyph(&self) -> &'static str {
        match self {
            Health::Connecting => "…",
            Health::Live => "●",
            Health::Degraded { .. } => "◑",
            Health::Stale { .. } | Health::RateLimited { .. } => "◐",
            Health::Failing { .. } => "✖",
        }
    }
}

impl SourceStatus {
    pub fn new(setup: &SourceSetup) -> Self {
        Self {
            name: setup.name.clone(),
            kind: setup.kind.clone(),
            poll_seconds: setup.poll_seconds,
            last_ok: None,
            last_error: None,
            degraded: None,
            slowed_until: None,
            generation: 0,
            capabilities: setup.capabilities.clone(),
        }
    }

    pub fn health(&self, now: DateTime<Utc>) -> Health {
        let age = self.last_ok.map(|t| (now - t).num_seconds().max(0));
        match (&self.last_error, age) {
            (Some(_), _) if let Some(until) = self.slowed_until => Health::RateLimited {
                next_in_seconds: (until - now).num_seconds().max(0),
                last_ok_seconds: age,
            },
            (Some(reason), _) => Health::Failing {
                reason: reason.clone(),
                last_ok_seconds: age,
            },
            (None, None) => Health::Connecting,
            // Three missed polls (and at least 15 s) make data stale.
            (None, Some(seconds)) if seconds > (3 * self.poll_seconds as i64).max(15) => {
                Health::Stale { seconds }
            }
            (None, Some(_)) => match &self.degraded {
                Some(reason) => Health::Degraded {
                    reason: reason.clone(),
                },
                None => Health::Live,
            },
        }
    }
}

/// A configured source as the state first knows it.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceSetup {
    pub name: String,
    pub kind: String,
    pub poll_seconds: u64,
    pub capabilities: Capabilities,
    /// How an escalation from this source reaches level two, in words.
    pub escalation_route: Option<String>,
}

impl SourceSetup {
    pub fn new(name: &str, kind: &str, poll_seconds: u64, capabilities: Capabilities) -> Self {
        Self {
            name: name.into(),
            kind: kind.into(),
            poll_seconds,
            capabilities,
            escalation_route: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeDelta;

    #[test]
    fn health_goes_live_stale_failing() {
        let now = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let setup = SourceSetup::new("prod", "demo", 5, Capabilities::all());
        let mut source = SourceStatus::new(&setup);
        assert_eq!(source.health(now), Health::Connecting);
        source.last_ok = Some(now - TimeDelta::seconds(10));
        assert_eq!(source.health(now), Health::Live);
        source.degraded = Some("1 of 2 members down".into());
        assert_eq!(source.health(now).label(), "degraded: 1 of 2 members down");
        source.degraded = None;
        source.last_ok = Some(now - TimeDelta::seconds(73));
        assert_eq!(source.health(now).label(), "stale for 1m");
        source.last_error = Some("connection refused".into());
        assert_eq!(
            source.health(now).label(),
            "failing: connection refused (last good 1m ago)"
        );
        source.slowed_until = Some(now + TimeDelta::seconds(45));
        let health = source.health(now);
        assert_eq!(
            health.label(),
            "rate limited: asking again in 45s, last good 1m ago"
        );
        assert_eq!(health.glyph(), "◐", "slowed, not failing");
    }
}
