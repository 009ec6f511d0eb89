//! `pagerdeck metrics KEY|SERVICE [--json]`: what the metrics pane charts for an incident
//! (or a configured service over the last hour), through the same metrics source.

use std::collections::BTreeMap;
use std::io::Write;
use std::process::ExitCode;

use chrono::{DateTime, Local, Utc};
use color_eyre::eyre::Result;
use serde::Serialize;

use super::{fetch_incidents, lookup, quiet_on_closed_pipe};
use crate::context::Context;
use crate::incident::{Incident, IncidentKey, Severity, Status};
use crate::metrics::window::step_seconds;
use crate::metrics::{Notice, Series, Span, Window, format_value};
use crate::sanitize;
use crate::sources::{self, Built};

/// Points per series: a screen's worth, enough for a script's trend.
const POINTS: u64 = 120;
/// A service has no firing moment: its last hour.
const SERVICE_SPAN: Span = Span::Last(3600);
/// As `playbook show`: the argument names nothing.
const NOT_FOUND: u8 = 2;

pub async fn metrics(context: &Context, argument: &str, json: bool) -> Result<ExitCode> {
    let now = Utc::now();
    let built = super::build_sources(context, now)?;
    let built: Vec<&Built> = built.iter().map(|(_, source)| source).collect();
    let Some(metrics) =
        sources::build_metrics(&context.config, &built).map_err(color_eyre::eyre::Error::msg)?
    else {
        eprintln!("pagerdeck: {}", sources::NO_METRICS);
        return Ok(ExitCode::FAILURE);
    };
    let (incident, window) = match resolve(context, argument, now).await? {
        Ok(found) => found,
        Err(message) => {
            eprintln!("pagerdeck: {}", sanitize::line(&message));
            return Ok(ExitCode::from(NOT_FOUND));
        }
    };
    let step = step_seconds(window, POINTS);
    let fetched = tokio::time::timeout(
        metrics.timeout(&context.config),
        metrics.series_for(&incident, window, step),
    )
    .await;
    let series = match fetched {
        Ok(Ok(series)) => series,
        Ok(Err(error)) => {
            eprintln!(
                "pagerdeck: the metrics server failed: {}",
                sanitize::line(&error.to_string())
            );
            return Ok(ExitCode::FAILURE);
        }
        Err(_) => {
            eprintln!("pagerdeck: the metrics server did not answer in time");
            return Ok(ExitCode::FAILURE);
        }
    };
    let failed = series.iter().any(|s| s.problem().is_some());
    let printed = if json {
        print_json(&series)
    } else {
        print_text(&incident, window, step, &series)
    };
    quiet_on_closed_pipe(printed)?;
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// A service from `[services]` (over its last hour), else an active incident (around its
/// firing), as `playbook show` finds one: `SOURCE/ID`, `SOURCE:ID` or the bare ID.
async fn resolve(
    context: &Context,
    argument: &str,
    now: DateTime<Utc>,
) -> Result<Result<(Incident, Window), String>> {
    if context.config.services.contains_key(argument) {
        let incident = service_incident(argument, now);
        return Ok(Ok((incident, SERVICE_SPAN.window(now, now))));
    }
    let (incidents, _) = fetch_incidents(context, now).await?;
    Ok(lookup::find(&incidents, argument)
        .map(|i| (i.clone(), Window::around(i.opened_at, now)))
        .map_err(|e| format!("{e} (and no service of that name in [services])")))
}

/// A service stands in as an incident with only its name as a label, so its query
/// templates fill in `{{service}}` as they would for a real one.
fn service_incident(service: &str, now: DateTime<Utc>) -> Incident {
    Incident {
        key: IncidentKey::new("service", service),
        source: "service".into(),
        title: service.into(),
        severity: Severity::Info,
        status: Status::Triggered,
        service: service.into(),
        team: None,
        alert: None,
        opened_at: now,
        assignee: None,
        escalated_to: None,
        level_two_answer: None,
        description: String::new(),
        labels: BTreeMap::from([("service".to_string(), service.to_string())]),
        links: Vec::new(),
    }
}

#[derive(Serialize)]
struct JsonSeries<'a> {
    name: &'a str,
    query: Option<&'a str>,
    unit: &'static str,
    current: Option<f64>,
    points: &'a [(f64, f64)],
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
}

fn print_json(all: &[Series]) -> std::io::Result<()> {
    let shown: Vec<JsonSeries<'_>> = all
        .iter()
        .map(|s| JsonSeries {
            name: &s.name,
            query: s.query.as_deref(),
            unit: s.unit.name(),
            current: s.latest(),
            points: &s.points,
            error: s.problem(),
            note: match &s.notice {
                Some(Notice::Info(text)) => Some(text),
                _ => None,
            },
        })
        .collect();
    let mut out = std::io::stdout().lock();
    super::json::write_pretty(&mut out, &shown)?;
    writeln!(out)?;
    out.flush()
}

fn print_text(
    incident: &Incident,
    window: Window,
    step: u64,
    all: &[Series],
) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    let local = |t: DateTime<Utc>| t.with_timezone(&Local).format("%Y-%m-%d %H:%M");
    writeln!(
        out,
        "{} · {} · {} – {}, a point every {step}s",
        sanitize::line(&incident.service),
        sanitize::line(&incident.key.to_string()),
        local(window.start),
        local(window.end),
    )?;
    let width = all
        .iter()
        .map(|s| sanitize::line(&s.name).chars().count())
        .max()
        .unwrap_or(0);
    for series in all {
        let name = sanitize::line(&series.name);
        let pad = width.saturating_sub(name.chars().count());
        let detail = match &series.notice {
            Some(Notice::Problem(text)) => format!("error: {}", sanitize::line(text)),
            Some(Notice::Info(text)) => sanitize::line(text).into_owned(),
            None => summary(series),
        };
        writeln!(out, "{name}{:pad$}  {detail}", "")?;
    }
    out.flush()
}

/// "8.2% ↑  min 0.4%  max 8.6%"
fn summary(series: &Series) -> String {
    let values = series.points.iter().map(|&(_, v)| v);
    let min = values.clone().fold(f64::INFINITY, f64::min);
    let max = values.fold(f64::NEG_INFINITY, f64::max);
    let unit = series.unit;
    match series.latest() {
        Some(current) => format!(
            "{} {}  min {}  max {}",
            format_value(current, unit),
            series.trend(),
            format_value(min, unit),
            format_value(max, unit)
        ),
        None => "no points in the window".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::Unit;

    #[test]
    fn a_summary_has_the_current_value_trend_and_range() {
        let series = Series::new(
            "errors",
            Unit::Percent,
            (0..8).map(|i| (f64::from(i), f64::from(i))).collect(),
        );
        assert_eq!(summary(&series), "7.0% ↑  min 0.0%  max 7.0%");
        assert_eq!(
            summary(&Series::new("x", Unit::None, vec![])),
            "no points in the window"
        );
    }

    #[test]
    fn a_service_stands_in_with_its_name_as_the_service_label() {
        let incident = service_incident("checkout-api", Utc::now());
        let labels = crate::metrics::query::template_labels(&incident);
        assert_eq!(labels["service"], "checkout-api");
        assert_eq!(labels.len(), 1);
    }
}
