#![allow(clippy::unwrap_used)] // Tests: a failure here is a failed test.
//! `pagerdeck metrics` as a script runs it, against a real Prometheus scraping itself:
//! a configured service, an incident of the demo source, `--json`, a query Prometheus
//! refuses, and a server that is not there.

#[path = "support/cli.rs"]
mod cli;
#[path = "support/prometheus.rs"]
mod prometheus;

use std::path::{Path, PathBuf};

use cli::{pagerdeck, text};

/// The demo's incidents, metrics from `url`, and queries for three services.
fn config(home: &Path, url: &str) -> PathBuf {
    let file = home.join("pagerdeck.toml");
    let text = format!(
        r#"[[sources]]
name = "demo"
kind = "demo"

[metrics]
url = "{url}"
timeout = "5s"

[services.prometheus.queries]
"up" = 'sum(up{{job="{{{{service}}}}"}})'
"scrapes" = {{ query = 'rate(promhttp_metric_handler_requests_total{{code="200"}}[1m])', unit = "per_second" }}

[services.checkout-api.queries]
"targets" = 'count(up{{job="prometheus"}})'
"by service" = 'up{{service="{{{{service}}}}"}}'

[services.broken.queries]
"broken" = 'sum(rate(up[1m])'
"#
    );
    std::fs::write(&file, text).unwrap();
    file
}

#[test]
fn a_service_prints_each_querys_current_value_trend_and_range() {
    let server = prometheus::Prometheus::start_scraping_itself();
    let home = tempfile::tempdir().unwrap();
    let config = config(home.path(), &server.url);
    let output = pagerdeck(home.path(), Some(&config), &["metrics", "prometheus"]);
    let stdout = text(&output.stdout);
    assert!(output.status.success(), "{stdout}{}", text(&output.stderr));
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(
        lines[0].starts_with("prometheus · service:prometheus · "),
        "{stdout}"
    );
    assert!(
        lines[0].ends_with("a point every 30s"),
        "the last hour in 120 points: {stdout}"
    );
    assert_eq!(lines[1], "up       1.00 →  min 1.00  max 1.00", "{stdout}");
    assert!(
        lines[2].starts_with("scrapes  ") && lines[2].contains("/s"),
        "{stdout}"
    );
    assert_eq!(lines.len(), 3, "{stdout}");
}

#[test]
fn json_has_name_query_unit_current_and_points() {
    let server = prometheus::Prometheus::start_scraping_itself();
    let home = tempfile::tempdir().unwrap();
    let config = config(home.path(), &server.url);
    let output = pagerdeck(
        home.path(),
        Some(&config),
        &["metrics", "prometheus", "--json"],
    );
    assert!(output.status.success(), "{}", text(&output.stderr));
    let all: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let up = &all[0];
    assert_eq!(up["name"], "up");
    assert_eq!(up["query"], r#"sum(up{job="prometheus"})"#);
    assert_eq!(up["unit"], "none");
    assert_eq!(up["current"], 1.0);
    let points = up["points"].as_array().unwrap();
    assert!(!points.is_empty());
    assert!(
        points
            .iter()
            .all(|p| p[0].as_f64().unwrap() > 1.7e9 && p[1] == 1.0)
    );
    assert_eq!(all[1]["name"], "scrapes");
    assert_eq!(all[1]["unit"], "per_second");
    assert_eq!(all.as_array().unwrap().len(), 2);
}

#[test]
fn an_incident_of_any_source_is_charted_with_its_services_queries() {
    let server = prometheus::Prometheus::start_scraping_itself();
    let home = tempfile::tempdir().unwrap();
    let config = config(home.path(), &server.url);
    let output = pagerdeck(home.path(), Some(&config), &["metrics", "demo/INC-1042"]);
    let stdout = text(&output.stdout);
    assert!(output.status.success(), "{stdout}{}", text(&output.stderr));
    assert!(
        stdout.starts_with("checkout-api · demo:INC-1042 · "),
        "{stdout}"
    );
    assert!(stdout.contains("\ntargets     1.00 →"), "{stdout}");
    assert!(
        stdout.contains("\nby service  no data in this window: the query matches no series"),
        "{stdout}"
    );
}

#[test]
fn a_refused_query_is_printed_by_name_and_fails_the_command() {
    let server = prometheus::Prometheus::start_scraping_itself();
    let home = tempfile::tempdir().unwrap();
    let config = config(home.path(), &server.url);
    let output = pagerdeck(home.path(), Some(&config), &["metrics", "broken"]);
    assert_eq!(output.status.code(), Some(1));
    let stdout = text(&output.stdout);
    assert!(
        stdout.contains("\nbroken  error: Prometheus: bad_data: "),
        "{stdout}"
    );
}

#[test]
fn a_dead_server_is_one_line_and_exit_status_1() {
    let home = tempfile::tempdir().unwrap();
    let url = format!("http://127.0.0.1:{}", prometheus::free_port());
    let config = config(home.path(), &url);
    let output = pagerdeck(home.path(), Some(&config), &["metrics", "prometheus"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let stderr = text(&output.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with(&format!(
            "pagerdeck: the metrics server failed: cannot reach server: Prometheus at {url}: "
        )),
        "{stderr}"
    );
    // Nothing to chart is not a server failure: an unknown name is a usage error.
    let output = pagerdeck(home.path(), Some(&config), &["metrics", "no-such-thing"]);
    assert_eq!(output.status.code(), Some(2));
}
