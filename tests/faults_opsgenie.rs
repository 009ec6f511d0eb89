#![allow(clippy::unwrap_used)] // Tests: a failure here is a failed test.
//! Every fault an Opsgenie source meets, through the real poller and state: the status
//! says what is wrong and how old the last good data is, the other Opsgenie source keeps
//! its alerts and stays live, and the source recovers by itself.

#[path = "support/fault_rig.rs"]
mod fault_rig;
#[allow(dead_code)] // Each test file uses part of the helpers.
#[path = "support/faults.rs"]
mod faults;

use fault_rig::{Provider, every_row_survives, row, wrong_from_the_start};
use faults::{Fault, FaultServer, UNRESOLVABLE_URL};

fn bodies(name: &str) -> Vec<(&'static str, String)> {
    let alerts: Vec<serde_json::Value> = (1..=4)
        .map(|n| {
            serde_json::json!({"id": format!("{name}-{n}"), "message": format!("{name} alert {n}"),
            "status": "open", "priority": "P2"})
        })
        .collect();
    let page = serde_json::json!({"data": alerts, "paging": {}, "took": 0.1, "requestId": "r"});
    vec![("/v2/alerts", page.to_string())]
}

const OPSGENIE: Provider = Provider {
    kind: "opsgenie",
    bodies,
    place: |url| format!("base_url = \"{url}\""),
    incidents: 4,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_opsgenie_source_survives_every_fault_and_recovers_by_itself() {
    let rows = vec![
        row(
            Fault::Down,
            &["cannot reach server", "/v2/alerts", "Connection refused"],
        ),
        row(Fault::Hang, &["no answer within 1s (the source's timeout)"]),
        row(Fault::Close, &["cannot reach server", "/v2/alerts"]),
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
            &["/v2/alerts", "not JSON", "Sign in to the proxy"],
        ),
        row(Fault::Truncated, &["/v2/alerts", "answer cut short"]),
        row(Fault::Empty, &["/v2/alerts", "empty answer"]),
        row(
            Fault::Huge(50 << 20),
            &["answer larger than 32 MiB: not read"],
        ),
        row(
            Fault::Announced(50 << 20),
            &["answer larger than 32 MiB: not read"],
        ),
    ];
    every_row_survives(&OPSGENIE, rows).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_opsgenie_source_with_no_such_host_says_so_and_harms_no_other() {
    let says = [
        "cannot reach server",
        "pagerdeck-faults.invalid",
        "failed to lookup address",
    ];
    wrong_from_the_start(&OPSGENIE, UNRESOLVABLE_URL, &says).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_opsgenie_source_failing_tls_says_so_and_harms_no_other() {
    let plain = FaultServer::start(&bodies("broken")).await;
    let says = ["https://127.0.0.1", "TLS failed", "is it an https server"];
    wrong_from_the_start(&OPSGENIE, &plain.https_url(), &says).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_opsgenie_source_connecting_to_a_server_that_takes_no_connection_gives_up_at_connect_timeout()
 {
    let (url, _queue) = faults::unaccepting_url().await;
    let says = ["no connection within the source's connect_timeout"];
    wrong_from_the_start(&OPSGENIE, &url, &says).await;
}
