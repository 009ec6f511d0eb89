#![allow(clippy::unwrap_used)] // Tests: a failure here is a failed test.
//! The Prometheus metrics source against the real server, scraping itself every second:
//! the series the pane charts for an incident, its labels in the query templates, the
//! alert's own expression from its generator link, the window and step, and errors.

#[path = "support/prometheus.rs"]
mod prometheus;

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{TimeDelta, Utc};
use pagerdeck::command::Command;
use pagerdeck::config::queries::ServiceQuery;
use pagerdeck::event::Event;
use pagerdeck::incident::{Incident, IncidentKey, Link, Severity, Status};
use pagerdeck::metrics::prometheus::{Prometheus, Settings};
use pagerdeck::metrics::window::{MAX_POINTS, step_seconds};
use pagerdeck::metrics::{ChartRange, MetricsSource, Notice, Series, Span, Unit};
use pagerdeck::providers::ProviderError;
use pagerdeck::state::State;

fn source(url: &str, queries: &[(&str, &str)]) -> Prometheus {
    let queries = queries
        .iter()
        .map(|(name, query)| ServiceQuery {
            name: name.to_string(),
            query: query.to_string(),
            unit: None,
        })
        .collect();
    Prometheus::new(Settings {
        url: url.into(),
        timeout: Duration::from_secs(10),
        connect_timeout: Duration::from_secs(5),
        services: BTreeMap::from([("prometheus".to_string(), queries)]),
    })
    .unwrap()
}

/// An incident about the server itself, as Alertmanager would bring it: its labels, and
/// the link to the rule's expression (`up{job="prometheus"} == 1`).
fn incident(server: &prometheus::Prometheus) -> Incident {
    let instance = server.url.trim_start_matches("http://").to_string();
    Incident {
        key: IncidentKey::new("demo", "P-1"),
        source: "demo".into(),
        title: "Prometheus is up".into(),
        severity: Severity::Warning,
        status: Status::Triggered,
        service: "prometheus".into(),
        team: None,
        alert: Some("TargetUp".into()),
        opened_at: Utc::now() - TimeDelta::seconds(10),
        assignee: None,
        escalated_to: None,
        level_two_answer: None,
        description: String::new(),
        labels: BTreeMap::from([
            ("job".to_string(), "prometheus".to_string()),
            ("instance".to_string(), instance),
        ]),
        links: vec![Link {
            title: "Prometheus expression".into(),
            url: format!(
                "{}/graph?g0.expr=up%7Bjob%3D%22prometheus%22%7D+%3D%3D+1&g0.tab=1",
                server.url
            ),
        }],
    }
}

fn names(all: &[Series]) -> Vec<&str> {
    all.iter().map(|s| s.name.as_str()).collect()
}

fn find<'a>(all: &'a [Series], name: &str) -> &'a Series {
    all.iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no {name} in {:?}", names(all)))
}

#[tokio::test(flavor = "multi_thread")]
async fn an_incidents_queries_and_alert_expression_are_charted_from_real_series() {
    let server = prometheus::Prometheus::start_scraping_itself();
    let prometheus = source(
        &server.url,
        &[
            ("up", r#"up{job="{{job}}",instance="{{instance}}"}"#),
            (
                "requests",
                r#"sum by (handler) (rate(prometheus_http_requests_total{job="{{job}}"}[1m]))"#,
            ),
            ("pods", r#"up{pod="{{pod}}"}"#),
            ("broken", "sum(rate(up[1m])"),
        ],
    );
    let incident = incident(&server);
    let window = Span::AroundFiring.window(incident.opened_at, Utc::now());
    let step = step_seconds(window, 120);
    let all = prometheus
        .series_for(&incident, window, step)
        .await
        .unwrap();

    // The service's queries in the order configured, then the alert's expression.
    let order = names(&all);
    assert_eq!(order[0], "up", "{order:?}");
    assert_eq!(
        order.last(),
        Some(&"alert TargetUp (fires == 1)"),
        "{order:?}"
    );
    // The template took the incident's labels, and the chart is the server's series.
    let up = find(&all, "up");
    let instance = &incident.labels["instance"];
    assert_eq!(
        up.query.as_deref(),
        Some(format!(r#"up{{job="prometheus",instance="{instance}"}}"#).as_str())
    );
    assert_eq!(up.latest(), Some(1.0));
    assert_eq!(up.unit, Unit::None);
    // The last point is now: the window was moved back to a whole number of steps.
    assert_eq!(up.points.last().unwrap().0, window.end.timestamp() as f64);
    assert!(
        up.points
            .iter()
            .all(|&(t, _)| t >= window.start.timestamp() as f64 - step as f64)
    );
    // Several series of one query: each a chart, named by the label that differs.
    let requests: Vec<&Series> = all
        .iter()
        .filter(|s| s.name.starts_with("requests · handler="))
        .collect();
    assert!(requests.len() >= 2, "{order:?}");
    assert!(
        requests
            .iter()
            .all(|s| s.unit == Unit::PerSecond && s.notice.is_none())
    );
    // A label the incident lacks, and a query Prometheus refuses: said by name.
    let pods = find(&all, "pods");
    assert!(
        matches!(&pods.notice, Some(Notice::Problem(text)) if text.contains("no label `pod`") && text.contains("instance, job")),
        "{:?}",
        pods.notice
    );
    let broken = find(&all, "broken");
    assert!(
        matches!(&broken.notice, Some(Notice::Problem(text)) if text.starts_with("Prometheus: bad_data:")),
        "{:?}",
        broken.notice
    );
    // The alert's expression: its left side charted, its threshold kept.
    let alert = all.last().unwrap();
    assert_eq!(alert.query.as_deref(), Some(r#"up{job="prometheus"}"#));
    assert_eq!((alert.threshold, alert.latest()), (Some(1.0), Some(1.0)));

    // An incident of a service with no queries and no expression is told what to add.
    let mut other = incident.clone();
    other.service = "ledger".into();
    other.links.clear();
    let nothing = prometheus.series_for(&other, window, step).await.unwrap();
    assert!(
        matches!(&nothing[..], [Series { notice: Some(Notice::Info(text)), .. }] if text.contains("[services.ledger.queries]")),
        "{nothing:?}"
    );
}

/// The one metrics fetch among `commands`.
fn asked(commands: &[Command]) -> Option<ChartRange> {
    commands.iter().find_map(|c| match c {
        Command::FetchMetrics { range, .. } => Some(*range),
        _ => None,
    })
}

/// Answer the state's fetch from the server, as the metrics task does.
async fn answer(state: &mut State, prometheus: &Prometheus, range: ChartRange) {
    let incident = state.selected().unwrap().clone();
    let result = prometheus
        .series_for(&incident, range.window, range.step)
        .await;
    let ticket = state.metrics.ticket;
    state.apply(
        Event::Metrics {
            ticket,
            key: incident.key,
            range,
            result,
        },
        Utc::now(),
    );
}

fn screen(state: &State) -> String {
    let theme = pagerdeck::theme::Theme::load("dark", None).unwrap();
    let backend = ratatui::backend::TestBackend::new(state.size.0, state.size.1);
    let mut terminal = ratatui::Terminal::new(backend).unwrap();
    terminal
        .draw(|frame| pagerdeck::ui::render(frame, state, &theme))
        .unwrap();
    terminal.backend().to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_pane_charts_the_answer_over_the_window_it_asked_and_brackets_change_it() {
    let server = prometheus::Prometheus::start_scraping_itself();
    let prometheus = source(
        &server.url,
        &[
            ("up", r#"up{job="{{job}}"}"#),
            ("broken", "sum(rate(up[1m])"),
        ],
    );
    let mut state = State::new(pagerdeck::testing::demo_setup(), Utc::now(), (160, 48));
    let commands = state.apply(
        Event::Incidents {
            source: "demo".into(),
            generation: 1,
            result: Ok(vec![incident(&server)]),
            degraded: None,
        },
        Utc::now(),
    );
    let range = asked(&commands).expect("selecting the incident fetches its metrics");
    assert_eq!(range.span, Span::AroundFiring);
    let pane = state.layout().metrics.width;
    let points = range.window.seconds() / range.step + 1;
    assert!(
        points <= u64::from(pane) * 2,
        "{points} points for {pane} columns"
    );
    answer(&mut state, &prometheus, range).await;
    let text = screen(&state);
    assert!(text.contains("up 1.00 →"), "{text}");
    assert!(text.contains("alert TargetUp (fires == 1) 1.00"), "{text}");
    assert!(text.contains("broken: Prometheus: bad_data"), "{text}");
    assert!(text.contains("┃ fired"), "{text}");

    // `[`: the last hour, asked with a longer step, answered by the server.
    let key = |c| crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Char(c));
    let wider = asked(&state.apply(Event::Key(key('[')), Utc::now())).unwrap();
    assert_eq!(
        (wider.span, wider.window.seconds()),
        (Span::Last(3600), 3600)
    );
    assert!(wider.step > range.step);
    answer(&mut state, &prometheus, wider).await;
    let text = screen(&state);
    assert!(
        text.contains("last 1h ┃ fired") && text.contains("up 1.00"),
        "{text}"
    );
    // `]`: back around the firing, from the cache, with no fetch.
    assert_eq!(asked(&state.apply(Event::Key(key(']')), Utc::now())), None);
    assert!(screen(&state).contains("up 1.00 →"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_week_at_any_width_stays_within_what_prometheus_accepts() {
    let server = prometheus::Prometheus::start_scraping_itself();
    let prometheus = source(&server.url, &[("up", r#"up{job="{{job}}"}"#)]);
    let incident = incident(&server);
    let week = Span::Last(7 * 86_400).window(incident.opened_at, Utc::now());
    let step = step_seconds(week, 1_000_000);
    assert!(week.seconds() / step < MAX_POINTS);
    let all = prometheus.series_for(&incident, week, step).await.unwrap();
    assert!(all.iter().all(|s| s.notice.is_none()), "{all:?}");
    assert_eq!(find(&all, "up").latest(), Some(1.0));
    // The control: one step finer than that, and the server refuses.
    let end = week.end.timestamp();
    let refused = reqwest::Client::new()
        .post(format!("{}/api/v1/query_range", server.url))
        .form(&[
            ("query", "up".to_string()),
            ("start", (end - 7 * 86_400).to_string()),
            ("end", end.to_string()),
            ("step", "50".to_string()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status().as_u16(), 400);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("exceeded maximum resolution")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dead_server_fails_the_fetch_once_saying_where_and_why() {
    let url = format!("http://127.0.0.1:{}", prometheus::free_port());
    let prometheus = source(&url, &[("up", "up"), ("also", "up")]);
    let mut incident = pagerdeck::testing::incident("prometheus", "TargetUp");
    incident.opened_at = Utc::now();
    let window = Span::AroundFiring.window(incident.opened_at, Utc::now());
    let error = prometheus
        .series_for(&incident, window, 15)
        .await
        .unwrap_err();
    let ProviderError::Http(reason) = &error else {
        panic!("{error:?}")
    };
    assert!(
        reason.starts_with(&format!("Prometheus at {url}: ")),
        "{reason}"
    );
    assert!(reason.to_lowercase().contains("refused"), "{reason}");
}

/// How many range queries the server has answered since `before`, once its counter has
/// reached `expected` or stopped moving: Prometheus counts a request after it has sent
/// the answer, so on a busy machine the last one can lag the client by a moment. More
/// than expected still shows, so a query asked twice still fails the test.
async fn answered_since(server: &prometheus::Prometheus, before: f64, expected: f64) -> f64 {
    let mut answered = range_queries_answered(server).await - before;
    for _ in 0..50 {
        if answered >= expected {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        answered = range_queries_answered(server).await - before;
    }
    answered
}

/// How many range queries the server has answered, by its own counter, read live from
/// `/metrics` (a query would read the last scrape, a second behind).
async fn range_queries_answered(server: &prometheus::Prometheus) -> f64 {
    let text = reqwest::get(format!("{}/metrics", server.url))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    text.lines()
        .filter(|l| {
            l.starts_with("prometheus_http_requests_total{")
                && l.contains(r#"handler="/api/v1/query_range""#)
        })
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .sum()
}

#[tokio::test(flavor = "multi_thread")]
async fn two_incidents_of_one_service_share_one_answer_per_query_and_window() {
    let server = prometheus::Prometheus::start_scraping_itself();
    let prometheus = source(&server.url, &[("up", r#"up{job="{{job}}"}"#)]);
    let first = incident(&server);
    let second = Incident {
        key: IncidentKey::new("demo", "P-2"),
        ..first.clone()
    };
    let now = Utc::now();
    let window = Span::AroundFiring.window(first.opened_at, now);
    let before = range_queries_answered(&server).await;
    let charted = prometheus.series_for(&first, window, 30).await.unwrap();
    let again = prometheus.series_for(&second, window, 30).await.unwrap();
    assert_eq!(names(&charted), names(&again));
    let asked = answered_since(&server, before, 2.0).await;
    assert_eq!(asked, 2.0, "the service's query and the alert's, once each");
    // The same window a few seconds on is still the same answer; past the refresh
    // interval it is asked again.
    let moved = |seconds| pagerdeck::metrics::Window {
        start: window.start + TimeDelta::seconds(seconds),
        end: window.end + TimeDelta::seconds(seconds),
    };
    prometheus.series_for(&first, moved(5), 30).await.unwrap();
    assert_eq!(answered_since(&server, before, 2.0).await, 2.0);
    prometheus.series_for(&first, moved(20), 30).await.unwrap();
    assert_eq!(answered_since(&server, before, 4.0).await, 4.0);
}
