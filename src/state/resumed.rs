//! Actions an earlier run left unfinished, back on screen as they stand: the outbox
//! carries on with them, and its reports move them on from here.

use super::{OpRecord, State};
use crate::journal::Outstanding;

impl State {
    /// Show `outstanding` (from the journal at start) in `ops`, pending or sent, under
    /// its own id; it replaces whatever an older record of the same op said.
    pub fn restore_outstanding(&mut self, outstanding: &[Outstanding]) {
        for item in outstanding {
            let restored = OpRecord {
                key: item.op.key.clone(),
                verb: item.op.verb.clone(),
                state: item.state.clone(),
                at: item.at,
                assignee_then: item.op.assignee_then.clone(),
            };
            self.ops.insert(item.op.id, restored);
            // New ids must not take one of these (ids are clock milliseconds, and a clock
            // can be set back).
            self.next_op = self.next_op.max(item.op.id);
        }
        match outstanding.len() {
            0 => return,
            1 => self.say(
                format!(
                    "carrying on with 1 unfinished action from before: {}",
                    outstanding[0].op.verb.describe_on(&outstanding[0].op.key)
                ),
                false,
            ),
            n => self.say(
                format!("carrying on with {n} unfinished actions from before"),
                false,
            ),
        }
        self.dirty = true;
    }
}
