//! The I/O the state asks for. `app.rs` carries these out; the state never does I/O.

use crate::incident::{Incident, IncidentKey};
use crate::metrics::ChartRange;
use crate::progress::StepRecord;
use crate::providers::Verb;

#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Leave: the terminal given back, journal writes finished; exit status 0.
    Quit,
    /// The same, on a signal (its number): exit status 128 + it.
    QuitOnSignal(i32),
    /// Give the terminal back and stop (Ctrl-Z); take it again and repaint on `fg`.
    Suspend,
    /// Continued after a stop (SIGCONT): take the terminal again and repaint all of it.
    Resume,
    /// Poll every source now.
    Refresh,
    /// The selected incident's series over `range` (the metrics task keeps only the
    /// newest such request).
    FetchMetrics {
        ticket: u64,
        incident: Box<Incident>,
        range: ChartRange,
    },
    /// Journal the action, then send it through the outbox.
    Submit(Op),
    /// Send a failed action again, under its own id (a fresh pending record).
    Retry(Op),
    /// Give up on an action not yet sent, or failed: journaled as dropped, never sent.
    DropOp(u64),
    /// Append a playbook step checked or unchecked to the steps journal.
    SaveStep(StepRecord),
    /// Put text on the terminal's clipboard (OSC 52).
    Clipboard(String),
    /// Open a web link in the browser or a file with its application (never run here).
    Open(String),
    /// Ask a source who is on call now.
    FetchOnCall(String),
    /// Ask the incident's source who its escalation (a `Verb::Escalate`) would reach.
    FetchLevelTwo { key: IncidentKey, escalation: Verb },
    /// Ask the incident's source for its notes and timeline.
    FetchHistory(IncidentKey),
    /// Fetch a playbook from the web (an incident's runbook link), cached on disk.
    FetchPlaybook(String),
    /// The drill is over (for this reason): score it, save the result, show the debrief.
    EndDrill(crate::state::drill::DrillEnd),
    /// Journal that the incident's page was noise (`!`): in the actions journal only,
    /// never sent to a source.
    MarkNotActionable {
        key: IncidentKey,
        reason: String,
        incident: Option<crate::journal::IncidentFacts>,
    },
    /// Ring the terminal for a page or a reminder (bell, desktop notification).
    Notify(crate::notify::Notice),
}

/// One write the user asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Op {
    pub id: u64,
    pub key: IncidentKey,
    pub verb: Verb,
    /// Whom the incident was with when asked: a later change of hands is level two
    /// taking an escalation, even read back from the journal after a restart.
    pub assignee_then: Option<String>,
    /// What the incident was when asked, journaled for the hand-off and the report.
    pub incident: Option<crate::journal::IncidentFacts>,
}
