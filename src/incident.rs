//! The normalised incident every source maps into, and the small types around it.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// How bad an incident is. Ordered: `Critical` is the greatest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 4] = [
        Severity::Critical,
        Severity::High,
        Severity::Warning,
        Severity::Info,
    ];

    /// A glyph that carries severity without colour (the 3 a.m. rule).
    pub fn glyph(self) -> &'static str {
        match self {
            Severity::Critical => "◆",
            Severity::High => "▲",
            Severity::Warning => "●",
            Severity::Info => "·",
        }
    }

    /// A short upper-case word for dense columns.
    pub fn word(self) -> &'static str {
        match self {
            Severity::Critical => "CRIT",
            Severity::High => "HIGH",
            Severity::Warning => "WARN",
            Severity::Info => "INFO",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::High => "high",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// Where an incident is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Triggered,
    Acknowledged,
    Resolved,
}

impl Status {
    pub fn glyph(self) -> &'static str {
        match self {
            Status::Triggered => "!",
            Status::Acknowledged => "✓",
            Status::Resolved => "✔",
        }
    }

    pub fn word(self) -> &'static str {
        match self {
            Status::Triggered => "TRIGGERED",
            Status::Acknowledged => "ACKED",
            Status::Resolved => "RESOLVED",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Status::Triggered => "triggered",
            Status::Acknowledged => "acknowledged",
            Status::Resolved => "resolved",
        }
    }
}

/// A source-qualified incident id, printable and parseable: `demo:INC-101`, `pd:Q1ABC`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct IncidentKey {
    pub source: String,
    pub id: String,
}

impl IncidentKey {
    pub fn new(source: impl Into<String>, id: impl Into<String>) -> Self {
        Self {
            source: source.into(),
            id: id.into(),
        }
    }
}

impl fmt::Display for IncidentKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.source, self.id)
    }
}

impl FromStr for IncidentKey {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.split_once(':') {
            Some((source, id)) if !source.is_empty() && !id.is_empty() => {
                Ok(IncidentKey::new(source, id))
            }
            _ => Err(format!(
                "`{text}` is not an incident key: expected SOURCE:ID, e.g. demo:INC-101"
            )),
        }
    }
}

impl TryFrom<String> for IncidentKey {
    type Error = String;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        text.parse()
    }
}

impl From<IncidentKey> for String {
    fn from(key: IncidentKey) -> String {
        key.to_string()
    }
}

/// A link on an incident: a dashboard, the provider's page, a runbook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    pub title: String,
    pub url: String,
}

/// Level two's answer to an escalation, as its source reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "answer", rename_all = "snake_case")]
pub enum LevelTwoAnswer {
    /// Someone at level two has the incident now.
    Taken { by: String },
    /// Level two said no (a declined responder request): it needs asking again.
    Declined { by: String },
}

/// One incident, whatever source it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Incident {
    pub key: IncidentKey,
    pub source: String,
    pub title: String,
    pub severity: Severity,
    pub status: Status,
    pub service: String,
    pub team: Option<String>,
    /// The alert's name (Alertmanager `alertname`, PagerDuty/Opsgenie alert key), used to
    /// match a playbook section.
    pub alert: Option<String>,
    pub opened_at: DateTime<Utc>,
    pub assignee: Option<String>,
    /// Who level two is, once the incident was escalated.
    pub escalated_to: Option<String>,
    /// What level two did with the escalation, where the source can tell (a responder
    /// who joined or declined, the paged incident acknowledged at level two).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level_two_answer: Option<LevelTwoAnswer>,
    pub description: String,
    pub labels: BTreeMap<String, String>,
    pub links: Vec<Link>,
}

impl Incident {
    /// Does every word of `filter` appear (case-insensitively) in the title, the service,
    /// the alert name or a label (`key=value`)?
    pub fn matches(&self, filter: &str) -> bool {
        filter.split_whitespace().all(|word| {
            let word = word.to_lowercase();
            contains_ci(&self.title, &word)
                || contains_ci(&self.service, &word)
                || self.alert.as_deref().is_some_and(|a| contains_ci(a, &word))
                || self
                    .labels
                    .iter()
                    .any(|(key, value)| contains_ci(&format!("{key}={value}"), &word))
        })
    }
}

fn contains_ci(haystack: &str, lowercase_needle: &str) -> bool {
    haystack.to_lowercase().contains(lowercase_needle)
}

/// Human age, coarse on purpose: "45s", "12m", "3h10m", "2d4h".
pub fn format_age(seconds: i64) -> String {
    let s = seconds.max(0);
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m", s / 60),
        3600..86400 => {
            let (h, m) = (s / 3600, (s % 3600) / 60);
            if m == 0 {
                format!("{h}h")
            } else {
                format!("{h}h{m:02}m")
            }
        }
        _ => format!("{}d{}h", s / 86400, (s % 86400) / 3600),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_reject_garbage() {
        let key: IncidentKey = "pd:Q1ABC".parse().unwrap();
        assert_eq!(key, IncidentKey::new("pd", "Q1ABC"));
        assert_eq!(key.to_string(), "pd:Q1ABC");
        // Alertmanager fingerprints and ids with colons keep everything after the first one.
        let key: IncidentKey = "am:abc:def".parse().unwrap();
        assert_eq!(key.id, "abc:def");
        assert!("nocolon".parse::<IncidentKey>().is_err());
        assert!(":x".parse::<IncidentKey>().is_err());
    }

    #[test]
    fn severity_orders_critical_first() {
        let mut all = vec![
            Severity::Info,
            Severity::Critical,
            Severity::Warning,
            Severity::High,
        ];
        all.sort_by(|a, b| b.cmp(a));
        assert_eq!(all, Severity::ALL.to_vec());
    }

    #[test]
    fn ages_read_like_a_human_would_say_them() {
        assert_eq!(format_age(-5), "0s");
        assert_eq!(format_age(45), "45s");
        assert_eq!(format_age(12 * 60 + 30), "12m");
        assert_eq!(format_age(3 * 3600 + 10 * 60), "3h10m");
        assert_eq!(format_age(2 * 3600), "2h");
        assert_eq!(format_age(2 * 86400 + 4 * 3600), "2d4h");
    }
}
