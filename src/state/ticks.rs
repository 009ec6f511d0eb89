//! What a clock tick changes: a flash that has had its time, the ages and health on
//! screen (redrawn only when one would read differently), metrics and reminders due.

use super::{FLASH_SECONDS, State, list};
use crate::command::Command;

impl State {
    /// The screen now shows this state: remember the clock texts it shows.
    pub fn drawn(&mut self) {
        self.dirty = false;
        self.clock_signature = self.clock_view();
    }

    pub(super) fn on_tick(&mut self) -> Vec<Command> {
        if self
            .flash
            .as_ref()
            .is_some_and(|f| (self.now - f.at).num_seconds() >= self.flash_seconds(FLASH_SECONDS))
        {
            self.flash = None;
            self.dirty = true;
        }
        if self.clock_view() != self.clock_signature {
            self.dirty = true;
        }
        let mut commands = self.metrics_refresh_due();
        commands.extend(self.reminders_due());
        commands
    }

    /// A fingerprint of every clock-derived text on screen: a tick redraws only when one
    /// of them would read differently.
    pub(super) fn clock_view(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        let rows = self.layout().list_rows().max(1);
        for &index in self.visible.iter().skip(self.list_offset).take(rows) {
            list::age_text(&self.incidents[index], self.now).hash(&mut hasher);
        }
        if let Some(incident) = self.selected() {
            list::age_text(incident, self.now).hash(&mut hasher);
        }
        for source in &self.sources {
            source.health(self.now).label().hash(&mut hasher);
        }
        // A drill's banner shows its simulated time to the minute.
        if self.drill.is_some() {
            self.now.format("%H:%M").to_string().hash(&mut hasher);
        }
        hasher.finish()
    }
}
