//! Playbooks from the web: asked for once per address when an incident links to one,
//! shown when they arrive (or their cached copy, with its age).

use super::State;
use crate::command::Command;
use crate::playbook::explicit::Explicit;
use crate::playbook::remote::Fetched;

/// How the fetch of one web playbook went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchState {
    Pending,
    Done,
    Failed(String),
}

impl State {
    /// Ask for the selected incident's web playbook, unless already asked.
    pub(super) fn fetch_remote_playbook(&mut self) -> Vec<Command> {
        let Some(url) = self.remote_url.clone() else {
            return Vec::new();
        };
        if self.fetches.contains_key(&url) {
            return Vec::new();
        }
        self.fetches.insert(url.clone(), FetchState::Pending);
        vec![Command::FetchPlaybook(url)]
    }

    pub(super) fn on_playbook_fetched(&mut self, url: String, result: Result<Fetched, String>) {
        match result {
            Ok(fetched) => {
                self.setup.library.add_fetched(&url, fetched);
                self.fetches.insert(url, FetchState::Done);
                self.refresh_playbook();
            }
            Err(error) => {
                let shown = crate::sanitize::line(&url).into_owned();
                self.say(format!("could not fetch {shown}: {error}"), true);
                self.fetches.insert(url, FetchState::Failed(error));
            }
        }
        self.dirty = true;
    }

    /// What the playbook pane says about the incident's web playbook while it is not
    /// shown: on its way, or why not.
    pub fn remote_note(&self) -> Option<String> {
        let url = self.remote_url.as_deref()?;
        let shown = crate::sanitize::line(url);
        match self.fetches.get(url)? {
            FetchState::Pending => Some(format!("fetching {shown}…")),
            FetchState::Failed(error) => Some(format!("{shown}: {error}")),
            FetchState::Done => None,
        }
    }

    /// The incident's runbook link to a markdown file not yet in the library; found when
    /// the playbook is matched, not on every frame.
    pub(super) fn find_remote_url(&self, incident: &crate::incident::Incident) -> Option<String> {
        match self.setup.library.explicit(incident)? {
            Explicit::Remote { url, .. } => Some(url),
            Explicit::Local { .. } => None,
        }
    }
}
