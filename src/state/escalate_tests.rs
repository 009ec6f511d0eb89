//! The escalation panel: composed, edited, sent with Ctrl-S, dropped with Esc.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::escalate::Roster;
use super::tests::{demo_state, flash_text, press, t0};
use super::{Overlay, State};
use crate::command::{Command, Op};
use crate::config::{PagerdutyMode, PagerdutyRoute};
use crate::event::Event;
use crate::providers::demo::DEMO_ROUTE;
use crate::providers::route::{PlaybookLevelTwo, RouteOverride};
use crate::providers::{Capabilities, OnCall, Verb};

fn ctrl(state: &mut State, c: char) -> Vec<Command> {
    state.apply(
        Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)),
        t0(),
    )
}

fn panel_text(state: &State) -> String {
    match &state.overlay {
        Some(Overlay::Escalate(panel)) => panel.message(),
        other => panic!("no escalation panel: {other:?}"),
    }
}

#[test]
fn e_opens_the_hand_over_and_asks_who_is_on_call() {
    let mut state = demo_state(160, 48);
    let key = state.selected().unwrap().key.clone();
    let commands = press(&mut state, KeyCode::Char('e'));
    let [
        Command::FetchLevelTwo {
            key: asked,
            escalation,
        },
    ] = &commands[..]
    else {
        panic!("{commands:?}")
    };
    assert_eq!(asked, &key);
    assert!(
        matches!(escalation, Verb::Escalate { to, message: None, .. } if to == "Eng Cap"),
        "the escalation it would send, before its hand-over: {escalation:?}"
    );
    let level_two = |state: &State| match &state.overlay {
        Some(Overlay::Escalate(panel)) => panel.level_two.clone(),
        other => panic!("no escalation panel: {other:?}"),
    };
    assert_eq!(level_two(&state), Roster::Loading);
    let text = panel_text(&state);
    assert!(text.starts_with("Eng Cap: checkout-api 5xx"), "{text}");
    assert!(
        text.ends_with("Escalated by Ana Ops at 03:12 UTC."),
        "{text}"
    );
    let kai = OnCall {
        source: "demo".into(),
        rota: "Eng Cap".into(),
        level: Some(2),
        who: "Kai Lindqvist".into(),
        until: None,
        from: None,
    };
    // An answer about another incident is not this panel's.
    state.apply(
        Event::LevelTwo {
            key: crate::incident::IncidentKey::new("demo", "INC-1"),
            result: Ok(Vec::new()),
        },
        t0(),
    );
    assert_eq!(level_two(&state), Roster::Loading);
    state.apply(
        Event::LevelTwo {
            key,
            result: Ok(vec![kai.clone()]),
        },
        t0(),
    );
    assert_eq!(level_two(&state), Roster::Known(vec![kai]));
}

#[test]
fn the_edited_hand_over_is_what_ctrl_s_sends() {
    let mut state = demo_state(160, 48);
    let key = state.selected().unwrap().key.clone();
    press(&mut state, KeyCode::Char('e'));
    // Typed at the top: letters, a new line; y and n are text here, not answers.
    for c in "Kai, yes: need you now".chars() {
        press(&mut state, KeyCode::Char(c));
    }
    press(&mut state, KeyCode::Enter);
    let text = panel_text(&state);
    assert!(
        text.starts_with("Kai, yes: need you now\nEng Cap: checkout-api"),
        "{text}"
    );
    let commands = ctrl(&mut state, 's');
    let [
        Command::Submit(Op {
            key: sent, verb, ..
        }),
    ] = &commands[..]
    else {
        panic!("{commands:?}")
    };
    assert_eq!(sent, &key);
    assert_eq!(
        verb,
        &Verb::Escalate {
            to: "Eng Cap".into(),
            message: Some(text),
            route: Some(DEMO_ROUTE.into()),
            playbook_route: None,
        }
    );
    assert!(state.overlay.is_none());
}

#[test]
fn esc_drops_the_hand_over_and_sends_nothing() {
    let mut state = demo_state(160, 48);
    press(&mut state, KeyCode::Char('e'));
    assert!(press(&mut state, KeyCode::Esc).is_empty());
    assert!(state.overlay.is_none() && state.ops.is_empty());
    assert_eq!(flash_text(&state), "escalation dropped: nothing was sent");
}

#[test]
fn pasted_text_lands_in_the_editor_without_terminal_controls() {
    let mut state = demo_state(160, 48);
    press(&mut state, KeyCode::Char('e'));
    state.apply(
        Event::Paste("see \u{1b}]52;c;ZXZpbA==\u{7}graph\nline two".into()),
        t0(),
    );
    let text = panel_text(&state);
    assert!(text.starts_with("see "), "{text}");
    assert!(text.contains("graph\nline two"), "{text}");
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{7}'),
        "{text:?}"
    );
}

#[test]
fn a_source_that_cannot_escalate_says_how_to_set_it_up() {
    let mut state = demo_state(160, 48);
    state.sources[0].capabilities = Capabilities {
        escalate: Err("no escalation route for Opsgenie: set [escalation] opsgenie".into()),
        ..Capabilities::all()
    };
    assert!(press(&mut state, KeyCode::Char('e')).is_empty());
    assert!(state.overlay.is_none());
    assert_eq!(
        flash_text(&state),
        "cannot escalate: no escalation route for Opsgenie: set [escalation] opsgenie"
    );
}

#[test]
fn w_asks_every_source_who_is_on_call_and_closes_again() {
    let mut state = demo_state(160, 48);
    let commands = press(&mut state, KeyCode::Char('W'));
    assert_eq!(commands, [Command::FetchOnCall("demo".into())]);
    assert_eq!(state.overlay, Some(Overlay::Roster { scroll: 0 }));
    press(&mut state, KeyCode::Char('W'));
    assert!(state.overlay.is_none(), "W again closes it");
}

#[test]
fn a_playbook_that_names_its_own_level_two_is_escalated_there() {
    let mut state = demo_state(160, 48);
    let incident = state.selected().unwrap().clone();
    let matched = state.setup.library.find(&incident).unwrap();
    state.setup.library.playbooks[matched.index].escalation = Some(PlaybookLevelTwo {
        name: Some("Payments DB on-call".into()),
        ..PlaybookLevelTwo::default()
    });
    press(&mut state, KeyCode::Char('e'));
    let Some(Overlay::Escalate(panel)) = &state.overlay else {
        panic!("{:?}", state.overlay)
    };
    assert_eq!(panel.plan.to, "Payments DB on-call");
    assert!(
        panel
            .message()
            .starts_with("Payments DB on-call: checkout-api")
    );
    let commands = ctrl(&mut state, 's');
    assert!(
        matches!(&commands[..], [Command::Submit(Op { verb: Verb::Escalate { to, .. }, .. })] if to == "Payments DB on-call"),
        "{commands:?}"
    );
}

#[test]
fn a_playbooks_own_route_is_taken_shown_and_journaled() {
    let mut state = demo_state(160, 48);
    // A PagerDuty source with no [escalation] pagerduty route of its own.
    state.setup.sources[0].kind = "pagerduty".into();
    state.sources[0].capabilities = Capabilities {
        escalate: Err("no escalation route for PagerDuty: set [escalation] pagerduty".into()),
        ..Capabilities::all()
    };
    let incident = state.selected().unwrap().clone();
    let route = PagerdutyRoute {
        escalation_policy_id: Some("PPAY2".into()),
        escalation_level: None,
        mode: PagerdutyMode::ResponderRequest,
    };
    let matched = state.setup.library.find(&incident).unwrap();
    state.setup.library.playbooks[matched.index].escalation = Some(PlaybookLevelTwo {
        name: Some("Payments L2".into()),
        pagerduty: Some(route.clone()),
        ..PlaybookLevelTwo::default()
    });
    assert_eq!(state.action_refused(crate::action::Action::Escalate), None);
    press(&mut state, KeyCode::Char('e'));
    let words = "PagerDuty: responder request to escalation policy PPAY2, the hand-over as a note";
    let Some(Overlay::Escalate(panel)) = &state.overlay else {
        panic!("{:?}", state.overlay)
    };
    assert_eq!(panel.plan.route.as_deref(), Some(words));
    let commands = ctrl(&mut state, 's');
    let [Command::Submit(Op { verb, .. })] = &commands[..] else {
        panic!("{commands:?}")
    };
    let Verb::Escalate {
        to,
        route: said,
        playbook_route,
        ..
    } = verb
    else {
        panic!("{verb:?}")
    };
    assert_eq!(to, "Payments L2");
    assert_eq!(said.as_deref(), Some(words));
    assert_eq!(playbook_route, &Some(RouteOverride::Pagerduty(route)));

    // Another incident, whose playbook has no route, is still refused with how to set one.
    state.setup.library.playbooks[matched.index].escalation = None;
    press(&mut state, KeyCode::Char('e'));
    assert!(state.overlay.is_none());
    assert_eq!(
        flash_text(&state),
        "cannot escalate: no escalation route for PagerDuty: set [escalation] pagerduty"
    );
}
