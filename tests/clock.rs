#![allow(clippy::unwrap_used)] // Tests: a failure here is a failed test.
//! The simulated clock of drills, and the demo source running on any world and clock.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use pagerdeck::clock::{Clock, parse_speed, simulated_at};
use pagerdeck::incident::Status;
use pagerdeck::metrics::Window;
use pagerdeck::providers::Source;
use pagerdeck::providers::demo::{DemoSource, DemoWorld};

fn three_am() -> DateTime<Utc> {
    DateTime::from_timestamp(1_795_402_800, 0).unwrap()
}

/// A small night: one incident already firing, one at +2m, one at +10m.
const WORLD: &str = r#"
[[services]]
name = "checkout-api"
team = "payments"
[[services.signals]]
name = "error rate"
unit = "percent"
baseline = 0.5
peak = 12.0
shape = "ramp"
at = "-2m"
length = "10m"
noise = 0.05

[[incidents]]
id = "DRILL-1"
title = "checkout-api 5xx above 5%"
service = "checkout-api"
alert = "HighErrorRate"
severity = "critical"
status = "triggered"
opened = "-1m"
description = "Errors climbing."

[[incidents]]
id = "DRILL-2"
title = "checkout-api p99 above 2s"
service = "checkout-api"
alert = "HighLatencyP99"
severity = "high"
status = "triggered"
opened = "+2m"
description = "Slow."

[[incidents]]
id = "DRILL-3"
title = "checkout-api pods restarting"
service = "checkout-api"
alert = "PodRestarts"
severity = "warning"
status = "triggered"
opened = "+10m"
description = "Restarts."
"#;

fn world() -> DemoWorld {
    toml::from_str(WORLD).unwrap()
}

#[test]
fn the_same_start_speed_and_elapsed_time_give_the_same_instant() {
    let elapsed = Duration::from_millis(12_345);
    let first = simulated_at(three_am(), 10.0, elapsed);
    assert_eq!(first, simulated_at(three_am(), 10.0, elapsed));
    assert_eq!(first, three_am() + TimeDelta::milliseconds(123_450));
    // Another speed or start is another instant.
    assert_ne!(first, simulated_at(three_am(), 12.0, elapsed));
    assert_ne!(
        first,
        simulated_at(three_am() + TimeDelta::seconds(1), 10.0, elapsed)
    );
}

#[test]
fn at_speed_ten_six_real_seconds_are_a_simulated_minute() {
    let later = simulated_at(three_am(), 10.0, Duration::from_secs(6));
    assert_eq!(later - three_am(), TimeDelta::minutes(1));
    let slow = simulated_at(three_am(), 0.5, Duration::from_secs(60));
    assert_eq!(slow - three_am(), TimeDelta::seconds(30));
}

#[test]
fn a_simulated_clock_starts_at_its_start_and_runs_at_its_speed() {
    let clock = Clock::simulated(three_am(), 10.0);
    assert_eq!(clock.speed(), 10.0);
    let read = clock.now();
    // Its own night, not the wall clock's (how fast it runs is `simulated_at`'s test).
    assert!(
        read >= three_am() && read - three_am() < TimeDelta::hours(1),
        "{read}"
    );
    assert_eq!(Clock::real().speed(), 1.0);
}

#[test]
fn a_manual_clock_moves_only_when_told_and_every_clone_sees_it() {
    let clock = Clock::manual(three_am());
    let copy = clock.clone();
    assert_eq!(copy.now(), three_am());
    clock.advance(TimeDelta::minutes(5));
    assert_eq!(copy.now(), three_am() + TimeDelta::minutes(5));
}

#[test]
fn speeds_that_cannot_run_a_drill_are_refused_with_the_reason() {
    assert_eq!(parse_speed("10"), Ok(10.0));
    assert_eq!(parse_speed("0.5"), Ok(0.5));
    assert_eq!(parse_speed("x60"), Ok(60.0));
    for (text, says) in [
        ("0", "above 0"),
        ("-3", "above 0"),
        ("NaN", "not a number"),
        ("inf", "not a number"),
        ("5000", "at most 1000"),
        ("fast", "not a speed"),
    ] {
        let problem = parse_speed(text).unwrap_err();
        assert!(problem.contains(says), "{text}: {problem}");
    }
}

#[tokio::test]
async fn incidents_appear_on_the_scenarios_timeline_as_simulated_time_passes() {
    let clock = Clock::manual(three_am());
    let source = DemoSource::new("drill", world(), three_am(), "Ana Ops").with_clock(clock.clone());
    let ids = |incidents: Vec<pagerdeck::incident::Incident>| {
        incidents.into_iter().map(|i| i.key.id).collect::<Vec<_>>()
    };
    assert_eq!(ids(source.incidents().await.unwrap()), ["DRILL-1"]);
    clock.set(three_am() + TimeDelta::minutes(3));
    assert_eq!(
        ids(source.incidents().await.unwrap()),
        ["DRILL-1", "DRILL-2"]
    );
    clock.set(three_am() + TimeDelta::minutes(10));
    assert_eq!(ids(source.incidents().await.unwrap()).len(), 3);
    // Each opened where the timeline puts it.
    let second = source
        .incidents()
        .await
        .unwrap()
        .into_iter()
        .find(|i| i.key.id == "DRILL-2")
        .unwrap();
    assert_eq!(second.opened_at, three_am() + TimeDelta::minutes(2));
}

#[tokio::test]
async fn two_runs_of_a_night_chart_the_same_values_at_the_same_instant() {
    let run = || DemoSource::new("drill", world(), three_am(), "Ana Ops");
    let (first, second) = (run(), run());
    let window = |end: DateTime<Utc>| Window {
        start: end - TimeDelta::minutes(30),
        end,
    };
    let at = three_am() + TimeDelta::minutes(4);
    let a = first.series_at("checkout-api", window(at), 15);
    let b = second.series_at("checkout-api", window(at), 15);
    assert_eq!(a[0].points, b[0].points);
    assert_eq!(
        a[0].points,
        first.series_at("checkout-api", window(at), 15)[0].points
    );
    // And the ramp climbs between two instants.
    let later = first.series_at("checkout-api", window(at + TimeDelta::minutes(4)), 15);
    assert!(later[0].latest().unwrap() > a[0].latest().unwrap());
}

#[tokio::test]
async fn verbs_are_timed_by_the_sources_clock() {
    let clock = Clock::manual(three_am() + TimeDelta::minutes(7));
    let source = DemoSource::new("drill", world(), three_am(), "Ana Ops").with_clock(clock.clone());
    let key = pagerdeck::incident::IncidentKey::new("drill", "DRILL-1");
    source
        .perform(&key, &pagerdeck::providers::Verb::Snooze { seconds: 3600 })
        .await
        .unwrap();
    let history = source.history(&key).await.unwrap();
    let done = history.timeline.last().unwrap();
    assert_eq!(done.at, three_am() + TimeDelta::minutes(7));
    let incident = source
        .incidents()
        .await
        .unwrap()
        .into_iter()
        .find(|i| i.key == key)
        .unwrap();
    assert_eq!(incident.status, Status::Acknowledged);
    // 03:07 plus an hour, in the simulated night, not the wall clock's.
    assert!(
        incident.description.contains("until 04:07 UTC"),
        "{}",
        incident.description
    );
}

#[test]
fn a_drill_starts_at_the_last_three_in_the_morning_in_the_users_zone() {
    use pagerdeck::drill::run::night_start;
    let at = |text: &str| DateTime::parse_from_rfc3339(text).unwrap().to_utc();
    let afternoon = at("2026-12-01T14:18:00Z");
    assert_eq!(night_start(afternoon, 0), at("2026-12-01T03:00:00Z"));
    // Before three: the night before.
    assert_eq!(
        night_start(at("2026-12-01T02:10:00Z"), 0),
        at("2026-11-30T03:00:00Z")
    );
    // Three in Berlin (UTC+1) is two in UTC; in New York (UTC-5), eight.
    assert_eq!(night_start(afternoon, 3600), at("2026-12-01T02:00:00Z"));
    assert_eq!(
        night_start(afternoon, -5 * 3600),
        at("2026-12-01T08:00:00Z")
    );
}
