//! Where an escalation stands: on its way, sent, taken by level two (the source's word,
//! or the incident in other hands), failed; and the same read back after a restart.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::State;
use super::escalate::Escalation;
use super::tests::{demo_state, press, t0};
use crate::command::Command;
use crate::event::{Event, OpState};
use crate::incident::LevelTwoAnswer;
use crate::journal::Record;
use crate::providers::Verb;
use crate::testing::change_first_incident;

fn ctrl(state: &mut State, c: char) -> Vec<Command> {
    state.apply(
        Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)),
        t0(),
    )
}

#[test]
fn an_escalation_goes_pending_then_sent_then_taken_or_failed() {
    let mut state = demo_state(160, 48);
    let incident = state.selected().unwrap().clone();
    press(&mut state, KeyCode::Char('e'));
    let commands = ctrl(&mut state, 's');
    let [Command::Submit(op)] = &commands[..] else {
        panic!("{commands:?}")
    };
    let stage = |state: &State| {
        let incident = state.selected().unwrap().clone();
        state.escalation_of(&incident).map(|(_, _, stage)| stage)
    };
    assert_eq!(stage(&state), Some(Escalation::Pending));
    state.apply(
        Event::Op {
            id: op.id,
            state: OpState::Confirmed,
        },
        t0(),
    );
    // Still ours (Ana Ops): sent, not taken.
    assert_eq!(incident.assignee.as_deref(), Some("Ana Ops"));
    assert_eq!(stage(&state), Some(Escalation::Sent));
    // The next poll shows level two has it.
    change_first_incident(&mut state, |i| i.assignee = Some("Kai Lindqvist".into()));
    assert_eq!(
        stage(&state),
        Some(Escalation::Taken("Kai Lindqvist".into()))
    );
    assert_eq!(
        Escalation::Taken("Kai Lindqvist".into()).describe("03:12"),
        "taken by Kai Lindqvist"
    );

    // Another one that the source refuses says why.
    press(&mut state, KeyCode::Char('j'));
    press(&mut state, KeyCode::Char('e'));
    let commands = ctrl(&mut state, 's');
    let [Command::Submit(op)] = &commands[..] else {
        panic!("{commands:?}")
    };
    state.apply(
        Event::Op {
            id: op.id,
            state: OpState::Failed("token rejected for pd: check PAGERDUTY_TOKEN".into()),
        },
        t0(),
    );
    assert_eq!(
        stage(&state),
        Some(Escalation::Failed(
            "token rejected for pd: check PAGERDUTY_TOKEN".into()
        ))
    );
}

#[test]
fn the_sources_word_on_level_two_comes_before_the_assignment() {
    let mut state = demo_state(160, 48);
    press(&mut state, KeyCode::Char('e'));
    let commands = ctrl(&mut state, 's');
    let [Command::Submit(op)] = &commands[..] else {
        panic!("{commands:?}")
    };
    state.apply(
        Event::Op {
            id: op.id,
            state: OpState::Confirmed,
        },
        t0(),
    );
    let stage = |state: &State| {
        let incident = state.selected().unwrap().clone();
        state.escalation_of(&incident).map(|(_, _, stage)| stage)
    };
    // A responder request that level two accepted: taken, though the assignment is ours.
    change_first_incident(&mut state, |i| {
        i.level_two_answer = Some(LevelTwoAnswer::Taken {
            by: "Mia Chen".into(),
        })
    });
    assert_eq!(stage(&state), Some(Escalation::Taken("Mia Chen".into())));
    // One that level two declined needs asking again, and says so.
    change_first_incident(&mut state, |i| {
        i.level_two_answer = Some(LevelTwoAnswer::Declined {
            by: "Mia Chen".into(),
        })
    });
    let Some(Escalation::Failed(reason)) = stage(&state) else {
        panic!("{:?}", stage(&state))
    };
    assert_eq!(reason, "declined by Mia Chen: escalate again");
}

#[test]
fn escalations_journaled_before_a_restart_are_shown_again() {
    let mut state = demo_state(160, 48);
    let incidents: Vec<_> = state.incidents.iter().take(3).cloned().collect();
    let now = state.now;
    let escalate = |to: &str| Verb::Escalate {
        to: to.into(),
        message: Some("need you".into()),
        route: None,
        playbook_route: None,
    };
    let pending =
        |op: u64, key: &crate::incident::IncidentKey, verb: Verb, minutes: i64| Record::Pending {
            at: now - chrono::TimeDelta::minutes(minutes),
            op,
            key: key.clone(),
            verb,
            by: "Ana Ops".into(),
            assignee_then: Some("Ana Ops".into()),
            incident: None,
        };
    let records = vec![
        pending(1, &incidents[0].key, escalate("Eng Cap"), 30),
        Record::Confirmed {
            at: now,
            op: 1,
            note: None,
        },
        pending(2, &incidents[1].key, escalate("Eng Cap"), 20),
        Record::Failed {
            at: now,
            op: 2,
            reason: "token rejected for pd".into(),
        },
        // Killed before the source answered.
        pending(3, &incidents[2].key, escalate("Eng Cap"), 10),
        // Too old to matter, and not an escalation: neither comes back.
        // (Op ids are clock milliseconds: an older op has a smaller one.)
        pending(0, &incidents[0].key, escalate("Old L2"), 25 * 60),
        pending(5, &incidents[1].key, Verb::acknowledge(), 5),
        Record::Confirmed {
            at: now,
            op: 5,
            note: None,
        },
    ];
    state.restore_escalations(&records);
    state.restore_outstanding(&crate::journal::outstanding(&records));
    let stage = |i: usize| {
        state
            .escalation_of(&state.incidents[i].clone())
            .map(|(to, _, stage)| (to, stage))
    };
    // Still ours (Ana Ops has it): sent, not taken.
    assert_eq!(stage(0), Some(("Eng Cap".into(), Escalation::Sent)));
    assert_eq!(
        stage(1),
        Some((
            "Eng Cap".into(),
            Escalation::Failed("token rejected for pd".into())
        ))
    );
    // Killed before the source answered: the outbox carries on with it, so it is on
    // its way again rather than given up.
    assert_eq!(stage(2), Some(("Eng Cap".into(), Escalation::Pending)));
    assert_eq!(state.ops[&3].state, OpState::Pending);
    // The old one is back too, for the outbox to journal as too old to resend.
    assert_eq!(
        state.ops.keys().copied().collect::<Vec<_>>(),
        vec![0, 1, 2, 3]
    );
}
