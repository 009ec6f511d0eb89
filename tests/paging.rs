#![allow(clippy::unwrap_used)] // Tests: a failure here is a failed test.
//! Paging level two, as level two's endpoint sees it: the exact PagerDuty Events trigger
//! and webhook payload, one page per incident however often it is escalated, each kind
//! of failure as the error the outbox acts on, and the routing key never shown.

#[path = "support/paging.rs"]
mod paging;
#[path = "paging/taken.rs"]
mod taken;

use std::collections::HashSet;
use std::time::Duration;

use pagerdeck::incident::Severity;
use pagerdeck::providers::ProviderError;
use pagerdeck::providers::paging::{PageRoute, Pager, send};
use pagerdeck::providers::token::Secret;
use paging::{HAND_OVER, RUNBOOK, incident, page};
use serde_json::{Value, json};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// Shaped like a real integration key, so an echo of it is unmistakable.
const ROUTING_KEY: &str = "R0UT1NGe93facc04764012d7bfb0025";
const DEDUP_KEY: &str = "pagerdeck:prod:HighErrorRate/checkout-api:l2";

fn events_route(server: &MockServer) -> PageRoute {
    PageRoute::Events {
        url: format!("{}/v2/enqueue", server.uri()),
        routing_key: Secret::new(ROUTING_KEY),
        read_back: None,
    }
}

fn pager(route: PageRoute) -> Pager {
    Pager::new(route, Duration::from_secs(1)).unwrap()
}

/// PagerDuty's answer to an event it took.
fn accepted() -> ResponseTemplate {
    ResponseTemplate::new(202).set_body_json(
        json!({"status": "success", "message": "Event processed", "dedup_key": DEDUP_KEY}),
    )
}

/// What the server was sent, as JSON, in order.
async fn bodies(server: &MockServer) -> Vec<Value> {
    let requests = server.received_requests().await.unwrap();
    requests
        .iter()
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect()
}

#[tokio::test]
async fn an_events_trigger_carries_the_incident_the_hand_over_and_its_own_dedup_key() {
    let server = MockServer::start().await;
    let expected = json!({
        "routing_key": ROUTING_KEY,
        "event_action": "trigger",
        "dedup_key": DEDUP_KEY,
        "payload": {
            "summary": "Eng Cap: checkout-api 5xx above 5% (2 alerts)",
            "source": "checkout-api",
            "severity": "critical",
            "timestamp": "2025-03-04T02:51:07Z",
            "component": "checkout-api",
            "group": "payments",
            "class": "HighErrorRate",
            "custom_details": {
                "hand_over": HAND_OVER,
                "incident": "prod:HighErrorRate/checkout-api",
                "escalated_by": "Ana Ops",
                "labels": {"alertname": "HighErrorRate", "service": "checkout-api", "team": "payments"},
                // A bare host name PagerDuty's `format: url` refuses: kept, but not as a link.
                "more_links": [
                    {"href": "http://prometheus:9090/graph?g0.expr=up", "text": "Prometheus expression"}
                ]
            }
        },
        "client": "pagerdeck",
        "links": [{"href": RUNBOOK, "text": "runbook"}]
    });
    Mock::given(method("POST"))
        .and(path("/v2/enqueue"))
        .and(header("content-type", "application/json"))
        .and(body_json(expected))
        .respond_with(accepted())
        .expect(1)
        .mount(&server)
        .await;
    let incident = incident();
    pager(events_route(&server))
        .page(&page(&incident))
        .await
        .unwrap();
    server.verify().await;
    let request = &server.received_requests().await.unwrap()[0];
    assert!(
        request.headers.get("authorization").is_none(),
        "the Events API takes the key in the body, never in a header"
    );
}

#[tokio::test]
async fn severities_map_to_pagerdutys_four_and_a_long_title_is_cut_to_1024() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(accepted())
        .mount(&server)
        .await;
    let http = reqwest::Client::new();
    let route = events_route(&server);
    let mut incident = incident();
    incident.team = None;
    incident.alert = None;
    for severity in Severity::ALL {
        incident.severity = severity;
        send(&http, &route, &page(&incident)).await.unwrap();
    }
    incident.title = "é".repeat(2000);
    send(&http, &route, &page(&incident)).await.unwrap();
    let sent = bodies(&server).await;
    let severities: Vec<&str> = sent[..4]
        .iter()
        .map(|b| b["payload"]["severity"].as_str().unwrap())
        .collect();
    assert_eq!(severities, ["critical", "error", "warning", "info"]);
    let summary = sent[4]["payload"]["summary"].as_str().unwrap();
    assert_eq!(summary.chars().count(), 1024);
    assert!(summary.starts_with("Eng Cap: éé"), "{summary}");
    // Unknown team and alert name are left out, not sent empty.
    assert!(sent[0]["payload"].get("group").is_none(), "{}", sent[0]);
    assert!(sent[0]["payload"].get("class").is_none(), "{}", sent[0]);
}

#[tokio::test]
async fn a_webhook_gets_slack_text_the_incident_and_an_idempotency_key() {
    let server = MockServer::start().await;
    let expected = json!({
        "text": format!(
            "*Escalated to Eng Cap*: checkout-api 5xx above 5% (2 alerts) (prod:HighErrorRate/checkout-api, critical)\n{HAND_OVER}"
        ),
        "incident": {
            "key": "prod:HighErrorRate/checkout-api",
            "title": "checkout-api 5xx above 5% (2 alerts)",
            "severity": "critical",
            "status": "triggered",
            "service": "checkout-api",
            "team": "payments",
            "opened_at": "2025-03-04T02:51:07Z",
            "links": [
                {"title": "Prometheus expression", "url": "http://prometheus:9090/graph?g0.expr=up"},
                {"title": "runbook", "url": RUNBOOK}
            ]
        },
        "escalated_to": "Eng Cap",
        "escalated_by": "Ana Ops",
        "message": HAND_OVER,
        "dedup_key": DEDUP_KEY
    });
    Mock::given(method("POST"))
        .and(path("/services/T0/B0/hook"))
        .and(header("idempotency-key", DEDUP_KEY))
        .and(body_json(expected))
        // Slack answers a plain "ok"; any 2xx is taken.
        .respond_with(ResponseTemplate::new(200).set_body_string("ok"))
        .expect(1)
        .mount(&server)
        .await;
    let route = PageRoute::Webhook {
        url: format!("{}/services/T0/B0/hook", server.uri()),
    };
    let incident = incident();
    pager(route).page(&page(&incident)).await.unwrap();
    server.verify().await;
}

#[tokio::test]
async fn escalating_one_incident_twice_pages_level_two_once() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(accepted())
        .expect(1)
        .mount(&server)
        .await;
    let pager = pager(events_route(&server));
    let incident = incident();
    pager.page(&page(&incident)).await.unwrap();
    pager.page(&page(&incident)).await.unwrap();
    assert_eq!(pager.paged_to(&incident.key).as_deref(), Some("Eng Cap"));
    server.verify().await;
}

#[tokio::test]
async fn a_failed_page_is_not_remembered_and_a_closed_incident_that_fires_again_is_paged_again() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(accepted())
        .mount(&server)
        .await;
    let pager = pager(events_route(&server));
    let incident = incident();
    let error = pager.page(&page(&incident)).await.unwrap_err();
    assert!(
        matches!(error, ProviderError::Status { code: 503, .. }),
        "{error:?}"
    );
    assert_eq!(pager.paged_to(&incident.key), None);
    pager.page(&page(&incident)).await.unwrap();
    // A poll without the incident: it closed. When it fires again, it is news.
    pager.keep_only(&HashSet::new());
    pager.page(&page(&incident)).await.unwrap();
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

/// The error paging by Events gets when the server answers `answer`.
async fn events_error(answer: ResponseTemplate) -> ProviderError {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(answer)
        .mount(&server)
        .await;
    let incident = incident();
    pager(events_route(&server))
        .page(&page(&incident))
        .await
        .unwrap_err()
}

#[tokio::test]
async fn refusals_rate_limits_outages_and_timeouts_are_the_errors_the_outbox_acts_on() {
    // 400: PagerDuty's reasons, and not worth sending again (Refused is not retried).
    let invalid = ResponseTemplate::new(400).set_body_json(json!({
        "status": "invalid event",
        "message": "Event object is invalid",
        "errors": ["'payload.severity' is invalid (must be one of: critical, error, warning, info)"]
    }));
    let error = events_error(invalid).await;
    assert_eq!(
        error,
        ProviderError::Refused(
            "PagerDuty refused the page to Eng Cap (400, not retried): Event object is invalid: 'payload.severity' is invalid (must be one of: critical, error, warning, info)".into()
        )
    );
    let error = events_error(ResponseTemplate::new(400)).await;
    assert!(error.to_string().ends_with("no reason given"), "{error}");
    // 429: wait as asked, then send again.
    let error = events_error(ResponseTemplate::new(429).insert_header("retry-after", "30")).await;
    assert_eq!(
        error,
        ProviderError::RateLimited {
            retry_after_secs: Some(30)
        }
    );
    let error = events_error(ResponseTemplate::new(429)).await;
    assert_eq!(
        error,
        ProviderError::RateLimited {
            retry_after_secs: None
        }
    );
    // 5xx: a status the outbox retries, with what the server said.
    let error = events_error(ResponseTemplate::new(502).set_body_string("bad gateway")).await;
    assert!(
        matches!(error, ProviderError::Status { code: 502, .. }),
        "{error:?}"
    );
    assert!(
        error.to_string().ends_with("/v2/enqueue: bad gateway"),
        "{error}"
    );
    // Slower than the pager's 1 s timeout.
    let slow = accepted().set_delay(Duration::from_secs(3));
    assert_eq!(events_error(slow).await, ProviderError::Timeout);
    // Nobody listening.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/v2/enqueue", closed.local_addr().unwrap());
    drop(closed);
    let route = PageRoute::Events {
        url,
        routing_key: Secret::new(ROUTING_KEY),
        read_back: None,
    };
    let incident = incident();
    let error = pager(route).page(&page(&incident)).await.unwrap_err();
    assert!(matches!(error, ProviderError::Http(_)), "{error:?}");
}

/// Answers with the request's own body: a proxy or server that echoes what it got.
struct Echo(u16);

impl wiremock::Respond for Echo {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let echoed = String::from_utf8_lossy(&request.body);
        let url = request.url.to_string();
        // The key first, as a proxy that logs "no route for key …" would put it.
        let sent: Value = serde_json::from_slice(&request.body).unwrap_or_default();
        let key = sent["routing_key"].as_str().unwrap_or_default();
        match self.0 {
            400 => ResponseTemplate::new(400).set_body_json(json!({
                "status": "invalid event",
                "message": "Event object is invalid",
                "errors": [format!("no integration for routing key {ROUTING_KEY}")]
            })),
            code => {
                ResponseTemplate::new(code).set_body_string(format!("{url} key={key} {echoed}"))
            }
        }
    }
}

#[tokio::test]
async fn the_routing_key_and_the_webhooks_path_never_show_even_when_echoed() {
    for code in [400, 404, 500] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(Echo(code))
            .mount(&server)
            .await;
        let route = events_route(&server);
        let incident = incident();
        let error = pager(route.clone())
            .page(&page(&incident))
            .await
            .unwrap_err();
        for shown in [
            error.to_string(),
            format!("{error:?}"),
            format!("{route:?}"),
        ] {
            // Not even a piece of it, as a cut through the key would leave.
            assert!(!shown.contains(&ROUTING_KEY[..8]), "{code}: {shown}");
        }
        assert!(
            error.to_string().contains("[redacted]"),
            "{code}: the echo is still there, blotted: {error}"
        );
        let hook = PageRoute::Webhook {
            url: format!("{}/services/T0/B0/s3cr3tpath", server.uri()),
        };
        let error = pager(hook.clone())
            .page(&page(&incident))
            .await
            .unwrap_err();
        for shown in [error.to_string(), format!("{error:?}"), format!("{hook:?}")] {
            assert!(!shown.contains("s3cr3tpath"), "{code}: {shown}");
        }
    }
}
