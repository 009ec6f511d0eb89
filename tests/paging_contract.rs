#![allow(clippy::unwrap_used)] // Tests: a failure here is a failed test.
//! Paging level two against PagerDuty's own Events API v2 spec: the trigger pagerdeck
//! sends must be one the spec accepts. Stoplight Prism validates it (routes answer at
//! `/enqueue`: the spec's `/v2` server path is ignored); a body the spec forbids is a 400.

#[path = "support/paging.rs"]
mod paging;
#[path = "support/prism.rs"]
mod prism;

use std::time::Duration;

use pagerdeck::incident::Severity;
use pagerdeck::providers::ProviderError;
use pagerdeck::providers::paging::{PageRoute, Pager, send};
use pagerdeck::providers::token::Secret;
use paging::{incident, page};

const SPEC: &str = "pagerduty-events-v2-openapiv3.json";

fn mock() -> &'static prism::Prism {
    prism::shared(SPEC)
}

fn route() -> PageRoute {
    PageRoute::Events {
        url: format!("{}/enqueue", mock().url),
        routing_key: Secret::new("e93facc04764012d7bfb002500d5d1a6"),
        read_back: None,
    }
}

/// `Ok`, or a failure that shows the error and what the mock said about the request.
fn accepted(what: &str, result: Result<(), ProviderError>) {
    if let Err(error) = result {
        panic!(
            "{what}: {error} ({error:?})\n--- prism ---\n{}",
            mock().report()
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_mock_refuses_a_trigger_without_a_severity() {
    // Without this, a mock that accepted anything would let the tests below pass.
    let response = reqwest::Client::new()
        .post(format!("{}/enqueue", mock().url))
        .json(&serde_json::json!({
            "routing_key": "e93facc04764012d7bfb002500d5d1a6",
            "event_action": "trigger",
            "payload": {"summary": "no severity", "source": "checkout-api"}
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 400, "{}", mock().report());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_trigger_for_a_real_incident_is_accepted() {
    let pager = Pager::new(route(), Duration::from_secs(20)).unwrap();
    let incident = incident();
    accepted("page Eng Cap", pager.page(&page(&incident)).await);
}

#[tokio::test(flavor = "multi_thread")]
async fn every_severity_maps_to_one_the_spec_allows() {
    let http = reqwest::Client::new();
    let mut incident = incident();
    // And without the optional fields an incident may lack.
    incident.team = None;
    incident.alert = None;
    incident.links.clear();
    for severity in Severity::ALL {
        incident.severity = severity;
        let result = send(&http, &route(), &page(&incident)).await;
        accepted(severity.name(), result);
    }
}
