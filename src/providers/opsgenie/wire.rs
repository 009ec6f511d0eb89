//! The Alert API's JSON, as serde types: what it answers and what it is sent.
//!
//! Jira Service Management Ops keeps this shape, so nothing here knows Opsgenie's paths or
//! auth. Everything but an alert's `id` may be missing or `null` on the wire: optional
//! fields are `Option`, lists and flags read `null` as empty/false, and times stay
//! strings until mapped, so one odd value cannot make a whole page unreadable.

use serde::{Deserialize, Deserializer, Serialize};

/// `null` reads like a missing field: the type's default.
fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// One page of a list (`GET /v2/alerts`, `…/notes`, `…/logs`).
#[derive(Debug, Clone, Deserialize)]
#[serde(bound(deserialize = "T: Deserialize<'de>"))]
pub struct Page<T> {
    #[serde(default = "Vec::new", deserialize_with = "null_as_default")]
    pub data: Vec<T>,
    #[serde(default)]
    pub paging: Option<Paging>,
}

/// Links to the neighbouring pages, as full URLs.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Paging {
    #[serde(default)]
    pub next: Option<String>,
}

/// `GET /v2/alerts/{id}`: one alert (its fields beyond the listed ones are not used).
#[derive(Debug, Clone, Deserialize)]
pub struct AlertAnswer {
    pub data: Alert,
}

/// An alert as listed (`BaseAlert`).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Alert {
    pub id: String,
    #[serde(default)]
    pub tiny_id: Option<String>,
    #[serde(default)]
    pub alias: Option<String>,
    #[serde(default)]
    pub message: Option<String>,
    /// "open" or "closed"; anything else is read as open.
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub acknowledged: bool,
    #[serde(default, deserialize_with = "null_as_default")]
    pub snoozed: bool,
    #[serde(default)]
    pub snoozed_until: Option<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub tags: Vec<String>,
    #[serde(default)]
    pub count: Option<i64>,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub updated_at: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub owner: Option<String>,
    /// "P1" … "P5".
    #[serde(default)]
    pub priority: Option<String>,
    #[serde(default)]
    pub integration: Option<Integration>,
    #[serde(default)]
    pub report: Option<Report>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Integration {
    #[serde(default)]
    pub name: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    #[serde(default)]
    pub acknowledged_by: Option<String>,
    /// Milliseconds from creation to the first acknowledgement (the hygiene report).
    #[serde(default)]
    pub ack_time: Option<i64>,
    /// Milliseconds from creation to closing.
    #[serde(default)]
    pub close_time: Option<i64>,
}

/// One note on an alert (`AlertNote`).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AlertNote {
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(default)]
    pub created_at: Option<String>,
    /// Where the next page starts, when `paging.next` does not say.
    #[serde(default)]
    pub offset: Option<String>,
}

/// One entry of an alert's log (`AlertLog`).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AlertLog {
    #[serde(default)]
    pub log: Option<String>,
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub offset: Option<String>,
}

/// The 202 of every write: the write is queued as this request.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Accepted {
    pub request_id: String,
}

/// `GET /v2/alerts/requests/{id}`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RequestStatusAnswer {
    #[serde(default)]
    pub data: Option<RequestStatus>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestStatus {
    /// Absent while Opsgenie has not processed the request.
    #[serde(default)]
    pub is_success: Option<bool>,
    /// Why, in Opsgenie's words ("Alert does not exist").
    #[serde(default)]
    pub status: Option<String>,
}

/// `GET /v2/schedules/{id}/on-calls`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct OnCallAnswer {
    #[serde(default)]
    pub data: Option<OnCalls>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OnCalls {
    #[serde(default, rename = "_parent")]
    pub parent: Option<ScheduleMeta>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub on_call_participants: Vec<Participant>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ScheduleMeta {
    #[serde(default)]
    pub name: Option<String>,
}

/// A user, or an escalation/team with its own participants inside.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Participant {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub on_call_participants: Vec<Participant>,
}

/// `GET /v2/schedules/{id}/next-on-calls`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct NextOnCallAnswer {
    #[serde(default)]
    pub data: Option<NextOnCalls>,
}

/// Who comes on at the schedule's next change. It says who, never when: that is in the
/// timeline. Only the "exact" lists are read: they are the people on call right after the
/// change, while what the others hold is not documented well enough to put a time on.
/// A missing or `null` list is `None`, unlike an empty one (nobody on call then).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NextOnCalls {
    /// `flat=false`: users, or escalations and teams with their people inside.
    #[serde(default)]
    pub exact_next_on_call_recipients: Option<Vec<Participant>>,
    /// `flat=true`: user names.
    #[serde(default)]
    pub exact_next_on_call_participants: Option<Vec<String>>,
}

/// `GET /v2/schedules/{id}/timeline`: the only answer that says when shifts change.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TimelineAnswer {
    #[serde(default)]
    pub data: Option<ScheduleTimeline>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScheduleTimeline {
    /// Where the span asked for ends: stretches are cut there, which is no change.
    #[serde(default)]
    pub end_date: Option<String>,
    /// The rotations with overrides and forwardings applied: who is really paged.
    #[serde(default)]
    pub final_timeline: Option<Timeline>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Timeline {
    #[serde(default, deserialize_with = "null_as_default")]
    pub rotations: Vec<TimelineRotation>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct TimelineRotation {
    #[serde(default, deserialize_with = "null_as_default")]
    pub periods: Vec<TimelinePeriod>,
}

/// One stretch of one rotation, with whoever holds it (a user, team, escalation, "none").
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TimelinePeriod {
    #[serde(default)]
    pub start_date: Option<String>,
    #[serde(default)]
    pub end_date: Option<String>,
    #[serde(default)]
    pub recipient: Option<TimelineRecipient>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct TimelineRecipient {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
}

/// `GET /v2/escalations/{identifier}`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct EscalationAnswer {
    #[serde(default)]
    pub data: Option<Escalation>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Escalation {
    /// In the order Opsgenie notifies them.
    #[serde(default, deserialize_with = "null_as_default")]
    pub rules: Vec<EscalationRule>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct EscalationRule {
    #[serde(default)]
    pub recipient: Option<RuleRecipient>,
}

/// Whom a rule notifies: a schedule, user or team (the spec allows "all", "none",
/// "escalation" and "group" too). Users carry a username, the others a name.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RuleRecipient {
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub username: Option<String>,
}

/// The body of every write (`AlertActionPayload` and its extensions); the fields a verb
/// does not use are left out.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ActionBody {
    /// Who did it, as Opsgenie shows it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    pub source: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Snooze: RFC 3339.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_time: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub escalation: Option<Recipient>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<Recipient>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub responder: Option<Recipient>,
}

/// A user, team, escalation or schedule, by id or by name. `type` is always sent: the
/// spec's `Recipient` requires it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Recipient {
    #[serde(rename = "type")]
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Users are named by username (their e-mail address).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// Teams, escalations and schedules are named by name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nulls_read_like_missing_fields() {
        let page: Page<Alert> = serde_json::from_str(
            r#"{"data":[{"id":"a1","tags":null,"acknowledged":null,"snoozed":null,
                "report":null,"integration":null,"count":null}],"paging":null}"#,
        )
        .unwrap();
        let alert = &page.data[0];
        assert!(alert.tags.is_empty() && !alert.acknowledged && !alert.snoozed);
        assert!(page.paging.is_none());
        let empty: Page<Alert> = serde_json::from_str(r#"{"data":null}"#).unwrap();
        assert!(empty.data.is_empty());
    }

    #[test]
    fn an_alert_without_an_id_is_unreadable() {
        assert!(serde_json::from_str::<Page<Alert>>(r#"{"data":[{"message":"x"}]}"#).is_err());
    }

    #[test]
    fn a_body_carries_only_what_the_verb_uses() {
        let body = ActionBody {
            source: "pagerdeck",
            end_time: Some("2030-01-01T00:00:00Z".into()),
            ..ActionBody::default()
        };
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            serde_json::json!({"source":"pagerdeck","endTime":"2030-01-01T00:00:00Z"})
        );
    }
}
