//! One task per source: polls on an interval with backoff, carries out verbs, and reports
//! to the app loop as events. The source is owned here and never seen by the UI.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, oneshot};
use tokio::time::Instant;

use crate::event::Event;
use crate::incident::IncidentKey;
use crate::providers::{Applied, Asked, History, OnCall, ProviderError, Source, Verb};

/// What the rest of the app may ask of a source task.
pub enum SourceRequest {
    Refresh,
    Perform {
        key: IncidentKey,
        verb: Verb,
        /// The journal's op id, marked on the write where the source can carry it.
        op: u64,
        reply: oneshot::Sender<Result<(), ProviderError>>,
    },
    /// Whether an op sent before a restart is done at the source already (a read: asked
    /// in read-only mode too).
    AlreadyApplied {
        key: IncidentKey,
        verb: Verb,
        asked: Asked,
        reply: oneshot::Sender<Result<Applied, ProviderError>>,
    },
    /// One incident's notes and timeline.
    History {
        key: IncidentKey,
        reply: oneshot::Sender<Result<History, ProviderError>>,
    },
    /// Who is on call now.
    OnCall {
        reply: oneshot::Sender<Result<Vec<OnCall>, ProviderError>>,
    },
    /// Who an escalation of one incident would reach at level two.
    LevelTwo {
        key: IncidentKey,
        escalation: Verb,
        reply: oneshot::Sender<Result<Vec<OnCall>, ProviderError>>,
    },
}

/// The handle the app keeps for each running source.
#[derive(Clone)]
pub struct SourceHandle {
    pub name: String,
    pub kind: &'static str,
    pub requests: mpsc::Sender<SourceRequest>,
}

pub struct PollSettings {
    pub interval: Duration,
    pub timeout: Duration,
    pub max_backoff: Duration,
    /// Refuse every verb (`--read-only`, `read_only = true`).
    pub read_only: bool,
}

/// Start the task for one source. It stops when every handle is dropped.
pub fn spawn<S: Source>(
    name: String,
    source: Arc<S>,
    settings: PollSettings,
    events: mpsc::UnboundedSender<Event>,
) -> SourceHandle {
    let (requests, mut inbox) = mpsc::channel::<SourceRequest>(64);
    let handle = SourceHandle {
        name: name.clone(),
        kind: source.kind(),
        requests,
    };
    tokio::spawn(async move {
        let mut generation = 0u64;
        let mut failures = 0u32;
        let mut next_poll = Instant::now();
        loop {
            tokio::select! {
                () = tokio::time::sleep_until(next_poll) => {}
                request = inbox.recv() => match request {
                    None => return,
                    Some(SourceRequest::Refresh) => {}
                    // Reads go through this task too, so one source is asked one thing
                    // at a time (PagerDuty asks for it: serial requests per token).
                    Some(SourceRequest::History { key, reply }) => {
                        let _ = reply.send(with_timeout(settings.timeout, source.history(&key)).await);
                        continue;
                    }
                    Some(SourceRequest::OnCall { reply }) => {
                        let _ = reply.send(with_timeout(settings.timeout, source.oncall()).await);
                        continue;
                    }
                    Some(SourceRequest::LevelTwo { key, escalation, reply }) => {
                        let asked = source.level_two_oncall(&key, &escalation);
                        let _ = reply.send(with_timeout(settings.timeout, asked).await);
                        continue;
                    }
                    // This task is the only caller of `Source::perform`, so refusing here
                    // holds for every write whatever asked for it: the cockpit, a headless
                    // verb, the outbox, a page to level two.
                    Some(SourceRequest::Perform { reply, .. }) if settings.read_only => {
                        let _ = reply.send(Err(ProviderError::ReadOnly));
                        continue;
                    }
                    Some(SourceRequest::AlreadyApplied { key, verb, asked, reply }) => {
                        let asked = source.already_applied(&key, &verb, asked);
                        let _ = reply.send(with_timeout(settings.timeout, asked).await);
                        continue;
                    }
                    Some(SourceRequest::Perform { key, verb, op, reply }) => {
                        let done = source.perform_once(&key, &verb, op);
                        let result = with_timeout(settings.timeout, done).await;
                        let changed = result.is_ok();
                        let _ = reply.send(result);
                        if !changed {
                            continue;
                        }
                        // Let the change flow back through the normal poll path at once.
                    }
                },
            }
            generation += 1;
            let result = with_timeout(settings.timeout, source.incidents())
                .await
                .map_err(|error| said_with_limit(error, settings.timeout));
            failures = if result.is_ok() {
                0
            } else {
                failures.saturating_add(1)
            };
            // A rate limit says how long to wait; the backoff is the floor.
            let asked = match &result {
                Err(ProviderError::RateLimited {
                    retry_after_secs: Some(secs),
                }) => Duration::from_secs(*secs),
                _ => Duration::ZERO,
            };
            next_poll = Instant::now() + backoff(&settings, failures).max(asked);
            let degraded = result.as_ref().ok().and_then(|_| source.degraded());
            let event = Event::Incidents {
                source: name.clone(),
                generation,
                result,
                degraded,
            };
            if events.send(event).is_err() {
                return;
            }
        }
    });
    handle
}

async fn with_timeout<T>(
    limit: Duration,
    work: impl Future<Output = Result<T, ProviderError>>,
) -> Result<T, ProviderError> {
    tokio::time::timeout(limit, work)
        .await
        .unwrap_or(Err(ProviderError::Timeout))
}

/// A poll's timeout says how long it waited, and which setting sets it: "timed out"
/// alone leaves a person guessing whether the server or pagerdeck gave up.
fn said_with_limit(error: ProviderError, limit: Duration) -> ProviderError {
    match error {
        ProviderError::Timeout => ProviderError::Http(format!(
            "no answer within {} (the source's timeout)",
            humantime::format_duration(limit)
        )),
        other => other,
    }
}

/// The interval when healthy; doubling per consecutive failure, up to `max_backoff`.
fn backoff(settings: &PollSettings, failures: u32) -> Duration {
    let factor = 2u32.saturating_pow(failures.min(16));
    settings
        .interval
        .saturating_mul(factor)
        .min(settings.max_backoff.max(settings.interval))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_caps() {
        let settings = PollSettings {
            interval: Duration::from_secs(5),
            timeout: Duration::from_secs(15),
            max_backoff: Duration::from_secs(60),
            read_only: false,
        };
        assert_eq!(backoff(&settings, 0), Duration::from_secs(5));
        assert_eq!(backoff(&settings, 1), Duration::from_secs(10));
        assert_eq!(backoff(&settings, 3), Duration::from_secs(40));
        assert_eq!(backoff(&settings, 30), Duration::from_secs(60));
    }

    /// Answers "slow down" to every poll, counting them.
    struct Throttled(std::sync::atomic::AtomicU32);

    impl Source for Throttled {
        fn kind(&self) -> &'static str {
            "pagerduty"
        }
        fn capabilities(&self) -> crate::providers::Capabilities {
            crate::providers::Capabilities::all()
        }
        async fn incidents(&self) -> Result<Vec<crate::incident::Incident>, ProviderError> {
            self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            Err(ProviderError::RateLimited {
                retry_after_secs: Some(60),
            })
        }
        async fn perform(&self, _: &IncidentKey, _: &Verb) -> Result<(), ProviderError> {
            Ok(())
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_rate_limited_source_waits_as_long_as_it_is_asked_and_says_so() {
        let source = Arc::new(Throttled(Default::default()));
        let (tx, mut events) = tokio::sync::mpsc::unbounded_channel();
        let settings = PollSettings {
            interval: Duration::from_secs(1),
            timeout: Duration::from_secs(5),
            max_backoff: Duration::from_secs(10),
            read_only: false,
        };
        let _handle = spawn("pd".into(), Arc::clone(&source), settings, tx);
        let Some(Event::Incidents { result, .. }) = events.recv().await else {
            panic!("no poll reported");
        };
        assert_eq!(
            result.unwrap_err().to_string(),
            "rate limited: retrying in 60s"
        );
        // The backoff alone would ask again within 10 s; the server asked for 60.
        tokio::time::sleep(Duration::from_secs(59)).await;
        assert_eq!(source.0.load(std::sync::atomic::Ordering::SeqCst), 1);
        tokio::time::sleep(Duration::from_secs(2)).await;
        assert_eq!(source.0.load(std::sync::atomic::Ordering::SeqCst), 2);
    }

    /// Counts the verbs it is asked to carry out.
    struct Counting(std::sync::atomic::AtomicU32);

    impl Source for Counting {
        fn kind(&self) -> &'static str {
            "pagerduty"
        }
        fn capabilities(&self) -> crate::providers::Capabilities {
            crate::providers::Capabilities::all()
        }
        async fn incidents(&self) -> Result<Vec<crate::incident::Incident>, ProviderError> {
            Ok(Vec::new())
        }
        async fn perform(&self, _: &IncidentKey, _: &Verb) -> Result<(), ProviderError> {
            self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            Ok(())
        }
    }

    async fn perform_on(read_only: bool) -> (Result<(), ProviderError>, u32) {
        let source = Arc::new(Counting(Default::default()));
        let (tx, _events) = tokio::sync::mpsc::unbounded_channel();
        let settings = PollSettings {
            interval: Duration::from_secs(3600),
            timeout: Duration::from_secs(5),
            max_backoff: Duration::from_secs(3600),
            read_only,
        };
        let handle = spawn("pd".into(), Arc::clone(&source), settings, tx);
        let (reply, answer) = oneshot::channel();
        let request = SourceRequest::Perform {
            key: IncidentKey::new("pd", "Q1"),
            verb: Verb::Resolve,
            op: 1,
            reply,
        };
        handle.requests.send(request).await.unwrap();
        let result = answer.await.unwrap();
        (result, source.0.load(std::sync::atomic::Ordering::SeqCst))
    }

    #[tokio::test]
    async fn read_only_refuses_every_verb_before_it_reaches_the_source() {
        let (result, performed) = perform_on(true).await;
        assert_eq!(result, Err(ProviderError::ReadOnly));
        assert_eq!(
            ProviderError::ReadOnly.to_string(),
            "read-only mode: nothing was sent"
        );
        assert_eq!(performed, 0);
        assert_eq!(perform_on(false).await, (Ok(()), 1), "the rig does send");
    }
}
