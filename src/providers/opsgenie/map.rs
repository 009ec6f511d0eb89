//! Alert API shapes → the cockpit's own: an alert becomes an `Incident`, notes and log
//! entries become the history. No HTTP here, so Jira Service Management Ops can reuse it.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::wire::{Alert, AlertLog, AlertNote};
use crate::incident::{Incident, IncidentKey, Severity, Status};
use crate::providers::{Note, TimelineEntry};

/// One listed alert as an incident of the source `source`. `now` stands in for a missing
/// creation time.
pub fn incident(source: &str, alert: Alert, now: DateTime<Utc>) -> Incident {
    let service = tag(&alert.tags, "service")
        .or_else(|| non_empty(alert.integration.as_ref().and_then(|i| i.name.as_deref())))
        .or_else(|| non_empty(alert.source.as_deref()))
        .unwrap_or("unknown")
        .to_string();
    let title = non_empty(alert.message.as_deref())
        .map(String::from)
        .or_else(|| alert.tiny_id.as_ref().map(|tiny| format!("alert #{tiny}")))
        .unwrap_or_else(|| format!("alert {}", alert.id));
    let alert_name = tag(&alert.tags, "alertname")
        .map(String::from)
        .or_else(|| non_empty(alert.message.as_deref()).map(String::from));
    let acknowledged_by = non_empty(
        alert
            .report
            .as_ref()
            .and_then(|r| r.acknowledged_by.as_deref()),
    );
    let assignee = non_empty(alert.owner.as_deref())
        .or(acknowledged_by)
        .map(String::from);
    let opened_at = [&alert.created_at, &alert.updated_at]
        .into_iter()
        .find_map(|at| time(at.as_deref()))
        .unwrap_or(now);
    Incident {
        key: IncidentKey::new(source, &alert.id),
        source: source.to_string(),
        title,
        severity: severity(alert.priority.as_deref()),
        status: status(&alert),
        service,
        team: tag(&alert.tags, "team").map(String::from),
        alert: alert_name,
        opened_at,
        assignee,
        escalated_to: None,
        level_two_answer: None,
        description: description(&alert, acknowledged_by),
        labels: labels(&alert),
        links: Vec::new(),
    }
}

/// P1 is paged as critical; a priority Opsgenie may add later is a warning, not an error.
pub fn severity(priority: Option<&str>) -> Severity {
    match priority.map(|p| p.trim().to_ascii_uppercase()).as_deref() {
        Some("P1") => Severity::Critical,
        Some("P2") => Severity::High,
        Some("P4" | "P5") => Severity::Info,
        _ => Severity::Warning,
    }
}

/// Closed is resolved; acknowledged or snoozed is someone looking at it; anything else
/// (open, or a status word we do not know) still pages.
pub fn status(alert: &Alert) -> Status {
    match alert.status.as_deref() {
        Some(status) if status.eq_ignore_ascii_case("closed") => Status::Resolved,
        _ if alert.acknowledged || alert.snoozed => Status::Acknowledged,
        _ => Status::Triggered,
    }
}

/// The value of a `name:value` or `name=value` tag, the way Alertmanager's and most
/// integrations' labels arrive in Opsgenie.
pub fn tag<'a>(tags: &'a [String], name: &str) -> Option<&'a str> {
    tags.iter().find_map(|tag| {
        let (key, value) = tag.split_once([':', '='])?;
        let value = value.trim();
        (key.trim().eq_ignore_ascii_case(name) && !value.is_empty()).then_some(value)
    })
}

fn description(alert: &Alert, acknowledged_by: Option<&str>) -> String {
    let mut said = Vec::new();
    if alert.snoozed {
        said.push(match time(alert.snoozed_until.as_deref()) {
            Some(until) => format!("snoozed until {} UTC", until.format("%H:%M")),
            None => "snoozed".to_string(),
        });
    }
    if alert.acknowledged {
        said.push(match acknowledged_by {
            Some(who) => format!("acknowledged by {who}"),
            None => "acknowledged".to_string(),
        });
    }
    said.join("; ")
}

fn labels(alert: &Alert) -> BTreeMap<String, String> {
    let integration = alert.integration.as_ref().and_then(|i| i.name.clone());
    let tags = (!alert.tags.is_empty()).then(|| alert.tags.join(","));
    [
        ("tinyId", alert.tiny_id.clone()),
        ("alias", alert.alias.clone()),
        ("priority", alert.priority.clone()),
        ("source", alert.source.clone()),
        ("integration", integration),
        ("tags", tags),
        ("count", alert.count.map(|c| c.to_string())),
    ]
    .into_iter()
    .filter_map(|(key, value)| Some((key.to_string(), value.filter(|v| !v.is_empty())?)))
    .collect()
}

/// A note; one without a time keeps its place (the list is asked oldest first) and shows
/// the epoch rather than being dropped.
pub fn note(note: AlertNote) -> Note {
    Note {
        at: time(note.created_at.as_deref()).unwrap_or_default(),
        by: note.owner.filter(|o| !o.is_empty()),
        text: note.note.unwrap_or_default(),
    }
}

pub fn timeline_entry(log: AlertLog) -> TimelineEntry {
    TimelineEntry {
        at: time(log.created_at.as_deref()).unwrap_or_default(),
        by: log.owner.filter(|o| !o.is_empty()),
        what: log.log.unwrap_or_default(),
    }
}

pub fn time(text: Option<&str>) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text?.trim())
        .ok()
        .map(|at| at.with_timezone(&Utc))
}

fn non_empty(text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::providers::opsgenie::wire::Page;

    fn alert(json: &str) -> Alert {
        let page: Page<Alert> = serde_json::from_str(&format!(r#"{{"data":[{json}]}}"#)).unwrap();
        page.data.into_iter().next().unwrap()
    }

    fn now() -> DateTime<Utc> {
        "2030-01-01T00:00:00Z".parse().unwrap()
    }

    #[test]
    fn priorities_become_severities() {
        let cases = [
            (Some("P1"), Severity::Critical),
            (Some("p2"), Severity::High),
            (Some("P3"), Severity::Warning),
            (Some("P4"), Severity::Info),
            (Some("P5"), Severity::Info),
            (Some("P9"), Severity::Warning),
            (None, Severity::Warning),
        ];
        for (priority, expected) in cases {
            assert_eq!(severity(priority), expected, "{priority:?}");
        }
    }

    #[test]
    fn tags_name_the_service_team_and_alert() {
        let mapped = incident(
            "og",
            alert(
                r#"{"id":"a1","message":"Checkout 5xx","tags":["env:prod","service=checkout",
                "team:payments","alertname:HighErrorRate"],"integration":{"name":"Prometheus"}}"#,
            ),
            now(),
        );
        assert_eq!(mapped.service, "checkout");
        assert_eq!(mapped.team.as_deref(), Some("payments"));
        assert_eq!(mapped.alert.as_deref(), Some("HighErrorRate"));
        assert_eq!(
            mapped.labels["tags"],
            "env:prod,service=checkout,team:payments,alertname:HighErrorRate"
        );
    }

    #[test]
    fn without_tags_the_integration_then_the_source_name_the_service() {
        let by_integration = alert(r#"{"id":"a","integration":{"name":"Datadog"},"source":"x"}"#);
        assert_eq!(incident("og", by_integration, now()).service, "Datadog");
        let by_source = alert(r#"{"id":"a","integration":{"name":null},"source":"nagios"}"#);
        let mapped = incident("og", by_source, now());
        assert_eq!(mapped.service, "nagios");
        assert_eq!(mapped.alert, None, "no message, no alertname tag");
    }

    #[test]
    fn an_alert_of_nothing_but_an_id_still_shows() {
        let mapped = incident(
            "og",
            alert(r#"{"id":"a1","message":null,"tags":null}"#),
            now(),
        );
        assert_eq!(mapped.key, IncidentKey::new("og", "a1"));
        assert_eq!(mapped.title, "alert a1");
        assert_eq!(mapped.service, "unknown");
        assert_eq!(
            (mapped.severity, mapped.status),
            (Severity::Warning, Status::Triggered)
        );
        assert_eq!(mapped.opened_at, now());
        assert_eq!((mapped.assignee, mapped.team), (None, None));
        assert!(mapped.labels.is_empty() && mapped.description.is_empty());
    }

    #[test]
    fn snoozed_and_acknowledged_alerts_are_being_looked_at() {
        let snoozed = alert(
            r#"{"id":"a","status":"open","snoozed":true,"snoozedUntil":"2030-01-01T14:05:00+02:00"}"#,
        );
        let mapped = incident("og", snoozed, now());
        assert_eq!(mapped.status, Status::Acknowledged);
        assert_eq!(mapped.description, "snoozed until 12:05 UTC");
        let acked = alert(
            r#"{"id":"a","status":"open","acknowledged":true,"owner":"",
                "report":{"acknowledgedBy":"ann@example.com"}}"#,
        );
        let mapped = incident("og", acked, now());
        assert_eq!(mapped.status, Status::Acknowledged);
        assert_eq!(mapped.assignee.as_deref(), Some("ann@example.com"));
        assert_eq!(mapped.description, "acknowledged by ann@example.com");
    }

    #[test]
    fn closed_wins_and_unknown_statuses_still_page() {
        let closed = alert(r#"{"id":"a","status":"closed","acknowledged":true}"#);
        assert_eq!(status(&closed), Status::Resolved);
        let odd = alert(r#"{"id":"a","status":"escalating"}"#);
        assert_eq!(status(&odd), Status::Triggered);
    }

    #[test]
    fn the_owner_is_the_assignee_and_labels_keep_what_is_there() {
        let mapped = incident(
            "og",
            alert(
                r#"{"id":"a","tinyId":"42","alias":"db-disk","priority":"P2","count":3,
                "owner":"bob@example.com","report":{"acknowledgedBy":"ann@example.com"},
                "createdAt":"2029-12-31T23:00:00Z"}"#,
            ),
            now(),
        );
        assert_eq!(mapped.assignee.as_deref(), Some("bob@example.com"));
        assert_eq!(mapped.opened_at.to_rfc3339(), "2029-12-31T23:00:00+00:00");
        let labels: Vec<(&str, &str)> = mapped
            .labels
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            labels,
            [
                ("alias", "db-disk"),
                ("count", "3"),
                ("priority", "P2"),
                ("tinyId", "42")
            ]
        );
    }
}
