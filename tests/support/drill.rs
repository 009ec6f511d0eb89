//! Scripted drill runs against the bundled scenarios, for the scoring and results tests.

use chrono::{DateTime, TimeDelta, Utc};
use pagerdeck::drill::{Debrief, Deed, DeedKind, DrillLog, Scenario, scenario, score};

pub fn scenario(name: &str) -> Scenario {
    scenario::find(name, &[]).unwrap()
}

pub fn start() -> DateTime<Utc> {
    DateTime::from_timestamp(1_800_000_000, 0).unwrap()
}

/// A run scripted as (seconds from the drill's start, what), all on `incident`.
pub fn run(scenario: &Scenario, incident: &str, deeds: &[(i64, DeedKind)]) -> DrillLog {
    DrillLog {
        started: start(),
        ended: start() + TimeDelta::seconds(scenario.duration_seconds),
        speed: 10.0,
        deeds: deeds
            .iter()
            .map(|(at, what)| Deed {
                at: start() + TimeDelta::seconds(*at),
                incident: incident.into(),
                what: what.clone(),
            })
            .collect(),
    }
}

/// Step `number` (as the user sees it) of the incident's expected playbook, checked.
pub fn step(scenario: &Scenario, number: usize) -> DeedKind {
    let expected = &scenario.expect[0];
    DeedKind::StepDone {
        playbook: expected.playbook.clone().unwrap(),
        step: number - 1,
        text: format!("step {number}"),
    }
}

/// The outage done right, escalated at `escalated_at` seconds (or not at all).
pub fn outage_run(escalated_at: Option<i64>) -> Debrief {
    let s = scenario("orders-outage");
    // DRILL-201 fires at +2m30s.
    let mut deeds = vec![(200, DeedKind::Acknowledged)];
    deeds.extend((1..=4).map(|n| (200 + 60 * n as i64, step(&s, n))));
    deeds.extend(escalated_at.map(|at| (at, DeedKind::Escalated)));
    score(&s, &run(&s, "DRILL-201", &deeds))
}
