//! The one owner of app state. `apply` takes events (input, answers from tasks, time) and
//! returns the commands to carry out; nothing here does I/O or reads a clock.

pub mod actions;
#[cfg(test)]
mod actions_tests;
pub mod drill;
pub mod escalate;
#[cfg(test)]
mod escalate_tests;
#[cfg(test)]
mod escalation_state_tests;
pub mod history;
#[cfg(test)]
mod history_tests;
mod input;
mod links;
#[cfg(test)]
mod links_tests;
mod list;
mod metrics;
#[cfg(test)]
mod metrics_tests;
pub mod not_actionable;
pub mod notify;
mod panes;
#[cfg(test)]
mod playbook_tests;
mod remote;
mod resumed;
mod shadow;
mod sources;
mod steps;
#[cfg(test)]
pub(crate) mod tests;
mod ticks;
#[cfg(test)]
mod verbs_tests;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::command::Command;
use crate::event::{Event, OpState};
use crate::incident::{Incident, IncidentKey};
use crate::keymap::Keymap;
use crate::layout::{self, Pane, ScreenLayout};
use crate::playbook::Library;
use crate::progress::ProgressBook;
use crate::providers::{Capabilities, Verb};

pub use list::age_text as list_age;
pub use metrics::{METRICS_REFRESH_SECONDS, MetricsView};
pub use panes::PlaybookView;
pub use shadow::SHADOW_BANNER;
pub use sources::{Health, SourceSetup, SourceStatus};

/// A modal layer over the panes.
#[derive(Debug, Clone, PartialEq)]
pub enum Overlay {
    Help {
        scroll: u16,
    },
    Details {
        scroll: u16,
    },
    Confirm(Confirm),
    /// The playbook's numbered links; `typed` is the number being typed.
    Links {
        cursor: usize,
        typed: String,
    },
    /// The playbook's headings.
    Outline {
        cursor: usize,
    },
    /// Who is on call at every source.
    Roster {
        scroll: u16,
    },
    /// The hand-over to level two being written.
    Escalate(Box<escalate::EscalatePanel>),
    /// A note being written for `key`.
    Note {
        key: IncidentKey,
        text: String,
    },
    /// The actions taken, newest first, to retry or drop.
    Actions(actions::ActionsList),
    /// Why the selected incident's page is not actionable, being written (`!`).
    NotActionable(not_actionable::ReasonPrompt),
}

/// "Do you really want to…": the verb waits here until the user says yes.
#[derive(Debug, Clone, PartialEq)]
pub struct Confirm {
    pub key: IncidentKey,
    pub verb: Verb,
    pub title: String,
}

/// An action the user took, as far as the outbox has reported it.
#[derive(Debug, Clone, PartialEq)]
pub struct OpRecord {
    pub key: IncidentKey,
    pub verb: Verb,
    pub state: OpState,
    /// When it was asked for.
    pub at: DateTime<Utc>,
    /// Whom the incident was with then: a later change of hands is level two taking it.
    pub assignee_then: Option<String>,
}

/// What the user is told once, briefly, in the hints row.
#[derive(Debug, Clone, PartialEq)]
pub struct Flash {
    pub text: String,
    pub error: bool,
    pub at: DateTime<Utc>,
}

const FLASH_SECONDS: i64 = 6;

/// Who and where: fixed for the life of the app.
#[derive(Debug, Clone)]
pub struct Setup {
    pub me: String,
    pub level_two: String,
    pub demo: bool,
    pub read_only: bool,
    /// Emit OSC 8 hyperlinks for the playbook's web links.
    pub hyperlinks: bool,
    /// The user's zone, fixed at start so drawing never reads the clock.
    pub utc_offset_seconds: i32,
    pub keymap: Keymap,
    pub library: Library,
    /// Step progress read from the data dir at start.
    pub progress: ProgressBook,
    pub sources: Vec<SourceSetup>,
}

#[derive(Debug, Clone)]
pub struct State {
    pub setup: Setup,
    pub now: DateTime<Utc>,
    pub size: (u16, u16),
    pub focus: Pane,
    pub sources: Vec<SourceStatus>,
    by_source: BTreeMap<String, Vec<Arc<Incident>>>,
    /// Every incident, merged and sorted by severity then age. Shared with `by_source`,
    /// so a re-sort never copies an incident.
    pub incidents: Vec<Arc<Incident>>,
    /// Indices into `incidents` that pass the filter.
    pub visible: Vec<usize>,
    /// Index into `visible`.
    pub cursor: usize,
    pub list_offset: usize,
    pub filter: String,
    pub filtering: bool,
    pub overlay: Option<Overlay>,
    pub metrics: MetricsView,
    /// Series fetched before, per incident and span.
    pub metrics_cache: crate::metrics::cache::SeriesCache,
    pub playbook: PlaybookView,
    /// A playbook the user reached by following a link, shown instead of the matched one
    /// until the selection moves or the user goes back.
    pub followed: Option<(IncidentKey, crate::playbook::PlaybookMatch)>,
    /// The selected incident's web playbook not yet fetched, if it links to one.
    pub remote_url: Option<String>,
    /// Web playbooks asked for, by address.
    pub fetches: BTreeMap<String, remote::FetchState>,
    pub ops: BTreeMap<u64, OpRecord>,
    /// Notes and timelines asked of the sources, per incident.
    pub histories: HashMap<IncidentKey, history::HistoryState>,
    /// Who is on call, per source, asked when the escalation panel opens.
    pub rosters: HashMap<String, escalate::Roster>,
    /// Playbook steps done, per incident and playbook.
    pub progress: ProgressBook,
    /// Incidents marked not actionable (`!`), from the journal and this session.
    pub not_actionable: HashMap<IncidentKey, not_actionable::Mark>,
    pub flash: Option<Flash>,
    /// The drill being played, when this is one.
    pub drill: Option<drill::DrillView>,
    /// Which pages have rung, and the rules for ringing.
    pub watch: notify::Watch,
    /// Shadow mode (read-only, said on screen): set by the app after `new`.
    pub shadow: bool,
    pub dirty: bool,
    next_ticket: u64,
    next_op: u64,
    clock_signature: u64,
}

impl State {
    pub fn new(mut setup: Setup, now: DateTime<Utc>, size: (u16, u16)) -> Self {
        let progress = std::mem::take(&mut setup.progress);
        let sources = setup.sources.iter().map(SourceStatus::new).collect();
        let mut state = State {
            setup,
            now,
            size,
            focus: Pane::Incidents,
            sources,
            by_source: BTreeMap::new(),
            incidents: Vec::new(),
            visible: Vec::new(),
            cursor: 0,
            list_offset: 0,
            filter: String::new(),
            filtering: false,
            overlay: None,
            metrics: MetricsView::default(),
            metrics_cache: Default::default(),
            playbook: PlaybookView::default(),
            followed: None,
            remote_url: None,
            fetches: BTreeMap::new(),
            ops: BTreeMap::new(),
            histories: HashMap::new(),
            rosters: HashMap::new(),
            progress,
            not_actionable: HashMap::new(),
            flash: None,
            drill: None,
            watch: notify::Watch::default(),
            shadow: false,
            dirty: true,
            next_ticket: 0,
            // Op ids stay unique across restarts: they start at the clock's milliseconds.
            next_op: u64::try_from(now.timestamp_millis()).unwrap_or(0),
            clock_signature: 0,
        };
        state.clock_signature = state.clock_view();
        state
    }

    pub fn layout(&self) -> ScreenLayout {
        layout::compute(self.size.0, self.size.1, self.focus)
    }

    pub fn selected(&self) -> Option<&Incident> {
        self.visible
            .get(self.cursor)
            .map(|&i| self.incidents[i].as_ref())
    }

    /// Take one event; return what must be done about it.
    pub fn apply(&mut self, event: Event, now: DateTime<Utc>) -> Vec<Command> {
        self.now = now;
        match event {
            Event::Key(key) => {
                self.dirty = true;
                self.on_key(key)
            }
            Event::Mouse(mouse) => self.on_mouse(mouse),
            Event::Resize(width, height) => {
                self.size = (width, height);
                self.dirty = true;
                self.keep_cursor_visible();
                self.refresh_playbook();
                Vec::new()
            }
            Event::Tick => self.on_tick(),
            Event::Incidents {
                source,
                generation,
                result,
                degraded,
            } => self.on_poll(&source, generation, result, degraded),
            Event::Metrics {
                ticket,
                key,
                range,
                result,
            } => {
                self.on_metrics(ticket, &key, range, result);
                Vec::new()
            }
            Event::Op { id, state } => self.on_op(id, state),
            Event::Paste(text) => {
                self.on_paste(text);
                Vec::new()
            }
            Event::OnCall { source, result } => {
                self.on_oncall(source, result);
                Vec::new()
            }
            Event::LevelTwo { key, result } => {
                self.on_level_two(&key, result);
                Vec::new()
            }
            Event::History { key, result } => {
                self.on_history(key, result);
                Vec::new()
            }
            Event::StepNotSaved { record, reason } => {
                self.on_step_not_saved(&record, &reason);
                Vec::new()
            }
            Event::MarkNotSaved { key, reason, error } => {
                self.on_mark_not_saved(&key, &reason, &error);
                Vec::new()
            }
            Event::OpNotDropped { id, reason } => {
                self.on_op_not_dropped(id, &reason);
                Vec::new()
            }
            Event::PlaybookFetched { url, result } => {
                self.on_playbook_fetched(url, result);
                Vec::new()
            }
            Event::Shutdown => vec![Command::Quit],
            Event::Signal(number) => vec![Command::QuitOnSignal(number)],
            Event::Continued => {
                self.dirty = true;
                vec![Command::Resume]
            }
        }
    }

    fn on_op(&mut self, id: u64, state: OpState) -> Vec<Command> {
        let Some(record) = self.ops.get_mut(&id) else {
            return Vec::new();
        };
        record.state = state.clone();
        let what = record.verb.describe_on(&record.key);
        let key = record.key.clone();
        self.dirty = true;
        match state {
            OpState::Pending | OpState::Sent => Vec::new(),
            OpState::Confirmed => {
                self.say(format!("✔ {what}: done"), false);
                self.history_changed(&key)
            }
            OpState::Failed(reason) => {
                self.say(format!("✖ {what} failed: {reason}"), true);
                Vec::new()
            }
            OpState::Dropped => {
                self.say(format!("dropped: {what} (it will not be sent)"), false);
                Vec::new()
            }
        }
    }

    pub(crate) fn say(&mut self, text: String, error: bool) {
        self.flash = Some(Flash {
            text,
            error,
            at: self.now,
        });
        self.dirty = true;
    }

    /// What a source can do; a source not (yet) known can do everything, and the
    /// source itself will say no.
    pub fn capabilities_of(&self, source: &str) -> std::borrow::Cow<'_, Capabilities> {
        match self.sources.iter().find(|s| s.name == source) {
            Some(status) => std::borrow::Cow::Borrowed(&status.capabilities),
            None => std::borrow::Cow::Owned(Capabilities::all()),
        }
    }

    /// The newest action on `key` that is still on its way, if any.
    pub fn pending_op(&self, key: &IncidentKey) -> Option<&OpRecord> {
        self.ops
            .values()
            .rev()
            .find(|op| &op.key == key && matches!(op.state, OpState::Pending | OpState::Sent))
    }
}
