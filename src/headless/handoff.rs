//! `pagerdeck handoff`: every source asked at once (incidents, silences, then the open
//! incidents' notes), the journals read, and the hand-off printed or written to a file.
//! Everything within the command's deadline; a source that does not answer is said.

use std::collections::HashMap;
use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use chrono::{Local, TimeDelta, Utc};
use color_eyre::eyre::Result;
use futures_util::StreamExt as _;

use super::{build_sources, deadline, quiet_on_closed_pipe};
use crate::context::Context;
use crate::handoff::{HandoffInput, SilenceAnswer, SourceReport, render};
use crate::incident::{Incident, IncidentKey, Status};
use crate::journal::{Record, read_checked};
use crate::progress::StepRecord;
use crate::providers::History;
use crate::providers::silence::SilenceSummary;
use crate::sanitize;

/// The open incidents whose notes are asked for; a storm's others are counted, not
/// fetched, so the hand-off still comes within the deadline.
const NOTES_FOR_AT_MOST: usize = 50;
/// Notes asked of the sources at once.
const NOTES_AT_ONCE: usize = 8;

pub async fn handoff(context: &Context, span: Duration, output: Option<&Path>) -> Result<ExitCode> {
    let now = Utc::now();
    let deadline = deadline();
    let built = build_sources(context, now)?;
    let left = deadline.saturating_duration_since(tokio::time::Instant::now());
    let answers = futures_util::future::join_all(built.iter().map(|(config, source)| {
        let limit = config.timeout.min(left);
        let incidents = tokio::time::timeout(limit, source.incidents());
        let silences = tokio::time::timeout(limit, source.active_silences());
        futures_util::future::join(incidents, silences)
    }))
    .await;
    let mut reports = Vec::new();
    let mut incidents: Vec<Incident> = Vec::new();
    let mut silences: Vec<SilenceSummary> = Vec::new();
    for ((config, source), (listed, quiet)) in built.iter().zip(answers) {
        let limit = config.timeout.min(left).as_secs();
        let timed_out = || format!("timed out after {limit}s");
        let answer = match listed {
            Ok(Ok(found)) => {
                let count = found.len();
                incidents.extend(found);
                Ok(count)
            }
            Ok(Err(error)) => Err(error.to_string()),
            Err(_) => Err(timed_out()),
        };
        if let Err(reason) = &answer {
            let name = sanitize::line(&config.name).into_owned();
            eprintln!(
                "pagerdeck: source {name} failed: {}",
                sanitize::line(reason)
            );
        }
        let silence_answer = match (source.kind(), quiet) {
            ("alertmanager", Ok(Ok(found))) => {
                silences.extend(found);
                SilenceAnswer::Read
            }
            ("alertmanager", Ok(Err(error))) => SilenceAnswer::Failed(error.to_string()),
            ("alertmanager", Err(_)) => SilenceAnswer::Failed(timed_out()),
            (_, _) => SilenceAnswer::NoneKept,
        };
        reports.push(SourceReport {
            name: config.name.clone(),
            kind: source.kind().to_string(),
            incidents: answer,
            degraded: source.degraded(),
            silences: silence_answer,
        });
    }
    let mut warnings = Vec::new();
    let histories = notes(&built, &incidents, deadline, &mut warnings).await;
    let records: Vec<Record> = read_journal(&context.journal_path(), "actions", &mut warnings);
    let steps_path = crate::progress::journal_path(&context.data_dir);
    let steps: Vec<StepRecord> = read_journal(&steps_path, "steps", &mut warnings);
    let (library, problems) = context.library();
    if !problems.is_empty() {
        warnings.push(format!(
            "{} playbook(s) could not be read (`pagerdeck playbook lint` says why)",
            problems.len()
        ));
    }
    let text = render(&HandoffInput {
        now,
        span: TimeDelta::from_std(span).unwrap_or(TimeDelta::hours(12)),
        by: &context.me,
        zone: *Local::now().offset(),
        sources: &reports,
        incidents: &incidents,
        records: &records,
        steps: &steps,
        library: &library,
        silences: &silences,
        histories: &histories,
        warnings: &warnings,
    });
    let written = match output {
        Some(path) => write_file(path, &text),
        None => Ok(()),
    };
    if output.is_none() || written.is_err() {
        quiet_on_closed_pipe(std::io::stdout().lock().write_all(text.as_bytes()))?;
    }
    if let Err(problem) = &written {
        eprintln!(
            "pagerdeck: {}: the hand-off is printed above instead",
            sanitize::line(problem)
        );
        return Ok(ExitCode::FAILURE);
    }
    if let Some(path) = output {
        eprintln!("wrote the hand-off to {}", path.display());
    }
    let failed = reports.iter().any(|r| r.incidents.is_err());
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// The notes of the open incidents, a few sources' requests at a time, before `deadline`.
async fn notes(
    built: &[(crate::config::SourceConfig, crate::sources::Built)],
    incidents: &[Incident],
    deadline: tokio::time::Instant,
    warnings: &mut Vec<String>,
) -> HashMap<IncidentKey, Result<History, String>> {
    let open: Vec<&Incident> = incidents
        .iter()
        .filter(|i| i.status != Status::Resolved)
        .collect();
    if open.len() > NOTES_FOR_AT_MOST {
        warnings.push(format!(
            "notes read for the first {NOTES_FOR_AT_MOST} of {} open incidents only",
            open.len()
        ));
    }
    let asked = open
        .into_iter()
        .take(NOTES_FOR_AT_MOST)
        .filter_map(|incident| {
            let (_, source) = built
                .iter()
                .find(|(config, _)| config.name == incident.key.source)?;
            let key = incident.key.clone();
            Some(async move {
                let answer = tokio::time::timeout_at(deadline, source.history(&key)).await;
                let result = match answer {
                    Ok(Ok(history)) => Ok(history),
                    Ok(Err(error)) => Err(error.to_string()),
                    Err(_) => Err("timed out".to_string()),
                };
                (key, result)
            })
        });
    futures_util::stream::iter(asked)
        .buffer_unordered(NOTES_AT_ONCE)
        .collect()
        .await
}

/// Every whole record of a journal; a missing one is empty, damage is said at the top.
fn read_journal<T: serde::de::DeserializeOwned>(
    path: &Path,
    what: &str,
    warnings: &mut Vec<String>,
) -> Vec<T> {
    match read_checked::<T>(path) {
        Ok(readout) => {
            if let Some(warning) = readout.warning() {
                warnings.push(format!("{what} journal: {warning}"));
            }
            readout.records
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(error) => {
            warnings.push(format!(
                "cannot read the {what} journal {}: {error}; what it holds is missing here",
                path.display()
            ));
            Vec::new()
        }
    }
}

/// Replace `path` whole: written beside it, then renamed over it, so a reader never
/// sees half a hand-off and a failed write leaves the old file as it was.
fn write_file(path: &Path, text: &str) -> Result<(), String> {
    let said = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "handoff.md".into());
    let temporary = path.with_file_name(format!(".{name}.pagerdeck-tmp"));
    let mut file = std::fs::File::create(&temporary).map_err(said)?;
    let written = file
        .write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .and_then(|()| std::fs::rename(&temporary, path));
    if let Err(error) = written {
        let _ = std::fs::remove_file(&temporary);
        return Err(said(error));
    }
    Ok(())
}
