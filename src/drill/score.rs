//! Scoring a drill: what the user did, in simulated time, against what the scenario
//! expects. A pure function, so scripted runs test it.
//!
//! CONTRACT (filled in by the drill-core work).

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::Scenario;

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

/// The drill's score, shown on the debrief screen and printed by `--json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Debrief {
    pub scenario: String,
}

impl Debrief {
    /// The debrief as plain lines, for the screen (and the terminal after it).
    pub fn lines(&self) -> Vec<String> {
        vec![format!("Drill {}", self.scenario)]
    }
}

pub fn score(scenario: &Scenario, _log: &DrillLog) -> Debrief {
    Debrief {
        scenario: scenario.name.clone(),
    }
}
