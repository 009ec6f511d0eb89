//! Reading one schedule for `oncall` and for an escalation's rules: who is on call now
//! (`on-calls`), who comes on next (`next-on-calls`) and when shifts change (`timeline`),
//! asked at once. Only the first is needed: without the others the people now are still
//! worth showing.

use chrono::Utc;
use serde::de::DeserializeOwned;

use super::wire::{NextOnCallAnswer, OnCallAnswer, TimelineAnswer};
use super::{Opsgenie, people, shifts};
use crate::providers::http::segment;
use crate::providers::{OnCall, ProviderError};

/// Who is on call on one schedule, and what of it could not be read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScheduleRoster {
    pub people: Vec<OnCall>,
    /// Why who is next, or until when, is missing ("who is next on ops: …"), in words.
    pub problems: Vec<String>,
}

/// A schedule as a request names it: configured schedules go by name, an escalation's
/// rule names its schedule by id (and usually by name too).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScheduleIdentifier {
    Id(String),
    Name(String),
}

impl ScheduleIdentifier {
    fn text(&self) -> &str {
        match self {
            ScheduleIdentifier::Id(text) | ScheduleIdentifier::Name(text) => text,
        }
    }

    /// The value of the `…IdentifierType` query parameter.
    fn kind(&self) -> &'static str {
        match self {
            ScheduleIdentifier::Id(_) => "id",
            ScheduleIdentifier::Name(_) => "name",
        }
    }
}

impl Opsgenie {
    /// The people on call on `schedule` (its name) now, until the next change when it is
    /// known, and who comes on then. Fails only when the people now cannot be read.
    pub async fn schedule_roster(&self, schedule: &str) -> Result<ScheduleRoster, ProviderError> {
        let by_name = ScheduleIdentifier::Name(schedule.to_string());
        self.schedule_roster_by(&by_name, schedule).await
    }

    /// `schedule_roster` for a schedule named by id or by name. `label` names it in rows
    /// (when Opsgenie does not give its name) and in problems: an id says little.
    pub async fn schedule_roster_by(
        &self,
        schedule: &ScheduleIdentifier,
        label: &str,
    ) -> Result<ScheduleRoster, ProviderError> {
        let kind = schedule.kind();
        let identified = [("scheduleIdentifierType", kind), ("flat", "false")];
        // A month: a weekly or fortnightly rotation changes within it.
        let timeline_span = [
            ("identifierType", kind),
            ("interval", "1"),
            ("intervalUnit", "months"),
        ];
        let (now, next, timeline) = futures_util::future::join3(
            self.schedule_read::<OnCallAnswer>(schedule, "on-calls", &identified),
            self.schedule_read::<NextOnCallAnswer>(schedule, "next-on-calls", &identified),
            self.schedule_read::<TimelineAnswer>(schedule, "timeline", &timeline_span),
        )
        .await;
        let now = now?.data.unwrap_or_default();
        let mut problems = Vec::new();
        let next = usable(next, "who is next", label, &mut problems);
        let timeline = usable(timeline, "when shifts change", label, &mut problems);
        let next = next.and_then(|answer| answer.data);
        let change = timeline
            .and_then(|answer| answer.data)
            .and_then(|timeline| shifts::next_change(&timeline, Utc::now()));
        if next.is_some() && change.is_none() {
            tracing::debug!(
                schedule = label,
                "Opsgenie: no shift change ahead on {label}"
            );
        }
        let people = people::roster(&self.settings.name, label, now, next.as_ref(), change);
        Ok(ScheduleRoster { people, problems })
    }

    /// `GET /v2/schedules/{schedule}/{what}`.
    async fn schedule_read<T: DeserializeOwned + Send + 'static>(
        &self,
        schedule: &ScheduleIdentifier,
        what: &str,
        query: &[(&str, &str)],
    ) -> Result<T, ProviderError> {
        let path = format!("/v2/schedules/{}/{what}", segment(schedule.text()));
        let request = self.api.client().get(self.api.url(&path)).query(query);
        self.api.json(request, &path).await
    }
}

/// The answer, or `None` with the failure logged and kept in `problems`.
fn usable<T>(
    answer: Result<T, ProviderError>,
    what: &str,
    schedule: &str,
    problems: &mut Vec<String>,
) -> Option<T> {
    match answer {
        Ok(answer) => Some(answer),
        Err(error) => {
            tracing::warn!(schedule, "Opsgenie: {what} on {schedule}: {error}");
            problems.push(format!("{what} on {schedule}: {error}"));
            None
        }
    }
}
