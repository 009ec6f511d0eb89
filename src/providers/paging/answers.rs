//! Whether level two took a paged incident. The Events API cannot be read back, so the
//! incident the trigger opened is found over PagerDuty's REST API by its dedup key
//! (`GET /incidents?incident_key=…`), with the headers the PagerDuty source sends.

use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderMap, HeaderValue};

use super::ReadBack;
use crate::incident::LevelTwoAnswer;
use crate::providers::ProviderError;
use crate::providers::http::Api;
use crate::providers::pagerduty::ACCEPT_V2;
use crate::providers::pagerduty::wire::{Incident, IncidentsPage, Reference};

/// Reads level two's answers with one token.
#[derive(Debug)]
pub(super) struct Reader {
    api: Api,
}

impl Reader {
    pub(super) fn new(read_back: &ReadBack, timeout: Duration) -> Result<Reader, String> {
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, HeaderValue::from_static(ACCEPT_V2));
        // The spec requires it on every operation, GET included.
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        let api = Api::new(
            "[escalation] alertmanager",
            &read_back.api_url,
            (timeout, timeout),
            ("Token token=", &read_back.token),
            &read_back.token_origin,
            headers,
        )?;
        Ok(Reader { api })
    }

    /// What level two did with the incident paged with `dedup_key` at `paged_at`: `None`
    /// while nobody has taken it (or PagerDuty has not opened it yet). Errors are
    /// token-free.
    pub(super) async fn answer(
        &self,
        dedup_key: &str,
        level_two: &str,
        paged_at: DateTime<Utc>,
    ) -> Result<Option<LevelTwoAnswer>, ProviderError> {
        const PATH: &str = "/incidents";
        let request = self
            .api
            .client()
            .get(self.api.url(PATH))
            // Without date_range PagerDuty looks back one month only.
            .query(&[("incident_key", dedup_key), ("date_range", "all")]);
        let page: IncidentsPage = self.api.json(request, PATH).await?;
        Ok(answer_of(&page.incidents, level_two, paged_at))
    }
}

/// The answer in what PagerDuty listed for one dedup key. A key paged again after its
/// incident closed can list an older, resolved incident too: one resolved before this
/// page is not this page's, or a previous firing's resolver would show as taking it.
fn answer_of(
    incidents: &[Incident],
    level_two: &str,
    paged_at: DateTime<Utc>,
) -> Option<LevelTwoAnswer> {
    let ours = incidents
        .iter()
        .filter(|incident| !resolved_before(incident, paged_at))
        .max_by_key(|incident| incident.created_at)?;
    let assignee = || {
        ours.assignments
            .iter()
            .find_map(|assignment| assignment.assignee.as_ref()?.label())
    };
    let by = match ours.status.as_deref() {
        Some("acknowledged") => ours
            .acknowledgements
            .iter()
            .max_by_key(|ack| ack.at)
            .and_then(|ack| ack.acknowledger.as_ref()?.label())
            .or_else(assignee),
        Some("resolved") => ours
            .last_status_change_by
            .as_ref()
            .and_then(Reference::label)
            .or_else(assignee),
        _ => return None,
    };
    // Taken, even when PagerDuty does not say by whom: level two has it.
    let by = by.unwrap_or_else(|| level_two.to_string());
    Some(LevelTwoAnswer::Taken { by })
}

fn resolved_before(incident: &Incident, paged_at: DateTime<Utc>) -> bool {
    incident.status.as_deref() == Some("resolved")
        && incident
            .last_status_change_at
            .is_some_and(|resolved_at| resolved_at < paged_at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paged_at() -> DateTime<Utc> {
        "2025-03-04T03:00:00Z".parse().unwrap()
    }

    fn answer(incidents: serde_json::Value) -> Option<LevelTwoAnswer> {
        let page: IncidentsPage =
            serde_json::from_value(serde_json::json!({ "incidents": incidents })).unwrap();
        answer_of(&page.incidents, "Eng Cap", paged_at())
    }

    fn taken(by: &str) -> Option<LevelTwoAnswer> {
        Some(LevelTwoAnswer::Taken { by: by.into() })
    }

    #[test]
    fn acknowledged_is_taken_by_the_latest_acknowledger_else_the_assignee() {
        let kai = serde_json::json!([{
            "id": "Q1", "status": "acknowledged", "created_at": "2025-03-04T03:00:02Z",
            "assignments": [{"assignee": {"id": "PA", "summary": "Ana Ops"}}],
            "acknowledgements": [
                {"at": "2025-03-04T03:01:00Z", "acknowledger": {"id": "PK", "summary": "Kai Lindqvist"}},
                {"at": "2025-03-04T03:00:30Z", "acknowledger": {"id": "PB", "summary": "Bo Berg"}}
            ]
        }]);
        assert_eq!(answer(kai), taken("Kai Lindqvist"));
        let unnamed = serde_json::json!([{
            "id": "Q1", "status": "acknowledged", "acknowledgements": [],
            "assignments": [{"assignee": {"id": "PK", "summary": "Kai Lindqvist"}}]
        }]);
        assert_eq!(answer(unnamed), taken("Kai Lindqvist"));
        let nobody = serde_json::json!([{"id": "Q1", "status": "acknowledged"}]);
        assert_eq!(answer(nobody), taken("Eng Cap"), "taken, by level two");
    }

    #[test]
    fn resolved_is_taken_by_the_resolver_else_the_assignee() {
        let resolved = serde_json::json!([{
            "id": "Q1", "status": "resolved", "last_status_change_at": "2025-03-04T03:10:00Z",
            "last_status_change_by": {"id": "PK", "type": "user_reference", "summary": "Kai Lindqvist"}
        }]);
        assert_eq!(answer(resolved), taken("Kai Lindqvist"));
        let unknown = serde_json::json!([{
            "id": "Q1", "status": "resolved", "last_status_change_at": "2025-03-04T03:10:00Z",
            "assignments": [{"assignee": {"id": "PB", "summary": "Bo Berg"}}]
        }]);
        assert_eq!(answer(unknown), taken("Bo Berg"));
    }

    #[test]
    fn triggered_or_not_there_yet_is_not_taken() {
        let triggered = serde_json::json!([{
            "id": "Q1", "status": "triggered",
            "assignments": [{"assignee": {"id": "PK", "summary": "Kai Lindqvist"}}]
        }]);
        assert_eq!(answer(triggered), None);
        assert_eq!(answer(serde_json::json!([])), None);
    }

    #[test]
    fn an_earlier_firings_resolved_incident_is_not_this_pages() {
        let earlier = serde_json::json!({
            "id": "Q0", "status": "resolved", "created_at": "2025-03-01T10:00:00Z",
            "last_status_change_at": "2025-03-01T11:00:00Z",
            "last_status_change_by": {"id": "PB", "summary": "Bo Berg"}
        });
        assert_eq!(answer(serde_json::json!([earlier.clone()])), None);
        let this_one = serde_json::json!({
            "id": "Q1", "status": "triggered", "created_at": "2025-03-04T03:00:02Z"
        });
        assert_eq!(answer(serde_json::json!([earlier, this_one])), None);
    }
}
