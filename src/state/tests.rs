//! State behaviour: actions and events in, state and commands out, no terminal.

use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};

use super::{Overlay, State};
use crate::command::Command;
use crate::event::{Event, OpState};
use crate::incident::Status;
use crate::layout::Pane;
use crate::providers::Verb;

pub fn t0() -> DateTime<Utc> {
    crate::testing::frozen_now()
}

pub fn demo_state(width: u16, height: u16) -> State {
    crate::testing::demo_state(width, height)
}

pub fn press(state: &mut State, code: KeyCode) -> Vec<Command> {
    let modifiers = match code {
        KeyCode::Char(c) if c.is_ascii_uppercase() => KeyModifiers::SHIFT,
        _ => KeyModifiers::NONE,
    };
    state.apply(Event::Key(KeyEvent::new(code, modifiers)), t0())
}

/// What the hints row says right now ("" when nothing).
pub fn flash_text(state: &State) -> &str {
    state.flash.as_ref().map_or("", |f| f.text.as_str())
}

fn type_text(state: &mut State, text: &str) {
    for c in text.chars() {
        press(state, KeyCode::Char(c));
    }
}

#[test]
fn moving_selects_and_asks_for_the_new_incidents_metrics() {
    let mut state = demo_state(160, 48);
    let first = state.selected().unwrap().key.clone();
    let commands = press(&mut state, KeyCode::Char('j'));
    assert_ne!(state.selected().unwrap().key, first);
    assert!(
        matches!(&commands[..], [Command::FetchMetrics { incident, .. }] if incident.key == state.selected().unwrap().key)
    );
    press(&mut state, KeyCode::Char('G'));
    assert_eq!(state.cursor, state.visible.len() - 1);
    press(&mut state, KeyCode::Down);
    assert_eq!(
        state.cursor,
        state.visible.len() - 1,
        "the cursor stops at the end"
    );
    press(&mut state, KeyCode::Char('g'));
    assert_eq!(state.cursor, 0);
    assert!(
        press(&mut state, KeyCode::Up).is_empty(),
        "no refetch when nothing moved"
    );
}

#[test]
fn acknowledge_asks_first_then_submits_through_the_outbox() {
    let mut state = demo_state(160, 48);
    let key = state.selected().unwrap().key.clone();
    assert!(press(&mut state, KeyCode::Char('a')).is_empty());
    assert!(matches!(state.overlay, Some(Overlay::Confirm(_))));
    let commands = press(&mut state, KeyCode::Char('y'));
    let [Command::Submit(op)] = &commands[..] else {
        panic!("{commands:?}")
    };
    assert_eq!((&op.key, &op.verb), (&key, &Verb::acknowledge()));
    assert!(state.overlay.is_none());
    assert!(state.pending_op(&key).is_some());
    // A second `a` while it is on its way does not send it twice.
    press(&mut state, KeyCode::Char('a'));
    assert!(state.overlay.is_none());
    state.apply(
        Event::Op {
            id: op.id,
            state: OpState::Confirmed,
        },
        t0(),
    );
    assert!(state.pending_op(&key).is_none());
    assert!(flash_text(&state).contains("done"));
}

#[test]
fn saying_no_sends_nothing() {
    let mut state = demo_state(160, 48);
    press(&mut state, KeyCode::Char('R'));
    let Some(Overlay::Confirm(confirm)) = &state.overlay else {
        panic!()
    };
    assert_eq!(confirm.verb, Verb::Resolve);
    assert!(
        press(&mut state, KeyCode::Char('x')).is_empty(),
        "other keys keep the dialog"
    );
    assert!(state.overlay.is_some());
    assert!(press(&mut state, KeyCode::Esc).is_empty());
    assert!(state.overlay.is_none() && state.ops.is_empty());
}

#[test]
fn an_acknowledged_incident_is_not_acknowledged_again() {
    let mut state = demo_state(160, 48);
    let position = state
        .visible
        .iter()
        .position(|&i| state.incidents[i].status == Status::Acknowledged)
        .unwrap();
    state.cursor = position;
    press(&mut state, KeyCode::Char('a'));
    assert!(state.overlay.is_none());
    assert!(flash_text(&state).contains("already acknowledged"));
}

#[test]
fn read_only_refuses_even_a_direct_action() {
    let mut state = demo_state(160, 48);
    state.setup.read_only = true;
    state.update(crate::action::Action::Acknowledge);
    assert!(state.overlay.is_none());
    assert!(state.flash.as_ref().unwrap().error);
}

#[test]
fn filtering_narrows_the_list_live_and_esc_clears_it() {
    let mut state = demo_state(160, 48);
    let all = state.visible.len();
    press(&mut state, KeyCode::Char('/'));
    type_text(&mut state, "ledger");
    assert!(state.filtering);
    assert_eq!(state.visible.len(), 1);
    assert_eq!(state.selected().unwrap().service, "ledger-worker");
    press(&mut state, KeyCode::Enter);
    assert!(!state.filtering && state.filter == "ledger");
    press(&mut state, KeyCode::Char('/'));
    press(&mut state, KeyCode::Esc);
    assert_eq!(state.visible.len(), all);
    // Labels match too: key=value.
    press(&mut state, KeyCode::Char('/'));
    type_text(&mut state, "reason=oom");
    assert_eq!(state.visible.len(), 1);
    type_text(&mut state, "zzz");
    assert!(state.visible.is_empty() && state.selected().is_none());
}

#[test]
fn tab_cycles_focus_and_keys_scroll_the_focused_pane() {
    let mut state = demo_state(160, 48);
    press(&mut state, KeyCode::Tab);
    press(&mut state, KeyCode::Tab);
    assert_eq!(state.focus, Pane::Playbook);
    let cursor = state.cursor;
    let scroll = state.playbook.scroll;
    press(&mut state, KeyCode::Char('j'));
    assert_eq!(state.cursor, cursor, "j scrolls the playbook, not the list");
    assert_eq!(state.playbook.scroll, scroll + 1);
    press(&mut state, KeyCode::BackTab);
    assert_eq!(state.focus, Pane::Metrics);
}

#[test]
fn help_and_details_open_and_close() {
    let mut state = demo_state(80, 24);
    press(&mut state, KeyCode::Char('?'));
    assert!(matches!(state.overlay, Some(Overlay::Help { .. })));
    press(&mut state, KeyCode::Char('j'));
    assert_eq!(state.overlay, Some(Overlay::Help { scroll: 1 }));
    press(&mut state, KeyCode::Esc);
    press(&mut state, KeyCode::Enter);
    assert!(matches!(state.overlay, Some(Overlay::Details { .. })));
    press(&mut state, KeyCode::Char('q'));
    assert!(state.overlay.is_none());
    assert_eq!(press(&mut state, KeyCode::Char('q')), vec![Command::Quit]);
}

#[test]
fn ctrl_c_quits_from_anywhere() {
    let mut state = demo_state(80, 24);
    press(&mut state, KeyCode::Char('/'));
    let commands = state.apply(
        Event::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)),
        t0(),
    );
    assert_eq!(commands, vec![Command::Quit]);
}

#[test]
fn ctrl_z_suspends_from_anywhere_and_sigcont_repaints() {
    let mut state = demo_state(80, 24);
    press(&mut state, KeyCode::Char('/'));
    let ctrl_z = Event::Key(KeyEvent::new(KeyCode::Char('z'), KeyModifiers::CONTROL));
    assert_eq!(state.apply(ctrl_z, t0()), vec![Command::Suspend]);
    // Still filtering after `fg`: nothing typed is lost.
    assert!(state.filtering);
    state.drawn();
    assert_eq!(state.apply(Event::Continued, t0()), vec![Command::Resume]);
    assert!(state.dirty);
}

#[test]
fn a_signal_quits_saying_which_even_with_a_dialog_open() {
    let mut state = demo_state(80, 24);
    press(&mut state, KeyCode::Char('a'));
    assert_eq!(
        state.apply(Event::Signal(15), t0()),
        vec![Command::QuitOnSignal(15)]
    );
}

#[test]
fn the_mouse_selects_rows_and_scrolls_the_pane_under_it() {
    let mut state = demo_state(160, 48);
    let layout = state.layout();
    let click = |column, row| {
        Event::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column,
            row,
            modifiers: KeyModifiers::NONE,
        })
    };
    state.apply(click(layout.incidents.x + 5, layout.incidents.y + 4), t0());
    assert_eq!(state.cursor, 2);
    let wheel = Event::Mouse(MouseEvent {
        kind: MouseEventKind::ScrollDown,
        column: layout.playbook.x + 3,
        row: layout.playbook.y + 3,
        modifiers: KeyModifiers::NONE,
    });
    let before = state.playbook.scroll;
    state.apply(wheel, t0());
    assert!(state.playbook.scroll > before);
    assert_eq!(state.cursor, 2);
}

#[test]
fn a_tick_redraws_only_when_a_shown_time_changes() {
    let mut state = demo_state(160, 48);
    state.drawn();
    state.apply(Event::Tick, t0());
    assert!(!state.dirty, "nothing on screen changed");
    state.apply(Event::Tick, t0() + chrono::TimeDelta::minutes(2));
    assert!(state.dirty, "ages moved on");
}

#[test]
fn resizing_re_lays_and_keeps_the_selection_visible() {
    let mut state = demo_state(160, 48);
    press(&mut state, KeyCode::Char('G'));
    state.apply(Event::Resize(80, 12), t0());
    let rows = state.layout().list_rows();
    assert!(state.cursor >= state.list_offset && state.cursor < state.list_offset + rows);
    assert!(state.playbook.width <= 78);
}
