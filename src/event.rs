//! Everything that can happen to the app: input, time, and answers from tasks.

use crossterm::event::{KeyEvent, MouseEvent};

use crate::incident::{Incident, IncidentKey};
use crate::metrics::{ChartRange, Series};
use crate::providers::ProviderError;

/// The lifecycle of one action the user took, as the outbox reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpState {
    /// Written to the journal, on its way to the source.
    Pending,
    /// The request went out; no answer yet.
    Sent,
    Confirmed,
    Failed(String),
    /// The user dropped it (journaled): it is not sent again.
    Dropped,
}

#[derive(Debug)]
pub enum Event {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Resize(u16, u16),
    /// Text pasted into the terminal (bracketed paste): typed into the field being edited.
    Paste(String),
    /// Who is on call at a source, asked for when the escalation panel opened.
    OnCall {
        source: String,
        result: Result<Vec<crate::providers::OnCall>, ProviderError>,
    },
    /// Who an escalation of `key` would reach at level two, for the escalation panel.
    LevelTwo {
        key: crate::incident::IncidentKey,
        result: Result<Vec<crate::providers::OnCall>, ProviderError>,
    },
    /// The wall clock moved on; ages and staleness may need redrawing.
    Tick,
    /// One poll of one source. `generation` grows per source; older answers are dropped.
    Incidents {
        source: String,
        generation: u64,
        result: Result<Vec<Incident>, ProviderError>,
        /// Why part of the source did not answer, when the rest did.
        degraded: Option<String>,
    },
    /// Series for the incident selected when `ticket` was issued, over `range`.
    Metrics {
        ticket: u64,
        key: IncidentKey,
        range: ChartRange,
        result: Result<Vec<Series>, ProviderError>,
    },
    Op {
        id: u64,
        state: OpState,
    },
    /// One incident's notes and timeline, asked for when its details opened.
    History {
        key: IncidentKey,
        result: Result<crate::providers::History, ProviderError>,
    },
    /// A playbook from the web, or why it could not be had.
    PlaybookFetched {
        url: String,
        result: Result<crate::playbook::remote::Fetched, String>,
    },
    /// A step checked or unchecked could not be written to disk: it is taken back.
    StepNotSaved {
        record: crate::progress::StepRecord,
        reason: String,
    },
    /// A not-actionable mark (`!`) could not be journaled: it is taken back.
    MarkNotSaved {
        key: IncidentKey,
        reason: String,
        error: String,
    },
    /// The outbox kept an action the user asked to drop (it is on its way, or the drop
    /// could not be journaled).
    OpNotDropped {
        id: u64,
        reason: String,
    },
    /// The terminal's input ended: leave cleanly.
    Shutdown,
    /// SIGTERM, SIGHUP or SIGINT (its number): leave cleanly, saying which.
    Signal(i32),
    /// SIGCONT: the process was stopped and runs again (`fg`).
    Continued,
}
