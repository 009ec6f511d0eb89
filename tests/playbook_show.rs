#![allow(clippy::unwrap_used)] // Test fixtures: a failure here is a failed test.
//! `pagerdeck playbook show` as an on-call engineer runs it: a file or an incident, in a
//! pipe or on a terminal.

#[path = "support/cli.rs"]
mod cli;

use std::process::Command;

use cli::{pagerdeck, text};
use unicode_width::UnicodeWidthStr;

const FIXTURES: &str = "tests/fixtures/lint";

#[test]
fn show_plain_prints_a_file_wrapped_to_the_width_under_its_front_matter() {
    let home = tempfile::tempdir().unwrap();
    let file = format!("{FIXTURES}/checkout-api.md");
    let out = pagerdeck(
        home.path(),
        None,
        &["playbook", "show", &file, "--plain", "--width", "40"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(!stdout.contains('\x1b'), "{stdout:?}");
    for line in stdout.lines() {
        assert!(line.width() <= 40, "wider than 40: {line:?}");
    }
    let header: String = stdout.split("\n\n").next().unwrap().replace('\n', " ");
    assert_eq!(
        header,
        format!("{file} · team payments · services checkout-api · alerts HighErrorRate")
    );
    assert!(!stdout.contains("+++"), "front matter stripped: {stdout}");
    // The heading is there with its punctuation, and a long item wrapped under its marker.
    assert!(
        stdout.contains("\nRoll back & restore (quickly!)\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("☐ Then restart the pods[6] if needed, or\n  follow"),
        "{stdout}"
    );
    // Broken front matter: said on stderr and in the header, and the text still printed.
    let broken = format!("{FIXTURES}/broken-front-matter.md");
    let out = pagerdeck(home.path(), None, &["playbook", "show", &broken, "--plain"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr)
            .contains("warning: tests/fixtures/lint/broken-front-matter.md: front matter (YAML)")
    );
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with(&format!("{broken} · front matter unreadable")),
        "{stdout}"
    );
    assert!(
        stdout.contains("1. Flip fraud_score_fail_open."),
        "{stdout}"
    );
    // `--width` below 20 is refused, as a usage error.
    let out = pagerdeck(
        home.path(),
        None,
        &["playbook", "show", &file, "--width", "10"],
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn show_an_incident_prints_the_section_its_alert_matched() {
    let home = tempfile::tempdir().unwrap();
    for key in ["demo/INC-1042", "demo:INC-1042", "INC-1042"] {
        let out = pagerdeck(
            home.path(),
            None,
            &["playbook", "show", key, "--plain", "--width", "60"],
        );
        assert!(out.status.success(), "{key}: {}", text(&out.stderr));
        let stdout = text(&out.stdout);
        let lines: Vec<&str> = stdout.lines().collect();
        assert_eq!(
            lines[..4],
            [
                "matched by alert HighErrorRate in payments/checkout-api.md",
                "",
                "HighErrorRate",
                "─────────────"
            ],
            "{key}"
        );
        assert!(stdout.contains("☐ Check whether a deploy went out in the last"));
        assert!(
            stdout.contains("▸ Escalate"),
            "the section's sub-sections come along"
        );
        assert!(
            !stdout.contains("HighLatencyP99\n──"),
            "the next alert's section is not printed: {stdout}"
        );
    }
}

#[test]
fn show_something_that_does_not_exist_says_so() {
    let home = tempfile::tempdir().unwrap();
    let out = pagerdeck(home.path(), None, &["playbook", "show", "demo/INC-9999"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("no active incident demo/INC-9999"),
        "{stderr}"
    );
    assert!(stderr.contains("pagerdeck incidents"), "{stderr}");
    let out = pagerdeck(home.path(), None, &["playbook", "show", "nowhere/gone.md"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("cannot read nowhere/gone.md"));
}

#[test]
fn show_is_plain_in_a_pipe_and_styled_on_a_terminal() {
    let home = tempfile::tempdir().unwrap();
    let out = pagerdeck(home.path(), None, &["playbook", "show", "demo/INC-1042"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        !out.stdout.contains(&0x1b),
        "a pipe gets no escape sequences"
    );
    assert!(
        text(&out.stdout).lines().all(|l| l.width() <= 80),
        "80 wide in a pipe"
    );

    // On a terminal (a pseudo-terminal from `script`, util-linux): styled, and under
    // NO_COLOR still bold and underlined, but without colours.
    let on_terminal = |no_color: bool| {
        let binary = env!("CARGO_BIN_EXE_pagerdeck");
        let mut command = Command::new("script");
        command
            .args([
                "-qec",
                &format!("{binary} playbook show demo/INC-1042 --width 60"),
                "/dev/null",
            ])
            .env("XDG_CONFIG_HOME", home.path().join("config"))
            .env("PAGERDECK_DATA_DIR", home.path().join("data"))
            .env_remove("PAGERDECK_CONFIG")
            .env_remove("NO_COLOR");
        if no_color {
            command.env("NO_COLOR", "1");
        }
        let out = command.output().unwrap();
        assert!(out.status.success(), "{}", text(&out.stderr));
        text(&out.stdout)
    };
    let styled = on_terminal(false);
    assert!(
        styled.contains("\x1b[1;38;2;"),
        "bold coloured heading: {styled:?}"
    );
    let no_color = on_terminal(true);
    assert!(
        no_color.contains("\x1b[1mHighErrorRate\x1b[0m"),
        "{no_color:?}"
    );
    assert!(
        !no_color.contains(";38;") && !no_color.contains("[38;"),
        "{no_color:?}"
    );
    let plain = Command::new("script")
        .args([
            "-qec",
            &format!(
                "{} playbook show demo/INC-1042 --plain",
                env!("CARGO_BIN_EXE_pagerdeck")
            ),
            "/dev/null",
        ])
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("PAGERDECK_DATA_DIR", home.path().join("data"))
        .env_remove("PAGERDECK_CONFIG")
        .output()
        .unwrap();
    assert!(plain.status.success(), "{}", text(&plain.stderr));
    assert!(!plain.stdout.contains(&0x1b), "--plain on a terminal");
}
