#![allow(clippy::unwrap_used)] // Tests: a failure here is a failed test.
//! PagerDuty's history for the hygiene report: `GET /log_entries` over the span, as the
//! spec wants it asked (through the validating mock), followed page by page, and a
//! rejected token said as such.

#[path = "support/pagerduty.rs"]
mod pagerduty;
#[path = "support/prism.rs"]
mod prism;

use std::time::Duration;

use chrono::{DateTime, Utc};
use pagerdeck::providers::pagerduty::{PagerDuty, Settings};
use pagerdeck::providers::token::Secret;
use pagerdeck::providers::{ProviderError, Source};
use serde_json::json;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, ResponseTemplate};

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().to_utc()
}

#[tokio::test(flavor = "multi_thread")]
async fn log_entries_are_asked_as_the_spec_says() {
    // The spec's own log-entry example breaks its schema: this mock checks requests.
    let prism = prism::shared_requests_only("pagerduty-rest-openapiv3.prism-patched.json");
    let source = PagerDuty::new(Settings {
        team_ids: vec!["PQ9K7I8".into()],
        token: Secret::new("contract-test-token"),
        timeout: Duration::from_secs(20),
        ..pagerduty::settings(&prism.url)
    })
    .unwrap();
    let since = at("2026-11-17T12:00:00Z");
    let history = source
        .page_history(since, at("2026-12-01T12:00:00Z"))
        .await
        .unwrap_or_else(|error| {
            panic!(
                "log entries refused: {error}\n--- the mock's report ---\n{}",
                prism.report()
            )
        });
    // The example's entries are no trigger of an incident in the span, or one page.
    assert!(history.pages.len() <= 1, "{history:?}");
}

#[tokio::test]
async fn every_page_of_log_entries_is_read_and_each_incident_is_one_page() {
    let (server, source) = pagerduty::started().await;
    let incident = json!({"id": "PA", "title": "[FIRING:1] HighErrorRate (checkout-api)",
        "service": {"id": "PS", "summary": "checkout-api"}, "urgency": "high",
        "created_at": "2026-11-20T02:10:00Z"});
    let pages = [
        (
            "0",
            json!([
                {"id": "L1", "type": "trigger_log_entry", "created_at": "2026-11-20T02:10:00Z", "incident": incident},
                {"id": "L2", "type": "acknowledge_log_entry", "created_at": "2026-11-20T02:16:00Z", "incident": incident},
            ]),
            true,
        ),
        (
            "100",
            json!([
                {"id": "L3", "type": "escalate_log_entry", "created_at": "2026-11-20T02:40:00Z", "incident": incident},
                {"id": "L4", "type": "resolve_log_entry", "created_at": "2026-11-20T03:10:00Z", "incident": incident},
                {"id": "L5", "type": "trigger_log_entry", "created_at": "2026-11-21T09:00:00Z",
                 "incident": {"id": "PB", "title": "disk", "service": {"id": "PS", "summary": "checkout-api"}}},
            ]),
            false,
        ),
    ];
    for (offset, entries, more) in pages {
        Mock::given(method("GET"))
            .and(path("/log_entries"))
            .and(query_param("since", "2026-11-17T12:00:00Z"))
            .and(query_param("until", "2026-12-01T12:00:00Z"))
            .and(query_param("is_overview", "true"))
            .and(query_param("include[]", "incidents"))
            .and(query_param("offset", offset))
            .respond_with(ResponseTemplate::new(200).set_body_json(
                json!({"log_entries": entries, "limit": 100, "offset": offset, "more": more}),
            ))
            .expect(1)
            .mount(&server)
            .await;
    }
    let history = source
        .page_history(at("2026-11-17T12:00:00Z"), at("2026-12-01T12:00:00Z"))
        .await
        .unwrap();
    assert_eq!(history.pages.len(), 2, "{history:?}");
    let pa = history.pages.iter().find(|p| p.key.id == "PA").unwrap();
    assert_eq!(pa.facts.alert.as_deref(), Some("HighErrorRate"));
    assert_eq!(pa.acknowledged_at, Some(at("2026-11-20T02:16:00Z")));
    assert_eq!(
        pa.resolved_at,
        Some(at("2026-11-20T03:10:00Z")),
        "read from the second page"
    );
    assert!(pa.escalated);
    let pb = history.pages.iter().find(|p| p.key.id == "PB").unwrap();
    assert_eq!((pb.acknowledged_at, pb.escalated), (None, false));
}

#[tokio::test]
async fn a_rejected_token_is_said_and_names_where_it_came_from() {
    let (server, source) = pagerduty::started().await;
    Mock::given(method("GET"))
        .and(path("/log_entries"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({"error": {"code": 2006, "message": "Invalid Credentials"}})),
        )
        .mount(&server)
        .await;
    let error = source
        .page_history(at("2026-11-17T12:00:00Z"), at("2026-12-01T12:00:00Z"))
        .await
        .unwrap_err();
    let ProviderError::Auth(message) = &error else {
        panic!("not an auth error: {error:?}");
    };
    assert!(message.contains("PAGERDUTY_TOKEN"), "{message}");
    assert!(!message.contains(pagerduty::TOKEN), "{message}");
}
