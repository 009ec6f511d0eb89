//! `pagerdeck not-actionable INCIDENT REASON…`: what `!` does in the cockpit, from a
//! script. The incident must be at its source; the mark goes to the actions journal only.

use std::process::ExitCode;

use chrono::Utc;
use color_eyre::eyre::Result;

use super::{deadline, lookup, poll_sources, quiet_on_closed_pipe};
use crate::context::Context;
use crate::journal::{IncidentFacts, Journal, Record};
use crate::sanitize;
use crate::state::not_actionable::REASON_MAX_CHARS;

/// Exit status when the incident is not there, or no reason was given (as `ack` uses it).
const NOT_FOUND: u8 = 2;

pub async fn mark(context: &Context, argument: &str, reason: &str, json: bool) -> Result<ExitCode> {
    let reason = reason.trim();
    if reason.is_empty() {
        eprintln!("pagerdeck: say why it is not actionable (a few words)");
        return Ok(ExitCode::from(NOT_FOUND));
    }
    if reason.chars().count() > REASON_MAX_CHARS {
        eprintln!(
            "pagerdeck: a reason is at most {REASON_MAX_CHARS} characters: a few words for the retro"
        );
        return Ok(ExitCode::from(NOT_FOUND));
    }
    let (polled, _) = poll_sources(context, Utc::now(), deadline()).await?;
    let incident = match lookup::find(polled.iter().flat_map(|p| &p.incidents), argument) {
        Ok(incident) => incident,
        Err(message) => {
            eprintln!("pagerdeck: {}", sanitize::line(&message));
            return Ok(ExitCode::from(NOT_FOUND));
        }
    };
    let record = Record::NotActionable {
        at: Utc::now(),
        key: incident.key.clone(),
        reason: reason.to_string(),
        by: context.me.clone(),
        incident: Some(IncidentFacts::from(incident)),
    };
    let path = context.journal_path();
    let written = Journal::open_actions(&path).and_then(|mut journal| {
        journal
            .append(&record)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))
    });
    if let Err(problem) = written {
        eprintln!("pagerdeck: not marked: {}", sanitize::line(&problem));
        return Ok(ExitCode::FAILURE);
    }
    let printed = if json {
        super::json::write_pretty(std::io::stdout().lock(), &record)
            .and_then(|()| std::io::Write::write_all(&mut std::io::stdout().lock(), b"\n"))
    } else {
        let key = sanitize::line(&incident.key.to_string()).into_owned();
        let source = sanitize::line(&incident.key.source).into_owned();
        println!(
            "marked {key} not actionable: {} (kept in your journal only; nothing was sent to {source})",
            sanitize::line(reason)
        );
        Ok(())
    };
    quiet_on_closed_pipe(printed)?;
    Ok(ExitCode::SUCCESS)
}
