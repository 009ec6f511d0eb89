//! `pagerdeck oncall`: who is on call now, from every source that knows.

use std::io::Write;
use std::process::ExitCode;

use chrono::Utc;
use color_eyre::eyre::Result;

use super::{HEADLESS_TIMEOUT, quiet_on_closed_pipe};
use crate::context::Context;
use crate::providers::{OnCall, ProviderError};
use crate::sanitize;
use crate::sources;

/// Exit 1 when a source failed, or when none knows who is on call.
pub async fn oncall(context: &Context, json: bool) -> Result<ExitCode> {
    let now = Utc::now();
    let mut built = Vec::new();
    for config in context.config.effective_sources() {
        let source = sources::build(&config, &context.config, &context.me, now)
            .map_err(color_eyre::eyre::Error::msg)?;
        built.push((config, source));
    }
    let answers = futures_util::future::join_all(built.iter().map(|(config, source)| {
        tokio::time::timeout(config.timeout.min(HEADLESS_TIMEOUT), source.oncall())
    }))
    .await;
    let (mut roster, mut failed, mut knew) = (Vec::new(), false, false);
    for ((config, _), answer) in built.iter().zip(answers) {
        let name = sanitize::line(&config.name).into_owned();
        match answer {
            Ok(Ok(people)) => {
                knew = true;
                roster.extend(people);
            }
            // Not a failure: Alertmanager has no rota.
            Ok(Err(ProviderError::Unsupported(reason))) => {
                eprintln!("pagerdeck: source {name}: {}", sanitize::line(&reason));
            }
            Ok(Err(error)) => {
                failed = true;
                eprintln!("pagerdeck: source {name} failed: {error}");
            }
            Err(_) => {
                failed = true;
                eprintln!("pagerdeck: source {name} timed out");
            }
        }
    }
    roster.sort_by(|a, b| {
        (a.level.unwrap_or(u32::MAX), &a.rota, &a.source).cmp(&(
            b.level.unwrap_or(u32::MAX),
            &b.rota,
            &b.source,
        ))
    });
    quiet_on_closed_pipe(print(&roster, json, now))?;
    if !knew && !failed {
        eprintln!("pagerdeck: no configured source knows who is on call");
    }
    Ok(match failed || !knew {
        true => ExitCode::FAILURE,
        false => ExitCode::SUCCESS,
    })
}

fn print(roster: &[OnCall], json: bool, now: chrono::DateTime<Utc>) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut out, roster)?;
        return writeln!(out);
    }
    if roster.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "{:<5} {:<24} {:<24} {:<22} SOURCE",
        "LEVEL", "ROTA", "WHO", "UNTIL"
    )?;
    for person in roster {
        let level = person.level.map_or("–".into(), |l| l.to_string());
        let until = match person.until {
            Some(until) => format!(
                "{} (in {})",
                until.format("%a %H:%M UTC"),
                crate::incident::format_age((until - now).num_seconds())
            ),
            None => "–".into(),
        };
        writeln!(
            out,
            "{level:<5} {:<24} {:<24} {until:<22} {}",
            sanitize::line(&person.rota),
            sanitize::line(&person.who),
            sanitize::line(&person.source),
        )?;
    }
    Ok(())
}
