//! Levels of an escalation policy. `mode = "next_level"`: one level up the incident's own
//! policy; PagerDuty keeps no current level on an incident, so it is read from who is on
//! call: the highest level of the policy at which an assignee is on call now, else level
//! 1. And who an escalation reaches there, for the escalation panel.

use std::collections::HashSet;

use super::pages::{PAGE_LIMIT, every_page};
use super::people::on_call;
use super::{EscalationRoute, PagerDuty, wire};
use crate::providers::{OnCall, ProviderError};

impl PagerDuty {
    /// The level above the one the incident at `path` is at, checked to have someone on
    /// call. The incident is read afresh: the listing may be a poll old, and an incident
    /// that climbed since would be sent back to the level it just left.
    pub(super) async fn next_level(&self, path: &str) -> Result<u32, ProviderError> {
        let (policy, assignees) = self.policy_and_assignees(path).await?;
        let on_call = self.on_call_in(&policy.id).await?;
        let assignees: HashSet<&str> = assignees.iter().map(String::as_str).collect();
        level_above(&policy, &assignees, &on_call)
    }

    /// Who an escalation of the incident at `path` by `route` reaches: the people on
    /// call at that level of that policy (a policy handed to or asked: its first level).
    pub(super) async fn level_two_on_call(
        &self,
        path: &str,
        route: &EscalationRoute,
    ) -> Result<Vec<OnCall>, ProviderError> {
        let (rows, level) = match route {
            EscalationRoute::Reassign(policy) | EscalationRoute::ResponderRequest(policy) => {
                let rows = self.on_call_in(policy).await?;
                let first = rows.iter().filter_map(|row| row.escalation_level).min();
                (rows, first)
            }
            EscalationRoute::Level(level) => {
                let (policy, _) = self.policy_and_assignees(path).await?;
                (self.on_call_in(&policy.id).await?, Some(*level))
            }
            EscalationRoute::NextLevel => {
                let (policy, assignees) = self.policy_and_assignees(path).await?;
                let rows = self.on_call_in(&policy.id).await?;
                let assignees: HashSet<&str> = assignees.iter().map(String::as_str).collect();
                let next = level_above(&policy, &assignees, &rows)?;
                (rows, Some(next))
            }
        };
        let now = chrono::Utc::now();
        Ok(rows
            .into_iter()
            .filter(|row| level.is_some() && row.escalation_level == level)
            .map(|row| on_call(&self.settings.name, row, now))
            .collect())
    }

    /// The incident's escalation policy and its assignees' user ids, read afresh.
    async fn policy_and_assignees(
        &self,
        path: &str,
    ) -> Result<(wire::Reference, Vec<String>), ProviderError> {
        let answer: wire::IncidentAnswer = self.get(path, &[]).await?;
        let incident = answer.incident;
        let policy = incident
            .escalation_policy
            .filter(|policy| !policy.id.trim().is_empty())
            .ok_or_else(|| {
                ProviderError::Unsupported(format!(
                    "PagerDuty incident {} has no escalation policy to climb: escalate it by reassigning (mode = \"reassign\")",
                    incident.id
                ))
            })?;
        let assignees = incident
            .assignments
            .into_iter()
            .filter_map(|a| a.assignee.map(|user| user.id))
            .filter(|id| !id.is_empty())
            .collect();
        Ok((policy, assignees))
    }

    /// Everyone on call now in escalation policy `policy_id`, every page.
    async fn on_call_in(&self, policy_id: &str) -> Result<Vec<wire::OnCall>, ProviderError> {
        every_page(
            |offset| async move {
                let query = [
                    ("escalation_policy_ids[]", policy_id.to_string()),
                    ("limit", PAGE_LIMIT.to_string()),
                    ("offset", offset.to_string()),
                ];
                let page: wire::OnCallsPage = self.get("/oncalls", &query).await?;
                Ok((page.oncalls, page.paging))
            },
            |row: &wire::OnCall| {
                let id = |r: &Option<wire::Reference>| r.as_ref().map(|r| r.id.clone());
                (row.escalation_level, id(&row.user), id(&row.schedule))
            },
        )
        .await
    }
}

/// The level above the highest one an assignee is on call at (level 1 when none is),
/// if anyone is on call there to be escalated to.
fn level_above(
    policy: &wire::Reference,
    assignees: &HashSet<&str>,
    on_call: &[wire::OnCall],
) -> Result<u32, ProviderError> {
    // Rows of another policy would be a server's mistake; they must not decide levels.
    let in_policy = |row: &&wire::OnCall| {
        row.escalation_policy
            .as_ref()
            .is_none_or(|p| p.id.is_empty() || p.id == policy.id)
    };
    let rows: Vec<&wire::OnCall> = on_call.iter().filter(in_policy).collect();
    let current = rows
        .iter()
        .filter(|row| {
            row.user
                .as_ref()
                .is_some_and(|user| assignees.contains(user.id.as_str()))
        })
        .filter_map(|row| row.escalation_level)
        .max()
        .unwrap_or(1);
    let next = current.saturating_add(1);
    if rows.iter().any(|row| row.escalation_level == Some(next)) {
        return Ok(next);
    }
    let name = match policy.label() {
        Some(label) if label != policy.id => format!("{label} ({})", policy.id),
        _ => policy.id.clone(),
    };
    Err(ProviderError::Unsupported(format!(
        "escalation policy {name} has no level {next} with anyone on call (the incident is at level {current}): nothing was changed; escalate by reassigning (mode = \"reassign\") instead"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(json: &str) -> Vec<wire::OnCall> {
        serde_json::from_str(json).unwrap()
    }

    fn policy() -> wire::Reference {
        serde_json::from_str(r#"{"id":"PEP","summary":"Checkout"}"#).unwrap()
    }

    const TWO_LEVELS: &str = r#"[
        {"user":{"id":"PA"},"escalation_policy":{"id":"PEP"},"escalation_level":1},
        {"user":{"id":"PB"},"escalation_policy":{"id":"PEP"},"escalation_level":2},
        {"user":{"id":"PA"},"escalation_policy":{"id":"PEP"},"escalation_level":2}]"#;

    #[test]
    fn the_highest_level_an_assignee_is_on_call_at_is_where_the_incident_is() {
        let on_call = rows(TWO_LEVELS);
        let nobody = HashSet::new();
        assert_eq!(level_above(&policy(), &nobody, &on_call), Ok(2));
        let first = HashSet::from(["PX", "PA"]);
        // PA is on call at both levels: paging level 2 would page PA again.
        let error = level_above(&policy(), &first, &on_call).unwrap_err();
        assert_eq!(
            error.to_string(),
            "escalation policy Checkout (PEP) has no level 3 with anyone on call (the incident is at level 2): nothing was changed; escalate by reassigning (mode = \"reassign\") instead"
        );
    }

    #[test]
    fn rows_of_another_policy_or_without_a_level_decide_nothing() {
        let on_call = rows(
            r#"[{"user":{"id":"PA"},"escalation_policy":{"id":"PEP"},"escalation_level":1},
                {"user":{"id":"PA"},"escalation_policy":{"id":"POTHER"},"escalation_level":4},
                {"user":{"id":"PZ"},"escalation_policy":{"id":"POTHER"},"escalation_level":5},
                {"user":{"id":"PB"},"escalation_level":5},
                {"user":null,"escalation_level":null}]"#,
        );
        let error = level_above(&policy(), &HashSet::from(["PA"]), &on_call).unwrap_err();
        assert!(error.to_string().contains("no level 2"), "{error}");
        let bare: wire::Reference = serde_json::from_str(r#"{"id":"PEP"}"#).unwrap();
        let error = level_above(&bare, &HashSet::new(), &[]).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("escalation policy PEP has no level 2"),
            "{error}"
        );
    }
}
