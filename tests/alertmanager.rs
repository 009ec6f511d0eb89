#![allow(clippy::unwrap_used)] // Tests: a failure here is a failed test.
//! The Alertmanager source against the real server: alerts become incidents, grouped,
//! mapped, and merged across an HA pair; a dead member degrades the source, not fails it.

#[allow(dead_code)] // Each test file uses part of the helpers.
#[path = "support/alertmanager.rs"]
mod alertmanager;
#[path = "support/prometheus.rs"]
mod prometheus;

use alertmanager::{alerts, incidents_until, source};
use pagerdeck::incident::{Severity, Status};
use pagerdeck::providers::Source;

#[tokio::test(flavor = "multi_thread")]
async fn alerts_become_grouped_incidents_with_their_severity_service_and_links() {
    let (_server, _source, incidents) = alertmanager::with_alerts().await;
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
    assert_eq!(source.degraded(), None);
    drop(first);
    let incidents = source.incidents().await.unwrap();
    assert_eq!(incidents.len(), 2, "the other member still answers");
    let degraded = source.degraded().expect("one member down is degraded");
    assert!(
        degraded.starts_with("1 of 2 members down: cannot reach server"),
        "{degraded}"
    );
    drop(second);
    let error = source.incidents().await.unwrap_err();
    assert!(error.to_string().contains("cannot reach"), "{error}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_teams_own_severity_words_are_mapped() {
    let server = alertmanager::Alertmanager::start();
    let starts = chrono::Utc::now();
    server
        .post_alerts(serde_json::json!([
            {"labels": {"alertname": "QueueBacklog", "service": "mailer", "priority": "SEV1"}, "startsAt": starts},
            {"labels": {"alertname": "CertExpiry", "service": "edge", "priority": "sev3"}, "startsAt": starts},
            {"labels": {"alertname": "Flapping", "service": "edge", "priority": "whatever"}, "startsAt": starts}
        ]))
        .await;
    let source = pagerdeck::providers::alertmanager::Alertmanager::new(
        pagerdeck::providers::alertmanager::Settings {
            severity_label: "priority".into(),
            severities: [("sev1", Severity::Critical), ("sev3", Severity::Info)]
                .into_iter()
                .map(|(word, severity)| (word.to_string(), severity))
                .collect(),
            ..pagerdeck::providers::alertmanager::Settings::new(
                "prod",
                vec![server.url.clone()],
                "Ana Ops",
            )
        },
    )
    .unwrap();
    let incidents = incidents_until(&source, 3).await;
    let severity_of = |alert: &str| {
        incidents
            .iter()
            .find(|i| i.alert.as_deref() == Some(alert))
            .unwrap()
            .severity
    };
    assert_eq!(severity_of("QueueBacklog"), Severity::Critical, "any case");
    assert_eq!(severity_of("CertExpiry"), Severity::Info);
    assert_eq!(severity_of("Flapping"), Severity::Warning, "unknown words");
}
