//! The alert-hygiene report (`pagerdeck report`): from the journal and what the sources
//! can tell of a span, how often each alert and service paged, how fast pages were
//! acknowledged and resolved, what was escalated, marked noise, silenced, or has no
//! playbook, and at which hours. Pure: `gather` builds it, `markdown` and serde print it.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, FixedOffset, Timelike, Utc};
use serde::Serialize;

use crate::incident::{Incident, Status};
use crate::journal::Record;
use crate::playbook::Library;
use crate::providers::{PageHistory, PastPage, PastSilence};
use crate::sanitize;

mod chart;
pub mod journal_pages;
mod markdown;
pub mod merge;
mod rows;
pub mod stats;

pub use journal_pages::{FailedAction, Mark};
pub use rows::{NotActionable, Often, Row, SilenceRow};
pub use stats::Durations;

/// An alert that paged this often and was never acknowledged is listed as such.
pub const OFTEN: usize = 3;

/// What the report covers; hours of day are counted at `utc_offset` (the local time
/// when the command started).
#[derive(Debug, Clone, Copy)]
pub struct Span {
    pub since: DateTime<Utc>,
    pub until: DateTime<Utc>,
    pub utc_offset: FixedOffset,
}

/// What one configured source answered.
#[derive(Debug, Clone)]
pub struct SourceAnswer {
    pub name: String,
    pub kind: String,
    pub answer: Result<PageHistory, Unanswered>,
}

/// Why a source told nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unanswered {
    /// It keeps no history pagerdeck can read (not a failure).
    CannotTell(String),
    Failed(String),
}

/// Where the numbers came from, one line per source.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceNote {
    pub name: String,
    pub kind: String,
    /// Pages it told of in the span (some may be the journal's too).
    pub pages: usize,
    pub silences: usize,
    /// What it could not know.
    pub unknown: Vec<String>,
    /// Why it told nothing: the report is made of the rest.
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub since: DateTime<Utc>,
    pub until: DateTime<Utc>,
    pub utc_offset_seconds: i32,
    pub sources: Vec<SourceNote>,
    pub pages: usize,
    pub acknowledged: usize,
    pub resolved: usize,
    pub escalated: usize,
    /// Pages escalated / pages; `None` with no pages.
    pub escalation_rate: Option<f64>,
    pub time_to_acknowledge: Durations,
    pub time_to_resolve: Durations,
    pub by_alert: Vec<Row>,
    pub by_service: Vec<Row>,
    pub not_actionable: Vec<NotActionable>,
    pub never_acknowledged: Vec<Often>,
    pub no_playbook: Vec<Often>,
    pub silences: Vec<SilenceRow>,
    /// Pages by the hour of day they fired at (local), 0 to 23.
    pub pages_by_hour: Vec<usize>,
    /// Pages by weekday (local), Monday first.
    pub pages_by_weekday: Vec<usize>,
    pub failed_actions: Vec<FailedAction>,
}

/// The report over `span`, from the journal's `records` and the sources' answers.
pub fn gather(records: &[Record], told: &[SourceAnswer], library: &Library, span: Span) -> Report {
    let in_span = |at: DateTime<Utc>| span.since <= at && at <= span.until;
    let journal = journal_pages::tell(records, span.since, span.until);
    let mut sources = vec![journal_note(&journal)];
    let mut pages = journal.pages.clone();
    let mut silences: Vec<PastSilence> = Vec::new();
    for source in told {
        let mut note = SourceNote {
            name: clean(&source.name),
            kind: source.kind.clone(),
            pages: 0,
            silences: 0,
            unknown: Vec::new(),
            error: None,
        };
        match &source.answer {
            Ok(history) => {
                let own: Vec<PastPage> = history
                    .pages
                    .iter()
                    .filter(|p| in_span(p.facts.opened_at))
                    .cloned()
                    .collect();
                let made: Vec<&PastSilence> = history
                    .silences
                    .iter()
                    .filter(|s| in_span(s.starts_at))
                    .collect();
                note.pages = own.len();
                note.silences = made.len();
                note.unknown = history.unknown.iter().map(|u| clean(u)).collect();
                merge::merge(&mut pages, own);
                silences.extend(made.into_iter().cloned());
            }
            Err(Unanswered::CannotTell(why)) => note.unknown.push(clean(why)),
            Err(Unanswered::Failed(error)) => note.error = Some(clean(error)),
        }
        sources.push(note);
    }
    pages.sort_by(|a, b| (a.facts.opened_at, &a.key).cmp(&(b.facts.opened_at, &b.key)));
    use rows::waits;
    let all: Vec<&PastPage> = pages.iter().collect();
    let escalated = pages.iter().filter(|p| p.escalated).count();
    let by_alert = rows::by_alert(&pages, &journal.marks, library);
    let mut hours = vec![0; 24];
    let mut weekdays = vec![0; 7];
    for page in &pages {
        let local = page.facts.opened_at.with_timezone(&span.utc_offset);
        hours[local.hour() as usize] += 1;
        weekdays[local.weekday().num_days_from_monday() as usize] += 1;
    }
    Report {
        since: span.since,
        until: span.until,
        utc_offset_seconds: span.utc_offset.local_minus_utc(),
        sources,
        pages: pages.len(),
        acknowledged: pages.iter().filter(|p| p.acknowledged_at.is_some()).count(),
        resolved: pages.iter().filter(|p| p.resolved_at.is_some()).count(),
        escalated,
        escalation_rate: rate(escalated, pages.len()),
        time_to_acknowledge: Durations::of(&waits(&all, |p| p.acknowledged_at)),
        time_to_resolve: Durations::of(&waits(&all, |p| p.resolved_at)),
        by_service: rows::by_service(&pages, &journal.marks, library),
        not_actionable: rows::not_actionable(&journal.marks, &pages),
        never_acknowledged: by_alert
            .iter()
            .filter(|row| row.pages >= OFTEN && row.acknowledged == 0)
            .map(Often::from)
            .collect(),
        no_playbook: by_alert
            .iter()
            .filter(|row| !row.playbook)
            .map(Often::from)
            .collect(),
        by_alert,
        silences: rows::silences(&silences),
        pages_by_hour: hours,
        pages_by_weekday: weekdays,
        failed_actions: journal
            .failed
            .iter()
            .map(|f| FailedAction {
                action: clean(&f.action),
                reason: clean(&f.reason),
                ..f.clone()
            })
            .collect(),
    }
}

fn journal_note(journal: &journal_pages::JournalTells) -> SourceNote {
    let mut unknown = Vec::new();
    if journal.without_facts > 0 {
        unknown.push(format!(
            "{}journaled before actions kept what the incident was: not counted",
            count(journal.without_facts, "action", "actions")
        ));
    }
    SourceNote {
        name: "journal".into(),
        kind: "journal".into(),
        pages: journal.pages.len(),
        silences: 0,
        unknown,
        error: None,
    }
}

/// "1 page", "3 pages".
pub(crate) fn count(n: usize, one: &str, many: &str) -> String {
    match n {
        1 => format!("1 {one} "),
        n => format!("{n} {many} "),
    }
}

/// `part / whole`, `None` when there is no whole.
pub fn rate(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// Text from a source or the journal, one line with no control characters.
pub(crate) fn clean(text: &str) -> String {
    sanitize::line(text).into_owned()
}

/// The incident a page was, enough to find its playbook by.
pub(crate) fn as_incident(page: &PastPage) -> Incident {
    let facts = &page.facts;
    Incident {
        key: page.key.clone(),
        source: page.key.source.clone(),
        title: facts.title.clone(),
        severity: facts.severity,
        status: Status::Resolved,
        service: facts.service.clone(),
        team: facts.team.clone(),
        alert: facts.alert.clone(),
        opened_at: facts.opened_at,
        assignee: None,
        escalated_to: None,
        level_two_answer: None,
        description: String::new(),
        labels: BTreeMap::new(),
        links: Vec::new(),
    }
}

impl Report {
    /// The report as markdown, for the retro's notes.
    pub fn markdown(&self) -> String {
        markdown::render(self)
    }
}
