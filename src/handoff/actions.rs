//! What was done in the shift, from the journals: escalations and where each stands, the
//! actions that failed or are not confirmed, the pages marked not actionable, a count.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::digest::{MarkSummary, OpSummary};
use super::text::inline;
use super::{Clock, HandoffInput, span_words, what};
use crate::event::OpState;
use crate::providers::Verb;
use crate::state::escalate::Escalation;

pub(super) fn escalations(
    out: &mut String,
    input: &HandoffInput,
    clock: &Clock,
    ops: &[OpSummary],
) {
    let since = input.now - input.span;
    let escalations: Vec<&OpSummary> = ops
        .iter()
        .filter(|op| op.asked_at >= since && matches!(op.verb, Verb::Escalate { .. }))
        .collect();
    let _ = writeln!(out, "## Escalations ({})\n", escalations.len());
    if escalations.is_empty() {
        let _ = writeln!(out, "None in the last {}.", span_words(input.span));
    }
    for op in escalations {
        let Verb::Escalate { to, .. } = &op.verb else {
            continue;
        };
        let at = clock.time(op.asked_at);
        let incident = input.incidents.iter().find(|i| i.key == op.key);
        let stage = match (incident, &op.state) {
            // Gone from the source's active list: resolved, most likely.
            (None, OpState::Confirmed) => "sent; the incident is no longer open".into(),
            _ => Escalation::reading(&op.state, op.assignee_then.as_ref(), incident, input.by)
                .describe(&at),
        };
        let _ = writeln!(
            out,
            "- {at} {} → {}: {}",
            what(&op.key, input.incidents, op.incident.as_ref()),
            inline(to),
            inline(&stage)
        );
    }
    out.push('\n');
}

/// Failed in the span, and still not confirmed: the next person must know what did not
/// happen.
pub(super) fn unfinished(out: &mut String, input: &HandoffInput, clock: &Clock, ops: &[OpSummary]) {
    let since = input.now - input.span;
    let failed: Vec<&OpSummary> = ops
        .iter()
        .filter(|op| op.last_at >= since && matches!(op.state, OpState::Failed(_)))
        .collect();
    let waiting: Vec<&OpSummary> = ops
        .iter()
        .filter(|op| op.asked_at >= since && matches!(op.state, OpState::Pending | OpState::Sent))
        .collect();
    let _ = writeln!(
        out,
        "## Actions that failed or are not confirmed ({})\n",
        failed.len() + waiting.len()
    );
    if failed.is_empty() && waiting.is_empty() {
        let _ = writeln!(out, "None: every action was confirmed by its source.");
    }
    let line = |op: &OpSummary| {
        format!(
            "{} {}: {}",
            clock.time(op.asked_at),
            inline(&verb_words(&op.verb)),
            what(&op.key, input.incidents, op.incident.as_ref())
        )
    };
    for op in failed {
        if let OpState::Failed(reason) = &op.state {
            let _ = writeln!(out, "- ✖ {}: **failed**: {}", line(op), inline(reason));
        }
    }
    for op in waiting {
        let _ = writeln!(
            out,
            "- ⋯ {}: not confirmed by {} yet (pagerdeck carries on with it when it starts)",
            line(op),
            inline(&op.key.source)
        );
    }
    out.push('\n');
}

pub(super) fn marks(out: &mut String, input: &HandoffInput, clock: &Clock, marks: &[MarkSummary]) {
    let since = input.now - input.span;
    let in_span: Vec<&MarkSummary> = marks.iter().filter(|m| m.at >= since).collect();
    let _ = writeln!(out, "## Marked not actionable ({})\n", in_span.len());
    if in_span.is_empty() {
        let _ = writeln!(out, "None in the last {}.", span_words(input.span));
    }
    for mark in in_span {
        let _ = writeln!(
            out,
            "- {} {}: {} (by {})",
            clock.time(mark.at),
            what(&mark.key, input.incidents, mark.incident.as_ref()),
            inline(&mark.reason),
            inline(&mark.by)
        );
    }
    out.push('\n');
}

/// A count of what was done in the span.
pub(super) fn done(
    out: &mut String,
    input: &HandoffInput,
    ops: &[OpSummary],
    marks: &[MarkSummary],
) {
    let since = input.now - input.span;
    let mut confirmed: BTreeMap<&'static str, usize> = BTreeMap::new();
    for op in ops {
        if op.state == OpState::Confirmed && op.last_at >= since {
            *confirmed.entry(verb_kind(&op.verb)).or_default() += 1;
        }
    }
    let total: usize = confirmed.values().sum();
    let steps = input
        .steps
        .iter()
        .filter(|s| s.done && s.at >= since)
        .count();
    let marked = marks.iter().filter(|m| m.at >= since).count();
    let _ = writeln!(out, "## Done this shift\n");
    let kinds: Vec<String> = confirmed
        .iter()
        .map(|(kind, n)| format!("{n} {kind}"))
        .collect();
    let _ = match total {
        0 => writeln!(out, "- no action confirmed"),
        _ => writeln!(out, "- {total} action(s) confirmed: {}", kinds.join(", ")),
    };
    let _ = writeln!(out, "- {steps} playbook step(s) checked");
    let _ = writeln!(out, "- {marked} page(s) marked not actionable");
}

/// "acknowledge", "snooze for 2h", "escalate to Eng Cap".
fn verb_words(verb: &Verb) -> String {
    match verb {
        Verb::Note { .. } => "note".into(),
        Verb::AddResponder { to, .. } => format!("ask {} {} to respond", to.kind.name(), to.id),
        other => other.describe(),
    }
}

fn verb_kind(verb: &Verb) -> &'static str {
    match verb {
        Verb::Acknowledge { .. } => "acknowledge",
        Verb::Unacknowledge => "unacknowledge",
        Verb::Snooze { .. } => "snooze",
        Verb::Resolve => "resolve",
        Verb::Escalate { .. } => "escalate",
        Verb::Note { .. } => "note",
        Verb::Reassign { .. } => "reassign",
        Verb::AddResponder { .. } => "responder request",
    }
}
