//! Silences and snoozes ending soon: when they end the alerts page again, and the next
//! person on call should not be surprised.

use std::fmt::Write as _;

use chrono::{DateTime, Utc};

use super::digest::{OpSummary, running_snoozes};
use super::text::{inline, inline_within};
use super::{Clock, HandoffInput, SilenceAnswer, span_words, what};
use crate::providers::format_duration;

pub(super) fn section(out: &mut String, input: &HandoffInput, clock: &Clock, ops: &[OpSummary]) {
    let until = input.now + input.span;
    let window = span_words(input.span);
    let _ = writeln!(out, "## Silences and snoozes ending in the next {window}\n");
    let mut ending: Vec<(DateTime<Utc>, String)> = Vec::new();
    for silence in input.silences.iter().filter(|s| s.ends_at > input.now) {
        let said = silence.said();
        let kind = if said.starts_with("ACK!") {
            "acknowledgement (a silence: the alert pages again when it ends)"
        } else if said.starts_with("snoozed from pagerdeck") {
            "snooze"
        } else {
            "silence"
        };
        let starts = match silence.active {
            true => String::new(),
            false => format!(", starts {}", clock.time(silence.starts_at)),
        };
        let matchers: Vec<String> = silence.matchers.iter().map(|m| inline(m)).collect();
        ending.push((
            silence.ends_at,
            format!(
                "{kind} at {} by {}{starts}: {} · matching {}",
                inline(&silence.source),
                inline(&silence.created_by),
                inline_within(said, 200),
                matchers.join(", ")
            ),
        ));
    }
    // Where the source's silences were read, they are the truth about its snoozes (one
    // taken back early is gone there); the journal speaks for the other sources.
    let read: Vec<&str> = input
        .sources
        .iter()
        .filter(|s| s.silences == SilenceAnswer::Read)
        .map(|s| s.name.as_str())
        .collect();
    for (op, ends) in running_snoozes(ops, input.now) {
        if read.contains(&op.key.source.as_str()) {
            continue;
        }
        let crate::providers::Verb::Snooze { seconds } = op.verb else {
            continue;
        };
        ending.push((
            ends,
            format!(
                "snooze of {} by {}, for {} from {}",
                what(&op.key, input.incidents, op.incident.as_ref()),
                inline(&op.by),
                format_duration(seconds),
                clock.time(op.last_at)
            ),
        ));
    }
    ending.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
    let (soon, later): (Vec<_>, Vec<_>) = ending.into_iter().partition(|(ends, _)| *ends <= until);
    if soon.is_empty() {
        let _ = writeln!(out, "None ends in the next {window}.");
    }
    for (ends, line) in &soon {
        let _ = writeln!(
            out,
            "- {} ({}): {line}",
            clock.time(*ends),
            clock.relative(*ends)
        );
    }
    if let Some((first, _)) = later.first() {
        let _ = writeln!(
            out,
            "\nLater: {} more end after that (the first {}).",
            later.len(),
            clock.time(*first)
        );
    }
    out.push('\n');
}
