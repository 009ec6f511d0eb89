#![allow(clippy::unwrap_used)] // Tests: a failure here is a failed test.
//! A headless command gives up within 30 s in total, whatever the server does: the slow
//! poll it starts with leaves the write less time, not a fresh 30 s. Run on tokio's paused
//! clock, so the 30 s pass at once and the test measures the budget, not the machine.

#[allow(dead_code)] // Each test file uses part of the helpers.
#[path = "support/faults.rs"]
mod faults;

use std::process::ExitCode;
use std::time::Duration;

use faults::{Fault, FaultServer};
use pagerdeck::context::{Context, Flags};
use pagerdeck::providers::Verb;

fn incidents() -> Vec<(&'static str, String)> {
    let page = serde_json::json!({"incidents": [{"id": "P1", "status": "triggered",
        "title": "checkout-api 5xx", "urgency": "high"}], "limit": 100, "more": false, "total": null});
    vec![("/incidents", page.to_string())]
}

#[tokio::test(start_paused = true)]
async fn a_write_to_a_server_that_never_answers_gives_up_within_30s_in_total() {
    let server = FaultServer::start(&incidents()).await;
    // Each listing takes 12 s (within the source's 25 s timeout); the write never ends.
    server.set(Fault::Slow(Duration::from_secs(12))).await;
    server.set_for("PUT", Fault::Hang);
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("pagerdeck.toml");
    let text = format!(
        "data_dir = \"{}\"\n\n[me]\nname = \"Ana Ops\"\nemail = \"ana@example.com\"\n\n[[sources]]\nname = \"pd\"\nkind = \"pagerduty\"\ntoken_cmd = \"echo tok\"\nbase_url = \"{}\"\ntimeout = \"25s\"\n",
        home.path().join("data").display(),
        server.url
    );
    std::fs::write(&config, text).unwrap();
    let flags = Flags {
        config: Some(&config),
        theme: None,
        read_only: false,
    };
    let context = Context::load(&flags).unwrap();

    let started = tokio::time::Instant::now();
    let code = pagerdeck::headless::verbs::act(&context, "pd:P1", Verb::Resolve)
        .await
        .unwrap();
    let spent = started.elapsed();

    assert_eq!(code, ExitCode::FAILURE, "not reported done");
    // The clock is tokio's paused one: this is the budget's arithmetic, not a speed.
    assert!(spent <= Duration::from_secs(30), "gave up after {spent:?}");
    assert!(
        server
            .requests()
            .iter()
            .any(|r| r.starts_with("PUT /incidents/P1")),
        "the write was sent: {:?}",
        server.requests()
    );
    // What was not confirmed stays in the journal, to be resumed.
    let journal = std::fs::read_to_string(context.journal_path()).unwrap();
    assert!(journal.contains(r#""state":"pending""#), "{journal}");
    assert!(!journal.contains(r#""state":"confirmed""#), "{journal}");
}
