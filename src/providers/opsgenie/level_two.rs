//! Who an escalation of an alert reaches, for the escalation panel: the escalation it
//! would go to is read (`GET /v2/escalations/{name}`), and each of its rules in order
//! gives its people: a schedule's on call now and next, a user or a team as named.

use futures_util::future::join_all;

use super::Opsgenie;
use super::escalation_rules::{self, Reaches, Step};
use super::wire::EscalationAnswer;
use crate::providers::http::segment;
use crate::providers::route::RouteOverride;
use crate::providers::{OnCall, ProviderError, Verb};

/// Why an alert cannot be escalated (or its level two told) without an escalation.
pub const NO_ESCALATION: &str =
    "no escalation route for Opsgenie: set [escalation] opsgenie = { escalation = \"…\" }";

impl Opsgenie {
    /// The escalation (its name) `verb` goes to: a playbook's own escalation for the
    /// alert's service comes before the configured one.
    pub(super) fn escalation_for<'a>(&'a self, verb: &'a Verb) -> Option<&'a str> {
        match verb {
            Verb::Escalate {
                playbook_route: Some(RouteOverride::Opsgenie(route)),
                ..
            } => Some(route.escalation.as_str()),
            _ => self.settings.escalation.as_deref(),
        }
    }

    /// The people `escalation` (a `Verb::Escalate`) reaches, rule by rule. A rule whose
    /// schedule cannot be read is left out, logged; only when that leaves nobody at all
    /// is it the answer, since "nobody on call" would then be untrue.
    pub(super) async fn level_two_people(
        &self,
        escalation: &Verb,
    ) -> Result<Vec<OnCall>, ProviderError> {
        let name = self
            .escalation_for(escalation)
            .ok_or_else(|| ProviderError::Unsupported(NO_ESCALATION.into()))?;
        let path = format!("/v2/escalations/{}", segment(name));
        let request = self
            .api
            .client()
            .get(self.api.url(&path))
            .query(&[("identifierType", "name")]);
        let answer: EscalationAnswer = self.api.json(request, &path).await?;
        let steps = escalation_rules::steps(name, answer.data.unwrap_or_default());
        // At once: the panel waits for all of it within one timeout.
        let answers = join_all(steps.iter().map(|step| self.step_people(name, step))).await;
        let mut people = Vec::new();
        let mut first_failure = None;
        for (step, answer) in steps.iter().zip(answers) {
            match answer {
                Ok(rows) => people.extend(rows),
                Err(error) => {
                    tracing::warn!(
                        escalation = name,
                        level = step.level,
                        "Opsgenie: rule {} of escalation {name} is left out: {error}",
                        step.level
                    );
                    first_failure.get_or_insert(error);
                }
            }
        }
        match first_failure {
            Some(error) if people.is_empty() => Err(error),
            _ => Ok(people),
        }
    }

    /// The rows of one step of the escalation `escalation_name`.
    async fn step_people(
        &self,
        escalation_name: &str,
        step: &Step,
    ) -> Result<Vec<OnCall>, ProviderError> {
        let source = &self.settings.name;
        match &step.reaches {
            Reaches::Named(who) => Ok(vec![escalation_rules::named_row(
                source,
                escalation_name,
                step.level,
                who.clone(),
            )]),
            Reaches::Schedule { schedule, label } => {
                let roster = self.schedule_roster_by(schedule, label).await?;
                Ok(escalation_rules::schedule_rows(
                    escalation_name,
                    step.level,
                    roster.people,
                ))
            }
        }
    }
}
