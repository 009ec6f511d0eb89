//! The details overlay's notes and timeline: asked of the source when the overlay opens,
//! and again after a note of ours is confirmed; the note dialog that adds one.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{Overlay, State};
use crate::command::Command;
use crate::incident::IncidentKey;
use crate::providers::{History, ProviderError, Verb};

/// A note is one paragraph; longer text belongs in the playbook or the incident tool.
pub const NOTE_MAX_CHARS: usize = 2000;

/// One incident's history, as far as it has come.
#[derive(Debug, Clone, PartialEq)]
pub enum HistoryState {
    Loading,
    Loaded(History),
    Failed(String),
}

impl State {
    /// Open the details overlay on the selected incident and ask for its history.
    pub(super) fn open_details(&mut self) -> Vec<Command> {
        let Some(key) = self.selected().map(|i| i.key.clone()) else {
            return Vec::new();
        };
        self.overlay = Some(Overlay::Details { scroll: 0 });
        self.fetch_history(key)
    }

    fn fetch_history(&mut self, key: IncidentKey) -> Vec<Command> {
        // What was loaded stays on screen while it is asked for again.
        self.histories
            .entry(key.clone())
            .or_insert(HistoryState::Loading);
        vec![Command::FetchHistory(key)]
    }

    pub(super) fn on_history(&mut self, key: IncidentKey, result: Result<History, ProviderError>) {
        let state = match result {
            Ok(history) => HistoryState::Loaded(history),
            Err(error) => HistoryState::Failed(error.to_string()),
        };
        self.histories.insert(key, state);
        self.dirty = true;
    }

    /// A confirmed action may have added to the history shown: ask again.
    pub(super) fn history_changed(&mut self, key: &IncidentKey) -> Vec<Command> {
        let showing = matches!(self.overlay, Some(Overlay::Details { .. }))
            && self.selected().is_some_and(|i| &i.key == key);
        match showing || self.histories.contains_key(key) {
            true => self.fetch_history(key.clone()),
            false => Vec::new(),
        }
    }

    /// Open the note dialog on the selected incident, if its source takes notes.
    pub(super) fn open_note(&mut self) {
        if self.setup.read_only {
            self.say(self.nothing_changes(), true);
            return;
        }
        let Some(key) = self.selected().map(|i| i.key.clone()) else {
            self.say("no incident selected".into(), true);
            return;
        };
        let verb = Verb::Note {
            text: String::new(),
        };
        if let Err(reason) = self.capabilities_of(&key.source).allows(&verb) {
            self.say(format!("cannot add a note: {reason}"), true);
            return;
        }
        self.overlay = Some(Overlay::Note {
            key,
            text: String::new(),
        });
    }

    /// Typing in the note dialog: Enter sends, Esc drops, Ctrl-U clears.
    pub(super) fn on_note_key(
        &mut self,
        key: IncidentKey,
        mut text: String,
        event: KeyEvent,
    ) -> Vec<Command> {
        let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        match event.code {
            KeyCode::Esc => return Vec::new(),
            KeyCode::Enter if text.trim().is_empty() => {
                self.say("an empty note was not sent".into(), false);
                return Vec::new();
            }
            KeyCode::Enter => {
                let text = text.trim().to_string();
                return self.submit(key, Verb::Note { text });
            }
            KeyCode::Backspace => {
                text.pop();
            }
            KeyCode::Char('u') if ctrl => text.clear(),
            KeyCode::Char('w') if ctrl => {
                let kept = text.trim_end().rfind(' ').map_or(0, |at| at + 1);
                text.truncate(kept);
            }
            KeyCode::Char(c) if !ctrl && text.chars().count() < NOTE_MAX_CHARS => text.push(c),
            _ => {}
        }
        self.overlay = Some(Overlay::Note { key, text });
        Vec::new()
    }
}
