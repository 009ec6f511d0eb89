//! The account's past, for the hygiene report: `GET /log_entries` over a span (the
//! overview entries, with their incidents), read as one page per incident: when it
//! triggered, was first acknowledged and resolved, and whether it was escalated.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::pages::{PAGE_LIMIT, every_page};
use super::{PagerDuty, map, wire};
use crate::journal::IncidentFacts;
use crate::providers::{PageHistory, PastPage, ProviderError};

/// One log entry as the account-wide listing has it (`include[]=incidents`: the
/// incident in full, else a reference).
#[derive(Debug, Clone, Deserialize)]
pub(super) struct Entry {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub incident: Option<wire::Incident>,
    #[serde(default)]
    pub service: Option<wire::Reference>,
}

#[derive(Debug, Deserialize)]
struct EntriesPage {
    #[serde(default)]
    log_entries: Option<Vec<Entry>>,
    #[serde(flatten)]
    paging: wire::Paging,
}

impl PagerDuty {
    pub(super) async fn past_pages(
        &self,
        since: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<PageHistory, ProviderError> {
        let entries = every_page(
            |offset| async move {
                let page: EntriesPage = self
                    .get(
                        "/log_entries",
                        &self.log_entries_query(since, until, offset),
                    )
                    .await?;
                Ok((page.log_entries.unwrap_or_default(), page.paging))
            },
            |entry: &Entry| {
                (
                    entry.id.clone(),
                    entry.kind.clone(),
                    entry.created_at.clone(),
                )
            },
        )
        .await?;
        let service_ids = &self.settings.service_ids;
        let pages = pages(&self.settings.name, entries, until)
            .into_iter()
            .filter(|(service_id, _)| {
                service_ids.is_empty()
                    || service_ids.iter().any(|id| Some(id) == service_id.as_ref())
            })
            .map(|(_, page)| page)
            .collect();
        Ok(PageHistory {
            pages,
            ..PageHistory::default()
        })
    }

    fn log_entries_query(
        &self,
        since: DateTime<Utc>,
        until: DateTime<Utc>,
        offset: u32,
    ) -> Vec<(&'static str, String)> {
        let mut query = vec![
            (
                "since",
                since.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            ),
            (
                "until",
                until.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            ),
            // Trigger, acknowledge, escalate, resolve: not every notification sent.
            ("is_overview", "true".into()),
            ("include[]", "incidents".into()),
            ("limit", PAGE_LIMIT.to_string()),
            ("offset", offset.to_string()),
        ];
        let teams = &self.settings.team_ids;
        query.extend(teams.iter().map(|team| ("team_ids[]", team.clone())));
        query
    }
}

/// The entries by incident, each a page with its service's id (to filter by). An
/// incident whose trigger is not among the entries fired before the span: its page was
/// counted in another.
pub(super) fn pages(
    source: &str,
    entries: Vec<Entry>,
    now: DateTime<Utc>,
) -> Vec<(Option<String>, PastPage)> {
    let mut by_incident: BTreeMap<String, (Option<wire::Incident>, Vec<Entry>)> = BTreeMap::new();
    for entry in entries {
        let Some(id) = entry.incident.as_ref().map(|i| i.id.clone()) else {
            continue;
        };
        let slot = by_incident.entry(id).or_default();
        if slot.0.as_ref().is_none_or(|i| i.title.is_none()) {
            slot.0 = entry.incident.clone();
        }
        slot.1.push(entry);
    }
    let mut pages = Vec::new();
    for (_, (incident, entries)) in by_incident {
        let Some(mut incident) = incident else {
            continue;
        };
        let time = |entry: &Entry| {
            let text = entry.created_at.as_deref()?;
            DateTime::parse_from_rfc3339(text).ok().map(|t| t.to_utc())
        };
        let first = |kind: &str| {
            entries
                .iter()
                .filter(|e| e.kind.as_deref() == Some(kind))
                .filter_map(time)
                .min()
        };
        let Some(triggered) = first("trigger_log_entry") else {
            continue;
        };
        if incident.service.is_none() {
            incident.service = entries.iter().find_map(|e| e.service.clone());
        }
        incident.created_at = incident.created_at.or(Some(triggered));
        let service_id = incident.service.as_ref().map(|s| s.id.clone());
        let mapped = map::incident(source, incident, now);
        pages.push((
            service_id,
            PastPage {
                key: mapped.key.clone(),
                facts: IncidentFacts::from(&mapped),
                acknowledged_at: first("acknowledge_log_entry"),
                resolved_at: first("resolve_log_entry"),
                escalated: first("escalate_log_entry").is_some(),
            },
        ));
    }
    pages
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_become_one_page_per_incident_triggered_in_the_span() {
        let entries: Vec<Entry> = serde_json::from_str(
            r#"[
            {"id":"L4","type":"resolve_log_entry","created_at":"2026-11-20T03:00:00Z",
             "incident":{"id":"PA","type":"incident_reference","summary":"[#7] x"}},
            {"id":"L3","type":"escalate_log_entry","created_at":"2026-11-20T02:30:00Z",
             "incident":{"id":"PA"}},
            {"id":"L2","type":"acknowledge_log_entry","created_at":"2026-11-20T02:20:00Z",
             "incident":{"id":"PA"}},
            {"id":"L1","type":"trigger_log_entry","created_at":"2026-11-20T02:10:00Z",
             "service":{"id":"PSVC","summary":"checkout-api"},
             "incident":{"id":"PA","title":"[FIRING:1] HighErrorRate (checkout-api)",
                         "urgency":"high","created_at":"2026-11-20T02:10:00Z"}},
            {"id":"L0","type":"resolve_log_entry","created_at":"2026-11-20T01:00:00Z",
             "incident":{"id":"POLD","title":"fired before the span"}}
            ]"#,
        )
        .unwrap();
        let now = DateTime::parse_from_rfc3339("2026-12-01T00:00:00Z")
            .unwrap()
            .to_utc();
        let pages = pages("pd", entries, now);
        assert_eq!(pages.len(), 1, "POLD's trigger was before the span");
        let (service_id, page) = &pages[0];
        assert_eq!(service_id.as_deref(), Some("PSVC"));
        assert_eq!(page.key.to_string(), "pd:PA");
        assert_eq!(page.facts.alert.as_deref(), Some("HighErrorRate"));
        assert_eq!(page.facts.service, "checkout-api");
        assert_eq!(
            page.acknowledged_at.unwrap().format("%H:%M").to_string(),
            "02:20"
        );
        assert_eq!(
            page.resolved_at.unwrap().format("%H:%M").to_string(),
            "03:00"
        );
        assert!(page.escalated);
    }
}
