#![allow(clippy::unwrap_used)] // Tests: a failure here is a failed test.
//! Escalating an Alertmanager incident, against the real server: level two is paged
//! once through the configured route, with the incident as Alertmanager reports it and
//! the hand-over; without a route, escalating is refused with what to set.

#[allow(dead_code)] // Each test file uses part of the helpers.
#[path = "support/alertmanager.rs"]
mod alertmanager;
#[path = "support/prometheus.rs"]
mod prometheus;

use std::time::Duration;

use pagerdeck::incident::IncidentKey;
use pagerdeck::providers::alertmanager::{Alertmanager, Settings};
use pagerdeck::providers::paging::PageRoute;
use pagerdeck::providers::token::Secret;
use pagerdeck::providers::{ProviderError, Source, Verb};
use serde_json::json;
use wiremock::matchers::{body_partial_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const HAND_OVER: &str = "5xx at 7% since the deploy; rollback did not help";

fn escalate() -> Verb {
    Verb::Escalate {
        to: "Eng Cap".into(),
        message: Some(HAND_OVER.into()),
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
