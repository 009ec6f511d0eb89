#![allow(clippy::unwrap_used)] // Tests: a failure here is a failed test.
//! After a kill: a journal left as SIGKILL leaves it (the action `Pending` only, or
//! `Pending` + `Sent` with the server having done it or not) is resumed through the real
//! outbox and source task, and each server ends with the action applied exactly once:
//! PagerDuty and Opsgenie scripted by wiremock (every write counted with `expect`),
//! Alertmanager the real one (its silences counted), the demo by its own state.

#[allow(dead_code)] // Each test file uses part of the helpers.
#[path = "support/alertmanager.rs"]
mod alertmanager;
#[path = "resume/alertmanager_demo.rs"]
mod alertmanager_demo;
#[path = "resume/opsgenie.rs"]
mod opsgenie;
#[path = "support/pagerduty.rs"]
mod pagerduty;
#[path = "resume/pagerduty.rs"]
mod pagerduty_kill;
#[path = "support/prometheus.rs"]
mod prometheus;

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use pagerdeck::event::{Event, OpState};
use pagerdeck::incident::IncidentKey;
use pagerdeck::journal::{self, Journal, Record};
use pagerdeck::outbox::{self, OutboxSettings};
use pagerdeck::providers::poller::{self, PollSettings};
use pagerdeck::providers::{Source, Verb};

/// How a kill left the op: `Pending` only, or `Pending` then `Sent`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Left {
    Pending,
    Sent,
}

/// The journal lines a kill leaves for op `op` (`verb` on `key`).
pub fn left_by_a_kill(op: u64, key: &IncidentKey, verb: &Verb, left: Left) -> Vec<Record> {
    let at = Utc::now() - chrono::TimeDelta::minutes(2);
    let mut records = vec![Record::Pending {
        at,
        op,
        key: key.clone(),
        verb: verb.clone(),
        by: "Ana Ops".into(),
        assignee_then: None,
        incident: None,
    }];
    if left == Left::Sent {
        records.push(Record::Sent { at, op });
    }
    records
}

/// Start pagerdeck's outbox and `source`'s task over a journal holding `records`, resume
/// what the journal says is unfinished, and return the journal once each resumed op is
/// settled (confirmed or failed).
pub async fn resume<S: Source>(name: &str, source: Arc<S>, records: &[Record]) -> Vec<Record> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.jsonl");
    let mut journal = Journal::open(&path).unwrap();
    for record in records {
        journal.append(record).unwrap();
    }
    drop(journal);
    let (tx, mut events) = tokio::sync::mpsc::unbounded_channel();
    let settings = PollSettings {
        interval: Duration::from_secs(3600),
        timeout: Duration::from_secs(5),
        max_backoff: Duration::from_secs(3600),
        read_only: false,
    };
    let handle = poller::spawn(name.into(), source, settings, tx.clone());
    let settings = OutboxSettings {
        me: "Ana Ops".into(),
        first_retry: Duration::from_millis(20),
    };
    let outbox = outbox::spawn(
        Journal::open(&path).map_err(|e| e.to_string()),
        vec![handle],
        settings,
        tx,
    );
    let unfinished = journal::outstanding(&journal::read::<Record>(&path).unwrap());
    let mut waiting: Vec<u64> = unfinished.iter().map(|o| o.op.id).collect();
    assert!(!waiting.is_empty(), "nothing to resume in {records:?}");
    for item in unfinished {
        outbox.resume(item).unwrap();
    }
    let settled = tokio::time::timeout(Duration::from_secs(30), async {
        while let Some(event) = events.recv().await {
            if let Event::Op {
                id,
                state: OpState::Confirmed | OpState::Failed(_),
            } = event
            {
                waiting.retain(|w| *w != id);
                if waiting.is_empty() {
                    return;
                }
            }
        }
    })
    .await;
    assert!(settled.is_ok(), "ops {waiting:?} never settled");
    outbox.close().await.wait().await;
    journal::read::<Record>(&path).unwrap()
}

/// The last record of op `op`.
pub fn last_of(records: &[Record], op: u64) -> &Record {
    records
        .iter()
        .rev()
        .find(|r| match r {
            Record::Pending { op: o, .. }
            | Record::Sent { op: o, .. }
            | Record::Confirmed { op: o, .. }
            | Record::Failed { op: o, .. }
            | Record::Dropped { op: o, .. } => *o == op,
            Record::NotActionable { .. } => false,
        })
        .unwrap()
}

/// Op `op` ended confirmed; `already` when the resume found it done at the source.
pub fn assert_confirmed(records: &[Record], op: u64, already: bool) {
    match last_of(records, op) {
        Record::Confirmed { note, .. } => assert_eq!(
            note.as_deref()
                .is_some_and(|n| n.starts_with("already done at the source")),
            already,
            "{records:?}"
        ),
        other => panic!("op {op} ended {other:?}: {records:?}"),
    }
    let pendings = records
        .iter()
        .filter(|r| matches!(r, Record::Pending { op: o, .. } if *o == op))
        .count();
    assert_eq!(
        pendings, 1,
        "resumed under its own id, no new Pending: {records:?}"
    );
}
