#![allow(clippy::unwrap_used)] // Tests: a failure here is a failed test.
//! Escalating an Alertmanager incident, against the real server: level two is paged
//! once through the configured route, with the incident as Alertmanager reports it and
//! the hand-over, and with a REST token the poll says who at level two took it; without
//! a route, escalating is refused with what to set.

#[allow(dead_code)] // Each test file uses part of the helpers.
#[path = "support/alertmanager.rs"]
mod alertmanager;
#[path = "support/prometheus.rs"]
mod prometheus;

use std::time::Duration;

use pagerdeck::incident::{IncidentKey, LevelTwoAnswer};
use pagerdeck::providers::alertmanager::{Alertmanager, Settings};
use pagerdeck::providers::paging::{PageRoute, ReadBack};
use pagerdeck::providers::route::{EventsRoute, RouteOverride};
use pagerdeck::providers::token::Secret;
use pagerdeck::providers::{ProviderError, Source, Verb};
use serde_json::json;
use wiremock::matchers::{body_partial_json, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const HAND_OVER: &str = "5xx at 7% since the deploy; rollback did not help";

fn escalate() -> Verb {
    Verb::Escalate {
        to: "Eng Cap".into(),
        message: Some(HAND_OVER.into()),
        route: None,
        playbook_route: None,
    }
}

fn source_paging(url: &str, route: Option<PageRoute>) -> Alertmanager {
    Alertmanager::new(Settings {
        timeout: Duration::from_secs(5),
        escalation: route,
        ..Settings::new("prod", vec![url.to_string()], "Ana Ops")
    })
    .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn escalating_pages_level_two_once_with_the_incidents_dedup_key_and_the_hand_over() {
    let (server, watcher, _) = alertmanager::with_alerts().await;
    drop(watcher); // Only there to wait for the alerts: the source below never polled.
    let pagerduty = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v2/enqueue"))
        .and(body_partial_json(json!({
            "event_action": "trigger",
            "dedup_key": "pagerdeck:prod:HighErrorRate/checkout-api:l2",
            "payload": {
                "summary": "Eng Cap: checkout-api 5xx above 5% (2 alerts)",
                "severity": "critical",
                "group": "payments",
                "class": "HighErrorRate",
                "custom_details": {
                    "hand_over": HAND_OVER,
                    "incident": "prod:HighErrorRate/checkout-api",
                    "escalated_by": "Ana Ops"
                }
            }
        })))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({
            "status": "success", "message": "Event processed",
            "dedup_key": "pagerdeck:prod:HighErrorRate/checkout-api:l2"
        })))
        .expect(1)
        .mount(&pagerduty)
        .await;
    let route = PageRoute::Events {
        url: format!("{}/v2/enqueue", pagerduty.uri()),
        routing_key: Secret::new("e93facc04764012d7bfb002500d5d1a6"),
        read_back: None,
    };
    let source = source_paging(&server.url, Some(route));
    assert_eq!(source.capabilities().escalate, Ok(()));
    let key = IncidentKey::new("prod", "HighErrorRate/checkout-api");
    // Before any poll (as a headless command does): the source asks Alertmanager first.
    source.perform(&key, &escalate()).await.unwrap();
    // Pressing `e` again, or the outbox sending it again, pages nobody twice.
    source.perform(&key, &escalate()).await.unwrap();
    pagerduty.verify().await;
    let incidents = source.incidents().await.unwrap();
    let escalated: Vec<(String, Option<&str>)> = incidents
        .iter()
        .map(|i| (i.key.to_string(), i.escalated_to.as_deref()))
        .collect();
    assert!(
        escalated.contains(&("prod:HighErrorRate/checkout-api".into(), Some("Eng Cap"))),
        "the list shows who has it: {escalated:?}"
    );
    assert!(
        escalated.contains(&("prod:DiskAlmostFull/ledger-db".into(), None)),
        "{escalated:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_route_escalating_is_refused_with_what_to_set() {
    let source = source_paging("http://127.0.0.1:9", None);
    let refusal = source.capabilities().escalate.unwrap_err();
    assert_eq!(
        refusal,
        "Alertmanager cannot escalate by itself: set [escalation] alertmanager = { events_routing_key_env = \"…\" } or { webhook_url = \"…\" }"
    );
    let key = IncidentKey::new("prod", "HighErrorRate/checkout-api");
    let error = source.perform(&key, &escalate()).await.unwrap_err();
    assert_eq!(error, ProviderError::Unsupported(refusal));
}

const DEDUP_KEY: &str = "pagerdeck:prod:HighErrorRate/checkout-api:l2";

/// A PagerDuty that takes the page and answers the read-back with `read`.
async fn pagerduty_answering(read: ResponseTemplate) -> MockServer {
    let pagerduty = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v2/enqueue"))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({
            "status": "success", "message": "Event processed", "dedup_key": DEDUP_KEY
        })))
        .expect(1)
        .mount(&pagerduty)
        .await;
    Mock::given(method("GET"))
        .and(path("/incidents"))
        .and(query_param("incident_key", DEDUP_KEY))
        .respond_with(read)
        .expect(1)
        .mount(&pagerduty)
        .await;
    pagerduty
}

/// Pages by Events on `pagerduty`, and reads level two's answer back from it.
fn reading_route(pagerduty: &MockServer) -> PageRoute {
    PageRoute::Events {
        url: format!("{}/v2/enqueue", pagerduty.uri()),
        routing_key: Secret::new("e93facc04764012d7bfb002500d5d1a6"),
        read_back: Some(ReadBack {
            api_url: pagerduty.uri(),
            token: Secret::new("u+t0KENx9f3c2ab7Yq1Zp"),
            token_origin: "PAGERDUTY_TOKEN".into(),
        }),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn after_escalating_the_polled_incident_says_who_at_level_two_took_it() {
    let (server, watcher, _) = alertmanager::with_alerts().await;
    drop(watcher);
    let now = chrono::Utc::now().to_rfc3339();
    let acknowledged = ResponseTemplate::new(200).set_body_json(json!({
        "incidents": [{
            "id": "Q2L2TAKEN", "status": "acknowledged", "incident_key": DEDUP_KEY,
            "created_at": now, "last_status_change_at": now,
            "assignments": [{"assignee": {"id": "PKAILIN", "type": "user_reference", "summary": "Kai Lindqvist"}}],
            "acknowledgements": [{"at": now, "acknowledger": {"id": "PKAILIN", "type": "user_reference", "summary": "Kai Lindqvist"}}]
        }],
        "limit": 25, "offset": 0, "more": false
    }));
    let pagerduty = pagerduty_answering(acknowledged).await;
    let source = source_paging(&server.url, Some(reading_route(&pagerduty)));
    let key = IncidentKey::new("prod", "HighErrorRate/checkout-api");
    source.perform(&key, &escalate()).await.unwrap();
    let incidents = source.incidents().await.unwrap();
    let checkout = incidents.iter().find(|i| i.key == key).unwrap();
    assert_eq!(checkout.escalated_to.as_deref(), Some("Eng Cap"));
    assert_eq!(
        checkout.level_two_answer,
        Some(LevelTwoAnswer::Taken {
            by: "Kai Lindqvist".into()
        })
    );
    let disk = incidents.iter().find(|i| i.key != key).unwrap();
    assert_eq!((&disk.escalated_to, &disk.level_two_answer), (&None, &None));
    pagerduty.verify().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_read_back_pagerduty_refuses_leaves_the_poll_healthy() {
    let (server, watcher, _) = alertmanager::with_alerts().await;
    drop(watcher);
    let key = IncidentKey::new("prod", "HighErrorRate/checkout-api");
    for code in [401, 500] {
        let pagerduty = pagerduty_answering(ResponseTemplate::new(code)).await;
        let source = source_paging(&server.url, Some(reading_route(&pagerduty)));
        source.perform(&key, &escalate()).await.unwrap();
        let incidents = source.incidents().await.unwrap();
        assert_eq!(incidents.len(), 2, "{code}: {incidents:?}");
        assert_eq!(source.degraded(), None, "{code}");
        let checkout = incidents.iter().find(|i| i.key == key).unwrap();
        assert_eq!(checkout.escalated_to.as_deref(), Some("Eng Cap"), "{code}");
        assert_eq!(checkout.level_two_answer, None, "{code}: sent, not taken");
        pagerduty.verify().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_playbooks_own_events_route_pages_without_a_configured_one_and_only_once() {
    let (server, watcher, _) = alertmanager::with_alerts().await;
    drop(watcher);
    let pagerduty = MockServer::start().await;
    // The key is read from the variable the playbook names when the page is sent; PATH is
    // one every test process has, and tests may not set variables of their own.
    let key_now = std::env::var("PATH").unwrap();
    Mock::given(method("POST"))
        .and(path("/v2/enqueue"))
        .and(body_partial_json(json!({
            "routing_key": key_now,
            "event_action": "trigger",
            "dedup_key": DEDUP_KEY,
            "payload": {"summary": "Payments L2: checkout-api 5xx above 5% (2 alerts)"}
        })))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({
            "status": "success", "message": "Event processed", "dedup_key": DEDUP_KEY
        })))
        .expect(1)
        .mount(&pagerduty)
        .await;
    let source = source_paging(&server.url, None);
    assert!(
        source.capabilities().escalate.is_err(),
        "no route configured"
    );
    let by_playbook = |variable: &str| Verb::Escalate {
        to: "Payments L2".into(),
        message: Some(HAND_OVER.into()),
        route: None,
        playbook_route: Some(RouteOverride::Alertmanager(EventsRoute {
            events_routing_key_env: variable.into(),
            events_url: Some(format!("{}/v2/enqueue", pagerduty.uri())),
        })),
    };
    let key = IncidentKey::new("prod", "HighErrorRate/checkout-api");
    // A variable that is not set is said, and nothing is sent.
    let missing = source
        .perform(&key, &by_playbook("PAGERDECK_TEST_NO_SUCH_KEY"))
        .await
        .unwrap_err();
    assert_eq!(
        missing.to_string(),
        "the playbook's level-two route reads $PAGERDECK_TEST_NO_SUCH_KEY, which is not set"
    );
    source.perform(&key, &by_playbook("PATH")).await.unwrap();
    source.perform(&key, &by_playbook("PATH")).await.unwrap();
    pagerduty.verify().await;
    let incidents = source.incidents().await.unwrap();
    let paged = incidents.iter().find(|i| i.key == key).unwrap();
    assert_eq!(paged.escalated_to.as_deref(), Some("Payments L2"));
}
