//! The playbook pane's behaviour: the matched section, following steps, re-layout.

use crossterm::event::KeyCode;

use super::tests::{demo_state, flash_text, press, t0};
use crate::command::Command;
use crate::event::Event;

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
    assert!(flash_text(&state).contains("run it yourself"));
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
    assert!(flash_text(&state).contains("no steps"));
}

#[test]
fn a_resize_lays_out_the_parsed_playbook_again_and_keeps_the_last_width() {
    let mut state = demo_state(160, 48);
    let library = &state.setup.library;
    assert_eq!(
        library.documents.len(),
        library.playbooks.len(),
        "parsed once, at load"
    );
    let wide = state.playbook.rendered.clone();
    let wide_width = state.playbook.width;
    state.apply(Event::Resize(100, 30), t0());
    assert_ne!(state.playbook.width, wide_width);
    assert_eq!(
        state.playbook.other_width.as_ref().map(|(w, _)| *w),
        Some(wide_width)
    );
    state.apply(Event::Resize(160, 48), t0());
    assert_eq!(state.playbook.width, wide_width);
    assert_eq!(
        state.playbook.rendered, wide,
        "the kept layout is the same as before"
    );
}
