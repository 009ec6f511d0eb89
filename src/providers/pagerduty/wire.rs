//! PagerDuty's answers as serde types. Only `id` is relied on: every other field may be
//! missing or `null` (accounts without priorities, teams or responders leave them out),
//! and a timestamp that does not read as RFC 3339 is treated as absent rather than
//! failing the whole listing.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer};

/// A reference to another object (`service_reference`, `user_reference`, …), or the
/// full object when `include[]` expanded it: either way it has a summary or a name.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Reference {
    #[serde(default, deserialize_with = "null_as_default")]
    pub id: String,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
}

impl Reference {
    /// What a person calls it: the summary, else the name, else the id.
    pub fn label(&self) -> Option<String> {
        [
            self.summary.as_deref(),
            self.name.as_deref(),
            Some(self.id.as_str()),
        ]
        .into_iter()
        .flatten()
        .map(str::trim)
        .find(|text| !text.is_empty())
        .map(String::from)
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Incident {
    pub id: String,
    #[serde(default)]
    pub incident_number: Option<u64>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub urgency: Option<String>,
    #[serde(default)]
    pub priority: Option<Reference>,
    #[serde(default)]
    pub service: Option<Reference>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub teams: Vec<Reference>,
    #[serde(default, deserialize_with = "lenient_time")]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "lenient_time")]
    pub last_status_change_at: Option<DateTime<Utc>>,
    /// Who acknowledged or resolved it last (a user, or a service or integration).
    #[serde(default)]
    pub last_status_change_by: Option<Reference>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub assignments: Vec<Assignment>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub acknowledgements: Vec<Acknowledgement>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub pending_actions: Vec<PendingAction>,
    #[serde(default)]
    pub escalation_policy: Option<Reference>,
    #[serde(default)]
    pub incident_key: Option<String>,
    #[serde(default)]
    pub html_url: Option<String>,
    #[serde(default)]
    pub alert_counts: Option<AlertCounts>,
    /// Only on accounts with responder requests; a responder of an odd shape is left out
    /// rather than failing the listing.
    #[serde(default, deserialize_with = "lenient_list")]
    pub incidents_responders: Vec<Responder>,
    /// The requests made for responders, each with whom it went to (a user or an
    /// escalation policy): a request to a policy leaves no trace in the responders.
    #[serde(default, deserialize_with = "lenient_list")]
    pub responder_requests: Vec<ResponderRequest>,
}

/// One request for responders, as the incident carries it.
#[derive(Debug, Clone, Deserialize)]
pub struct ResponderRequest {
    #[serde(default, deserialize_with = "lenient_time")]
    pub requested_at: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "lenient_list")]
    pub responder_request_targets: Vec<RequestTargetEntry>,
}

/// `{"responder_request_target": {"id": …, "type": …}}`.
#[derive(Debug, Clone, Deserialize)]
pub struct RequestTargetEntry {
    pub responder_request_target: Reference,
}

/// Someone asked to respond to an incident (`IncidentsRespondersReference`).
#[derive(Debug, Clone, Deserialize)]
pub struct Responder {
    /// `pending`, `joined`, `declined` or `user_cancelled`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub state: String,
    #[serde(default)]
    pub user: Option<Reference>,
    #[serde(default, deserialize_with = "lenient_time")]
    pub requested_at: Option<DateTime<Utc>>,
    /// The escalation policies the request went through. The spec and the answers seen
    /// give names; any non-empty entry counts, whatever its shape.
    #[serde(default, deserialize_with = "lenient_list")]
    pub escalation_policy_requests: Vec<serde_json::Value>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Assignment {
    #[serde(default)]
    pub assignee: Option<Reference>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Acknowledgement {
    #[serde(default, deserialize_with = "lenient_time")]
    pub at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub acknowledger: Option<Reference>,
}

/// Something PagerDuty will do by itself unless someone acts first.
#[derive(Debug, Clone, Deserialize)]
pub struct PendingAction {
    #[serde(rename = "type", default, deserialize_with = "null_as_default")]
    pub kind: String,
    #[serde(default, deserialize_with = "lenient_time")]
    pub at: Option<DateTime<Utc>>,
    /// The urgency an `urgency_change` moves to.
    #[serde(default)]
    pub to: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct AlertCounts {
    #[serde(default, deserialize_with = "null_as_default")]
    pub all: u64,
    #[serde(default, deserialize_with = "null_as_default")]
    pub triggered: u64,
}

/// The offset paging fields every listing carries.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Paging {
    #[serde(default, deserialize_with = "null_as_default")]
    pub more: bool,
    /// The page size the server actually used (it may cap what was asked).
    #[serde(default)]
    pub limit: Option<u32>,
}

#[derive(Debug, Deserialize)]
pub struct IncidentsPage {
    #[serde(default, deserialize_with = "null_as_default")]
    pub incidents: Vec<Incident>,
    #[serde(flatten)]
    pub paging: Paging,
}

/// `GET /incidents/{id}`.
#[derive(Debug, Deserialize)]
pub struct IncidentAnswer {
    pub incident: Incident,
}

#[derive(Debug, Deserialize)]
pub struct NotesAnswer {
    #[serde(default, deserialize_with = "null_as_default")]
    pub notes: Vec<Note>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Note {
    #[serde(default, deserialize_with = "null_as_default")]
    pub content: String,
    #[serde(default)]
    pub user: Option<Reference>,
    #[serde(default, deserialize_with = "lenient_time")]
    pub created_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Deserialize)]
pub struct LogEntriesPage {
    #[serde(default, deserialize_with = "null_as_default")]
    pub log_entries: Vec<LogEntry>,
    #[serde(flatten)]
    pub paging: Paging,
}

#[derive(Debug, Clone, Deserialize)]
pub struct LogEntry {
    #[serde(default, deserialize_with = "null_as_default")]
    pub id: String,
    #[serde(rename = "type", default, deserialize_with = "null_as_default")]
    pub kind: String,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default, deserialize_with = "lenient_time")]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub agent: Option<Reference>,
}

#[derive(Debug, Deserialize)]
pub struct OnCallsPage {
    #[serde(default, deserialize_with = "null_as_default")]
    pub oncalls: Vec<OnCall>,
    #[serde(flatten)]
    pub paging: Paging,
}

#[derive(Debug, Clone, Deserialize)]
pub struct OnCall {
    #[serde(default)]
    pub user: Option<Reference>,
    #[serde(default)]
    pub schedule: Option<Reference>,
    #[serde(default)]
    pub escalation_policy: Option<Reference>,
    #[serde(default)]
    pub escalation_level: Option<u32>,
    #[serde(default, deserialize_with = "lenient_time")]
    pub start: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "lenient_time")]
    pub end: Option<DateTime<Utc>>,
}

#[derive(Debug, Deserialize)]
pub struct UsersAnswer {
    #[serde(default, deserialize_with = "null_as_default")]
    pub users: Vec<User>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct User {
    pub id: String,
    #[serde(default)]
    pub email: Option<String>,
}

/// `null` reads as the type's default, as a missing field does.
fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// The items of a list that read as `T`; anything else in it, or in place of the list,
/// is left out.
fn lenient_list<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    let list = Option::<serde_json::Value>::deserialize(deserializer)?;
    let Some(serde_json::Value::Array(items)) = list else {
        return Ok(Vec::new());
    };
    Ok(items
        .into_iter()
        .filter_map(|item| serde_json::from_value(item).ok())
        .collect())
}

/// An RFC 3339 time with any offset, as UTC; anything else (null, garbage) is absent.
fn lenient_time<'de, D>(deserializer: D) -> Result<Option<DateTime<Utc>>, D::Error>
where
    D: Deserializer<'de>,
{
    let text = Option::<serde_json::Value>::deserialize(deserializer)?;
    Ok(text
        .as_ref()
        .and_then(serde_json::Value::as_str)
        .and_then(|text| DateTime::parse_from_rfc3339(text).ok())
        .map(|time| time.with_timezone(&Utc)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_incident_of_nulls_and_bad_times_still_reads() {
        let incident: Incident = serde_json::from_str(
            r#"{"id":"PX","title":null,"teams":null,"assignments":null,"priority":null,
                "created_at":"yesterday","acknowledgements":[{"at":null,"acknowledger":null}],
                "pending_actions":[{"type":null,"at":7}],"alert_counts":{"all":null}}"#,
        )
        .unwrap();
        assert_eq!(incident.id, "PX");
        assert!(incident.teams.is_empty() && incident.assignments.is_empty());
        assert_eq!(incident.created_at, None, "an unreadable time is absent");
        assert_eq!(incident.pending_actions[0].at, None);
    }

    #[test]
    fn a_responder_of_an_odd_shape_is_left_out_and_the_rest_read() {
        let incident: Incident = serde_json::from_str(
            r#"{"id":"PX","incidents_responders":[
                {"state":"joined","user":{"id":"PU","summary":"Kai"},"escalation_policy_requests":["Eng Cap"]},
                {"state":7},
                {"state":null,"user":null,"requested_at":null,"escalation_policy_requests":null},
                "not a responder"]}"#,
        )
        .unwrap();
        let states: Vec<&str> = incident
            .incidents_responders
            .iter()
            .map(|r| r.state.as_str())
            .collect();
        assert_eq!(states, ["joined", ""]);
        let odd: Incident =
            serde_json::from_str(r#"{"id":"PX","incidents_responders":"none"}"#).unwrap();
        assert!(odd.incidents_responders.is_empty());
    }

    #[test]
    fn times_with_any_offset_become_utc() {
        let note: Note =
            serde_json::from_str(r#"{"content":"x","created_at":"2013-03-06T15:28:51-05:00"}"#)
                .unwrap();
        assert_eq!(
            note.created_at.unwrap().to_rfc3339(),
            "2013-03-06T20:28:51+00:00"
        );
    }

    #[test]
    fn a_reference_is_called_by_summary_then_name_then_id() {
        let named: Reference = serde_json::from_str(r#"{"id":"P1","name":"Ana"}"#).unwrap();
        assert_eq!(named.label().as_deref(), Some("Ana"));
        let bare: Reference = serde_json::from_str(r#"{"id":"P1","summary":" "}"#).unwrap();
        assert_eq!(bare.label().as_deref(), Some("P1"));
        let empty: Reference = serde_json::from_str(r#"{"id":null}"#).unwrap();
        assert_eq!(empty.label(), None);
    }
}
