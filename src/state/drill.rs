//! A drill as the screen knows it: its banner, the question before ending it early, and
//! the debrief screen once it is over. What the user did is watched by the loop's
//! referee (`drill::run::referee`); this is only what is shown and the keys for it.

use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent};

use super::State;
use crate::action::Action;
use crate::command::Command;

/// Why a drill ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DrillEnd {
    /// Its simulated duration is up.
    TimeUp,
    /// Every incident appeared and was resolved (or marked not actionable).
    AllHandled,
    /// `q`, then yes.
    Asked,
}

impl DrillEnd {
    pub fn describe(self) -> &'static str {
        match self {
            DrillEnd::TimeUp => "time is up",
            DrillEnd::AllHandled => "every incident was handled",
            DrillEnd::Asked => "you ended it",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct DrillView {
    /// The scenario's name, as `drill NAME` takes it.
    pub name: String,
    /// Simulated seconds per real one.
    pub speed: f64,
    /// When it ends by itself, in simulated time.
    pub ends: DateTime<Utc>,
    /// Why this scenario, when the user did not name one ("next not done").
    pub chosen: Option<String>,
    pub phase: DrillPhase,
}

#[derive(Debug, Clone, PartialEq)]
pub enum DrillPhase {
    Running,
    /// "End the drill now and see the debrief? y/n"
    AskingToEnd,
    Debrief(DebriefView),
}

#[derive(Debug, Clone, PartialEq)]
pub struct DebriefView {
    pub lines: Vec<String>,
    pub why: DrillEnd,
    /// Where the result was saved, or why it could not be.
    pub saved: Result<String, String>,
    pub scroll: u16,
}

impl State {
    pub fn start_drill(&mut self, view: DrillView) {
        self.drill = Some(view);
        self.dirty = true;
    }

    pub fn show_debrief(
        &mut self,
        lines: Vec<String>,
        why: DrillEnd,
        saved: Result<String, String>,
    ) {
        if let Some(drill) = &mut self.drill {
            // Whatever was open under it is moot now.
            self.overlay = None;
            self.filtering = false;
            drill.phase = DrillPhase::Debrief(DebriefView {
                lines,
                why,
                saved,
                scroll: 0,
            });
            self.dirty = true;
        }
    }

    /// Whether the drill is still being played (not over, not shown its debrief).
    pub fn drill_running(&self) -> bool {
        self.drill
            .as_ref()
            .is_some_and(|d| !matches!(d.phase, DrillPhase::Debrief(_)))
    }

    /// `q`: leave, or in a drill first ask whether to end it and see the debrief.
    pub(super) fn quit(&mut self) -> Vec<Command> {
        match &mut self.drill {
            Some(drill) if drill.phase == DrillPhase::Running => {
                drill.phase = DrillPhase::AskingToEnd;
                Vec::new()
            }
            _ => vec![Command::Quit],
        }
    }

    /// Keys the drill takes before anything else: the question, and the debrief screen.
    pub(super) fn on_drill_key(&mut self, key: &KeyEvent) -> Option<Vec<Command>> {
        let action = self.setup.keymap.action_for(key);
        let drill = self.drill.as_mut()?;
        match &mut drill.phase {
            DrillPhase::Running => None,
            DrillPhase::AskingToEnd => {
                match key.code {
                    KeyCode::Char('y' | 'Y') | KeyCode::Enter => {
                        return Some(vec![Command::EndDrill(DrillEnd::Asked)]);
                    }
                    KeyCode::Char('n' | 'N' | 'q') | KeyCode::Esc => {
                        drill.phase = DrillPhase::Running;
                    }
                    _ => {}
                }
                Some(Vec::new())
            }
            DrillPhase::Debrief(debrief) => {
                if matches!(key.code, KeyCode::Char('q') | KeyCode::Enter | KeyCode::Esc) {
                    return Some(vec![Command::Quit]);
                }
                let last = u16::try_from(debrief.lines.len()).unwrap_or(u16::MAX);
                debrief.scroll = match action {
                    Some(Action::MoveDown) => debrief.scroll.saturating_add(1),
                    Some(Action::MoveUp) => debrief.scroll.saturating_sub(1),
                    Some(Action::PageDown) => debrief.scroll.saturating_add(10),
                    Some(Action::PageUp) => debrief.scroll.saturating_sub(10),
                    Some(Action::Top) => 0,
                    Some(Action::Bottom) => last,
                    _ => debrief.scroll,
                }
                .min(last);
                Some(Vec::new())
            }
        }
    }

    /// A flash stays this many of the state's seconds: in a drill, as long in real time
    /// as it does outside one.
    pub(super) fn flash_seconds(&self, seconds: i64) -> i64 {
        match &self.drill {
            Some(drill) => (seconds as f64 * drill.speed).ceil() as i64,
            None => seconds,
        }
    }
}
