#![allow(clippy::unwrap_used)] // Tests: a failure here is a failed test.
//! End to end on the real stack: a Prometheus rule fires, Prometheus sends it to
//! Alertmanager, and `pagerdeck` (the built binary) lists it, acknowledges it with a
//! note, takes it back and snoozes it, with Alertmanager and amtool agreeing each time.

#[allow(dead_code)] // Each test file uses part of the helpers.
#[path = "support/alertmanager.rs"]
mod alertmanager;
#[allow(dead_code)] // Only the binary runner is used here.
#[path = "support/cli.rs"]
mod cli;
#[path = "support/prometheus.rs"]
mod prometheus;

use std::path::Path;
use std::process::Output;
use std::time::{Duration, Instant};

use cli::text;

const RULES: &str = r#"groups:
  - name: checkout
    rules:
      - alert: CheckoutErrors
        expr: vector(1)
        labels:
          severity: critical
          service: checkout-api
        annotations:
          summary: checkout-api 5xx above 5%
          runbook_url: https://github.com/acme/playbooks/blob/main/payments/checkout-api.md
"#;

const KEY: &str = "prod:CheckoutErrors/checkout-api";

fn run(home: &Path, config: &Path, args: &[&str]) -> Output {
    cli::pagerdeck(home, Some(config), args)
}

/// `incidents --json` until `check` holds for the incident, or 60 s have passed (a
/// first evaluation, a send and a group wait on a busy 2-core machine).
fn until(
    home: &Path,
    config: &Path,
    what: &str,
    check: impl Fn(&serde_json::Value) -> bool,
) -> serde_json::Value {
    let start = Instant::now();
    loop {
        let out = run(home, config, &["incidents", "--json"]);
        assert!(out.status.success(), "incidents: {}", text(&out.stderr));
        let all: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
        if let Some(found) = all.into_iter().find(|i| i["key"] == KEY && check(i)) {
            return found;
        }
        assert!(start.elapsed() < Duration::from_secs(60), "never {what}");
        std::thread::sleep(Duration::from_millis(250));
    }
}

#[test]
fn a_firing_rule_reaches_pagerdeck_and_ack_unack_snooze_are_silences_alertmanager_reports() {
    let am = alertmanager::Alertmanager::start();
    let prometheus = prometheus::Prometheus::start_alerting(RULES, &am.url);
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("pagerdeck.toml");
    std::fs::write(
        &config,
        format!(
            "[me]\nname = \"Ana Ops\"\n\n[[sources]]\nname = \"prod\"\nkind = \"alertmanager\"\nurls = [\"{}\"]\n",
            am.url
        ),
    )
    .unwrap();

    // The rule's alert, as an incident: every field scripts rely on.
    let incident = until(home.path(), &config, "listed", |_| true);
    assert_eq!(incident["source"], "prod");
    assert_eq!(incident["status"], "triggered");
    assert_eq!(incident["severity"], "critical");
    assert_eq!(incident["service"], "checkout-api");
    assert_eq!(incident["title"], "checkout-api 5xx above 5%");
    assert_eq!(incident["labels"]["alertname"], "CheckoutErrors");
    let links = incident["links"].as_array().unwrap();
    let expression = links
        .iter()
        .find(|l| l["title"] == "Prometheus expression")
        .unwrap();
    assert!(
        expression["url"]
            .as_str()
            .unwrap()
            .contains("g0.expr=vector%281%29"),
        "generatorURL kept: {expression}"
    );
    assert!(links.iter().any(|l| l["title"] == "runbook"));
    drop(prometheus); // Alertmanager keeps the alert until it times out (5 min).

    // ack with a note: one silence, by Ana Ops, that amtool lists.
    let out = run(
        home.path(),
        &config,
        &[
            "ack",
            "CheckoutErrors/checkout-api",
            "--note",
            "rolling back",
        ],
    );
    assert!(out.status.success(), "ack: {}", text(&out.stderr));
    assert_eq!(text(&out.stdout).trim(), format!("done: acknowledge {KEY}"));
    let listed = alertmanager::amtool_silences(&am.url);
    assert!(
        // The op id marks the silence: after a kill, a resume looks for it before
        // making another.
        listed.contains("\"comment\":\"ACK! rolling back [pagerdeck op "),
        "{listed}"
    );
    assert!(listed.contains("\"createdBy\":\"Ana Ops\""), "{listed}");
    let acked = until(home.path(), &config, "acknowledged", |i| {
        i["status"] == "acknowledged"
    });
    assert_eq!(acked["assignee"], "Ana Ops");
    // Written to the journal before it was sent, then confirmed.
    let journal = std::fs::read_to_string(home.path().join("data/journal.jsonl")).unwrap();
    let lines: Vec<&str> = journal.lines().collect();
    assert!(
        lines[0].contains("\"state\":\"pending\"") && lines[0].contains(KEY),
        "{journal}"
    );
    assert!(lines[1].contains("\"state\":\"sent\""), "{journal}");
    assert!(lines[2].contains("\"state\":\"confirmed\""), "{journal}");
    // Again: nothing to do, said, and not a failure.
    let out = run(home.path(), &config, &["ack", KEY]);
    assert!(out.status.success());
    assert!(text(&out.stdout).contains("already acknowledged"));

    // unack: the silence expires, amtool lists none, the incident pages again.
    let out = run(home.path(), &config, &["unack", KEY]);
    assert!(out.status.success(), "unack: {}", text(&out.stderr));
    assert_eq!(alertmanager::amtool_silences(&am.url).trim(), "[]");
    until(home.path(), &config, "triggered again", |i| {
        i["status"] == "triggered"
    });

    // resolve is not Alertmanager's to do: refused with the reason, nothing sent.
    let out = run(home.path(), &config, &["resolve", KEY]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("resolves when it stops firing"),
        "{}",
        text(&out.stderr)
    );

    // snooze for 30 minutes: a silence that says so.
    let out = run(home.path(), &config, &["snooze", KEY, "30m"]);
    assert!(out.status.success(), "snooze: {}", text(&out.stderr));
    let listed = alertmanager::amtool_silences(&am.url);
    assert!(
        listed.contains("snoozed from pagerdeck for 30m"),
        "{listed}"
    );
    until(home.path(), &config, "snoozed", |i| {
        i["status"] == "acknowledged"
            && i["description"]
                .as_str()
                .unwrap()
                .starts_with("snoozed by Ana Ops")
    });

    // An incident that is not there, and a duration that is not one.
    let out = run(home.path(), &config, &["ack", "prod:NoSuchAlert/x"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no active incident"));
    let out = run(home.path(), &config, &["snooze", KEY, "soon"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("not a duration"));
}

#[test]
fn a_dead_member_degrades_the_source_and_the_list_still_comes() {
    let am = alertmanager::Alertmanager::start();
    let dead = format!("http://127.0.0.1:{}", prometheus::free_port());
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("pagerdeck.toml");
    std::fs::write(
        &config,
        format!(
            "[[sources]]\nname = \"prod\"\nkind = \"alertmanager\"\nurls = [\"{}\", \"{dead}\"]\n",
            am.url
        ),
    )
    .unwrap();
    let out = run(home.path(), &config, &["incidents", "--json"]);
    assert!(
        out.status.success(),
        "degraded is not failing: {}",
        text(&out.stderr)
    );
    assert_eq!(text(&out.stdout).trim(), "[]");
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("warning: source prod degraded: 1 of 2 members down"),
        "{stderr}"
    );
    // Both dead: failing, named, non-zero, and the (empty) list still printed.
    std::fs::write(
        &config,
        format!("[[sources]]\nname = \"prod\"\nkind = \"alertmanager\"\nurls = [\"{dead}\"]\n"),
    )
    .unwrap();
    let out = run(home.path(), &config, &["incidents", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("source prod failed: cannot reach server"));
    assert_eq!(text(&out.stdout).trim(), "[]");
}
