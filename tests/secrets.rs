#![allow(clippy::unwrap_used)] // Tests: a failure here is a failed test.
//! Tokens never leak when servers misbehave: the built binary, logging at trace, against
//! servers that echo the token back in a 401, in a 500, in a redirect's URL, and one that
//! never answers in time. Neither stdout (`--json` too), stderr, the journal nor the log
//! may hold a token, and a redirect to another host must not carry it there.
//! (mixed_sources.rs checks the same on the happy path, against the validating mocks.)

#[allow(dead_code)] // Only `text` is used: these runs need their own environment.
#[path = "support/cli.rs"]
mod cli;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::time::Duration;

use serde_json::json;
use wiremock::matchers::{any, method, path, path_regex};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use cli::text;

/// Written inline in the config (which is then 0600).
const PD_TOKEN: &str = "pd-inline-sekrit-4e1d";
/// From `token_env`, for a source whose server refuses it.
const REFUSED_TOKEN: &str = "pd-env-sekrit-77c2";
/// From `token_cmd`, for a source whose server redirects elsewhere.
const OG_TOKEN: &str = "og-cmd-sekrit-0b9a";
const SLOW_TOKEN: &str = "pd-slow-sekrit-5a30";
/// The Events API routing key: in the request body, not a header.
const ROUTING_KEY: &str = "routing-sekrit-e3f8";
const SECRETS: [&str; 5] = [PD_TOKEN, REFUSED_TOKEN, OG_TOKEN, SLOW_TOKEN, ROUTING_KEY];

/// What a careless server or proxy does: the request's Authorization header and body,
/// repeated in the answer's body and headers.
fn echo(status: u16) -> impl Fn(&Request) -> ResponseTemplate + Send + Sync {
    move |request: &Request| {
        let authorization = request
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let body = String::from_utf8_lossy(&request.body).into_owned();
        let routing_key = serde_json::from_str::<serde_json::Value>(&body)
            .ok()
            .and_then(|sent| sent["routing_key"].as_str().map(String::from))
            .unwrap_or_default();
        // The secrets first, as "invalid key: …" would: cutting a long message short
        // must not be what hides them.
        let said = format!(
            "refused {authorization}{routing_key} at {}: {body}",
            request.url
        );
        ResponseTemplate::new(status)
            .insert_header("www-authenticate", authorization.as_str())
            .insert_header("x-echo", said.as_str())
            .set_body_json(json!({
                "error": {"message": said.clone(), "errors": [authorization]},
                "message": said,
            }))
    }
}

/// Every source misbehaving its own way, under its own path of one server; `elsewhere`
/// is another host a redirect points at.
async fn serve(elsewhere: &MockServer) -> MockServer {
    let server = MockServer::start().await;
    let incidents = json!({"incidents": [{"id": "PT4KHLK", "status": "triggered", "title": "checkout-api 5xx", "urgency": "high"}],
                           "limit": 100, "more": false, "total": null});
    let alerts = json!([{"labels": {"alertname": "HighErrorRate", "service": "checkout-api", "severity": "critical"},
                         "annotations": {"summary": "checkout-api 5xx above 5%"},
                         "startsAt": chrono::Utc::now() - chrono::TimeDelta::minutes(9),
                         "fingerprint": "f1", "status": {"state": "active", "silencedBy": []}}]);
    let gets = [
        (
            "/pd/incidents",
            ResponseTemplate::new(200).set_body_json(incidents.clone()),
        ),
        (
            "/am/api/v2/alerts",
            ResponseTemplate::new(200).set_body_json(alerts),
        ),
        // Same host: the token goes along, and the URL it is sent to carries it too.
        (
            "/pd/oncalls",
            ResponseTemplate::new(302)
                .insert_header("location", format!("/pd/moved?token={PD_TOKEN}").as_str()),
        ),
        // Another host: reqwest must drop the Authorization header on the way.
        (
            "/og/v2/alerts",
            ResponseTemplate::new(302).insert_header(
                "location",
                format!("{}/v2/alerts?key={OG_TOKEN}", elsewhere.uri()).as_str(),
            ),
        ),
        (
            "/slow/incidents",
            ResponseTemplate::new(200)
                .set_body_json(incidents)
                .set_delay(Duration::from_secs(5)),
        ),
    ];
    for (at, answer) in gets {
        Mock::given(method("GET"))
            .and(path(at))
            .respond_with(answer)
            .mount(&server)
            .await;
    }
    Mock::given(path_regex("^/refusing/"))
        .respond_with(echo(401))
        .mount(&server)
        .await;
    // Everything else (the writes, the history, the redirect's end, the page) fails
    // with the request echoed.
    Mock::given(any())
        .respond_with(echo(500))
        .with_priority(10)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(echo(500))
        .mount(elsewhere)
        .await;
    server
}

fn config(home: &Path, server: &str) -> std::path::PathBuf {
    let text = format!(
        r#"[me]
name = "Ana Ops"
email = "ana@example.com"

[escalation]
pagerduty = {{ escalation_level = 2 }}
alertmanager = {{ events_routing_key_env = "PAGERDECK_TEST_ROUTING_KEY", events_url = "{server}/events" }}

[[sources]]
name = "pd"
kind = "pagerduty"
token = "{PD_TOKEN}"
base_url = "{server}/pd"

[[sources]]
name = "refusing"
kind = "pagerduty"
token_env = "PAGERDECK_TEST_REFUSED_TOKEN"
base_url = "{server}/refusing"

[[sources]]
name = "og"
kind = "opsgenie"
token_cmd = "echo {OG_TOKEN}"
base_url = "{server}/og"

[[sources]]
name = "slow"
kind = "pagerduty"
token_cmd = "echo {SLOW_TOKEN}"
base_url = "{server}/slow"
timeout = "1s"

[[sources]]
name = "prod"
kind = "alertmanager"
urls = ["{server}/am"]
"#
    );
    let path = home.join("config.toml");
    std::fs::write(&path, text).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    path
}

fn run(home: &Path, config: &Path, args: &[&str]) -> (String, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_pagerdeck"))
        .args(args)
        .env("PAGERDECK_CONFIG", config)
        .env("PAGERDECK_DATA_DIR", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("PAGERDECK_TEST_REFUSED_TOKEN", REFUSED_TOKEN)
        .env("PAGERDECK_TEST_ROUTING_KEY", ROUTING_KEY)
        .env("PAGERDECK_LOG", "trace")
        .env("RUST_BACKTRACE", "1")
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    (text(&output.stdout), text(&output.stderr))
}

fn assert_no_secret(what: &str, shown: &str) {
    for secret in SECRETS {
        assert!(!shown.contains(secret), "{what} shows {secret}:\n{shown}");
    }
    // Nor a piece of one, as a cut message or a header would leave it.
    assert!(
        !shown.contains("sekrit"),
        "{what} shows part of a secret:\n{shown}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn no_token_leaks_from_any_failure_at_trace_level() {
    let elsewhere = MockServer::start().await;
    let server = serve(&elsewhere).await;
    let home = tempfile::tempdir().unwrap();
    let config = config(home.path(), &server.uri());
    let runs: [&[&str]; 6] = [
        &["incidents", "--json"],
        &["incidents"],
        &["ack", "pd:PT4KHLK"],
        &["note", "pd:PT4KHLK", "rolled", "back"],
        &["oncall", "--json"],
        &[
            "escalate",
            "prod:HighErrorRate/checkout-api",
            "--yes",
            "--message",
            "need you",
        ],
    ];
    let mut said = String::new();
    for args in runs {
        let (stdout, stderr) = run(home.path(), &config, args);
        assert_no_secret(&format!("{args:?} stdout"), &stdout);
        assert_no_secret(&format!("{args:?} stderr"), &stderr);
        said.push_str(&format!("{args:?}:\n{stdout}{stderr}\n"));
    }
    // Each way of failing was met, and said without its secret.
    for expected in [
        "token rejected for refusing: check PAGERDECK_TEST_REFUSED_TOKEN",
        "source slow timed out",
        "source og failed: server answered 500",
        "acknowledge pd:PT4KHLK failed: server answered 500",
        "add a note to pd:PT4KHLK failed: server answered 500",
        "[redacted]",
        "escalate prod:HighErrorRate/checkout-api to Eng Cap failed",
    ] {
        assert!(said.contains(expected), "no {expected:?} in:\n{said}");
    }
    // The servers were sent the secrets (so each echo did repeat them), except the
    // other host: the redirect there went without the Authorization header.
    let received: String = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| {
            format!(
                "{} {:?} {}\n",
                r.url,
                r.headers,
                String::from_utf8_lossy(&r.body)
            )
        })
        .collect();
    for secret in SECRETS {
        assert!(received.contains(secret), "{secret} was never sent");
    }
    let elsewhere_got = elsewhere.received_requests().await.unwrap();
    assert!(!elsewhere_got.is_empty(), "the redirect was followed");
    for request in &elsewhere_got {
        assert!(
            request.headers.get("authorization").is_none(),
            "the token went to another host: {request:?}"
        );
    }
    // Nothing written holds a secret: the journal, the log (at trace).
    let data = home.path().join("data");
    let journal = std::fs::read_to_string(data.join("journal.jsonl")).unwrap();
    assert!(journal.contains("\"state\":\"failed\""), "{journal}");
    assert_no_secret("the journal", &journal);
    let log = std::fs::read_to_string(data.join("pagerdeck.log")).unwrap();
    assert!(log.contains("TRACE"), "the log is at trace:\n{log}");
    assert_no_secret("the log", &log);
}

#[test]
fn an_error_report_does_not_print_the_token() {
    let home = tempfile::tempdir().unwrap();
    let path = home.path().join("config.toml");
    // A control character no header can carry: building the source fails, and the
    // report says why without the token.
    std::fs::write(
        &path,
        "[[sources]]\nname = \"pd\"\nkind = \"pagerduty\"\ntoken = \"pd-bad-sekrit\\u0001-9f\"\nbase_url = \"http://127.0.0.1:9\"\n",
    )
    .unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    let (stdout, stderr) = run(home.path(), &path, &["incidents", "--json"]);
    assert!(
        stderr.contains("has characters a header cannot carry"),
        "{stderr}"
    );
    assert_no_secret("the report", &format!("{stdout}{stderr}"));
}
