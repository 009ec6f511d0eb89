//! The built binary against scripted servers answering with the hostile fixtures
//! (PagerDuty, Opsgenie, Alertmanager and Prometheus as wiremock), with the hostile
//! playbooks in its folder: `incidents` (plain), `oncall`, `metrics`, `playbook show`,
//! and what they print on stderr, hold no escape, control (but the line feed), bidi or
//! zero-width character; a 10,000-character title is cut with "…".

use std::path::{Path, PathBuf};
use std::process::Output;

use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::corpus::{
    ALERTMANAGER, ONCALLS, OPSGENIE, PAGERDUTY, assert_clean, nasty, shown, write_playbooks,
};

/// What scripts read: stdout and stderr, each checked (line feeds are allowed, between
/// lines), returned as text.
fn clean_run(home: &Path, config: &Path, args: &[&str]) -> (String, String, Output) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_pagerdeck"))
        .args(args)
        .env("PAGERDECK_CONFIG", config)
        .env("PAGERDECK_DATA_DIR", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("HOSTILE_TEST_TOKEN", "t0ken")
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    let what = format!("pagerdeck {}", args.join(" "));
    let stdout = String::from_utf8(output.stdout.clone()).unwrap();
    let stderr = String::from_utf8(output.stderr.clone()).unwrap();
    assert_clean(&format!("{what} (stdout)"), &stdout, &['\n']);
    assert_clean(&format!("{what} (stderr)"), &stderr, &['\n']);
    (stdout, stderr, output)
}

async fn serve(route: &str, status: u16, body: Vec<u8>) -> MockServer {
    // Prometheus is asked by POST, the rest by GET.
    let verb = if route.ends_with("query_range") {
        "POST"
    } else {
        "GET"
    };
    let server = MockServer::start().await;
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(ResponseTemplate::new(status).set_body_raw(body, "application/json"))
        .mount(&server)
        .await;
    server
}

/// Every path answered with `status` and `body`: a server that fails whatever it is asked.
async fn serve_all(status: u16, body: Vec<u8>) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(status).set_body_raw(body, "text/plain"))
        .mount(&server)
        .await;
    server
}

/// The Alertmanager fixture with invalid UTF-8 in one label and a lone surrogate escape
/// in another: read anyway, as U+FFFD.
fn alertmanager_with_bad_bytes() -> Vec<u8> {
    let text = String::from_utf8(ALERTMANAGER.to_vec()).unwrap();
    let text = text.replacen("AM-TEAM", "AM-TEAM \\ud800", 1);
    let mut bytes = Vec::new();
    let (before, after) = text.split_once("AM-INSTANCE").unwrap();
    bytes.extend_from_slice(before.as_bytes());
    bytes.extend_from_slice(b"AM-INSTANCE \xff\xfe\xc3");
    bytes.extend_from_slice(after.as_bytes());
    bytes
}

/// A Prometheus answer whose series differ by a hostile label, and a hostile warning.
fn prometheus_answer() -> Vec<u8> {
    let n = nasty();
    let series = |value: &str| serde_json::json!({"metric": {"pod": value}, "values": [[1_795_400_000.0, "1"], [1_795_400_030.0, "2"]]});
    let answer = serde_json::json!({
        "status": "success",
        "warnings": [format!("PROM-WARNING {n}")],
        "data": {"resultType": "matrix", "result": [series(&format!("POD {n}")), series("plain")]}
    });
    serde_json::to_vec(&answer).unwrap()
}

struct Servers {
    pagerduty: MockServer,
    opsgenie: MockServer,
    alertmanager: MockServer,
    broken: MockServer,
    prometheus: MockServer,
}

async fn servers() -> Servers {
    let pagerduty = serve("/incidents", 200, PAGERDUTY.to_vec()).await;
    Mock::given(method("GET"))
        .and(path("/oncalls"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(ONCALLS, "application/json"))
        .mount(&pagerduty)
        .await;
    let broken_body = format!("BROKEN-BODY {}", nasty()).into_bytes();
    Servers {
        pagerduty,
        opsgenie: serve("/v2/alerts", 200, OPSGENIE.to_vec()).await,
        alertmanager: serve("/api/v2/alerts", 200, alertmanager_with_bad_bytes()).await,
        broken: serve_all(500, broken_body).await,
        prometheus: serve("/api/v1/query_range", 200, prometheus_answer()).await,
    }
}

fn config(home: &Path, servers: &Servers) -> PathBuf {
    let playbooks = home.join("playbooks");
    std::fs::create_dir_all(&playbooks).unwrap();
    write_playbooks(&playbooks);
    let n = nasty();
    let quoted = |text: &str| toml::Value::String(text.to_string()).to_string();
    let text = format!(
        r#"[me]
name = {me}
email = "ana@example.com"

[escalation]
name = {level_two}
pagerduty = {{ escalation_level = 2 }}

[playbooks]
dirs = [{playbooks}]

[[sources]]
name = "pd"
kind = "pagerduty"
token_env = "HOSTILE_TEST_TOKEN"
base_url = "{pd}"

[[sources]]
name = "og"
kind = "opsgenie"
token_env = "HOSTILE_TEST_TOKEN"
base_url = "{og}"

[[sources]]
name = "am"
kind = "alertmanager"
urls = ["{am}"]

[[sources]]
name = "broken"
kind = "alertmanager"
urls = ["{broken}"]

[[sources]]
name = "pdbroken"
kind = "pagerduty"
token_env = "HOSTILE_TEST_TOKEN"
base_url = "{broken}"

[metrics]
url = "{prometheus}"

[services.checkout.queries]
{query} = 'sum by (pod) (up)'
"#,
        me = quoted(&format!("ME {n}")),
        level_two = quoted(&format!("LEVEL-TWO {n}")),
        playbooks = quoted(&playbooks.display().to_string()),
        pd = servers.pagerduty.uri(),
        og = servers.opsgenie.uri(),
        am = servers.alertmanager.uri(),
        broken = servers.broken.uri(),
        prometheus = servers.prometheus.uri(),
        // A key cannot be a multi-line string: escaped as JSON escapes it (TOML reads that),
        // and DEL, which JSON leaves as it is.
        query = serde_json::to_string(&format!("QUERY {n}"))
            .unwrap()
            .replace('\u{7f}', "\\u007F"),
    );
    let file = home.join("pagerdeck.toml");
    std::fs::write(&file, text).unwrap();
    file
}

#[tokio::test(flavor = "multi_thread")]
async fn incidents_plain_oncall_and_errors_print_nothing_that_steers() {
    let servers = servers().await;
    let home = tempfile::tempdir().unwrap();
    let config = config(home.path(), &servers);
    let (stdout, stderr, output) = clean_run(home.path(), &config, &["incidents"]);
    assert_eq!(
        output.status.code(),
        Some(1),
        "the broken source fails: {stderr}"
    );
    for marker in [
        "PD-TITLE",
        "PD-SERVICE",
        "OG-MESSAGE",
        "OG-SERVICE",
        "AM-SUMMARY",
    ] {
        shown("incidents", &stdout, marker);
    }
    assert_eq!(stdout.lines().count(), 6, "{stdout}");
    shown("incidents (stderr)", &stderr, "source broken failed");
    shown("incidents (stderr)", &stderr, "BROKEN-BODY");
    let long: Vec<&str> = stdout
        .lines()
        .filter(|l| l.contains("LONG-TITLE"))
        .collect();
    assert_eq!(long.len(), 2, "PagerDuty's and Alertmanager's: {stdout}");
    for line in long {
        let title = &line[line.find("LONG-TITLE").unwrap()..];
        assert_eq!(title.chars().count(), 1024, "cut at a field's length");
        assert!(title.ends_with("AAA…"), "{title}");
    }

    shown("incidents (stderr)", &stderr, "source pdbroken failed");
    let (stdout, stderr, _) = clean_run(home.path(), &config, &["oncall"]);
    shown("oncall", &stdout, "PD-ONCALL-WHO");
    shown("oncall", &stdout, "PD-ONCALL-POLICY");
    shown("oncall (stderr)", &stderr, "source am");
    shown("oncall (stderr)", &stderr, "source pdbroken failed");

    // Composed from the incident and asked about: no terminal here, so not sent.
    let (stdout, stderr, output) = clean_run(home.path(), &config, &["escalate", "PHOSTILE1"]);
    assert!(!output.status.success());
    shown("escalate", &stdout, "Hand-over to LEVEL-TWO");
    shown("escalate", &stdout, "PD-TITLE");
    shown(
        "escalate (stderr)",
        &stderr,
        "add --yes to send it to LEVEL-TWO",
    );

    // JSON escapes what it must; still, it parses, and carries the text as it came.
    let (stdout, _, _) = clean_run(home.path(), &config, &["incidents", "--json"]);
    let listed: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(listed.as_array().map(Vec::len), Some(6));
}

#[tokio::test(flavor = "multi_thread")]
async fn invalid_utf8_in_an_answer_is_replaced_not_fatal() {
    let servers = servers().await;
    let home = tempfile::tempdir().unwrap();
    let config = config(home.path(), &servers);
    let (stdout, _, _) = clean_run(home.path(), &config, &["incidents", "--json"]);
    let listed: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let am = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["source"] == "am" && i["title"].as_str().unwrap().starts_with("AM-SUMMARY"))
        .expect("Alertmanager's alerts are read despite the bad bytes");
    let team = am["team"].as_str().unwrap();
    assert!(team.starts_with("AM-TEAM \u{FFFD} "), "{team:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn playbook_show_and_metrics_print_nothing_that_steers() {
    let servers = servers().await;
    let home = tempfile::tempdir().unwrap();
    let config = config(home.path(), &servers);
    let file = home.path().join("playbooks/hostile.md");
    let file = file.display().to_string();
    let (stdout, _, output) = clean_run(home.path(), &config, &["playbook", "show", &file]);
    assert!(output.status.success(), "{stdout}");
    shown("playbook show FILE", &stdout, "PB-HEADING");
    shown("playbook show FILE", &stdout, "PB-STEP");
    shown("playbook show FILE", &stdout, "PB-TEAM");
    let broken = home.path().join("playbooks/broken-front-matter.md");
    let broken = broken.display().to_string();
    let (_, stderr, _) = clean_run(home.path(), &config, &["playbook", "show", &broken]);
    shown("playbook show BROKEN", &stderr, "warning");
    let (stdout, _, _) = clean_run(home.path(), &config, &["playbook", "show", "PHOSTILE1"]);
    shown("playbook show INCIDENT", &stdout, "PB-HEADING");
    let (stdout, stderr, _) = clean_run(home.path(), &config, &["metrics", "checkout"]);
    shown("metrics", &stdout, "POD");
    shown("metrics", &format!("{stdout}{stderr}"), "QUERY");
    let (stdout, _, _) = clean_run(home.path(), &config, &["playbook", "lint"]);
    shown("playbook lint", &stdout, "broken-front-matter.md");
}

#[test]
fn config_errors_quote_nothing_that_steers() {
    let home = tempfile::tempdir().unwrap();
    let n = nasty();
    let quoted = toml::Value::String(format!("KIND {n}")).to_string();
    let config = home.path().join("bad.toml");
    std::fs::write(
        &config,
        format!("[[sources]]\nname = \"x\"\nkind = {quoted}\n"),
    )
    .unwrap();
    let (_, stderr, output) = clean_run(home.path(), &config, &["incidents"]);
    assert_eq!(output.status.code(), Some(2));
    shown("config error", &stderr, "KIND");
    // No space in it: a space alone is refused already.
    let named = toml::Value::String("name\x1b]0;pwned\x07\u{202E}".into()).to_string();
    std::fs::write(
        &config,
        format!("[[sources]]\nname = {named}\nkind = \"demo\"\n"),
    )
    .unwrap();
    let (_, stderr, _) = clean_run(home.path(), &config, &["incidents"]);
    shown("config error", &stderr, "a source name must be");
    let token = toml::Value::String(format!("TOKEN_ENV{n}")).to_string();
    std::fs::write(
        &config,
        format!("[[sources]]\nname = \"pd\"\nkind = \"pagerduty\"\ntoken_env = {token}\n"),
    )
    .unwrap();
    let (_, stderr, output) = clean_run(home.path(), &config, &["incidents"]);
    assert!(!output.status.success());
    // A token_env that is no variable's name may be a pasted secret: it is not repeated.
    shown(
        "source error",
        &stderr,
        "token_env is the name of the environment variable",
    );
    assert!(!stderr.contains("TOKEN_ENV"), "{stderr}");
}
