//! `!`: the page was noise. A reason is asked for, the mark is journaled (in the actions
//! journal only, never sent to a source) and shown on the incident; a restart reads it
//! back from the journal.

use chrono::{DateTime, TimeDelta, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{Overlay, State};
use crate::command::Command;
use crate::incident::IncidentKey;
use crate::journal::{IncidentFacts, Record};

/// How far back a restart still shows marks: a page marked as noise weeks ago says
/// little about the incident firing now.
pub const MARKS_KEPT: TimeDelta = TimeDelta::days(14);
/// A reason is a few words for the retro, not an essay.
pub const REASON_MAX_CHARS: usize = 200;
/// How many reasons used before the prompt offers (↑/↓).
const RECENT_REASONS: usize = 5;

/// One incident marked not actionable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    pub at: DateTime<Utc>,
    pub by: String,
    pub reason: String,
    /// The mark this one replaced (the reason changed): put back if this one cannot be
    /// journaled.
    pub replaced: Option<Box<Mark>>,
}

impl Mark {
    /// "marked not actionable by Ana Ops 03:12: flaps every night" (`clock` is the
    /// mark's time as the screen shows times). Not sanitized: the caller does that.
    pub fn describe(&self, clock: &str) -> String {
        format!(
            "marked not actionable by {} {clock}: {}",
            self.by, self.reason
        )
    }
}

/// The reason being written for `key`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReasonPrompt {
    pub key: IncidentKey,
    pub text: String,
    /// Reasons used before, newest first, offered with ↑/↓.
    pub recent: Vec<String>,
    /// Which of `recent` is in the field, if one was picked.
    pub picked: Option<usize>,
    /// The incident was marked already: Enter changes its reason.
    pub changing: bool,
}

impl ReasonPrompt {
    /// Pasted text joins the reason as one line, its terminal controls removed.
    pub(super) fn paste(&mut self, text: &str) {
        let lines: Vec<_> = text.lines().map(crate::sanitize::line).collect();
        self.text.push_str(&lines.join(" "));
        self.text = self.text.chars().take(REASON_MAX_CHARS).collect();
        self.picked = None;
    }
}

impl State {
    /// Open the reason prompt on the selected incident (its reason in it when it is
    /// marked already, to change it). Allowed in read-only mode: nothing is sent.
    pub(super) fn open_not_actionable(&mut self) {
        let Some(key) = self.selected().map(|i| i.key.clone()) else {
            self.say("no incident selected".into(), true);
            return;
        };
        let existing = self.not_actionable.get(&key).map(|m| m.reason.clone());
        self.overlay = Some(Overlay::NotActionable(ReasonPrompt {
            key,
            changing: existing.is_some(),
            text: existing.unwrap_or_default(),
            recent: self.recent_reasons(),
            picked: None,
        }));
    }

    /// Typing the reason: Enter marks (a reason is required), Esc drops, ↑/↓ pick a
    /// reason used before, Ctrl-U clears, Ctrl-W deletes a word.
    pub(super) fn on_reason_key(
        &mut self,
        mut prompt: ReasonPrompt,
        event: KeyEvent,
    ) -> Vec<Command> {
        let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        match event.code {
            KeyCode::Esc => {
                self.say("not marked: nothing was written".into(), false);
                return Vec::new();
            }
            KeyCode::Enter if prompt.text.trim().is_empty() => {
                self.say(
                    "say why it is not actionable (a few words), or Esc".into(),
                    true,
                );
            }
            KeyCode::Enter => {
                let reason = prompt.text.trim().to_string();
                let unchanged = self
                    .not_actionable
                    .get(&prompt.key)
                    .is_some_and(|m| m.reason == reason);
                if unchanged {
                    self.say("the reason is unchanged: nothing was written".into(), false);
                    return Vec::new();
                }
                return self.mark_not_actionable(prompt.key, reason);
            }
            KeyCode::Up | KeyCode::Down if !prompt.recent.is_empty() => {
                let last = prompt.recent.len() - 1;
                prompt.picked = match (event.code, prompt.picked) {
                    (KeyCode::Up, None) => Some(0),
                    (KeyCode::Up, Some(at)) => Some((at + 1).min(last)),
                    (_, Some(0) | None) => None,
                    (_, Some(at)) => Some(at - 1),
                };
                prompt.text = prompt
                    .picked
                    .map(|at| prompt.recent[at].clone())
                    .unwrap_or_default();
            }
            KeyCode::Backspace => {
                prompt.text.pop();
                prompt.picked = None;
            }
            KeyCode::Char('u') if ctrl => {
                prompt.text.clear();
                prompt.picked = None;
            }
            KeyCode::Char('w') if ctrl => {
                let kept = prompt.text.trim_end().rfind(' ').map_or(0, |at| at + 1);
                prompt.text.truncate(kept);
                prompt.picked = None;
            }
            KeyCode::Char(c) if !ctrl && prompt.text.chars().count() < REASON_MAX_CHARS => {
                prompt.text.push(c);
                prompt.picked = None;
            }
            _ => {}
        }
        self.overlay = Some(Overlay::NotActionable(prompt));
        Vec::new()
    }

    /// Show the mark at once and ask the app loop to journal it.
    fn mark_not_actionable(&mut self, key: IncidentKey, reason: String) -> Vec<Command> {
        let incident = self
            .incidents
            .iter()
            .find(|i| i.key == key)
            .map(|i| IncidentFacts::from(i.as_ref()));
        let replaced = self.not_actionable.remove(&key).map(Box::new);
        self.not_actionable.insert(
            key.clone(),
            Mark {
                at: self.now,
                by: self.setup.me.clone(),
                reason: reason.clone(),
                replaced,
            },
        );
        self.say(
            format!(
                "{} marked not actionable (kept in your journal only)",
                crate::sanitize::line(&key.to_string())
            ),
            false,
        );
        vec![Command::MarkNotActionable {
            key,
            reason,
            incident,
        }]
    }

    /// The mark could not be journaled: taken back off the screen (the one it replaced
    /// put back), so the screen never shows what a restart would not remember.
    pub(super) fn on_mark_not_saved(&mut self, key: &IncidentKey, reason: &str, error: &str) {
        // Unless it was changed again since.
        if self
            .not_actionable
            .get(key)
            .is_some_and(|m| m.reason == reason)
            && let Some(mark) = self.not_actionable.remove(key)
            && let Some(previous) = mark.replaced
        {
            self.not_actionable.insert(key.clone(), *previous);
        }
        self.say(
            format!(
                "{} not marked not actionable: {error}",
                crate::sanitize::line(&key.to_string())
            ),
            true,
        );
    }

    /// Marks journaled in the last `MARKS_KEPT`, the newest per incident.
    pub fn restore_not_actionable(&mut self, records: &[Record]) {
        let since = self.now - MARKS_KEPT;
        for record in records {
            if let Record::NotActionable {
                at,
                key,
                reason,
                by,
                ..
            } = record
                && *at >= since
            {
                self.not_actionable.insert(
                    key.clone(),
                    Mark {
                        at: *at,
                        by: by.clone(),
                        reason: reason.clone(),
                        replaced: None,
                    },
                );
            }
        }
        self.dirty = true;
    }

    /// The reasons of the newest marks, each once.
    fn recent_reasons(&self) -> Vec<String> {
        let mut marks: Vec<&Mark> = self.not_actionable.values().collect();
        marks.sort_by(|a, b| b.at.cmp(&a.at).then(a.reason.cmp(&b.reason)));
        let mut reasons: Vec<String> = Vec::new();
        for mark in marks {
            if !reasons.contains(&mark.reason) {
                reasons.push(mark.reason.clone());
            }
            if reasons.len() == RECENT_REASONS {
                break;
            }
        }
        reasons
    }
}
