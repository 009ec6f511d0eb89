//! `e`: the hand-over to level two, composed from what the cockpit knows of the incident.

use super::State;
use super::history::HistoryState;
use crate::handover::{self, HandOver};
use crate::incident::Incident;

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
        handover::compose(&HandOver {
            incident,
            level_two: &self.setup.level_two,
            by: &self.setup.me,
            now: self.now,
            signals,
            playbook: handover::playbook_steps(&self.setup.library, &self.progress, incident),
            notes,
        })
    }
}
