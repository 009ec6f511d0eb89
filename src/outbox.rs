//! The outbox: journals each action, sends it to its source with retries, and reports
//! every change of its state back to the app loop.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

use crate::command::Op;
use crate::event::{Event, OpState};
use crate::in_flight::InFlight;
use crate::journal::{Journal, Outstanding, Record};
use crate::providers::ProviderError;
use crate::providers::poller::{SourceHandle, SourceRequest};

mod stages;

use stages::{OnItsWay, Stages};

const ATTEMPTS: u32 = 3;
/// How many times an action waits out a rate limit before it is reported failed.
const RATE_LIMIT_WAITS: u32 = 20;

/// Read-only mode is not a setting here: the source task refuses every write it is asked
/// for, this outbox's included, and the journal records the refusal.
pub struct OutboxSettings {
    pub me: String,
    pub first_retry: Duration,
}

mod resume;

/// What the queue is asked to do, in the order asked: a new action, one a journal left
/// unfinished, or a drop.
enum Work {
    Send(Op),
    Resume(Outstanding),
    /// Journal the op as dropped, unless it has gone out already.
    Drop(u64),
}

/// The running outbox: send it `Op`s; `close` it before the process ends.
pub struct Outbox {
    ops: mpsc::UnboundedSender<Work>,
    /// Ends once the queue is closed and every op in it journaled.
    queue: JoinHandle<()>,
    /// A token per action still being sent, dropped once its outcome is journaled.
    sending: InFlight,
}

impl Outbox {
    pub fn send(&self, op: Op) -> Result<(), Stopped> {
        self.ops.send(Work::Send(op)).map_err(|_| Stopped)
    }

    /// Carry on with an action an earlier run journaled and never saw finished (after a
    /// kill or a crash): no new `Pending`, its id kept. One that may have been sent is
    /// first checked at its source; one too old is journaled failed, not sent.
    pub fn resume(&self, outstanding: Outstanding) -> Result<(), Stopped> {
        self.ops
            .send(Work::Resume(outstanding))
            .map_err(|_| Stopped)
    }

    /// Send a failed action again: the same op id, a fresh pending record, then on as
    /// any action goes (the last record of an op is its state).
    pub fn retry(&self, op: Op) -> Result<(), Stopped> {
        self.send(op)
    }

    /// Give up on an action not yet handed to its source, or failed: journaled as
    /// dropped and never sent. One on its way is kept, and the refusal reported.
    pub fn drop_op(&self, id: u64) -> Result<(), Stopped> {
        self.ops.send(Work::Drop(id)).map_err(|_| Stopped)
    }

    /// Take no more ops; returns once every op already sent is in the journal as pending
    /// (never cut short: that is the record of what was asked), with the sends still under
    /// way, to wait for as long as one cares to.
    pub async fn close(self) -> InFlight {
        drop(self.ops);
        if let Err(error) = self.queue.await {
            tracing::error!("the outbox stopped: {error}");
        }
        self.sending
    }
}

/// The outbox task is gone (the runtime is shutting down): the op was not taken.
#[derive(Debug)]
pub struct Stopped;

/// Start the outbox.
pub fn spawn(
    journal: Result<Journal, String>,
    sources: Vec<SourceHandle>,
    settings: OutboxSettings,
    events: mpsc::UnboundedSender<Event>,
) -> Outbox {
    let (ops, mut inbox) = mpsc::unbounded_channel::<Work>();
    let stages = Stages::default();
    let journal = journal.map(|j| Arc::new(Mutex::new(j)));
    let sources: HashMap<String, SourceHandle> =
        sources.into_iter().map(|h| (h.name.clone(), h)).collect();
    let settings = Arc::new(settings);
    let sending = InFlight::new();
    let token = sending.token();
    let queue = tokio::spawn(async move {
        while let Some(work) = inbox.recv().await {
            let id = match &work {
                Work::Send(op) => op.id,
                Work::Resume(outstanding) => outstanding.op.id,
                Work::Drop(id) => {
                    drop_one(journal.as_ref(), &stages, *id, &events).await;
                    continue;
                }
            };
            let report = |state| {
                let _ = events.send(Event::Op { id, state });
            };
            let journal = match &journal {
                Ok(journal) => Arc::clone(journal),
                Err(reason) => {
                    report(OpState::Failed(format!("not sent: {reason}")));
                    continue;
                }
            };
            let op = match work {
                Work::Send(op) => op,
                Work::Resume(outstanding) => {
                    let (settings, events) = (Arc::clone(&settings), events.clone());
                    let source = sources.get(&outstanding.op.key.source).cloned();
                    let token = token.clone();
                    // Droppable until it goes out, as a new action is.
                    stages.waiting(id).await;
                    let stages = stages.clone();
                    tokio::spawn(async move {
                        let task = resume::Task {
                            journal,
                            source,
                            settings,
                            events,
                            stages: stages.clone(),
                        };
                        task.carry_on(outstanding).await;
                        stages.settled(id).await;
                        drop(token);
                    });
                    continue;
                }
                Work::Drop(_) => continue,
            };
            let pending = Record::Pending {
                at: Utc::now(),
                op: op.id,
                key: op.key.clone(),
                verb: op.verb.clone(),
                by: settings.me.clone(),
                assignee_then: op.assignee_then.clone(),
                incident: op.incident.clone(),
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
            stages.waiting(op.id).await;
            let (settings, events, token) = (Arc::clone(&settings), events.clone(), token.clone());
            let stages = stages.clone();
            tokio::spawn(async move {
                // Dropped while waiting its turn: the drop is journaled and reported.
                if !stages.hand_over(op.id).await {
                    return;
                }
                deliver(&journal, &source, &op, &settings, &events).await;
                stages.settled(op.id).await;
                drop(token);
            });
        }
    });
    Outbox {
        ops,
        queue,
        sending,
    }
}

/// Journal `Sent`, then send with retries and journal the outcome. A `Sent` that cannot
/// be written stops it: an action the journal cannot follow is not sent.
async fn deliver(
    journal: &Arc<Mutex<Journal>>,
    source: &SourceHandle,
    op: &Op,
    settings: &OutboxSettings,
    events: &mpsc::UnboundedSender<Event>,
) {
    let sent = Record::Sent {
        at: Utc::now(),
        op: op.id,
    };
    if let Err(reason) = append(journal, sent).await {
        finish(journal, op.id, Err(format!("not sent: {reason}")), events).await;
        return;
    }
    let _ = events.send(Event::Op {
        id: op.id,
        state: OpState::Sent,
    });
    let result = send_with_retries(source, op, settings.first_retry).await;
    finish(journal, op.id, result.map_err(|e| e.to_string()), events).await;
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
            op: op.id,
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
    finish_noted(journal, op, result.map(|()| None), events).await;
}

/// `finish`, a confirmation saying how it was confirmed when not by sending.
async fn finish_noted(
    journal: &Arc<Mutex<Journal>>,
    op: u64,
    result: Result<Option<String>, String>,
    events: &mpsc::UnboundedSender<Event>,
) {
    let at = Utc::now();
    let (record, state) = match result {
        Ok(note) => (Record::Confirmed { at, op, note }, OpState::Confirmed),
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

/// Journal the drop of `id` and report it, or report why it was kept.
async fn drop_one(
    journal: Result<&Arc<Mutex<Journal>>, &String>,
    stages: &Stages,
    id: u64,
    events: &mpsc::UnboundedSender<Event>,
) {
    let event = match journal {
        Err(reason) => Event::OpNotDropped {
            id,
            reason: reason.clone(),
        },
        Ok(journal) => {
            let record = Record::Dropped {
                at: Utc::now(),
                op: id,
            };
            match stages
                .drop_with(id, async || append(journal, record).await)
                .await
            {
                Ok(Ok(())) => Event::Op {
                    id,
                    state: OpState::Dropped,
                },
                Ok(Err(reason)) => Event::OpNotDropped { id, reason },
                Err(OnItsWay) => Event::OpNotDropped {
                    id,
                    reason: "it was sent and may be done already: wait for its answer".into(),
                },
            }
        }
    };
    let _ = events.send(event);
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
mod cockpit_tests;
#[cfg(test)]
mod resume_tests;
#[cfg(test)]
mod tests;
