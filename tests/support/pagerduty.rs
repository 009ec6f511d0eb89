//! A PagerDuty source pointed at a wiremock server, with a token that must never show.
#![allow(dead_code)] // Shared by several test crates; each uses part of it.

use std::time::Duration;

use pagerdeck::providers::ProviderError;
use pagerdeck::providers::pagerduty::{EscalationRoute, PagerDuty, Settings};
use pagerdeck::providers::token::Secret;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A token no message may ever contain.
pub const TOKEN: &str = "u+pd-TEST-t0ken-Zq81xK";
pub const FROM: &str = "oncall@example.com";

pub fn settings(url: &str) -> Settings {
    Settings {
        name: "pd".into(),
        base_url: url.into(),
        token: Secret::new(TOKEN),
        token_origin: "PAGERDUTY_TOKEN".into(),
        from: Some(FROM.into()),
        timeout: Duration::from_secs(5),
        connect_timeout: Duration::from_secs(5),
        service_ids: Vec::new(),
        team_ids: Vec::new(),
        urgencies: Vec::new(),
        escalation_policy_ids: Vec::new(),
        escalation: Some(EscalationRoute::Level(2)),
    }
}

pub fn source(settings: Settings) -> PagerDuty {
    PagerDuty::new(settings).unwrap()
}

/// A server and a source reading it, with the default settings.
pub async fn started() -> (MockServer, PagerDuty) {
    let server = MockServer::start().await;
    let source = source(settings(&server.uri()));
    (server, source)
}

/// One page of the incident listing.
pub fn page(incidents: Value, more: bool) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "incidents": incidents, "limit": 100, "more": more, "total": null
    }))
}

/// `GET /incidents` answers `response`, however often asked.
pub async fn incidents_answer(server: &MockServer, response: ResponseTemplate) {
    Mock::given(method("GET"))
        .and(path("/incidents"))
        .respond_with(response)
        .mount(server)
        .await;
}

/// The error, checked to carry no trace of the token.
pub fn tokenless(error: ProviderError) -> ProviderError {
    let shown = format!("{error} / {error:?}");
    assert!(!shown.contains(TOKEN), "the token leaked: {shown}");
    assert!(
        !shown.contains("TEST-t0ken"),
        "part of the token leaked: {shown}"
    );
    error
}

/// The query of each request to `path`, as (key, value) pairs in order.
pub async fn queries(server: &MockServer, path: &str) -> Vec<Vec<(String, String)>> {
    server
        .received_requests()
        .await
        .unwrap()
        .into_iter()
        .filter(|request| request.url.path() == path)
        .map(|request| {
            request
                .url
                .query_pairs()
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect()
        })
        .collect()
}
