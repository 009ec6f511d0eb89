//! The open incidents, not acknowledged first: each with who has it, its playbook
//! progress (which steps were done and when, the next one), its escalation, its
//! not-actionable mark and its notes.

use std::fmt::Write as _;

use super::digest::{MarkSummary, OpSummary};
use super::text::{inline, inline_within};
use super::{Clock, HandoffInput};
use crate::event::OpState;
use crate::incident::{Incident, Status};
use crate::progress::ProgressBook;
use crate::providers::Verb;
use crate::state::escalate::Escalation;

/// The newest notes of an incident shown; the rest are at the source.
const NOTES_SHOWN: usize = 5;
/// A note is cut here: the hand-off points at it, the source has it whole.
const NOTE_CHARS: usize = 300;

pub(super) fn section(
    out: &mut String,
    input: &HandoffInput,
    clock: &Clock,
    ops: &[OpSummary],
    marks: &[MarkSummary],
) {
    let book = crate::progress::fold(input.steps.iter().cloned());
    let mut open: Vec<&Incident> = input
        .incidents
        .iter()
        .filter(|i| i.status != Status::Resolved)
        .collect();
    open.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(a.opened_at.cmp(&b.opened_at))
    });
    let missing: Vec<String> = input
        .sources
        .iter()
        .filter(|s| s.incidents.is_err())
        .map(|s| inline(&s.name))
        .collect();
    for (status, heading) in [
        (Status::Triggered, "Open, not acknowledged"),
        (Status::Acknowledged, "Acknowledged"),
    ] {
        let these: Vec<&&Incident> = open.iter().filter(|i| i.status == status).collect();
        let _ = writeln!(out, "## {heading} ({})\n", these.len());
        if these.is_empty() {
            let _ = writeln!(out, "None.\n");
        }
        for incident in these {
            one(out, input, clock, incident, ops, marks, &book);
        }
    }
    if !missing.is_empty() {
        let _ = writeln!(
            out,
            "Not listed: the incidents of {} (did not answer).\n",
            missing.join(", ")
        );
    }
    let resolved = input.incidents.len() - open.len();
    if resolved > 0 {
        let _ = writeln!(
            out,
            "Left out: {resolved} resolved incident(s) the sources still show.\n"
        );
    }
}

fn one(
    out: &mut String,
    input: &HandoffInput,
    clock: &Clock,
    incident: &Incident,
    ops: &[OpSummary],
    marks: &[MarkSummary],
    book: &ProgressBook,
) {
    let _ = writeln!(
        out,
        "### {} {} {}\n",
        incident.severity.glyph(),
        incident.severity.name().to_uppercase(),
        inline(&incident.title)
    );
    let mut facts = vec![
        inline(&incident.key.to_string()),
        format!(
            "{} since {} ({})",
            incident.status.name(),
            clock.time(incident.opened_at),
            clock.relative(incident.opened_at)
        ),
        format!("service {}", inline(&incident.service)),
    ];
    if let Some(team) = &incident.team {
        facts.push(format!("team {}", inline(team)));
    }
    facts.push(match &incident.assignee {
        Some(who) => format!("with {}", inline(who)),
        None => "nobody has it".into(),
    });
    let _ = writeln!(out, "- {}", facts.join(" · "));
    playbook(out, input, clock, incident, book);
    escalation(out, input, clock, incident, ops);
    let since = input.now - crate::state::not_actionable::MARKS_KEPT;
    if let Some(mark) = marks
        .iter()
        .rev()
        .find(|m| m.key == incident.key && m.at >= since)
    {
        let _ = writeln!(
            out,
            "- ⊘ Marked not actionable by {} {}: {}",
            inline(&mark.by),
            clock.time(mark.at),
            inline(&mark.reason)
        );
    }
    notes(out, input, clock, incident, ops);
    out.push('\n');
}

fn playbook(
    out: &mut String,
    input: &HandoffInput,
    clock: &Clock,
    incident: &Incident,
    book: &ProgressBook,
) {
    let library = input.library;
    let Some(matched) = library.find(incident) else {
        let _ = writeln!(out, "- Playbook: none for this incident");
        return;
    };
    let path = &library.playbooks[matched.index].path;
    let rendered = library.document(matched.index).layout(100);
    let steps = rendered.steps(matched.anchor.as_deref());
    let name = match &matched.anchor {
        Some(anchor) => format!("{} § {}", inline(path), inline(anchor)),
        None => inline(path),
    };
    if steps.is_empty() {
        let _ = writeln!(out, "- Playbook {name}: no steps to follow");
        return;
    }
    let done = book
        .get(&(incident.key.clone(), path.clone()))
        .map(|p| &p.done);
    let done_at = |number: usize| done.and_then(|d| d.get(&number)).copied();
    let count = (0..steps.len()).filter(|n| done_at(*n).is_some()).count();
    let _ = writeln!(out, "- Playbook {name}: {count}/{} steps done", steps.len());
    let text = |item: usize| inline_within(&rendered.items[item].text, 160);
    for (number, &item) in steps.iter().enumerate() {
        if let Some(at) = done_at(number) {
            let _ = writeln!(
                out,
                "  - ✔ {}. {} ({})",
                number + 1,
                text(item),
                clock.time(at)
            );
        }
    }
    match (0..steps.len()).find(|n| done_at(*n).is_none()) {
        Some(next) => {
            let _ = writeln!(out, "  - next: {}. {}", next + 1, text(steps[next]));
        }
        None => {
            let _ = writeln!(out, "  - every step done");
        }
    }
}

/// The newest escalation of the incident sent from here in the span, and where it stands.
fn escalation(
    out: &mut String,
    input: &HandoffInput,
    clock: &Clock,
    incident: &Incident,
    ops: &[OpSummary],
) {
    let since = input.now - input.span;
    let Some(op) = ops.iter().rev().find(|op| {
        op.key == incident.key && op.asked_at >= since && matches!(op.verb, Verb::Escalate { .. })
    }) else {
        if let Some(to) = &incident.escalated_to {
            let _ = writeln!(out, "- Escalated to {} (at the source)", inline(to));
        }
        return;
    };
    let Verb::Escalate { to, .. } = &op.verb else {
        return;
    };
    let stage = Escalation::reading(
        &op.state,
        op.assignee_then.as_ref(),
        Some(incident),
        input.by,
    );
    let at = clock.time(op.asked_at);
    let _ = writeln!(
        out,
        "- Escalated to {} at {at}: {}",
        inline(to),
        inline(&stage.describe(&at))
    );
}

fn notes(
    out: &mut String,
    input: &HandoffInput,
    clock: &Clock,
    incident: &Incident,
    ops: &[OpSummary],
) {
    let (mut notes, problem) = match input.histories.get(&incident.key) {
        Some(Ok(history)) => (history.notes.clone(), None),
        Some(Err(reason)) => (Vec::new(), Some(reason.clone())),
        None => (Vec::new(), None),
    };
    // Notes sent from pagerdeck the source does not show (yet, or it keeps none).
    for op in ops {
        if let (Verb::Note { text }, OpState::Confirmed) = (&op.verb, &op.state)
            && op.key == incident.key
            && !notes.iter().any(|n| n.text.trim() == text.trim())
        {
            notes.push(crate::providers::Note {
                at: op.last_at,
                by: Some(op.by.clone()),
                text: text.clone(),
            });
        }
    }
    notes.sort_by_key(|n| n.at);
    if let Some(reason) = problem {
        let _ = writeln!(
            out,
            "- Notes at {}: could not be read: {}",
            inline(&incident.key.source),
            inline(&reason)
        );
    }
    if notes.is_empty() {
        return;
    }
    let _ = writeln!(out, "- Notes:");
    let skipped = notes.len().saturating_sub(NOTES_SHOWN);
    if skipped > 0 {
        let _ = writeln!(out, "  - ({skipped} earlier at the source)");
    }
    for note in &notes[skipped..] {
        let by = note
            .by
            .as_deref()
            .map(|b| format!(" {}", inline(b)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  - {}{by}: {}",
            clock.time(note.at),
            inline_within(&note.text, NOTE_CHARS)
        );
    }
}
