//! What a source can tell about an incident beyond the list (its notes and timeline) and
//! about the people behind it (who is on call).

use chrono::{DateTime, Utc};
use serde::Serialize;

/// One note on an incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    pub at: DateTime<Utc>,
    pub by: Option<String>,
    pub text: String,
}

/// One thing that happened to an incident (PagerDuty log entries, Opsgenie logs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimelineEntry {
    pub at: DateTime<Utc>,
    pub by: Option<String>,
    pub what: String,
}

/// The notes and timeline of one incident, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct History {
    pub notes: Vec<Note>,
    pub timeline: Vec<TimelineEntry>,
    /// Why the timeline could not be read, when the notes could: one is worth showing
    /// without the other.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeline_problem: Option<String>,
}

/// One person on call now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OnCall {
    /// The source it came from.
    pub source: String,
    /// The escalation policy or schedule.
    pub rota: String,
    /// 1 is who gets paged first; `None` where the source has no levels.
    pub level: Option<u32>,
    pub who: String,
    /// `None` for a permanent on-call.
    pub until: Option<DateTime<Utc>>,
    /// When the shift starts, when it is still to come: who is next.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<DateTime<Utc>>,
}

impl OnCall {
    /// On call at `now` (rather than next).
    pub fn now(&self, now: DateTime<Utc>) -> bool {
        self.from.is_none_or(|from| from <= now)
    }
}
