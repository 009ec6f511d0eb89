//! The hand-over to level two: everything they need to start at once, as one editable
//! text. The same words whether it is sent from the cockpit (`e`) or from a script
//! (`pagerdeck escalate`).

use std::fmt::Write as _;

use chrono::{DateTime, Utc};

use crate::incident::{Incident, format_age};
use crate::metrics::{Series, format_value};
use crate::playbook::Library;
use crate::progress::ProgressBook;
use crate::providers::route::RouteOverride;
use crate::providers::{Note, OnCall, Verb};
use crate::sanitize;

/// One playbook step and whether it was done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub text: String,
    pub done: bool,
}

/// What goes into the hand-over.
pub struct HandOver<'a> {
    pub incident: &'a Incident,
    /// Level two's name ("Eng Cap"), as `level_two_for` says.
    pub level_two: &'a str,
    /// Who escalates.
    pub by: &'a str,
    pub now: DateTime<Utc>,
    /// The service's signals, as last charted.
    pub signals: &'a [Series],
    /// The matched playbook section's name and its steps.
    pub playbook: Option<(String, Vec<Step>)>,
    pub notes: &'a [Note],
}

/// How many steps are listed: the rest is counted, level two has the playbook too.
const STEPS_LISTED: usize = 12;

/// The hand-over text, plain (it goes to PagerDuty notes, Opsgenie, chat).
pub fn compose(hand_over: &HandOver) -> String {
    let HandOver {
        incident, now, by, ..
    } = hand_over;
    let line = |text: &str| sanitize::line(text).into_owned();
    let mut text = String::new();
    let age = format_age((*now - incident.opened_at).num_seconds());
    let _ = writeln!(
        text,
        "{}: {}",
        line(hand_over.level_two),
        line(&incident.title)
    );
    let team = incident
        .team
        .as_deref()
        .map(|t| format!(" (team {})", line(t)))
        .unwrap_or_default();
    let _ = writeln!(
        text,
        "{} · {} · {} · {}{team} · since {} ({age} ago)",
        line(&incident.key.to_string()),
        incident.severity.name(),
        incident.status.name(),
        line(&incident.service),
        incident.opened_at.format("%H:%M UTC"),
    );
    for link in &incident.links {
        let _ = writeln!(text, "{}: {}", line(&link.title), line(&link.url));
    }
    signals(&mut text, hand_over.signals);
    steps(&mut text, hand_over.playbook.as_ref());
    if !hand_over.notes.is_empty() {
        let _ = writeln!(text, "\nNotes:");
        for note in hand_over.notes {
            let who = note.by.as_deref().map(|b| format!("{}: ", line(b)));
            let _ = writeln!(
                text,
                "- {} {}{}",
                note.at.format("%H:%M"),
                who.unwrap_or_default(),
                sanitize::long_line(&note.text)
            );
        }
    }
    let _ = write!(
        text,
        "\nEscalated by {} at {}.",
        line(by),
        now.format("%H:%M UTC")
    );
    text
}

fn signals(text: &mut String, signals: &[Series]) {
    let shown: Vec<String> = signals
        .iter()
        .filter_map(|series| {
            let latest = series.latest()?;
            let trend = match series.trend() {
                "↑" => "rising",
                "↓" => "falling",
                _ => "flat",
            };
            Some(format!(
                "- {} {} ({trend})",
                sanitize::line(&series.name),
                format_value(latest, series.unit)
            ))
        })
        .collect();
    if !shown.is_empty() {
        let _ = writeln!(text, "\nMetrics now:\n{}", shown.join("\n"));
    }
}

fn steps(text: &mut String, playbook: Option<&(String, Vec<Step>)>) {
    let Some((name, steps)) = playbook.filter(|(_, steps)| !steps.is_empty()) else {
        return;
    };
    let done = steps.iter().filter(|s| s.done).count();
    let _ = writeln!(
        text,
        "\nPlaybook {} ({done} of {} steps done):",
        sanitize::line(name),
        steps.len()
    );
    for step in steps.iter().take(STEPS_LISTED) {
        let mark = if step.done { "[x]" } else { "[ ]" };
        let _ = writeln!(text, "{mark} {}", sanitize::line(&step.text));
    }
    if steps.len() > STEPS_LISTED {
        let _ = writeln!(text, "… and {} more", steps.len() - STEPS_LISTED);
    }
}

/// An escalation whose hand-over is still to write: to whom, by which route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// Level two's name.
    pub to: String,
    /// The route in words, kept in the journal as the record of the way it went.
    pub route: Option<String>,
    /// The incident's playbook's own route, taken instead of the source's.
    pub playbook_route: Option<RouteOverride>,
}

impl Plan {
    pub fn verb(&self, message: Option<String>) -> Verb {
        Verb::Escalate {
            to: self.to.clone(),
            message,
            route: self.route.clone(),
            playbook_route: self.playbook_route.clone(),
        }
    }
}

/// How `incident` would be escalated: to level two (as `level_two_for` says), by its
/// playbook's own route for a source of `kind` if it has one, else by the source's
/// (`configured`, in words).
pub fn plan(
    library: &Library,
    incident: &Incident,
    kind: &str,
    default_level_two: &str,
    configured: Option<String>,
) -> Plan {
    let playbook_route = library
        .find(incident)
        .and_then(|matched| library.playbooks[matched.index].escalation.as_ref())
        .and_then(|level_two| level_two.route_for(kind));
    Plan {
        to: level_two_for(library, incident, default_level_two),
        route: playbook_route
            .as_ref()
            .map(RouteOverride::describe)
            .or(configured),
        playbook_route,
    }
}

/// Level two for `incident`: its playbook's front matter `escalation` when it names one
/// (a team whose services go elsewhere), else `[escalation] name`.
pub fn level_two_for(library: &Library, incident: &Incident, default: &str) -> String {
    library
        .find(incident)
        .and_then(|matched| library.playbooks[matched.index].escalation.as_ref())
        .and_then(|level_two| level_two.name.clone())
        .filter(|name| !name.trim().is_empty())
        .unwrap_or_else(|| default.to_string())
}

/// The steps of the playbook section the incident matched, each marked done or not from
/// the progress kept for it; `None` when no playbook matches.
pub fn playbook_steps(
    library: &Library,
    progress: &ProgressBook,
    incident: &Incident,
) -> Option<(String, Vec<Step>)> {
    let matched = library.find(incident)?;
    let playbook = &library.playbooks[matched.index];
    let rendered = library.document(matched.index).layout(100);
    let anchor = matched.anchor.as_deref();
    let done = progress.get(&(incident.key.clone(), playbook.path.clone()));
    let steps = rendered
        .steps(anchor)
        .into_iter()
        .enumerate()
        .map(|(number, item)| Step {
            text: rendered.items[item].text.clone(),
            done: done.is_some_and(|p| p.done.contains_key(&number)),
        })
        .collect();
    let name = match anchor {
        Some(anchor) => format!("{} § {anchor}", playbook.path),
        None => playbook.path.clone(),
    };
    Some((name, steps))
}

/// Who an escalation reaches at level two, in a line: who is on call now, on which rota,
/// until when, and who comes on next. The same words in the panel and the command line.
pub fn who_is_reached(people: &[OnCall], now: DateTime<Utc>, source: &str) -> String {
    let (on_now, next): (Vec<&OnCall>, Vec<&OnCall>) =
        people.iter().partition(|person| person.now(now));
    let name = |person: &OnCall| {
        format!(
            "{} ({}",
            sanitize::line(&person.who),
            sanitize::line(&person.rota)
        )
    };
    let at = |label: &str, time: Option<DateTime<Utc>>| {
        time.map(|t| format!(", {label} {}", t.format("%a %H:%M UTC")))
            .unwrap_or_default()
    };
    let mut shown: Vec<String> = on_now
        .iter()
        .map(|person| format!("{}{})", name(person), at("until", person.until)))
        .collect();
    if shown.is_empty() {
        shown.push(format!("nobody on call now in {source}'s rota"));
    }
    let mut said = format!("level two: {}", shown.join("; "));
    let then: Vec<String> = next
        .iter()
        .map(|person| format!("{}{})", name(person), at("from", person.from)))
        .collect();
    if !then.is_empty() {
        said.push_str(&format!("; next {}", then.join("; ")));
    }
    said
}
