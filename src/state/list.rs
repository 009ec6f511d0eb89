//! The incident list: merging sources, sorting, filtering and keeping the selection.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::State;
use crate::command::Command;
use crate::incident::{Incident, format_age};
use crate::providers::ProviderError;

/// The age column's text; also what a clock tick compares.
pub fn age_text(incident: &Incident, now: DateTime<Utc>) -> String {
    format_age((now - incident.opened_at).num_seconds())
}

impl State {
    pub(super) fn on_incidents(
        &mut self,
        source: &str,
        generation: u64,
        result: Result<Vec<Incident>, ProviderError>,
        degraded: Option<String>,
    ) -> Vec<Command> {
        let Some(status) = self.sources.iter_mut().find(|s| s.name == source) else {
            return Vec::new();
        };
        if generation <= status.generation {
            return Vec::new(); // An older answer overtaken by a newer one.
        }
        status.generation = generation;
        let before = status.clone();
        match result {
            Ok(incidents) => {
                status.last_ok = Some(self.now);
                status.last_error = None;
                status.slowed_until = None;
                status.degraded = degraded;
                let same = self.by_source.get(source).is_some_and(|old| {
                    old.len() == incidents.len()
                        && old.iter().zip(&incidents).all(|(a, b)| **a == *b)
                });
                if before.last_error.is_some()
                    || before.last_ok.is_none()
                    || before.degraded != status.degraded
                {
                    self.dirty = true;
                }
                if !same {
                    let shared = incidents.into_iter().map(Arc::new).collect();
                    self.by_source.insert(source.to_string(), shared);
                    return self.rebuild();
                }
                // Same data: only the "last updated" time moved.
                self.dirty = true;
            }
            Err(error) => {
                // Asked to wait is not broken: the data is only as old as the wait.
                status.slowed_until = match &error {
                    ProviderError::RateLimited { retry_after_secs } => {
                        let wait = retry_after_secs.unwrap_or(status.poll_seconds);
                        let wait = i64::try_from(wait).unwrap_or(i64::MAX);
                        Some(self.now + chrono::TimeDelta::seconds(wait))
                    }
                    _ => None,
                };
                status.last_error = Some(error.to_string());
                // Keep showing the last good data, marked failing: never an empty list.
                self.dirty = true;
            }
        }
        Vec::new()
    }

    /// Re-merge, re-sort and re-filter, keeping the selected incident selected.
    pub(super) fn rebuild(&mut self) -> Vec<Command> {
        let selected = self.selected().map(|i| i.key.clone());
        let mut all: Vec<Arc<Incident>> = self.by_source.values().flatten().cloned().collect();
        // Severity first; within it the newest first, as pages arrive at the top.
        all.sort_by(|a, b| {
            b.severity
                .cmp(&a.severity)
                .then(b.opened_at.cmp(&a.opened_at))
                .then_with(|| a.key.cmp(&b.key))
        });
        self.incidents = all;
        self.refilter(selected.as_ref())
    }

    pub(super) fn refilter(&mut self, keep: Option<&crate::incident::IncidentKey>) -> Vec<Command> {
        let filter = self.filter.trim();
        self.visible = self
            .incidents
            .iter()
            .enumerate()
            .filter(|(_, incident)| filter.is_empty() || incident.matches(filter))
            .map(|(index, _)| index)
            .collect();
        if let Some(key) = keep
            && let Some(position) = self
                .visible
                .iter()
                .position(|&i| &self.incidents[i].key == key)
        {
            self.cursor = position;
        }
        self.cursor = self.cursor.min(self.visible.len().saturating_sub(1));
        self.dirty = true;
        self.keep_cursor_visible();
        self.selection_changed()
    }

    /// Move the cursor by `delta` rows (clamped).
    pub(super) fn move_cursor(&mut self, delta: isize) -> Vec<Command> {
        let last = self.visible.len().saturating_sub(1);
        let target = self.cursor.saturating_add_signed(delta).min(last);
        self.set_cursor(target)
    }

    pub(super) fn set_cursor(&mut self, position: usize) -> Vec<Command> {
        self.cursor = position.min(self.visible.len().saturating_sub(1));
        self.keep_cursor_visible();
        self.selection_changed()
    }

    pub(super) fn keep_cursor_visible(&mut self) {
        let rows = self.layout().list_rows().max(1);
        if self.cursor < self.list_offset {
            self.list_offset = self.cursor;
        } else if self.cursor >= self.list_offset + rows {
            self.list_offset = self.cursor + 1 - rows;
        }
        let max_offset = self.visible.len().saturating_sub(rows);
        self.list_offset = self.list_offset.min(max_offset);
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{demo_state, press, t0};
    use crossterm::event::KeyCode;

    #[test]
    fn the_list_is_sorted_by_severity_then_newest_first() {
        let state = demo_state(160, 48);
        let rows: Vec<_> = state
            .visible
            .iter()
            .map(|&i| (state.incidents[i].severity, state.incidents[i].opened_at))
            .collect();
        let mut sorted = rows.clone();
        sorted.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)));
        assert_eq!(rows, sorted);
        assert_eq!(state.selected().unwrap().key.id, "INC-1042");
    }

    #[test]
    fn a_failed_poll_keeps_the_last_good_incidents() {
        let mut state = demo_state(160, 48);
        let count = state.incidents.len();
        state.apply(
            crate::event::Event::Incidents {
                source: "demo".into(),
                generation: 99,
                result: Err(crate::providers::ProviderError::Timeout),
                degraded: None,
            },
            t0(),
        );
        assert_eq!(state.incidents.len(), count);
        assert!(matches!(
            state.sources[0].health(t0()),
            super::super::Health::Failing { .. }
        ));
    }

    #[test]
    fn an_older_answer_never_overwrites_a_newer_one() {
        let mut state = demo_state(160, 48);
        let generation = state.sources[0].generation;
        state.apply(
            crate::event::Event::Incidents {
                source: "demo".into(),
                generation: generation - 1,
                result: Ok(Vec::new()),
                degraded: None,
            },
            t0(),
        );
        assert!(!state.incidents.is_empty());
    }

    #[test]
    fn the_selection_follows_its_incident_when_the_list_changes() {
        let mut state = demo_state(160, 48);
        press(&mut state, KeyCode::Char('j'));
        press(&mut state, KeyCode::Char('j'));
        let key = state.selected().unwrap().key.clone();
        let mut incidents: Vec<_> = state.incidents.iter().map(|i| (**i).clone()).collect();
        let mut newcomer = incidents[0].clone();
        newcomer.key.id = "NEW".into();
        newcomer.opened_at = t0();
        incidents.push(newcomer);
        state.apply(
            crate::event::Event::Incidents {
                source: "demo".into(),
                generation: 1000,
                result: Ok(incidents),
                degraded: None,
            },
            t0(),
        );
        assert_eq!(state.selected().unwrap().key, key);
    }
}
