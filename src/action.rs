//! What a key can ask for. The serde names are the ones used in `keymap.toml`.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    MoveDown,
    MoveUp,
    PageDown,
    PageUp,
    Top,
    Bottom,
    FocusNext,
    FocusPrev,
    Details,
    Filter,
    Acknowledge,
    Unacknowledge,
    Snooze,
    Resolve,
    Escalate,
    /// Write a note on the incident at its source.
    Note,
    /// Mark the incident's page "not actionable" (noise), with a reason: journaled only.
    NotActionable,
    /// Who is on call now, at every source.
    Roster,
    /// The actions taken and the state of each (pending, sent, confirmed, failed).
    Actions,
    /// In the actions list: send the selected failed action again.
    RetryAction,
    /// In the actions list: give up on the selected failed or unsent action.
    DropAction,
    Refresh,
    NextStep,
    PrevStep,
    StepDone,
    StepUndo,
    CopyStep,
    Links,
    Outline,
    PlaybookBack,
    /// The metrics pane: a wider / narrower time window.
    WiderWindow,
    NarrowerWindow,
    Help,
    Quit,
    /// Ctrl-Z: back to the shell until `fg`.
    Suspend,
}
