//! `A`: the actions taken, newest first, each with its state; a failed one can be sent
//! again (`t`), a failed or unsent one dropped (`d`). Both ask first, in the list.

use crossterm::event::{KeyCode, KeyEvent};

use super::{OpRecord, Overlay, State};
use crate::action::Action;
use crate::command::{Command, Op};
use crate::event::OpState;

/// The list as open on screen.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ActionsList {
    /// Index into `State::action_rows`.
    pub cursor: usize,
    /// The question waiting for y/n, about one op (by id, so nothing else is touched if
    /// the list changes meanwhile).
    pub asking: Option<(u64, ListVerb)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListVerb {
    Retry,
    Drop,
}

/// How many actions are still on their way and how many failed: the status bar says
/// so, long after a flash is gone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ActionCounts {
    pub on_the_way: usize,
    pub failed: usize,
}

impl State {
    /// Every action, newest first (op ids grow with time, across restarts too).
    pub fn action_rows(&self) -> Vec<(u64, &OpRecord)> {
        self.ops.iter().rev().map(|(id, op)| (*id, op)).collect()
    }

    pub fn action_counts(&self) -> ActionCounts {
        let mut counts = ActionCounts::default();
        for op in self.ops.values() {
            match op.state {
                OpState::Pending | OpState::Sent => counts.on_the_way += 1,
                OpState::Failed(_) => counts.failed += 1,
                OpState::Confirmed | OpState::Dropped => {}
            }
        }
        counts
    }

    pub(super) fn open_actions(&mut self) {
        // Opened on the newest failure, the one most likely to be looked for.
        let cursor = self
            .action_rows()
            .iter()
            .position(|(_, op)| matches!(op.state, OpState::Failed(_)))
            .unwrap_or(0);
        self.overlay = Some(Overlay::Actions(ActionsList {
            cursor,
            asking: None,
        }));
    }

    pub(super) fn on_actions_key(&mut self, mut list: ActionsList, key: KeyEvent) -> Vec<Command> {
        if let Some((id, verb)) = list.asking.take() {
            match key.code {
                KeyCode::Char('y' | 'Y') | KeyCode::Enter => {
                    self.overlay = Some(Overlay::Actions(list));
                    return self.carry_out(id, verb);
                }
                KeyCode::Char('n' | 'N' | 'q') | KeyCode::Esc => {}
                _ => list.asking = Some((id, verb)),
            }
            self.overlay = Some(Overlay::Actions(list));
            return Vec::new();
        }
        let action = self.setup.keymap.action_for(&key);
        if matches!(key.code, KeyCode::Esc | KeyCode::Char('q')) || action == Some(Action::Actions)
        {
            return Vec::new();
        }
        let last = self.ops.len().saturating_sub(1);
        let page = usize::from(self.size.1.saturating_sub(8)).max(1);
        match action {
            Some(Action::MoveDown) => list.cursor = (list.cursor + 1).min(last),
            Some(Action::MoveUp) => list.cursor = list.cursor.saturating_sub(1),
            Some(Action::PageDown) => list.cursor = (list.cursor + page).min(last),
            Some(Action::PageUp) => list.cursor = list.cursor.saturating_sub(page),
            Some(Action::Top) => list.cursor = 0,
            Some(Action::Bottom) => list.cursor = last,
            Some(Action::RetryAction) => list.asking = self.may(list.cursor, ListVerb::Retry),
            Some(Action::DropAction) => list.asking = self.may(list.cursor, ListVerb::Drop),
            _ => {}
        }
        self.overlay = Some(Overlay::Actions(list));
        Vec::new()
    }

    /// The question to ask before `verb` on the row at `cursor`, or why not (said).
    fn may(&mut self, cursor: usize, verb: ListVerb) -> Option<(u64, ListVerb)> {
        let (id, op) = self.action_rows().get(cursor).copied()?;
        let what = op.verb.describe_on(&op.key);
        let refusal = match (verb, &op.state) {
            (_, OpState::Confirmed) => Some(format!("{what} is done: nothing to retry or drop")),
            (_, OpState::Dropped) => Some(format!("{what} was dropped: it is not sent again")),
            (ListVerb::Retry, OpState::Pending | OpState::Sent) => {
                Some(format!("{what} is still on its way: wait for its answer"))
            }
            (ListVerb::Drop, OpState::Sent) => Some(format!(
                "{what} was sent and may be done already: it cannot be dropped, wait for its answer"
            )),
            (ListVerb::Retry, OpState::Failed(_)) if self.setup.read_only => {
                Some(self.nothing_changes())
            }
            _ => None,
        };
        match refusal {
            Some(reason) => {
                self.say(reason, true);
                None
            }
            None => Some((id, verb)),
        }
    }

    fn carry_out(&mut self, id: u64, verb: ListVerb) -> Vec<Command> {
        let Some(op) = self.ops.get_mut(&id) else {
            return Vec::new();
        };
        match verb {
            ListVerb::Retry => {
                // Pending again until the outbox says otherwise; the same id, so the
                // journal keeps one story for it.
                op.state = OpState::Pending;
                let what = op.verb.describe_on(&op.key);
                let retry = Op {
                    id,
                    key: op.key.clone(),
                    verb: op.verb.clone(),
                    assignee_then: op.assignee_then.clone(),
                    incident: self
                        .incidents
                        .iter()
                        .find(|i| i.key == op.key)
                        .map(|i| i.as_ref().into()),
                };
                self.say(format!("sending again: {what}"), false);
                vec![Command::Retry(retry)]
            }
            // Shown as dropped once the journal has it.
            ListVerb::Drop => vec![Command::DropOp(id)],
        }
    }

    pub(super) fn on_op_not_dropped(&mut self, id: u64, reason: &str) {
        let what = self
            .ops
            .get(&id)
            .map_or_else(|| format!("action {id}"), |op| op.verb.describe_on(&op.key));
        self.say(format!("not dropped: {what}: {reason}"), true);
    }
}
