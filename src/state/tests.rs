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
    assert_eq!((&op.key, &op.verb), (&key, &Verb::Acknowledge));
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
    assert!(state.flash.as_ref().unwrap().text.contains("done"));
}

#[test]
fn saying_no_sends_nothing() {
    let mut state = demo_state(160, 48);
    press(&mut state, KeyCode::Char('e'));
    let Some(Overlay::Confirm(confirm)) = &state.overlay else {
        panic!()
    };
    assert_eq!(
        confirm.verb,
        Verb::Escalate {
            to: "Eng Cap".into()
        }
    );
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
    assert!(
        state
            .flash
            .as_ref()
            .unwrap()
            .text
            .contains("already acknowledged")
    );
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
fn the_playbook_opens_at_the_alerts_own_section() {
    let state = demo_state(160, 48);
    let view = &state.playbook;
    let matched = view.matched.as_ref().unwrap();
    assert_eq!(matched.rule.to_string(), "matched by alert HighErrorRate");
    assert!(view.scroll > 0, "opens at ## HighErrorRate, not the top");
    assert_eq!(
        view.rendered.heading_line("HighErrorRate"),
        Some(view.scroll)
    );
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

#[test]
fn x_marks_the_current_step_done_saves_it_and_moves_on() {
    let mut state = demo_state(160, 48);
    let key = state.selected().unwrap().key.clone();
    assert_eq!(state.step_progress(state.selected().unwrap()), Some((0, 6)));
    assert_eq!(state.playbook.current, 0);
    let commands = press(&mut state, KeyCode::Char('x'));
    let [Command::SaveStep(record)] = &commands[..] else {
        panic!("{commands:?}")
    };
    assert_eq!(
        (
            &record.incident,
            record.playbook.as_str(),
            record.step,
            record.done
        ),
        (&key, "payments/checkout-api.md", 0, true)
    );
    assert!(
        record.text.starts_with("Check whether a deploy went out"),
        "{}",
        record.text
    );
    assert_eq!(record.by, "Ana Ops");
    assert_eq!(state.playbook.current, 1, "moves to the next open step");
    assert_eq!(state.step_progress(state.selected().unwrap()), Some((1, 6)));
    // X on a step that is not done says so and saves nothing.
    assert!(press(&mut state, KeyCode::Char('X')).is_empty());
    press(&mut state, KeyCode::Char('p'));
    let commands = press(&mut state, KeyCode::Char('X'));
    assert!(matches!(&commands[..], [Command::SaveStep(r)] if !r.done && r.step == 0));
    assert_eq!(state.step_progress(state.selected().unwrap()), Some((0, 6)));
}

#[test]
fn n_and_p_move_through_steps_and_keep_the_step_in_view() {
    let mut state = demo_state(80, 24);
    for _ in 0..5 {
        press(&mut state, KeyCode::Char('n'));
    }
    assert_eq!(state.playbook.current, 5);
    press(&mut state, KeyCode::Char('n'));
    assert_eq!(state.playbook.current, 5, "stops at the last step");
    let line = state.playbook.rendered.items[state.playbook.steps[5]].line;
    assert!(
        line >= state.playbook.scroll && line < state.playbook.scroll + 18,
        "step line {line} scroll {}",
        state.playbook.scroll
    );
    press(&mut state, KeyCode::Char('p'));
    assert_eq!(state.playbook.current, 4);
}

#[test]
fn y_copies_the_steps_code_and_never_runs_it() {
    let mut state = demo_state(160, 48);
    let commands = press(&mut state, KeyCode::Char('y'));
    let [Command::Clipboard(code)] = &commands[..] else {
        panic!("{commands:?}")
    };
    assert!(
        code.contains("kubectl -n payments rollout history deployment/checkout-api"),
        "{code}"
    );
    assert!(
        state
            .flash
            .as_ref()
            .unwrap()
            .text
            .contains("run it yourself")
    );
}

#[test]
fn progress_from_an_earlier_run_is_shown_and_an_edited_playbook_is_flagged() {
    let key = crate::incident::IncidentKey::new("demo", "INC-1042");
    let playbook = "payments/checkout-api.md";
    let body = &crate::playbook::Library::demo()
        .playbooks
        .iter()
        .find(|p| p.path == playbook)
        .unwrap()
        .body
        .clone();
    let record = |step, hash: String| crate::progress::StepRecord {
        at: t0() - chrono::TimeDelta::minutes(3),
        incident: key.clone(),
        playbook: playbook.into(),
        hash,
        step,
        text: String::new(),
        done: true,
        by: "Ana Ops".into(),
    };
    let restart = |records: Vec<crate::progress::StepRecord>| {
        let mut setup = crate::testing::demo_setup();
        setup.progress = crate::progress::fold(records);
        crate::testing::state_with_setup(setup, 160, 48)
    };
    let current = crate::progress::body_hash(body);
    let state = restart(vec![record(0, current.clone()), record(1, current)]);
    assert_eq!(state.step_progress(state.selected().unwrap()), Some((2, 6)));
    assert_eq!(
        state.playbook.current, 2,
        "opens at the first step not done"
    );
    assert!(!state.playbook_changed());
    let state = restart(vec![record(0, "0000000000000000".into())]);
    assert!(state.playbook_changed());
}

#[test]
fn a_section_without_steps_says_so() {
    let mut state = demo_state(160, 48);
    state.playbook.steps.clear();
    assert!(press(&mut state, KeyCode::Char('x')).is_empty());
    assert!(state.flash.as_ref().unwrap().text.contains("no steps"));
}
