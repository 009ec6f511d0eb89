#![allow(clippy::unwrap_used)] // Test fixtures: a failure here is a failed test.

//! The metrics pane as Prometheus fills it: charts with a threshold, several series of
//! one query, what a query could not chart said under its name, a zoomed window, and a
//! dead server. Drawn from the demo at a frozen moment, compared with snapshots.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use pagerdeck::event::Event;
use pagerdeck::metrics::{Notice, Series, Unit};
use pagerdeck::providers::ProviderError;
use pagerdeck::state::State;
use pagerdeck::testing::{demo_state, frozen_now};
use pagerdeck::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn screen(state: &State) -> String {
    let theme = Theme::load("dark", None).unwrap();
    let mut terminal = Terminal::new(TestBackend::new(state.size.0, state.size.1)).unwrap();
    terminal
        .draw(|frame| pagerdeck::ui::render(frame, state, &theme))
        .unwrap();
    terminal.backend().to_string()
}

fn press(state: &mut State, code: KeyCode) {
    state.apply(
        Event::Key(KeyEvent::new(code, KeyModifiers::NONE)),
        frozen_now(),
    );
}

/// Answer the fetch in flight with `result`, as the metrics task would.
fn answer(state: &mut State, result: Result<Vec<Series>, ProviderError>) {
    let range = state.metrics.asked.unwrap();
    let key = state.selected().unwrap().key.clone();
    let ticket = state.metrics.ticket;
    state.apply(
        Event::Metrics {
            ticket,
            key,
            range,
            result,
        },
        frozen_now(),
    );
}

/// A ramp over the window the state asked for, from `low` to `high`.
fn ramp(state: &State, low: f64, high: f64) -> Vec<(f64, f64)> {
    let window = state.metrics.asked.unwrap().window;
    let (start, end) = (window.start.timestamp(), window.end.timestamp());
    (0..=40i32)
        .map(|i| {
            let t = start + (end - start) * i64::from(i) / 40;
            (t as f64, low + (high - low) * f64::from(i) / 40.0)
        })
        .collect()
}

fn prometheus_like(state: &State) -> Vec<Series> {
    let query = |q: &str| Some(q.to_string());
    vec![
        Series {
            query: query("sum by (code) (rate(http_requests_total[5m]))"),
            ..Series::new("5xx · code=500", Unit::PerSecond, ramp(state, 0.2, 9.5))
        },
        Series {
            query: query("sum by (code) (rate(http_requests_total[5m]))"),
            ..Series::new("5xx · code=503", Unit::PerSecond, ramp(state, 0.1, 2.0))
        },
        Series {
            query: query(r#"histogram_quantile(0.99, x{pod="{{pod}}"})"#),
            ..Series::notice(
                "p99 latency",
                Notice::Problem(
                    "the incident has no label `pod` (it has: alertname, service, severity)".into(),
                ),
            )
        },
        Series {
            threshold: Some(0.05),
            ..Series::new(
                "alert HighErrorRate (fires > 0.05)",
                Unit::Ratio,
                ramp(state, 0.001, 0.084),
            )
        },
        Series::notice(
            "saturation",
            Notice::Info("no data in this window: the query matches no series".into()),
        ),
    ]
}

#[test]
fn prometheus_signals_160x48() {
    let mut state = demo_state(160, 48);
    press(&mut state, KeyCode::Char('r'));
    let series = prometheus_like(&state);
    answer(&mut state, Ok(series));
    insta::assert_snapshot!(screen(&state));
}

#[test]
fn prometheus_signals_scrolled_80x24() {
    let mut state = demo_state(80, 24);
    press(&mut state, KeyCode::Tab); // the metrics tab
    press(&mut state, KeyCode::Char('r'));
    let series = prometheus_like(&state);
    answer(&mut state, Ok(series));
    press(&mut state, KeyCode::Char('j'));
    press(&mut state, KeyCode::Char('j'));
    let text = screen(&state);
    assert!(
        text.contains("p99 latency: the incident has no label `pod`"),
        "{text}"
    );
    insta::assert_snapshot!(text);
}

#[test]
fn a_wider_window_is_named_in_the_header_120x36() {
    let mut state = demo_state(120, 36);
    press(&mut state, KeyCode::Char('['));
    press(&mut state, KeyCode::Char('['));
    let loading = screen(&state);
    assert!(loading.contains("loading metrics (last 3h)…"), "{loading}");
    let series = vec![Series::new(
        "error rate",
        Unit::Percent,
        ramp(&state, 0.4, 8.2),
    )];
    answer(&mut state, Ok(series));
    let text = screen(&state);
    assert!(text.contains("last 3h ┃ fired 03:03"), "{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn a_window_after_the_firing_says_so_and_a_week_names_the_day() {
    let mut state = demo_state(160, 48);
    press(&mut state, KeyCode::Char(']'));
    let series = vec![Series::new(
        "error rate",
        Unit::Percent,
        ramp(&state, 0.4, 8.2),
    )];
    answer(&mut state, Ok(series));
    assert!(screen(&state).contains("last 15m ┃ fired 03:03"));
    // The oldest incident fired 3h10m ago: 15 minutes do not reach back to it.
    for _ in 0..5 {
        press(&mut state, KeyCode::Char('j'));
    }
    press(&mut state, KeyCode::Char(']'));
    press(&mut state, KeyCode::Char(']'));
    press(&mut state, KeyCode::Char(']'));
    press(&mut state, KeyCode::Char(']'));
    let series = vec![Series::new("x", Unit::None, ramp(&state, 1.0, 2.0))];
    answer(&mut state, Ok(series));
    let text = screen(&state);
    assert!(text.contains("last 15m ◂ fired 00:02"), "{text}");
    for _ in 0..8 {
        press(&mut state, KeyCode::Char('['));
    }
    let series = vec![Series::new("x", Unit::None, ramp(&state, 1.0, 2.0))];
    answer(&mut state, Ok(series));
    let text = screen(&state);
    assert!(text.contains("last 7d ┃ fired Mon 00:02"), "{text}");
}

#[test]
fn a_dead_metrics_server_is_said_over_the_last_charts_and_nowhere_else_80x24() {
    let mut state = demo_state(80, 24);
    press(&mut state, KeyCode::Tab);
    press(&mut state, KeyCode::Char('r'));
    answer(
        &mut state,
        Err(ProviderError::Http(
            "Prometheus at http://127.0.0.1:9: Connection refused (os error 111)".into(),
        )),
    );
    let text = screen(&state);
    assert!(
        text.contains("metrics unavailable: cannot reach server: Prometheus at"),
        "{text}"
    );
    // The last good charts stay, stale, saying when they were fetched.
    assert!(text.contains("showing the charts of 03:12"), "{text}");
    assert!(text.contains("┃error rate 8."), "{text}");
    assert!(
        text.contains("demo ● live"),
        "the sources are unaffected: {text}"
    );
    insta::assert_snapshot!(text);
}
