//! `pagerdeck drill --list`: one scenario per line, its name first, then what it is and
//! how it went before, aligned in columns.

use std::path::{Path, PathBuf};

use super::results;
use crate::sanitize;

/// (stdout, warnings for stderr): the bundled scenarios, then the team's from `dirs`.
pub fn list(dirs: &[PathBuf], data_dir: &Path) -> (String, Vec<String>) {
    list_with(dirs, &[], data_dir)
}

/// As `list`, with the `[playbooks] dirs` a team's scenario may name.
pub fn list_with(
    dirs: &[PathBuf],
    playbook_dirs: &[PathBuf],
    data_dir: &Path,
) -> (String, Vec<String>) {
    let loaded = super::scenario::load(dirs, playbook_dirs);
    let mut warnings = loaded.warnings;
    let runs = match results::history(data_dir) {
        Ok((runs, warning)) => {
            warnings.extend(warning);
            runs
        }
        Err(why) => {
            warnings.push(why);
            Vec::new()
        }
    };
    let rows: Vec<[String; 3]> = loaded
        .scenarios
        .iter()
        .map(|scenario| {
            let mut about = sanitize::line(&scenario.description).into_owned();
            if let Some(file) = &scenario.file {
                let replaces = if scenario.replaces_bundled {
                    ", replaces the bundled one"
                } else {
                    ""
                };
                about.push_str(&format!(
                    " [team: {}{replaces}]",
                    sanitize::line(&file.display().to_string())
                ));
            }
            let done =
                results::summary(&runs, &scenario.name).unwrap_or_else(|| "not done yet".into());
            [
                sanitize::line(&scenario.name).into_owned(),
                sanitize::line(&scenario.kind).into_owned(),
                format!("{about} ({done})"),
            ]
        })
        .collect();
    let width = |column: usize| {
        rows.iter()
            .map(|row| unicode_width::UnicodeWidthStr::width(row[column].as_str()))
            .max()
            .unwrap_or(0)
    };
    let (name_width, kind_width) = (width(0), width(1));
    let mut out = String::new();
    for [name, kind, about] in &rows {
        let pad = |text: &str, width: usize| {
            let shown = unicode_width::UnicodeWidthStr::width(text);
            format!("{text}{}", " ".repeat(width.saturating_sub(shown)))
        };
        out.push_str(&format!(
            "{}  {}  {about}\n",
            pad(name, name_width),
            pad(kind, kind_width)
        ));
    }
    (out, warnings)
}
