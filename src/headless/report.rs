//! `pagerdeck report`: the alert-hygiene report, from the journal and every configured
//! source's history (the demo's without a config), as markdown or JSON.

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use chrono::{Local, Utc};
use color_eyre::eyre::{Result, WrapErr};

use super::quiet_on_closed_pipe;
use crate::cli::ReportFormat;
use crate::context::Context;
use crate::journal::{self, Record};
use crate::providers::ProviderError;
use crate::report::{self, SourceAnswer, Span, Unanswered};
use crate::sanitize;

/// Reading a fortnight of log entries takes many pages: more than a poll.
const HISTORY_TIMEOUT: Duration = Duration::from_secs(120);

/// Exit 1 when a source failed (the report is printed from the rest), 0 otherwise.
pub async fn report(context: &Context, since: Duration, format: ReportFormat) -> Result<ExitCode> {
    let until = Utc::now();
    let since = until - chrono::Duration::from_std(since).wrap_err("--since is too long")?;
    let span = Span {
        since,
        until,
        // Fixed once, so every page is counted in the same hours.
        utc_offset: *Local::now().offset(),
    };
    let path = context.journal_path();
    let (records, journal_problem) = match journal::read_checked::<Record>(&path) {
        Ok(readout) => {
            let warning = readout.warning();
            (readout.records, warning)
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => (Vec::new(), None),
        Err(error) => (
            Vec::new(),
            Some(format!("cannot read journal {}: {error}", path.display())),
        ),
    };
    let (library, _problems) = context.library();
    let built = super::build_sources(context, until)?;
    let answers = futures_util::future::join_all(built.iter().map(|(_, source)| {
        tokio::time::timeout(HISTORY_TIMEOUT, source.page_history(since, until))
    }))
    .await;
    let mut failed = false;
    let mut told = Vec::new();
    for ((config, source), answer) in built.iter().zip(answers) {
        let name = sanitize::line(&config.name).into_owned();
        let answer = match answer {
            Ok(Ok(history)) => Ok(history),
            // Not a failure: the source keeps no history pagerdeck can read.
            Ok(Err(ProviderError::Unsupported(reason))) => Err(Unanswered::CannotTell(reason)),
            Ok(Err(error)) => {
                failed = true;
                let error = sanitize::line(&error.to_string()).into_owned();
                eprintln!("pagerdeck: source {name} failed: {error}");
                Err(Unanswered::Failed(error))
            }
            Err(_) => {
                failed = true;
                eprintln!("pagerdeck: source {name} timed out");
                Err(Unanswered::Failed(format!(
                    "timed out after {}s",
                    HISTORY_TIMEOUT.as_secs()
                )))
            }
        };
        told.push(SourceAnswer {
            name: config.name.clone(),
            kind: source.kind().to_string(),
            answer,
        });
    }
    let mut report = report::gather(&records, &told, &library, span);
    if let Some(problem) = journal_problem {
        eprintln!("pagerdeck: {}", sanitize::line(&problem));
        if let Some(note) = report.sources.first_mut() {
            note.error = Some(sanitize::line(&problem).into_owned());
        }
    }
    quiet_on_closed_pipe(print(&report, format))?;
    Ok(match failed {
        true => ExitCode::FAILURE,
        false => ExitCode::SUCCESS,
    })
}

fn print(report: &report::Report, format: ReportFormat) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    match format {
        ReportFormat::Md => out.write_all(report.markdown().as_bytes()),
        ReportFormat::Json => {
            super::json::write_pretty(&mut out, report)?;
            writeln!(out)
        }
    }
}
