//! From Alertmanager's alerts to pagerdeck's incidents: alerts that share the `group_by`
//! labels' values are one incident, its severity the worst of them.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::Settings;
use crate::incident::{Incident, IncidentKey, Link, Severity, Status};

/// One alert as `GET /api/v2/alerts` returns it (the fields pagerdeck uses).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Alert {
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    #[serde(default)]
    pub annotations: BTreeMap<String, String>,
    pub starts_at: DateTime<Utc>,
    #[serde(default, rename = "generatorURL")]
    pub generator_url: String,
    pub fingerprint: String,
    pub status: AlertStatus,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct AlertStatus {
    pub state: String,
    #[serde(default)]
    pub silenced_by: Vec<String>,
}

/// One incident made of alerts: what silences it, and the silences already on it.
pub(super) struct Group {
    /// Exact matchers on the grouping labels: what an acknowledgement silences.
    pub matchers: Vec<(String, String)>,
    pub silenced_by: Vec<String>,
    pub incident: Incident,
}

pub(super) fn group(settings: &Settings, alerts: Vec<Alert>) -> Vec<Group> {
    let mut groups: BTreeMap<Vec<String>, Vec<Alert>> = BTreeMap::new();
    for alert in alerts {
        let key = settings
            .group_by
            .iter()
            .map(|label| alert.labels.get(label).cloned().unwrap_or_default())
            .collect();
        groups.entry(key).or_default().push(alert);
    }
    groups
        .into_iter()
        .map(|(values, alerts)| {
            let matchers = settings
                .group_by
                .iter()
                .zip(&values)
                .filter(|(_, value)| !value.is_empty())
                .map(|(name, value)| (name.clone(), value.clone()))
                .collect();
            let mut silenced_by: Vec<String> = alerts
                .iter()
                .flat_map(|a| a.status.silenced_by.iter().cloned())
                .collect();
            silenced_by.sort();
            silenced_by.dedup();
            Group {
                matchers,
                silenced_by,
                incident: incident(settings, &values, &alerts),
            }
        })
        .collect()
}

fn incident(settings: &Settings, values: &[String], alerts: &[Alert]) -> Incident {
    let first = &alerts[0];
    // An annotation from whichever alert of the group carries it.
    let annotation = |name: &str| alerts.iter().find_map(|a| a.annotations.get(name).cloned());
    let alertname = first.labels.get("alertname").cloned();
    let summary = annotation("summary")
        .or_else(|| alertname.clone())
        .unwrap_or_else(|| "alert".into());
    let title = match alerts.len() {
        1 => summary,
        n => format!("{summary} ({n} alerts)"),
    };
    // Labels every alert of the group shares: what the incident is about.
    let labels: BTreeMap<String, String> = first
        .labels
        .iter()
        .filter(|(k, v)| alerts.iter().all(|a| a.labels.get(*k) == Some(*v)))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let mut links = Vec::new();
    if !first.generator_url.is_empty() {
        links.push(Link {
            title: "Prometheus expression".into(),
            url: first.generator_url.clone(),
        });
    }
    if let Some(runbook) = annotation("runbook_url") {
        links.push(Link {
            title: "runbook".into(),
            url: runbook,
        });
    }
    let silenced = alerts
        .iter()
        .all(|a| a.status.state == "suppressed" && !a.status.silenced_by.is_empty());
    Incident {
        key: IncidentKey::new(&settings.name, values.join("/")),
        source: settings.name.clone(),
        title,
        severity: alerts
            .iter()
            .map(|a| severity(settings, a.labels.get(&settings.severity_label)))
            .max()
            .unwrap_or(Severity::Warning),
        status: if silenced {
            Status::Acknowledged
        } else {
            Status::Triggered
        },
        service: first
            .labels
            .get(&settings.service_label)
            .cloned()
            .unwrap_or_else(|| "unknown".into()),
        team: first.labels.get("team").cloned(),
        alert: alertname,
        opened_at: alerts
            .iter()
            .map(|a| a.starts_at)
            .min()
            .unwrap_or(first.starts_at),
        assignee: None,
        escalated_to: None,
        level_two_answer: None,
        description: annotation("description").unwrap_or_default(),
        labels,
        links,
    }
}

/// The severity label's value: the source's own mapping first (`severities`, any case),
/// then the words teams commonly use; anything else is a warning.
pub(super) fn severity(settings: &Settings, label: Option<&String>) -> Severity {
    let Some(value) = label.map(|v| v.to_ascii_lowercase()) else {
        return Severity::Warning;
    };
    if let Some(mapped) = settings.severities.get(&value) {
        return *mapped;
    }
    match value.as_str() {
        "critical" | "crit" | "page" | "p1" | "emergency" | "fatal" => Severity::Critical,
        "high" | "error" | "major" | "p2" => Severity::High,
        "info" | "informational" | "low" | "none" | "p4" | "p5" => Severity::Info,
        _ => Severity::Warning,
    }
}
