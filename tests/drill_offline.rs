#![allow(clippy::unwrap_used)] // Tests: a failure here is a failed test.
//! Nothing in a drill talks to a real source: with a config whose PagerDuty, Opsgenie,
//! Alertmanager and Prometheus all point at one server that records every request, a
//! whole drill in a real terminal (acknowledge, a step, details, the escalation panel,
//! the debrief) sends that server nothing; the same config outside a drill does reach it.

#[allow(dead_code)] // Only `start`, `wait_for`, `press` and `settle` are used here.
#[path = "../benches/input/terminal.rs"]
mod terminal;

#[allow(dead_code)] // Only `canned` is used here.
#[path = "../benches/input/faults.rs"]
mod faults;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};
use pagerdeck::clock::Clock;
use pagerdeck::context::{Context, Flags};
use pagerdeck::drill::run::{DrillRun, session};
use pagerdeck::sources::Metrics;

const LIMIT: Duration = Duration::from_secs(15);

fn write_config(home: &Path, server: &str) -> PathBuf {
    let playbooks = home.join("playbooks");
    std::fs::create_dir_all(&playbooks).unwrap();
    std::fs::write(
        playbooks.join("web.md"),
        format!("+++\nservices = [\"checkout-api\"]\n+++\n# Web\n\nSee [the runbook]({server}/runbook.md)\n"),
    )
    .unwrap();
    let text = format!(
        r#"[me]
name = "Ana Ops"

[playbooks]
dirs = ["{playbooks}"]

[metrics]
url = "{server}/prom"

[[sources]]
name = "pd"
kind = "pagerduty"
token_cmd = "echo pd-token"
base_url = "{server}/pd"

[[sources]]
name = "og"
kind = "opsgenie"
token_cmd = "echo og-token"
base_url = "{server}/og"

[[sources]]
name = "prod"
kind = "alertmanager"
urls = ["{server}/am"]
"#,
        playbooks = playbooks.display()
    );
    let path = home.join("config.toml");
    std::fs::write(&path, text).unwrap();
    path
}

fn start() -> DateTime<Utc> {
    DateTime::from_timestamp(1_795_402_800, 0).unwrap()
}

#[test]
fn a_drills_session_builds_no_configured_source_metrics_or_playbook() {
    let home = tempfile::tempdir().unwrap();
    let config = write_config(home.path(), "http://127.0.0.1:9");
    let mut context = Context::load(&Flags {
        config: Some(&config),
        theme: None,
        read_only: false,
    })
    .unwrap();
    context.data_dir = home.path().join("data");
    let scenario = pagerdeck::drill::scenario::find("orders-outage", &[]).unwrap();
    let run = DrillRun::new(scenario, start(), 10.0);
    let session = session::build(&context, run, Clock::manual(start()));
    let names: Vec<_> = session
        .sources
        .iter()
        .map(|(c, _)| c.name.as_str())
        .collect();
    assert_eq!(names, ["drill"]);
    assert!(matches!(session.metrics, Some(Metrics::Demo(_))));
    assert!(session.offline, "web playbooks and links stay unopened");
    // Only the scenario's playbooks: not the configured folder's.
    assert!(
        session
            .library
            .playbooks
            .iter()
            .all(|p| p.path != "playbooks/web.md")
    );
    assert!(!session.library.playbooks.is_empty());
    // Its own files, emptied for each drill; never the real journal.
    let own = home.path().join("data/drills/last-run");
    assert_eq!(session.journal_path, own.join("journal.jsonl"));
    assert_eq!(session.steps_path, own.join("steps.jsonl"));
    assert_ne!(session.journal_path, context.journal_path());
    assert_eq!(std::fs::read(&session.journal_path).unwrap(), b"");
}

/// `pagerdeck drill …` in a terminal of its own (the pty helper starts one program with
/// no arguments: a script gives it them).
fn drill_script(home: &Path) -> PathBuf {
    let script = home.join("drill.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nexec '{}' drill orders-outage --speed 60\n",
            env!("CARGO_BIN_EXE_pagerdeck")
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    script
}

#[test]
fn a_whole_drill_sends_nothing_to_the_configured_servers() {
    let server = faults::canned("200 OK", "", b"[]").unwrap();
    let home = tempfile::tempdir().unwrap();
    let config = write_config(home.path(), &format!("http://127.0.0.1:{}", server.port));
    let env: Vec<(&str, OsString)> = vec![
        ("PAGERDECK_CONFIG", config.clone().into()),
        ("PAGERDECK_DATA_DIR", home.path().join("data").into()),
        ("XDG_CONFIG_HOME", home.path().join("xdg").into()),
    ];
    let script = drill_script(home.path());
    let log = home.path().join("data/pagerdeck.log");
    let screen_shows = |cockpit: &mut terminal::Cockpit, text: &str| {
        // "!TEXT": until it is gone.
        let (wanted, gone) = match text.strip_prefix('!') {
            Some(rest) => (rest.to_string(), true),
            None => (text.to_string(), false),
        };
        if cockpit
            .wait_for(LIMIT, move |screen| screen.contains(&wanted) != gone)
            .is_none()
        {
            let log = std::fs::read_to_string(&log).unwrap_or_default();
            panic!("never showed {text:?}:\n{}\nlog:\n{log}", cockpit.settle());
        }
    };
    let mut cockpit = terminal::Cockpit::start(&script, &env, 120, 40).unwrap();
    screen_shows(&mut cockpit, "DRILL");
    screen_shows(&mut cockpit, "CRIT");
    // Each key, then what it shows: so every one is taken before the next.
    for (keys, shown) in [
        (&b"a"[..], "Acknowledge?"),
        (b"y", ": done"),
        (b"x", "(1 done"),
        (b"\r", "Details · Esc closes"),
        (b"\x1b", "!Details · Esc closes"),
        (b"e", "Eng Cap"),
        (b"\x1b", "escalation dropped"),
        (b"q", "End the drill now"),
        (b"y", "Debrief ·"),
    ] {
        cockpit.press(keys).unwrap();
        screen_shows(&mut cockpit, shown);
    }
    drop(cockpit);
    assert_eq!(server.count(), 0, "a drill reached the configured servers");

    // The same config outside a drill does reach them: the server counts.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_pagerdeck"))
        .args(["incidents", "--json"])
        .envs(env.iter().map(|(k, v)| (*k, v.clone())))
        .output()
        .unwrap();
    assert!(
        server.count() > 0,
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
