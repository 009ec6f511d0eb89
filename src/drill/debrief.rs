//! The debrief as data: what was judged per incident and the points, with stable field
//! names for `--json` and the saved results (times simulated, durations in seconds).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The drill's score, shown on the debrief screen and printed by `--json`. Times are
/// simulated; durations are in seconds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Debrief {
    pub scenario: String,
    pub kind: String,
    pub description: String,
    pub speed: f64,
    pub started: DateTime<Utc>,
    pub ended: DateTime<Utc>,
    pub lasted_seconds: i64,
    /// 0 to 100: `points` over `max_points`.
    pub score: u32,
    pub points: u32,
    pub max_points: u32,
    pub incidents: Vec<IncidentDebrief>,
    /// How this run compares with the earlier runs of the same scenario (set when saved).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub progress: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncidentDebrief {
    pub incident: String,
    pub title: String,
    /// It fired before the drill ended; one that did not is not judged.
    pub fired: bool,
    pub opened_at: DateTime<Utc>,
    pub acknowledge: Acknowledge,
    pub steps: Vec<StepDebrief>,
    pub escalation: Escalation,
    pub not_actionable: NotActionable,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolve: Option<Resolve>,
    /// The texts of the expected steps that were not done.
    pub missed: Vec<String>,
    pub checks: Vec<Check>,
    pub points: u32,
    pub max_points: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Acknowledge {
    pub within_seconds: Option<i64>,
    /// Seconds from firing to the first acknowledgement.
    pub after_seconds: Option<i64>,
    pub verdict: AcknowledgeVerdict,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AcknowledgeVerdict {
    InTime,
    Late,
    Never,
    NotJudged,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepDebrief {
    pub number: usize,
    pub text: String,
    pub verdict: StepVerdict,
    pub done_after_seconds: Option<i64>,
    /// Out of order: the step that should have come first but was done after it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub done_before: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepVerdict {
    Followed,
    OutOfOrder,
    Skipped,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Escalation {
    pub expected: bool,
    pub within_seconds: Option<i64>,
    pub after_seconds: Option<i64>,
    pub verdict: EscalationVerdict,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EscalationVerdict {
    /// Escalated, in time.
    Right,
    Late,
    /// Should have escalated and did not.
    Missed,
    /// Escalated one that did not need it.
    Wrong,
    /// Did not escalate, rightly.
    NotNeeded,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NotActionable {
    pub expected: bool,
    pub marked: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Resolve {
    pub after_seconds: Option<i64>,
}

/// One judged part and its points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    pub part: Part,
    pub points: u32,
    pub max: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    Acknowledge,
    Steps,
    Escalation,
    NotActionable,
    Resolve,
}
