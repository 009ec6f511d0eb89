//! Silences: how Alertmanager acknowledges (karma's `ACK!` comment, so kthxbye can extend
//! it), snoozes, and takes either back; and how a silence reads on the incident.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::Alertmanager;
use crate::providers::{Applied, ProviderError, format_duration};

/// karma's acknowledgement prefix: kthxbye extends silences that start with it.
pub(super) const ACK_PREFIX: &str = "ACK!";
/// A snooze ends by itself, so it must not look like an ack kthxbye would extend.
const SNOOZE_PREFIX: &str = "snoozed from pagerdeck";

/// A silence as `GET /api/v2/silences` returns it (the fields used).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Silence {
    pub id: String,
    pub created_by: String,
    #[serde(default)]
    pub comment: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    #[serde(default)]
    pub matchers: Vec<Matcher>,
    pub status: SilenceStatus,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Matcher {
    pub name: String,
    pub value: String,
    #[serde(default)]
    pub is_regex: bool,
    #[serde(default = "yes")]
    pub is_equal: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize)]
pub(super) struct SilenceStatus {
    pub state: String,
}

impl Silence {
    /// Made by pagerdeck or karma to acknowledge or snooze: what `unack` takes back.
    /// Silences for maintenance and the like are left alone.
    fn is_ack_or_snooze(&self) -> bool {
        self.comment.starts_with(ACK_PREFIX) || self.comment.starts_with(SNOOZE_PREFIX)
    }

    /// Exactly the matchers an acknowledgement of this incident would have.
    fn matches_exactly(&self, matchers: &[(String, String)]) -> bool {
        self.matchers.len() == matchers.len()
            && matchers.iter().all(|(name, value)| {
                self.matchers
                    .iter()
                    .any(|m| &m.name == name && &m.value == value && !m.is_regex && m.is_equal)
            })
    }
}

/// What a silence says about the incident it covers: who, since when, until when.
pub(super) fn describe(silence: &Silence) -> String {
    let (since, until) = (
        silence.starts_at.format("%H:%M"),
        silence.ends_at.format("%H:%M UTC"),
    );
    let by = &silence.created_by;
    let comment = without_op_mark(&silence.comment);
    if let Some(note) = comment.strip_prefix(ACK_PREFIX) {
        let note = note.trim();
        match note {
            "" | "acknowledged from pagerdeck" => {
                format!("acknowledged by {by} at {since}, until {until}")
            }
            note => format!("acknowledged by {by} at {since}, until {until}: {note}"),
        }
    } else if comment.starts_with(SNOOZE_PREFIX) {
        format!("snoozed by {by} at {since}, until {until}")
    } else {
        format!("silenced by {by} until {until}: {comment}")
    }
}

/// How a silence names the journal op that made it: the dedup key a resume looks for.
fn op_mark(op: u64) -> String {
    format!("[pagerdeck op {op}]")
}

/// `comment` marked as made by op `op` (at its end, so karma's `ACK!` stays first).
pub(super) fn with_op_mark(comment: String, op: u64) -> String {
    format!("{comment} {}", op_mark(op))
}

/// Whether pagerdeck made the silence for a journaled op (not a person, nor karma).
pub(super) fn op_marked(comment: &str) -> bool {
    without_op_mark(comment).len() != comment.len()
}

/// The comment without an op mark: what people wrote, for the screen.
fn without_op_mark(comment: &str) -> &str {
    match comment.rfind(" [pagerdeck op ") {
        Some(at) if comment.ends_with(']') => &comment[..at],
        _ => comment,
    }
}

/// The comment of an acknowledgement: `ACK! <note>`.
pub(super) fn ack_comment(note: Option<&str>) -> String {
    match note.map(str::trim).filter(|n| !n.is_empty()) {
        Some(note) => format!("{ACK_PREFIX} {note}"),
        None => format!("{ACK_PREFIX} acknowledged from pagerdeck"),
    }
}

pub(super) fn snooze_comment(seconds: u64) -> String {
    format!("{SNOOZE_PREFIX} for {}", format_duration(seconds))
}

impl Alertmanager {
    /// The silences of the first member that answers (the cluster shares them).
    pub(super) async fn silences(&self) -> Result<HashMap<String, Silence>, ProviderError> {
        let mut last_error = ProviderError::Http("no Alertmanager configured".into());
        for url in &self.settings.urls {
            let endpoint = Self::endpoint(url, "silences");
            match self.http.get(&endpoint).send().await {
                Ok(response) if response.status().is_success() => {
                    let silences: Vec<Silence> = Self::decode(response, endpoint).await?;
                    return Ok(silences.into_iter().map(|s| (s.id.clone(), s)).collect());
                }
                Ok(response) => last_error = Self::refusal(response).await,
                Err(error) => last_error = Self::unreachable(url, &error),
            }
        }
        Err(last_error)
    }

    /// Whether op `op` made a silence: then an ack or snooze sent before a restart
    /// arrived, and is not made twice. An expired one counts too: it arrived and was
    /// taken back since (Alertmanager keeps expired silences for days, longer than a
    /// resume looks back).
    pub(super) async fn silenced_as(&self, op: u64) -> Result<Applied, ProviderError> {
        let mark = op_mark(op);
        let silences = self.silences().await?;
        let made = silences.values().any(|s| s.comment.ends_with(&mark));
        Ok(match made {
            true => Applied::Yes,
            false => Applied::No,
        })
    }

    /// Create one silence over the incident's alerts, on the first member that takes it
    /// (the cluster gossips it to the others, so it is never made twice).
    pub(super) async fn silence(
        &self,
        matchers: &[(String, String)],
        seconds: u64,
        comment: String,
    ) -> Result<(), ProviderError> {
        let now = Utc::now();
        let lasting = i64::try_from(seconds).unwrap_or(i64::MAX / 1000);
        let until = now + chrono::TimeDelta::try_seconds(lasting).unwrap_or_default();
        let body = serde_json::json!({
            "matchers": matchers.iter().map(|(name, value)| serde_json::json!({
                "name": name, "value": value, "isRegex": false, "isEqual": true
            })).collect::<Vec<_>>(),
            "startsAt": now,
            "endsAt": until,
            "createdBy": self.settings.me,
            "comment": comment,
        });
        let mut last_error = ProviderError::Http("no Alertmanager configured".into());
        for url in &self.settings.urls {
            let sent = self
                .http
                .post(Self::endpoint(url, "silences"))
                .json(&body)
                .send()
                .await;
            match sent {
                Ok(response) if response.status().is_success() => return Ok(()),
                // The server said no: another member would say the same.
                Ok(response) => return Err(Self::refusal(response).await),
                Err(error) => last_error = Self::unreachable(url, &error),
            }
        }
        Err(last_error)
    }

    /// Expire every active acknowledgement or snooze on the incident: the ones its
    /// alerts report, and any with exactly its matchers (made since the last poll).
    pub(super) async fn expire_acks(
        &self,
        matchers: &[(String, String)],
        silenced_by: &[String],
    ) -> Result<usize, ProviderError> {
        let silences = self.silences().await?;
        let ids: Vec<&String> = silences
            .values()
            .filter(|s| s.status.state == "active" && s.is_ack_or_snooze())
            .filter(|s| silenced_by.contains(&s.id) || s.matches_exactly(matchers))
            .map(|s| &s.id)
            .collect();
        for id in &ids {
            self.expire(id).await?;
        }
        Ok(ids.len())
    }

    async fn expire(&self, id: &str) -> Result<(), ProviderError> {
        let mut last_error = ProviderError::Http("no Alertmanager configured".into());
        for url in &self.settings.urls {
            let path = format!("silence/{id}");
            match self.http.delete(Self::endpoint(url, &path)).send().await {
                Ok(response) if response.status().is_success() => return Ok(()),
                Ok(response) => return Err(Self::refusal(response).await),
                Err(error) => last_error = Self::unreachable(url, &error),
            }
        }
        Err(last_error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn silence(comment: &str) -> Silence {
        Silence {
            id: "s1".into(),
            created_by: "Ana Ops".into(),
            comment: comment.into(),
            starts_at: DateTime::from_timestamp(1_800_000_000, 0).unwrap(),
            ends_at: DateTime::from_timestamp(1_800_003_600, 0).unwrap(),
            matchers: vec![Matcher {
                name: "alertname".into(),
                value: "HighErrorRate".into(),
                is_regex: false,
                is_equal: true,
            }],
            status: SilenceStatus {
                state: "active".into(),
            },
        }
    }

    #[test]
    fn a_silence_says_who_acknowledged_snoozed_or_silenced_and_until_when() {
        assert_eq!(
            describe(&silence(&ack_comment(None))),
            "acknowledged by Ana Ops at 08:00, until 09:00 UTC"
        );
        assert_eq!(
            describe(&silence(&ack_comment(Some("looking at the db")))),
            "acknowledged by Ana Ops at 08:00, until 09:00 UTC: looking at the db"
        );
        assert_eq!(
            describe(&silence(&snooze_comment(7200))),
            "snoozed by Ana Ops at 08:00, until 09:00 UTC"
        );
        assert_eq!(
            describe(&silence("db maintenance")),
            "silenced by Ana Ops until 09:00 UTC: db maintenance"
        );
    }

    #[test]
    fn the_op_mark_is_kept_in_the_silence_and_left_off_the_screen() {
        let comment = with_op_mark(ack_comment(Some("looking at the db")), 1_800_000_000_123);
        assert_eq!(
            comment,
            "ACK! looking at the db [pagerdeck op 1800000000123]"
        );
        assert_eq!(
            describe(&silence(&comment)),
            "acknowledged by Ana Ops at 08:00, until 09:00 UTC: looking at the db"
        );
        let snooze = with_op_mark(snooze_comment(7200), 9);
        assert!(
            silence(&snooze).is_ack_or_snooze(),
            "unack still takes it back"
        );
    }

    #[test]
    fn unack_takes_back_acks_and_snoozes_only_with_exact_matchers() {
        let matchers = vec![("alertname".to_string(), "HighErrorRate".to_string())];
        assert!(silence(&ack_comment(None)).is_ack_or_snooze());
        assert!(silence(&snooze_comment(60)).is_ack_or_snooze());
        assert!(!silence("db maintenance").is_ack_or_snooze());
        assert!(silence("x").matches_exactly(&matchers));
        let wider = vec![
            matchers[0].clone(),
            ("service".to_string(), "checkout-api".to_string()),
        ];
        assert!(!silence("x").matches_exactly(&wider));
    }
}
