#![allow(clippy::unwrap_used)] // Tests: a failure here is a failed test.
//! Scoring drills on scripted runs against the bundled scenarios.

use chrono::TimeDelta;
use pagerdeck::drill::score::{AcknowledgeVerdict, Debrief, EscalationVerdict, Part, StepVerdict};
use pagerdeck::drill::{DeedKind, score};

#[path = "support/drill.rs"]
mod drill;
use drill::{outage_run, run, scenario, start, step};

fn text(debrief: &Debrief) -> String {
    debrief.lines().join("\n")
}

#[test]
fn a_good_run_of_the_slow_burn_gets_full_marks() {
    let s = scenario("disk-creep");
    // DRILL-101 fires at +1m; acknowledged 2 minutes later, steps in order, no escalation.
    let mut deeds = vec![(180, DeedKind::Acknowledged)];
    deeds.extend((1..=5).map(|n| (180 + 60 * n as i64, step(&s, n))));
    let debrief = score(&s, &run(&s, "DRILL-101", &deeds));
    assert_eq!(debrief.score, 100, "{}", text(&debrief));
    let incident = &debrief.incidents[0];
    assert_eq!(incident.acknowledge.after_seconds, Some(120));
    assert_eq!(incident.acknowledge.verdict, AcknowledgeVerdict::InTime);
    assert!(
        incident
            .steps
            .iter()
            .all(|s| s.verdict == StepVerdict::Followed)
    );
    assert!(incident.missed.is_empty());
    assert_eq!(incident.escalation.verdict, EscalationVerdict::NotNeeded);
    let lines = text(&debrief);
    assert!(
        lines.contains("Drill disk-creep (slow-burn): 100/100"),
        "{lines}"
    );
    assert!(
        lines.contains("✔ acknowledged in 2m (within 5m)"),
        "{lines}"
    );
    assert!(
        lines.contains("✔ not escalated: right, this one did not need Eng Cap"),
        "{lines}"
    );
    assert!(!lines.contains('✖'), "{lines}");
}

#[test]
fn a_late_acknowledgement_costs_points_and_says_by_how_much() {
    let s = scenario("disk-creep");
    let mut deeds = vec![(60 + 7 * 60 + 5, DeedKind::Acknowledged)];
    deeds.extend((1..=5).map(|n| (600 + 60 * n as i64, step(&s, n))));
    let debrief = score(&s, &run(&s, "DRILL-101", &deeds));
    let incident = &debrief.incidents[0];
    assert_eq!(incident.acknowledge.verdict, AcknowledgeVerdict::Late);
    assert_eq!(incident.acknowledge.after_seconds, Some(425));
    assert_eq!(debrief.score, 82, "70 of 85: 10 of 25 for a late one");
    assert!(text(&debrief).contains("✖ acknowledged in 7m05s: late, the aim is within 5m"));
}

#[test]
fn steps_in_the_wrong_order_are_named_and_half_counted() {
    let s = scenario("disk-creep");
    let deeds = [
        (120, DeedKind::Acknowledged),
        (200, step(&s, 2)),
        (260, step(&s, 1)),
        (300, step(&s, 3)),
        (360, step(&s, 4)),
        (420, step(&s, 5)),
    ];
    let debrief = score(&s, &run(&s, "DRILL-101", &deeds));
    let steps = &debrief.incidents[0].steps;
    assert_eq!(steps[0].verdict, StepVerdict::Followed);
    assert_eq!(steps[1].verdict, StepVerdict::OutOfOrder);
    assert_eq!(steps[1].done_before, Some(1));
    assert!(
        steps[2..]
            .iter()
            .all(|s| s.verdict == StepVerdict::Followed)
    );
    let check = debrief.incidents[0]
        .checks
        .iter()
        .find(|c| c.part == Part::Steps)
        .unwrap();
    assert_eq!(check.points, 32, "one of five half counted: 35 * 9/10");
    let lines = text(&debrief);
    assert!(
        lines.contains("~ step 2 out of order (done before step 1): List the replication slots"),
        "{lines}"
    );
}

#[test]
fn a_skipped_step_is_listed_with_its_playbook_line() {
    let s = scenario("disk-creep");
    let deeds = [
        (120, DeedKind::Acknowledged),
        (200, step(&s, 1)),
        (260, step(&s, 2)),
        // Step 3 checked by mistake, then unchecked: not done.
        (280, step(&s, 3)),
        (
            290,
            DeedKind::StepUndone {
                playbook: s.expect[0].playbook.clone().unwrap(),
                step: 2,
            },
        ),
        (300, step(&s, 4)),
        (360, step(&s, 5)),
    ];
    let debrief = score(&s, &run(&s, "DRILL-101", &deeds));
    let incident = &debrief.incidents[0];
    assert_eq!(incident.steps[2].verdict, StepVerdict::Skipped);
    assert_eq!(incident.missed.len(), 1);
    assert!(
        incident.missed[0].starts_with("An inactive slot holding more than 10 GB"),
        "{:?}",
        incident.missed
    );
    assert!(text(&debrief).contains("✖ step 3 skipped: An inactive slot holding more than 10 GB"));
    assert_eq!(debrief.score, 92, "85 - 7 of 85");
}

#[test]
fn the_outage_escalated_in_time_is_right() {
    let debrief = outage_run(Some(150 + 9 * 60));
    assert_eq!(debrief.score, 100, "{}", text(&debrief));
    assert_eq!(debrief.incidents[0].escalation.after_seconds, Some(540));
    assert!(text(&debrief).contains("✔ escalated to Eng Cap after 9m (within 15m)"));
}

#[test]
fn a_missed_escalation_is_wrong() {
    let debrief = outage_run(None);
    let escalation = &debrief.incidents[0].escalation;
    assert_eq!(escalation.verdict, EscalationVerdict::Missed);
    assert_eq!(debrief.score, 71, "60 of 85");
    assert!(text(&debrief).contains("✖ not escalated: this one needed Eng Cap within 15m"));
}

#[test]
fn a_late_escalation_is_wrong_but_not_as_wrong() {
    let debrief = outage_run(Some(150 + 20 * 60));
    assert_eq!(
        debrief.incidents[0].escalation.verdict,
        EscalationVerdict::Late
    );
    assert_eq!(debrief.score, 82, "70 of 85");
    assert!(
        text(&debrief).contains("✖ escalated after 20m: too late, it needed Eng Cap within 15m")
    );
}

#[test]
fn escalating_the_slow_burn_is_wrong() {
    let s = scenario("disk-creep");
    let mut deeds = vec![(120, DeedKind::Acknowledged), (150, DeedKind::Escalated)];
    deeds.extend((1..=5).map(|n| (200 + 60 * n as i64, step(&s, n))));
    let debrief = score(&s, &run(&s, "DRILL-101", &deeds));
    assert_eq!(
        debrief.incidents[0].escalation.verdict,
        EscalationVerdict::Wrong
    );
    assert_eq!(debrief.score, 71);
    assert!(text(&debrief).contains("✖ escalated after 1m30s, but this one did not need Eng Cap"));
}

fn noise_run(mark: bool, escalate: bool) -> Debrief {
    let s = scenario("flapping-probe");
    let mut deeds = vec![
        (90, DeedKind::Acknowledged),
        (120, step(&s, 1)),
        (150, step(&s, 2)),
    ];
    if mark {
        deeds.push((
            170,
            DeedKind::NotActionable {
                reason: "eu-runner-3 flapping, WEB-1234".into(),
            },
        ));
    }
    if escalate {
        deeds.push((200, DeedKind::Escalated));
    }
    score(&s, &run(&s, "DRILL-301", &deeds))
}

#[test]
fn the_noisy_alert_marked_not_actionable_is_right() {
    let debrief = noise_run(true, false);
    assert_eq!(debrief.score, 100, "{}", text(&debrief));
    let noise = &debrief.incidents[0].not_actionable;
    assert!(noise.expected && noise.marked);
    assert!(text(&debrief).contains("✔ marked not actionable: \"eu-runner-3 flapping, WEB-1234\""));
}

#[test]
fn the_noisy_alert_not_marked_or_escalated_is_wrong() {
    let debrief = noise_run(false, false);
    assert_eq!(debrief.score, 85, "85 of 100");
    assert!(
        text(&debrief)
            .contains("✖ not marked not actionable (`!`): its playbook calls this page noise")
    );
    let debrief = noise_run(true, true);
    assert_eq!(
        debrief.incidents[0].escalation.verdict,
        EscalationVerdict::Wrong
    );
    assert_eq!(debrief.score, 75);
}

#[test]
fn marking_a_real_outage_not_actionable_is_wrong() {
    let s = scenario("orders-outage");
    let debrief = score(
        &s,
        &run(
            &s,
            "DRILL-201",
            &[(
                200,
                DeedKind::NotActionable {
                    reason: "flaky".into(),
                },
            )],
        ),
    );
    assert!(
        text(&debrief).contains("✖ marked not actionable: \"flaky\", but it was a real incident")
    );
    assert_eq!(debrief.incidents[0].max_points, 100);
    assert_eq!(debrief.score, 0);
}

#[test]
fn doing_nothing_scores_nothing_and_lists_every_missed_line() {
    let s = scenario("orders-outage");
    let debrief = score(&s, &run(&s, "DRILL-201", &[]));
    assert_eq!(debrief.score, 0);
    let incident = &debrief.incidents[0];
    assert_eq!(incident.acknowledge.verdict, AcknowledgeVerdict::Never);
    assert_eq!(incident.missed.len(), 4);
    let lines = text(&debrief);
    assert!(
        lines.contains("✖ never acknowledged (the aim is within 3m)"),
        "{lines}"
    );
    assert_eq!(lines.matches("skipped:").count(), 4, "{lines}");
    // Deeds on other incidents or other playbooks do not count for this one.
    let other = run(
        &s,
        "DRILL-999",
        &[(200, DeedKind::Acknowledged), (210, step(&s, 1))],
    );
    assert_eq!(score(&s, &other).score, 0);
}

#[test]
fn an_incident_that_had_not_fired_when_the_drill_ended_is_not_judged() {
    let s = scenario("orders-outage");
    let mut log = run(&s, "DRILL-201", &[]);
    log.ended = start() + TimeDelta::seconds(60);
    let debrief = score(&s, &log);
    assert!(!debrief.incidents[0].fired);
    assert_eq!(debrief.max_points, 0);
    assert!(text(&debrief).contains("it had not fired when the drill ended"));
}

#[test]
fn the_debrief_json_has_stable_names_and_seconds() {
    let debrief = outage_run(Some(700));
    let json = serde_json::to_value(&debrief).unwrap();
    assert_eq!(json["scenario"], "orders-outage");
    assert_eq!(json["score"], 100);
    assert_eq!(json["lasted_seconds"], 1800);
    let incident = &json["incidents"][0];
    assert_eq!(incident["acknowledge"]["after_seconds"], 50);
    assert_eq!(incident["acknowledge"]["verdict"], "in_time");
    assert_eq!(incident["escalation"]["verdict"], "right");
    assert_eq!(incident["steps"][0]["verdict"], "followed");
    assert_eq!(incident["checks"][0]["part"], "acknowledge");
}

#[test]
fn hostile_text_reaches_the_debrief_lines_without_escapes() {
    let mut s = scenario("orders-outage");
    s.expect[0].title = "orders \u{1b}]0;pwned\u{7} down".into();
    s.expect[0].steps[0].text = "\u{1b}[2Jwipe the screen".into();
    let reason = "noise\u{1b}[31m \u{202e}red".to_string();
    let debrief = score(
        &s,
        &run(
            &s,
            "DRILL-201",
            &[(200, DeedKind::NotActionable { reason })],
        ),
    );
    let lines = text(&debrief);
    assert!(
        !lines.contains('\u{1b}') && !lines.contains('\u{7}') && !lines.contains('\u{202e}'),
        "{lines:?}"
    );
    assert!(
        lines.contains("wipe the screen") && lines.contains("down"),
        "{lines}"
    );
}

#[test]
fn the_debrief_of_a_mixed_run_reads_plainly() {
    let s = scenario("orders-outage");
    let deeds = [
        (300, DeedKind::Acknowledged),
        (320, step(&s, 3)),
        (330, step(&s, 1)),
        (1400, DeedKind::Escalated),
    ];
    let mut debrief = score(&s, &run(&s, "DRILL-201", &deeds));
    debrief.progress = Some("3rd run: 55 → 70 → 56; acknowledged in 6m → 2m30s".into());
    insta::assert_snapshot!(text(&debrief));
}
