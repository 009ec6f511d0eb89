#![allow(clippy::unwrap_used)] // Tests: a failure here is a failed test.
//! A real Alertmanager's part of the hygiene report: the silences made (pagerdeck's
//! acknowledgements and people's own), by alert and service, the alerts firing now, and
//! what it cannot know said in the report.

#[allow(dead_code)] // Each test file uses part of the helpers.
#[path = "support/alertmanager.rs"]
mod alertmanager;
#[path = "support/prometheus.rs"]
mod prometheus;

use chrono::{FixedOffset, TimeDelta, Utc};
use pagerdeck::playbook::Library;
use pagerdeck::providers::{Source, Verb};
use pagerdeck::report::{SourceAnswer, Span, gather};
use serde_json::json;

#[tokio::test(flavor = "multi_thread")]
async fn silences_made_and_alerts_firing_show_in_the_report() {
    let (server, source, incidents) = alertmanager::with_alerts().await;
    let checkout = incidents
        .iter()
        .find(|i| i.service == "checkout-api")
        .unwrap();
    source
        .perform_once(&checkout.key, &Verb::acknowledge(), 7)
        .await
        .unwrap();
    // A person's maintenance silence of a whole service, made outside pagerdeck.
    let now = Utc::now();
    let made = reqwest::Client::new()
        .post(format!("{}/api/v2/silences", server.url))
        .json(&json!({
            "matchers": [{"name": "service", "value": "ledger-db", "isRegex": false, "isEqual": true}],
            "startsAt": now, "endsAt": now + TimeDelta::hours(2),
            "createdBy": "kai", "comment": "disk swap | maintenance"
        }))
        .send()
        .await
        .unwrap();
    assert!(made.status().is_success(), "{:?}", made.text().await);

    let (since, until) = (
        now - TimeDelta::days(14),
        Utc::now() + TimeDelta::minutes(1),
    );
    let history = source.page_history(since, until).await.unwrap();
    assert_eq!(
        history.pages.len(),
        2,
        "the two incidents firing: {history:?}"
    );
    assert_eq!(history.silences.len(), 2, "{history:?}");
    let ack = history.silences.iter().find(|s| s.by_pagerdeck).unwrap();
    assert_eq!(ack.alert.as_deref(), Some("HighErrorRate"));
    assert_eq!(ack.service.as_deref(), Some("checkout-api"));
    let theirs = history.silences.iter().find(|s| !s.by_pagerdeck).unwrap();
    assert_eq!(
        (theirs.alert.as_deref(), theirs.service.as_deref()),
        (None, Some("ledger-db"))
    );
    assert_eq!(theirs.created_by, "kai");

    let told = [SourceAnswer {
        name: "prod".into(),
        kind: source.kind().into(),
        answer: Ok(history),
    }];
    let span = Span {
        since,
        until,
        utc_offset: FixedOffset::east_opt(0).unwrap(),
    };
    let markdown = gather(&[], &told, &Library::default(), span).markdown();
    // Alertmanager starts a silence at its own "now", a moment after it was asked: the
    // length is left out of what is compared.
    let silences = &markdown[markdown.find("## Silences").unwrap()..];
    let row = |start: &str| {
        silences
            .lines()
            .find(|line| line.starts_with(start))
            .unwrap_or_else(|| panic!("no row {start}:\n{markdown}"))
            .to_string()
    };
    let ours = row("| HighErrorRate | checkout-api | 1 | ");
    assert!(ours.ends_with("| 0 | 1 |"), "made by pagerdeck: {ours}");
    let theirs = row("| (any) | ledger-db | 1 | ");
    assert!(theirs.ends_with("| 1 | 0 |"), "made by a person: {theirs}");
    assert!(
        markdown.contains("pages before the journal's actions are not known"),
        "{markdown}"
    );
    assert!(
        markdown.contains("**prod** (alertmanager): 2 pages, 2 silences"),
        "{markdown}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dead_alertmanager_is_an_error_not_an_empty_history() {
    let source = alertmanager::source(vec![format!(
        "http://127.0.0.1:{}",
        prometheus::free_port()
    )]);
    let now = Utc::now();
    let error = source
        .page_history(now - TimeDelta::days(1), now)
        .await
        .unwrap_err();
    assert!(error.to_string().contains("cannot reach"), "{error}");
}
