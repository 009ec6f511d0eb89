#![allow(clippy::unwrap_used)] // Test fixtures: a failure here is a failed test.

//! The actions list (`A`) and the status bar's count of failed actions, drawn from the
//! demo at a frozen moment with one action in each state.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use pagerdeck::event::Event;
use pagerdeck::state::State;
use pagerdeck::testing::{demo_state, frozen_now, with_actions};
use pagerdeck::theme::{Role, Theme};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn draw(state: &State) -> Terminal<TestBackend> {
    let theme = Theme::load("dark", None).unwrap();
    let mut terminal = Terminal::new(TestBackend::new(state.size.0, state.size.1)).unwrap();
    terminal
        .draw(|frame| pagerdeck::ui::render(frame, state, &theme))
        .unwrap();
    terminal
}

fn screen(state: &State) -> String {
    draw(state).backend().to_string()
}

fn press(state: &mut State, code: KeyCode) {
    let modifiers = if matches!(code, KeyCode::Char(c) if c.is_ascii_uppercase()) {
        KeyModifiers::SHIFT
    } else {
        KeyModifiers::NONE
    };
    state.apply(Event::Key(KeyEvent::new(code, modifiers)), frozen_now());
}

#[test]
fn actions_list_80x24() {
    let mut state = with_actions(demo_state(80, 24));
    press(&mut state, KeyCode::Char('A'));
    insta::assert_snapshot!(screen(&state));
}

#[test]
fn actions_list_160x48() {
    let mut state = with_actions(demo_state(160, 48));
    press(&mut state, KeyCode::Char('A'));
    insta::assert_snapshot!(screen(&state));
}

#[test]
fn actions_list_asks_before_a_drop_80x24() {
    let mut state = with_actions(demo_state(80, 24));
    press(&mut state, KeyCode::Char('A'));
    press(&mut state, KeyCode::Char('d'));
    insta::assert_snapshot!(screen(&state));
}

#[test]
fn actions_list_empty_80x24() {
    let mut state = demo_state(80, 24);
    press(&mut state, KeyCode::Char('A'));
    insta::assert_snapshot!(screen(&state));
}

#[test]
fn a_failed_action_stays_in_the_status_bar_after_its_flash_80x24() {
    let state = with_actions(demo_state(80, 24));
    insta::assert_snapshot!(screen(&state));
}

#[test]
fn a_failed_action_stays_in_the_status_bar_after_its_flash_160x48() {
    let state = with_actions(demo_state(160, 48));
    insta::assert_snapshot!(screen(&state));
}

#[test]
fn a_failed_row_and_the_count_carry_the_danger_style() {
    let mut state = with_actions(demo_state(160, 48));
    press(&mut state, KeyCode::Char('A'));
    let terminal = draw(&state);
    let buffer = terminal.backend().buffer();
    let danger = Theme::load("dark", None).unwrap().style(Role::Danger);
    let find = |needle: &str| {
        (0..buffer.area.height).find_map(|y| {
            let row: String = (0..buffer.area.width)
                .map(|x| buffer[(x, y)].symbol().to_string())
                .collect();
            row.find(needle)
                .map(|byte| (row[..byte].chars().count() as u16, y))
        })
    };
    for needle in ["✖ failed: HTTP 503", "✖ 1 action failed"] {
        let (x, y) = find(needle).unwrap_or_else(|| panic!("{needle} not on screen"));
        assert_eq!(buffer[(x, y)].fg, danger.fg.unwrap(), "{needle}");
    }
}
