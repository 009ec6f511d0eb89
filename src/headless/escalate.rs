//! `pagerdeck escalate INCIDENT`: the same hand-over as `e` in the cockpit, printed, asked
//! about (unless `--yes`), then sent through the journal and outbox.

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use color_eyre::eyre::Result;

use super::verbs::{refused, send};
use super::{Polled, deadline, lookup, poll_sources};
use crate::context::Context;
use crate::handover::{self, HandOver};
use crate::incident::Incident;
use crate::metrics::window::step_seconds;
use crate::metrics::{Series, Window};
use crate::providers::{Note, Verb};
use crate::sanitize;
use crate::sources::{self, Built};

/// How long the roster may take before the hand-over is shown without it.
const LEVEL_TWO_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// As the metrics command charts an incident: about this many points per signal.
const POINTS: u64 = 120;

pub async fn escalate(
    context: &Context,
    argument: &str,
    message: Option<String>,
    yes: bool,
) -> Result<ExitCode> {
    let now = Utc::now();
    let started = deadline();
    let (polled, _) = poll_sources(context, now, started).await?;
    let incident = match lookup::find(polled.iter().flat_map(|p| &p.incidents), argument) {
        Ok(incident) => incident,
        Err(message) => {
            eprintln!("pagerdeck: {}", sanitize::line(&message));
            return Ok(ExitCode::from(2));
        }
    };
    let (library, _) = context.library();
    let source = polled.iter().find(|p| p.config.name == incident.key.source);
    let plan = handover::plan(
        &library,
        incident,
        source.map_or("", |p| p.source.kind()),
        &context.config.escalation.name,
        source.and_then(|p| p.source.escalation_route()),
    );
    let to = plan.to.clone();
    if let Some(code) = refused(&polled, incident, &plan.verb(None)) {
        return Ok(code);
    }
    let message = match message {
        Some(message) => message,
        None => compose(context, &polled, incident, &to, now).await,
    };
    if let Some(route) = &plan.route {
        println!("Route: {}", sanitize::line(route));
    }
    if let Some(polled) = source {
        println!(
            "On call: {}",
            level_two(polled, incident, &plan.verb(None), now).await
        );
    }
    // Typed or composed, it is shown as it will be sent, without what could steer.
    println!(
        "Hand-over to {}:\n\n{}\n",
        sanitize::line(&to),
        sanitize::lines(&message)
    );
    if !yes && !confirmed(&sanitize::line(&to))? {
        eprintln!("pagerdeck: not sent");
        return Ok(ExitCode::FAILURE);
    }
    let verb = plan.verb(Some(message));
    // Time spent reading the hand-over and answering is the person's, not the network's.
    let deadline = if yes { started } else { deadline() };
    send(context, &polled, incident, verb, deadline).await
}

/// Who the escalation reaches, as the panel says it; a source that cannot tell in time
/// says why, and the hand-over is not held up.
async fn level_two(
    polled: &Polled,
    incident: &Incident,
    probe: &Verb,
    now: DateTime<Utc>,
) -> String {
    let asked = polled.source.level_two_oncall(&incident.key, probe);
    match tokio::time::timeout(LEVEL_TWO_WAIT, asked).await {
        Ok(Ok(people)) => handover::who_is_reached(&people, now, &incident.key.source),
        Ok(Err(error)) => format!("not known: {}", sanitize::line(&error.to_string())),
        Err(_) => format!("not known: {} did not say in time", incident.key.source),
    }
}

/// "Send it? [y/N]" on a terminal; without one, only `--yes` sends.
fn confirmed(to: &str) -> Result<bool> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        eprintln!("pagerdeck: no terminal to ask on: add --yes to send it to {to}");
        return Ok(false);
    }
    eprint!("Send it to {to}? [y/N] ");
    std::io::stderr().flush()?;
    let mut answer = String::new();
    stdin.lock().read_line(&mut answer)?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes"))
}

/// The hand-over as `e` composes it; what cannot be had in time (metrics, notes) is left
/// out, not waited for.
async fn compose(
    context: &Context,
    polled: &[Polled],
    incident: &Incident,
    level_two: &str,
    now: DateTime<Utc>,
) -> String {
    let source = polled.iter().find(|p| p.config.name == incident.key.source);
    let notes: Vec<Note> = match source {
        Some(polled) => match polled.source.history(&incident.key).await {
            Ok(history) => history.notes,
            Err(error) => {
                let error = sanitize::line(&error.to_string()).into_owned();
                eprintln!("pagerdeck: warning: the notes could not be read: {error}");
                Vec::new()
            }
        },
        None => Vec::new(),
    };
    let built: Vec<&Built> = polled.iter().map(|p| &p.source).collect();
    let signals = signals(context, &built, incident, now).await;
    let (library, _) = context.library();
    let progress = match crate::progress::load(&crate::progress::journal_path(&context.data_dir)) {
        Ok((book, warning)) => {
            if let Some(warning) = warning {
                eprintln!("pagerdeck: {}", crate::sanitize::line(&warning));
            }
            book
        }
        Err(_) => Default::default(),
    };
    handover::compose(&HandOver {
        incident,
        level_two,
        by: &context.me,
        now,
        signals: &signals,
        playbook: handover::playbook_steps(&library, &progress, incident),
        notes: &notes,
    })
}

async fn signals(
    context: &Context,
    built: &[&Built],
    incident: &Incident,
    now: DateTime<Utc>,
) -> Vec<Series> {
    let Ok(Some(metrics)) = sources::build_metrics(&context.config, built) else {
        return Vec::new();
    };
    let window = Window::around(incident.opened_at, now);
    let fetched = tokio::time::timeout(
        metrics.timeout(&context.config),
        metrics.series_for(incident, window, step_seconds(window, POINTS)),
    )
    .await;
    match fetched {
        Ok(Ok(series)) => series,
        _ => {
            eprintln!(
                "pagerdeck: warning: no metrics in the hand-over (the server did not answer)"
            );
            Vec::new()
        }
    }
}
