//! The key table: which key asks for which `Action`, described for the help overlay and
//! flagged when dangerous. Defaults in `assets/keymap.toml`, overridable by the user.

use std::fmt;
use std::path::Path;
use std::str::FromStr;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::Deserialize;

use crate::action::Action;
use crate::config::load::{ConfigError, parse_toml};

pub const DEFAULT_KEYMAP: &str = include_str!("../assets/keymap.toml");

/// One key with its modifiers, as written in keymap.toml ("ctrl-c", "G", "backtab").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyPress {
    pub code: KeyCode,
    pub ctrl: bool,
    pub alt: bool,
}

impl KeyPress {
    pub fn matches(&self, event: &KeyEvent) -> bool {
        let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        let alt = event.modifiers.contains(KeyModifiers::ALT);
        // Shift is already in the character ("G") or the code (BackTab).
        self.code == event.code && self.ctrl == ctrl && self.alt == alt
    }
}

const NAMED: &[(&str, KeyCode, &str)] = &[
    ("up", KeyCode::Up, "↑"),
    ("down", KeyCode::Down, "↓"),
    ("left", KeyCode::Left, "←"),
    ("right", KeyCode::Right, "→"),
    ("pageup", KeyCode::PageUp, "PgUp"),
    ("pagedown", KeyCode::PageDown, "PgDn"),
    ("home", KeyCode::Home, "Home"),
    ("end", KeyCode::End, "End"),
    ("tab", KeyCode::Tab, "Tab"),
    ("backtab", KeyCode::BackTab, "S-Tab"),
    ("enter", KeyCode::Enter, "Enter"),
    ("esc", KeyCode::Esc, "Esc"),
    ("backspace", KeyCode::Backspace, "BkSp"),
    ("space", KeyCode::Char(' '), "Space"),
];

impl FromStr for KeyPress {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let mut key = KeyPress {
            code: KeyCode::Null,
            ctrl: false,
            alt: false,
        };
        let mut rest = text;
        loop {
            if let Some(r) = rest.strip_prefix("ctrl-") {
                key.ctrl = true;
                rest = r;
            } else if let Some(r) = rest.strip_prefix("alt-") {
                key.alt = true;
                rest = r;
            } else {
                break;
            }
        }
        let mut chars = rest.chars();
        key.code = match (chars.next(), chars.next()) {
            (Some(c), None) => KeyCode::Char(c),
            _ => NAMED
                .iter()
                .find(|(name, _, _)| name.eq_ignore_ascii_case(rest))
                .map(|(_, code, _)| *code)
                .ok_or_else(|| {
                    format!(
                        "`{text}` is not a key (a character, or one of: {})",
                        names()
                    )
                })?,
        };
        Ok(key)
    }
}

fn names() -> String {
    NAMED
        .iter()
        .map(|(n, _, _)| *n)
        .collect::<Vec<_>>()
        .join(" ")
}

impl fmt::Display for KeyPress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            write!(f, "C-")?;
        }
        if self.alt {
            write!(f, "M-")?;
        }
        match NAMED.iter().find(|(_, code, _)| *code == self.code) {
            Some((_, _, shown)) => write!(f, "{shown}"),
            None => match self.code {
                KeyCode::Char(c) => write!(f, "{c}"),
                other => write!(f, "{other:?}"),
            },
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct BindingDef {
    keys: Vec<String>,
    action: Action,
    desc: String,
    #[serde(default)]
    dangerous: bool,
    #[serde(default)]
    hint: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct KeymapFile {
    bind: Vec<BindingDef>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub keys: Vec<KeyPress>,
    pub action: Action,
    pub desc: String,
    pub dangerous: bool,
    /// A short label for the hints bar, when it is shown there.
    pub hint: Option<String>,
}

impl Binding {
    /// "j/↓" for the help and hints.
    pub fn keys_text(&self) -> String {
        self.keys
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("/")
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    pub bindings: Vec<Binding>,
    /// The dangerous bindings taken out (`--read-only`, `--shadow`): their keys are said
    /// to be off, rather than unknown.
    pub withheld: Vec<Binding>,
}

impl Keymap {
    /// The defaults, with `user_file` (if it exists) laid over them.
    pub fn load(user_file: Option<&Path>) -> Result<Keymap, ConfigError> {
        let mut keymap = parse(DEFAULT_KEYMAP, Path::new("assets/keymap.toml"))?;
        if let Some(path) = user_file
            && let Ok(text) = std::fs::read_to_string(path)
        {
            keymap.overlay(parse(&text, path)?);
        }
        Ok(keymap)
    }

    pub fn defaults() -> Keymap {
        // Checked by a test: the embedded table always parses.
        parse(DEFAULT_KEYMAP, Path::new("assets/keymap.toml")).unwrap_or(Keymap {
            bindings: Vec::new(),
            withheld: Vec::new(),
        })
    }

    fn overlay(&mut self, user: Keymap) {
        for binding in user.bindings {
            self.bindings.retain(|b| b.action != binding.action);
            for other in &mut self.bindings {
                other.keys.retain(|k| !binding.keys.contains(k));
            }
            self.bindings.push(binding);
        }
        self.bindings.retain(|b| !b.keys.is_empty());
    }

    /// The same table with every dangerous binding gone (`--read-only`).
    pub fn without_dangerous(mut self) -> Keymap {
        let (dangerous, safe) = self.bindings.into_iter().partition(|b| b.dangerous);
        self.bindings = safe;
        self.withheld.extend(dangerous);
        self
    }

    /// The binding taken out that `event` would have pressed, if any.
    pub fn withheld_for(&self, event: &KeyEvent) -> Option<&Binding> {
        self.withheld
            .iter()
            .find(|b| b.keys.iter().any(|k| k.matches(event)))
    }

    pub fn action_for(&self, event: &KeyEvent) -> Option<Action> {
        self.bindings
            .iter()
            .find(|b| b.keys.iter().any(|k| k.matches(event)))
            .map(|b| b.action)
    }

    pub fn binding(&self, action: Action) -> Option<&Binding> {
        self.bindings.iter().find(|b| b.action == action)
    }
}

fn parse(text: &str, path: &Path) -> Result<Keymap, ConfigError> {
    let file: KeymapFile = parse_toml(text, path)?;
    let bindings = file
        .bind
        .into_iter()
        .enumerate()
        .map(|(index, def)| {
            let keys = def
                .keys
                .iter()
                .map(|k| k.parse::<KeyPress>())
                .collect::<Result<Vec<_>, _>>()
                .map_err(|message| ConfigError {
                    file: path.to_path_buf(),
                    line: None,
                    key: Some(format!("bind[{index}].keys")),
                    message,
                })?;
            Ok(Binding {
                keys,
                action: def.action,
                desc: def.desc,
                dangerous: def.dangerous,
                hint: def.hint,
            })
        })
        .collect::<Result<_, ConfigError>>()?;
    Ok(Keymap {
        bindings,
        withheld: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn the_default_table_binds_the_documented_keys() {
        let keymap = Keymap::load(None).unwrap();
        let cases = [
            (
                key(KeyCode::Char('j'), KeyModifiers::NONE),
                Action::MoveDown,
            ),
            (key(KeyCode::Down, KeyModifiers::NONE), Action::MoveDown),
            (key(KeyCode::Char('G'), KeyModifiers::SHIFT), Action::Bottom),
            (
                key(KeyCode::BackTab, KeyModifiers::SHIFT),
                Action::FocusPrev,
            ),
            (key(KeyCode::Char('c'), KeyModifiers::CONTROL), Action::Quit),
            (
                key(KeyCode::Char('z'), KeyModifiers::CONTROL),
                Action::Suspend,
            ),
            (
                key(KeyCode::Char('a'), KeyModifiers::NONE),
                Action::Acknowledge,
            ),
            (key(KeyCode::Char('?'), KeyModifiers::NONE), Action::Help),
        ];
        for (event, action) in cases {
            assert_eq!(keymap.action_for(&event), Some(action), "{event:?}");
        }
        assert_eq!(
            keymap.action_for(&key(KeyCode::Char('c'), KeyModifiers::NONE)),
            None
        );
        assert_eq!(keymap.binding(Action::MoveDown).unwrap().keys_text(), "j/↓");
    }

    #[test]
    fn read_only_drops_every_dangerous_binding() {
        let keymap = Keymap::load(None).unwrap().without_dangerous();
        assert!(keymap.bindings.iter().all(|b| !b.dangerous));
        assert_eq!(
            keymap.action_for(&key(KeyCode::Char('a'), KeyModifiers::NONE)),
            None
        );
        assert_eq!(
            keymap.action_for(&key(KeyCode::Char('e'), KeyModifiers::NONE)),
            None
        );
    }

    #[test]
    fn a_user_keymap_rebinds_and_steals_keys() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keymap.toml");
        std::fs::write(&path, "[[bind]]\nkeys = [\"x\", \"j\"]\naction = \"acknowledge\"\ndesc = \"ack\"\ndangerous = true\n").unwrap();
        let keymap = Keymap::load(Some(&path)).unwrap();
        assert_eq!(
            keymap.action_for(&key(KeyCode::Char('x'), KeyModifiers::NONE)),
            Some(Action::Acknowledge)
        );
        assert_eq!(
            keymap.action_for(&key(KeyCode::Char('a'), KeyModifiers::NONE)),
            None
        );
        assert_eq!(
            keymap.action_for(&key(KeyCode::Char('j'), KeyModifiers::NONE)),
            Some(Action::Acknowledge)
        );
        assert_eq!(
            keymap.action_for(&key(KeyCode::Down, KeyModifiers::NONE)),
            Some(Action::MoveDown)
        );
    }

    #[test]
    fn bad_user_keymaps_are_named_errors() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keymap.toml");
        std::fs::write(
            &path,
            "[[bind]]\nkeys = [\"ctrl-frob\"]\naction = \"quit\"\ndesc = \"q\"\n",
        )
        .unwrap();
        let error = Keymap::load(Some(&path)).unwrap_err();
        assert_eq!(error.key.as_deref(), Some("bind[0].keys"));
        std::fs::write(
            &path,
            "[[bind]]\nkeys = [\"z\"]\naction = \"explode\"\ndesc = \"q\"\n",
        )
        .unwrap();
        let error = Keymap::load(Some(&path)).unwrap_err();
        assert_eq!(error.key.as_deref(), Some("bind[0].action"));
        assert_eq!(error.line, Some(3));
    }
}
