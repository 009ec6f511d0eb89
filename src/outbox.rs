//! The outbox: journals each action, sends it to its source with retries, and reports
//! every change of its state back to the app loop.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use tokio::sync::{mpsc, oneshot};

use crate::command::Op;
use crate::event::{Event, OpState};
use crate::journal::{Journal, Record};
use crate::providers::ProviderError;
use crate::providers::poller::{SourceHandle, SourceRequest};

const ATTEMPTS: u32 = 3;
/// How many times an action waits out a rate limit before it is reported failed.
const RATE_LIMIT_WAITS: u32 = 20;

/// Read-only mode is not a setting here: the source task refuses every write it is asked
/// for, this outbox's included, and the journal records the refusal.
pub struct OutboxSettings {
    pub me: String,
    pub first_retry: Duration,
}

/// Start the outbox; send it `Op`s.
pub fn spawn(
    journal: Result<Journal, String>,
    sources: Vec<SourceHandle>,
    settings: OutboxSettings,
    events: mpsc::UnboundedSender<Event>,
) -> mpsc::UnboundedSender<Op> {
    let (ops, mut inbox) = mpsc::unbounded_channel::<Op>();
    let journal = journal.map(|j| Arc::new(Mutex::new(j)));
    let sources: HashMap<String, SourceHandle> =
        sources.into_iter().map(|h| (h.name.clone(), h)).collect();
    let settings = Arc::new(settings);
    tokio::spawn(async move {
        while let Some(op) = inbox.recv().await {
            let report = |state| {
                let _ = events.send(Event::Op { id: op.id, state });
            };
            let journal = match &journal {
                Ok(journal) => Arc::clone(journal),
                Err(reason) => {
                    report(OpState::Failed(format!("not sent: {reason}")));
                    continue;
                }
            };
            let pending = Record::Pending {
                at: Utc::now(),
                op: op.id,
                key: op.key.clone(),
                verb: op.verb.clone(),
                by: settings.me.clone(),
                assignee_then: op.assignee_then.clone(),
            };
            if let Err(reason) = append(&journal, pending).await {
                report(OpState::Failed(format!("not sent: {reason}")));
                continue;
            }
            report(OpState::Pending);
            let Some(source) = sources.get(&op.key.source).cloned() else {
                let reason = format!("no source named {}", op.key.source);
                finish(&journal, op.id, Err(reason), &events).await;
                continue;
            };
            let (settings, events) = (Arc::clone(&settings), events.clone());
            tokio::spawn(async move {
                let result = send_with_retries(&source, &op, settings.first_retry).await;
                finish(&journal, op.id, result.map_err(|e| e.to_string()), &events).await;
            });
        }
    });
    ops
}

async fn send_with_retries(
    source: &SourceHandle,
    op: &Op,
    first_retry: Duration,
) -> Result<(), ProviderError> {
    let mut delay = first_retry;
    let mut attempt = 1;
    let mut waits = 0;
    loop {
        let (reply, answer) = oneshot::channel();
        let request = SourceRequest::Perform {
            key: op.key.clone(),
            verb: op.verb.clone(),
            reply,
        };
        let result = match source.requests.send(request).await {
            Ok(()) => answer
                .await
                .unwrap_or_else(|_| Err(ProviderError::Http("source task stopped".into()))),
            Err(_) => Err(ProviderError::Http("source task stopped".into())),
        };
        match result {
            // A rate limit is not a failure of the action: wait as asked and send again,
            // without spending an attempt (up to a bound, so nothing waits for ever).
            Err(ProviderError::RateLimited { retry_after_secs }) if waits < RATE_LIMIT_WAITS => {
                let asked = retry_after_secs.map_or(delay, Duration::from_secs);
                tokio::time::sleep(asked.max(first_retry)).await;
                waits += 1;
            }
            Err(error) if attempt < ATTEMPTS && is_transient(&error) => {
                tokio::time::sleep(delay).await;
                delay *= 2;
                attempt += 1;
            }
            other => return other,
        }
    }
}

fn is_transient(error: &ProviderError) -> bool {
    match error {
        ProviderError::Http(_) | ProviderError::Timeout | ProviderError::RateLimited { .. } => true,
        ProviderError::Status { code, .. } => *code >= 500,
        _ => false,
    }
}

async fn finish(
    journal: &Arc<Mutex<Journal>>,
    op: u64,
    result: Result<(), String>,
    events: &mpsc::UnboundedSender<Event>,
) {
    let at = Utc::now();
    let (record, state) = match result {
        Ok(()) => (Record::Confirmed { at, op }, OpState::Confirmed),
        Err(reason) => (
            Record::Failed {
                at,
                op,
                reason: reason.clone(),
            },
            OpState::Failed(reason),
        ),
    };
    // The source already acted; a journal failure now is worth a warning, not a lie.
    let state = match (append(journal, record).await, state) {
        (Err(reason), OpState::Confirmed) => {
            OpState::Failed(format!("done at the source, but not journaled: {reason}"))
        }
        (_, state) => state,
    };
    let _ = events.send(Event::Op { id: op, state });
}

/// Journal writes fsync, so they run off the async workers.
async fn append(journal: &Arc<Mutex<Journal>>, record: Record) -> Result<(), String> {
    let journal = Arc::clone(journal);
    tokio::task::spawn_blocking(move || {
        let mut journal = journal.lock().unwrap_or_else(|e| e.into_inner());
        journal
            .append(&record)
            .map_err(|e| format!("cannot write journal {}: {e}", journal.path().display()))
    })
    .await
    .unwrap_or_else(|e| Err(format!("journal writer stopped: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incident::{IncidentKey, Status};
    use crate::providers::Source;
    use crate::providers::Verb;
    use crate::providers::demo::{DemoSource, DemoWorld};
    use crate::providers::poller::{self, PollSettings};

    struct Rig {
        demo: Arc<DemoSource>,
        ops: mpsc::UnboundedSender<Op>,
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
                let done = state != OpState::Pending;
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
            vec![OpState::Pending, OpState::Confirmed]
        );
        assert_eq!(status_of_1042(&rig.demo).await, Status::Acknowledged);
        let records = crate::journal::read::<Record>(&path).unwrap();
        assert!(
            matches!(&records[..], [Record::Pending { op: 1, by, .. }, Record::Confirmed { op: 1, .. }] if by == "Ana Ops")
        );
    }

    #[tokio::test]
    async fn read_only_sends_nothing_even_when_asked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.jsonl");
        let mut rig = rig(Ok(Journal::open(&path).unwrap()), true);
        rig.ops.send(ack(2)).unwrap();
        let states = op_states(&mut rig.events, 2).await;
        let refused = OpState::Failed("read-only mode: nothing was sent".into());
        assert_eq!(states, [OpState::Pending, refused]);
        assert_eq!(status_of_1042(&rig.demo).await, Status::Triggered);
        // The attempt and its refusal are on record: nobody wonders later whether it went.
        let records = crate::journal::read::<Record>(&path).unwrap();
        assert!(
            matches!(&records[..], [Record::Pending { op: 2, .. }, Record::Failed { op: 2, reason, .. }] if reason.starts_with("read-only")),
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
        };
        rig.ops.send(op).unwrap();
        let states = op_states(&mut rig.events, 5).await;
        assert!(
            matches!(&states[..], [OpState::Pending, OpState::Failed(reason)] if reason.contains("no incident demo:NOPE"))
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
        })
        .unwrap();
        // Paused time jumps each 30 s wait; the loop ends when the op is settled.
        let mut states = Vec::new();
        while let Some(Event::Op { state, .. }) = events.recv().await {
            let settled = state != OpState::Pending;
            states.push(state);
            if settled {
                break;
            }
        }
        // Five 429s are more than the three attempts a failure gets: still done.
        assert_eq!(states, [OpState::Pending, OpState::Confirmed]);
        assert_eq!(*asked.lock().unwrap(), 6);
    }
}
