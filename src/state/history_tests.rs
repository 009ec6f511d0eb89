//! Notes and the timeline: the details overlay asks the source, the note dialog writes.

use chrono::TimeDelta;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::Overlay;
use super::history::HistoryState;
use super::tests::{demo_state, flash_text, press, t0};
use crate::command::{Command, Op};
use crate::event::{Event, OpState};
use crate::providers::{Capabilities, History, Note, ProviderError, TimelineEntry, Verb};

fn typed(state: &mut super::State, text: &str) {
    for c in text.chars() {
        press(state, KeyCode::Char(c));
    }
}

#[test]
fn opening_the_details_asks_the_source_for_notes_and_timeline() {
    let mut state = demo_state(160, 48);
    let key = state.selected().unwrap().key.clone();
    let commands = press(&mut state, KeyCode::Enter);
    assert_eq!(commands, vec![Command::FetchHistory(key.clone())]);
    assert_eq!(state.histories.get(&key), Some(&HistoryState::Loading));
    let history = History {
        notes: vec![Note {
            at: t0(),
            by: Some("Kai".into()),
            text: "rolled back".into(),
        }],
        timeline: vec![TimelineEntry {
            at: t0() - TimeDelta::minutes(5),
            by: None,
            what: "triggered".into(),
        }],
        timeline_problem: None,
    };
    state.apply(
        Event::History {
            key: key.clone(),
            result: Ok(history.clone()),
        },
        t0(),
    );
    assert_eq!(
        state.histories.get(&key),
        Some(&HistoryState::Loaded(history))
    );
    state.apply(
        Event::History {
            key: key.clone(),
            result: Err(ProviderError::Timeout),
        },
        t0(),
    );
    assert_eq!(
        state.histories.get(&key),
        Some(&HistoryState::Failed("timed out".into()))
    );
}

#[test]
fn a_note_is_typed_then_sent_through_the_outbox_and_the_history_is_asked_again() {
    let mut state = demo_state(160, 48);
    let key = state.selected().unwrap().key.clone();
    press(&mut state, KeyCode::Char('N'));
    assert!(matches!(&state.overlay, Some(Overlay::Note { text, .. }) if text.is_empty()));
    typed(&mut state, "rolled back 4.2.1 oops");
    state.apply(
        Event::Key(KeyEvent::new(KeyCode::Char('w'), KeyModifiers::CONTROL)),
        t0(),
    );
    press(&mut state, KeyCode::Backspace);
    let commands = press(&mut state, KeyCode::Enter);
    let Some(Command::Submit(Op {
        id,
        key: sent,
        verb,
        ..
    })) = commands.first()
    else {
        panic!("expected a submitted note, got {commands:?}");
    };
    assert_eq!(sent, &key);
    assert_eq!(
        verb,
        &Verb::Note {
            text: "rolled back 4.2.1".into()
        }
    );
    assert!(state.overlay.is_none());
    let commands = state.apply(
        Event::Op {
            id: *id,
            state: OpState::Confirmed,
        },
        t0(),
    );
    assert!(
        flash_text(&state).contains("done"),
        "{}",
        flash_text(&state)
    );
    // The details were never opened: nothing to ask yet.
    assert!(commands.is_empty(), "{commands:?}");
}

#[test]
fn a_confirmed_note_refreshes_the_open_details() {
    let mut state = demo_state(160, 48);
    let key = state.selected().unwrap().key.clone();
    press(&mut state, KeyCode::Char('N'));
    typed(&mut state, "paged payments");
    let commands = press(&mut state, KeyCode::Enter);
    let Some(Command::Submit(op)) = commands.first() else {
        panic!("{commands:?}");
    };
    press(&mut state, KeyCode::Enter);
    let commands = state.apply(
        Event::Op {
            id: op.id,
            state: OpState::Confirmed,
        },
        t0(),
    );
    assert_eq!(commands, vec![Command::FetchHistory(key)]);
}

#[test]
fn an_empty_note_or_esc_sends_nothing() {
    let mut state = demo_state(160, 48);
    press(&mut state, KeyCode::Char('N'));
    typed(&mut state, "   ");
    assert!(press(&mut state, KeyCode::Enter).is_empty());
    assert_eq!(flash_text(&state), "an empty note was not sent");
    press(&mut state, KeyCode::Char('N'));
    typed(&mut state, "half a thought");
    assert!(press(&mut state, KeyCode::Esc).is_empty());
    assert!(state.overlay.is_none());
}

#[test]
fn a_source_without_notes_refuses_with_its_reason() {
    let mut state = demo_state(160, 48);
    state.sources[0].capabilities = Capabilities {
        note: Err("Alertmanager keeps no notes: say it with the acknowledgement".into()),
        ..Capabilities::all()
    };
    press(&mut state, KeyCode::Char('N'));
    assert!(state.overlay.is_none());
    assert_eq!(
        flash_text(&state),
        "cannot add a note: Alertmanager keeps no notes: say it with the acknowledgement"
    );
}
