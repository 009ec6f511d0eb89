//! One page of `GET /v2/alerts` from its bytes to incidents, without a server: what the
//! fuzz target and the hostile-input tests feed, through the same wire types and mapping
//! as a poll. (A poll decodes in `http::Api::json`.)

use chrono::{DateTime, Utc};

use super::map;
use super::wire::{Alert, Page};
use crate::incident::Incident;

pub fn incidents_from_json(
    source: &str,
    bytes: &[u8],
    now: DateTime<Utc>,
) -> Result<Vec<Incident>, String> {
    let page: Page<Alert> = crate::sanitize::json::decode(bytes).map_err(|e| e.to_string())?;
    Ok(page
        .data
        .into_iter()
        .map(|alert| map::incident(source, alert, now))
        .collect())
}
