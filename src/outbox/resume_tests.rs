//! Resuming what a killed run left: with a stand-in source that answers the check as
//! scripted and counts every write, so "exactly once" is counted, not assumed.

use super::*;
use crate::incident::IncidentKey;
use crate::providers::{Applied, Verb};

/// Answers `AlreadyApplied` from `answers` in turn (the last one repeats), counts writes.
fn scripted_source(
    answers: Vec<Result<Applied, ProviderError>>,
) -> (SourceHandle, Arc<Mutex<(u32, u32)>>) {
    let (requests, mut inbox) = mpsc::channel(8);
    let counts = Arc::new(Mutex::new((0u32, 0u32)));
    let counter = Arc::clone(&counts);
    tokio::spawn(async move {
        let mut asked = 0usize;
        while let Some(request) = inbox.recv().await {
            match request {
                SourceRequest::AlreadyApplied { reply, .. } => {
                    counter.lock().unwrap().0 += 1;
                    let answer = answers[asked.min(answers.len() - 1)].clone();
                    asked += 1;
                    let _ = reply.send(answer);
                }
                SourceRequest::Perform { reply, .. } => {
                    counter.lock().unwrap().1 += 1;
                    let _ = reply.send(Ok(()));
                }
                _ => {}
            }
        }
    });
    let handle = SourceHandle {
        name: "pd".into(),
        kind: "pagerduty",
        requests,
    };
    (handle, counts)
}

fn outstanding(id: u64, state: OpState, at: chrono::DateTime<Utc>) -> Outstanding {
    Outstanding {
        op: Op {
            id,
            key: IncidentKey::new("pd", "PX"),
            verb: Verb::acknowledge(),
            assignee_then: None,
            incident: None,
        },
        at,
        maybe_applied: state == OpState::Sent,
        state,
    }
}

/// Resume `item` against a source answering `answers`: the states reported, the records
/// journaled, and (checks, writes) counted.
async fn resume(
    item: Outstanding,
    answers: Vec<Result<Applied, ProviderError>>,
) -> (Vec<OpState>, Vec<Record>, (u32, u32)) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.jsonl");
    let (tx, mut events) = mpsc::unbounded_channel();
    let (handle, counts) = scripted_source(answers);
    let settings = OutboxSettings {
        me: "Ana Ops".into(),
        first_retry: Duration::from_millis(10),
    };
    let ops = spawn(
        Journal::open(&path).map_err(|e| e.to_string()),
        vec![handle],
        settings,
        tx,
    );
    let id = item.op.id;
    ops.resume(item).unwrap();
    let mut states = Vec::new();
    while let Some(Event::Op { id: got, state }) = events.recv().await {
        assert_eq!(got, id);
        let settled = matches!(state, OpState::Confirmed | OpState::Failed(_));
        states.push(state);
        if settled {
            break;
        }
    }
    let records = crate::journal::read::<Record>(&path).unwrap();
    let counts = *counts.lock().unwrap();
    (states, records, counts)
}

#[tokio::test]
async fn a_pending_op_was_never_sent_so_it_is_sent_under_its_own_id_without_a_new_pending() {
    let (states, records, counts) = resume(
        outstanding(11, OpState::Pending, Utc::now()),
        vec![Ok(Applied::Yes)],
    )
    .await;
    assert_eq!(states, [OpState::Sent, OpState::Confirmed]);
    assert!(
        matches!(
            &records[..],
            [
                Record::Sent { op: 11, .. },
                Record::Confirmed {
                    op: 11,
                    note: None,
                    ..
                }
            ]
        ),
        "{records:?}"
    );
    assert_eq!(counts, (0, 1), "not checked, sent once");
}

#[tokio::test]
async fn a_sent_op_the_source_has_done_is_confirmed_without_sending_it_again() {
    let (states, records, counts) = resume(
        outstanding(12, OpState::Sent, Utc::now()),
        vec![Ok(Applied::Yes)],
    )
    .await;
    assert_eq!(states, [OpState::Confirmed]);
    let [
        Record::Confirmed {
            op: 12,
            note: Some(note),
            ..
        },
    ] = &records[..]
    else {
        panic!("{records:?}");
    };
    assert!(note.starts_with("already done at the source"), "{note}");
    assert_eq!(counts, (1, 0));
}

#[tokio::test]
async fn a_sent_op_the_source_has_not_done_is_sent_once() {
    let (states, _, counts) = resume(
        outstanding(13, OpState::Sent, Utc::now()),
        vec![Ok(Applied::No)],
    )
    .await;
    assert_eq!(states, [OpState::Sent, OpState::Confirmed]);
    assert_eq!(counts, (1, 1));
}

#[tokio::test]
async fn when_the_source_cannot_tell_nothing_is_sent_blind_and_the_user_is_told_what_to_check() {
    let unknown = Applied::Unknown("check pd:PX, and retry if it did not".into());
    let (states, records, counts) = resume(
        outstanding(14, OpState::Sent, Utc::now()),
        vec![Ok(unknown)],
    )
    .await;
    assert!(
        matches!(&states[..], [OpState::Failed(reason)] if reason.contains("check pd:PX")),
        "{states:?}"
    );
    assert!(matches!(&records[..], [Record::Failed { op: 14, .. }]));
    assert_eq!(counts, (1, 0));
}

#[tokio::test(start_paused = true)]
async fn a_source_that_is_down_is_asked_again_until_it_answers_rather_than_sent_to_blind() {
    let down = Err(ProviderError::Http("connection refused".into()));
    let answers = vec![
        down.clone(),
        down.clone(),
        Err(ProviderError::Timeout),
        down,
        Ok(Applied::No),
    ];
    let (states, _, counts) = resume(outstanding(15, OpState::Sent, Utc::now()), answers).await;
    assert_eq!(states, [OpState::Sent, OpState::Confirmed]);
    assert_eq!(counts, (5, 1));
}

#[tokio::test]
async fn an_op_older_than_a_day_is_failed_as_too_old_and_not_sent() {
    let old = Utc::now() - crate::journal::outstanding::RESUME_WITHIN - chrono::TimeDelta::hours(1);
    let (states, records, counts) = resume(
        outstanding(16, OpState::Pending, old),
        vec![Ok(Applied::No)],
    )
    .await;
    assert!(
        matches!(&states[..], [OpState::Failed(reason)] if reason.contains("too old to resend")),
        "{states:?}"
    );
    assert!(matches!(&records[..], [Record::Failed { op: 16, .. }]));
    assert_eq!(counts, (0, 0));
}
