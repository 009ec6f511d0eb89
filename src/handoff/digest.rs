//! The actions journal read for the hand-off: each op as it ended (the last record of an
//! op is its state), and the not-actionable marks.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::event::OpState;
use crate::incident::IncidentKey;
use crate::journal::{IncidentFacts, Record};
use crate::providers::Verb;

/// One action the user took, as far as the journal knows.
#[derive(Debug, Clone, PartialEq)]
pub struct OpSummary {
    pub id: u64,
    pub key: IncidentKey,
    pub verb: Verb,
    pub by: String,
    /// When it was last asked for (a retry asks again).
    pub asked_at: DateTime<Utc>,
    /// When its last record was written.
    pub last_at: DateTime<Utc>,
    pub state: OpState,
    pub assignee_then: Option<String>,
    pub incident: Option<IncidentFacts>,
}

/// One incident marked not actionable.
#[derive(Debug, Clone, PartialEq)]
pub struct MarkSummary {
    pub at: DateTime<Utc>,
    pub key: IncidentKey,
    pub reason: String,
    pub by: String,
    pub incident: Option<IncidentFacts>,
}

/// Every op in the order first asked for, each in its last state; `Dropped` is final.
pub fn ops(records: &[Record]) -> Vec<OpSummary> {
    let mut order: Vec<u64> = Vec::new();
    let mut ops: HashMap<u64, OpSummary> = HashMap::new();
    for record in records {
        match record {
            Record::Pending {
                at,
                op,
                key,
                verb,
                by,
                assignee_then,
                incident,
            } => {
                if ops.get(op).is_some_and(|o| o.state == OpState::Dropped) {
                    continue;
                }
                if !ops.contains_key(op) {
                    order.push(*op);
                }
                ops.insert(
                    *op,
                    OpSummary {
                        id: *op,
                        key: key.clone(),
                        verb: verb.clone(),
                        by: by.clone(),
                        asked_at: *at,
                        last_at: *at,
                        state: OpState::Pending,
                        assignee_then: assignee_then.clone(),
                        incident: incident.clone(),
                    },
                );
            }
            Record::Sent { at, op } => set(&mut ops, *op, *at, OpState::Sent),
            Record::Confirmed { at, op, .. } => set(&mut ops, *op, *at, OpState::Confirmed),
            Record::Failed { at, op, reason } => {
                set(&mut ops, *op, *at, OpState::Failed(reason.clone()))
            }
            Record::Dropped { at, op } => set(&mut ops, *op, *at, OpState::Dropped),
            Record::NotActionable { .. } => {}
        }
    }
    order.into_iter().filter_map(|id| ops.remove(&id)).collect()
}

fn set(ops: &mut HashMap<u64, OpSummary>, id: u64, at: DateTime<Utc>, state: OpState) {
    if let Some(op) = ops.get_mut(&id)
        && op.state != OpState::Dropped
    {
        op.state = state;
        op.last_at = at;
    }
}

/// The marks, in journal order.
pub fn marks(records: &[Record]) -> Vec<MarkSummary> {
    records
        .iter()
        .filter_map(|record| match record {
            Record::NotActionable {
                at,
                key,
                reason,
                by,
                incident,
            } => Some(MarkSummary {
                at: *at,
                key: key.clone(),
                reason: reason.clone(),
                by: by.clone(),
                incident: incident.clone(),
            }),
            _ => None,
        })
        .collect()
}

/// A snooze the source confirmed, still running at `now`: its op and until when.
pub fn running_snoozes(ops: &[OpSummary], now: DateTime<Utc>) -> Vec<(&OpSummary, DateTime<Utc>)> {
    let mut running: Vec<_> = ops
        .iter()
        .filter(|op| op.state == OpState::Confirmed)
        .filter_map(|op| match op.verb {
            Verb::Snooze { seconds } => {
                let seconds = i64::try_from(seconds).unwrap_or(i64::MAX);
                let until = op.last_at + chrono::TimeDelta::try_seconds(seconds)?;
                Some((op, until))
            }
            _ => None,
        })
        .filter(|(_, until)| *until > now)
        .collect();
    running.sort_by_key(|(_, until)| *until);
    running
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minute: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + minute * 60, 0).unwrap()
    }

    fn pending(op: u64, minute: i64, verb: Verb) -> Record {
        Record::Pending {
            at: at(minute),
            op,
            key: IncidentKey::new("demo", "INC-1"),
            verb,
            by: "Ana Ops".into(),
            assignee_then: None,
            incident: None,
        }
    }

    #[test]
    fn each_op_ends_in_its_last_record_and_a_drop_is_final() {
        let records = [
            pending(1, 0, Verb::acknowledge()),
            Record::Failed {
                at: at(1),
                op: 1,
                reason: "500".into(),
            },
            pending(1, 5, Verb::acknowledge()),
            Record::Confirmed {
                at: at(6),
                op: 1,
                note: None,
            },
            pending(2, 0, Verb::Resolve),
            Record::Dropped { at: at(2), op: 2 },
            pending(2, 3, Verb::Resolve),
        ];
        let found = ops(&records);
        assert_eq!(found.len(), 2);
        assert_eq!(
            (found[0].state.clone(), found[0].asked_at, found[0].last_at),
            (OpState::Confirmed, at(5), at(6))
        );
        assert_eq!(found[1].state, OpState::Dropped);
    }

    #[test]
    fn a_snooze_runs_from_its_confirmation_until_its_time_is_up() {
        let records = [
            pending(1, 0, Verb::Snooze { seconds: 3600 }),
            Record::Confirmed {
                at: at(1),
                op: 1,
                note: None,
            },
            pending(2, 0, Verb::Snooze { seconds: 600 }),
            Record::Failed {
                at: at(1),
                op: 2,
                reason: "no".into(),
            },
        ];
        let found = ops(&records);
        let running = running_snoozes(&found, at(30));
        assert_eq!(running.len(), 1, "the failed one never ran");
        assert_eq!(running[0].1, at(61));
        assert!(
            running_snoozes(&found, at(61)).is_empty(),
            "over at its end"
        );
    }
}
