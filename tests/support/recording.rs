//! A recording server standing in for PagerDuty, Opsgenie and Alertmanager (each under
//! its own path) that takes any write, so a write that got through would be seen; the
//! config that points the three sources at it; one of every verb. Read-only and shadow
//! mode are both proven against it.

use std::path::{Path, PathBuf};

use chrono::Utc;
use serde_json::json;
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use pagerdeck::providers::route::{EventsRoute, RouteOverride};
use pagerdeck::providers::{Responder, ResponderKind, Verb};

pub const PD_INCIDENT: &str = "pd:PT4KHLK";
pub const OG_ALERT: &str = "og:a1";
pub const AM_INCIDENT: &str = "prod:HighErrorRate/checkout-api";

/// One server standing in for all three APIs (each under its own path), answering any
/// write with success, so a write that got through would be taken and recorded.
pub async fn serve() -> MockServer {
    let server = MockServer::start().await;
    let answers = [
        (
            "/pd/incidents",
            json!({"incidents": [{"id": "PT4KHLK", "status": "triggered", "title": "checkout-api 5xx", "urgency": "high"}],
                   "limit": 100, "more": false, "total": null}),
        ),
        (
            "/og/v2/alerts",
            json!({"data": [{"id": "a1", "message": "disk full", "status": "open"}],
                   "paging": {}, "took": 0.1, "requestId": "x"}),
        ),
        (
            "/am/api/v2/alerts",
            json!([{"labels": {"alertname": "HighErrorRate", "service": "checkout-api", "severity": "critical"},
                    "annotations": {"summary": "checkout-api 5xx above 5%"},
                    "startsAt": Utc::now() - chrono::TimeDelta::minutes(9),
                    "fingerprint": "f1", "status": {"state": "active", "silencedBy": []}}]),
        ),
    ];
    for (at, body) in answers {
        Mock::given(method("GET"))
            .and(path(at))
            .respond_with(ResponseTemplate::new(200).set_body_json(body))
            .mount(&server)
            .await;
    }
    Mock::given(any())
        .respond_with(ResponseTemplate::new(202).set_body_json(
            json!({"result": "ok", "requestId": "r1", "took": 0.1, "dedup_key": "d"}),
        ))
        .with_priority(10)
        .mount(&server)
        .await;
    server
}

/// PagerDuty, Opsgenie and Alertmanager on `server`; Alertmanager pages level two by
/// `am_route`.
pub fn config_text(server: &str, am_route: &str, read_only: bool) -> String {
    format!(
        r#"read_only = {read_only}

[me]
name = "Ana Ops"
email = "ana@example.com"

[escalation]
name = "Eng Cap"
pagerduty = {{ escalation_level = 2 }}
opsgenie = {{ escalation = "Eng Cap escalation" }}
alertmanager = {am_route}

[[sources]]
name = "pd"
kind = "pagerduty"
token_cmd = "echo pd-read-only-token"
base_url = "{server}/pd"

[[sources]]
name = "og"
kind = "opsgenie"
token_cmd = "echo og-read-only-token"
base_url = "{server}/og"

[[sources]]
name = "prod"
kind = "alertmanager"
urls = ["{server}/am"]
"#
    )
}

/// Every request the server saw that was not a GET.
pub async fn writes(server: &MockServer) -> Vec<String> {
    let requests = server.received_requests().await.unwrap();
    assert!(
        ["/pd/incidents", "/og/v2/alerts", "/am/api/v2/alerts"]
            .iter()
            .all(|polled| requests.iter().any(|r| r.url.path() == *polled)),
        "every source was asked for its incidents, so each write had an incident to act on"
    );
    requests
        .iter()
        .filter(|r| r.method.as_str() != "GET")
        .map(|r| format!("{} {}", r.method, r.url))
        .collect()
}

/// pagerdeck with `args`, on `config`, its data and config dirs under `home`.
pub fn run(home: &Path, config: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_pagerdeck"))
        .args(args)
        .env("PAGERDECK_CONFIG", config)
        .env("PAGERDECK_DATA_DIR", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("PAGERDECK_TEST_ROUTING_KEY", "routing-key-read-only")
        .env_remove("NO_COLOR")
        .output()
        .unwrap()
}

pub fn write_config(home: &Path, name: &str, text: &str) -> PathBuf {
    let file = home.join(name);
    std::fs::write(&file, text).unwrap();
    file
}

/// One of each verb, the escalation once by the source's route and once by a playbook's.
pub fn every_verb(server: &str) -> Vec<Verb> {
    let escalate = |playbook_route| Verb::Escalate {
        to: "Eng Cap".into(),
        message: Some("need you".into()),
        route: None,
        playbook_route,
    };
    // PATH is always set: its value stands in for a routing key that must never be sent.
    let playbook_events = RouteOverride::Alertmanager(EventsRoute {
        events_routing_key_env: "PATH".into(),
        events_url: Some(format!("{server}/events")),
    });
    vec![
        Verb::Acknowledge {
            note: Some("on it".into()),
        },
        Verb::Unacknowledge,
        Verb::Snooze { seconds: 1800 },
        Verb::Resolve,
        escalate(None),
        escalate(Some(playbook_events)),
        Verb::Note {
            text: "rolled back".into(),
        },
        Verb::Reassign { to: "kai".into() },
        Verb::AddResponder {
            to: Responder {
                kind: ResponderKind::User,
                id: "PKAI".into(),
            },
            message: "please join".into(),
        },
    ]
}
