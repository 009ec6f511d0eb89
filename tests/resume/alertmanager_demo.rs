//! Alertmanager, the real one: an ack is a silence carrying the op id in its comment (the
//! dedup key), looked for before another is made. The demo: by its own state.

use std::sync::Arc;

use pagerdeck::incident::{IncidentKey, Status};
use pagerdeck::providers::demo::{DemoSource, DemoWorld};
use pagerdeck::providers::{Source, Verb};

use super::alertmanager::{self as am, silences};
use super::{Left, assert_confirmed, left_by_a_kill, resume};

/// Silences of the server made by op `op`.
async fn silences_of(url: &str, op: u64) -> usize {
    let mark = format!("[pagerdeck op {op}]");
    silences(url)
        .await
        .iter()
        .filter(|s| s["comment"].as_str().unwrap_or("").ends_with(&mark))
        .count()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_ack_is_one_silence_however_the_kill_left_it() {
    let (server, first_run, incidents) = am::with_alerts().await;
    let key = incidents[0].key.clone();
    let ack = Verb::acknowledge();
    // (op, how the kill left it, whether the silence was made before the kill)
    let cases = [
        (1_800_000_000_011, Left::Pending, false),
        (1_800_000_000_012, Left::Sent, true),
        (1_800_000_000_013, Left::Sent, false),
    ];
    for (op, left, arrived) in cases {
        if arrived {
            // The run that was killed: its request reached Alertmanager, its answer
            // never reached the journal.
            first_run.perform_once(&key, &ack, op).await.unwrap();
            assert_eq!(silences_of(&server.url, op).await, 1);
        }
        // The next run: a new source, as after a restart.
        let next_run = Arc::new(am::source(vec![server.url.clone()]));
        let records = resume("prod", next_run, &left_by_a_kill(op, &key, &ack, left)).await;
        assert_eq!(
            silences_of(&server.url, op).await,
            1,
            "{left:?}, arrived: {arrived}"
        );
        assert_confirmed(&records, op, arrived);
    }
    assert_eq!(silences(&server.url).await.len(), 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_check_that_finds_the_silence_expired_since_does_not_ack_again() {
    // Acked before the kill, then taken back by someone: it arrived, and stays taken back.
    let (server, first_run, incidents) = am::with_alerts().await;
    let key = incidents[0].key.clone();
    let op = 1_800_000_000_021;
    first_run
        .perform_once(&key, &Verb::acknowledge(), op)
        .await
        .unwrap();
    am::until_status(&first_run, &key, Status::Acknowledged).await;
    first_run.perform(&key, &Verb::Unacknowledge).await.unwrap();
    let next_run = Arc::new(am::source(vec![server.url.clone()]));
    let left = left_by_a_kill(op, &key, &Verb::acknowledge(), Left::Sent);
    let records = resume("prod", next_run, &left).await;
    assert_confirmed(&records, op, true);
    let active = silences(&server.url)
        .await
        .iter()
        .filter(|s| s["status"]["state"] == "active")
        .count();
    assert_eq!(active, 0, "not acknowledged again");
}

fn demo() -> Arc<DemoSource> {
    let world = DemoWorld::embedded().unwrap();
    Arc::new(DemoSource::new(
        "demo",
        world,
        chrono::Utc::now(),
        "Ana Ops",
    ))
}

/// How many times the demo's timeline says the incident was acknowledged.
async fn acks_of(demo: &DemoSource, key: &IncidentKey) -> usize {
    let history = demo.history(key).await.unwrap();
    history
        .timeline
        .iter()
        .filter(|e| e.what == "acknowledge")
        .count()
}

#[tokio::test]
async fn the_demo_acknowledges_once_however_the_kill_left_it() {
    let key = IncidentKey::new("demo", "INC-1042");
    let ack = Verb::acknowledge();
    for (left, arrived) in [
        (Left::Pending, false),
        (Left::Sent, true),
        (Left::Sent, false),
    ] {
        let demo = demo();
        if arrived {
            demo.perform(&key, &ack).await.unwrap();
        }
        let records = resume(
            "demo",
            Arc::clone(&demo),
            &left_by_a_kill(7, &key, &ack, left),
        )
        .await;
        assert_eq!(
            acks_of(&demo, &key).await,
            1,
            "{left:?}, arrived: {arrived}"
        );
        assert_confirmed(&records, 7, arrived);
    }
}
