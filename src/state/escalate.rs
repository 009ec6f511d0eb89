//! `e`: the escalation panel. The hand-over to level two, composed from what the cockpit
//! knows of the incident, in an editor; who is on call at level two; the route. Ctrl-S
//! sends it through the journal and outbox, Esc drops it.

use std::collections::HashMap;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui_textarea::TextArea;

use super::history::HistoryState;
use super::{OpRecord, Overlay, State};
use crate::command::Command;
use crate::event::OpState;
use crate::handover::{self, HandOver, Plan};
use crate::incident::{Incident, IncidentKey, LevelTwoAnswer};
use crate::journal::Record;
use crate::providers::{OnCall, ProviderError, Verb};

/// The hand-over being written. Equal when the same text is in it (the editor keeps its
/// own cursor and undo history, which do not make two panels different).
#[derive(Debug, Clone)]
pub struct EscalatePanel {
    pub key: IncidentKey,
    /// To whom, by which route.
    pub plan: Plan,
    /// Who the escalation would reach, as the source answers.
    pub level_two: Roster,
    pub editor: TextArea<'static>,
}

impl PartialEq for EscalatePanel {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
            && self.plan == other.plan
            && self.level_two == other.level_two
            && self.editor.lines() == other.editor.lines()
    }
}

impl EscalatePanel {
    pub fn message(&self) -> String {
        self.editor.lines().join("\n")
    }
}

/// How far back a restart still shows the escalations sent.
const ESCALATIONS_KEPT: chrono::TimeDelta = chrono::TimeDelta::hours(24);

/// Where an escalation sent from here stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Escalation {
    /// Journaled, on its way to the source.
    Pending,
    /// The source took it; level two has not taken the incident yet.
    Sent,
    /// Level two has the incident: the source says so (a responder joined, the paged
    /// incident was acknowledged), or its assignment moved to someone else after sending.
    Taken(String),
    Failed(String),
}

impl Escalation {
    /// "sent at 03:14", "taken by Kai Lindqvist", "failed: …".
    pub fn describe(&self, sent_at: &str) -> String {
        match self {
            Escalation::Pending => "on its way".into(),
            Escalation::Sent => format!("sent at {sent_at}, not taken yet"),
            Escalation::Taken(by) => format!("taken by {by}"),
            Escalation::Failed(reason) => format!("failed: {reason}"),
        }
    }
}

impl Escalation {
    /// Where an escalation journaled as `state` stands, read against `incident` as the
    /// source now shows it (`None`: no longer there): the cockpit and the hand-off read
    /// it alike.
    pub fn reading(
        state: &OpState,
        assignee_then: Option<&String>,
        incident: Option<&Incident>,
        me: &str,
    ) -> Escalation {
        match (state, incident) {
            (OpState::Pending | OpState::Sent, _) => Escalation::Pending,
            (OpState::Failed(reason), _) => Escalation::Failed(reason.clone()),
            (OpState::Dropped, _) => Escalation::Failed("dropped, never sent".into()),
            (OpState::Confirmed, None) => Escalation::Sent,
            (OpState::Confirmed, Some(incident)) => {
                match (&incident.level_two_answer, &incident.assignee) {
                    // The source's own word comes first: a responder who joined or declined.
                    (Some(LevelTwoAnswer::Taken { by }), _) => Escalation::Taken(by.clone()),
                    (Some(LevelTwoAnswer::Declined { by }), _) => {
                        Escalation::Failed(format!("declined by {by}: escalate again"))
                    }
                    (None, Some(someone)) if Some(someone) != assignee_then && someone != me => {
                        Escalation::Taken(someone.clone())
                    }
                    _ => Escalation::Sent,
                }
            }
        }
    }
}

/// Who is on call at a source, as far as it has answered.
#[derive(Debug, Clone, PartialEq)]
pub enum Roster {
    Loading,
    Known(Vec<OnCall>),
    Unknown(String),
}

impl State {
    /// The hand-over for `incident`: its facts, the service's signals as charted, the
    /// playbook steps done and not, the notes read so far, and who escalates.
    pub fn handover(&self, incident: &Incident) -> String {
        let charted = self.metrics.key.as_ref() == Some(&incident.key);
        let signals = if charted {
            &self.metrics.series[..]
        } else {
            &[]
        };
        let notes = match self.histories.get(&incident.key) {
            Some(HistoryState::Loaded(history)) => &history.notes[..],
            _ => &[],
        };
        let level_two = self.level_two_for(incident);
        handover::compose(&HandOver {
            incident,
            level_two: &level_two,
            by: &self.setup.me,
            now: self.now,
            signals,
            playbook: handover::playbook_steps(&self.setup.library, &self.progress, incident),
            notes,
        })
    }

    /// Level two for `incident`: its playbook's, else the configured one.
    pub fn level_two_for(&self, incident: &Incident) -> String {
        handover::level_two_for(&self.setup.library, incident, &self.setup.level_two)
    }

    /// Escalating `incident`, before the hand-over is written: to whom and by which
    /// route (its playbook's own, else its source's).
    pub fn escalation_plan(&self, incident: &Incident) -> Plan {
        let source = self
            .setup
            .sources
            .iter()
            .find(|s| s.name == incident.key.source);
        handover::plan(
            &self.setup.library,
            incident,
            source.map_or("", |s| s.kind.as_str()),
            &self.setup.level_two,
            source.and_then(|s| s.escalation_route.clone()),
        )
    }

    /// Open the panel on the selected incident (unless its source cannot escalate), and
    /// ask its source who is on call.
    pub(super) fn open_escalation(&mut self) -> Vec<Command> {
        if self.setup.read_only {
            self.say(self.nothing_changes(), true);
            return Vec::new();
        }
        let Some(incident) = self.selected() else {
            self.say("no incident selected".into(), true);
            return Vec::new();
        };
        let plan = self.escalation_plan(incident);
        let probe = plan.verb(None);
        let key = incident.key.clone();
        if let Err(reason) = self.capabilities_of(&key.source).allows(&probe) {
            self.say(format!("cannot escalate: {reason}"), true);
            return Vec::new();
        }
        if self.pending_op(&key).is_some() {
            self.say(format!("{key} has an action on its way"), false);
            return Vec::new();
        }
        let text = self.handover(incident);
        let mut editor = TextArea::new(text.lines().map(String::from).collect());
        // Long lines (steps, links) wrap instead of scrolling out of sight.
        editor.set_wrap_mode(ratatui_textarea::WrapMode::WordOrGlyph);
        editor.set_cursor_line_style(ratatui::style::Style::default());
        self.overlay = Some(Overlay::Escalate(Box::new(EscalatePanel {
            key: key.clone(),
            plan,
            level_two: Roster::Loading,
            editor,
        })));
        vec![Command::FetchLevelTwo {
            key,
            escalation: probe,
        }]
    }

    /// The roster overlay, every source asked afresh.
    pub(super) fn open_roster(&mut self) -> Vec<Command> {
        self.overlay = Some(Overlay::Roster { scroll: 0 });
        let sources: Vec<String> = self.sources.iter().map(|s| s.name.clone()).collect();
        sources
            .into_iter()
            .map(|source| {
                // What was known stays on screen while it is asked again.
                self.rosters
                    .entry(source.clone())
                    .or_insert(Roster::Loading);
                Command::FetchOnCall(source)
            })
            .collect()
    }

    /// Keys in the panel: Ctrl-S sends, Esc drops, everything else edits.
    pub(super) fn on_escalate_key(
        &mut self,
        mut panel: Box<EscalatePanel>,
        key: KeyEvent,
    ) -> Vec<Command> {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Esc => {
                self.say("escalation dropped: nothing was sent".into(), false);
                return Vec::new();
            }
            KeyCode::Char('s') if ctrl => {
                let message = panel.message();
                if message.trim().is_empty() {
                    self.say("an empty hand-over was not sent".into(), true);
                } else {
                    let verb = panel.plan.verb(Some(message));
                    return self.submit(panel.key.clone(), verb);
                }
            }
            _ => {
                panel.editor.input(key);
            }
        }
        self.overlay = Some(Overlay::Escalate(panel));
        Vec::new()
    }

    /// The newest escalation of `incident` sent from here: to whom, when, and where it
    /// stands, read against the incident as the source now shows it.
    pub fn escalation_of(
        &self,
        incident: &Incident,
    ) -> Option<(String, chrono::DateTime<chrono::Utc>, Escalation)> {
        let op = self
            .ops
            .values()
            .rev()
            .find(|op| op.key == incident.key && matches!(op.verb, Verb::Escalate { .. }))?;
        let Verb::Escalate { to, .. } = &op.verb else {
            return None;
        };
        let state = Escalation::reading(
            &op.state,
            op.assignee_then.as_ref(),
            Some(incident),
            &self.setup.me,
        );
        Some((to.clone(), op.at, state))
    }

    /// Pasted text goes into whichever field is being written.
    pub(super) fn on_paste(&mut self, text: String) {
        match &mut self.overlay {
            Some(Overlay::Escalate(panel)) => {
                // Pasted text may carry terminal controls: each line is cleaned first.
                let lines: Vec<_> = text.lines().map(crate::sanitize::line).collect();
                panel.editor.insert_str(lines.join("\n"));
            }
            Some(Overlay::NotActionable(prompt)) => prompt.paste(&text),
            Some(Overlay::Note { text: note, .. }) => {
                let lines: Vec<_> = text.lines().map(crate::sanitize::line).collect();
                note.push_str(&lines.join(" "));
            }
            None if self.filtering => {
                let first = text.lines().next().unwrap_or_default();
                self.filter.push_str(&crate::sanitize::line(first));
                let keep = self.selected().map(|i| i.key.clone());
                self.refilter(keep.as_ref());
            }
            _ => return,
        }
        self.dirty = true;
    }

    /// Escalations journaled in the last `ESCALATIONS_KEPT`, as they ended: shown again
    /// after a restart, so an incident still says level two was asked until they take it.
    /// One still unfinished is left to `restore_outstanding`: the outbox carries on with
    /// it (the last record of an op is its state).
    pub fn restore_escalations(&mut self, records: &[Record]) {
        let since = self.now - ESCALATIONS_KEPT;
        let mut outcomes: HashMap<u64, OpState> = HashMap::new();
        for record in records {
            match record {
                Record::Confirmed { op, .. } => outcomes.insert(*op, OpState::Confirmed),
                Record::Failed { op, reason, .. } => {
                    outcomes.insert(*op, OpState::Failed(reason.clone()))
                }
                Record::Dropped { op, .. } => outcomes.insert(*op, OpState::Dropped),
                Record::Pending { op, .. } | Record::Sent { op, .. } => outcomes.remove(op),
                Record::NotActionable { .. } => None,
            };
        }
        for record in records {
            let Record::Pending {
                at,
                op,
                key,
                verb,
                assignee_then,
                ..
            } = record
            else {
                continue;
            };
            if !matches!(verb, Verb::Escalate { .. }) || *at < since || self.ops.contains_key(op) {
                continue;
            }
            let Some(state) = outcomes.remove(op) else {
                continue;
            };
            let restored = OpRecord {
                key: key.clone(),
                verb: verb.clone(),
                state,
                at: *at,
                // Unknown for lines written before it was kept: then any hand but ours
                // counts as level two's.
                assignee_then: assignee_then.clone(),
            };
            self.ops.insert(*op, restored);
        }
        self.dirty = true;
    }

    /// Who the open panel's escalation would reach; an answer for a panel since closed
    /// is dropped.
    pub(super) fn on_level_two(
        &mut self,
        key: &IncidentKey,
        result: Result<Vec<OnCall>, ProviderError>,
    ) {
        if let Some(Overlay::Escalate(panel)) = &mut self.overlay
            && &panel.key == key
        {
            panel.level_two = match result {
                Ok(people) => Roster::Known(people),
                Err(error) => Roster::Unknown(error.to_string()),
            };
            self.dirty = true;
        }
    }

    pub(super) fn on_oncall(&mut self, source: String, result: Result<Vec<OnCall>, ProviderError>) {
        let roster = match result {
            Ok(people) => Roster::Known(people),
            Err(error) => Roster::Unknown(error.to_string()),
        };
        self.rosters.insert(source, roster);
        self.dirty = true;
    }
}
