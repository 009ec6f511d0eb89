#![allow(clippy::unwrap_used)] // Tests: a failure here is a failed test.
//! The bundled drills' metrics tell their stories: the charts a newcomer reads during a
//! drill move the way the scenario's incidents say.

#[path = "support/drill.rs"]
#[allow(dead_code)]
mod drill;

use drill::scenario;
use pagerdeck::drill::Scenario;

/// The scenario's signals sampled by the demo source, as the metrics pane charts them:
/// (value at `from` seconds, value at `to` seconds) of signal `name`.
fn signal_between(scenario: Scenario, name: &str, from: i64, to: i64) -> (f64, f64) {
    use chrono::{DateTime, TimeDelta};
    use pagerdeck::metrics::Window;
    use pagerdeck::providers::demo::DemoSource;
    let start = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
    let service = scenario.world.services[0].name.clone();
    let source = DemoSource::new("drill", scenario.world, start, "me");
    let at = |seconds: i64| {
        let instant = start + TimeDelta::seconds(seconds);
        let window = Window {
            start: instant,
            end: instant,
        };
        let series = source.series_at(&service, window, 15);
        let signal = series.iter().find(|s| s.name == name).unwrap();
        signal.points[0].1
    };
    (at(from), at(to))
}

#[test]
fn the_bundled_signals_tell_each_story() {
    // The slow burn: the disk creeps up over the drill, past the alert's worry.
    let (early, late) = signal_between(scenario("disk-creep"), "disk used (invoice-db-2)", 0, 1800);
    assert!(
        early > 80.0 && early < 88.0 && late > 90.0,
        "{early} → {late}"
    );
    // The outage: errors jump when it fires and stay up.
    let (before, after) = signal_between(scenario("orders-outage"), "error rate", 60, 1500);
    assert!(before < 1.0 && after > 35.0, "{before} → {after}");
    // The noise: users are fine all along while the probe flaps.
    let (early, late) = signal_between(
        scenario("flapping-probe"),
        "real-user login errors",
        0,
        1200,
    );
    assert!(early < 0.3 && late < 0.3, "{early} → {late}");
    let (up, down) = signal_between(
        scenario("flapping-probe"),
        "probe success (eu-runner-3)",
        0,
        180,
    );
    assert!(up > 0.9 && down < 0.7, "{up} → {down}");
}
