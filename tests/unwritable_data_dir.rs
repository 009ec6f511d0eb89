#![allow(clippy::unwrap_used)] // Test fixtures: a failure here is a failed test.
//! A data dir the journal cannot be written in: a headless verb exits non-zero with the
//! reason and never says done. The cases fail for root as well (tests may run as root,
//! where a chmod'ed folder stops nothing): a folder under a regular file, and /proc.

use std::path::Path;
use std::process::{Command, Output};

fn pagerdeck(home: &Path, data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pagerdeck"))
        .args(args)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("PAGERDECK_DATA_DIR", data_dir)
        .env_remove("PAGERDECK_CONFIG")
        .env_remove("NO_COLOR")
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn assert_not_done(out: &Output, journal: &Path) {
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert!(!stdout.contains("done"), "{stdout}");
    let reason = format!(
        "pagerdeck: acknowledge demo:INC-1042 failed: not sent: cannot open journal {}",
        journal.display()
    );
    assert!(stderr.contains(&reason), "{stderr}");
}

#[test]
fn ack_with_a_data_dir_that_cannot_be_made_fails_with_the_reason() {
    let home = tempfile::tempdir().unwrap();
    std::fs::write(home.path().join("file"), "").unwrap();
    let data = home.path().join("file/data");
    let out = pagerdeck(home.path(), &data, &["ack", "INC-1042"]);
    assert_not_done(&out, &data.join("journal.jsonl"));
    assert!(text(&out.stderr).contains("Not a directory"));
}

#[test]
fn ack_with_a_read_only_data_dir_fails_with_the_reason() {
    let home = tempfile::tempdir().unwrap();
    // It exists and takes no new file, from anyone; the log cannot be made there either,
    // which must not stop the command from saying why.
    let out = pagerdeck(home.path(), Path::new("/proc"), &["ack", "INC-1042"]);
    assert_not_done(&out, Path::new("/proc/journal.jsonl"));
}
