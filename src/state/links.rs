//! The links (`o`: the playbook's, then the incident's own, such as its PagerDuty page)
//! and the outline (`O`): pick one, follow it.

use crossterm::event::{KeyCode, KeyEvent};

use super::{Overlay, State};
use crate::action::Action;
use crate::command::Command;
use crate::layout::Pane;
use crate::markdown::Destination;

impl State {
    pub(super) fn open_links(&mut self) {
        if self.link_count() == 0 {
            self.say(
                "no links: neither the playbook nor the incident has any".into(),
                false,
            );
            return;
        }
        self.overlay = Some(Overlay::Links {
            cursor: 0,
            typed: String::new(),
        });
    }

    pub(super) fn open_outline(&mut self) {
        let headings = &self.playbook.rendered.headings;
        if headings.is_empty() {
            self.say("this playbook has no headings".into(), false);
            return;
        }
        // Start on the section being read.
        let cursor = headings
            .iter()
            .rposition(|h| h.line <= self.playbook.scroll)
            .unwrap_or(0);
        self.overlay = Some(Overlay::Outline { cursor });
    }

    /// Digits type a link's number; with fewer than ten links one digit opens it.
    pub(super) fn on_links_key(
        &mut self,
        cursor: usize,
        mut typed: String,
        key: KeyEvent,
    ) -> Vec<Command> {
        let count = self.link_count();
        let cursor = match (key.code, self.setup.keymap.action_for(&key)) {
            (KeyCode::Esc | KeyCode::Char('q'), _) => return Vec::new(),
            (KeyCode::Enter, _) => return self.follow_link(cursor),
            (KeyCode::Char(digit @ '0'..='9'), _) => {
                typed.push(digit);
                match typed.parse::<usize>() {
                    Ok(n) if (1..=count).contains(&n) => {
                        if count < 10 || n * 10 > count {
                            return self.follow_link(n - 1);
                        }
                        n - 1
                    }
                    _ => {
                        self.say(format!("no link {typed}: there are {count}"), true);
                        typed.clear();
                        cursor
                    }
                }
            }
            (KeyCode::Backspace, _) => {
                typed.pop();
                cursor
            }
            (_, Some(Action::MoveDown)) => (cursor + 1).min(count.saturating_sub(1)),
            (_, Some(Action::MoveUp)) => cursor.saturating_sub(1),
            (_, Some(Action::Top)) => 0,
            (_, Some(Action::Bottom)) => count.saturating_sub(1),
            _ => cursor,
        };
        self.overlay = Some(Overlay::Links { cursor, typed });
        Vec::new()
    }

    pub(super) fn on_outline_key(&mut self, cursor: usize, key: KeyEvent) {
        let count = self.playbook.rendered.headings.len();
        let cursor = match (key.code, self.setup.keymap.action_for(&key)) {
            (KeyCode::Esc | KeyCode::Char('q'), _) | (_, Some(Action::Outline)) => return,
            (KeyCode::Enter, _) => {
                if let Some(heading) = self.playbook.rendered.headings.get(cursor) {
                    let line = heading.line;
                    self.show_playbook_line(line);
                }
                return;
            }
            (_, Some(Action::MoveDown)) => (cursor + 1).min(count.saturating_sub(1)),
            (_, Some(Action::MoveUp)) => cursor.saturating_sub(1),
            (_, Some(Action::PageDown)) => (cursor + 10).min(count.saturating_sub(1)),
            (_, Some(Action::PageUp)) => cursor.saturating_sub(10),
            (_, Some(Action::Top)) => 0,
            (_, Some(Action::Bottom)) => count.saturating_sub(1),
            _ => cursor,
        };
        self.overlay = Some(Overlay::Outline { cursor });
    }

    /// The playbook's links (numbered as in its text), then the selected incident's own.
    pub fn incident_links(&self) -> &[crate::incident::Link] {
        self.selected()
            .map_or(&[], |incident| incident.links.as_slice())
    }

    fn link_count(&self) -> usize {
        self.playbook.rendered.links.len() + self.incident_links().len()
    }

    /// Anchors scroll the pane; web links and files open outside; the rest is refused.
    fn follow_link(&mut self, index: usize) -> Vec<Command> {
        let in_playbook = self.playbook.rendered.links.len();
        if index >= in_playbook {
            return self.follow_incident_link(index - in_playbook);
        }
        let Some(link) = self.playbook.rendered.links.get(index).cloned() else {
            return Vec::new();
        };
        let shown = crate::sanitize::line(&link.url).into_owned();
        match link.destination() {
            Destination::Anchor(anchor) => match self.playbook.rendered.heading_line(anchor) {
                Some(line) => self.show_playbook_line(line),
                None => self.say(format!("no heading #{shown} in this playbook"), true),
            },
            Destination::Web(url) => {
                self.say(format!("opening {shown}"), false);
                return vec![Command::Open(url.to_string())];
            }
            Destination::Relative(path) => return self.open_relative(path, &shown),
            Destination::Refused => self.say(
                format!("not opening {shown}: only http(s), mailto and files"),
                true,
            ),
        }
        Vec::new()
    }

    /// A link the source gave: only web links open (a source is not trusted with files).
    fn follow_incident_link(&mut self, index: usize) -> Vec<Command> {
        let Some(link) = self.incident_links().get(index) else {
            return Vec::new();
        };
        let shown = crate::sanitize::line(&link.url).into_owned();
        let target = crate::markdown::LinkTarget {
            url: link.url.clone(),
            text: link.title.clone(),
            line: 0,
            image: false,
        };
        match target.destination() {
            Destination::Web(url) => {
                let url = url.to_string();
                self.say(format!("opening {shown}"), false);
                vec![Command::Open(url)]
            }
            _ => {
                self.say(
                    format!("not opening {shown}: only web links from a source"),
                    true,
                );
                Vec::new()
            }
        }
    }

    /// A path relative to the playbook's own file, as in the team's repository: another
    /// playbook is shown in the pane (at its anchor); any other file opens outside.
    fn open_relative(&mut self, path: &str, shown: &str) -> Vec<Command> {
        let Some(current) = self.playbook.matched.clone() else {
            return Vec::new();
        };
        let library = &self.setup.library;
        if let Some((index, anchor)) = library.linked(current.index, path) {
            if index == current.index {
                let line = anchor.and_then(|a| self.playbook.rendered.heading_line(&a));
                self.show_playbook_line(line.unwrap_or(0));
                return Vec::new();
            }
            let from = library.playbooks[current.index].path.clone();
            let Some(incident_key) = self.selected().map(|i| i.key.clone()) else {
                return Vec::new();
            };
            let followed = crate::playbook::PlaybookMatch {
                index,
                rule: crate::playbook::MatchRule::Followed(from),
                anchor,
            };
            self.followed = Some((incident_key, followed));
            self.refresh_playbook();
            self.focus = Pane::Playbook;
            self.say(
                "showing the linked playbook · Backspace goes back".into(),
                false,
            );
            return Vec::new();
        }
        let file = library
            .playbooks
            .get(current.index)
            .and_then(|p| p.file.clone());
        let Some(folder) = file.as_deref().and_then(std::path::Path::parent) else {
            self.say(
                format!("{shown} is relative to a playbook folder; this one has none"),
                true,
            );
            return Vec::new();
        };
        let crate::playbook::lint::links::Target::File { path: file, .. } =
            crate::playbook::lint::links::target(path)
        else {
            self.say(format!("{shown}: not a file"), true);
            return Vec::new();
        };
        let target = folder.join(file);
        if !target.exists() {
            self.say(format!("{shown}: no such file next to the playbook"), true);
            return Vec::new();
        }
        self.say(format!("opening {shown}"), false);
        vec![Command::Open(target.to_string_lossy().into_owned())]
    }

    /// Back from a followed link to the incident's own playbook.
    pub(super) fn playbook_back(&mut self) {
        if self.followed.take().is_none() {
            self.say("already on the incident's own playbook".into(), false);
            return;
        }
        self.refresh_playbook();
    }

    /// Scroll the playbook so `line` is at the top, and look at it.
    fn show_playbook_line(&mut self, line: usize) {
        self.playbook.scroll = line;
        self.clamp_playbook_scroll();
        self.focus = Pane::Playbook;
        self.dirty = true;
    }
}
