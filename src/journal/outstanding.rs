//! The actions a journal leaves unfinished: asked for, never confirmed, failed or dropped.
//! What a restart (after a kill, a crash, a power cut) must carry on with.

use std::collections::HashMap;

use chrono::{DateTime, TimeDelta, Utc};

use super::Record;
use crate::command::Op;
use crate::event::OpState;

/// How old an unfinished action may be and still be sent again: past this, what it was
/// meant to change has most likely been changed by other hands, and sending it now would
/// surprise more than help.
pub const RESUME_WITHIN: TimeDelta = TimeDelta::hours(24);

/// One action whose last record is `Pending` or `Sent`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outstanding {
    /// As asked, with its original id: its next records continue the same op.
    pub op: Op,
    /// When it was last asked for (a retry asks again).
    pub at: DateTime<Utc>,
    /// `Pending` or `Sent`: its last record.
    pub state: OpState,
    /// Some attempt of it was journaled `Sent`: the source may have acted already, so it
    /// is asked before the action is sent again.
    pub maybe_applied: bool,
}

impl Outstanding {
    pub fn too_old(&self, now: DateTime<Utc>) -> bool {
        now - self.at > RESUME_WITHIN
    }

    /// Why it is not sent again, once `too_old`.
    pub fn too_old_reason(&self, now: DateTime<Utc>) -> String {
        let hours = (now - self.at).num_hours();
        format!(
            "not sent again: asked {hours}h ago and never confirmed, too old to resend; check the source"
        )
    }
}

/// The unfinished actions, in the order they were first asked for. The state of an op is
/// its last record: a retry's fresh `Pending` makes a failed op outstanding again, and
/// `Dropped` is final.
pub fn outstanding(records: &[Record]) -> Vec<Outstanding> {
    let mut order: Vec<u64> = Vec::new();
    let mut ops: HashMap<u64, Outstanding> = HashMap::new();
    let mut open: HashMap<u64, bool> = HashMap::new();
    let mut dropped: Vec<u64> = Vec::new();
    for record in records {
        match record {
            Record::Pending {
                at,
                op,
                key,
                verb,
                assignee_then,
                incident,
                ..
            } if !dropped.contains(op) => {
                let maybe_applied = ops.get(op).is_some_and(|o| o.maybe_applied);
                if !ops.contains_key(op) {
                    order.push(*op);
                }
                let asked = Op {
                    id: *op,
                    key: key.clone(),
                    verb: verb.clone(),
                    assignee_then: assignee_then.clone(),
                    incident: incident.clone(),
                };
                ops.insert(
                    *op,
                    Outstanding {
                        op: asked,
                        at: *at,
                        state: OpState::Pending,
                        maybe_applied,
                    },
                );
                open.insert(*op, true);
            }
            Record::Pending { .. } | Record::NotActionable { .. } => {}
            Record::Sent { op, .. } => {
                if let Some(o) = ops.get_mut(op) {
                    o.state = OpState::Sent;
                    o.maybe_applied = true;
                }
            }
            Record::Confirmed { op, .. } | Record::Failed { op, .. } => {
                open.insert(*op, false);
            }
            Record::Dropped { op, .. } => {
                dropped.push(*op);
                open.insert(*op, false);
            }
        }
    }
    order
        .into_iter()
        .filter(|id| open.get(id).copied().unwrap_or(false))
        .filter_map(|id| ops.remove(&id))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incident::IncidentKey;
    use crate::providers::Verb;

    fn at(minute: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + minute * 60, 0).unwrap()
    }

    fn pending(op: u64, minute: i64) -> Record {
        Record::Pending {
            at: at(minute),
            op,
            key: IncidentKey::new("am", "abc"),
            verb: Verb::acknowledge(),
            by: "Ana Ops".into(),
            assignee_then: None,
            incident: None,
        }
    }

    fn sent(op: u64) -> Record {
        Record::Sent { at: at(1), op }
    }

    fn confirmed(op: u64) -> Record {
        Record::Confirmed {
            at: at(2),
            op,
            note: None,
        }
    }

    fn failed(op: u64) -> Record {
        Record::Failed {
            at: at(2),
            op,
            reason: "server answered 500".into(),
        }
    }

    fn ids_and_states(records: &[Record]) -> Vec<(u64, OpState, bool)> {
        outstanding(records)
            .into_iter()
            .map(|o| (o.op.id, o.state, o.maybe_applied))
            .collect()
    }

    #[test]
    fn the_last_record_of_each_op_says_whether_it_is_outstanding() {
        let records = [
            pending(1, 0),
            sent(1),
            confirmed(1),
            pending(2, 0),
            sent(2),
            pending(3, 0),
            pending(4, 0),
            sent(4),
            failed(4),
        ];
        assert_eq!(
            ids_and_states(&records),
            vec![(2, OpState::Sent, true), (3, OpState::Pending, false)]
        );
        let resumed = &outstanding(&records)[0];
        assert_eq!(resumed.op.key, IncidentKey::new("am", "abc"));
        assert_eq!(resumed.op.verb, Verb::acknowledge());
    }

    #[test]
    fn a_retry_makes_a_failed_op_outstanding_again_and_remembers_it_went_out_before() {
        let records = [pending(4, 0), sent(4), failed(4), pending(4, 10)];
        let found = outstanding(&records);
        assert_eq!(
            ids_and_states(&records),
            vec![(4, OpState::Pending, true)],
            "checked at the source first: the failed attempt may have arrived"
        );
        assert_eq!(found[0].at, at(10), "its age counts from the retry");
    }

    #[test]
    fn dropped_is_final_even_when_a_pending_follows() {
        let records = [
            pending(5, 0),
            Record::Dropped { at: at(3), op: 5 },
            pending(5, 4),
        ];
        assert_eq!(ids_and_states(&records), vec![]);
    }

    #[test]
    fn an_op_older_than_a_day_is_too_old_to_send_again() {
        let found = outstanding(&[pending(6, 0)]);
        let now = at(0) + RESUME_WITHIN;
        assert!(!found[0].too_old(now));
        let later = now + TimeDelta::minutes(1);
        assert!(found[0].too_old(later));
        assert_eq!(
            found[0].too_old_reason(later),
            "not sent again: asked 24h ago and never confirmed, too old to resend; check the source"
        );
    }

    #[test]
    fn a_torn_last_line_is_skipped_and_what_came_before_resumes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.jsonl");
        let mut journal = super::super::Journal::open(&path).unwrap();
        journal.append(&pending(7, 0)).unwrap();
        journal.append(&sent(7)).unwrap();
        drop(journal);
        // Power lost halfway through writing the Confirmed line.
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        std::io::Write::write_all(&mut file, br#"{"state":"confirmed","at":"2027-01"#).unwrap();
        let records = super::super::read::<Record>(&path).unwrap();
        assert_eq!(ids_and_states(&records), vec![(7, OpState::Sent, true)]);
    }
}
