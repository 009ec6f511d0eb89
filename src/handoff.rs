//! The end-of-shift hand-off, in markdown: who hands off and the span covered, each
//! source's health, the open incidents (playbook progress, notes, marks), the silences
//! and snoozes ending soon, escalations, actions that failed, and what was done. A pure
//! function of what was fetched, so it snapshots; `headless::handoff` fetches.

use std::collections::HashMap;
use std::fmt::Write as _;

use chrono::{DateTime, FixedOffset, TimeDelta, Utc};

use crate::incident::{Incident, IncidentKey};
use crate::journal::Record;
use crate::playbook::Library;
use crate::progress::StepRecord;
use crate::providers::History;
use crate::providers::silence::SilenceSummary;

mod actions;
pub mod digest;
mod incidents;
mod quiet;
pub mod text;

use text::inline;

/// Everything the hand-off is written from.
pub struct HandoffInput<'a> {
    pub now: DateTime<Utc>,
    /// How far back the shift goes (`--since`); silences and snoozes ending within as
    /// long again are "ending soon".
    pub span: TimeDelta,
    /// Who hands off.
    pub by: &'a str,
    /// The zone times are written in.
    pub zone: FixedOffset,
    pub sources: &'a [SourceReport],
    /// The active incidents of the sources that answered.
    pub incidents: &'a [Incident],
    /// The actions journal.
    pub records: &'a [Record],
    /// The steps journal.
    pub steps: &'a [StepRecord],
    pub library: &'a Library,
    pub silences: &'a [SilenceSummary],
    /// Each open incident's notes at its source, or why they could not be read.
    pub histories: &'a HashMap<IncidentKey, Result<History, String>>,
    /// What could not be read locally (a torn journal line, a playbook), said at the top.
    pub warnings: &'a [String],
}

/// How one source answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceReport {
    pub name: String,
    pub kind: String,
    /// How many active incidents it has, or why it did not answer.
    pub incidents: Result<usize, String>,
    /// Why part of it did not answer (an HA member down).
    pub degraded: Option<String>,
    pub silences: SilenceAnswer,
}

/// Whether a source's silences were read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SilenceAnswer {
    /// It keeps none (PagerDuty, Opsgenie, the demo).
    NoneKept,
    Read,
    Failed(String),
}

/// `--since`: at least a minute, at most 90 days.
pub fn parse_span(text: &str) -> Result<std::time::Duration, String> {
    let span = humantime::parse_duration(text)
        .map_err(|e| format!("`{text}` is not a duration ({e}); write e.g. 8h, 12h or 1d"))?;
    if span < std::time::Duration::from_secs(60) {
        return Err("a shift of at least 1m".into());
    }
    if span > std::time::Duration::from_secs(90 * 24 * 3600) {
        return Err("a shift of at most 90d".into());
    }
    Ok(span)
}

pub fn render(input: &HandoffInput) -> String {
    let clock = Clock {
        now: input.now,
        zone: input.zone,
    };
    let ops = digest::ops(input.records);
    let marks = digest::marks(input.records);
    let mut out = String::new();
    header(&mut out, input, &clock);
    incidents::section(&mut out, input, &clock, &ops, &marks);
    quiet::section(&mut out, input, &clock, &ops);
    actions::escalations(&mut out, input, &clock, &ops);
    actions::unfinished(&mut out, input, &clock, &ops);
    actions::marks(&mut out, input, &clock, &marks);
    actions::done(&mut out, input, &ops, &marks);
    out
}

fn header(out: &mut String, input: &HandoffInput, clock: &Clock) {
    let since = input.now - input.span;
    let _ = writeln!(
        out,
        "# Hand-off from {}, {}\n",
        inline(input.by),
        clock.full(input.now)
    );
    let _ = writeln!(
        out,
        "Covers the last {}: since {}. Times in {}.\n",
        span_words(input.span),
        clock.full(since),
        clock.zone_name()
    );
    for warning in input.warnings {
        let _ = writeln!(out, "> ⚠ {}\n", inline(warning));
    }
    let _ = writeln!(out, "## Sources\n");
    if input.sources.is_empty() {
        let _ = writeln!(out, "No source is configured.\n");
    }
    for source in input.sources {
        let name = format!("{} ({})", inline(&source.name), inline(&source.kind));
        let _ = match &source.incidents {
            Ok(count) => writeln!(out, "- {name}: answered, {count} active incident(s)"),
            Err(reason) => writeln!(
                out,
                "- {name}: **did not answer: {}. Its incidents are missing from this hand-off.**",
                inline(reason)
            ),
        };
        if let Some(reason) = &source.degraded {
            let _ = writeln!(out, "  - partly: {}", inline(reason));
        }
        if let SilenceAnswer::Failed(reason) = &source.silences {
            let _ = writeln!(
                out,
                "  - its silences could not be read: {}",
                inline(reason)
            );
        }
    }
    out.push('\n');
}

/// "12h", "1d", "90m": the span as people say it.
fn span_words(span: TimeDelta) -> String {
    let seconds = u64::try_from(span.num_seconds()).unwrap_or(0);
    if seconds >= 86_400 && seconds % 86_400 == 0 {
        return format!("{}d", seconds / 86_400);
    }
    crate::providers::format_duration(seconds)
}

/// Times as the hand-off writes them: in one zone, the day named when not today.
struct Clock {
    now: DateTime<Utc>,
    zone: FixedOffset,
}

impl Clock {
    /// "03:12", or "Mon 30 Nov 03:12" on another day.
    fn time(&self, at: DateTime<Utc>) -> String {
        let (local, today) = (
            at.with_timezone(&self.zone),
            self.now.with_timezone(&self.zone),
        );
        if local.date_naive() == today.date_naive() {
            local.format("%H:%M").to_string()
        } else {
            local.format("%a %d %b %H:%M").to_string()
        }
    }

    /// "Tue 01 Dec 2026 15:00".
    fn full(&self, at: DateTime<Utc>) -> String {
        at.with_timezone(&self.zone)
            .format("%a %d %b %Y %H:%M")
            .to_string()
    }

    /// "in 40m" / "40m ago".
    fn relative(&self, at: DateTime<Utc>) -> String {
        let seconds = (at - self.now).num_seconds();
        let age = crate::incident::format_age(seconds.abs());
        match seconds >= 0 {
            true => format!("in {age}"),
            false => format!("{age} ago"),
        }
    }

    fn zone_name(&self) -> String {
        match self.zone.local_minus_utc() {
            0 => "UTC".into(),
            _ => format!("UTC{}", self.zone),
        }
    }
}

/// The incident's title, service and severity for a line, from the source when it is
/// still open, else from what the journal kept of it.
fn what(
    key: &IncidentKey,
    incidents: &[Incident],
    facts: Option<&crate::journal::IncidentFacts>,
) -> String {
    let key_text = inline(&key.to_string());
    let (title, service) = match incidents.iter().find(|i| &i.key == key) {
        Some(incident) => (incident.title.as_str(), incident.service.as_str()),
        None => match facts {
            Some(facts) => (facts.title.as_str(), facts.service.as_str()),
            None => return key_text,
        },
    };
    format!(
        "{key_text} {} ({})",
        text::inline_within(title, 120),
        inline(service)
    )
}
