//! The actions list: newest first, retry and drop asked first and refused with the
//! reason where they make no sense; steps not saved are taken back.

use crossterm::event::KeyCode;

use super::actions::{ActionCounts, ActionsList, ListVerb};
use super::tests::{demo_state, flash_text, press, t0};
use super::{Overlay, State};
use crate::command::{Command, Op};
use crate::event::{Event, OpState};
use crate::testing::with_actions;

fn listed(state: &State) -> Vec<OpState> {
    state
        .action_rows()
        .into_iter()
        .map(|(_, op)| op.state.clone())
        .collect()
}

fn list(state: &State) -> ActionsList {
    match &state.overlay {
        Some(Overlay::Actions(list)) => list.clone(),
        other => panic!("the actions list is not open: {other:?}"),
    }
}

/// The id of the row the list's cursor is on.
fn selected_id(state: &State) -> u64 {
    state.action_rows()[list(state).cursor].0
}

#[test]
fn the_list_is_newest_first_and_opens_on_the_newest_failure() {
    let mut state = with_actions(demo_state(160, 48));
    let failed =
        OpState::Failed("HTTP 503 from pd: the service is unavailable, try again later".into());
    assert_eq!(
        listed(&state),
        [OpState::Pending, OpState::Sent, failed, OpState::Confirmed]
    );
    press(&mut state, KeyCode::Char('A'));
    assert_eq!(list(&state).cursor, 2);
    press(&mut state, KeyCode::Char('j'));
    press(&mut state, KeyCode::Char('j'));
    assert_eq!(list(&state).cursor, 3, "the cursor stops at the last row");
    press(&mut state, KeyCode::Char('g'));
    assert_eq!(list(&state).cursor, 0);
    press(&mut state, KeyCode::Esc);
    assert_eq!(state.overlay, None);
    press(&mut state, KeyCode::Char('A'));
    press(&mut state, KeyCode::Char('A'));
    assert_eq!(state.overlay, None, "its own key closes it too");
}

#[test]
fn retrying_a_failed_action_asks_then_sends_it_again_under_its_own_id() {
    let mut state = with_actions(demo_state(160, 48));
    press(&mut state, KeyCode::Char('A'));
    let id = selected_id(&state);
    let before = state.ops[&id].clone();
    assert!(
        press(&mut state, KeyCode::Char('t')).is_empty(),
        "asked first"
    );
    assert_eq!(list(&state).asking, Some((id, ListVerb::Retry)));
    let commands = press(&mut state, KeyCode::Char('y'));
    assert_eq!(
        commands,
        [Command::Retry(Op {
            id,
            key: before.key.clone(),
            verb: before.verb.clone(),
            assignee_then: before.assignee_then.clone(),
            // Sent again with what the incident is, for the hand-off and the report.
            incident: state
                .incidents
                .iter()
                .find(|i| i.key == before.key)
                .map(|i| crate::journal::IncidentFacts::from(i.as_ref())),
        })]
    );
    assert_eq!(state.ops[&id].state, OpState::Pending);
    assert_eq!(
        list(&state).asking,
        None,
        "the list stays open, the question gone"
    );
    // From here on it goes as any action does.
    state.apply(
        Event::Op {
            id,
            state: OpState::Confirmed,
        },
        t0(),
    );
    assert_eq!(state.ops[&id].state, OpState::Confirmed);
    assert_eq!(state.action_counts().failed, 0);
}

#[test]
fn no_is_no_for_a_retry_or_a_drop() {
    let mut state = with_actions(demo_state(160, 48));
    press(&mut state, KeyCode::Char('A'));
    for key in ['t', 'd'] {
        press(&mut state, KeyCode::Char(key));
        assert!(press(&mut state, KeyCode::Char('n')).is_empty());
        assert_eq!(list(&state).asking, None);
    }
    assert!(matches!(
        state.ops[&selected_id(&state)].state,
        OpState::Failed(_)
    ));
}

#[test]
fn dropping_asks_and_shows_dropped_only_once_the_journal_has_it() {
    let mut state = with_actions(demo_state(160, 48));
    press(&mut state, KeyCode::Char('A'));
    let id = selected_id(&state);
    press(&mut state, KeyCode::Char('d'));
    assert_eq!(list(&state).asking, Some((id, ListVerb::Drop)));
    assert_eq!(press(&mut state, KeyCode::Enter), [Command::DropOp(id)]);
    assert!(matches!(state.ops[&id].state, OpState::Failed(_)));
    state.apply(
        Event::Op {
            id,
            state: OpState::Dropped,
        },
        t0(),
    );
    assert_eq!(state.ops[&id].state, OpState::Dropped);
    assert!(
        flash_text(&state).starts_with("dropped: resolve"),
        "{}",
        flash_text(&state)
    );
    // Final: neither retried nor dropped again.
    for key in ['t', 'd'] {
        assert!(press(&mut state, KeyCode::Char(key)).is_empty());
        assert_eq!(list(&state).asking, None);
        assert!(flash_text(&state).ends_with("was dropped: it is not sent again"));
    }
}

#[test]
fn an_action_on_its_way_cannot_be_dropped_and_the_list_says_why() {
    let mut state = with_actions(demo_state(160, 48));
    press(&mut state, KeyCode::Char('A'));
    // The newest is pending (not yet handed to its source): it may be dropped.
    press(&mut state, KeyCode::Char('g'));
    press(&mut state, KeyCode::Char('d'));
    assert!(list(&state).asking.is_some());
    press(&mut state, KeyCode::Esc);
    assert!(
        matches!(state.overlay, Some(Overlay::Actions(_))),
        "Esc only said no"
    );
    // The next was sent: the source may have done it already.
    press(&mut state, KeyCode::Char('j'));
    press(&mut state, KeyCode::Char('d'));
    assert_eq!(list(&state).asking, None);
    assert!(
        flash_text(&state).contains("was sent and may be done already: it cannot be dropped"),
        "{}",
        flash_text(&state)
    );
    // And neither pending nor sent can be retried: they are still going.
    press(&mut state, KeyCode::Char('t'));
    assert_eq!(list(&state).asking, None);
    assert!(flash_text(&state).ends_with("is still on its way: wait for its answer"));
    // The outbox, which knows best, may refuse a drop too: said, nothing changes.
    let id = selected_id(&state);
    state.apply(
        Event::OpNotDropped {
            id,
            reason: "it was sent and may be done already: wait for its answer".into(),
        },
        t0(),
    );
    assert!(flash_text(&state).starts_with("not dropped: resolve"));
    assert_eq!(state.ops[&id].state, OpState::Sent);
}

#[test]
fn a_confirmed_action_has_nothing_to_retry_or_drop() {
    let mut state = with_actions(demo_state(160, 48));
    press(&mut state, KeyCode::Char('A'));
    press(&mut state, KeyCode::Char('G'));
    for key in ['t', 'd'] {
        assert!(press(&mut state, KeyCode::Char(key)).is_empty());
        assert!(flash_text(&state).ends_with("is done: nothing to retry or drop"));
    }
}

#[test]
fn read_only_has_no_retry_key_in_the_list() {
    let mut setup = crate::testing::demo_setup();
    setup.read_only = true;
    setup.keymap = setup.keymap.without_dangerous();
    let mut state = crate::testing::state_with_setup(setup, 160, 48);
    // A failure from before (say, the refusal read-only mode gives).
    state.ops = with_actions(demo_state(160, 48)).ops;
    press(&mut state, KeyCode::Char('A'));
    assert!(press(&mut state, KeyCode::Char('t')).is_empty());
    assert_eq!(list(&state).asking, None);
    assert!(matches!(
        state.ops[&selected_id(&state)].state,
        OpState::Failed(_)
    ));
    // Dropping changes nothing at a source: still there.
    press(&mut state, KeyCode::Char('d'));
    assert!(list(&state).asking.is_some());
}

#[test]
fn the_counts_say_what_is_still_going_and_what_failed() {
    let state = demo_state(160, 48);
    assert_eq!(state.action_counts(), ActionCounts::default());
    let state = with_actions(state);
    assert_eq!(
        state.action_counts(),
        ActionCounts {
            on_the_way: 2,
            failed: 1
        }
    );
}

#[test]
fn retry_and_drop_outside_the_list_point_to_it() {
    let mut state = with_actions(demo_state(160, 48));
    assert!(press(&mut state, KeyCode::Char('t')).is_empty());
    assert_eq!(
        flash_text(&state),
        "retry and drop work in the actions list: A"
    );
}

#[test]
fn a_step_that_cannot_be_saved_is_taken_back_and_said() {
    let mut state = demo_state(160, 48);
    let key = state.selected().unwrap().key.clone();
    let commands = press(&mut state, KeyCode::Char('x'));
    let [Command::SaveStep(record)] = &commands[..] else {
        panic!("no step saved: {commands:?}");
    };
    let shown = |state: &State| {
        state
            .progress
            .get(&(key.clone(), record.playbook.clone()))
            .is_some_and(|p| p.done.contains_key(&record.step))
    };
    assert!(shown(&state));
    state.apply(
        Event::StepNotSaved {
            record: record.clone(),
            reason: "cannot write /data/steps.jsonl: No space left on device".into(),
        },
        t0(),
    );
    assert!(
        !shown(&state),
        "not shown as done: a restart would not know it"
    );
    assert_eq!(
        flash_text(&state),
        "step 1 not checked: cannot write /data/steps.jsonl: No space left on device"
    );
}
