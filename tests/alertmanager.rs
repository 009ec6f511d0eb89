#![allow(clippy::unwrap_used)] // Tests: a failure here is a failed test.
//! The Alertmanager source against the real server: alerts become incidents, grouped,
//! mapped, and merged across an HA pair; a dead member is not a dead source.

#[path = "support/alertmanager.rs"]
mod alertmanager;
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
        me: "Ana Ops".into(),
        ack_for: Duration::from_secs(3600),
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

#[tokio::test(flavor = "multi_thread")]
async fn acknowledge_is_a_silence_that_alertmanager_and_amtool_then_report() {
    let server = alertmanager::Alertmanager::start();
    server.post_alerts(alerts()).await;
    let source = source(vec![server.url.clone()]);
    let incidents = incidents_until(&source, 2).await;
    let checkout = incidents
        .iter()
        .find(|i| i.service == "checkout-api")
        .unwrap();
    source
        .perform(&checkout.key, &pagerdeck::providers::Verb::Acknowledge)
        .await
        .unwrap();

    // Alertmanager's own API has the silence, made by us, matching the incident exactly.
    let silences: serde_json::Value = reqwest::get(format!("{}/api/v2/silences", server.url))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let silence = &silences[0];
    assert_eq!(silence["createdBy"], "Ana Ops");
    assert!(silence["comment"].as_str().unwrap().starts_with("ACK! "));
    let mut matchers: Vec<String> = silence["matchers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            format!(
                "{}={}",
                m["name"].as_str().unwrap(),
                m["value"].as_str().unwrap()
            )
        })
        .collect();
    matchers.sort();
    assert_eq!(
        matchers,
        ["alertname=HighErrorRate", "service=checkout-api"]
    );
    // So does amtool.
    let amtool =
        std::process::Command::new(prometheus::binary("amtool", "prometheus-alertmanager"))
            .args([
                "silence",
                "query",
                "-o",
                "json",
                "--alertmanager.url",
                &server.url,
            ])
            .output()
            .unwrap();
    let listed = String::from_utf8_lossy(&amtool.stdout);
    assert!(
        listed.contains("\"createdBy\":\"Ana Ops\""),
        "amtool: {listed}"
    );

    // The incident follows: acknowledged, by whom, until when; the other one does not.
    let mut acknowledged = None;
    for _ in 0..50 {
        let incidents = source.incidents().await.unwrap();
        let found = incidents
            .into_iter()
            .find(|i| i.key == checkout.key)
            .unwrap();
        if found.status == Status::Acknowledged {
            acknowledged = Some(found);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let acknowledged = acknowledged.expect("the incident shows acknowledged");
    assert_eq!(acknowledged.assignee.as_deref(), Some("Ana Ops"));
    assert!(
        acknowledged
            .description
            .starts_with("acknowledged by Ana Ops until "),
        "{}",
        acknowledged.description
    );
    let disk = source
        .incidents()
        .await
        .unwrap()
        .into_iter()
        .find(|i| i.service == "ledger-db")
        .unwrap();
    assert_eq!(disk.status, Status::Triggered);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_silence_made_elsewhere_says_who_and_why() {
    let server = alertmanager::Alertmanager::start();
    server.post_alerts(alerts()).await;
    let now = chrono::Utc::now();
    let silence = json!({
        "matchers": [{"name": "alertname", "value": "DiskAlmostFull", "isRegex": false}],
        "startsAt": now, "endsAt": now + chrono::TimeDelta::hours(2),
        "createdBy": "kai", "comment": "maintenance window for the volume resize"
    });
    let response = reqwest::Client::new()
        .post(format!("{}/api/v2/silences", server.url))
        .json(&silence)
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success());
    let source = source(vec![server.url.clone()]);
    let mut note = String::new();
    for _ in 0..50 {
        let incidents = incidents_until(&source, 2).await;
        let disk = incidents
            .into_iter()
            .find(|i| i.service == "ledger-db")
            .unwrap();
        if disk.status == Status::Acknowledged {
            note = disk.description;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(note.starts_with("silenced by kai until "), "{note}");
    assert!(
        note.contains(": maintenance window for the volume resize"),
        "{note}"
    );
}
