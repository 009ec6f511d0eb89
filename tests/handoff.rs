#![allow(clippy::unwrap_used)] // Tests: a failure here is a failed test.
//! The end-of-shift hand-off: from a fixture journal (snapshot), and from the demo with
//! no config (the binary). Real sources: `handoff_sources.rs`.

#[path = "support/cli.rs"]
mod cli;

use std::collections::HashMap;
use std::path::Path;

use chrono::{DateTime, FixedOffset, TimeDelta, Utc};
use pagerdeck::handoff::{HandoffInput, SilenceAnswer, SourceReport, render};
use pagerdeck::incident::IncidentKey;
use pagerdeck::journal::{Record, read_checked};
use pagerdeck::playbook::Library;
use pagerdeck::progress::StepRecord;
use pagerdeck::providers::demo::{DemoSource, DemoWorld};
use pagerdeck::providers::silence::SilenceSummary;
use pagerdeck::providers::{History, Note};
use pagerdeck::testing::frozen_now;

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
