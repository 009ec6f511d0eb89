#![allow(clippy::unwrap_used)] // Tests: a failure here is a failed test.
//! The end-of-shift hand-off: from a fixture journal (snapshot), from the demo with no
//! config (the binary), from a real Alertmanager with silences ending soon, and from
//! PagerDuty with notes.

#[allow(dead_code)] // Each test file uses part of the helpers.
#[path = "support/alertmanager.rs"]
mod alertmanager;
#[path = "support/cli.rs"]
mod cli;
#[path = "support/prometheus.rs"]
mod prometheus;

use std::collections::HashMap;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use chrono::{DateTime, FixedOffset, TimeDelta, Utc};
use pagerdeck::context::{Context, Flags};
use pagerdeck::handoff::{HandoffInput, SilenceAnswer, SourceReport, render};
use pagerdeck::incident::IncidentKey;
use pagerdeck::journal::{Record, read_checked};
use pagerdeck::playbook::Library;
use pagerdeck::progress::StepRecord;
use pagerdeck::providers::demo::{DemoSource, DemoWorld};
use pagerdeck::providers::silence::SilenceSummary;
use pagerdeck::providers::{History, Note, Source as _, Verb};
use pagerdeck::testing::frozen_now;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn fixture<T: serde::de::DeserializeOwned>(name: &str) -> Vec<T> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/handoff")
        .join(name);
    let readout = read_checked::<T>(&path).unwrap();
    assert_eq!(readout.warning(), None, "every fixture line reads");
    readout.records
}

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

fn silence(id: &str, by: &str, comment: &str, ends: &str, matchers: &[&str]) -> SilenceSummary {
    SilenceSummary {
        source: "prod".into(),
        id: id.into(),
        created_by: by.into(),
        comment: comment.into(),
        starts_at: at("2026-11-23T01:00:00Z"),
        ends_at: at(ends),
        matchers: matchers.iter().map(|m| m.to_string()).collect(),
        active: true,
    }
}

/// The fixture journals over the demo's incidents at its frozen 03:12, with a source that
/// did not answer and one whose silences were read.
fn fixture_handoff() -> String {
    let now = frozen_now();
    let world = DemoWorld::embedded().unwrap();
    let incidents = DemoSource::new("demo", world, now, "Ana Ops").incidents_at(now);
    let records: Vec<Record> = fixture("journal.jsonl");
    let steps: Vec<StepRecord> = fixture("steps.jsonl");
    let sources = [
        SourceReport {
            name: "demo".into(),
            kind: "demo".into(),
            incidents: Ok(incidents.len()),
            degraded: None,
            silences: SilenceAnswer::NoneKept,
        },
        SourceReport {
            name: "prod".into(),
            kind: "alertmanager".into(),
            incidents: Ok(0),
            degraded: Some("am-2 (http://am-2:9093) did not answer".into()),
            silences: SilenceAnswer::Read,
        },
        SourceReport {
            name: "staging".into(),
            kind: "alertmanager".into(),
            incidents: Err("cannot reach server: connection refused".into()),
            degraded: None,
            silences: SilenceAnswer::Failed("cannot reach server: connection refused".into()),
        },
    ];
    let silences = [
        silence(
            "s1",
            "Kai Lindqvist",
            "ledger-db maintenance | <b>window</b>",
            "2026-11-23T05:00:00Z",
            &["service=ledger-db", "alertname=~Disk.*"],
        ),
        silence(
            "s2",
            "Ana Ops",
            "ACK! on it [pagerdeck op 99]",
            "2026-11-23T03:40:00Z",
            &["alertname=HighErrorRate", "service=checkout-api"],
        ),
        silence(
            "s3",
            "Ben Okafor",
            "quarterly failover test",
            "2026-11-25T09:00:00Z",
            &["team=payments"],
        ),
        silence(
            "s4",
            "Ben Okafor",
            "already over",
            "2026-11-23T03:00:00Z",
            &["team=payments"],
        ),
    ];
    let mut histories = HashMap::new();
    histories.insert(
        IncidentKey::new("demo", "INC-1042"),
        Ok(History {
            notes: vec![Note {
                at: at("2026-11-23T03:01:00Z"),
                by: Some("Ana Ops".into()),
                text: "looking at the deploy\n# not a heading".into(),
            }],
            ..History::default()
        }),
    );
    histories.insert(
        IncidentKey::new("demo", "INC-1043"),
        Err("server answered 500: oops".into()),
    );
    render(&HandoffInput {
        now,
        span: TimeDelta::hours(12),
        by: "Ana Ops",
        zone: FixedOffset::east_opt(0).unwrap(),
        sources: &sources,
        incidents: &incidents,
        records: &records,
        steps: &steps,
        library: &Library::demo(),
        silences: &silences,
        histories: &histories,
        warnings: &["actions journal: line 9 is cut short (power loss?)".into()],
    })
}

#[test]
fn the_hand_off_from_a_fixture_journal() {
    insta::assert_snapshot!(fixture_handoff());
}

/// The parts a reader relies on, asserted one by one (the snapshot shows them whole).
#[test]
fn the_hand_off_says_what_the_next_person_must_know() {
    let text = fixture_handoff();
    let section = |heading: &str| -> String {
        let start = text.find(heading).unwrap_or_else(|| panic!("no {heading}"));
        let rest = &text[start + heading.len()..];
        rest[..rest.find("\n## ").unwrap_or(rest.len())].to_string()
    };
    // A source that did not answer is said plainly.
    assert!(text.contains("staging (alertmanager): **did not answer: cannot reach server: connection refused. Its incidents are missing from this hand-off.**"), "{text}");
    // Progress: done steps with their time (an unchecked one is not done), then the next.
    let open = section("## Open, not acknowledged");
    assert!(
        open.contains("- Playbook payments/checkout-api.md § HighErrorRate: 2/6 steps done"),
        "{open}"
    );
    assert!(
        open.contains("(03:06)") && open.contains("  - next: 3. "),
        "{open}"
    );
    // Notes: the source's and the one sent from here, escaped.
    assert!(
        open.contains("03:01 Ana Ops: looking at the deploy \\# not a heading"),
        "{open}"
    );
    assert!(
        open.contains("rolled back deploy 2026.11.22-3 \\| watching \\<the\\> \\*error\\* rate"),
        "{open}"
    );
    assert!(
        open.contains("- Notes at demo: could not be read: server answered 500: oops"),
        "{open}"
    );
    // Snoozes: the one still running, not the expired one; silences in the window.
    let quiet = section("## Silences and snoozes ending in the next 12h");
    assert!(
        quiet.contains("04:30 (in 1h18m): snooze of demo:INC-1033"),
        "{quiet}"
    );
    assert!(!quiet.contains("INC-1041"), "expired at 01:30: {quiet}");
    assert!(quiet.contains("05:00 (in 1h48m): silence at prod by Kai Lindqvist: ledger-db maintenance \\| \\<b\\>window\\</b\\>"), "{quiet}");
    assert!(
        quiet.contains("ACK! on it ·"),
        "the op mark is left out: {quiet}"
    );
    assert!(!quiet.contains("already over"), "{quiet}");
    assert!(
        quiet.contains("Later: 1 more end after that (the first Wed 25 Nov 09:00)."),
        "{quiet}"
    );
    // Escalations: taken (another hand has it now), failed, and one whose incident left.
    let escalations = section("## Escalations (3)");
    assert!(
        escalations.contains("→ Eng Cap: taken by Ben Okafor"),
        "{escalations}"
    );
    assert!(
        escalations.contains("→ Eng Cap: failed: token rejected for demo"),
        "{escalations}"
    );
    assert!(escalations.contains("demo:INC-0997 ledger-db replication stopped (ledger-db) → Eng Cap: sent; the incident is no longer open"), "{escalations}");
    // Failed and unconfirmed actions of the shift, not the old failure.
    let failed = section("## Actions that failed or are not confirmed (3)");
    assert!(
        failed.contains("acknowledge: demo:INC-1043")
            && failed.contains("**failed**: server answered 503: try again"),
        "{failed}"
    );
    assert!(failed.contains("not confirmed by demo yet"), "{failed}");
    assert!(!text.contains("an old failure outside the shift"), "{text}");
    // The mark, escaped; the old one outside the shift is not listed.
    let marks = section("## Marked not actionable (1)");
    assert!(
        marks.contains("\\# fires weekly \\| until the \\`renew\\` job runs (by Ana Ops)"),
        "{marks}"
    );
    assert!(!text.contains("an old mark outside the shift"), "{text}");
    let done = section("## Done this shift");
    assert!(
        done.contains("- 6 action(s) confirmed: 1 acknowledge, 2 escalate, 1 note, 2 snooze"),
        "{done}"
    );
    assert!(done.contains("- 3 playbook step(s) checked"), "{done}");
}

#[test]
fn with_no_config_the_binary_hands_off_the_demo() {
    let home = tempfile::tempdir().unwrap();
    let out = cli::pagerdeck(home.path(), None, &["handoff", "--since", "8h"]);
    assert!(out.status.success(), "{}", cli::text(&out.stderr));
    let text = cli::text(&out.stdout);
    for heading in [
        "# Hand-off from ",
        "Covers the last 8h",
        "## Sources",
        "- demo (demo): answered, 7 active incident(s)",
        "## Open, not acknowledged (5)",
        "## Acknowledged (2)",
        "## Silences and snoozes ending in the next 8h",
        "## Escalations (0)",
        "## Actions that failed or are not confirmed (0)",
        "## Done this shift",
    ] {
        assert!(text.contains(heading), "no {heading:?} in {text}");
    }
    assert!(
        text.contains("### ◆ CRITICAL checkout-api 5xx error rate above 5%"),
        "{text}"
    );
    assert!(
        text.contains("- demo:INC-1036 · acknowledged since"),
        "{text}"
    );

    // Marked from the command line, it is in the next hand-off; to a file, replaced whole.
    let marked = cli::pagerdeck(
        home.path(),
        None,
        &["not-actionable", "INC-1033", "slow", "but", "harmless"],
    );
    assert!(marked.status.success(), "{}", cli::text(&marked.stderr));
    let file = home.path().join("handoff.md");
    std::fs::write(&file, "old").unwrap();
    let out = cli::pagerdeck(
        home.path(),
        None,
        &["handoff", "-o", file.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", cli::text(&out.stderr));
    assert!(out.stdout.is_empty(), "to the file, not stdout");
    let written = std::fs::read_to_string(&file).unwrap();
    assert!(
        written.contains("- ⊘ Marked not actionable by you "),
        "{written}"
    );
    assert!(
        written.contains("## Marked not actionable (1)"),
        "{written}"
    );

    // A file that cannot be written: said, and the hand-off printed instead, not lost.
    let nowhere = home.path().join("no-such-folder").join("handoff.md");
    let out = cli::pagerdeck(
        home.path(),
        None,
        &["handoff", "-o", nowhere.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        cli::text(&out.stderr).contains("cannot write"),
        "{}",
        cli::text(&out.stderr)
    );
    assert!(cli::text(&out.stdout).contains("## Marked not actionable (1)"));

    let bad = cli::pagerdeck(home.path(), None, &["handoff", "--since", "soon"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        cli::text(&bad.stderr).contains("`soon` is not a duration"),
        "{}",
        cli::text(&bad.stderr)
    );
}

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
