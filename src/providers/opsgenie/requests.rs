//! Following an asynchronous write: Opsgenie answers every write with 202 and a request
//! id, which only means "queued". Whether it was done is asked at
//! `GET /v2/alerts/requests/{id}` until Opsgenie knows; until then the action stays pending.

use std::time::Duration;

use super::wire::{RequestStatus, RequestStatusAnswer};
use crate::providers::ProviderError;
use crate::providers::http::Api;
use crate::providers::http::segment;

/// How often and how many times to ask.
#[derive(Debug, Clone, Copy)]
pub struct Patience {
    pub every: Duration,
    pub attempts: u32,
}

/// Ask until the request with `request_id` succeeded (`Ok`) or failed (`Refused`, in
/// Opsgenie's words). `what` says what was asked ("close og:a1").
///
/// Once the write was accepted, nothing here is worth sending it again for (a second note,
/// a second escalation): a rate limit, a 5xx or a timeout while asking only means ask
/// again, and running out of patience is a refusal, not a transient error.
pub async fn confirm(
    api: &Api,
    request_id: &str,
    what: &str,
    patience: Patience,
) -> Result<(), ProviderError> {
    let mut last_trouble: Option<ProviderError> = None;
    for _ in 0..patience.attempts.max(1) {
        // Opsgenie has hardly ever processed a request the moment it queued it.
        tokio::time::sleep(patience.every).await;
        match status(api, request_id).await {
            Ok(Some(RequestStatus {
                is_success: Some(true),
                ..
            })) => return Ok(()),
            Ok(Some(RequestStatus {
                is_success: Some(false),
                status,
            })) => {
                let why = status.filter(|s| !s.trim().is_empty());
                // Opsgenie's own words may quote the request, key included.
                return Err(api.scrub(ProviderError::Refused(format!(
                    "Opsgenie did not {what}: {}",
                    why.as_deref().unwrap_or("it gave no reason")
                ))));
            }
            // Not processed yet.
            Ok(_) | Err(ProviderError::Status { code: 404, .. }) => last_trouble = None,
            // The token stopped working: asking again will not help.
            Err(error @ ProviderError::Auth(_)) => return Err(error),
            Err(error) => last_trouble = Some(error),
        }
    }
    let waited = patience.every.as_secs_f64() * f64::from(patience.attempts.max(1));
    let trouble = last_trouble
        .map(|e| format!(" (last answer: {e})"))
        .unwrap_or_default();
    Err(ProviderError::Refused(format!(
        "Opsgenie has not confirmed that it will {what} after {waited:.1}s; it may still happen{trouble}"
    )))
}

/// The request's status; `None` while Opsgenie has none to give.
async fn status(api: &Api, request_id: &str) -> Result<Option<RequestStatus>, ProviderError> {
    let path = format!("/v2/alerts/requests/{}", segment(request_id));
    let answer: RequestStatusAnswer = api.json(api.client().get(api.url(&path)), &path).await?;
    Ok(answer.data)
}
