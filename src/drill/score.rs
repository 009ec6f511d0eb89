//! Scoring a drill: what the user did, in simulated time, against what the scenario
//! expects. A pure function, so scripted runs test it.
//!
//! Points per incident: acknowledge 25 (late 10), steps 35 shared between the expected
//! steps (half a share for one done out of order), escalation 25 (late 10), the noise
//! call 15 (when the page is noise, or was wrongly called noise), resolve 10 (when
//! expected). The score is the points got over the points possible, 0 to 100.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::Scenario;
// The debrief's types, where the scoring that fills them is.
pub use super::debrief::{
    Acknowledge, AcknowledgeVerdict, Check, Debrief, Escalation, EscalationVerdict,
    IncidentDebrief, NotActionable, Part, Resolve, StepDebrief, StepVerdict,
};
use super::expect::Expectation;

/// What the user did during a drill, in simulated time, in the order done.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DrillLog {
    pub started: DateTime<Utc>,
    pub ended: DateTime<Utc>,
    /// Simulated seconds per real second.
    pub speed: f64,
    pub deeds: Vec<Deed>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Deed {
    pub at: DateTime<Utc>,
    /// The scenario's incident id ("DRILL-1").
    pub incident: String,
    pub what: DeedKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum DeedKind {
    Acknowledged,
    Resolved,
    Snoozed,
    Escalated,
    Note,
    NotActionable {
        reason: String,
    },
    /// A playbook step checked done: its position in its section, from 0, and its text.
    StepDone {
        playbook: String,
        step: usize,
        text: String,
    },
    /// A step checked and then unchecked.
    StepUndone {
        playbook: String,
        step: usize,
    },
}

pub const ACKNOWLEDGE_POINTS: u32 = 25;
pub const ACKNOWLEDGE_LATE_POINTS: u32 = 10;
pub const STEPS_POINTS: u32 = 35;
pub const ESCALATION_POINTS: u32 = 25;
pub const ESCALATION_LATE_POINTS: u32 = 10;
pub const NOT_ACTIONABLE_POINTS: u32 = 15;
pub const RESOLVE_POINTS: u32 = 10;

pub fn score(scenario: &Scenario, log: &DrillLog) -> Debrief {
    let incidents: Vec<IncidentDebrief> = scenario
        .expect
        .iter()
        .map(|expected| judge(expected, log))
        .collect();
    let points = incidents.iter().map(|i| i.points).sum();
    let max_points: u32 = incidents.iter().map(|i| i.max_points).sum();
    Debrief {
        scenario: scenario.name.clone(),
        kind: scenario.kind.clone(),
        description: scenario.description.clone(),
        speed: log.speed,
        started: log.started,
        ended: log.ended,
        lasted_seconds: (log.ended - log.started).num_seconds().max(0),
        score: percent(points, max_points),
        points,
        max_points,
        incidents,
        progress: None,
    }
}

fn percent(points: u32, max: u32) -> u32 {
    if max == 0 {
        return 0;
    }
    (f64::from(points) * 100.0 / f64::from(max)).round() as u32
}

fn judge(expected: &Expectation, log: &DrillLog) -> IncidentDebrief {
    let opened_at = expected.opened_at(log.started);
    let deeds: Vec<&Deed> = log
        .deeds
        .iter()
        .filter(|d| d.incident == expected.incident)
        .collect();
    let after = |at: DateTime<Utc>| (at - opened_at).num_seconds().max(0);
    let first =
        |wanted: fn(&DeedKind) -> bool| deeds.iter().find(|d| wanted(&d.what)).map(|d| after(d.at));
    let fired = opened_at <= log.ended;
    let mut checks = Vec::new();

    let acknowledged = first(|w| matches!(w, DeedKind::Acknowledged));
    let acknowledge_verdict = match (expected.acknowledge_within_seconds, acknowledged) {
        (None, _) => AcknowledgeVerdict::NotJudged,
        (Some(_), None) => AcknowledgeVerdict::Never,
        (Some(within), Some(after)) if after <= within => AcknowledgeVerdict::InTime,
        (Some(_), Some(_)) => AcknowledgeVerdict::Late,
    };
    if acknowledge_verdict != AcknowledgeVerdict::NotJudged {
        let points = match acknowledge_verdict {
            AcknowledgeVerdict::InTime => ACKNOWLEDGE_POINTS,
            AcknowledgeVerdict::Late => ACKNOWLEDGE_LATE_POINTS,
            _ => 0,
        };
        checks.push(check(Part::Acknowledge, points, ACKNOWLEDGE_POINTS));
    }

    let steps = judge_steps(expected, &deeds, after);
    if !steps.is_empty() {
        // In halves of a share, so one out of order is worth exactly half.
        let halves: u32 = steps
            .iter()
            .map(|s| match s.verdict {
                StepVerdict::Followed => 2,
                StepVerdict::OutOfOrder => 1,
                StepVerdict::Skipped => 0,
            })
            .sum();
        let possible = 2 * steps.len() as u32;
        let points = (f64::from(STEPS_POINTS * halves) / f64::from(possible)).round() as u32;
        checks.push(check(Part::Steps, points, STEPS_POINTS));
    }

    let escalated = first(|w| matches!(w, DeedKind::Escalated));
    let escalation_verdict = match (
        expected.escalate,
        escalated,
        expected.escalate_within_seconds,
    ) {
        (true, None, _) => EscalationVerdict::Missed,
        (true, Some(after), Some(within)) if after > within => EscalationVerdict::Late,
        (true, Some(_), _) => EscalationVerdict::Right,
        (false, Some(_), _) => EscalationVerdict::Wrong,
        (false, None, _) => EscalationVerdict::NotNeeded,
    };
    let points = match escalation_verdict {
        EscalationVerdict::Right | EscalationVerdict::NotNeeded => ESCALATION_POINTS,
        EscalationVerdict::Late => ESCALATION_LATE_POINTS,
        EscalationVerdict::Missed | EscalationVerdict::Wrong => 0,
    };
    checks.push(check(Part::Escalation, points, ESCALATION_POINTS));

    let reason = deeds.iter().find_map(|d| match &d.what {
        DeedKind::NotActionable { reason } => Some(reason.clone()),
        _ => None,
    });
    let marked = reason.is_some();
    if expected.not_actionable || marked {
        let right = expected.not_actionable == marked;
        let points = if right { NOT_ACTIONABLE_POINTS } else { 0 };
        checks.push(check(Part::NotActionable, points, NOT_ACTIONABLE_POINTS));
    }

    let resolve = expected.resolve.then(|| Resolve {
        after_seconds: first(|w| matches!(w, DeedKind::Resolved)),
    });
    if let Some(resolve) = &resolve {
        let points = if resolve.after_seconds.is_some() {
            RESOLVE_POINTS
        } else {
            0
        };
        checks.push(check(Part::Resolve, points, RESOLVE_POINTS));
    }

    if !fired {
        // It never showed up: nothing about it is the user's doing.
        checks.clear();
    }
    IncidentDebrief {
        incident: expected.incident.clone(),
        title: expected.title.clone(),
        fired,
        opened_at,
        acknowledge: Acknowledge {
            within_seconds: expected.acknowledge_within_seconds,
            after_seconds: acknowledged,
            verdict: acknowledge_verdict,
        },
        missed: steps
            .iter()
            .filter(|s| s.verdict == StepVerdict::Skipped)
            .map(|s| s.text.clone())
            .collect(),
        steps,
        escalation: Escalation {
            expected: expected.escalate,
            within_seconds: expected.escalate_within_seconds,
            after_seconds: escalated,
            verdict: escalation_verdict,
        },
        not_actionable: NotActionable {
            expected: expected.not_actionable,
            marked,
            reason,
        },
        resolve,
        points: checks.iter().map(|c| c.points).sum(),
        max_points: checks.iter().map(|c| c.max).sum(),
        checks,
    }
}

fn check(part: Part, points: u32, max: u32) -> Check {
    Check { part, points, max }
}

/// Each expected step: done or not, and whether a step that should come before it was
/// done after it.
fn judge_steps(
    expected: &Expectation,
    deeds: &[&Deed],
    after: impl Fn(DateTime<Utc>) -> i64,
) -> Vec<StepDebrief> {
    let Some(playbook) = expected.playbook.as_deref() else {
        return Vec::new();
    };
    // Step (from 0) → (its place among the deeds, when), as the last check left it.
    let mut done: BTreeMap<usize, (usize, DateTime<Utc>)> = BTreeMap::new();
    for (order, deed) in deeds.iter().enumerate() {
        match &deed.what {
            DeedKind::StepDone {
                playbook: p, step, ..
            } if p == playbook => {
                done.entry(*step).or_insert((order, deed.at));
            }
            DeedKind::StepUndone { playbook: p, step } if p == playbook => {
                done.remove(step);
            }
            _ => {}
        }
    }
    let done_at = |number: usize| done.get(&(number - 1)).copied();
    expected
        .steps
        .iter()
        .enumerate()
        .map(|(position, step)| {
            let this = done_at(step.number);
            let done_before = this.and_then(|(order, _)| {
                expected.steps[..position]
                    .iter()
                    .find(|earlier| done_at(earlier.number).is_some_and(|(o, _)| o > order))
                    .map(|earlier| earlier.number)
            });
            StepDebrief {
                number: step.number,
                text: step.text.clone(),
                verdict: match (this, done_before) {
                    (None, _) => StepVerdict::Skipped,
                    (Some(_), Some(_)) => StepVerdict::OutOfOrder,
                    (Some(_), None) => StepVerdict::Followed,
                },
                done_after_seconds: this.map(|(_, at)| after(at)),
                done_before,
            }
        })
        .collect()
}
