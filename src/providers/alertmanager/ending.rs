//! The silences not yet expired, for the hand-off's "ending soon": Alertmanager's own,
//! people's and pagerdeck's (acknowledgements and snoozes) alike.

use super::Alertmanager;
use super::silences::Silence;
use crate::providers::ProviderError;
use crate::providers::silence::SilenceSummary;

impl Alertmanager {
    pub(super) async fn silence_summaries(&self) -> Result<Vec<SilenceSummary>, ProviderError> {
        let mut found: Vec<SilenceSummary> = self
            .silences()
            .await?
            .into_values()
            .filter(|s| s.status.state != "expired")
            .map(|s| summary(&self.settings.name, s))
            .collect();
        found.sort_by(|a, b| a.ends_at.cmp(&b.ends_at).then(a.id.cmp(&b.id)));
        Ok(found)
    }
}

fn summary(source: &str, silence: Silence) -> SilenceSummary {
    let matchers = silence
        .matchers
        .iter()
        .map(|m| {
            let operator = match (m.is_equal, m.is_regex) {
                (true, false) => "=",
                (true, true) => "=~",
                (false, false) => "!=",
                (false, true) => "!~",
            };
            format!("{}{operator}{}", m.name, m.value)
        })
        .collect();
    SilenceSummary {
        source: source.to_string(),
        active: silence.status.state == "active",
        id: silence.id,
        created_by: silence.created_by,
        comment: silence.comment,
        starts_at: silence.starts_at,
        ends_at: silence.ends_at,
        matchers,
    }
}
