//! Level two paged by a webhook: generic JSON whose `text` a Slack incoming webhook
//! (or anything Slack-compatible) shows as is; the rest is for receivers that read it.

use chrono::SecondsFormat;
use serde_json::{Value, json};

use super::{Page, dedup_key};
use crate::providers::ProviderError;
use crate::providers::http::{failure, unreachable};

/// `shown` is the URL as errors may show it (the path can be the webhook's secret).
pub(super) async fn send(
    http: &reqwest::Client,
    url: &str,
    shown: &str,
    page: &Page<'_>,
) -> Result<(), ProviderError> {
    let dedup = dedup_key(&page.incident.key);
    let response = http
        .post(url)
        // Receivers that honour it drop a repeat; others see the same key in the body.
        .header("Idempotency-Key", &dedup)
        .json(&body(page, &dedup))
        .send()
        .await
        .map_err(|e| unreachable(shown, &e))?;
    match response.status().is_success() {
        true => Ok(()),
        false => Err(failure(shown, response).await),
    }
}

fn body(page: &Page<'_>, dedup: &str) -> Value {
    let incident = page.incident;
    let links: Vec<Value> = incident
        .links
        .iter()
        .map(|link| json!({"title": link.title, "url": link.url}))
        .collect();
    json!({
        "text": text(page),
        "incident": {
            "key": incident.key.to_string(),
            "title": incident.title,
            "severity": incident.severity.name(),
            "status": incident.status.name(),
            "service": incident.service,
            "team": incident.team,
            "opened_at": incident.opened_at.to_rfc3339_opts(SecondsFormat::Secs, true),
            "links": links,
        },
        "escalated_to": page.level_two,
        "escalated_by": page.escalated_by,
        "message": page.hand_over,
        "dedup_key": dedup,
    })
}

/// "*Escalated to Eng Cap*: checkout-api 5xx above 5% (prod:X, critical)", then the
/// hand-over on the lines below.
fn text(page: &Page<'_>) -> String {
    let incident = page.incident;
    let first = format!(
        "*Escalated to {}*: {} ({}, {})",
        slack_escape(page.level_two),
        slack_escape(&incident.title),
        slack_escape(&incident.key.to_string()),
        incident.severity.name()
    );
    match page.hand_over.map(str::trim).filter(|m| !m.is_empty()) {
        Some(hand_over) => format!("{first}\n{}", slack_escape(hand_over)),
        None => first,
    }
}

/// Slack reads `<…>` as a link or mention and `&` as an entity: these three are escaped,
/// so an alert's title cannot ping @channel or hide a link.
fn slack_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slack_cannot_be_made_to_mention_or_link() {
        assert_eq!(
            slack_escape("<!channel> p99 > 2s & rising"),
            "&lt;!channel&gt; p99 &gt; 2s &amp; rising"
        );
    }
}
