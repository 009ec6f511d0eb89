//! Everything resolved at start-up, before the terminal is touched: config, theme, keys,
//! paths. A problem here is a clear message and an exit, never a half-drawn screen.

use std::path::{Path, PathBuf};

use crate::config::load::{ConfigError, load};
use crate::config::{Config, SourceKind, paths};
use crate::keymap::Keymap;
use crate::playbook::Library;
use crate::playbook::load::Problem;
use crate::theme::{self, Theme};

pub struct Context {
    pub config: Config,
    /// The file read, if there was one.
    pub config_file: Option<PathBuf>,
    pub theme: Theme,
    pub keymap: Keymap,
    pub data_dir: PathBuf,
    pub read_only: bool,
    /// Shadow mode: read-only, and the screen says so.
    pub shadow: bool,
    pub me: String,
}

pub struct Flags<'a> {
    pub config: Option<&'a Path>,
    pub theme: Option<&'a str>,
    pub read_only: bool,
}

impl Context {
    pub fn load(flags: &Flags<'_>) -> Result<Context, ConfigError> {
        let (config, config_file) = match paths::config_file(flags.config) {
            Some((path, required)) => match load(&path, required)? {
                Some(config) => (config, Some(path)),
                None => (Config::default(), None),
            },
            None => (Config::default(), None),
        };
        let user_dir = paths::config_dir(config_file.as_deref());
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let theme_name = theme::choose(flags.theme, config.theme.as_deref(), no_color);
        let theme = Theme::load(&theme_name, user_dir.as_deref())?;
        let keymap = Keymap::load(user_dir.map(|d| d.join("keymap.toml")).as_deref())?;
        let shadow = config.shadow;
        let read_only = flags.read_only || config.read_only || shadow;
        let keymap = if read_only {
            keymap.without_dangerous()
        } else {
            keymap
        };
        Ok(Context {
            data_dir: paths::data_dir(config.data_dir.as_deref()),
            me: config.my_name(),
            config,
            config_file,
            theme,
            keymap,
            read_only,
            shadow,
        })
    }

    /// `--shadow`: everything `--read-only` is, and said on screen.
    pub fn shadowed(mut self) -> Context {
        self.shadow = true;
        self.read_only = true;
        self.keymap = self.keymap.without_dangerous();
        self
    }

    /// The playbooks to match against, and what could not be read.
    pub fn library(&self) -> (Library, Vec<Problem>) {
        let config_dir = self.config_file.as_deref().and_then(Path::parent);
        let teams = self
            .config
            .services
            .iter()
            .filter_map(|(service, s)| Some((service.clone(), s.team.clone()?)))
            .collect();
        let with_demo = self
            .config
            .effective_sources()
            .iter()
            .any(|s| s.kind == SourceKind::Demo);
        Library::assemble(&self.config.playbook_dirs(config_dir), with_demo, teams)
    }

    /// The team's drill folders (`[drills] dirs`).
    pub fn drill_dirs(&self) -> Vec<PathBuf> {
        let config_dir = self.config_file.as_deref().and_then(Path::parent);
        self.config.drill_dirs(config_dir)
    }

    /// The playbook folders (`[playbooks] dirs`): a team's drill may name its real playbooks.
    pub fn playbook_dirs(&self) -> Vec<PathBuf> {
        let config_dir = self.config_file.as_deref().and_then(Path::parent);
        self.config.playbook_dirs(config_dir)
    }

    pub fn journal_path(&self) -> PathBuf {
        self.data_dir.join("journal.jsonl")
    }
}
