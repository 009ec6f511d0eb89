//! What Alertmanager can tell the hygiene report: the silences made in the span (by
//! their matchers: which alert, which service; pagerdeck's own or people's) and the
//! alerts firing now. It keeps no record of alerts that resolved, and says so.

use chrono::{DateTime, Utc};

use super::Alertmanager;
use super::silences::{Silence, op_marked};
use crate::journal::IncidentFacts;
use crate::providers::{PageHistory, PastPage, PastSilence, ProviderError, Source};

impl Alertmanager {
    pub(super) async fn past(
        &self,
        since: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<PageHistory, ProviderError> {
        let silences = self.silences().await?;
        let firing = self.incidents().await?;
        let mut made: Vec<PastSilence> = silences
            .values()
            .filter(|s| since <= s.starts_at && s.starts_at <= until)
            .map(|s| self.past_silence(s))
            .collect();
        made.sort_by(|a, b| (a.starts_at, &a.alert).cmp(&(b.starts_at, &b.alert)));
        let pages = firing
            .iter()
            .filter(|i| since <= i.opened_at && i.opened_at <= until)
            .map(|incident| PastPage {
                key: incident.key.clone(),
                facts: IncidentFacts::from(incident),
                acknowledged_at: None,
                resolved_at: None,
                escalated: false,
            })
            .collect();
        Ok(PageHistory {
            pages,
            silences: made,
            unknown: vec![format!(
                "Alertmanager {}: pages before the journal's actions are not known (it keeps no record of resolved alerts); only the alerts firing now and the journal's are counted",
                self.settings.name
            )],
        })
    }

    fn past_silence(&self, silence: &Silence) -> PastSilence {
        let exact = |label: &str| {
            silence
                .matchers
                .iter()
                .find(|m| m.name == label && m.is_equal && !m.is_regex)
                .map(|m| m.value.clone())
        };
        PastSilence {
            alert: exact("alertname"),
            service: exact(&self.settings.service_label),
            created_by: silence.created_by.clone(),
            starts_at: silence.starts_at,
            ends_at: silence.ends_at,
            by_pagerdeck: op_marked(&silence.comment),
        }
    }
}
