//! Level two paged by a PagerDuty Events API v2 `trigger`: the incident as PagerDuty's
//! alert fields, the hand-over in `custom_details`, and a dedup key from the incident.

use chrono::SecondsFormat;
use reqwest::StatusCode;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::{Page, dedup_key};
use crate::incident::{Link, Severity};
use crate::providers::ProviderError;
use crate::providers::http::{failure, unreachable};
use crate::providers::token::Secret;

/// PagerDuty cuts a longer summary; cutting it ourselves keeps the end we choose.
const SUMMARY_MAX: usize = 1024;

/// What PagerDuty answers: 202 with the dedup key, 400 with why not.
#[derive(Debug, Default, Deserialize)]
struct Answer {
    #[serde(default)]
    message: String,
    #[serde(default)]
    errors: Vec<String>,
    #[serde(default)]
    dedup_key: Option<String>,
}

pub(super) async fn send(
    http: &reqwest::Client,
    url: &str,
    routing_key: &Secret,
    page: &Page<'_>,
) -> Result<(), ProviderError> {
    let response = http
        .post(url)
        .json(&trigger(routing_key, page))
        .send()
        .await
        .map_err(|e| unreachable(url, &e))?;
    let status = response.status();
    if status.is_success() {
        // The event is taken whatever the body says; the key is only worth a debug line.
        let answer: Answer = response.json().await.unwrap_or_default();
        tracing::debug!(dedup_key = ?answer.dedup_key, "PagerDuty took the trigger");
        return Ok(());
    }
    if status != StatusCode::BAD_REQUEST {
        return Err(failure(url, response).await);
    }
    // A 400 will not get better by sending it again: say what PagerDuty disliked.
    let answer: Answer = response.json().await.unwrap_or_default();
    let said = match (answer.message.as_str(), answer.errors.join("; ")) {
        ("", errors) if errors.is_empty() => "no reason given".to_string(),
        (message, errors) if errors.is_empty() => message.to_string(),
        ("", errors) => errors,
        (message, errors) => format!("{message}: {errors}"),
    };
    let reason = format!(
        "PagerDuty refused the page to {} (400, not retried): {said}",
        page.level_two
    );
    Err(ProviderError::Refused(reason))
}

/// The trigger event for `page`, as PagerDuty's `createV2Event` takes it.
fn trigger(routing_key: &Secret, page: &Page<'_>) -> Value {
    let incident = page.incident;
    let summary: String = format!("{}: {}", page.level_two, incident.title)
        .chars()
        .take(SUMMARY_MAX)
        .collect();
    let (links, more_links) = links(page);
    let mut payload = json!({
        "summary": summary,
        "source": incident.service,
        "severity": severity(incident.severity),
        "timestamp": incident.opened_at.to_rfc3339_opts(SecondsFormat::Secs, true),
        "component": incident.service,
        "custom_details": custom_details(page, more_links),
    });
    // Left out when unknown: PagerDuty shows an empty field as a blank, not as "unknown".
    if let Some(team) = &incident.team {
        payload["group"] = json!(team);
    }
    if let Some(alert) = &incident.alert {
        payload["class"] = json!(alert);
    }
    json!({
        "routing_key": routing_key.expose(),
        "event_action": "trigger",
        "dedup_key": dedup_key(&incident.key),
        "payload": payload,
        "client": "pagerdeck",
        "links": links,
    })
}

/// What level two reads first in the alert's details.
fn custom_details(page: &Page<'_>, more_links: Vec<Value>) -> Value {
    let mut details = Map::new();
    if let Some(hand_over) = page.hand_over {
        details.insert("hand_over".into(), json!(hand_over));
    }
    details.insert("incident".into(), json!(page.incident.key.to_string()));
    details.insert("escalated_by".into(), json!(page.escalated_by));
    details.insert("labels".into(), json!(page.incident.labels));
    if !more_links.is_empty() {
        details.insert("more_links".into(), Value::Array(more_links));
    }
    Value::Object(details)
}

/// The incident's links as PagerDuty's `links`, and those it may refuse, which go in the
/// details instead: one link the API refuses would refuse the whole page.
fn links(page: &Page<'_>) -> (Vec<Value>, Vec<Value>) {
    let (links, more): (Vec<&Link>, Vec<&Link>) =
        page.incident.links.iter().partition(|l| linkable(&l.url));
    let as_json = |links: Vec<&Link>| {
        links
            .into_iter()
            .map(|l| json!({"href": l.url, "text": l.title}))
            .collect()
    };
    (as_json(links), as_json(more))
}

/// Whether the spec's `format: url` takes it: http(s) and a host with a top-level
/// domain. It refuses "http://prometheus:9090/…" (a bare host name, as Alertmanager's
/// generator URLs often are) and IP addresses.
fn linkable(url: &str) -> bool {
    let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_and_port = authority.rsplit('@').next().unwrap_or_default();
    let host = host_and_port.split(':').next().unwrap_or_default();
    let top_level = host.rsplit('.').next().unwrap_or_default();
    host.contains('.')
        && top_level.chars().count() >= 2
        && top_level.chars().all(char::is_alphabetic)
}

/// PagerDuty's four severities; its `error` is between warning and critical, as High is.
fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "critical",
        Severity::High => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_links_with_a_top_level_domain_are_pagerduty_links() {
        assert!(linkable(
            "https://github.com/acme/playbooks/blob/main/x.md#y"
        ));
        assert!(linkable(
            "http://grafana.internal.example.com:3000/d/1?from=now-1h"
        ));
        assert!(linkable("https://ana@wiki.example.org/x"));
        assert!(!linkable("http://prometheus:9090/graph?g0.expr=up"));
        assert!(!linkable("http://10.0.0.7:9090/graph"));
        assert!(!linkable("ftp://files.example.com/x"));
        assert!(!linkable("runbooks/disk.md"));
    }
}
