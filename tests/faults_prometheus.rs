#![allow(clippy::unwrap_used)] // Tests: a failure here is a failed test.
//! The metrics client meets the same faults as the incident sources: each is said in
//! words over the chart (or for the whole pane when nothing answered), and the next
//! fetch charts again once the server is back.

#[allow(dead_code)] // Each test file uses part of the helpers.
#[path = "support/faults.rs"]
mod faults;

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::Utc;
use faults::{Fault, FaultServer, UNRESOLVABLE_URL};
use pagerdeck::config::queries::ServiceQuery;
use pagerdeck::metrics::prometheus::{Prometheus, Settings};
use pagerdeck::metrics::{MetricsSource, Notice, Span};

fn answer() -> Vec<(&'static str, String)> {
    let now = Utc::now().timestamp();
    let values: Vec<serde_json::Value> = (0..5)
        .map(|n| serde_json::json!([now - 60 * n, "1"]))
        .collect();
    let body = serde_json::json!({"status": "success", "data": {"resultType": "matrix",
        "result": [{"metric": {"__name__": "up", "job": "checkout"}, "values": values}]}});
    vec![("/api/v1/query_range", body.to_string())]
}

fn client(url: &str) -> Prometheus {
    let up = ServiceQuery {
        name: "up".into(),
        query: "up{job=\"checkout\"}".into(),
        unit: None,
    };
    Prometheus::new(Settings {
        url: url.into(),
        timeout: Duration::from_secs(5),
        connect_timeout: Duration::from_secs(1),
        services: BTreeMap::from([("checkout".to_string(), vec![up])]),
    })
    .unwrap()
}

/// What the pane would say: the error for the whole pane, or each chart's problem; empty
/// when it charts.
async fn shown(prometheus: &Prometheus) -> String {
    let incident = pagerdeck::testing::incident("checkout", "CheckoutDown");
    let window = Span::AroundFiring.window(Utc::now() - chrono::TimeDelta::minutes(5), Utc::now());
    match prometheus.series_for(&incident, window, 60).await {
        Err(error) => error.to_string(),
        Ok(series) => series
            .iter()
            .filter_map(|s| match &s.notice {
                Some(Notice::Problem(text)) => Some(text.clone()),
                _ if s.points.is_empty() => Some(format!("{} has no points", s.name)),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join("; "),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_metrics_client_says_each_fault_and_charts_again_when_the_server_is_back() {
    let rows: Vec<(Fault, &[&str])> = vec![
        (
            Fault::Down,
            &["Prometheus at http://127.0.0.1", "Connection refused"],
        ),
        (Fault::Hang, &["no answer within 5s"]),
        (Fault::Status(502), &["502"]),
        (Fault::Status(503), &["503"]),
        (Fault::Malformed, &["not a Prometheus answer"]),
        (Fault::Truncated, &["answer cut short"]),
        (Fault::Empty, &["not a Prometheus answer"]),
        (
            Fault::Huge(50 << 20),
            &["answer larger than 32 MiB: not read"],
        ),
        (
            Fault::Announced(50 << 20),
            &["answer larger than 32 MiB: not read"],
        ),
    ];
    let runs = rows.iter().map(|(fault, says)| async move {
        let server = FaultServer::start(&answer()).await;
        let prometheus = client(&server.url);
        server.set(fault.clone()).await;
        let during = shown(&prometheus).await;
        server.set(Fault::Healthy).await;
        let after = shown(&prometheus).await;
        let missing: Vec<&&str> = says.iter().filter(|w| !during.contains(**w)).collect();
        match (during.is_empty(), missing.is_empty(), after.is_empty()) {
            (false, true, true) => Ok(format!("{fault:?}: {during}")),
            _ => Err(format!(
                "{fault:?}: said {during:?} (lacking {missing:?}), then {after:?}"
            )),
        }
    });
    let failed: Vec<String> = futures_util::future::join_all(runs)
        .await
        .into_iter()
        .inspect(|outcome| eprintln!("{outcome:?}"))
        .filter_map(Result::err)
        .collect();
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_metrics_server_with_no_such_host_or_no_tls_is_said_so() {
    let said = shown(&client(UNRESOLVABLE_URL)).await;
    assert!(
        said.contains("pagerdeck-faults.invalid: failed to lookup address"),
        "{said}"
    );
    let plain = FaultServer::start(&answer()).await;
    let said = shown(&client(&plain.https_url())).await;
    assert!(said.contains("Prometheus at https://127.0.0.1"), "{said}");
    assert!(said.contains("corrupt message"), "{said}");
}
