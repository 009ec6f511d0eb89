//! Following the playbook: the current step, marking steps done, copying a step's code.

use super::State;
use crate::command::Command;
use crate::incident::Incident;
use crate::progress::{self, Progress, StepRecord};

impl State {
    /// Progress of `incident` through its playbook section: (done, total).
    pub fn step_progress(&self, incident: &Incident) -> Option<(usize, usize)> {
        let library = &self.setup.library;
        let matched = library.find(incident)?;
        let total = library.step_total(&matched);
        if total == 0 {
            return None;
        }
        let path = &library.playbooks[matched.index].path;
        let done = self
            .progress
            .get(&(incident.key.clone(), path.clone()))
            .map_or(0, |p| p.done.range(..total).count());
        Some((done, total))
    }

    /// The selected incident's progress through the playbook shown.
    pub fn shown_progress(&self) -> Option<&Progress> {
        let key = self.playbook.key.clone()?;
        let path = self.shown_path()?;
        self.progress.get(&(key, path.to_string()))
    }

    /// Whether the playbook changed since steps were last checked for this incident.
    pub fn playbook_changed(&self) -> bool {
        let hash = self.playbook.hash.as_deref();
        match (self.shown_progress(), hash) {
            (Some(progress), Some(hash)) => !progress.done.is_empty() && progress.hash != hash,
            _ => false,
        }
    }

    fn shown_path(&self) -> Option<&str> {
        let matched = self.playbook.matched.as_ref()?;
        Some(self.setup.library.playbooks[matched.index].path.as_str())
    }

    /// The first step not done yet (or the last step when all are).
    pub(super) fn first_open_step(&self) -> usize {
        let done = |step: &usize| {
            self.shown_progress()
                .is_some_and(|p| p.done.contains_key(step))
        };
        (0..self.playbook.steps.len())
            .find(|step| !done(step))
            .unwrap_or(self.playbook.steps.len().saturating_sub(1))
    }

    pub(super) fn move_step(&mut self, delta: isize) {
        if self.no_steps() {
            return;
        }
        let last = self.playbook.steps.len() - 1;
        self.playbook.current = self.playbook.current.saturating_add_signed(delta).min(last);
        self.show_current_step();
    }

    /// Scroll the playbook so the current step is in view, a third of the way down, so the
    /// step before it stays in sight.
    pub(super) fn show_current_step(&mut self) {
        let Some(&item) = self.playbook.steps.get(self.playbook.current) else {
            return;
        };
        let line = self.playbook.rendered.items[item].line;
        let rows = self.playbook_rows().max(1);
        if line < self.playbook.scroll || line >= self.playbook.scroll + rows {
            self.playbook.scroll = line.saturating_sub(rows / 3);
            self.clamp_playbook_scroll();
        }
    }

    pub(super) fn check_step(&mut self, done: bool) -> Vec<Command> {
        if self.no_steps() {
            return Vec::new();
        }
        let (Some(key), Some(path), Some(hash)) = (
            self.playbook.key.clone(),
            self.shown_path().map(str::to_string),
            self.playbook.hash.clone(),
        ) else {
            return Vec::new();
        };
        let step = self.playbook.current;
        let already = self
            .shown_progress()
            .is_some_and(|p| p.done.contains_key(&step));
        if already == done {
            let state = if done { "already done" } else { "not done" };
            self.say(format!("step {} is {state}", step + 1), false);
            return Vec::new();
        }
        let item = &self.playbook.rendered.items[self.playbook.steps[step]];
        let record = StepRecord {
            at: self.now,
            incident: key,
            playbook: path,
            hash,
            step,
            text: item.text.clone(),
            done,
            by: self.setup.me.clone(),
        };
        progress::apply(&mut self.progress, &record);
        if done {
            self.playbook.current = self.first_open_step();
            self.show_current_step();
        }
        vec![Command::SaveStep(record)]
    }

    /// A step's check could not be written: it is taken back, so the screen never shows
    /// as done what a restart would not remember.
    pub(super) fn on_step_not_saved(&mut self, record: &StepRecord, reason: &str) {
        let shown = self
            .progress
            .get(&(record.incident.clone(), record.playbook.clone()))
            .map(|p| p.done.get(&record.step));
        // Unless a later check of the same step has changed it again since.
        let still_shown = match (record.done, shown) {
            (true, Some(Some(at))) => *at == record.at,
            (false, Some(None)) | (false, None) => true,
            _ => false,
        };
        if still_shown {
            let undo = StepRecord {
                done: !record.done,
                ..record.clone()
            };
            progress::apply(&mut self.progress, &undo);
        }
        let what = if record.done { "checked" } else { "unchecked" };
        self.say(
            format!("step {} not {what}: {reason}", record.step + 1),
            true,
        );
    }

    pub(super) fn copy_step(&mut self) -> Vec<Command> {
        if self.no_steps() {
            return Vec::new();
        }
        let item = &self.playbook.rendered.items[self.playbook.steps[self.playbook.current]];
        if item.code.is_empty() {
            self.say(
                format!(
                    "step {} has no code block to copy",
                    self.playbook.current + 1
                ),
                false,
            );
            return Vec::new();
        }
        let code = item.code.join("\n\n");
        self.say(
            format!(
                "copied step {}'s code to the clipboard (OSC 52); run it yourself",
                self.playbook.current + 1
            ),
            false,
        );
        vec![Command::Clipboard(code)]
    }

    fn no_steps(&mut self) -> bool {
        let none = self.playbook.steps.is_empty();
        if none {
            let why = match &self.playbook.matched {
                Some(_) => "this playbook section has no steps (task or numbered list items)",
                None => "no playbook for this incident",
            };
            self.say(why.into(), false);
        }
        none
    }
}
