#![allow(clippy::unwrap_used)] // Test fixtures: a failure here is a failed test.
//! `pagerdeck playbook lint` as a team's CI runs it: fixture folders with known problems,
//! the demo's clean playbooks, a temp config, and a real Prometheus.

#[path = "support/cli.rs"]
mod cli;
#[path = "support/prometheus.rs"]
mod prometheus;

use std::path::{Path, PathBuf};

use cli::{pagerdeck, text};

const FIXTURES: &str = "tests/fixtures/lint";
const DEMO_PLAYBOOKS: &str = "assets/demo/playbooks";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURES)
}

/// A config whose playbook folder is the lint fixtures, with one service
/// (`search-api`, line 10) that no playbook covers.
fn lint_config(home: &Path) -> PathBuf {
    let file = home.join("pagerdeck.toml");
    let text = format!(
        "[playbooks]\ndirs = [{:?}]\n\n[services.checkout-api]\nteam = \"payments\"\n\n\
         [services.ledger-worker]\nteam = \"payments\"\n\n[services.search-api]\nteam = \"storefront\"\n",
        fixtures().display().to_string()
    );
    std::fs::write(&file, text).unwrap();
    file
}

/// The problems the fixtures hold, as `file:line: severity:` and the start of the message.
const FIXTURE_PROBLEMS: &[&str] = &[
    "tests/fixtures/lint/broken-front-matter.md:1: error: front matter (YAML)",
    "tests/fixtures/lint/broken-links.md:9: error: broken link `runbooks/old.md`: no such file",
    "tests/fixtures/lint/broken-links.md:10: error: broken anchor `#no-such-section`: no heading here",
    "tests/fixtures/lint/broken-links.md:11: error: broken anchor `checkout-api.md#no-such-heading`: checkout-api.md has no heading",
    "tests/fixtures/lint/no-steps.md: warning: no steps",
];

#[test]
fn lint_reports_every_problem_with_its_file_and_line() {
    let home = tempfile::tempdir().unwrap();
    let config = lint_config(home.path());
    // No DIR: the config's [playbooks] dirs.
    let out = pagerdeck(home.path(), Some(&config), &["playbook", "lint"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 7, "{stdout}");
    // The config is outside the current folder, so it is shown as it is.
    assert_eq!(
        lines[0],
        format!(
            "{}:10: error: service search-api has no playbook: list it in a playbook's front \
             matter (`services = [\"search-api\"]`), or give team storefront a README.md with \
             `team = \"storefront\"`",
            config.display()
        )
    );
    for (line, expected) in lines[1..6].iter().zip(FIXTURE_PROBLEMS) {
        assert!(line.starts_with(expected), "{line}\n  expected {expected}");
    }
    assert_eq!(lines[6], "lint: 6 playbooks, 5 errors, 1 warning");
    // Good links are not reported: headings with punctuation and `code`, `#notes-1`,
    // `../`, `./`, links in code blocks, web and mail links.
    for good in ["checkout-api.md:", "README.md:", "ledger-worker.md:"] {
        assert!(!stdout.contains(good), "false positive in {good}\n{stdout}");
    }

    // A DIR given on the command line wins; without a config, no service is checked.
    let out = pagerdeck(home.path(), None, &["playbook", "lint", FIXTURES]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(
        stdout.ends_with("lint: 6 playbooks, 4 errors, 1 warning\n"),
        "{stdout}"
    );
    assert!(!stdout.contains("search-api"), "{stdout}");
}

#[test]
fn lint_json_has_the_counts_and_every_problem() {
    let home = tempfile::tempdir().unwrap();
    let config = lint_config(home.path());
    let out = pagerdeck(home.path(), Some(&config), &["playbook", "lint", "--json"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["playbooks"], 6);
    assert_eq!(report["errors"], 5);
    assert_eq!(report["warnings"], 1);
    let problems = report["problems"].as_array().unwrap();
    let summary: Vec<(String, serde_json::Value, String, String)> = problems
        .iter()
        .map(|p| {
            let object = p.as_object().unwrap();
            let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
            keys.sort_unstable();
            assert_eq!(keys, ["file", "kind", "line", "message", "severity"]);
            (
                p["file"]
                    .as_str()
                    .unwrap()
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_string(),
                p["line"].clone(),
                p["severity"].as_str().unwrap().to_string(),
                p["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected = [
        (
            "pagerdeck.toml",
            10.into(),
            "error",
            "service-without-playbook",
        ),
        ("broken-front-matter.md", 1.into(), "error", "front-matter"),
        ("broken-links.md", 9.into(), "error", "broken-link"),
        ("broken-links.md", 10.into(), "error", "broken-anchor"),
        ("broken-links.md", 11.into(), "error", "broken-anchor"),
        (
            "no-steps.md",
            serde_json::Value::Null,
            "warning",
            "no-steps",
        ),
    ];
    let expected: Vec<(String, serde_json::Value, String, String)> = expected
        .into_iter()
        .map(|(f, l, s, k)| (f.to_string(), l, s.to_string(), k.to_string()))
        .collect();
    assert_eq!(summary, expected);
}

#[test]
fn lint_passes_the_demo_playbooks() {
    let home = tempfile::tempdir().unwrap();
    let out = pagerdeck(home.path(), None, &["playbook", "lint", DEMO_PLAYBOOKS]);
    assert!(
        out.status.success(),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert_eq!(
        text(&out.stdout),
        "lint: 6 playbooks, 0 errors, 0 warnings\n"
    );
}

#[test]
fn lint_reports_a_missing_folder_and_an_unreachable_prometheus_as_errors() {
    let home = tempfile::tempdir().unwrap();
    let out = pagerdeck(
        home.path(),
        None,
        &["playbook", "lint", DEMO_PLAYBOOKS, "no/such/folder"],
    );
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with("no/such/folder: error: cannot read playbook folder: "),
        "{stdout}"
    );
    assert!(
        stdout.ends_with("lint: 6 playbooks, 1 error, 0 warnings\n"),
        "{stdout}"
    );

    // Prometheus from the config, and nothing listening there.
    let port = prometheus::free_port();
    let config = home.path().join("metrics.toml");
    std::fs::write(
        &config,
        format!("[metrics]\nurl = \"http://127.0.0.1:{port}\"\n"),
    )
    .unwrap();
    let out = pagerdeck(
        home.path(),
        Some(&config),
        &["playbook", "lint", DEMO_PLAYBOOKS],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with(&format!(
            "http://127.0.0.1:{port}: error: cannot reach Prometheus at http://127.0.0.1:{port}"
        )),
        "{stdout}"
    );

    // Nothing to lint at all is a usage error.
    let out = pagerdeck(home.path(), None, &["playbook", "lint"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no playbook folders to lint"));
}

#[test]
fn lint_reports_the_alerts_a_real_prometheus_knows_that_no_playbook_covers() {
    // HighErrorRate has a demo playbook (payments/checkout-api.md); PaymentsQueueStuck has none.
    let server = prometheus::Prometheus::start(
        "groups:\n  - name: payments\n    rules:\n\
         \x20     - alert: HighErrorRate\n        expr: vector(1) > 2\n        for: 5m\n\
         \x20     - alert: PaymentsQueueStuck\n        expr: vector(0) > 1\n\
         \x20     - record: job:errors:rate5m\n        expr: vector(1)\n",
    );
    let home = tempfile::tempdir().unwrap();
    let out = pagerdeck(
        home.path(),
        None,
        &[
            "playbook",
            "lint",
            DEMO_PLAYBOOKS,
            "--prometheus",
            &server.url,
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        format!(
            "{}: error: alert PaymentsQueueStuck (known to Prometheus) has no playbook: add it \
             to a playbook's front matter (`alerts = [\"PaymentsQueueStuck\"]`)\n\
             lint: 6 playbooks, 1 error, 0 warnings\n",
            server.rules_file.display()
        )
    );
}
