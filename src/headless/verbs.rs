//! `ack`, `unack`, `snooze`, `resolve` from a script: the same journal, outbox and source
//! task as a key press in the cockpit, waited on until the source says done or no.

use std::process::ExitCode;
use std::time::Duration;

use chrono::Utc;
use color_eyre::eyre::Result;
use tokio::sync::mpsc;

use super::{HEADLESS_TIMEOUT, Polled, deadline, lookup, poll_sources};
use crate::command::Op;
use crate::context::Context;
use crate::event::{Event, OpState};
use crate::incident::Incident;
use crate::journal::Journal;
use crate::outbox::{self, OutboxSettings};
use crate::providers::Verb;
use crate::sanitize;

/// Exit status when the incident is not there (as `playbook show` uses it).
const NOT_FOUND: u8 = 2;

pub async fn act(context: &Context, argument: &str, verb: Verb) -> Result<ExitCode> {
    // One budget for the whole command: what the poll took, the write has less of.
    let deadline = deadline();
    let (polled, _) = poll_sources(context, Utc::now(), deadline).await?;
    let incident = match lookup::find(polled.iter().flat_map(|p| &p.incidents), argument) {
        Ok(incident) => incident,
        Err(message) => {
            eprintln!("pagerdeck: {}", sanitize::line(&message));
            return Ok(ExitCode::from(NOT_FOUND));
        }
    };
    let verb = match verb {
        // Responders are told what they are joining, when nothing else was said.
        Verb::AddResponder { to, message } if message.trim().is_empty() => Verb::AddResponder {
            to,
            message: format!("Please join {}: {}", incident.key, incident.title),
        },
        other => other,
    };
    match refused(&polled, incident, &verb) {
        Some(code) => Ok(code),
        None => send(context, &polled, incident, verb, deadline).await,
    }
}

/// Why `verb` will not be sent to `incident` (said, with the exit status), if so.
pub(super) fn refused(polled: &[Polled], incident: &Incident, verb: &Verb) -> Option<ExitCode> {
    let key = &incident.key;
    let Some(source) = polled.iter().find(|p| p.config.name == key.source) else {
        eprintln!("pagerdeck: no source named {}", sanitize::line(&key.source));
        return Some(ExitCode::from(NOT_FOUND));
    };
    let what = verb.describe_on(key);
    if let Err(reason) = source.source.capabilities().allows(verb) {
        eprintln!("pagerdeck: cannot {what}: {}", sanitize::line(&reason));
        return Some(ExitCode::FAILURE);
    }
    // Nothing to do: said, and a success, so scripts can repeat themselves safely.
    if let Some(reason) = verb.pointless_on(incident) {
        println!("{}", sanitize::line(&reason));
        return Some(ExitCode::SUCCESS);
    }
    None
}

/// Journal `verb` on `incident`, send it through the outbox and wait for the source's
/// answer (checked by `refused` first) until `deadline`.
pub(super) async fn send(
    context: &Context,
    polled: &[Polled],
    incident: &Incident,
    verb: Verb,
    deadline: tokio::time::Instant,
) -> Result<ExitCode> {
    let key = incident.key.clone();
    let Some(polled) = polled.iter().find(|p| p.config.name == key.source) else {
        return Ok(ExitCode::from(NOT_FOUND));
    };
    let what = verb.describe_on(&key);
    tell_unfinished(context);
    // As the cockpit does it: journaled first, then sent by the outbox with retries.
    let (events, mut inbox) = mpsc::unbounded_channel();
    // Read-only is refused by the source task, as for the cockpit, not by a check here
    // that another path could miss.
    let handle = polled
        .source
        .spawn(&polled.config, context.read_only, events.clone());
    let journal = Journal::open_actions(&context.journal_path());
    let settings = OutboxSettings {
        me: context.me.clone(),
        first_retry: Duration::from_millis(500),
    };
    let ops = outbox::spawn(journal, vec![handle], settings, events);
    let id = u64::try_from(Utc::now().timestamp_millis()).unwrap_or(0);
    let op = Op {
        id,
        key: key.clone(),
        verb,
        assignee_then: incident.assignee.clone(),
        incident: Some(crate::journal::IncidentFacts::from(incident)),
    };
    if ops.send(op).is_err() {
        eprintln!("pagerdeck: {what} failed: the outbox stopped");
        return Ok(ExitCode::FAILURE);
    }
    let outcome = tokio::time::timeout_at(deadline, async {
        while let Some(event) = inbox.recv().await {
            match event {
                Event::Op { id: done, state } if done == id => match state {
                    OpState::Pending | OpState::Sent => {}
                    OpState::Confirmed => return Ok(()),
                    OpState::Failed(reason) => return Err(reason),
                    OpState::Dropped => return Err("dropped".into()),
                },
                _ => {}
            }
        }
        Err("the outbox stopped".to_string())
    })
    .await;
    match outcome {
        Ok(Ok(())) => {
            println!("done: {}", sanitize::line(&what));
            Ok(ExitCode::SUCCESS)
        }
        Ok(Err(reason)) => {
            eprintln!(
                "pagerdeck: {} failed: {}",
                sanitize::line(&what),
                sanitize::line(&reason)
            );
            Ok(ExitCode::FAILURE)
        }
        Err(_) => {
            eprintln!(
                "pagerdeck: {} not confirmed within the command's {}s: it is in the journal as pending",
                sanitize::line(&what),
                HEADLESS_TIMEOUT.as_secs()
            );
            Ok(ExitCode::FAILURE)
        }
    }
}

/// Actions an earlier run left unfinished (killed before the source answered) are not
/// sent from here: a script's command does the one thing it was asked, within its time
/// limit, and must not wait on other actions' sources. They are said instead; the
/// cockpit carries on with them (checking at the source first) when it starts.
fn tell_unfinished(context: &Context) {
    let Ok(records) = crate::journal::read::<crate::journal::Record>(&context.journal_path())
    else {
        return;
    };
    let now = Utc::now();
    let waiting: Vec<_> = crate::journal::outstanding(&records)
        .into_iter()
        .filter(|o| !o.too_old(now))
        .collect();
    let Some(first) = waiting.first() else {
        return;
    };
    let first = sanitize::line(&first.op.verb.describe_on(&first.op.key)).into_owned();
    let which = match waiting.len() {
        1 => format!("an earlier action is not confirmed yet ({first})"),
        n => format!("{n} earlier actions are not confirmed yet (the first: {first})"),
    };
    eprintln!("pagerdeck: {which}: start pagerdeck to carry on with them");
}
