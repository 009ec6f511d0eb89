#![allow(clippy::unwrap_used)] // Tests: a failure here is a failed test.
//! Every fault a PagerDuty source meets, through the real poller and state: the status
//! says what is wrong and how old the last good data is, the other PagerDuty source keeps
//! its incidents and stays live, and the source recovers by itself.

#[path = "support/fault_rig.rs"]
mod fault_rig;
#[allow(dead_code)] // Each test file uses part of the helpers.
#[path = "support/faults.rs"]
mod faults;

use fault_rig::{Provider, every_row_survives, row, wrong_from_the_start};
use faults::{Fault, FaultServer, UNRESOLVABLE_URL};

fn bodies(name: &str) -> Vec<(&'static str, String)> {
    let incidents: Vec<serde_json::Value> = (1..=3)
        .map(|n| {
            serde_json::json!({"id": format!("P{name}{n}"), "status": "triggered",
            "title": format!("{name} incident {n}"), "urgency": "high"})
        })
        .collect();
    let page =
        serde_json::json!({"incidents": incidents, "limit": 100, "more": false, "total": null});
    vec![("/incidents", page.to_string())]
}

const PAGERDUTY: Provider = Provider {
    kind: "pagerduty",
    bodies,
    place: |url| format!("base_url = \"{url}\""),
    incidents: 3,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pagerduty_source_survives_every_fault_and_recovers_by_itself() {
    let rows = vec![
        row(
            Fault::Down,
            &["cannot reach server", "/incidents", "Connection refused"],
        ),
        row(Fault::Hang, &["no answer within 1s (the source's timeout)"]),
        row(Fault::Close, &["cannot reach server", "/incidents"]),
        row(
            Fault::Status(500),
            &["server answered 500", "500 from the fault server"],
        ),
        row(Fault::Status(502), &["server answered 502"]),
        row(Fault::Status(503), &["server answered 503"]),
        row(Fault::RateLimited(2), &["rate limited: asking again in"]),
        row(
            Fault::Status(401),
            &["token rejected for broken: check the output of token_cmd"],
        ),
        row(Fault::Status(403), &["token rejected for broken"]),
        row(
            Fault::Malformed,
            &["/incidents", "not JSON", "Sign in to the proxy"],
        ),
        row(Fault::Truncated, &["/incidents", "answer cut short"]),
        row(Fault::Empty, &["/incidents", "empty answer"]),
        row(
            Fault::Huge(50 << 20),
            &["answer larger than 32 MiB: not read"],
        ),
        row(
            Fault::Announced(50 << 20),
            &["answer larger than 32 MiB: not read"],
        ),
    ];
    every_row_survives(&PAGERDUTY, rows).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pagerduty_source_with_no_such_host_says_so_and_harms_no_other() {
    wrong_from_the_start(
        &PAGERDUTY,
        UNRESOLVABLE_URL,
        &[
            "cannot reach server",
            "pagerdeck-faults.invalid",
            "failed to lookup address",
        ],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pagerduty_source_failing_tls_says_so_and_harms_no_other() {
    let plain = FaultServer::start(&bodies("broken")).await;
    wrong_from_the_start(
        &PAGERDUTY,
        &plain.https_url(),
        &["https://127.0.0.1", "TLS failed", "is it an https server"],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pagerduty_source_connecting_to_a_server_that_takes_no_connection_gives_up_at_connect_timeout()
 {
    let (url, _queue) = faults::unaccepting_url().await;
    let says = ["no connection within the source's connect_timeout"];
    wrong_from_the_start(&PAGERDUTY, &url, &says).await;
}
