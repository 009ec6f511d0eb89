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

#[cfg(test)]
mod tests {
    use crate::command::{Command, Op};
    use crate::event::{Event, OpState};
    use crate::journal::Outstanding;
    use crate::providers::Verb;
    use crate::state::tests::demo_state;

    #[test]
    fn resumed_actions_are_on_screen_as_they_stand_and_block_a_second_action_on_the_incident() {
        let mut state = demo_state(160, 48);
        let key = state.incidents[0].key.clone();
        let id = u64::try_from(state.now.timestamp_millis()).unwrap() + 10_000;
        let resumed = Outstanding {
            op: Op {
                id,
                key: key.clone(),
                verb: Verb::acknowledge(),
                assignee_then: Some("Ana Ops".into()),
                incident: None,
            },
            at: state.now,
            state: OpState::Sent,
            maybe_applied: true,
        };
        state.restore_outstanding(&[resumed]);
        assert_eq!(state.ops[&id].state, OpState::Sent);
        assert_eq!(state.ops[&id].assignee_then.as_deref(), Some("Ana Ops"));
        assert!(
            state.pending_op(&key).is_some(),
            "on its way: no second action"
        );
        let said = state
            .flash
            .as_ref()
            .map(|f| f.text.clone())
            .unwrap_or_default();
        assert!(
            said.starts_with("carrying on with 1 unfinished action"),
            "{said}"
        );
        // The outbox's report moves it on.
        state.apply(
            Event::Op {
                id,
                state: OpState::Confirmed,
            },
            state.now,
        );
        assert_eq!(state.ops[&id].state, OpState::Confirmed);
        // A new action never takes a resumed one's id.
        let commands = state.submit(state.incidents[1].key.clone(), Verb::Resolve);
        let [Command::Submit(op)] = &commands[..] else {
            panic!("{commands:?}");
        };
        assert!(op.id > id);
    }
}
