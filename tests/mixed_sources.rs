#![allow(clippy::unwrap_used)] // Tests: a failure here is a failed test.
//! One config with PagerDuty, Opsgenie and Alertmanager: the built binary lists one merged
//! list, writes a note and says who is on call, against the validating mocks of the two
//! APIs and a real Alertmanager. Tokens come from `token_cmd` and `token_env`, and must
//! appear nowhere in what is printed or written.

#[allow(dead_code)] // Each test file uses part of the helpers.
#[path = "support/alertmanager.rs"]
mod alertmanager;
#[allow(dead_code)] // Only `text` is used: these runs need their own environment.
#[path = "support/cli.rs"]
mod cli;
#[path = "support/prism.rs"]
mod prism;
#[path = "support/prometheus.rs"]
mod prometheus;

use std::path::Path;

use cli::text;

const PD_TOKEN: &str = "pd-sekrit-7f3a";
const OG_TOKEN: &str = "og-sekrit-91bc";

fn config(home: &Path, am_url: &str) -> std::path::PathBuf {
    let pd = prism::shared("pagerduty-rest-openapiv3.prism-patched.json");
    let og = prism::shared("opsgenie-swagger.prism-patched.json");
    let text = format!(
        r#"[me]
name = "Ana Ops"
email = "ana@example.com"

[escalation]
name = "Eng Cap"
pagerduty = {{ escalation_level = 2 }}
opsgenie = {{ escalation = "Eng Cap escalation" }}

[[sources]]
name = "pd"
kind = "pagerduty"
token_cmd = "echo {PD_TOKEN}"
base_url = "{pd}"

[[sources]]
name = "og"
kind = "opsgenie"
token_env = "PAGERDECK_TEST_OG_KEY"
base_url = "{og}"
schedules = ["ops"]

[[sources]]
name = "prod"
kind = "alertmanager"
urls = ["{am_url}"]
"#,
        pd = pd.url,
        og = og.url,
    );
    let path = home.join("config.toml");
    std::fs::write(&path, text).unwrap();
    path
}

fn run(home: &Path, config: &Path, args: &[&str]) -> std::process::Output {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_pagerdeck"));
    command
        .args(args)
        .env("PAGERDECK_CONFIG", config)
        .env("PAGERDECK_DATA_DIR", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("PAGERDECK_TEST_OG_KEY", OG_TOKEN)
        // Everything logged, so a token in any request log would be caught.
        .env("PAGERDECK_LOG", "trace");
    command.output().unwrap()
}

fn assert_no_token(what: &str, output: &str) {
    for token in [PD_TOKEN, OG_TOKEN] {
        assert!(!output.contains(token), "{what} shows a token:\n{output}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn three_kinds_of_source_make_one_list_and_one_roster() {
    let am = alertmanager::Alertmanager::start();
    am.post_alerts(alertmanager::alerts()).await;
    let home = tempfile::tempdir().unwrap();
    let config = config(home.path(), &am.url);

    let listed = run(home.path(), &config, &["incidents", "--json"]);
    let (stdout, stderr) = (text(&listed.stdout), text(&listed.stderr));
    assert!(listed.status.success(), "{stderr}");
    let incidents: Vec<serde_json::Value> = serde_json::from_str(&stdout).unwrap();
    let mut sources: Vec<&str> = incidents
        .iter()
        .map(|i| i["source"].as_str().unwrap())
        .collect();
    sources.sort();
    sources.dedup();
    assert_eq!(sources, ["og", "pd", "prod"], "{stdout}");
    // Most severe first, whatever the source.
    let ranks: Vec<u8> = incidents
        .iter()
        .map(|i| match i["severity"].as_str().unwrap() {
            "critical" => 0,
            "high" => 1,
            "warning" => 2,
            _ => 3,
        })
        .collect();
    assert!(ranks.is_sorted(), "{stdout}");
    assert_no_token("incidents --json", &format!("{stdout}{stderr}"));

    let noted = run(
        home.path(),
        &config,
        &["note", "pd:PT4KHLK", "rolled", "back", "4.2.1"],
    );
    let said = format!("{}{}", text(&noted.stdout), text(&noted.stderr));
    assert!(noted.status.success(), "{said}");
    assert!(said.contains("done: add a note to pd:PT4KHLK"), "{said}");

    // An Opsgenie write is followed until its request is confirmed, then said done.
    let snoozed = run(home.path(), &config, &["snooze", "og:string", "1h"]);
    let said = format!("{}{}", text(&snoozed.stdout), text(&snoozed.stderr));
    assert!(snoozed.status.success(), "{said}");
    assert!(said.contains("done: snooze og:string for 1h"), "{said}");

    let roster = run(home.path(), &config, &["oncall", "--json"]);
    let (stdout, stderr) = (text(&roster.stdout), text(&roster.stderr));
    assert!(roster.status.success(), "{stderr}");
    let people: Vec<serde_json::Value> = serde_json::from_str(&stdout).unwrap();
    assert!(
        people
            .iter()
            .any(|p| p["source"] == "pd" && p["level"].is_u64()),
        "no on-call people by level from pd: {stdout}"
    );
    // The mock's schedule has only placeholder participants (type "string", not users):
    // Opsgenie answered, and nobody is invented from it.
    assert!(!stderr.contains("source og"), "{stderr}");
    assert!(
        stderr.contains("source prod: alertmanager does not know who is on call"),
        "{stderr}"
    );

    // Nothing written to disk holds a token either: the journal, the log.
    let written = walk(&home.path().join("data"));
    assert!(
        written.iter().any(|f| f.ends_with("pagerdeck.log")),
        "no log to check: {written:?}"
    );
    for entry in written {
        let bytes = std::fs::read(&entry).unwrap();
        assert_no_token(
            &entry.display().to_string(),
            &String::from_utf8_lossy(&bytes),
        );
    }
}

#[test]
fn a_rejected_token_names_the_source_and_where_the_token_comes_from() {
    let home = tempfile::tempdir().unwrap();
    let path = home.path().join("config.toml");
    // A server that refuses every token stands in for an expired one.
    let refusing = always_refusing_server();
    std::fs::write(
        &path,
        format!(
            "[[sources]]\nname = \"pd\"\nkind = \"pagerduty\"\ntoken_env = \"PAGERDECK_TEST_PD_TOKEN\"\nbase_url = \"{refusing}\"\n"
        ),
    )
    .unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_pagerdeck"))
        .args(["incidents"])
        .env("PAGERDECK_CONFIG", &path)
        .env("PAGERDECK_DATA_DIR", home.path().join("data"))
        .env("PAGERDECK_TEST_PD_TOKEN", PD_TOKEN)
        .output()
        .unwrap();
    let stderr = text(&output.stderr);
    assert!(!output.status.success());
    assert!(
        stderr.contains("token rejected for pd: check PAGERDECK_TEST_PD_TOKEN"),
        "{stderr}"
    );
    assert_no_token("the error", &stderr);
}

/// A loopback server answering every request with 401, on its own thread.
fn always_refusing_server() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        use std::io::{Read, Write};
        for mut stream in listener.incoming().flatten() {
            let mut request = [0u8; 4096];
            let _ = stream.read(&mut request);
            let _ = stream.write_all(
                b"HTTP/1.1 401 Unauthorized\r\ncontent-type: application/json\r\ncontent-length: 48\r\nconnection: close\r\n\r\n{\"error\":{\"message\":\"Unauthorized\",\"code\":2006}}",
            );
        }
    });
    url
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .flat_map(|entry| {
            let path = entry.path();
            match path.is_dir() {
                true => walk(&path),
                false => vec![path],
            }
        })
        .collect()
}
