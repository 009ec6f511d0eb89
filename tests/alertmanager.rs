#![allow(clippy::unwrap_used)] // Tests: a failure here is a failed test.
//! The Alertmanager source against the real server: alerts become incidents, grouped,
//! mapped, and merged across an HA pair; a dead member is not a dead source.

#[path = "support/alertmanager.rs"]
mod alertmanager;
#[allow(dead_code)] // Only the process helpers are used here.
#[path = "support/prometheus.rs"]
mod prometheus;

use std::time::Duration;

use pagerdeck::incident::{Severity, Status};
use pagerdeck::providers::Source;
use pagerdeck::providers::alertmanager::{Alertmanager as Source_, Settings};
use serde_json::json;

fn source(urls: Vec<String>) -> Source_ {
    Source_::new(Settings {
        name: "prod".into(),
        urls,
        group_by: vec!["alertname".into(), "service".into()],
        service_label: "service".into(),
        timeout: Duration::from_secs(5),
    })
    .unwrap()
}

fn alerts() -> serde_json::Value {
    let starts = chrono::Utc::now() - chrono::TimeDelta::minutes(9);
    json!([
        {"labels": {"alertname": "HighErrorRate", "service": "checkout-api", "severity": "critical", "instance": "a:8080", "team": "payments"},
         "annotations": {"summary": "checkout-api 5xx above 5%", "runbook_url": "https://github.com/acme/playbooks/blob/main/payments/checkout-api.md#higherrorrate"},
         "startsAt": starts, "generatorURL": "http://prometheus:9090/graph?g0.expr=up"},
        {"labels": {"alertname": "HighErrorRate", "service": "checkout-api", "severity": "warning", "instance": "b:8080", "team": "payments"},
         "annotations": {"summary": "checkout-api 5xx above 5%"},
         "startsAt": starts + chrono::TimeDelta::minutes(2), "generatorURL": "http://prometheus:9090/graph?g0.expr=up"},
        {"labels": {"alertname": "DiskAlmostFull", "service": "ledger-db", "severity": "warning"},
         "annotations": {"description": "disk 95% full"},
         "startsAt": starts}
    ])
}

async fn incidents_until(source: &Source_, count: usize) -> Vec<pagerdeck::incident::Incident> {
    for _ in 0..50 {
        let incidents = source.incidents().await.unwrap();
        if incidents.len() >= count {
            return incidents;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("Alertmanager never reported {count} incidents");
}

#[tokio::test(flavor = "multi_thread")]
async fn alerts_become_grouped_incidents_with_their_severity_service_and_links() {
    let server = alertmanager::Alertmanager::start();
    server.post_alerts(alerts()).await;
    let source = source(vec![server.url.clone()]);
    let incidents = incidents_until(&source, 2).await;
    assert_eq!(
        incidents.len(),
        2,
        "two instances of one alert are one incident"
    );
    let checkout = incidents
        .iter()
        .find(|i| i.service == "checkout-api")
        .unwrap();
    assert_eq!(checkout.key.to_string(), "prod:HighErrorRate/checkout-api");
    assert_eq!(checkout.title, "checkout-api 5xx above 5% (2 alerts)");
    assert_eq!(
        checkout.severity,
        Severity::Critical,
        "the worst of its alerts"
    );
    assert_eq!(checkout.status, Status::Triggered);
    assert_eq!(checkout.alert.as_deref(), Some("HighErrorRate"));
    assert_eq!(checkout.team.as_deref(), Some("payments"));
    assert!(
        !checkout.labels.contains_key("instance"),
        "only the labels all share"
    );
    let links: Vec<(&str, &str)> = checkout
        .links
        .iter()
        .map(|l| (l.title.as_str(), l.url.as_str()))
        .collect();
    assert!(links.contains(&(
        "runbook",
        "https://github.com/acme/playbooks/blob/main/payments/checkout-api.md#higherrorrate"
    )));
    assert!(links.iter().any(|(t, _)| *t == "Prometheus expression"));
    let disk = incidents.iter().find(|i| i.service == "ledger-db").unwrap();
    assert_eq!(
        (disk.severity, disk.description.as_str()),
        (Severity::Warning, "disk 95% full")
    );
    assert_eq!(disk.title, "DiskAlmostFull");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_ha_pair_is_merged_and_a_dead_member_does_not_fail_the_source() {
    let first = alertmanager::Alertmanager::start();
    let second = alertmanager::Alertmanager::start();
    // Prometheus sends every alert to every member.
    first.post_alerts(alerts()).await;
    second.post_alerts(alerts()).await;
    let source = source(vec![first.url.clone(), second.url.clone()]);
    let incidents = incidents_until(&source, 2).await;
    assert_eq!(incidents.len(), 2, "not duplicated across members");
    assert!(incidents.iter().any(|i| i.title.ends_with("(2 alerts)")));
    drop(first);
    let incidents = source.incidents().await.unwrap();
    assert_eq!(incidents.len(), 2, "the other member still answers");
    drop(second);
    let error = source.incidents().await.unwrap_err();
    assert!(error.to_string().contains("cannot reach"), "{error}");
}
