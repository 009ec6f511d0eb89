#![allow(clippy::unwrap_used)] // Test fixtures: a failure here is a failed test.
//! The binary as a script would use it: no config means the demo; bad config means a
//! clear message before the terminal is touched.

use std::path::Path;
use std::process::{Command, Output};

fn pagerdeck(home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pagerdeck"))
        .args(args)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("PAGERDECK_DATA_DIR", home.join("data"))
        .env_remove("PAGERDECK_CONFIG")
        .env_remove("NO_COLOR")
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn incidents_json_lists_the_demo_on_a_fresh_machine() {
    let home = tempfile::tempdir().unwrap();
    let out = pagerdeck(home.path(), &["incidents", "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let incidents: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let incidents = incidents.as_array().unwrap();
    assert!(incidents.len() >= 6);
    for field in [
        "key",
        "source",
        "title",
        "status",
        "severity",
        "service",
        "opened_at",
        "labels",
        "links",
    ] {
        assert!(incidents[0].get(field).is_some(), "missing {field}");
    }
    assert_eq!(incidents[0]["severity"], "critical");
    assert!(incidents[0]["key"].as_str().unwrap().starts_with("demo:"));
}

#[test]
fn global_options_go_before_or_after_the_subcommand() {
    let home = tempfile::tempdir().unwrap();
    for args in [
        &["--read-only", "keys"][..],
        &["keys", "--read-only"],
        &["keys", "--theme", "mono"],
    ] {
        let out = pagerdeck(home.path(), args);
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
    }
    let normal = text(&pagerdeck(home.path(), &["keys"]).stdout);
    let read_only = text(&pagerdeck(home.path(), &["keys", "--read-only"]).stdout);
    assert!(normal.contains("acknowledge"));
    assert!(
        !read_only.contains("acknowledge") && !read_only.contains("escalate"),
        "{read_only}"
    );
}

#[test]
fn a_bad_config_names_file_line_and_key_and_leaves_the_terminal_alone() {
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("bad.toml");
    std::fs::write(&file, "theme = \"dark\"\n[[sources]]\nname = \"prod\"\nkind = \"demo\"\npoll_interval = \"often\"\n").unwrap();
    let out = pagerdeck(home.path(), &["--config", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "{}, line 5, key `sources[0].poll_interval`",
            file.display()
        )),
        "{stderr}"
    );
    assert!(
        out.stdout.is_empty(),
        "nothing drawn: {:?}",
        text(&out.stdout)
    );
    let out = pagerdeck(home.path(), &["incidents", "--theme", "neon"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no theme `neon`"));
    // A file named explicitly must exist; the default one may be missing.
    let out = pagerdeck(
        home.path(),
        &["incidents", "--config", "/nonexistent/pagerdeck.toml"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("/nonexistent/pagerdeck.toml: cannot read it"));
}

#[test]
fn config_init_writes_the_documented_example_once() {
    let home = tempfile::tempdir().unwrap();
    let file = home
        .path()
        .join("config")
        .join("pagerdeck")
        .join("config.toml");
    let out = pagerdeck(home.path(), &["config", "init"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let written = std::fs::read_to_string(&file).unwrap();
    assert_eq!(written, include_str!("../assets/config.example.toml"));
    assert!(
        !pagerdeck(home.path(), &["config", "init"]).status.success(),
        "does not overwrite"
    );
    assert!(
        pagerdeck(home.path(), &["config", "init", "--force"])
            .status
            .success()
    );
    // The written example is a valid config that the cockpit reads.
    let out = pagerdeck(home.path(), &["config", "path"]);
    assert_eq!(text(&out.stdout).trim(), file.display().to_string());
    assert!(pagerdeck(home.path(), &["incidents"]).status.success());
}

#[test]
fn help_and_version() {
    let home = tempfile::tempdir().unwrap();
    let out = pagerdeck(home.path(), &["--version"]);
    assert_eq!(
        text(&out.stdout).trim(),
        format!("pagerdeck {}", env!("CARGO_PKG_VERSION"))
    );
    let help = text(&pagerdeck(home.path(), &["--help"]).stdout);
    for word in ["incidents", "--config", "--theme", "--read-only", "demo"] {
        assert!(help.contains(word), "--help lacks {word}");
    }
}

#[test]
fn oncall_on_the_demo_names_level_one_and_level_two() {
    let home = tempfile::tempdir().unwrap();
    let out = pagerdeck(home.path(), &["oncall"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    let lines: Vec<&str> = table.lines().collect();
    assert!(lines[0].starts_with("LEVEL  ROTA"), "{table}");
    assert!(
        lines[1].starts_with("1 ") && lines[1].contains("storefront-primary"),
        "{table}"
    );
    let row = |n: usize, level: &str, who: &str, when: &str| {
        let line = lines[n];
        assert!(
            line.starts_with(level) && line.contains(who) && line.contains(when),
            "row {n} should be level {level} {who} {when}:\n{table}"
        );
    };
    row(2, "1 ", "Ben Okafor", "next from");
    row(3, "2 ", "Kai Lindqvist", "until");
    assert!(lines[3].contains("(in 2d3h)"), "{table}");
    row(4, "2 ", "Mia Chen", "next from");
    let out = pagerdeck(home.path(), &["oncall", "--json"]);
    let roster: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(roster[2]["rota"], "Eng Cap");
    assert_eq!(roster[2]["level"], 2);
    assert!(roster[2].get("from").is_none(), "on call now: {roster}");
    assert!(roster[3]["from"].is_string(), "next: {roster}");
}

#[test]
fn a_note_goes_through_the_journal_to_the_source() {
    let home = tempfile::tempdir().unwrap();
    let out = pagerdeck(
        home.path(),
        &["note", "INC-1042", "rolled", "back", "4.2.1"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "done: add a note to demo:INC-1042\n");
    let journal = std::fs::read_to_string(home.path().join("data/journal.jsonl")).unwrap();
    assert!(
        journal.contains(r#""verb":"note","text":"rolled back 4.2.1""#),
        "{journal}"
    );
    let out = pagerdeck(home.path(), &["note", "INC-9999", "nothing"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
}

#[test]
fn reassign_and_responder_requests_are_sent_and_a_bad_kind_is_refused() {
    let home = tempfile::tempdir().unwrap();
    let out = pagerdeck(home.path(), &["reassign", "INC-1042", "kai"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "done: reassign demo:INC-1042 to kai\n");
    let out = pagerdeck(
        home.path(),
        &["responder", "INC-1042", "escalation:PENGCAP"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "done: ask escalation PENGCAP to respond to demo:INC-1042\n"
    );
    // Said what they join, since nothing else was.
    let journal = std::fs::read_to_string(home.path().join("data/journal.jsonl")).unwrap();
    assert!(
        journal.contains(r#""message":"Please join demo:INC-1042: "#),
        "{journal}"
    );
    let out = pagerdeck(home.path(), &["responder", "INC-1042", "boss:kai"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("user, team, escalation or schedule"));
}

#[test]
fn escalate_prints_the_hand_over_and_sends_only_when_told() {
    let home = tempfile::tempdir().unwrap();
    // No terminal to ask on: printed, not sent.
    let out = pagerdeck(home.path(), &["escalate", "INC-1042"]);
    assert_eq!(out.status.code(), Some(1));
    let printed = text(&out.stdout);
    assert!(
        printed.starts_with(
            "Route: the demo: recorded, nobody is paged\nOn call: level two: Kai Lindqvist (Eng Cap, until "
        ),
        "{printed}"
    );
    assert!(
        printed.contains("; next Mia Chen (Eng Cap, from "),
        "{printed}"
    );
    assert!(
        printed.contains("\nHand-over to Eng Cap:\n\nEng Cap: checkout-api 5xx"),
        "{printed}"
    );
    assert!(printed.contains("Metrics now:\n- error rate"), "{printed}");
    assert!(
        printed.contains("§ HighErrorRate (0 of 6 steps done):\n[ ] Check whether a deploy"),
        "{printed}"
    );
    assert!(
        text(&out.stderr).contains("add --yes"),
        "{}",
        text(&out.stderr)
    );
    assert!(
        !home.path().join("data/journal.jsonl").exists(),
        "nothing journaled"
    );

    let out = pagerdeck(
        home.path(),
        &[
            "escalate",
            "INC-1042",
            "--yes",
            "--message",
            "DB is on fire, need you",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).ends_with("done: escalate demo:INC-1042 to Eng Cap\n"));
    let journal = std::fs::read_to_string(home.path().join("data/journal.jsonl")).unwrap();
    assert!(
        journal.contains(
            r#""verb":"escalate","to":"Eng Cap","message":"DB is on fire, need you","route":"the demo: recorded, nobody is paged""#
        ),
        "{journal}"
    );
}

#[test]
fn an_inline_token_needs_a_config_file_only_its_owner_can_read() {
    use std::os::unix::fs::PermissionsExt;
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("config.toml");
    std::fs::write(
        &file,
        "[[sources]]\nname = \"pd\"\nkind = \"pagerduty\"\ntoken = \"u+cli-inline-T0k\"\n",
    )
    .unwrap();
    let chmod = |mode| std::fs::set_permissions(&file, std::fs::Permissions::from_mode(mode));
    chmod(0o644).unwrap();
    let out = pagerdeck(home.path(), &["keys", "--config", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "{}, line 4, key `sources[0].token`",
            file.display()
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("chmod 600 {}", file.display())),
        "{stderr}"
    );
    assert!(!stderr.contains("u+cli-inline-T0k"), "{stderr}");
    chmod(0o600).unwrap();
    let out = pagerdeck(home.path(), &["keys", "--config", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[test]
fn a_headless_verb_tells_of_actions_a_kill_left_unfinished_and_sends_only_its_own() {
    use pagerdeck::journal::{Journal, Record, read};
    let home = tempfile::tempdir().unwrap();
    let path = home.path().join("data/journal.jsonl");
    // A cockpit killed after journaling an ack of INC-1041, before the demo confirmed it.
    let mut journal = Journal::open(&path).unwrap();
    let left = Record::Pending {
        at: chrono::Utc::now() - chrono::TimeDelta::minutes(3),
        op: 1,
        key: "demo:INC-1041".parse().unwrap(),
        verb: pagerdeck::providers::Verb::acknowledge(),
        by: "Ana Ops".into(),
        assignee_then: None,
        incident: None,
    };
    journal.append(&left).unwrap();
    drop(journal);
    let out = pagerdeck(home.path(), &["ack", "INC-1042"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stderr),
        "pagerdeck: an earlier action is not confirmed yet (acknowledge demo:INC-1041): start pagerdeck to carry on with them\n"
    );
    // Its own action went; the cockpit's is left for the cockpit, still outstanding.
    let records = read::<Record>(&path).unwrap();
    let unfinished = pagerdeck::journal::outstanding(&records);
    assert_eq!(unfinished.len(), 1, "{records:?}");
    assert_eq!(unfinished[0].op.id, 1);
    assert!(matches!(records.last(), Some(Record::Confirmed { .. })));
}
