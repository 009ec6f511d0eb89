#![allow(clippy::unwrap_used)] // Tests: a failure here is a failed test.
//! Scripted drills through the real `State`, as the app loop drives it: keys and polls at
//! simulated times, the drill's referee noting what was done, the demo source on the
//! scenario's world carrying out the verbs. No terminal, no tokio runtime of the app's.

use chrono::TimeDelta;
use crossterm::event::KeyCode;
use pagerdeck::command::Command;
use pagerdeck::drill::DeedKind;
use pagerdeck::event::Event;
use pagerdeck::incident::{LevelTwoAnswer, Status};
use pagerdeck::state::drill::{DrillEnd, DrillPhase};

#[path = "support/drill_rig.rs"]
mod drill_rig;
use drill_rig::{Rig, three_am};

#[tokio::test]
async fn acknowledging_checking_a_step_and_escalating_are_deeds_in_simulated_time() {
    let mut rig = Rig::new();
    rig.at(1).await;
    rig.select("DRILL-1");
    rig.key(KeyCode::Char('a')).await;
    rig.key(KeyCode::Char('y')).await;
    rig.at(2).await;
    rig.key(KeyCode::Char('x')).await;
    rig.at(3).await;
    rig.key(KeyCode::Char('e')).await;
    let sent = rig.ctrl('s').await;
    assert!(
        matches!(&sent[..], [Command::Submit(_)]),
        "Ctrl-S sends the hand-over: {sent:?}"
    );
    let deeds = rig.deeds();
    assert_eq!(
        deeds,
        vec![
            (60, "DRILL-1".into(), DeedKind::Acknowledged),
            (
                120,
                "DRILL-1".into(),
                DeedKind::StepDone {
                    playbook: "payments/checkout-api.md".into(),
                    step: 0,
                    text: "Check the last deploy".into(),
                }
            ),
            (180, "DRILL-1".into(), DeedKind::Escalated),
        ]
    );
    // A step taken back is a deed too (x moved on to the next step: p goes back to it).
    rig.key(KeyCode::Char('p')).await;
    rig.key(KeyCode::Char('X')).await;
    let last = rig.deeds().pop().unwrap();
    assert!(
        matches!(&last.2, DeedKind::StepUndone { step: 0, .. }),
        "{last:?}"
    );
}

#[tokio::test]
async fn level_two_takes_the_escalation_after_the_scenarios_delay() {
    let mut rig = Rig::new();
    rig.at(1).await;
    rig.select("DRILL-1");
    rig.key(KeyCode::Char('e')).await;
    rig.ctrl('s').await;
    let taken = |rig: &Rig| {
        let incident = rig
            .state
            .incidents
            .iter()
            .find(|i| i.key.id == "DRILL-1")
            .unwrap();
        (incident.assignee.clone(), incident.level_two_answer.clone())
    };
    // 1m59s after it was sent: still waiting (the scenario says 2m).
    rig.clock
        .set(three_am() + TimeDelta::minutes(3) - TimeDelta::seconds(1));
    rig.poll().await;
    assert_eq!(taken(&rig).1, None);
    rig.at(3).await;
    assert_eq!(
        taken(&rig),
        (
            Some("Kai Lindqvist".into()),
            Some(LevelTwoAnswer::Taken {
                by: "Kai Lindqvist".into()
            })
        )
    );
    let incident = rig.state.incidents.iter().find(|i| i.key.id == "DRILL-1");
    assert_eq!(incident.unwrap().status, Status::Acknowledged);
}

#[tokio::test]
async fn the_drill_ends_when_its_time_is_up_and_shows_the_debrief() {
    let mut rig = Rig::new();
    rig.at(19).await;
    rig.feed(Event::Tick).await;
    assert_eq!(rig.phase(), DrillPhase::Running);
    rig.clock.set(three_am() + TimeDelta::minutes(20));
    let commands = rig.feed(Event::Tick).await;
    assert!(
        commands.contains(&Command::EndDrill(DrillEnd::TimeUp)),
        "{commands:?}"
    );
    let DrillPhase::Debrief(debrief) = rig.phase() else {
        panic!("no debrief: {:?}", rig.phase())
    };
    assert_eq!(debrief.why, DrillEnd::TimeUp);
    let scored = pagerdeck::drill::score(rig.run.scenario(), rig.run.log());
    assert_eq!(debrief.lines, scored.lines());
    assert_eq!(rig.run.log().ended, three_am() + TimeDelta::minutes(20));
    assert_eq!(rig.run.outcome().lock().unwrap().as_ref(), Some(&scored));
    // Once over, nothing more is noted nor ended again.
    rig.clock.set(three_am() + TimeDelta::minutes(25));
    assert!(
        !rig.feed(Event::Tick)
            .await
            .iter()
            .any(|c| matches!(c, Command::EndDrill(_)))
    );
}

#[tokio::test]
async fn the_drill_ends_once_every_incident_has_appeared_and_is_resolved() {
    let mut rig = Rig::new();
    rig.at(1).await;
    rig.select("DRILL-1");
    rig.key(KeyCode::Char('R')).await;
    rig.key(KeyCode::Char('y')).await;
    rig.feed(Event::Tick).await;
    // DRILL-2 has not arrived yet: the night is not over.
    assert_eq!(rig.phase(), DrillPhase::Running);
    rig.at(6).await;
    rig.select("DRILL-2");
    rig.key(KeyCode::Char('R')).await;
    let commands = rig.key(KeyCode::Char('y')).await;
    assert!(
        commands.contains(&Command::EndDrill(DrillEnd::AllHandled)),
        "{commands:?}"
    );
    assert!(matches!(rig.phase(), DrillPhase::Debrief(_)));
    assert_eq!(rig.run.log().ended, three_am() + TimeDelta::minutes(6));
}

#[tokio::test]
async fn q_asks_before_ending_n_goes_on_y_ends_and_the_debrief_leaves_on_q() {
    let mut rig = Rig::new();
    rig.at(1).await;
    assert!(
        rig.key(KeyCode::Char('q')).await.is_empty(),
        "q does not leave a drill at once"
    );
    assert_eq!(rig.phase(), DrillPhase::AskingToEnd);
    assert!(
        rig.screen(80, 24)
            .contains("End the drill now and see the debrief?")
    );
    rig.key(KeyCode::Char('n')).await;
    assert_eq!(rig.phase(), DrillPhase::Running);
    rig.key(KeyCode::Char('q')).await;
    let commands = rig.key(KeyCode::Char('y')).await;
    assert_eq!(commands, vec![Command::EndDrill(DrillEnd::Asked)]);
    assert!(matches!(rig.phase(), DrillPhase::Debrief(_)));
    // Keys on the debrief scroll it; they act on no incident.
    assert!(rig.key(KeyCode::Char('a')).await.is_empty());
    assert!(rig.state.overlay.is_none());
    assert!(!rig.quit);
    rig.key(KeyCode::Char('q')).await;
    assert!(rig.quit, "q leaves the debrief");
}

#[tokio::test]
async fn the_banner_says_drill_with_its_speed_and_simulated_time_never_a_real_page() {
    let mut rig = Rig::new();
    rig.at(4).await;
    for (width, height) in [(80, 24), (120, 40)] {
        let screen = rig.screen(width, height);
        let status = screen.lines().last().unwrap();
        assert!(status.contains("DRILL tiny-outage ×10 · 03:04"), "{status}");
        assert!(!status.contains("DEMO DATA"), "{status}");
        assert!(screen.contains("checkout-api 5xx"), "{screen}");
    }
}

#[tokio::test]
async fn the_debrief_screen_shows_every_score_line_at_80x24() {
    let mut rig = Rig::new();
    rig.at(1).await;
    rig.key(KeyCode::Char('q')).await;
    rig.key(KeyCode::Char('y')).await;
    let DrillPhase::Debrief(debrief) = rig.phase() else {
        panic!("no debrief")
    };
    let screen = rig.screen(80, 24);
    assert!(screen.contains("Debrief · tiny-outage"), "{screen}");
    assert!(
        screen.contains("The drill is over: you ended it."),
        "{screen}"
    );
    // As many as fit; the rest are a scroll away.
    for line in debrief.lines.iter().take(15) {
        let start: String = line.chars().take(60).collect();
        assert!(
            screen.contains(start.trim_end()),
            "{line:?} not on\n{screen}"
        );
    }
    assert!(screen.contains("q/Enter"), "{screen}");
    // The cockpit under it is hidden: the incident list is not drawn through.
    assert!(!screen.contains("checkout-api 5xx above"), "{screen}");
}

#[tokio::test]
async fn a_result_that_could_not_be_saved_is_said_on_the_debrief() {
    let mut rig = Rig::new();
    rig.at(1).await;
    rig.state.show_debrief(
        vec!["Drill tiny-outage".into()],
        DrillEnd::Asked,
        Err("cannot write /nope/drills/results.jsonl: read-only file system".into()),
    );
    let screen = rig.screen(80, 24);
    assert!(screen.contains("could not save this result"), "{screen}");
    assert!(screen.contains("read-only file system"), "{screen}");
}
