//! A PagerDuty incident as the cockpit's `Incident`: severity from priority, else
//! urgency; the Alertmanager alert name out of the title; what a responder wants at a
//! glance (who acknowledged, what PagerDuty will do next) in the description.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::wire;
use crate::incident::{Incident, IncidentKey, Link, Severity, Status};

pub fn incident(source: &str, wire: wire::Incident, now: DateTime<Utc>) -> Incident {
    let title = wire
        .title
        .clone()
        .or_else(|| wire.summary.clone())
        .filter(|title| !title.trim().is_empty())
        .unwrap_or_else(|| format!("PagerDuty incident {}", wire.id));
    let priority = wire.priority.as_ref().and_then(wire::Reference::label);
    Incident {
        key: IncidentKey::new(source, &wire.id),
        source: source.to_string(),
        severity: severity(priority.as_deref(), wire.urgency.as_deref()),
        status: status(wire.status.as_deref()),
        service: wire
            .service
            .as_ref()
            .and_then(wire::Reference::label)
            .unwrap_or_else(|| "unknown".into()),
        team: wire.teams.iter().find_map(wire::Reference::label),
        alert: Some(alert_name(&title).unwrap_or(&title).to_string()),
        // An incident without a creation time is dated by its last change, else now,
        // so it still sorts among the new ones rather than as decades old.
        opened_at: wire
            .created_at
            .or(wire.last_status_change_at)
            .unwrap_or(now),
        assignee: wire
            .assignments
            .iter()
            .find_map(|a| a.assignee.as_ref()?.label()),
        escalated_to: None,
        level_two_answer: super::responders::level_two_answer(&wire.incidents_responders),
        description: description(&wire),
        labels: labels(&wire, priority),
        links: wire
            .html_url
            .iter()
            .filter(|url| !url.is_empty())
            .map(|url| Link {
                title: "PagerDuty".into(),
                url: url.clone(),
            })
            .collect(),
        title,
    }
}

/// P1 is critical … P4/P5 informational; without a priority, high urgency pages as
/// critical and low as a warning.
pub fn severity(priority: Option<&str>, urgency: Option<&str>) -> Severity {
    let rank = priority
        .and_then(|p| p.trim().get(..2))
        .map(str::to_ascii_uppercase);
    match rank.as_deref() {
        Some("P1") => return Severity::Critical,
        Some("P2") => return Severity::High,
        Some("P3") => return Severity::Warning,
        Some("P4" | "P5") => return Severity::Info,
        _ => {}
    }
    match urgency.map(|u| u.trim().to_ascii_lowercase()).as_deref() {
        Some("high") => Severity::Critical,
        _ => Severity::Warning,
    }
}

/// Anything PagerDuty does not call acknowledged or resolved was listed as open: it
/// needs someone.
fn status(status: Option<&str>) -> Status {
    match status {
        Some("acknowledged") => Status::Acknowledged,
        Some("resolved") => Status::Resolved,
        _ => Status::Triggered,
    }
}

/// "HighErrorRate" out of Alertmanager's "[FIRING:1] HighErrorRate (checkout-api)", so
/// the playbook's section for that alert is found.
pub fn alert_name(title: &str) -> Option<&str> {
    let (status, rest) = title.trim_start().strip_prefix('[')?.split_once(']')?;
    let status = status.to_ascii_uppercase();
    if !(status.starts_with("FIRING") || status.starts_with("RESOLVED")) {
        return None;
    }
    let name = rest.split_whitespace().next()?;
    let name = name.trim_end_matches(|c: char| !(c.is_alphanumeric() || c == '_'));
    (!name.is_empty()).then_some(name)
}

fn labels(wire: &wire::Incident, priority: Option<String>) -> BTreeMap<String, String> {
    let mut labels = BTreeMap::new();
    let mut put = |name: &str, value: Option<String>| {
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            labels.insert(name.to_string(), value);
        }
    };
    put(
        "incident_number",
        wire.incident_number.map(|n| n.to_string()),
    );
    put("urgency", wire.urgency.clone());
    put("priority", priority);
    put("incident_key", wire.incident_key.clone());
    put(
        "escalation_policy",
        wire.escalation_policy
            .as_ref()
            .and_then(wire::Reference::label),
    );
    labels
}

/// One line each: who acknowledged, what PagerDuty does next by itself, how many alerts.
fn description(wire: &wire::Incident) -> String {
    let mut lines = Vec::new();
    let acks: Vec<String> = wire
        .acknowledgements
        .iter()
        .filter_map(|ack| {
            let who = ack.acknowledger.as_ref()?.label()?;
            Some(match ack.at {
                Some(at) => format!("{who} at {}", clock(at)),
                None => who,
            })
        })
        .collect();
    if !acks.is_empty() {
        lines.push(format!("acknowledged by {}", acks.join(", ")));
    }
    for action in &wire.pending_actions {
        let when = action
            .at
            .map(|at| format!(" at {}", clock(at)))
            .unwrap_or_default();
        let what = match action.kind.as_str() {
            "escalate" => "escalates to the next level".to_string(),
            "unacknowledge" => "acknowledgement runs out".to_string(),
            "resolve" => "resolves by itself".to_string(),
            "urgency_change" => match &action.to {
                Some(to) => format!("urgency turns {to}"),
                None => "urgency changes".to_string(),
            },
            _ => continue,
        };
        lines.push(format!("{what}{when}"));
    }
    if let Some(counts) = wire.alert_counts.as_ref().filter(|c| c.all > 1) {
        lines.push(format!(
            "{} alerts, {} still firing",
            counts.all, counts.triggered
        ));
    }
    lines.join("\n")
}

fn clock(at: DateTime<Utc>) -> String {
    at.format("%H:%M UTC").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(json: &str) -> wire::Incident {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn priority_decides_severity_before_urgency() {
        assert_eq!(severity(Some("P1"), Some("low")), Severity::Critical);
        assert_eq!(severity(Some("p2"), None), Severity::High);
        assert_eq!(
            severity(Some("P3 - minor"), Some("high")),
            Severity::Warning
        );
        assert_eq!(severity(Some("P4"), Some("high")), Severity::Info);
        assert_eq!(severity(Some("P5"), None), Severity::Info);
        assert_eq!(severity(Some("SEV-1"), Some("high")), Severity::Critical);
        assert_eq!(severity(None, Some("low")), Severity::Warning);
        assert_eq!(severity(None, None), Severity::Warning);
    }

    #[test]
    fn alertmanager_titles_give_their_alert_name() {
        let firing = "[FIRING:1] HighErrorRate (checkout-api critical)";
        assert_eq!(alert_name(firing), Some("HighErrorRate"));
        assert_eq!(alert_name("[RESOLVED] DiskFull, ledger"), Some("DiskFull"));
        assert_eq!(alert_name("[FIRING:3] "), None);
        assert_eq!(alert_name("[P1] The server is on fire."), None);
        assert_eq!(alert_name("The server is on fire."), None);
        let incident = incident(
            "pd",
            read(&format!(r#"{{"id":"P1","title":"{firing}"}}"#)),
            Utc::now(),
        );
        assert_eq!(incident.alert.as_deref(), Some("HighErrorRate"));
        let plain = incident_of(r#"{"id":"P1","title":"Disk full"}"#);
        assert_eq!(plain.alert.as_deref(), Some("Disk full"), "else the title");
    }

    fn incident_of(json: &str) -> Incident {
        incident("pd", read(json), Utc::now())
    }

    #[test]
    fn an_incident_with_only_an_id_gets_sensible_defaults() {
        let now = Utc::now();
        let incident = incident("pd", read(r#"{"id":"PX"}"#), now);
        assert_eq!(incident.key, IncidentKey::new("pd", "PX"));
        assert_eq!(incident.title, "PagerDuty incident PX");
        assert_eq!(incident.status, Status::Triggered);
        assert_eq!(incident.severity, Severity::Warning);
        assert_eq!(incident.service, "unknown");
        assert_eq!((incident.team, incident.assignee), (None, None));
        assert_eq!(incident.opened_at, now);
        assert!(incident.labels.is_empty() && incident.links.is_empty());
        assert_eq!(incident.description, "");
    }

    #[test]
    fn a_full_incident_maps_every_field() {
        let incident = incident_of(
            r#"{"id":"PT4KHLK","incident_number":1234,"title":"The server is on fire.",
            "status":"acknowledged","urgency":"high","incident_key":"baf7",
            "created_at":"2015-10-06T21:30:42-05:00",
            "priority":{"id":"P53","summary":"P2"},
            "service":{"id":"PIJ","name":"My Mail Service"},
            "teams":[{"id":"PQ9","summary":"Engineering"}],
            "escalation_policy":{"id":"PT20","summary":"Mail EP"},
            "assignments":[{"at":"2015-10-06T21:31:00Z","assignee":{"id":"PU","summary":"Earline"}}],
            "acknowledgements":[{"at":"2015-10-07T02:35:00Z","acknowledger":{"id":"PU","summary":"Earline"}}],
            "pending_actions":[{"type":"escalate","at":"2015-10-07T03:05:00Z"},
                               {"type":"urgency_change","at":"2015-10-07T08:00:00Z","to":"high"}],
            "alert_counts":{"all":3,"triggered":2},
            "html_url":"https://acme.pagerduty.com/incidents/PT4KHLK"}"#,
        );
        assert_eq!(incident.status, Status::Acknowledged);
        assert_eq!(incident.severity, Severity::High);
        assert_eq!(incident.service, "My Mail Service");
        assert_eq!(incident.team.as_deref(), Some("Engineering"));
        assert_eq!(incident.assignee.as_deref(), Some("Earline"));
        assert_eq!(incident.opened_at.to_rfc3339(), "2015-10-07T02:30:42+00:00");
        assert_eq!(
            incident.description,
            "acknowledged by Earline at 02:35 UTC\nescalates to the next level at 03:05 UTC\n\
             urgency turns high at 08:00 UTC\n3 alerts, 2 still firing"
        );
        let labels: Vec<(&str, &str)> = incident
            .labels
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            labels,
            [
                ("escalation_policy", "Mail EP"),
                ("incident_key", "baf7"),
                ("incident_number", "1234"),
                ("priority", "P2"),
                ("urgency", "high"),
            ]
        );
        assert_eq!(
            incident.links,
            [Link {
                title: "PagerDuty".into(),
                url: "https://acme.pagerduty.com/incidents/PT4KHLK".into()
            }]
        );
    }
}
