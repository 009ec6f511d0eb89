//! The people behind PagerDuty: who is on call now (`/oncalls`), and which user the
//! configured `From` email is (a responder request names its requester by id).

use super::pages::{PAGE_LIMIT, every_page};
use super::{PagerDuty, wire};
use crate::providers::{OnCall, ProviderError};

impl PagerDuty {
    /// One row per escalation policy, level and person (`earliest=true`) over the week
    /// ahead: who is on call now, and who is next (a shift that starts later), sorted by
    /// policy then level.
    pub(super) async fn on_call_now(&self) -> Result<Vec<OnCall>, ProviderError> {
        let now = chrono::Utc::now();
        let until = (now + chrono::TimeDelta::days(7)).to_rfc3339();
        let until = until.as_str();
        let rows = every_page(
            |offset| async move {
                let mut query = vec![
                    ("earliest", "true".to_string()),
                    ("until", until.to_string()),
                    ("limit", PAGE_LIMIT.to_string()),
                    ("offset", offset.to_string()),
                ];
                let policies = &self.settings.escalation_policy_ids;
                query.extend(
                    policies
                        .iter()
                        .map(|id| ("escalation_policy_ids[]", id.clone())),
                );
                let page: wire::OnCallsPage = self.get("/oncalls", &query).await?;
                Ok((page.oncalls, page.paging))
            },
            |row: &wire::OnCall| {
                let id = |r: &Option<wire::Reference>| r.as_ref().map(|r| r.id.clone());
                (
                    id(&row.escalation_policy),
                    row.escalation_level,
                    id(&row.user),
                    row.start,
                    row.end,
                )
            },
        )
        .await?;
        let mut people: Vec<OnCall> = rows
            .into_iter()
            .map(|row| on_call(&self.settings.name, row, now))
            .collect();
        people.sort_by(|a, b| (&a.rota, a.level, &a.who).cmp(&(&b.rota, b.level, &b.who)));
        Ok(people)
    }

    /// The id of the user whose email is `From`, asked for once.
    pub(super) async fn requester_id(&self) -> Result<String, ProviderError> {
        let email = self.sender_email()?;
        self.requester
            .get_or_try_init(|| async {
                let answer: wire::UsersAnswer = self
                    .get("/users", &[("query", email.to_string())])
                    .await?;
                // The query matches names too: only the exact email is me.
                answer
                    .users
                    .into_iter()
                    .find(|user| {
                        user.email
                            .as_deref()
                            .is_some_and(|e| e.trim().eq_ignore_ascii_case(email))
                    })
                    .map(|user| user.id)
                    .ok_or_else(|| {
                        ProviderError::Unsupported(format!(
                            "no PagerDuty user with email {email}: responder requests need the From email to be a user of the account"
                        ))
                    })
            })
            .await
            .cloned()
    }

    fn sender_email(&self) -> Result<&str, ProviderError> {
        self.from
            .as_ref()
            .and_then(|value| value.to_str().ok())
            .ok_or_else(|| ProviderError::Unsupported(super::FROM_MISSING.into()))
    }
}

pub(super) fn on_call(
    source: &str,
    row: wire::OnCall,
    now: chrono::DateTime<chrono::Utc>,
) -> OnCall {
    let label = |r: Option<wire::Reference>| r.as_ref().and_then(wire::Reference::label);
    OnCall {
        source: source.to_string(),
        rota: label(row.escalation_policy)
            .or_else(|| label(row.schedule))
            .unwrap_or_else(|| "unknown".into()),
        level: row.escalation_level,
        who: label(row.user).unwrap_or_else(|| "nobody".into()),
        until: row.end,
        from: row.start.filter(|start| *start > now),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shift_still_to_come_is_who_is_next() {
        let now = chrono::Utc::now();
        let row = |start: chrono::DateTime<chrono::Utc>| wire::OnCall {
            start: Some(start),
            ..serde_json::from_str::<wire::OnCall>("{}").unwrap()
        };
        let next = on_call("pd", row(now + chrono::TimeDelta::hours(3)), now);
        assert!(!next.now(now) && next.from.is_some());
        let current = on_call("pd", row(now - chrono::TimeDelta::hours(3)), now);
        assert!(current.now(now) && current.from.is_none());
    }
}
