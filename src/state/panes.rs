//! The playbook pane, and pointing both panes at the selected incident.

use super::{MetricsView, State};
use crate::command::Command;
use crate::incident::IncidentKey;
use crate::layout::{self, Pane};
use crate::markdown::Rendered;
use crate::playbook::{self, PlaybookMatch};
use crate::progress;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlaybookView {
    pub key: Option<IncidentKey>,
    pub matched: Option<PlaybookMatch>,
    /// Why nothing matched, and what to do about it.
    pub hint: Option<String>,
    pub rendered: Rendered,
    pub width: u16,
    pub scroll: usize,
    /// The matched section's steps (indices into `rendered.items`) and the current one.
    pub steps: Vec<usize>,
    pub current: usize,
    /// The matched playbook's fingerprint, recorded with each step checked.
    pub hash: Option<String>,
    /// The layout at the width before the last resize, kept for resizing back.
    pub other_width: Option<(u16, Rendered)>,
}

impl State {
    /// The selection may have moved: point both panes at the selected incident.
    pub(super) fn selection_changed(&mut self) -> Vec<Command> {
        let key = self.selected().map(|i| i.key.clone());
        if key == self.metrics.key {
            // The same incident, maybe changed (a runbook link added): match it again.
            self.refresh_playbook();
            return self.fetch_remote_playbook();
        }
        self.metrics = MetricsView {
            key: key.clone(),
            ..MetricsView::default()
        };
        self.followed = None;
        self.refresh_playbook();
        let mut commands = self.fetch_remote_playbook();
        commands.extend(self.show_or_fetch_metrics());
        commands
    }

    /// Match and render the selected incident's playbook, re-wrapping only when the match
    /// or the pane's width changed.
    pub(super) fn refresh_playbook(&mut self) {
        let width = self.playbook_width();
        // A copy, so the view can be rebuilt while the incident is in hand.
        let Some(incident) = self.selected().cloned() else {
            self.playbook = PlaybookView::default();
            self.remote_url = None;
            return;
        };
        let incident = &incident;
        self.remote_url = self.find_remote_url(incident);
        let matched = match &self.followed {
            Some((key, followed)) if key == &incident.key => Some(followed.clone()),
            _ => self.setup.library.find(incident),
        };
        let same_match = self.playbook.matched == matched;
        let same_key = self.playbook.key.as_ref() == Some(&incident.key);
        if same_match && same_key && width == self.playbook.width {
            return;
        }
        let hint = matched.is_none().then(|| playbook::no_match_hint(incident));
        let rendered = match &matched {
            // Only the width changed, back to the one before: that layout is kept.
            Some(_)
                if same_match
                    && same_key
                    && self
                        .playbook
                        .other_width
                        .as_ref()
                        .is_some_and(|(w, _)| *w == width) =>
            {
                self.playbook
                    .other_width
                    .take()
                    .map(|(_, r)| r)
                    .unwrap_or_default()
            }
            Some(m) => self.setup.library.document(m.index).layout(width),
            None => Rendered::default(),
        };
        let other_width = (same_match && same_key).then(|| {
            (
                self.playbook.width,
                std::mem::take(&mut self.playbook.rendered),
            )
        });
        let scroll = if same_match && same_key {
            self.playbook.scroll // Only the width changed: stay about where the user was.
        } else {
            matched
                .as_ref()
                .and_then(|m| m.anchor.as_deref())
                .and_then(|anchor| rendered.heading_line(anchor))
                .unwrap_or(0)
        };
        let steps = rendered.steps(matched.as_ref().and_then(|m| m.anchor.as_deref()));
        let hash = matched
            .as_ref()
            .map(|m| progress::body_hash(&self.setup.library.playbooks[m.index].body));
        let current = if same_match && same_key {
            self.playbook.current
        } else {
            0
        };
        self.playbook = PlaybookView {
            key: Some(incident.key.clone()),
            matched,
            hint,
            rendered,
            width,
            scroll,
            steps,
            current,
            hash,
            other_width,
        };
        if !(same_match && same_key) {
            self.playbook.current = self.first_open_step();
        }
        self.clamp_playbook_scroll();
    }

    /// The text width inside the playbook pane's borders (as if shown, in tab mode).
    fn playbook_width(&self) -> u16 {
        layout::compute(self.size.0, self.size.1, Pane::Playbook)
            .playbook
            .width
            .saturating_sub(2)
    }

    pub(super) fn playbook_rows(&self) -> usize {
        // Borders and the "matched by" line.
        usize::from(
            layout::compute(self.size.0, self.size.1, Pane::Playbook)
                .playbook
                .height
                .saturating_sub(3),
        )
    }

    pub(super) fn clamp_playbook_scroll(&mut self) {
        let max = self
            .playbook
            .rendered
            .lines
            .len()
            .saturating_sub(self.playbook_rows().max(1));
        self.playbook.scroll = self.playbook.scroll.min(max);
    }

    /// Scroll a non-list pane by `delta` (lines in the playbook, signals in metrics).
    pub(super) fn scroll_pane(&mut self, pane: Pane, delta: isize) {
        match pane {
            Pane::Playbook => {
                self.playbook.scroll = self.playbook.scroll.saturating_add_signed(delta);
                self.clamp_playbook_scroll();
            }
            Pane::Metrics => {
                let last = self.metrics.series.len().saturating_sub(1);
                self.metrics.scroll = self.metrics.scroll.saturating_add_signed(delta).min(last);
            }
            Pane::Incidents => {}
        }
        self.dirty = true;
    }
}
