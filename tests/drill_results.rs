#![allow(clippy::unwrap_used)] // Tests: a failure here is a failed test.
//! Drill results saved in the data dir: read back, progress across runs, shown by
//! `drill --list`, a torn line skipped, an unwritable data dir an error.

use pagerdeck::drill::{DeedKind, results, score};

#[path = "support/drill.rs"]
mod drill;
use drill::{outage_run, run, scenario};

fn text(debrief: &pagerdeck::drill::Debrief) -> String {
    debrief.lines().join("\n")
}

#[test]
fn results_are_saved_read_back_and_show_progress() {
    let dir = tempfile::tempdir().unwrap();
    let s = scenario("orders-outage");
    let first = score(
        &s,
        &run(&s, "DRILL-201", &[(150 + 400, DeedKind::Acknowledged)]),
    );
    let mut first_recorded = first.clone();
    results::record(dir.path(), &mut first_recorded).unwrap();
    assert_eq!(
        first_recorded.progress.as_deref(),
        Some("first run of this drill")
    );
    let mut second = outage_run(Some(600));
    results::record(dir.path(), &mut second).unwrap();
    let (runs, warning) = results::history(dir.path()).unwrap();
    assert!(warning.is_none());
    assert_eq!(runs.len(), 2);
    assert_eq!(runs[0].scenario, "orders-outage");
    assert_eq!(runs[0].debrief.incidents, first.incidents);
    assert_eq!(
        second.progress.as_deref(),
        Some(&*format!(
            "2nd run: {} → 100; acknowledged in 6m40s → 50s",
            first.score
        ))
    );
    assert!(text(&second).contains("Progress: 2nd run: "));
    // `drill --list` says how it went.
    let (out, _) = pagerdeck::drill::list::list(&[], dir.path());
    let line = out
        .lines()
        .find(|l| l.starts_with("orders-outage"))
        .unwrap();
    assert!(
        line.contains("best 100/100, last 100/100, 2 runs"),
        "{line}"
    );
    let line = out.lines().find(|l| l.starts_with("disk-creep")).unwrap();
    assert!(line.contains("not done yet"), "{line}");
}

#[test]
fn a_torn_last_result_line_is_skipped_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    results::save(dir.path(), &outage_run(Some(600))).unwrap();
    let path = results::results_path(dir.path());
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str("{\"saved_at\":\"2026-");
    std::fs::write(&path, text).unwrap();
    let (runs, warning) = results::history(dir.path()).unwrap();
    assert_eq!(runs.len(), 1);
    assert!(warning.unwrap().contains("cut short"));
    // The next save starts on a line of its own, so both whole runs read back.
    results::save(dir.path(), &outage_run(None)).unwrap();
    assert_eq!(results::history(dir.path()).unwrap().0.len(), 2);
}

#[test]
fn an_unwritable_data_dir_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    // A file where the data dir's `drills` folder should be.
    std::fs::write(dir.path().join("drills"), "in the way").unwrap();
    let mut debrief = outage_run(Some(600));
    let error = results::record(dir.path(), &mut debrief).unwrap_err();
    assert!(error.contains("not saved"), "{error}");
    assert!(
        error.contains(&dir.path().join("drills").display().to_string()),
        "{error}"
    );
    // The debrief itself is whole, to show.
    assert_eq!(debrief.score, 100);
}
