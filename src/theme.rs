//! Themes: TOML files of styles grouped by meaning, resolved into plain ratatui styles so
//! that no file under `ui/` names a colour.

use std::collections::BTreeMap;
use std::path::Path;
use std::str::FromStr;

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;

use crate::config::load::{ConfigError, parse_toml};
use crate::incident::{Severity, Status};

pub const BUILT_IN: &[(&str, &str)] = &[
    ("dark", include_str!("../themes/dark.toml")),
    ("light", include_str!("../themes/light.toml")),
    (
        "high-contrast",
        include_str!("../themes/high-contrast.toml"),
    ),
    ("mono", include_str!("../themes/mono.toml")),
];

macro_rules! roles {
    ($($variant:ident => $name:literal,)*) => {
        /// Every style a theme sets, by meaning.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Role { $($variant,)* }

        impl Role {
            pub const ALL: &[Role] = &[$(Role::$variant,)*];
            /// `section.key` in the theme file.
            pub fn name(self) -> &'static str {
                match self { $(Role::$variant => $name,)* }
            }
        }
    };
}

roles! {
    Base => "ui.base",
    Border => "ui.border",
    BorderFocused => "ui.border_focused",
    Title => "ui.title",
    Selected => "ui.selected",
    Dim => "ui.dim",
    Tab => "ui.tab",
    TabActive => "ui.tab_active",
    StatusBar => "ui.status_bar",
    Badge => "ui.badge",
    HintKey => "ui.hint_key",
    HintText => "ui.hint_text",
    Dialog => "ui.dialog",
    Danger => "ui.danger",
    Filter => "ui.filter",
    HealthLive => "ui.health_live",
    HealthStale => "ui.health_stale",
    HealthFailing => "ui.health_failing",
    Critical => "severity.critical",
    High => "severity.high",
    Warning => "severity.warning",
    Info => "severity.info",
    Triggered => "status.triggered",
    Acknowledged => "status.acknowledged",
    Resolved => "status.resolved",
    Pending => "status.pending",
    ChartLine => "chart.line",
    ChartAxis => "chart.axis",
    ChartFired => "chart.fired",
    ChartValue => "chart.value",
    Heading1 => "markdown.heading1",
    Heading2 => "markdown.heading2",
    Heading3 => "markdown.heading3",
    Emphasis => "markdown.emphasis",
    Strong => "markdown.strong",
    Code => "markdown.code",
    CodeBlock => "markdown.code_block",
    Link => "markdown.link",
    Quote => "markdown.quote",
    ListMarker => "markdown.list_marker",
    Rule => "markdown.rule",
    TaskDone => "markdown.task_done",
}

/// One style as written in a theme file: `{ fg = "red", bold = true }`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct StyleDef {
    pub fg: Option<String>,
    pub bg: Option<String>,
    #[serde(default)]
    pub bold: bool,
    #[serde(default)]
    pub dim: bool,
    #[serde(default)]
    pub italic: bool,
    #[serde(default)]
    pub underline: bool,
    #[serde(default)]
    pub reversed: bool,
    #[serde(default)]
    pub crossed_out: bool,
}

/// A theme file: sections of named styles; any subset may be given.
pub type ThemeFile = BTreeMap<String, BTreeMap<String, StyleDef>>;

#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    pub name: String,
    styles: Vec<Style>,
}

impl Theme {
    pub fn style(&self, role: Role) -> Style {
        self.styles[role as usize]
    }

    pub fn severity(&self, severity: Severity) -> Style {
        self.style(match severity {
            Severity::Critical => Role::Critical,
            Severity::High => Role::High,
            Severity::Warning => Role::Warning,
            Severity::Info => Role::Info,
        })
    }

    pub fn status(&self, status: Status) -> Style {
        self.style(match status {
            Status::Triggered => Role::Triggered,
            Status::Acknowledged => Role::Acknowledged,
            Status::Resolved => Role::Resolved,
        })
    }

    /// A built-in theme, with a same-named file in `user_dir/themes/` laid over it.
    pub fn load(name: &str, user_dir: Option<&Path>) -> Result<Theme, ConfigError> {
        let built_in = BUILT_IN
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, text)| *text);
        let user_path = user_dir.map(|dir| dir.join("themes").join(format!("{name}.toml")));
        let user_text = user_path
            .as_ref()
            .and_then(|p| std::fs::read_to_string(p).ok());
        let Some(base_text) = built_in.or(user_text.as_deref()) else {
            let names: Vec<_> = BUILT_IN.iter().map(|(n, _)| *n).collect();
            return Err(ConfigError {
                file: user_path.unwrap_or_else(|| format!("themes/{name}.toml").into()),
                line: None,
                key: Some("theme".into()),
                message: format!(
                    "no theme `{name}`: built-in themes are {}",
                    names.join(", ")
                ),
            });
        };
        let base_path = Path::new("themes").join(format!("{name}.toml"));
        let mut file: ThemeFile = parse_toml(base_text, &base_path)?;
        if let (Some(text), Some(path), Some(_)) = (&user_text, &user_path, built_in) {
            let user: ThemeFile = parse_toml(text, path)?;
            for (section, styles) in user {
                file.entry(section).or_default().extend(styles);
            }
        }
        let fallback = match name {
            "dark" => None,
            _ => Some(parse_toml::<ThemeFile>(
                BUILT_IN[0].1,
                Path::new("themes/dark.toml"),
            )?),
        };
        resolve(
            name,
            &file,
            fallback.as_ref(),
            user_path.as_deref().unwrap_or(&base_path),
        )
    }
}

fn resolve(
    name: &str,
    file: &ThemeFile,
    fallback: Option<&ThemeFile>,
    path: &Path,
) -> Result<Theme, ConfigError> {
    let error = |key: String, message: String| ConfigError {
        file: path.to_path_buf(),
        line: None,
        key: Some(key),
        message,
    };
    for (section, styles) in file {
        for key in styles.keys() {
            let full = format!("{section}.{key}");
            if !Role::ALL.iter().any(|r| r.name() == full) {
                return Err(error(full, "unknown style name".into()));
            }
        }
    }
    let lookup = |file: &ThemeFile, role: Role| {
        let (section, key) = role.name().split_once('.')?;
        file.get(section)?.get(key).cloned()
    };
    let styles = Role::ALL
        .iter()
        .map(|&role| {
            let def = lookup(file, role)
                .or_else(|| fallback.and_then(|f| lookup(f, role)))
                .unwrap_or_default();
            to_style(&def).map_err(|message| error(role.name().into(), message))
        })
        .collect::<Result<_, _>>()?;
    Ok(Theme {
        name: name.to_string(),
        styles,
    })
}

fn to_style(def: &StyleDef) -> Result<Style, String> {
    let color = |text: &Option<String>| -> Result<Option<Color>, String> {
        text.as_deref()
            .map(|t| {
                Color::from_str(t)
                    .map_err(|_| format!("`{t}` is not a colour (a name, #rrggbb or 0-255)"))
            })
            .transpose()
    };
    let mut style = Style::default();
    if let Some(fg) = color(&def.fg)? {
        style = style.fg(fg);
    }
    if let Some(bg) = color(&def.bg)? {
        style = style.bg(bg);
    }
    for (on, modifier) in [
        (def.bold, Modifier::BOLD),
        (def.dim, Modifier::DIM),
        (def.italic, Modifier::ITALIC),
        (def.underline, Modifier::UNDERLINED),
        (def.reversed, Modifier::REVERSED),
        (def.crossed_out, Modifier::CROSSED_OUT),
    ] {
        if on {
            style = style.add_modifier(modifier);
        }
    }
    Ok(style)
}

/// Which theme to use: `--theme`, else `NO_COLOR` picks mono, else config, else dark.
pub fn choose(flag: Option<&str>, config: Option<&str>, no_color: bool) -> String {
    match (flag, config) {
        (Some(name), _) => name.to_string(),
        _ if no_color => "mono".into(),
        (None, Some(name)) => name.to_string(),
        (None, None) => "dark".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_theme_sets_every_style() {
        for (name, text) in BUILT_IN {
            let file: ThemeFile = parse_toml(text, Path::new(name)).unwrap();
            for role in Role::ALL {
                let (section, key) = role.name().split_once('.').unwrap();
                assert!(
                    file.get(section).and_then(|s| s.get(key)).is_some(),
                    "theme {name} does not set {}",
                    role.name()
                );
            }
            Theme::load(name, None).unwrap();
        }
    }

    #[test]
    fn mono_uses_no_colour_at_all() {
        let mono = Theme::load("mono", None).unwrap();
        for role in Role::ALL {
            let style = mono.style(*role);
            assert!(
                style.fg.is_none() && style.bg.is_none(),
                "{} has a colour",
                role.name()
            );
        }
        assert_ne!(
            mono.severity(Severity::Critical),
            mono.severity(Severity::Info)
        );
    }

    #[test]
    fn a_user_theme_of_the_same_name_wins_key_by_key() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("themes")).unwrap();
        std::fs::write(
            dir.path().join("themes/dark.toml"),
            "[severity]\ncritical = { fg = \"#00ff00\" }\n",
        )
        .unwrap();
        let theme = Theme::load("dark", Some(dir.path())).unwrap();
        assert_eq!(
            theme.severity(Severity::Critical).fg,
            Some(Color::Rgb(0, 255, 0))
        );
        let stock = Theme::load("dark", None).unwrap();
        assert_eq!(
            theme.severity(Severity::High),
            stock.severity(Severity::High)
        );
    }

    #[test]
    fn bad_themes_are_named_errors() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("themes")).unwrap();
        std::fs::write(
            dir.path().join("themes/dark.toml"),
            "[ui]\nbase = { fg = \"blurple\" }\n",
        )
        .unwrap();
        let error = Theme::load("dark", Some(dir.path())).unwrap_err();
        assert!(error.to_string().contains("blurple"), "{error}");
        std::fs::write(
            dir.path().join("themes/dark.toml"),
            "[ui]\nbsae = { fg = \"red\" }\n",
        )
        .unwrap();
        assert_eq!(
            Theme::load("dark", Some(dir.path()))
                .unwrap_err()
                .key
                .as_deref(),
            Some("ui.bsae")
        );
        assert!(Theme::load("nope", None).is_err());
    }

    #[test]
    fn no_color_picks_mono_unless_a_theme_is_asked_for() {
        assert_eq!(choose(None, Some("light"), true), "mono");
        assert_eq!(choose(Some("light"), None, true), "light");
        assert_eq!(choose(None, Some("light"), false), "light");
        assert_eq!(choose(None, None, false), "dark");
    }
}
