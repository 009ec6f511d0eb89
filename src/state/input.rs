//! Keys and mouse: modal input first (dialog, overlay, filter), then the key table.

use crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

use super::{Confirm, OpRecord, Overlay, State};
use crate::action::Action;
use crate::command::{Command, Op};
use crate::event::OpState;
use crate::incident::IncidentKey;
use crate::layout::{Mode, Pane};
use crate::providers::Verb;

impl State {
    pub(super) fn on_key(&mut self, key: KeyEvent) -> Vec<Command> {
        if key.kind == KeyEventKind::Release {
            return Vec::new();
        }
        // The terminal's own keys, from anywhere (a dialog, a text field): in raw mode they
        // arrive as keys, not as SIGINT and SIGTSTP.
        if key.modifiers.contains(KeyModifiers::CONTROL) {
            match key.code {
                KeyCode::Char('c') => return vec![Command::Quit],
                KeyCode::Char('z') => return self.update(Action::Suspend),
                _ => {}
            }
        }
        if let Some(commands) = self.on_drill_key(&key) {
            return commands;
        }
        if let Some(overlay) = self.overlay.take() {
            return self.on_overlay_key(overlay, key);
        }
        if self.filtering {
            return self.on_filter_key(key);
        }
        match self.setup.keymap.action_for(&key) {
            Some(action) => self.update(action),
            None => {
                self.refuse_withheld(&key);
                Vec::new()
            }
        }
    }

    /// Carry out one action from the key table.
    pub fn update(&mut self, action: Action) -> Vec<Command> {
        self.dirty = true;
        let page = self.layout().list_rows().max(1) as isize;
        match (action, self.focus) {
            (Action::Quit, _) => return self.quit(),
            (Action::Suspend, _) => return vec![Command::Suspend],
            (Action::MoveDown, Pane::Incidents) => return self.move_cursor(1),
            (Action::MoveUp, Pane::Incidents) => return self.move_cursor(-1),
            (Action::PageDown, Pane::Incidents) => return self.move_cursor(page),
            (Action::PageUp, Pane::Incidents) => return self.move_cursor(-page),
            (Action::Top, Pane::Incidents) => return self.set_cursor(0),
            (Action::Bottom, Pane::Incidents) => return self.set_cursor(usize::MAX),
            (Action::MoveDown, pane) => self.scroll_pane(pane, 1),
            (Action::MoveUp, pane) => self.scroll_pane(pane, -1),
            (Action::PageDown, pane) => self.scroll_pane(pane, page),
            (Action::PageUp, pane) => self.scroll_pane(pane, -page),
            (Action::Top, pane) => self.scroll_pane(pane, isize::MIN),
            (Action::Bottom, pane) => self.scroll_pane(pane, isize::MAX),
            (Action::FocusNext, _) => self.focus = self.focus.next(),
            (Action::FocusPrev, _) => self.focus = self.focus.prev(),
            (Action::Details, _) => return self.open_details(),
            (Action::Help, _) => self.overlay = Some(Overlay::Help { scroll: 0 }),
            (Action::Filter, _) => {
                self.filtering = true;
                self.focus = Pane::Incidents;
            }
            (Action::Refresh, _) => {
                self.say("refreshing every source…".into(), false);
                // Web playbooks are fetched again too.
                self.fetches.clear();
                let mut commands = vec![Command::Refresh];
                commands.extend(self.fetch_remote_playbook());
                // The charts too, cached or not.
                commands.extend(self.fetch_metrics());
                return commands;
            }
            (Action::Acknowledge, _) => self.ask(Verb::acknowledge()),
            (Action::Unacknowledge, _) => self.ask(Verb::Unacknowledge),
            (Action::Snooze, _) => self.ask(Verb::Snooze {
                seconds: SNOOZE_CHOICES[DEFAULT_SNOOZE],
            }),
            (Action::Resolve, _) => self.ask(Verb::Resolve),
            (Action::Escalate, _) => return self.open_escalation(),
            (Action::Note, _) => self.open_note(),
            (Action::NotActionable, _) => self.open_not_actionable(),
            (Action::Roster, _) => return self.open_roster(),
            (Action::Actions, _) => self.open_actions(),
            (Action::RetryAction | Action::DropAction, _) => {
                let open = self
                    .setup
                    .keymap
                    .binding(Action::Actions)
                    .map_or_else(|| "the actions list".into(), |b| b.keys_text());
                self.say(
                    format!("retry and drop work in the actions list: {open}"),
                    false,
                );
            }
            (Action::NextStep, _) => self.move_step(1),
            (Action::PrevStep, _) => self.move_step(-1),
            (Action::StepDone, _) => return self.check_step(true),
            (Action::StepUndo, _) => return self.check_step(false),
            (Action::CopyStep, _) => return self.copy_step(),
            (Action::Links, _) => self.open_links(),
            (Action::Outline, _) => self.open_outline(),
            (Action::PlaybookBack, _) => self.playbook_back(),
            (Action::WiderWindow, _) => return self.zoom_metrics(true),
            (Action::NarrowerWindow, _) => return self.zoom_metrics(false),
        }
        Vec::new()
    }

    /// Why the selected incident's source cannot do what `action` asks, if it cannot.
    pub fn action_refused(&self, action: Action) -> Option<String> {
        let verb = match action {
            Action::Acknowledge => Verb::acknowledge(),
            Action::Unacknowledge => Verb::Unacknowledge,
            Action::Snooze => Verb::Snooze { seconds: 0 },
            Action::Resolve => Verb::Resolve,
            Action::Escalate => self.escalation_plan(self.selected()?).verb(None),
            Action::Note => Verb::Note {
                text: String::new(),
            },
            _ => return None,
        };
        let incident = self.selected()?;
        self.capabilities_of(&incident.key.source)
            .allows(&verb)
            .err()
    }

    /// Open the confirm dialog for `verb` on the selected incident, unless pointless.
    pub(super) fn ask(&mut self, verb: Verb) {
        if self.setup.read_only {
            self.say(self.nothing_changes(), true);
            return;
        }
        let Some(incident) = self.selected() else {
            self.say("no incident selected".into(), true);
            return;
        };
        let key = incident.key.clone();
        if let Err(reason) = self.capabilities_of(&key.source).allows(&verb) {
            self.say(format!("cannot {}: {reason}", verb.describe()), true);
            return;
        }
        let already = verb.pointless_on(incident).or_else(|| {
            self.pending_op(&key)
                .map(|_| format!("{key} has an action on its way"))
        });
        if let Some(reason) = already {
            self.say(reason, false);
            return;
        }
        let title = crate::sanitize::line(&incident.title).into_owned();
        self.overlay = Some(Overlay::Confirm(Confirm { key, verb, title }));
    }

    fn on_overlay_key(&mut self, overlay: Overlay, key: KeyEvent) -> Vec<Command> {
        let action = self.setup.keymap.action_for(&key);
        match overlay {
            Overlay::Confirm(mut confirm) => match key.code {
                KeyCode::Char('y' | 'Y') | KeyCode::Enter => {
                    return self.submit(confirm.key, confirm.verb);
                }
                KeyCode::Char('n' | 'N' | 'q') | KeyCode::Esc => {}
                KeyCode::Left | KeyCode::Right | KeyCode::Char('-' | '+' | 'h' | 'l') => {
                    let longer = matches!(key.code, KeyCode::Right | KeyCode::Char('+' | 'l'));
                    if let Verb::Snooze { seconds } = &mut confirm.verb {
                        *seconds = next_snooze(*seconds, longer);
                    }
                    self.overlay = Some(Overlay::Confirm(confirm));
                }
                _ => self.overlay = Some(Overlay::Confirm(confirm)),
            },
            Overlay::Links { cursor, typed } => return self.on_links_key(cursor, typed, key),
            Overlay::Escalate(panel) => return self.on_escalate_key(panel, key),
            Overlay::Note {
                key: incident,
                text,
            } => return self.on_note_key(incident, text, key),
            Overlay::Outline { cursor } => self.on_outline_key(cursor, key),
            Overlay::Actions(list) => return self.on_actions_key(list, key),
            Overlay::NotActionable(prompt) => return self.on_reason_key(prompt, key),
            Overlay::Help { scroll } | Overlay::Details { scroll } | Overlay::Roster { scroll } => {
                let close = matches!(key.code, KeyCode::Esc | KeyCode::Enter | KeyCode::Char('q'))
                    || action == Some(Action::Help)
                    || (action == Some(Action::Roster)
                        && matches!(overlay, Overlay::Roster { .. }));
                if close {
                    return Vec::new();
                }
                let scroll = match action {
                    Some(Action::MoveDown) => scroll.saturating_add(1),
                    Some(Action::MoveUp) => scroll.saturating_sub(1),
                    Some(Action::PageDown) => scroll.saturating_add(10),
                    Some(Action::PageUp) => scroll.saturating_sub(10),
                    Some(Action::Top) => 0,
                    _ => scroll,
                };
                self.overlay = Some(match overlay {
                    Overlay::Help { .. } => Overlay::Help { scroll },
                    Overlay::Roster { .. } => Overlay::Roster { scroll },
                    _ => Overlay::Details { scroll },
                });
            }
        }
        Vec::new()
    }

    fn on_filter_key(&mut self, key: KeyEvent) -> Vec<Command> {
        match key.code {
            KeyCode::Esc => {
                self.filtering = false;
                self.filter.clear();
            }
            KeyCode::Enter => {
                self.filtering = false;
                return Vec::new();
            }
            KeyCode::Backspace => {
                self.filter.pop();
            }
            KeyCode::Char('u') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                self.filter.clear()
            }
            KeyCode::Down => return self.move_cursor(1),
            KeyCode::Up => return self.move_cursor(-1),
            KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                self.filter.push(c)
            }
            _ => return Vec::new(),
        }
        let keep = self.selected().map(|i| i.key.clone());
        self.refilter(keep.as_ref())
    }

    pub(super) fn on_mouse(&mut self, mouse: MouseEvent) -> Vec<Command> {
        if self.overlay.is_some() || self.filtering {
            return Vec::new();
        }
        let layout = self.layout();
        let (column, row) = (mouse.column, mouse.row);
        match mouse.kind {
            MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
                let delta = if mouse.kind == MouseEventKind::ScrollDown {
                    1
                } else {
                    -1
                };
                self.dirty = true;
                match layout.pane_at(column, row) {
                    Some(Pane::Incidents) => return self.move_cursor(delta),
                    Some(pane) => self.scroll_pane(pane, delta * 3),
                    None => self.dirty = false,
                }
            }
            MouseEventKind::Down(MouseButton::Left) => {
                if layout.mode == Mode::Narrow && layout.tabs.contains((column, row).into()) {
                    self.focus = tab_at(column, layout.tabs.width);
                    self.dirty = true;
                    return Vec::new();
                }
                let Some(pane) = layout.pane_at(column, row) else {
                    return Vec::new();
                };
                self.focus = pane;
                self.dirty = true;
                // Rows start under the top border and the header.
                let first_row = layout.incidents.y + 2;
                if pane == Pane::Incidents
                    && row >= first_row
                    && row < layout.incidents.bottom().saturating_sub(1)
                {
                    let position = self.list_offset + usize::from(row - first_row);
                    if position < self.visible.len() {
                        return self.set_cursor(position);
                    }
                }
            }
            _ => {}
        }
        Vec::new()
    }
}

/// How long a snooze can last, chosen with ←/→ in the confirm dialog.
pub const SNOOZE_CHOICES: [u64; 7] = [900, 1800, 3600, 7200, 14_400, 28_800, 86_400];
const DEFAULT_SNOOZE: usize = 2;

/// The next longer (or shorter) choice, staying within the list.
fn next_snooze(seconds: u64, longer: bool) -> u64 {
    let at = SNOOZE_CHOICES
        .iter()
        .position(|&s| s >= seconds)
        .unwrap_or(DEFAULT_SNOOZE);
    let at = match longer {
        true => (at + 1).min(SNOOZE_CHOICES.len() - 1),
        false => at.saturating_sub(1),
    };
    SNOOZE_CHOICES[at]
}

/// The tab bar splits its width in three equal parts.
fn tab_at(column: u16, width: u16) -> Pane {
    let third = (width / 3).max(1);
    Pane::ALL[usize::from((column / third).min(2))]
}

impl State {
    /// Put `verb` on record as pending and send it to the journal and outbox.
    pub(super) fn submit(&mut self, key: IncidentKey, verb: Verb) -> Vec<Command> {
        self.next_op += 1;
        let id = self.next_op;
        let incident = self.incidents.iter().find(|i| i.key == key);
        let assignee_then = incident.and_then(|i| i.assignee.clone());
        let facts = incident.map(|i| crate::journal::IncidentFacts::from(i.as_ref()));
        self.ops.insert(
            id,
            OpRecord {
                key: key.clone(),
                verb: verb.clone(),
                state: OpState::Pending,
                at: self.now,
                assignee_then: assignee_then.clone(),
            },
        );
        vec![Command::Submit(Op {
            id,
            key,
            verb,
            assignee_then,
            incident: facts,
        })]
    }
}
