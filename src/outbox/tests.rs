//! The outbox against the demo source and stand-ins: journaled, sent, retried, drained.

use super::*;
use crate::incident::{IncidentKey, Status};
use crate::providers::Source;
use crate::providers::Verb;
use crate::providers::demo::{DemoSource, DemoWorld};
use crate::providers::poller::{self, PollSettings};

struct Rig {
    demo: Arc<DemoSource>,
    ops: Outbox,
    events: mpsc::UnboundedReceiver<Event>,
}

fn rig(journal: Result<Journal, String>, read_only: bool) -> Rig {
    let (tx, events) = mpsc::unbounded_channel();
    let demo = Arc::new(DemoSource::new(
        "demo",
        DemoWorld::embedded().unwrap(),
        Utc::now(),
        "Ana Ops",
    ));
    let settings = PollSettings {
        interval: Duration::from_secs(3600),
        timeout: Duration::from_secs(5),
        max_backoff: Duration::from_secs(3600),
        read_only,
    };
    let handle = poller::spawn("demo".into(), Arc::clone(&demo), settings, tx.clone());
    let settings = OutboxSettings {
        me: "Ana Ops".into(),
        first_retry: Duration::from_millis(10),
    };
    let ops = spawn(journal, vec![handle], settings, tx);
    Rig { demo, ops, events }
}

async fn op_states(events: &mut mpsc::UnboundedReceiver<Event>, id: u64) -> Vec<OpState> {
    let mut states = Vec::new();
    while let Some(event) = tokio::time::timeout(Duration::from_secs(5), events.recv())
        .await
        .ok()
        .flatten()
    {
        if let Event::Op { id: got, state } = event {
            assert_eq!(got, id);
            let done = matches!(state, OpState::Confirmed | OpState::Failed(_));
            states.push(state);
            if done {
                break;
            }
        }
    }
    states
}

fn ack(id: u64) -> Op {
    Op {
        id,
        key: IncidentKey::new("demo", "INC-1042"),
        verb: Verb::acknowledge(),
        assignee_then: None,
        incident: None,
    }
}

async fn status_of_1042(demo: &DemoSource) -> Status {
    let incidents = demo.incidents().await.unwrap();
    incidents
        .into_iter()
        .find(|i| i.key.id == "INC-1042")
        .unwrap()
        .status
}

#[tokio::test]
async fn an_action_is_journaled_then_sent_then_confirmed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.jsonl");
    let mut rig = rig(Ok(Journal::open(&path).unwrap()), false);
    rig.ops.send(ack(1)).unwrap();
    assert_eq!(
        op_states(&mut rig.events, 1).await,
        vec![OpState::Pending, OpState::Sent, OpState::Confirmed]
    );
    assert_eq!(status_of_1042(&rig.demo).await, Status::Acknowledged);
    let records = crate::journal::read::<Record>(&path).unwrap();
    assert!(
        matches!(&records[..], [Record::Pending { op: 1, by, .. }, Record::Sent { op: 1, .. }, Record::Confirmed { op: 1, .. }] if by == "Ana Ops")
    );
}

#[tokio::test]
async fn closing_waits_for_every_queued_action_to_be_journaled_and_sent() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.jsonl");
    let rig = rig(Ok(Journal::open(&path).unwrap()), false);
    // Quitting right after the key press: nothing has run yet on this one-thread runtime.
    rig.ops.send(ack(6)).unwrap();
    rig.ops.close().await.wait().await;
    let records = crate::journal::read::<Record>(&path).unwrap();
    assert!(
        matches!(
            &records[..],
            [
                Record::Pending { op: 6, .. },
                Record::Sent { op: 6, .. },
                Record::Confirmed { op: 6, .. }
            ]
        ),
        "{records:?}"
    );
    assert_eq!(status_of_1042(&rig.demo).await, Status::Acknowledged);
}

#[tokio::test]
async fn read_only_sends_nothing_even_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.jsonl");
    let mut rig = rig(Ok(Journal::open(&path).unwrap()), true);
    rig.ops.send(ack(2)).unwrap();
    let states = op_states(&mut rig.events, 2).await;
    let refused = OpState::Failed("read-only mode: nothing was sent".into());
    assert_eq!(states, [OpState::Pending, OpState::Sent, refused]);
    assert_eq!(status_of_1042(&rig.demo).await, Status::Triggered);
    // The attempt and its refusal are on record: nobody wonders later whether it went.
    let records = crate::journal::read::<Record>(&path).unwrap();
    assert!(
        matches!(&records[..], [Record::Pending { op: 2, .. }, Record::Sent { op: 2, .. }, Record::Failed { op: 2, reason, .. }] if reason.starts_with("read-only")),
        "{records:?}"
    );
}

#[tokio::test]
async fn an_unwritable_journal_means_not_sent_and_says_why() {
    let mut rig = rig(
        Err("cannot open journal /ro/journal.jsonl: Read-only file system".into()),
        false,
    );
    rig.ops.send(ack(3)).unwrap();
    let states = op_states(&mut rig.events, 3).await;
    assert!(
        matches!(&states[..], [OpState::Failed(reason)] if reason.starts_with("not sent: cannot open journal"))
    );
    assert_eq!(status_of_1042(&rig.demo).await, Status::Triggered);
}

#[tokio::test]
async fn a_journal_that_breaks_mid_run_stops_the_send() {
    // /dev/full accepts the open and fails every write, like a full disk.
    let full = Journal::open(std::path::Path::new("/dev/full")).unwrap();
    let mut rig = rig(Ok(full), false);
    rig.ops.send(ack(4)).unwrap();
    let states = op_states(&mut rig.events, 4).await;
    assert!(
        matches!(&states[..], [OpState::Failed(reason)] if reason.contains("cannot write journal")),
        "{states:?}"
    );
    assert_eq!(status_of_1042(&rig.demo).await, Status::Triggered);
}

#[tokio::test]
async fn an_unknown_incident_fails_with_the_sources_reason() {
    let dir = tempfile::tempdir().unwrap();
    let mut rig = rig(
        Ok(Journal::open(&dir.path().join("j.jsonl")).unwrap()),
        false,
    );
    let op = Op {
        id: 5,
        key: IncidentKey::new("demo", "NOPE"),
        verb: Verb::acknowledge(),
        assignee_then: None,
        incident: None,
    };
    rig.ops.send(op).unwrap();
    let states = op_states(&mut rig.events, 5).await;
    assert!(
        matches!(&states[..], [OpState::Pending, OpState::Sent, OpState::Failed(reason)] if reason.contains("no incident demo:NOPE"))
    );
}

/// A source task stand-in: rate-limited `limited` times, then done.
fn rate_limited_source(limited: u32) -> (SourceHandle, Arc<Mutex<u32>>) {
    let (requests, mut inbox) = mpsc::channel(8);
    let asked = Arc::new(Mutex::new(0));
    let counter = Arc::clone(&asked);
    tokio::spawn(async move {
        while let Some(SourceRequest::Perform { reply, .. }) = inbox.recv().await {
            let mut asked = counter.lock().unwrap();
            *asked += 1;
            let _ = reply.send(match *asked <= limited {
                true => Err(ProviderError::RateLimited {
                    retry_after_secs: Some(30),
                }),
                false => Ok(()),
            });
        }
    });
    let handle = SourceHandle {
        name: "pd".into(),
        kind: "pagerduty",
        requests,
    };
    (handle, asked)
}

#[tokio::test(start_paused = true)]
async fn a_rate_limit_delays_an_action_but_never_drops_it() {
    let dir = tempfile::tempdir().unwrap();
    let (tx, mut events) = mpsc::unbounded_channel();
    let (handle, asked) = rate_limited_source(5);
    let settings = OutboxSettings {
        me: "Ana Ops".into(),
        first_retry: Duration::from_millis(10),
    };
    let journal = Journal::open(&dir.path().join("j.jsonl")).map_err(|e| e.to_string());
    let ops = spawn(journal, vec![handle], settings, tx);
    ops.send(Op {
        id: 7,
        key: IncidentKey::new("pd", "PT4KHLK"),
        verb: Verb::Resolve,
        assignee_then: None,
        incident: None,
    })
    .unwrap();
    // Paused time jumps each 30 s wait; the loop ends when the op is settled.
    let mut states = Vec::new();
    while let Some(Event::Op { state, .. }) = events.recv().await {
        let settled = matches!(state, OpState::Confirmed | OpState::Failed(_));
        states.push(state);
        if settled {
            break;
        }
    }
    // Five 429s are more than the three attempts a failure gets: still done.
    assert_eq!(
        states,
        [OpState::Pending, OpState::Sent, OpState::Confirmed]
    );
    assert_eq!(*asked.lock().unwrap(), 6);
}
