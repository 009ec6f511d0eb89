//! What a source can tell of its past, for the hygiene report: the pages it sent in a
//! span, with when each was acknowledged and resolved, and the silences made then.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::ProviderError;
use crate::incident::IncidentKey;
use crate::journal::IncidentFacts;

/// One page (an incident that fired) as a source remembers it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PastPage {
    pub key: IncidentKey,
    pub facts: IncidentFacts,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub escalated: bool,
}

/// One silence made in the span (Alertmanager), by its matchers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PastSilence {
    pub alert: Option<String>,
    pub service: Option<String>,
    pub created_by: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// Made by pagerdeck (an ack or snooze journaled as an op), not by a person.
    pub by_pagerdeck: bool,
}

/// A source's answer about a span.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PageHistory {
    pub pages: Vec<PastPage>,
    pub silences: Vec<PastSilence>,
    /// What the source could not know, said in the report rather than guessed.
    pub unknown: Vec<String>,
}

/// The default answer: the source keeps no history pagerdeck can read.
pub fn cannot_tell(kind: &str) -> std::future::Ready<Result<PageHistory, ProviderError>> {
    std::future::ready(Err(ProviderError::Unsupported(format!(
        "{kind} cannot tell its history: its pages are not counted"
    ))))
}
