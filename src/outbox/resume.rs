//! Carrying on with an action a killed run left unfinished: exactly once. One that never
//! went out is sent; one that may have gone out is first looked for at its source, and
//! sent again only when the source says it is not done.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use tokio::sync::{mpsc, oneshot};

use super::{OutboxSettings, Stages, deliver, finish, finish_noted, is_transient};
use crate::event::Event;
use crate::journal::{Journal, Outstanding};
use crate::providers::poller::{SourceHandle, SourceRequest};
use crate::providers::{Applied, Asked, ProviderError};

/// Said in the journal's `Confirmed` when the check found the action done.
pub const ALREADY_DONE: &str = "already done at the source (found so on resuming)";
/// The longest wait between two checks of a source that does not answer.
const MAX_CHECK_WAIT: Duration = Duration::from_secs(60);

pub(super) struct Task {
    pub journal: Arc<Mutex<Journal>>,
    pub source: Option<SourceHandle>,
    pub settings: Arc<OutboxSettings>,
    pub events: mpsc::UnboundedSender<Event>,
    pub stages: Stages,
}

impl Task {
    pub async fn carry_on(self, outstanding: Outstanding) {
        let (journal, events, id) = (&self.journal, &self.events, outstanding.op.id);
        let now = Utc::now();
        if outstanding.too_old(now) {
            finish(journal, id, Err(outstanding.too_old_reason(now)), events).await;
            return;
        }
        let Some(source) = &self.source else {
            let reason = format!(
                "not sent again: no source named {} is configured now",
                outstanding.op.key.source
            );
            finish(journal, id, Err(reason), events).await;
            return;
        };
        if outstanding.maybe_applied {
            match self.ask_until_answered(source, &outstanding).await {
                Ok(Applied::No) => {}
                Ok(Applied::Yes) => {
                    finish_noted(journal, id, Ok(Some(ALREADY_DONE.into())), events).await;
                    return;
                }
                Ok(Applied::Unknown(reason)) => {
                    finish(journal, id, Err(reason), events).await;
                    return;
                }
                Err(error) => {
                    let reason =
                        format!("not sent again: could not learn whether it was done: {error}");
                    finish(journal, id, Err(reason), events).await;
                    return;
                }
            }
        }
        // Dropped from the actions list while it was being checked: not sent.
        if !self.stages.hand_over(id).await {
            return;
        }
        deliver(journal, source, &outstanding.op, &self.settings, events).await;
    }

    /// Ask the source whether the op is done, waiting out a source that is down (with
    /// the outbox's backoff) rather than sending blind; gives up only on an answer that
    /// asking again cannot change (a refused token, an incident that is gone).
    async fn ask_until_answered(
        &self,
        source: &SourceHandle,
        outstanding: &Outstanding,
    ) -> Result<Applied, ProviderError> {
        let mut delay = self.settings.first_retry;
        loop {
            let (reply, answer) = oneshot::channel();
            let request = SourceRequest::AlreadyApplied {
                key: outstanding.op.key.clone(),
                verb: outstanding.op.verb.clone(),
                asked: Asked {
                    op: outstanding.op.id,
                    at: outstanding.at,
                },
                reply,
            };
            let stopped = || Err(ProviderError::Http("source task stopped".into()));
            let result = match source.requests.send(request).await {
                Ok(()) => match answer.await {
                    Ok(result) => result,
                    Err(_) => return stopped(),
                },
                Err(_) => return stopped(),
            };
            match result {
                Err(ProviderError::RateLimited {
                    retry_after_secs: Some(secs),
                }) => tokio::time::sleep(Duration::from_secs(secs).max(delay)).await,
                Err(error) if is_transient(&error) => {
                    tracing::warn!(
                        op = outstanding.op.id,
                        "cannot check a resumed action yet: {error}"
                    );
                    tokio::time::sleep(delay).await;
                    delay = (delay * 2).min(MAX_CHECK_WAIT);
                }
                other => return other,
            }
        }
    }
}
