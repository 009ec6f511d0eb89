#![allow(clippy::unwrap_used)] // Tests: a failure here is a failed test.
//! Acknowledge, snooze and take back on a real Alertmanager: each is a silence that
//! Alertmanager and amtool then report, and the incident's status follows.

#[allow(dead_code)] // Each test file uses part of the helpers.
#[path = "support/alertmanager.rs"]
mod alertmanager;
#[path = "support/prometheus.rs"]
mod prometheus;

use std::time::Duration;

use alertmanager::{alerts, incidents_until, source};
use pagerdeck::incident::Status;
use pagerdeck::providers::{Source, Verb};
use serde_json::json;

/// `name=value` of each matcher of a silence, sorted.
fn matchers(silence: &serde_json::Value) -> Vec<String> {
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
    matchers
}

#[tokio::test(flavor = "multi_thread")]
async fn acknowledge_is_a_silence_reported_by_alertmanager_and_amtool_and_unack_expires_it() {
    let (server, source, incidents) = alertmanager::with_alerts().await;
    let checkout = incidents
        .iter()
        .find(|i| i.service == "checkout-api")
        .unwrap();
    let ack = Verb::Acknowledge {
        note: Some("rolling back deploy 3".into()),
    };
    source.perform(&checkout.key, &ack).await.unwrap();

    // Alertmanager's own API has the silence, made by us, matching the incident exactly.
    let silences = alertmanager::silences(&server.url).await;
    assert_eq!(silences.len(), 1);
    let silence = &silences[0];
    assert_eq!(silence["createdBy"], "Ana Ops");
    assert_eq!(silence["comment"], "ACK! rolling back deploy 3");
    assert_eq!(
        matchers(silence),
        ["alertname=HighErrorRate", "service=checkout-api"]
    );
    let lasts = chrono::DateTime::parse_from_rfc3339(silence["endsAt"].as_str().unwrap()).unwrap()
        - chrono::DateTime::parse_from_rfc3339(silence["startsAt"].as_str().unwrap()).unwrap();
    // Alertmanager moves startsAt to its own "now", a moment later.
    assert!(
        (lasts.num_seconds() - 3600).abs() < 30,
        "ack_duration's default: {lasts}"
    );
    // So does amtool.
    let listed = alertmanager::amtool_silences(&server.url);
    assert!(
        listed.contains("\"createdBy\":\"Ana Ops\""),
        "amtool: {listed}"
    );

    // The incident follows: acknowledged, by whom, since and until when; the other one
    // does not.
    let acknowledged =
        alertmanager::until_status(&source, &checkout.key, Status::Acknowledged).await;
    assert_eq!(acknowledged.assignee.as_deref(), Some("Ana Ops"));
    let said = acknowledged.description.lines().next().unwrap();
    assert!(said.starts_with("acknowledged by Ana Ops at "), "{said}");
    assert!(said.ends_with(" UTC: rolling back deploy 3"), "{said}");
    let incidents = source.incidents().await.unwrap();
    let disk = incidents.iter().find(|i| i.service == "ledger-db").unwrap();
    assert_eq!(disk.status, Status::Triggered);

    // Unack expires that silence: the API says expired, amtool lists nothing, and the
    // incident pages again.
    source
        .perform(&checkout.key, &Verb::Unacknowledge)
        .await
        .unwrap();
    let silences = alertmanager::silences(&server.url).await;
    assert_eq!(silences[0]["status"]["state"], "expired");
    let listed = alertmanager::amtool_silences(&server.url);
    assert!(
        !listed.contains("Ana Ops"),
        "amtool still lists it: {listed}"
    );
    let again = alertmanager::until_status(&source, &checkout.key, Status::Triggered).await;
    assert_eq!(again.assignee, None);
    // Nothing left to take back: said so, not a silent success.
    let error = source
        .perform(&checkout.key, &Verb::Unacknowledge)
        .await
        .unwrap_err();
    assert!(error.to_string().contains("no acknowledgement"), "{error}");
}

#[tokio::test(flavor = "multi_thread")]
async fn unack_right_after_ack_finds_the_silence_before_any_poll_saw_it() {
    let (server, source, incidents) = alertmanager::with_alerts().await;
    let key = &incidents[0].key;
    source.perform(key, &Verb::acknowledge()).await.unwrap();
    source.perform(key, &Verb::Unacknowledge).await.unwrap();
    let silences = alertmanager::silences(&server.url).await;
    assert_eq!(silences[0]["status"]["state"], "expired");
}

#[tokio::test(flavor = "multi_thread")]
async fn snooze_is_a_silence_for_the_chosen_time_that_is_not_an_ack() {
    let (server, source, incidents) = alertmanager::with_alerts().await;
    let disk = incidents.iter().find(|i| i.service == "ledger-db").unwrap();
    source
        .perform(&disk.key, &Verb::Snooze { seconds: 2 * 3600 })
        .await
        .unwrap();
    let silences = alertmanager::silences(&server.url).await;
    let silence = &silences[0];
    // Not `ACK!`: kthxbye would keep extending it, and a snooze must end.
    assert_eq!(silence["comment"], "snoozed from pagerdeck for 2h");
    let lasts = chrono::DateTime::parse_from_rfc3339(silence["endsAt"].as_str().unwrap()).unwrap()
        - chrono::DateTime::parse_from_rfc3339(silence["startsAt"].as_str().unwrap()).unwrap();
    assert!((lasts.num_seconds() - 7200).abs() < 30, "{lasts}");
    let snoozed = alertmanager::until_status(&source, &disk.key, Status::Acknowledged).await;
    assert!(
        snoozed.description.starts_with("snoozed by Ana Ops at "),
        "{}",
        snoozed.description
    );
    // Unack takes a snooze back too.
    source
        .perform(&disk.key, &Verb::Unacknowledge)
        .await
        .unwrap();
    alertmanager::until_status(&source, &disk.key, Status::Triggered).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_ha_cluster_gets_one_silence_and_resolve_is_refused_with_the_reason() {
    let first = alertmanager::Alertmanager::start();
    let second = alertmanager::Alertmanager::start();
    first.post_alerts(alerts()).await;
    second.post_alerts(alerts()).await;
    let source = source(vec![first.url.clone(), second.url.clone()]);
    let key = incidents_until(&source, 2).await[0].key.clone();
    source.perform(&key, &Verb::acknowledge()).await.unwrap();
    let made = alertmanager::silences(&first.url).await.len()
        + alertmanager::silences(&second.url).await.len();
    assert_eq!(made, 1, "created once for the cluster, not once per member");
    let error = source.perform(&key, &Verb::Resolve).await.unwrap_err();
    assert!(
        error.to_string().contains("resolves when it stops firing"),
        "{error}"
    );
    assert!(source.capabilities().resolve.is_err());
    assert!(source.capabilities().snooze.is_ok());
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
