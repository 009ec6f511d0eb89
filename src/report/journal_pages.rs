//! What the journal tells the report: the pages pagerdeck acted on (with the facts each
//! action recorded), when they were acknowledged, resolved and escalated from here, the
//! "not actionable" marks, and the actions that failed.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::incident::IncidentKey;
use crate::journal::{IncidentFacts, Record};
use crate::providers::{PastPage, Verb};

/// A `!` mark in the span.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mark {
    pub at: DateTime<Utc>,
    pub key: IncidentKey,
    pub reason: String,
    pub by: String,
    #[serde(skip)]
    pub facts: Option<IncidentFacts>,
}

/// An action asked for in the span whose last record says it failed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FailedAction {
    pub at: DateTime<Utc>,
    pub key: IncidentKey,
    pub action: String,
    pub reason: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct JournalTells {
    pub pages: Vec<PastPage>,
    pub marks: Vec<Mark>,
    pub failed: Vec<FailedAction>,
    /// Actions asked for in the span.
    pub actions: usize,
    /// Of those, written before actions kept the incident's facts: their pages cannot
    /// be placed, so they are not counted.
    pub without_facts: usize,
}

/// One op, its request and its last state.
struct Op<'a> {
    at: DateTime<Utc>,
    key: &'a IncidentKey,
    verb: &'a Verb,
    facts: Option<&'a IncidentFacts>,
    last: &'a Record,
}

/// Read `records` for the span `since..=until`: a page counts when it fired in the span;
/// an action, a mark or a failure when it was asked for in it.
pub fn tell(records: &[Record], since: DateTime<Utc>, until: DateTime<Utc>) -> JournalTells {
    let in_span = |at: DateTime<Utc>| since <= at && at <= until;
    let mut ops: BTreeMap<u64, Op> = BTreeMap::new();
    let mut tells = JournalTells::default();
    for record in records {
        match record {
            Record::Pending {
                at,
                op,
                key,
                verb,
                incident,
                ..
            } => {
                ops.insert(
                    *op,
                    Op {
                        at: *at,
                        key,
                        verb,
                        facts: incident.as_ref(),
                        last: record,
                    },
                );
            }
            Record::Sent { op, .. }
            | Record::Confirmed { op, .. }
            | Record::Failed { op, .. }
            | Record::Dropped { op, .. } => {
                if let Some(pending) = ops.get_mut(op) {
                    pending.last = record;
                }
            }
            Record::NotActionable {
                at,
                key,
                reason,
                by,
                incident,
            } if in_span(*at) => {
                if let Some(facts) = incident.as_ref().filter(|f| in_span(f.opened_at)) {
                    page_of(&mut tells.pages, key, facts);
                }
                tells.marks.push(Mark {
                    at: *at,
                    key: key.clone(),
                    reason: reason.clone(),
                    by: by.clone(),
                    facts: incident.clone(),
                });
            }
            Record::NotActionable { .. } => {}
        }
    }
    for op in ops.values().filter(|op| in_span(op.at)) {
        tells.actions += 1;
        if let Record::Failed { reason, .. } = op.last {
            tells.failed.push(FailedAction {
                at: op.at,
                key: op.key.clone(),
                action: op.verb.describe(),
                reason: reason.clone(),
            });
        }
        let Some(facts) = op.facts else {
            tells.without_facts += 1;
            continue;
        };
        if !in_span(facts.opened_at) {
            continue;
        }
        let page = page_of(&mut tells.pages, op.key, facts);
        if !matches!(op.last, Record::Confirmed { .. }) {
            continue;
        }
        // When the person asked: the human part of the response, not the network's.
        let earliest = |known: Option<DateTime<Utc>>| Some(known.map_or(op.at, |k| k.min(op.at)));
        match op.verb {
            Verb::Acknowledge { .. } => page.acknowledged_at = earliest(page.acknowledged_at),
            Verb::Resolve => page.resolved_at = earliest(page.resolved_at),
            Verb::Escalate { .. } => page.escalated = true,
            _ => {}
        }
    }
    tells
}

/// The page `key` fired as at `facts.opened_at`, made on first sight.
fn page_of<'a>(
    pages: &'a mut Vec<PastPage>,
    key: &IncidentKey,
    facts: &IncidentFacts,
) -> &'a mut PastPage {
    let at = pages
        .iter()
        .position(|p| super::merge::same_page(p, key, facts.opened_at));
    let at = at.unwrap_or_else(|| {
        pages.push(PastPage {
            key: key.clone(),
            facts: facts.clone(),
            acknowledged_at: None,
            resolved_at: None,
            escalated: false,
        });
        pages.len() - 1
    });
    &mut pages[at]
}
