//! What the journal keeps of an incident beside an action or a mark: enough for the
//! hand-off and the hygiene report to tell what it was, after it has left the source.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::incident::{Incident, Severity};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentFacts {
    pub title: String,
    pub service: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alert: Option<String>,
    pub severity: Severity,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    /// When it fired: with the action's own time, the time to acknowledge.
    pub opened_at: DateTime<Utc>,
}

impl From<&Incident> for IncidentFacts {
    fn from(incident: &Incident) -> Self {
        Self {
            title: incident.title.clone(),
            service: incident.service.clone(),
            alert: incident.alert.clone(),
            severity: incident.severity,
            team: incident.team.clone(),
            opened_at: incident.opened_at,
        }
    }
}
