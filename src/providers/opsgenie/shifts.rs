//! When shifts change on a schedule, from its timeline: the only answer that tells.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};

use super::map::time;
use super::wire::ScheduleTimeline;

/// The first moment after `now` at which the set of holders in the final timeline is
/// not the set holding it now. A moment where a stretch is only cut in two (the timeline
/// splits one at the request's time, and some at day ends) and the same holders go on is
/// no change, and neither is the end of the span asked for (else the latest end seen),
/// where every stretch is cut. `None` when nothing changes within the span.
pub fn next_change(timeline: &ScheduleTimeline, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let rotations = timeline.final_timeline.iter().flat_map(|t| &t.rotations);
    // A stretch without readable times cannot place a change: it is left out.
    let stretches: Vec<(DateTime<Utc>, DateTime<Utc>, &str)> = rotations
        .flat_map(|rotation| &rotation.periods)
        .filter_map(|period| {
            let start = time(period.start_date.as_deref())?;
            let end = time(period.end_date.as_deref())?;
            let holder = period.recipient.as_ref().and_then(|r| {
                let named = r.id.as_deref().or(r.name.as_deref());
                named.or(r.kind.as_deref())
            });
            (start < end).then_some((start, end, holder.unwrap_or("")))
        })
        .collect();
    let latest_end = stretches.iter().map(|(_, end, _)| *end).max();
    let span_end = time(timeline.end_date.as_deref()).or(latest_end)?;
    let holders_at = |at: DateTime<Utc>| -> BTreeSet<&str> {
        let holding = stretches
            .iter()
            .filter(|(start, end, _)| *start <= at && at < *end);
        holding.map(|(_, _, holder)| *holder).collect()
    };
    let holding_now = holders_at(now);
    let mut moments: Vec<DateTime<Utc>> = stretches
        .iter()
        .flat_map(|(start, end, _)| [*start, *end])
        .filter(|moment| *moment > now && *moment < span_end)
        .collect();
    moments.sort();
    moments.dedup();
    moments
        .into_iter()
        .find(|moment| holders_at(*moment) != holding_now)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::providers::opsgenie::wire::TimelineAnswer;

    /// 09:00 UTC on a Monday.
    fn now() -> DateTime<Utc> {
        at("2030-01-07T09:00:00Z")
    }

    fn at(text: &str) -> DateTime<Utc> {
        time(Some(text)).unwrap()
    }

    /// A final timeline of rotations, each a list of (start, end, holder).
    fn timeline(rotations: &[&[(&str, &str, &str)]]) -> ScheduleTimeline {
        let rotations: Vec<serde_json::Value> = rotations
            .iter()
            .map(|periods| {
                let periods: Vec<serde_json::Value> = periods
                    .iter()
                    .map(|(start, end, who)| {
                        serde_json::json!({"startDate": start, "endDate": end, "type": "default",
                            "recipient": {"type": "user", "name": who}})
                    })
                    .collect();
                serde_json::json!({"name": "r", "periods": periods})
            })
            .collect();
        let json = serde_json::json!({"data": {"startDate": "2030-01-01T00:00:00Z",
            "endDate": "2030-02-01T00:00:00Z", "finalTimeline": {"rotations": rotations}}});
        serde_json::from_value::<TimelineAnswer>(json)
            .unwrap()
            .data
            .unwrap()
    }

    #[test]
    fn the_next_change_is_the_first_moment_other_people_hold_the_schedule() {
        let single = timeline(&[&[
            ("2030-01-06T09:00:00Z", "2030-01-07T12:00:00Z", "ann"),
            ("2030-01-07T12:00:00Z", "2030-01-08T12:00:00Z", "bob"),
        ]]);
        assert_eq!(
            next_change(&single, now()),
            Some(at("2030-01-07T12:00:00Z"))
        );
        // Ann's week on one rotation, Bob's and then Carl's day on the other.
        let layered = timeline(&[
            &[("2030-01-06T00:00:00Z", "2030-01-13T00:00:00Z", "ann")],
            &[
                ("2030-01-07T08:00:00Z", "2030-01-07T17:00:00Z", "bob"),
                ("2030-01-07T17:00:00Z", "2030-01-08T08:00:00Z", "carl"),
            ],
        ]);
        assert_eq!(
            next_change(&layered, now()),
            Some(at("2030-01-07T17:00:00Z"))
        );
        // Nobody after Ann's stretch is a change too.
        let gap = timeline(&[&[("2030-01-07T08:00:00Z", "2030-01-07T10:00:00Z", "ann")]]);
        assert_eq!(next_change(&gap, now()), Some(at("2030-01-07T10:00:00Z")));
    }

    #[test]
    fn a_stretch_cut_in_two_for_the_same_person_is_no_change() {
        // Opsgenie cuts the current stretch at the request's time, and at day ends.
        let cut = timeline(&[&[
            ("2030-01-06T09:00:00Z", "2030-01-07T09:00:30Z", "ann"),
            ("2030-01-07T09:00:30Z", "2030-01-08T00:00:00Z", "ann"),
            ("2030-01-08T00:00:00Z", "2030-01-08T09:00:00Z", "ann"),
            ("2030-01-08T09:00:00Z", "2030-01-09T09:00:00Z", "bob"),
        ]]);
        assert_eq!(next_change(&cut, now()), Some(at("2030-01-08T09:00:00Z")));
    }

    #[test]
    fn no_change_is_found_in_a_timeline_without_one_or_without_readable_times() {
        let steady = timeline(&[&[("2030-01-01T00:00:00Z", "2030-02-01T00:00:00Z", "ann")]]);
        assert_eq!(next_change(&steady, now()), None);
        let unreadable = timeline(&[&[
            ("2030-01-06T09:00:00Z", "2030-01-07T12:00:00Z", "ann"),
            ("soon", "2030-01-08T12:00:00Z", "bob"),
        ]]);
        assert_eq!(
            next_change(&unreadable, now()),
            Some(at("2030-01-07T12:00:00Z")),
            "Ann's end still counts"
        );
        let past = timeline(&[&[("2030-01-01T00:00:00Z", "2030-01-02T00:00:00Z", "ann")]]);
        assert_eq!(next_change(&past, now()), None);
        let empty: TimelineAnswer =
            serde_json::from_str(r#"{"data":{"finalTimeline":{"rotations":null}}}"#).unwrap();
        assert_eq!(next_change(&empty.data.unwrap(), now()), None);
        let bare: TimelineAnswer = serde_json::from_str(r#"{"data":{}}"#).unwrap();
        assert_eq!(next_change(&bare.data.unwrap(), now()), None);
        // Without the span's end, the latest end seen may be where the span was cut.
        let mut unbounded = timeline(&[&[
            ("2030-01-06T09:00:00Z", "2030-01-07T12:00:00Z", "ann"),
            ("2030-01-07T12:00:00Z", "2030-01-08T12:00:00Z", "bob"),
        ]]);
        unbounded.end_date = None;
        assert_eq!(
            next_change(&unbounded, now()),
            Some(at("2030-01-07T12:00:00Z"))
        );
        unbounded.end_date = Some("2030-01-07T12:00:00Z".into());
        assert_eq!(
            next_change(&unbounded, now()),
            None,
            "cut where the span ends"
        );
    }
}
