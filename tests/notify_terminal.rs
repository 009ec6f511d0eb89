#![allow(clippy::unwrap_used)] // Tests: a failure here is a failed test.
//! The bytes the real binary writes to its terminal when a page arrives: pagerdeck in a
//! pseudo-terminal (the input bench's harness), on an Alertmanager stand-in whose first
//! answer is empty and whose next brings a critical alert, with a hostile summary, and a
//! warning one. The critical rings (BEL, OSC 9, OSC 777, its title made safe); the
//! warning, below the level, does not; inside tmux the notifications come wrapped.

#[allow(dead_code)] // The bench's timing helpers are not used here.
#[path = "../benches/input/terminal.rs"]
mod terminal;

use std::ffi::OsString;
use std::path::Path;
use std::time::Duration;

use chrono::Utc;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use terminal::Cockpit;

const TITLE: &str = "ledger writes failing; disk 95% full\u{1b}]0;pwned\u{7}";
/// The title as OSC 9 carries it (its `;` are harmless there), and as OSC 777 does.
const SAFE_TITLE: &str = "ledger writes failing; disk 95% full]0;pwned";
const SAFE_777_TITLE: &str = "ledger writes failing, disk 95% full]0,pwned";

fn alert(name: &str, service: &str, severity: &str, summary: &str) -> serde_json::Value {
    json!({
        "labels": {"alertname": name, "service": service, "severity": severity},
        "annotations": {"summary": summary},
        "startsAt": Utc::now(),
        "endsAt": Utc::now() + chrono::TimeDelta::hours(1),
        "updatedAt": Utc::now(),
        "fingerprint": name,
        "receivers": [{"name": "team"}],
        "status": {"state": "active", "silencedBy": [], "inhibitedBy": []}
    })
}

/// Alertmanager: nothing at the first poll, then a critical and a warning page.
async fn alertmanager() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/alerts"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    let paged = json!([
        alert("LedgerDiskFull", "ledger-worker", "critical", TITLE),
        alert(
            "QueueLagWarning",
            "ledger-worker",
            "warning",
            "consumer lag growing"
        ),
    ]);
    Mock::given(method("GET"))
        .and(path("/api/v2/alerts"))
        .respond_with(ResponseTemplate::new(200).set_body_json(paged))
        .with_priority(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .with_priority(3)
        .mount(&server)
        .await;
    server
}

/// pagerdeck on `server` until the critical page is on screen: all it wrote by then.
fn run_until_paged(server: &str, home: &Path, tmux: &str) -> Vec<u8> {
    let config = home.join("config.toml");
    std::fs::write(
        &config,
        format!(
            "[me]\nname = \"Ana Ops\"\n\n[[sources]]\nname = \"prod\"\nkind = \"alertmanager\"\nurls = [\"{server}\"]\npoll_interval = \"1s\"\n"
        ),
    )
    .unwrap();
    let env: Vec<(&str, OsString)> = vec![
        ("PAGERDECK_CONFIG", config.into()),
        ("PAGERDECK_DATA_DIR", home.join("data").into()),
        ("XDG_CONFIG_HOME", home.join("xdg").into()),
        ("TMUX", tmux.into()),
    ];
    let binary = Path::new(env!("CARGO_BIN_EXE_pagerdeck"));
    let mut cockpit = Cockpit::start(binary, &env, 120, 36).unwrap();
    // The flash line says it too, for a muted terminal.
    let shown = cockpit.wait_for(Duration::from_secs(60), |screen| {
        screen.contains("new critical page") && screen.contains("consumer lag")
    });
    let screen = cockpit.settle();
    assert!(shown.is_some(), "the page never showed: {screen}");
    cockpit.raw().to_vec()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_new_critical_page_rings_the_real_terminal_and_a_warning_does_not() {
    let server = alertmanager().await;
    let home = tempfile::tempdir().unwrap();
    let uri = server.uri();
    let home_path = home.path().to_path_buf();
    let raw = tokio::task::spawn_blocking(move || run_until_paged(&uri, &home_path, ""))
        .await
        .unwrap();
    let osc9 = format!("\x07\x1b]9;pagerdeck: new critical page: ledger-worker: {SAFE_TITLE}\x07");
    let osc777 =
        format!("\x1b]777;notify;pagerdeck: critical page;ledger-worker: {SAFE_777_TITLE}\x07");
    let text = String::from_utf8_lossy(&raw);
    assert!(
        contains(&raw, osc9.as_bytes()),
        "the bell then OSC 9: {text:?}"
    );
    assert!(contains(&raw, osc777.as_bytes()), "OSC 777: {text:?}");
    assert!(
        !contains(&raw, b"\x1b]0;pwned"),
        "the title's own escape: {text:?}"
    );
    assert!(
        !text.contains("warning page"),
        "a warning is below the level: {text:?}"
    );
    assert!(!contains(&raw, b"\x1bPtmux;"), "not inside tmux: {text:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn inside_tmux_the_real_binary_wraps_its_notifications() {
    let server = alertmanager().await;
    let home = tempfile::tempdir().unwrap();
    let uri = server.uri();
    let home_path = home.path().to_path_buf();
    let raw = tokio::task::spawn_blocking(move || {
        run_until_paged(&uri, &home_path, "/tmp/tmux-1000/default,4242,0")
    })
    .await
    .unwrap();
    let wrapped = format!(
        "\x07\x1bPtmux;\x1b\x1b]9;pagerdeck: new critical page: ledger-worker: {SAFE_TITLE}\x07\x1b\\"
    );
    let text = String::from_utf8_lossy(&raw);
    assert!(contains(&raw, wrapped.as_bytes()), "{text:?}");
}
