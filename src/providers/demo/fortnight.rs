//! The demo's past, for `pagerdeck report` on a fresh machine: its world's alerts firing
//! again on earlier days, each day's pages drawn from a hash of the date and the alert,
//! so a date always has the same history. One alert is plain noise: a nightly batch job
//! no team owns, that pages at 2 am, is never acknowledged and clears by itself.

use chrono::{DateTime, Duration, NaiveTime, TimeDelta, Utc};

use super::DemoSource;
use crate::incident::{IncidentKey, Severity};
use crate::journal::IncidentFacts;
use crate::providers::{PageHistory, PastPage};

/// How an alert behaves on a past day.
struct Habit<'a> {
    alert: &'a str,
    service: &'a str,
    title: &'a str,
    severity: Severity,
    team: Option<&'a str>,
    /// In a hundred days, how many it fires on.
    days_in_100: u64,
    /// The hours of day (UTC) it fires in, from..to.
    hours: (u64, u64),
    /// Chance in a hundred that it was escalated to level two.
    escalated_in_100: u64,
    /// Nobody ever acknowledges it.
    noise: bool,
}

const NOISE: Habit<'static> = Habit {
    alert: "NightlyExportSlow",
    service: "batch-reports",
    title: "nightly export to the warehouse running longer than 40m",
    severity: Severity::Warning,
    team: None,
    days_in_100: 95,
    hours: (2, 3),
    escalated_in_100: 0,
    noise: true,
};

/// The pages of the days between `since` and `until`, oldest first.
pub fn history(demo: &DemoSource, since: DateTime<Utc>, until: DateTime<Utc>) -> PageHistory {
    let world = &demo.world;
    let habits: Vec<Habit> = world
        .incidents
        .iter()
        .map(|incident| {
            let seed = fnv(&incident.alert);
            let (days_in_100, hours) = match incident.severity {
                Severity::Critical => (20 + seed % 15, (18, 24)),
                Severity::High => (30 + seed % 20, (10, 22)),
                Severity::Warning => (25 + seed % 20, (0, 24)),
                Severity::Info => (15, (8, 18)),
            };
            Habit {
                alert: &incident.alert,
                service: &incident.service,
                title: &incident.title,
                severity: incident.severity,
                team: world.team_of(&incident.service),
                days_in_100,
                hours,
                escalated_in_100: match incident.severity {
                    Severity::Critical => 45,
                    Severity::High => 15,
                    _ => 0,
                },
                noise: false,
            }
        })
        .chain(std::iter::once(NOISE))
        .collect();
    let mut pages = Vec::new();
    let mut day = since.date_naive();
    while day <= until.date_naive() {
        let midnight = day.and_time(NaiveTime::MIN).and_utc();
        for habit in &habits {
            if let Some(page) = firing(demo, habit, midnight) {
                pages.push(page);
            }
        }
        day += Duration::days(1);
    }
    // The live incidents are in the cockpit, not in the past.
    let first_live = world
        .incidents
        .iter()
        .filter_map(|i| super::parse_offset(&i.opened).ok())
        .min()
        .map_or(until, |offset| demo.start + TimeDelta::seconds(offset));
    pages.retain(|p| since <= p.facts.opened_at && p.facts.opened_at < until.min(first_live));
    pages.sort_by_key(|p| p.facts.opened_at);
    // Numbered as the source numbers incidents: up to just below the live ones'.
    let count = pages.len() as u64;
    for (index, page) in pages.iter_mut().enumerate() {
        page.key = IncidentKey::new(
            &demo.name,
            format!("INC-{}", 1026 - count + index as u64 + 1),
        );
    }
    PageHistory {
        pages,
        silences: Vec::new(),
        unknown: Vec::new(),
    }
}

/// The page `habit` sent on the day starting at `midnight`, if it fired that day.
fn firing(demo: &DemoSource, habit: &Habit, midnight: DateTime<Utc>) -> Option<PastPage> {
    let mut draw = Draws(fnv(habit.alert) ^ (midnight.timestamp() as u64).wrapping_mul(0x9e37));
    if draw.below(100) >= habit.days_in_100 {
        return None;
    }
    let (from, to) = habit.hours;
    let opened_at =
        midnight + TimeDelta::seconds((from * 3600 + draw.below((to - from) * 3600)) as i64);
    // Most are answered within minutes, some take long: the p90 has a tail.
    let ack_after = match draw.below(10) {
        0 => 900 + draw.below(1500),
        _ => 45 + draw.below(420),
    };
    let acknowledged_at = (!habit.noise).then(|| opened_at + TimeDelta::seconds(ack_after as i64));
    let lasts = match habit.noise {
        true => 1800 + draw.below(2400),
        false => ack_after + 600 + draw.below(5400),
    };
    Some(PastPage {
        key: IncidentKey::new(&demo.name, ""),
        facts: IncidentFacts {
            title: habit.title.to_string(),
            service: habit.service.to_string(),
            alert: Some(habit.alert.to_string()),
            severity: habit.severity,
            team: habit.team.map(str::to_string),
            opened_at,
        },
        acknowledged_at,
        resolved_at: Some(opened_at + TimeDelta::seconds(lasts as i64)),
        escalated: draw.below(100) < habit.escalated_in_100,
    })
}

/// A small deterministic stream of numbers (splitmix64).
struct Draws(u64);

impl Draws {
    fn below(&mut self, bound: u64) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        (z ^ (z >> 31)) % bound.max(1)
    }
}

/// FNV-1a: the same number for the same name on every build and machine.
fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::providers::demo::DemoWorld;

    fn demo(start: DateTime<Utc>) -> DemoSource {
        DemoSource::new("demo", DemoWorld::embedded().unwrap(), start, "me")
    }

    #[test]
    fn the_same_span_has_the_same_history() {
        let now = DateTime::parse_from_rfc3339("2026-12-01T14:00:00Z")
            .unwrap()
            .to_utc();
        let since = now - Duration::days(14);
        let first = history(&demo(now), since, now);
        let again = history(&demo(now), since, now);
        assert_eq!(first, again);
        assert!(
            first.pages.len() > 30,
            "a fortnight of pages: {}",
            first.pages.len()
        );
        assert!(
            first
                .pages
                .iter()
                .all(|p| since <= p.facts.opened_at && p.facts.opened_at < now)
        );
    }

    #[test]
    fn the_noisy_alert_pages_nightly_and_is_never_acknowledged() {
        let now = DateTime::parse_from_rfc3339("2026-12-01T14:00:00Z")
            .unwrap()
            .to_utc();
        let told = history(&demo(now), now - Duration::days(14), now);
        let noise: Vec<&PastPage> = told
            .pages
            .iter()
            .filter(|p| p.facts.alert.as_deref() == Some(NOISE.alert))
            .collect();
        assert!(noise.len() >= 10, "{}", noise.len());
        assert!(noise.iter().all(|p| p.acknowledged_at.is_none()));
        let acked = told
            .pages
            .iter()
            .filter(|p| p.acknowledged_at.is_some())
            .count();
        assert!(acked > told.pages.len() / 2);
        let keys: std::collections::HashSet<_> = told.pages.iter().map(|p| &p.key).collect();
        assert_eq!(keys.len(), told.pages.len(), "each page its own incident");
    }
}
