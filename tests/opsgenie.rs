#![allow(clippy::unwrap_used)] // Tests: a failure here is a failed test.
//! The Opsgenie source against a scripted Alert API: every page of alerts arrives, each
//! failure becomes an error a person can act on, writes stay pending until Opsgenie
//! confirms or refuses them, each verb sends the body the API wants, who is on call is
//! read with who is next and until when, who an escalation reaches rule by rule, and the
//! key never shows in an error.

#[path = "opsgenie/level_two.rs"]
mod level_two;
#[path = "opsgenie/reads.rs"]
mod reads;
#[path = "opsgenie/roster.rs"]
mod roster;
#[path = "opsgenie/writes.rs"]
mod writes;

use std::time::Duration;

use pagerdeck::config::OpsgenieRoute;
use pagerdeck::incident::{IncidentKey, Severity, Status};
use pagerdeck::providers::opsgenie::{Opsgenie, Settings};
use pagerdeck::providers::route::RouteOverride;
use pagerdeck::providers::token::Secret;
use pagerdeck::providers::{ProviderError, Responder, ResponderKind, Source, Verb};
use serde_json::{Value, json};
use wiremock::matchers::{
    body_json, body_partial_json, header, method, path, query_param, query_param_is_missing,
};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "og-key-5ec7e7-do-not-print";
const ALERT_ID: &str = "8418d193-2dab-4490-b331-8c02cdd196b7";

fn settings(url: &str) -> Settings {
    Settings {
        name: "og".into(),
        base_url: url.to_string(),
        token: Secret::new(KEY),
        token_origin: "OPSGENIE_KEY".into(),
        user: Some("ann@example.com".into()),
        timeout: Duration::from_secs(5),
        connect_timeout: Duration::from_secs(5),
        query: "status:open AND priority:P1".into(),
        schedules: vec!["ops".into()],
        escalation: Some("Eng Cap escalation".into()),
        request_poll: Duration::from_millis(10),
        request_attempts: 4,
    }
}

fn source(server: &MockServer) -> Opsgenie {
    Opsgenie::new(settings(&server.uri())).unwrap()
}

fn key() -> IncidentKey {
    IncidentKey::new("og", ALERT_ID)
}

/// Alerts `from..to`, each a minimal open alert.
fn alerts(from: usize, to: usize) -> Vec<Value> {
    (from..to)
        .map(|n| json!({"id": format!("a{n}"), "message": format!("alert {n}"), "status": "open"}))
        .collect()
}

fn page(data: Vec<Value>, next: Option<&str>) -> ResponseTemplate {
    let paging = next.map_or(json!({}), |next| json!({ "next": next }));
    ResponseTemplate::new(200)
        .set_body_json(json!({"data": data, "paging": paging, "took": 0.1, "requestId": "x"}))
}

fn queued(request_id: &str) -> ResponseTemplate {
    ResponseTemplate::new(202).set_body_json(
        json!({"result": "Request will be processed", "took": 0.1, "requestId": request_id}),
    )
}

fn request_status(is_success: bool, status: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "data": {"isSuccess": is_success, "status": status, "action": "Close"},
        "took": 0.01, "requestId": "y"
    }))
}

fn not_processed_yet() -> ResponseTemplate {
    ResponseTemplate::new(404)
        .set_body_json(json!({"message": "Request not found", "took": 0.0, "requestId": "z"}))
}

async fn answer_alerts_with(server: &MockServer, response: ResponseTemplate) {
    Mock::given(method("GET"))
        .and(path("/v2/alerts"))
        .respond_with(response)
        .mount(server)
        .await;
}

/// The close is queued, then Opsgenie's request status: `first` answers first (once),
/// `then` after.
async fn close_with_status(
    first: ResponseTemplate,
    then: ResponseTemplate,
) -> (MockServer, Result<(), ProviderError>) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/v2/alerts/{ALERT_ID}/close")))
        .respond_with(queued("req-1"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2/alerts/requests/req-1"))
        .respond_with(first)
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2/alerts/requests/req-1"))
        .respond_with(then)
        .mount(&server)
        .await;
    let result = source(&server).perform(&key(), &Verb::Resolve).await;
    (server, result)
}

async fn status_asks(server: &MockServer) -> usize {
    let requests = server.received_requests().await.unwrap();
    requests
        .iter()
        .filter(|r| r.url.path().starts_with("/v2/alerts/requests/"))
        .count()
}

#[tokio::test]
async fn the_key_never_shows_in_an_error() {
    let server = MockServer::start().await;
    // A server that echoes the request's key back in its complaints.
    let echo = json!({"message": format!("GenieKey {KEY} is not allowed here")});
    let mut errors = Vec::new();
    for (code, body) in [
        (401, echo.clone()),
        (403, echo.clone()),
        (429, echo.clone()),
        (500, echo.clone()),
        (422, echo.clone()),
    ] {
        server.reset().await;
        answer_alerts_with(&server, ResponseTemplate::new(code).set_body_json(body)).await;
        errors.push(source(&server).incidents().await.unwrap_err());
    }
    server.reset().await;
    answer_alerts_with(
        &server,
        ResponseTemplate::new(200).set_body_raw(format!("not json {KEY}"), "application/json"),
    )
    .await;
    errors.push(source(&server).incidents().await.unwrap_err());
    let (_, refused) = close_with_status(
        not_processed_yet(),
        request_status(false, &format!("key {KEY} lacks write access")),
    )
    .await;
    errors.push(refused.unwrap_err());
    assert!(
        errors
            .iter()
            .any(|e| matches!(e, ProviderError::Status { code: 500, .. }))
    );
    for error in &errors {
        let shown = format!("{error} / {error:?}");
        assert!(!shown.contains(KEY), "the key leaked: {shown}");
    }
    let settings = format!("{:?}", settings("http://x"));
    assert!(!settings.contains(KEY), "{settings}");
}
