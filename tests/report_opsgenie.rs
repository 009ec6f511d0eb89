#![allow(clippy::unwrap_used)] // Tests: a failure here is a failed test.
//! Opsgenie's history for the hygiene report: the alerts created in the span, asked as
//! the spec wants (Prism validates the request) and searched by `createdAt` (wiremock).

#[path = "support/prism.rs"]
mod prism;

use std::time::Duration;

use chrono::{DateTime, Utc};
use pagerdeck::providers::Source;
use pagerdeck::providers::opsgenie::{Opsgenie, Settings};
use pagerdeck::providers::token::Secret;
use serde_json::json;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().to_utc()
}

fn source(url: &str) -> Opsgenie {
    Opsgenie::new(Settings {
        name: "og".into(),
        base_url: url.into(),
        token: Secret::new("contract-test-key"),
        token_origin: "OPSGENIE_KEY".into(),
        user: Some("ann@example.com".into()),
        timeout: Duration::from_secs(20),
        connect_timeout: Duration::from_secs(5),
        query: "status:open".into(),
        schedules: Vec::new(),
        escalation: None,
        request_poll: Duration::from_millis(20),
        request_attempts: 5,
    })
    .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn alerts_of_the_span_are_asked_as_the_spec_says() {
    let prism = prism::shared("opsgenie-swagger.prism-patched.json");
    let history = source(&prism.url)
        .page_history(at("2026-11-17T12:00:00Z"), at("2026-12-01T12:00:00Z"))
        .await
        .unwrap_or_else(|error| panic!("{error}\n--- prism ---\n{}", prism.report()));
    assert!(
        !history.unknown.is_empty(),
        "escalations are said to be unknown"
    );
}

#[tokio::test]
async fn alerts_created_in_the_span_are_pages_with_their_report_times() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/alerts"))
        .and(query_param(
            "query",
            "createdAt >= 1794916800000 AND createdAt <= 1796126400000",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": [
            {"id": "A1", "message": "checkout-api 5xx", "createdAt": "2026-11-20T02:10:00Z",
             "status": "closed", "priority": "P1",
             "report": {"ackTime": 300000, "closeTime": 5400000}},
            {"id": "A2", "message": "noise", "createdAt": "2026-11-21T03:00:00Z", "status": "closed",
             "report": {"closeTime": 600000}}
        ], "paging": {}})))
        .mount(&server)
        .await;
    let history = source(&server.uri())
        .page_history(at("2026-11-17T12:00:00Z"), at("2026-12-01T12:00:00Z"))
        .await
        .unwrap();
    assert_eq!(history.pages.len(), 2, "{history:?}");
    let a1 = &history.pages[0];
    assert_eq!(a1.acknowledged_at, Some(at("2026-11-20T02:15:00Z")));
    assert_eq!(a1.resolved_at, Some(at("2026-11-20T03:40:00Z")));
    assert_eq!(history.pages[1].acknowledged_at, None, "never acknowledged");
}
