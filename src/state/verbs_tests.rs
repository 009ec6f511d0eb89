//! Unacknowledge, snooze and resolve: asked first, refused with the reason where the
//! incident's source cannot do them.

use crossterm::event::KeyCode;

use super::Overlay;
use super::tests::{demo_state, flash_text, press, t0};
use crate::command::Command;
use crate::event::Event;
use crate::incident::Status;
use crate::providers::{Capabilities, Verb};
use crate::testing::change_first_incident;

fn submitted(commands: &[Command]) -> &Verb {
    match commands {
        [Command::Submit(op)] => &op.verb,
        other => panic!("expected one submit, got {other:?}"),
    }
}

#[test]
fn snooze_asks_how_long_and_sends_the_chosen_duration() {
    let mut state = demo_state(160, 48);
    press(&mut state, KeyCode::Char('s'));
    let Some(Overlay::Confirm(confirm)) = &state.overlay else {
        panic!("no dialog")
    };
    assert_eq!(
        confirm.verb,
        Verb::Snooze { seconds: 3600 },
        "an hour first"
    );
    press(&mut state, KeyCode::Right);
    press(&mut state, KeyCode::Right);
    press(&mut state, KeyCode::Left);
    let commands = press(&mut state, KeyCode::Char('y'));
    assert_eq!(submitted(&commands), &Verb::Snooze { seconds: 7200 });
    // The choices stop at both ends.
    let mut state = demo_state(160, 48);
    press(&mut state, KeyCode::Char('s'));
    for _ in 0..20 {
        press(&mut state, KeyCode::Left);
    }
    let commands = press(&mut state, KeyCode::Enter);
    assert_eq!(submitted(&commands), &Verb::Snooze { seconds: 900 });
}

#[test]
fn unacknowledge_is_only_offered_on_an_acknowledged_incident() {
    let mut state = demo_state(160, 48);
    change_first_incident(&mut state, |i| i.status = Status::Triggered);
    press(&mut state, KeyCode::Char('u'));
    assert!(state.overlay.is_none());
    assert!(flash_text(&state).contains("is not acknowledged"));
    change_first_incident(&mut state, |i| i.status = Status::Acknowledged);
    press(&mut state, KeyCode::Char('u'));
    let commands = press(&mut state, KeyCode::Char('y'));
    assert_eq!(submitted(&commands), &Verb::Unacknowledge);
}

#[test]
fn a_verb_the_source_lacks_is_refused_with_its_reason() {
    let mut state = demo_state(160, 48);
    let reason = "Alertmanager cannot resolve: the alert resolves when it stops firing";
    state.sources[0].capabilities = Capabilities {
        resolve: Err(reason.into()),
        ..Capabilities::all()
    };
    assert_eq!(
        state
            .action_refused(crate::action::Action::Resolve)
            .as_deref(),
        Some(reason)
    );
    assert_eq!(
        state.action_refused(crate::action::Action::Acknowledge),
        None
    );
    assert!(press(&mut state, KeyCode::Char('R')).is_empty());
    assert!(state.overlay.is_none(), "no dialog for what cannot be done");
    assert_eq!(flash_text(&state), format!("cannot resolve: {reason}"));
}

#[test]
fn a_degraded_source_says_so_but_its_incidents_stay() {
    let mut state = demo_state(160, 48);
    let count = state.incidents.len();
    let generation = state.sources[0].generation + 1;
    let incidents = state.incidents.iter().map(|i| (**i).clone()).collect();
    state.apply(
        Event::Incidents {
            source: "demo".into(),
            generation,
            result: Ok(incidents),
            degraded: Some("1 of 2 members down: cannot reach server".into()),
        },
        t0(),
    );
    assert_eq!(state.incidents.len(), count);
    let health = state.sources[0].health(t0());
    assert_eq!(
        health.label(),
        "degraded: 1 of 2 members down: cannot reach server"
    );
}

#[test]
fn a_rate_limited_source_is_slowed_not_failing_and_keeps_its_incidents() {
    let mut state = demo_state(160, 48);
    let count = state.incidents.len();
    let generation = state.sources[0].generation + 1;
    state.apply(
        Event::Incidents {
            source: "demo".into(),
            generation,
            result: Err(crate::providers::ProviderError::RateLimited {
                retry_after_secs: Some(60),
            }),
            degraded: None,
        },
        t0(),
    );
    assert_eq!(state.incidents.len(), count);
    let later = t0() + chrono::TimeDelta::seconds(15);
    let health = state.sources[0].health(later);
    assert_eq!(
        health.label(),
        "rate limited: asking again in 45s, last good 15s ago"
    );
    // The next good answer clears it.
    let incidents = state.incidents.iter().map(|i| (**i).clone()).collect();
    state.apply(
        Event::Incidents {
            source: "demo".into(),
            generation: generation + 1,
            result: Ok(incidents),
            degraded: None,
        },
        later,
    );
    assert_eq!(state.sources[0].health(later).label(), "live");
}
