//! The referee of a drill: beside the real `State`, it notes what the user did (from the
//! commands the state asks for, in simulated time), calls the end (time up, everything
//! handled) and scores it. The app loop and the scripted tests drive it the same way.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, TimeDelta, Utc};

use crate::command::Command;
use crate::drill::{Debrief, Deed, DeedKind, DrillLog, Scenario};
use crate::event::Event;
use crate::incident::Status;
use crate::providers::Verb;
use crate::providers::demo::parse_offset;
use crate::state::State;
use crate::state::drill::{DrillEnd, DrillPhase, DrillView};

/// The debrief of a finished drill, for whoever started it (`--json` prints it).
pub type Outcome = Arc<Mutex<Option<Debrief>>>;

pub struct DrillRun {
    scenario: Scenario,
    log: DrillLog,
    ends: DateTime<Utc>,
    /// When the scenario's last incident arrives: before it, nothing is "all handled".
    last_arrival: DateTime<Utc>,
    chosen: Option<String>,
    finished: bool,
    outcome: Outcome,
}

impl DrillRun {
    /// A drill of `scenario` starting at simulated `started`, played at `speed`.
    pub fn new(scenario: Scenario, started: DateTime<Utc>, speed: f64) -> DrillRun {
        let after = |seconds: i64| started + TimeDelta::seconds(seconds);
        let last = scenario
            .world
            .incidents
            .iter()
            .filter_map(|i| parse_offset(&i.opened).ok())
            .max()
            .unwrap_or(0);
        DrillRun {
            ends: after(scenario.duration_seconds.max(1)),
            last_arrival: after(last),
            log: DrillLog {
                started,
                ended: started,
                speed,
                deeds: Vec::new(),
            },
            scenario,
            chosen: None,
            finished: false,
            outcome: Outcome::default(),
        }
    }

    /// Say on the banner why this scenario was picked (the user named none).
    pub fn chosen_because(mut self, why: impl Into<String>) -> Self {
        self.chosen = Some(why.into());
        self
    }

    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// What the user did so far.
    pub fn log(&self) -> &DrillLog {
        &self.log
    }

    /// Where the debrief goes once the drill is scored.
    pub fn outcome(&self) -> Outcome {
        Arc::clone(&self.outcome)
    }

    /// What the screen shows of the drill at its start.
    pub fn view(&self) -> DrillView {
        DrillView {
            name: self.scenario.name.clone(),
            speed: self.log.speed,
            ends: self.ends,
            chosen: self.chosen.clone(),
            phase: DrillPhase::Running,
        }
    }

    /// One event into the state at simulated `now`; what it asks for is noted, and the
    /// end of the drill asked for when it is due.
    pub fn apply(&mut self, state: &mut State, event: Event, now: DateTime<Utc>) -> Vec<Command> {
        let mut commands = state.apply(event, now);
        if self.finished {
            return commands;
        }
        for command in &commands {
            self.observe(command, now);
        }
        let asked = commands.iter().any(|c| matches!(c, Command::EndDrill(_)));
        if !asked
            && state.drill_running()
            && let Some(why) = self.due(now)
        {
            commands.push(Command::EndDrill(why));
        }
        commands
    }

    /// Note what a command says the user did, at simulated `now`.
    pub fn observe(&mut self, command: &Command, now: DateTime<Utc>) {
        let deed = |incident: &str, what| Deed {
            at: now,
            incident: incident.to_string(),
            what,
        };
        let done = match command {
            Command::Submit(op) => {
                let what = match &op.verb {
                    Verb::Acknowledge { .. } => DeedKind::Acknowledged,
                    Verb::Resolve => DeedKind::Resolved,
                    Verb::Snooze { .. } => DeedKind::Snoozed,
                    Verb::Escalate { .. } => DeedKind::Escalated,
                    Verb::Note { .. } => DeedKind::Note,
                    // Not part of what a drill scores.
                    Verb::Unacknowledge | Verb::Reassign { .. } | Verb::AddResponder { .. } => {
                        return;
                    }
                };
                deed(&op.key.id, what)
            }
            Command::SaveStep(record) => deed(
                &record.incident.id,
                match record.done {
                    true => DeedKind::StepDone {
                        playbook: record.playbook.clone(),
                        step: record.step,
                        text: record.text.clone(),
                    },
                    false => DeedKind::StepUndone {
                        playbook: record.playbook.clone(),
                        step: record.step,
                    },
                },
            ),
            // The `!` mark: the page was noise, which counts as handling it.
            Command::MarkNotActionable { key, reason, .. } => deed(
                &key.id,
                DeedKind::NotActionable {
                    reason: reason.clone(),
                },
            ),
            _ => return,
        };
        self.log.deeds.push(done);
    }

    /// Whether the drill is over at `now`, and why.
    pub fn due(&self, now: DateTime<Utc>) -> Option<DrillEnd> {
        if now >= self.ends {
            return Some(DrillEnd::TimeUp);
        }
        if now < self.last_arrival {
            return None;
        }
        let handled: BTreeSet<&str> = self
            .log
            .deeds
            .iter()
            .filter(|d| matches!(d.what, DeedKind::Resolved | DeedKind::NotActionable { .. }))
            .map(|d| d.incident.as_str())
            .collect();
        let all = self
            .scenario
            .world
            .incidents
            .iter()
            .filter(|i| i.status != Status::Resolved)
            .all(|i| handled.contains(i.id.as_str()));
        all.then_some(DrillEnd::AllHandled)
    }

    /// The debrief as saved (with its progress across runs), for whoever started the drill.
    pub fn keep(&self, debrief: &Debrief) {
        *self.outcome.lock().unwrap_or_else(|e| e.into_inner()) = Some(debrief.clone());
    }

    /// Score the drill as it stands at `now`; the first call only (a drill ends once).
    pub fn finish(&mut self, now: DateTime<Utc>) -> Option<Debrief> {
        if self.finished {
            return None;
        }
        self.finished = true;
        self.log.ended = now.min(self.ends);
        let debrief = crate::drill::score(&self.scenario, &self.log);
        *self.outcome.lock().unwrap_or_else(|e| e.into_inner()) = Some(debrief.clone());
        Some(debrief)
    }
}
