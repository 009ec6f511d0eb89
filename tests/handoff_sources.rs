#![allow(clippy::unwrap_used)] // Tests: a failure here is a failed test.
//! The hand-off from real sources: a real Alertmanager with silences ending soon (and a
//! dead one, said), and PagerDuty: through its validating mock (requests the spec
//! accepts) and a scripted server with notes (and a notes call that fails, said).

#[allow(dead_code)] // Each test file uses part of the helpers.
#[path = "support/alertmanager.rs"]
mod alertmanager;
#[path = "support/prism.rs"]
mod prism;
#[path = "support/prometheus.rs"]
mod prometheus;

use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use chrono::{TimeDelta, Utc};
use pagerdeck::context::{Context, Flags};
use pagerdeck::providers::{Source as _, Verb};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A config for `sources` (TOML `[[sources]]` tables), its data in `home`.
fn context(home: &Path, sources: &str) -> Context {
    let config = home.join("pagerdeck.toml");
    let text = format!(
        "data_dir = \"{}\"\n\n[me]\nname = \"Ana Ops\"\nemail = \"ana@example.com\"\n\n{sources}",
        home.join("data").display()
    );
    std::fs::write(&config, text).unwrap();
    Context::load(&Flags {
        config: Some(&config),
        theme: None,
        read_only: false,
    })
    .unwrap()
}

async fn handoff_of(context: &Context, home: &Path) -> (ExitCode, String) {
    let file = home.join("handoff.md");
    let code =
        pagerdeck::headless::handoff::handoff(context, Duration::from_secs(12 * 3600), Some(&file))
            .await
            .unwrap();
    (code, std::fs::read_to_string(&file).unwrap())
}

#[tokio::test(flavor = "multi_thread")]
async fn silences_ending_soon_at_a_real_alertmanager_are_in_the_hand_off() {
    let (server, source, incidents) = alertmanager::with_alerts().await;
    let checkout = incidents
        .iter()
        .find(|i| i.service == "checkout-api")
        .unwrap();
    source
        .perform(
            &checkout.key,
            &Verb::Acknowledge {
                note: Some("rolling back".into()),
            },
        )
        .await
        .unwrap();
    // Someone's maintenance silence, ending in two hours, and one ending in two days.
    for (comment, hours) in [("ledger-db disk swap", 2), ("failover drill", 48)] {
        let now = Utc::now();
        let silence = json!({"matchers": [{"name": "service", "value": "ledger-db", "isRegex": false, "isEqual": true}],
            "startsAt": now, "endsAt": now + TimeDelta::hours(hours), "createdBy": "Kai Lindqvist", "comment": comment});
        let response = reqwest::Client::new()
            .post(format!("{}/api/v2/silences", server.url))
            .json(&silence)
            .send()
            .await
            .unwrap();
        assert!(response.status().is_success());
    }
    let home = tempfile::tempdir().unwrap();
    let context = context(
        home.path(),
        &format!(
            "[[sources]]\nname = \"prod\"\nkind = \"alertmanager\"\nurls = [\"{}\"]\n\n[[sources]]\nname = \"dead\"\nkind = \"alertmanager\"\nurls = [\"http://127.0.0.1:9\"]\n",
            server.url
        ),
    );
    let (code, text) = handoff_of(&context, home.path()).await;
    assert_eq!(code, ExitCode::FAILURE, "one source did not answer");
    assert!(
        text.contains("- prod (alertmanager): answered, 2 active incident(s)"),
        "{text}"
    );
    assert!(
        text.contains("- dead (alertmanager): **did not answer: cannot reach server"),
        "{text}"
    );
    let quiet =
        &text[text.find("## Silences and snoozes").unwrap()..text.find("## Escalations").unwrap()];
    assert!(quiet.contains("acknowledgement (a silence: the alert pages again when it ends) at prod by Ana Ops: ACK! rolling back · matching "), "{quiet}");
    assert!(
        quiet.contains("alertname=HighErrorRate") && quiet.contains("service=checkout-api"),
        "{quiet}"
    );
    assert!(
        quiet.contains(
            "silence at prod by Kai Lindqvist: ledger-db disk swap · matching service=ledger-db"
        ),
        "{quiet}"
    );
    assert!(quiet.contains("Later: 1 more end after that"), "{quiet}");
    assert!(!quiet.contains("failover drill"), "{quiet}");
    assert!(
        text.contains("### ◆ CRITICAL checkout-api 5xx above 5%"),
        "{text}"
    );
    assert!(
        text.contains("with Ana Ops"),
        "acknowledged by the silence: {text}"
    );
}

#[tokio::test]
async fn pagerduty_notes_are_in_the_hand_off_and_a_failing_notes_call_is_said() {
    let server = MockServer::start().await;
    let incidents = json!({"incidents": [
        {"id": "P1", "status": "acknowledged", "title": "checkout-api 5xx", "urgency": "high",
         "created_at": "2026-11-23T01:00:00Z", "assignments": [{"assignee": {"id": "PU", "summary": "Ana Ops"}}]},
        {"id": "P2", "status": "triggered", "title": "ledger lag", "urgency": "low", "created_at": "2026-11-23T01:30:00Z"}
    ], "limit": 100, "more": false, "total": null});
    Mock::given(method("GET"))
        .and(path("/incidents"))
        .respond_with(ResponseTemplate::new(200).set_body_json(incidents))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/incidents/P1/notes"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"notes": [
            {"id": "N1", "content": "rolled back | deploy `3`", "created_at": "2026-11-23T01:20:00Z",
             "user": {"id": "PU", "summary": "Ana Ops"}}]})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/incidents/P2/notes"))
        .respond_with(ResponseTemplate::new(500).set_body_string("boom"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/incidents/P1/log_entries"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(
                json!({"log_entries": [], "limit": 100, "offset": 0, "more": false}),
            ),
        )
        .mount(&server)
        .await;
    let home = tempfile::tempdir().unwrap();
    let context = context(
        home.path(),
        &format!(
            "[[sources]]\nname = \"pd\"\nkind = \"pagerduty\"\ntoken_cmd = \"echo tok\"\nbase_url = \"{}\"\n",
            server.uri()
        ),
    );
    let (code, text) = handoff_of(&context, home.path()).await;
    assert_eq!(code, ExitCode::SUCCESS, "{text}");
    assert!(
        text.contains("- pd (pagerduty): answered, 2 active incident(s)"),
        "{text}"
    );
    assert!(
        text.contains(" Ana Ops: rolled back \\| deploy \\`3\\`"),
        "{text}"
    );
    assert!(
        text.contains("- Notes at pd: could not be read: server answered 500"),
        "{text}"
    );
    assert!(
        text.contains("- pd:P1 · acknowledged since") && text.contains("with Ana Ops"),
        "{text}"
    );
}

/// The spec's example incident is resolved: listed by the source, left out of the
/// hand-off (and so are its notes; the scripted server above has open ones).
#[tokio::test(flavor = "multi_thread")]
async fn pagerduty_through_its_validating_mock_is_asked_as_the_spec_says() {
    let mock = prism::shared("pagerduty-rest-openapiv3.prism-patched.json");
    let home = tempfile::tempdir().unwrap();
    let context = context(
        home.path(),
        &format!(
            "[[sources]]\nname = \"pd\"\nkind = \"pagerduty\"\ntoken_cmd = \"echo tok\"\nbase_url = \"{}\"\n",
            mock.url
        ),
    );
    let (code, text) = handoff_of(&context, home.path()).await;
    let report = mock.report();
    assert_eq!(
        code,
        ExitCode::SUCCESS,
        "{text}\n--- the mock's report ---\n{report}"
    );
    assert!(
        text.contains("- pd (pagerduty): answered, 1 active incident(s)"),
        "{text}\n--- the mock's report ---\n{report}"
    );
    assert!(
        text.contains("Left out: 1 resolved incident(s) the sources still show."),
        "{text}"
    );
}
