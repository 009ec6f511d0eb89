//! Opsgenie's part of the hygiene report: the alerts created in the span (`GET
//! /v2/alerts` searched by `createdAt`), each a page, acknowledged and closed after its
//! `report.ackTime` and `report.closeTime` (milliseconds from creation).

use chrono::{DateTime, TimeDelta, Utc};

use super::wire::{Alert, Page};
use super::{Opsgenie, PAGE_LIMIT, map};
use crate::journal::IncidentFacts;
use crate::providers::{PageHistory, PastPage, ProviderError};

impl Opsgenie {
    pub(super) async fn past(
        &self,
        since: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<PageHistory, ProviderError> {
        let search = created_between(since, until);
        let limit = PAGE_LIMIT.to_string();
        let query = [
            ("query", search.as_str()),
            ("limit", limit.as_str()),
            ("sort", "createdAt"),
            ("order", "asc"),
        ];
        let next_offset = |page: &Page<Alert>, offset: Option<&str>| {
            let offset: usize = offset.and_then(|o| o.parse().ok()).unwrap_or(0);
            Some((offset + page.data.len()).to_string())
        };
        let (alerts, _) = self
            .read_all(
                "/v2/alerts",
                &query,
                Some("0".into()),
                |alert: &Alert| alert.id.clone(),
                next_offset,
            )
            .await?;
        Ok(PageHistory {
            pages: alerts
                .into_iter()
                .filter_map(|alert| page(&self.settings.name, alert, until))
                .collect(),
            silences: Vec::new(),
            unknown: vec![format!(
                "Opsgenie {}: escalations are not in its alert list: only the journal's are counted",
                self.settings.name
            )],
        })
    }
}

/// Opsgenie's search for alerts created in the span (epoch milliseconds).
pub(super) fn created_between(since: DateTime<Utc>, until: DateTime<Utc>) -> String {
    format!(
        "createdAt >= {} AND createdAt <= {}",
        since.timestamp_millis(),
        until.timestamp_millis()
    )
}

/// One alert as a page; one without a creation time cannot be placed in the span.
fn page(source: &str, alert: Alert, now: DateTime<Utc>) -> Option<PastPage> {
    let report = alert.report.clone().unwrap_or_default();
    let created = map::time(alert.created_at.as_deref())?;
    let incident = map::incident(source, alert, now);
    // A negative or absurd time is no time: left unknown rather than before the page.
    let after = |ms: Option<i64>| {
        let ms = ms.filter(|ms| (0..=366 * 86_400_000).contains(ms))?;
        Some(created + TimeDelta::milliseconds(ms))
    };
    Some(PastPage {
        key: incident.key.clone(),
        facts: IncidentFacts::from(&incident),
        acknowledged_at: after(report.ack_time),
        resolved_at: after(report.close_time),
        escalated: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_alert_is_a_page_acknowledged_and_closed_after_its_report_times() {
        let alert: Alert = serde_json::from_str(
            r#"{"id":"A1","message":"checkout-api 5xx","createdAt":"2026-11-20T02:10:00Z",
                "priority":"P1","tags":["service:checkout-api"],
                "report":{"ackTime":240000,"closeTime":3600000,"acknowledgedBy":"ana"}}"#,
        )
        .unwrap();
        let now = DateTime::parse_from_rfc3339("2026-12-01T00:00:00Z")
            .unwrap()
            .to_utc();
        let page = page("og", alert, now).unwrap();
        assert_eq!(page.key.to_string(), "og:A1");
        assert_eq!(
            page.acknowledged_at.unwrap().format("%H:%M").to_string(),
            "02:14"
        );
        assert_eq!(
            page.resolved_at.unwrap().format("%H:%M").to_string(),
            "03:10"
        );
    }

    #[test]
    fn the_search_is_the_span_in_milliseconds() {
        let since = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let until = DateTime::from_timestamp(1_800_000_060, 0).unwrap();
        assert_eq!(
            created_between(since, until),
            "createdAt >= 1800000000000 AND createdAt <= 1800000060000"
        );
    }
}
