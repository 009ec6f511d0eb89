#![allow(clippy::unwrap_used)] // Tests: a failure here is a failed test.
//! Read-only mode holds where writes are sent, not only in the keymap: every verb asked
//! for, by the headless commands or straight through the outbox, against PagerDuty,
//! Opsgenie and Alertmanager (with its route to level two), reaches no server as
//! anything but a GET.

#[allow(dead_code)] // Only `text` is used: these runs need their own environment.
#[path = "support/cli.rs"]
mod cli;

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::Utc;
use serde_json::json;
use tokio::sync::mpsc;
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use cli::text;
use pagerdeck::command::Op;
use pagerdeck::config::Config;
use pagerdeck::config::load::parse_toml;
use pagerdeck::event::{Event, OpState};
use pagerdeck::incident::IncidentKey;
use pagerdeck::journal::Journal;
use pagerdeck::outbox::{self, OutboxSettings};
use pagerdeck::providers::route::{EventsRoute, RouteOverride};
use pagerdeck::providers::{Responder, ResponderKind, Verb};

const REFUSED: &str = "read-only mode: nothing was sent";
const PD_INCIDENT: &str = "pd:PT4KHLK";
const OG_ALERT: &str = "og:a1";
const AM_INCIDENT: &str = "prod:HighErrorRate/checkout-api";

/// One server standing in for all three APIs (each under its own path), answering any
/// write with success, so a write that got through would be taken and recorded.
async fn serve() -> MockServer {
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
fn config_text(server: &str, am_route: &str, read_only: bool) -> String {
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
async fn writes(server: &MockServer) -> Vec<String> {
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

fn run(home: &Path, config: &Path, args: &[&str]) -> std::process::Output {
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

fn write_config(home: &Path, name: &str, text: &str) -> PathBuf {
    let file = home.join(name);
    std::fs::write(&file, text).unwrap();
    file
}

#[tokio::test(flavor = "multi_thread")]
async fn no_headless_verb_sends_a_write_in_read_only_mode() {
    let server = serve().await;
    let home = tempfile::tempdir().unwrap();
    let events = format!(
        "{{ events_routing_key_env = \"PAGERDECK_TEST_ROUTING_KEY\", events_url = \"{}/events\" }}",
        server.uri()
    );
    // Read-only by the flag, and by the config alone.
    let by_flag = write_config(
        home.path(),
        "flag.toml",
        &config_text(&server.uri(), &events, false),
    );
    let by_config = write_config(
        home.path(),
        "config.toml",
        &config_text(&server.uri(), &events, true),
    );
    let escalate = |key| vec!["escalate", key, "--yes", "--message", "need you"];
    let attempts = [
        vec!["ack", PD_INCIDENT],
        vec!["note", PD_INCIDENT, "rolled", "back"],
        escalate(PD_INCIDENT),
        vec!["ack", OG_ALERT],
        vec!["note", OG_ALERT, "rolled", "back"],
        escalate(OG_ALERT),
        vec!["ack", AM_INCIDENT],
        escalate(AM_INCIDENT),
    ];
    for attempt in &attempts {
        for (config, flag) in [(&by_flag, Some("--read-only")), (&by_config, None)] {
            let args: Vec<&str> = flag.into_iter().chain(attempt.iter().copied()).collect();
            let out = run(home.path(), config, &args);
            let said = format!("{}{}", text(&out.stdout), text(&out.stderr));
            assert_eq!(out.status.code(), Some(1), "{args:?}: {said}");
            assert!(said.contains(REFUSED), "{args:?}: {said}");
        }
    }
    assert_eq!(writes(&server).await, Vec::<String>::new());
}

#[tokio::test(flavor = "multi_thread")]
async fn the_outbox_sends_no_verb_to_any_kind_of_source_in_read_only_mode() {
    let server = serve().await;
    let webhook = format!("{{ webhook_url = \"{}/hook\" }}", server.uri());
    let text = config_text(&server.uri(), &webhook, false);
    let config: Config = parse_toml(&text, Path::new("read-only.toml")).unwrap();
    let (events, mut inbox) = mpsc::unbounded_channel();
    let mut handles = Vec::new();
    for source in &config.sources {
        let built = pagerdeck::sources::build(source, &config, "Ana Ops", Utc::now()).unwrap();
        handles.push(built.spawn(source, true, events.clone()));
    }
    // Each source has polled once, so each knows the incident a verb is for.
    let mut polled = std::collections::HashSet::new();
    while polled.len() < handles.len() {
        if let Some(Event::Incidents { source, result, .. }) = inbox.recv().await {
            assert!(result.is_ok(), "{source}: {result:?}");
            polled.insert(source);
        }
    }
    let journal = tempfile::tempdir().unwrap();
    let journal = Journal::open(&journal.path().join("journal.jsonl")).map_err(|e| e.to_string());
    let settings = OutboxSettings {
        me: "Ana Ops".into(),
        first_retry: Duration::from_millis(10),
    };
    let ops = outbox::spawn(journal, handles, settings, events);
    let mut sent = 0;
    for key in [PD_INCIDENT, OG_ALERT, AM_INCIDENT] {
        let key: IncidentKey = key.parse().unwrap();
        for verb in every_verb(&server.uri()) {
            sent += 1;
            let op = Op {
                id: sent,
                key: key.clone(),
                verb,
                assignee_then: None,
                incident: None,
            };
            ops.send(op).unwrap();
        }
    }
    let mut settled = std::collections::HashMap::new();
    while settled.len() < sent as usize {
        let event = tokio::time::timeout(Duration::from_secs(60), inbox.recv())
            .await
            .expect("every op settles within a minute");
        if let Some(Event::Op { id, state }) = event
            && !matches!(state, OpState::Pending | OpState::Sent)
        {
            settled.insert(id, state);
        }
    }
    for (id, state) in &settled {
        assert_eq!(state, &OpState::Failed(REFUSED.into()), "op {id}");
    }
    assert_eq!(writes(&server).await, Vec::<String>::new());
}

/// One of each verb, the escalation once by the source's route and once by a playbook's.
fn every_verb(server: &str) -> Vec<Verb> {
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
