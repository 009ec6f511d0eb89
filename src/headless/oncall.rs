//! `pagerdeck oncall`: who is on call now, from every source that knows.

use std::io::Write;
use std::process::ExitCode;

use chrono::Utc;
use color_eyre::eyre::Result;

use super::{HEADLESS_TIMEOUT, quiet_on_closed_pipe};
use crate::context::Context;
use crate::providers::{OnCall, ProviderError};
use crate::sanitize;

/// Exit 1 when a source failed, or when none knows who is on call.
pub async fn oncall(context: &Context, json: bool) -> Result<ExitCode> {
    let now = Utc::now();
    let built = super::build_sources(context, now)?;
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
                let error = sanitize::line(&error.to_string()).into_owned();
                eprintln!("pagerdeck: source {name} failed: {error}");
            }
            Err(_) => {
                failed = true;
                eprintln!("pagerdeck: source {name} timed out");
            }
        }
    }
    // Each level's people now, then who is next there.
    roster.sort_by(|a, b| {
        (a.level.unwrap_or(u32::MAX), a.from, &a.rota, &a.source).cmp(&(
            b.level.unwrap_or(u32::MAX),
            b.from,
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
        super::json::write_pretty(&mut out, roster)?;
        return writeln!(out);
    }
    if roster.is_empty() {
        return Ok(());
    }
    let header = ["LEVEL", "ROTA", "WHO", "WHEN", "SOURCE"].map(String::from);
    let rows: Vec<[String; 5]> = roster
        .iter()
        .map(|person| {
            [
                person.level.map_or("–".into(), |l| l.to_string()),
                sanitize::line(&person.rota).into_owned(),
                sanitize::line(&person.who).into_owned(),
                when(person, now),
                sanitize::line(&person.source).into_owned(),
            ]
        })
        .collect();
    // Columns as wide as their widest cell, so a long policy name keeps the table straight.
    let width = |cell: &str| unicode_width::UnicodeWidthStr::width(cell);
    let widths: Vec<usize> = (0..4)
        .map(|column| {
            let cells = std::iter::once(&header).chain(&rows);
            cells.map(|row| width(&row[column])).max().unwrap_or(0)
        })
        .collect();
    for row in std::iter::once(&header).chain(&rows) {
        for (cell, column_width) in row.iter().zip(&widths) {
            let pad = column_width.saturating_sub(width(cell));
            write!(out, "{cell}{:pad$}  ", "")?;
        }
        writeln!(out, "{}", row[4])?;
    }
    Ok(())
}

/// "until Tue 01:30 UTC (in 7h40m)" for who is on call, "next from …" for who follows;
/// a date beyond the days ahead, and a shift that has ended says so rather than "in 0s".
fn when(person: &OnCall, now: chrono::DateTime<Utc>) -> String {
    let (word, at) = match (person.from, person.until) {
        (Some(from), _) if !person.now(now) => ("next from", from),
        (_, Some(until)) => ("until", until),
        // Not "permanent": Opsgenie gives no end for shifts that do end.
        (_, None) => return "no end given".into(),
    };
    match (at - now).num_seconds() {
        seconds if seconds < 0 => format!("ended {}", at.format("%Y-%m-%d %H:%M UTC")),
        seconds if seconds < 6 * 86_400 => format!(
            "{word} {} (in {})",
            at.format("%a %H:%M UTC"),
            crate::incident::format_age(seconds)
        ),
        _ => format!("{word} {}", at.format("%Y-%m-%d %H:%M UTC")),
    }
}
