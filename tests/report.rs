#![allow(clippy::unwrap_used)] // Tests: a failure here is a failed test.
//! The hygiene report from a fixture journal and fixed source histories (snapshots of
//! its markdown and JSON), and `pagerdeck report` as a user runs it.

#[path = "support/cli.rs"]
mod cli;

use chrono::{DateTime, FixedOffset, Utc};
use pagerdeck::incident::{IncidentKey, Severity};
use pagerdeck::journal::{IncidentFacts, Record};
use pagerdeck::playbook::Library;
use pagerdeck::providers::{PageHistory, PastPage, PastSilence};
use pagerdeck::report::{Report, SourceAnswer, Span, Unanswered, gather};

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().to_utc()
}

fn journal() -> Vec<Record> {
    let text = include_str!("fixtures/report/journal.jsonl");
    text.lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

fn page(key: &str, alert: &str, service: &str, opened: &str) -> PastPage {
    PastPage {
        key: key.parse().unwrap(),
        facts: IncidentFacts {
            title: format!("[FIRING:1] {alert} ({service})"),
            service: service.into(),
            alert: Some(alert.into()),
            severity: Severity::Critical,
            team: Some("payments".into()),
            opened_at: at(opened),
        },
        acknowledged_at: None,
        resolved_at: None,
        escalated: false,
    }
}

fn silence(
    alert: Option<&str>,
    service: &str,
    starts: &str,
    ends: &str,
    ours: bool,
) -> PastSilence {
    PastSilence {
        alert: alert.map(str::to_string),
        service: Some(service.into()),
        created_by: "kai".into(),
        starts_at: at(starts),
        ends_at: at(ends),
        by_pagerdeck: ours,
    }
}

/// What four sources told: PagerDuty's log entries (one page the journal has too),
/// Alertmanager's silences and what fires now, a source with no history, a dead one.
fn told() -> Vec<SourceAnswer> {
    let p1 = PastPage {
        acknowledged_at: Some(at("2026-11-20T02:15:00Z")),
        resolved_at: Some(at("2026-11-20T02:51:00Z")),
        ..page(
            "pd:P1",
            "HighErrorRate",
            "checkout-api",
            "2026-11-20T02:10:00Z",
        )
    };
    let p5 = PastPage {
        escalated: true,
        ..page(
            "pd:P5",
            "QueueBacklog",
            "ledger-worker",
            "2026-11-29T14:00:00Z",
        )
    };
    let p6 = PastPage {
        acknowledged_at: Some(at("2026-11-30T23:40:00Z")),
        resolved_at: Some(at("2026-12-01T01:10:00Z")),
        ..page(
            "pd:P6",
            "HighErrorRate",
            "checkout-api",
            "2026-11-30T23:10:00Z",
        )
    };
    let before = page(
        "pd:P0",
        "HighErrorRate",
        "checkout-api",
        "2026-11-01T10:00:00Z",
    );
    let firing = PastPage {
        facts: IncidentFacts {
            team: None,
            ..page(
                "x:y",
                "DiskSpaceForecast",
                "ledger-db",
                "2026-12-01T11:00:00Z",
            )
            .facts
        },
        ..page(
            "prod:DiskSpaceForecast/ledger-db",
            "DiskSpaceForecast",
            "ledger-db",
            "2026-12-01T11:00:00Z",
        )
    };
    vec![
        SourceAnswer {
            name: "pd".into(),
            kind: "pagerduty".into(),
            answer: Ok(PageHistory {
                pages: vec![p1, p5, p6, before],
                ..PageHistory::default()
            }),
        },
        SourceAnswer {
            name: "prod".into(),
            kind: "alertmanager".into(),
            answer: Ok(PageHistory {
                pages: vec![firing],
                silences: vec![
                    silence(
                        Some("DiskSpaceForecast"),
                        "ledger-db",
                        "2026-11-25T03:05:00Z",
                        "2026-11-25T07:05:00Z",
                        true,
                    ),
                    silence(
                        Some("DiskSpaceForecast"),
                        "ledger-db",
                        "2026-11-26T03:06:00Z",
                        "2026-11-26T05:06:00Z",
                        false,
                    ),
                    silence(
                        None,
                        "search-api",
                        "2026-11-28T22:00:00Z",
                        "2026-11-29T06:00:00Z",
                        false,
                    ),
                    silence(
                        Some("Old"),
                        "search-api",
                        "2026-11-02T22:00:00Z",
                        "2026-11-03T06:00:00Z",
                        false,
                    ),
                ],
                unknown: vec![
                    "Alertmanager prod: pages before the journal's actions are not known".into(),
                ],
            }),
        },
        SourceAnswer {
            name: "og".into(),
            kind: "opsgenie".into(),
            answer: Err(Unanswered::CannotTell(
                "opsgenie cannot tell its history: its pages are not counted".into(),
            )),
        },
        SourceAnswer {
            name: "pd-eu".into(),
            kind: "pagerduty".into(),
            answer: Err(Unanswered::Failed(
                "cannot reach server: connection refused".into(),
            )),
        },
    ]
}

fn report() -> Report {
    let span = Span {
        since: at("2026-11-17T12:00:00Z"),
        until: at("2026-12-01T12:00:00Z"),
        utc_offset: FixedOffset::east_opt(3600).unwrap(),
    };
    gather(&journal(), &told(), &Library::demo(), span)
}

#[test]
fn the_markdown_report_of_the_fixture_journal() {
    insta::assert_snapshot!(report().markdown());
}

#[test]
fn the_json_report_carries_the_same_numbers() {
    insta::assert_snapshot!(serde_json::to_string_pretty(&report()).unwrap());
}

#[test]
fn a_page_the_journal_and_its_source_both_tell_is_counted_once() {
    let report = report();
    let high_error = report
        .by_alert
        .iter()
        .find(|row| row.alert.as_deref() == Some("HighErrorRate"))
        .unwrap();
    // P1 (journal and PagerDuty), P2 (journal), P6 (PagerDuty); not POLD nor P0 (before).
    assert_eq!(high_error.pages, 3);
    // P1 acknowledged at 02:14 in the journal, 02:15 by PagerDuty: the earlier counts.
    // 4m (P1), 12m (P2, its failed first try not counted), 30m (P6).
    assert_eq!(high_error.time_to_acknowledge.median_seconds, Some(12 * 60));
    assert_eq!(high_error.time_to_acknowledge.p90_seconds, Some(30 * 60));
    assert_eq!(high_error.escalated, 1);
}

#[test]
fn marks_silences_and_failures_outside_the_span_are_left_out() {
    let report = report();
    let forecast = &report.not_actionable[0];
    assert_eq!(forecast.alert, "DiskSpaceForecast");
    assert_eq!(forecast.times, 2, "not the mark of 2026-11-12");
    assert_eq!(report.silences.iter().map(|s| s.times).sum::<usize>(), 3);
    assert_eq!(report.failed_actions.len(), 2);
    assert!(
        report
            .no_playbook
            .iter()
            .any(|a| a.alert == "DiskSpaceForecast")
    );
    assert!(
        !report
            .no_playbook
            .iter()
            .any(|a| a.alert == "HighErrorRate")
    );
}

#[test]
fn hostile_text_cannot_reach_the_terminal_nor_break_a_table() {
    let markdown = report().markdown();
    assert!(
        !markdown.chars().any(|c| c.is_control() && c != '\n'),
        "{markdown:?}"
    );
    assert!(
        markdown.contains("Slow\\|Queries"),
        "the pipe is escaped in its cell"
    );
    let json = serde_json::to_string(&report()).unwrap();
    assert!(!json.contains("\\u001b"), "no escape sequence kept: {json}");
}

#[test]
fn report_on_a_fresh_machine_shows_the_demos_fortnight() {
    let home = tempfile::tempdir().unwrap();
    let out = cli::pagerdeck(home.path(), None, &["report"]);
    assert!(out.status.success(), "{}", cli::text(&out.stderr));
    let markdown = cli::text(&out.stdout);
    for section in [
        "## Sources",
        "## Summary",
        "## Pages per alert",
        "## Pages per service",
        "## Marked not actionable",
        "## Paged often, never acknowledged",
        "## Alerts with no playbook",
        "## Noisiest hours",
    ] {
        assert!(markdown.contains(section), "{section} missing:\n{markdown}");
    }
    assert!(markdown.contains("NightlyExportSlow"), "{markdown}");
    assert!(markdown.contains('█'));
}

#[test]
fn report_as_json_parses_with_durations_in_seconds() {
    let home = tempfile::tempdir().unwrap();
    let out = cli::pagerdeck(
        home.path(),
        None,
        &["report", "--since", "7d", "--format", "json"],
    );
    assert!(out.status.success(), "{}", cli::text(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let pages = report["pages"].as_u64().unwrap();
    assert!(pages > 5, "a week of the demo: {pages}");
    assert!(
        report["time_to_acknowledge"]["median_seconds"]
            .as_u64()
            .unwrap()
            > 0
    );
    assert_eq!(report["pages_by_hour"].as_array().unwrap().len(), 24);
    assert_eq!(report["sources"][1]["kind"], "demo");
}

#[test]
fn a_bad_since_is_a_clear_error() {
    let home = tempfile::tempdir().unwrap();
    for (since, says) in [
        ("fortnight", "is not a duration"),
        ("10m", "at least 1h"),
        ("400d", "at most 180d"),
    ] {
        let out = cli::pagerdeck(home.path(), None, &["report", "--since", since]);
        assert_eq!(out.status.code(), Some(2), "{since}");
        let stderr = cli::text(&out.stderr);
        assert!(stderr.contains(says), "{since}: {stderr}");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn the_report_keeps_its_key_to_the_incident() {
    let key: IncidentKey = "pd:P3".parse().unwrap();
    let report = report();
    assert!(
        report
            .failed_actions
            .iter()
            .any(|f| f.key == key && f.action == "snooze for 1h")
    );
}

#[test]
fn a_dead_source_is_named_and_the_report_is_made_of_the_rest() {
    let home = tempfile::tempdir().unwrap();
    // A port nothing listens on: bound, then let go.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let config = home.path().join("pagerdeck.toml");
    std::fs::write(
        &config,
        format!(
            "[[sources]]\nname = \"demo\"\nkind = \"demo\"\n\n[[sources]]\nname = \"prod\"\nkind = \"alertmanager\"\nurls = [\"http://127.0.0.1:{port}\"]\n"
        ),
    )
    .unwrap();
    let out = cli::pagerdeck(home.path(), Some(&config), &["report"]);
    assert_eq!(out.status.code(), Some(1), "{}", cli::text(&out.stderr));
    assert!(cli::text(&out.stderr).contains("source prod failed"));
    let markdown = cli::text(&out.stdout);
    assert!(
        markdown.contains("**prod** (alertmanager): failed ("),
        "{markdown}"
    );
    assert!(
        markdown.contains("## Pages per alert"),
        "the demo's part still shows"
    );
    assert!(markdown.contains("HighErrorRate"), "{markdown}");
}

#[test]
fn the_binary_reads_the_journal_beside_the_demo() {
    let home = tempfile::tempdir().unwrap();
    let data = home.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let now = Utc::now();
    let mark = json_line(&Record::NotActionable {
        at: now - chrono::TimeDelta::hours(1),
        key: "prod:DiskSpaceForecast/ledger-db".parse().unwrap(),
        reason: "forecast only".into(),
        by: "me".into(),
        incident: Some(IncidentFacts {
            title: "ledger-db disk will fill within 4h".into(),
            service: "ledger-db".into(),
            alert: Some("DiskSpaceForecast".into()),
            severity: Severity::Warning,
            team: None,
            opened_at: now - chrono::TimeDelta::hours(2),
        }),
    });
    std::fs::write(data.join("journal.jsonl"), mark).unwrap();
    let out = cli::pagerdeck(home.path(), None, &["report", "--format", "json"]);
    assert!(out.status.success(), "{}", cli::text(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["not_actionable"][0]["alert"], "DiskSpaceForecast");
    assert_eq!(report["not_actionable"][0]["reasons"][0], "forecast only");
    assert_eq!(
        report["sources"][0]["pages"], 1,
        "the marked page, from the journal"
    );
}

fn json_line(record: &Record) -> String {
    serde_json::to_string(record).unwrap() + "\n"
}
