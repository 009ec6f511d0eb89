#![allow(clippy::unwrap_used)] // Tests: a failure here is a failed test.
//! The hand-over `e` pre-fills for a demo incident: the incident, the service's signals
//! and their trend, the playbook steps done and not, the notes, and who escalates.

use chrono::TimeDelta;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use pagerdeck::event::Event;
use pagerdeck::metrics::{Series, Unit};
use pagerdeck::providers::{History, Note};
use pagerdeck::state::Overlay;
use pagerdeck::testing::{demo_state, frozen_now};

fn press(state: &mut pagerdeck::state::State, code: KeyCode) {
    state.apply(
        Event::Key(KeyEvent::new(code, KeyModifiers::NONE)),
        frozen_now(),
    );
}

#[test]
fn the_hand_over_for_a_demo_incident() {
    let mut state = demo_state(160, 48);
    let incident = state.selected().unwrap().clone();
    // As charted: the error rate climbing, the latency flat.
    let minute = |m: i64| (frozen_now() - TimeDelta::minutes(m)).timestamp() as f64;
    state.metrics.key = Some(incident.key.clone());
    state.metrics.series = vec![
        Series::new(
            "error rate",
            Unit::Percent,
            (0..8).map(|m| (minute(8 - m), 0.4 + m as f64)).collect(),
        ),
        Series::new(
            "p99 latency",
            Unit::Seconds,
            (0..8).map(|m| (minute(8 - m), 0.42)).collect(),
        ),
    ];
    // The first step done, a note from a colleague.
    press(&mut state, KeyCode::Char('x'));
    state.apply(
        Event::History {
            key: incident.key.clone(),
            result: Ok(History {
                notes: vec![Note {
                    at: frozen_now() - TimeDelta::minutes(3),
                    by: Some("Kai Lindqvist".into()),
                    text: "no deploy in the last hour on our side".into(),
                }],
                ..History::default()
            }),
        },
        frozen_now(),
    );
    press(&mut state, KeyCode::Char('e'));
    let Some(Overlay::Escalate(panel)) = &state.overlay else {
        panic!("e opens the escalation panel: {:?}", state.overlay)
    };
    insta::assert_snapshot!(panel.message());
}
