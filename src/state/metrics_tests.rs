//! The metrics pane's state: spans, steps, the cache, stale answers.

use chrono::TimeDelta;
use crossterm::event::KeyCode;

use super::tests::{demo_state, flash_text, press, t0};
use crate::command::Command;
use crate::event::Event;
use crate::metrics::window::MAX_POINTS;
use crate::metrics::{ChartRange, Series, Span, Unit, Window};
use crate::providers::ProviderError;
use crate::state::{METRICS_REFRESH_SECONDS, State};

/// The one metrics fetch among `commands`.
fn asked(commands: &[Command]) -> Option<(u64, ChartRange)> {
    commands.iter().find_map(|c| match c {
        Command::FetchMetrics { ticket, range, .. } => Some((*ticket, *range)),
        _ => None,
    })
}

fn answer(state: &mut State, ticket: u64, range: ChartRange, name: &str) {
    let key = state.selected().unwrap().key.clone();
    let series = vec![Series::new(name, Unit::None, vec![(1.0, 2.0)])];
    state.apply(
        Event::Metrics {
            ticket,
            key,
            range,
            result: Ok(series),
        },
        state.now,
    );
}

#[test]
fn the_step_fits_the_charts_width_and_prometheus_limit() {
    for (width, height) in [(80, 24), (120, 36), (160, 48), (400, 100)] {
        let mut state = demo_state(width, height);
        let (_, range) = asked(&press(&mut state, KeyCode::Char('j'))).unwrap();
        let opened = state.selected().unwrap().opened_at;
        assert_eq!(range.span, Span::AroundFiring);
        assert_eq!(range.window, Window::around(opened, t0()));
        let points = range.window.seconds() / range.step + 1;
        // The pane as shown (at 80 columns it is a tab of its own).
        let layout = crate::layout::compute(width, height, crate::layout::Pane::Metrics);
        let plot = u64::from(layout.metrics.width) * 2; // two points per column at most
        assert!(
            points <= plot && points <= MAX_POINTS,
            "{width}: {points} points"
        );
        assert!(points >= 20, "{width}: {points} points is too coarse");
    }
}

#[test]
fn brackets_widen_and_narrow_the_window_ending_now() {
    let mut state = demo_state(160, 48);
    // The first incident fired 9 minutes ago: around it is 39 minutes, between 15m and 1h.
    let (ticket, range) = asked(&press(&mut state, KeyCode::Char('['))).unwrap();
    assert_eq!(range.span, Span::Last(3600));
    assert_eq!((range.window.end, range.window.seconds()), (t0(), 3600));
    assert_eq!(state.metrics.span, Span::Last(3600));
    answer(&mut state, ticket, range, "hour");
    assert_eq!(state.metrics.window, Some(range.window));
    let (_, wider) = asked(&press(&mut state, KeyCode::Char('['))).unwrap();
    assert_eq!(wider.span, Span::Last(3 * 3600));
    assert!(wider.step > range.step, "a wider window, a longer step");
    // Back down: the hour was fetched a moment ago, so it shows with no fetch.
    assert_eq!(asked(&press(&mut state, KeyCode::Char(']'))), None);
    assert_eq!(state.metrics.series[0].name, "hour");
    // And around the firing, which the demo answered when it started.
    assert_eq!(asked(&press(&mut state, KeyCode::Char(']'))), None);
    assert_eq!(state.metrics.span, Span::AroundFiring);
    assert_eq!(state.metrics.series[0].name, "error rate");
    let (_, narrow) = asked(&press(&mut state, KeyCode::Char(']'))).unwrap();
    assert_eq!(narrow.span, Span::Last(900));
    assert!(press(&mut state, KeyCode::Char(']')).is_empty());
    assert!(
        flash_text(&state).contains("narrowest"),
        "{}",
        flash_text(&state)
    );
}

#[test]
fn a_new_selection_starts_around_its_own_firing() {
    let mut state = demo_state(160, 48);
    press(&mut state, KeyCode::Char('['));
    let (_, range) = asked(&press(&mut state, KeyCode::Char('j'))).unwrap();
    assert_eq!(range.span, Span::AroundFiring);
    assert_eq!(state.metrics.span, Span::AroundFiring);
}

#[test]
fn going_back_within_the_refresh_interval_is_instant_and_later_refetches() {
    let mut state = demo_state(160, 48);
    let first = state.selected().unwrap().key.clone();
    let shown = state.metrics.series.clone();
    assert!(!shown.is_empty());
    let (ticket, range) = asked(&press(&mut state, KeyCode::Char('j'))).unwrap();
    answer(&mut state, ticket, range, "second");
    // Back to the first: its series at once, nothing asked.
    assert_eq!(asked(&press(&mut state, KeyCode::Char('k'))), None);
    assert_eq!(state.selected().unwrap().key, first);
    assert_eq!(state.metrics.series, shown);
    assert!(!state.metrics.loading);
    // Past the refresh interval the same move shows the old series while fetching.
    let later = t0() + TimeDelta::seconds(crate::state::METRICS_REFRESH_SECONDS);
    let down = crossterm::event::KeyEvent::from(KeyCode::Char('j'));
    let commands = state.apply(Event::Key(down), later);
    assert!(asked(&commands).is_some(), "stale: fetched again");
    assert_eq!(state.metrics.series[0].name, "second", "shown meanwhile");
    assert!(state.metrics.loading);
}

#[test]
fn an_answer_for_an_incident_left_behind_is_kept_but_not_shown() {
    let mut state = demo_state(160, 48);
    let (old_ticket, old_range) = asked(&press(&mut state, KeyCode::Char('j'))).unwrap();
    let left = state.selected().unwrap().key.clone();
    press(&mut state, KeyCode::Char('j'));
    state.apply(
        Event::Metrics {
            ticket: old_ticket,
            key: left.clone(),
            range: old_range,
            result: Ok(vec![Series::new("late", Unit::None, vec![])]),
        },
        t0(),
    );
    assert!(state.metrics.series.iter().all(|s| s.name != "late"));
    assert!(state.metrics.loading, "still waiting for its own");
    assert_eq!(
        state
            .metrics_cache
            .get(&left, Span::AroundFiring)
            .unwrap()
            .series[0]
            .name,
        "late"
    );
    assert_eq!(asked(&press(&mut state, KeyCode::Char('k'))), None);
    assert_eq!(state.metrics.series[0].name, "late");
}

#[test]
fn a_failed_fetch_is_said_not_cached_and_keeps_the_last_charts() {
    let mut state = demo_state(160, 48);
    let (ticket, range) = asked(&press(&mut state, KeyCode::Char('j'))).unwrap();
    let key = state.selected().unwrap().key.clone();
    state.apply(
        Event::Metrics {
            ticket,
            key: key.clone(),
            range,
            result: Err(ProviderError::Http(
                "Prometheus at http://p: refused".into(),
            )),
        },
        t0(),
    );
    assert_eq!(
        state.metrics.error.as_deref(),
        Some("cannot reach server: Prometheus at http://p: refused")
    );
    assert!(state.metrics_cache.get(&key, Span::AroundFiring).is_none());
    assert!(
        state.metrics.series.is_empty(),
        "nothing had been shown for it"
    );
    // `r` asks again; once its charts are shown, a later failure leaves them under it.
    let (ticket, range) = asked(&press(&mut state, KeyCode::Char('r'))).unwrap();
    answer(&mut state, ticket, range, "good");
    let later = t0() + TimeDelta::seconds(METRICS_REFRESH_SECONDS);
    let (ticket, range) = asked(&state.apply(Event::Tick, later)).unwrap();
    state.apply(
        Event::Metrics {
            ticket,
            key: key.clone(),
            range,
            result: Err(ProviderError::Timeout),
        },
        later,
    );
    assert_eq!(state.metrics.error.as_deref(), Some("timed out"));
    assert_eq!(state.metrics.series[0].name, "good");
    assert_eq!(state.metrics.series_at, Some(t0()));
}
