//! The report's tables: pages per alert and per service with their times, the
//! not-actionable marks, alerts to look at, and silences by what they matched.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::journal_pages::Mark;
use super::stats::Durations;
use super::{as_incident, clean, rate};
use crate::playbook::Library;
use crate::providers::{PastPage, PastSilence};

/// One alert (with its service) or one service, and how its pages went.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// `None` in the per-service table.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alert: Option<String>,
    pub service: String,
    pub pages: usize,
    pub acknowledged: usize,
    pub escalated: usize,
    pub escalation_rate: Option<f64>,
    pub not_actionable: usize,
    pub time_to_acknowledge: Durations,
    pub time_to_resolve: Durations,
    /// A playbook matches the alert (per-service rows: any of its alerts).
    pub playbook: bool,
}

/// An alert named in a list (never acknowledged, no playbook).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Often {
    pub alert: String,
    pub service: String,
    pub pages: usize,
}

impl From<&Row> for Often {
    fn from(row: &Row) -> Often {
        Often {
            alert: row.alert.clone().unwrap_or_default(),
            service: row.service.clone(),
            pages: row.pages,
        }
    }
}

/// The `!` marks on one alert.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NotActionable {
    pub alert: String,
    pub service: String,
    pub times: usize,
    /// Each different reason once, in the order given.
    pub reasons: Vec<String>,
}

/// The silences made for one alert (or service) in the span.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SilenceRow {
    /// `None`: the silence matched no alert name (a whole service, say).
    pub alert: Option<String>,
    pub service: Option<String>,
    pub times: usize,
    /// How long they were set to last, together.
    pub total_seconds: u64,
    pub by_people: usize,
    pub by_pagerdeck: usize,
}

/// The seconds from firing to `end` of each page where `end` is known.
pub fn waits(of: &[&PastPage], end: fn(&PastPage) -> Option<DateTime<Utc>>) -> Vec<u64> {
    of.iter()
        .filter_map(|p| end(p).map(|at| (at - p.facts.opened_at).num_seconds().max(0) as u64))
        .collect()
}

/// The alert a page was: its name, else its title.
pub fn alert_of(page: &PastPage) -> String {
    clean(page.facts.alert.as_deref().unwrap_or(&page.facts.title))
}

pub fn by_alert(pages: &[PastPage], marks: &[Mark], library: &Library) -> Vec<Row> {
    let groups = group(pages, |p| (alert_of(p), clean(&p.facts.service)));
    let mut rows: Vec<Row> = groups
        .into_iter()
        .map(|((alert, service), of)| {
            let marked = marks
                .iter()
                .filter(|m| of.iter().any(|p| p.key == m.key))
                .count();
            let playbook = of.iter().any(|p| library.find(&as_incident(p)).is_some());
            row(Some(alert), service, &of, marked, playbook)
        })
        .collect();
    sort(&mut rows);
    rows
}

pub fn by_service(pages: &[PastPage], marks: &[Mark], library: &Library) -> Vec<Row> {
    let groups = group(pages, |p| clean(&p.facts.service));
    let mut rows: Vec<Row> = groups
        .into_iter()
        .map(|(service, of)| {
            let marked = marks
                .iter()
                .filter(|m| of.iter().any(|p| p.key == m.key))
                .count();
            let playbook = of.iter().any(|p| library.find(&as_incident(p)).is_some());
            row(None, service, &of, marked, playbook)
        })
        .collect();
    sort(&mut rows);
    rows
}

fn row(
    alert: Option<String>,
    service: String,
    of: &[&PastPage],
    not_actionable: usize,
    playbook: bool,
) -> Row {
    let escalated = of.iter().filter(|p| p.escalated).count();
    Row {
        alert,
        service,
        pages: of.len(),
        acknowledged: of.iter().filter(|p| p.acknowledged_at.is_some()).count(),
        escalated,
        escalation_rate: rate(escalated, of.len()),
        not_actionable,
        time_to_acknowledge: Durations::of_row(&waits(of, |p| p.acknowledged_at)),
        time_to_resolve: Durations::of_row(&waits(of, |p| p.resolved_at)),
        playbook,
    }
}

/// Most pages first, then by name, so equal counts keep one order.
fn sort(rows: &mut [Row]) {
    rows.sort_by(|a, b| (b.pages, &a.service, &a.alert).cmp(&(a.pages, &b.service, &b.alert)));
}

fn group<K: Ord>(pages: &[PastPage], key: impl Fn(&PastPage) -> K) -> BTreeMap<K, Vec<&PastPage>> {
    let mut groups: BTreeMap<K, Vec<&PastPage>> = BTreeMap::new();
    for page in pages {
        groups.entry(key(page)).or_default().push(page);
    }
    groups
}

/// The marks by alert: from the facts the mark kept, else from the page it was on.
pub fn not_actionable(marks: &[Mark], pages: &[PastPage]) -> Vec<NotActionable> {
    let mut groups: BTreeMap<(String, String), NotActionable> = BTreeMap::new();
    for mark in marks {
        let (alert, service) = match (&mark.facts, pages.iter().find(|p| p.key == mark.key)) {
            (Some(facts), _) => (
                clean(facts.alert.as_deref().unwrap_or(&facts.title)),
                clean(&facts.service),
            ),
            (None, Some(page)) => (alert_of(page), clean(&page.facts.service)),
            (None, None) => (clean(&mark.key.to_string()), "unknown".to_string()),
        };
        let entry = groups
            .entry((alert.clone(), service.clone()))
            .or_insert(NotActionable {
                alert,
                service,
                times: 0,
                reasons: Vec::new(),
            });
        entry.times += 1;
        let reason = clean(mark.reason.trim());
        if !reason.is_empty() && !entry.reasons.contains(&reason) {
            entry.reasons.push(reason);
        }
    }
    let mut rows: Vec<NotActionable> = groups.into_values().collect();
    rows.sort_by_key(|row| std::cmp::Reverse(row.times));
    rows
}

pub fn silences(silences: &[PastSilence]) -> Vec<SilenceRow> {
    let mut groups: BTreeMap<(Option<String>, Option<String>), SilenceRow> = BTreeMap::new();
    for silence in silences {
        let alert = silence.alert.as_deref().map(clean);
        let service = silence.service.as_deref().map(clean);
        let entry = groups
            .entry((alert.clone(), service.clone()))
            .or_insert(SilenceRow {
                alert,
                service,
                times: 0,
                total_seconds: 0,
                by_people: 0,
                by_pagerdeck: 0,
            });
        entry.times += 1;
        entry.total_seconds += (silence.ends_at - silence.starts_at).num_seconds().max(0) as u64;
        match silence.by_pagerdeck {
            true => entry.by_pagerdeck += 1,
            false => entry.by_people += 1,
        }
    }
    let mut rows: Vec<SilenceRow> = groups.into_values().collect();
    rows.sort_by_key(|row| std::cmp::Reverse(row.times));
    rows
}
