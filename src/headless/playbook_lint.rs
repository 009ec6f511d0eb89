//! `pagerdeck playbook lint [DIR...]`: the I/O around `playbook::lint` (reading the folders
//! and the config, asking Prometheus for its alert rules) and the report it prints.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use color_eyre::eyre::Result;

use super::quiet_on_closed_pipe;
use crate::context::Context;
use crate::playbook::lint::{self, ConfiguredService, Inputs, Kind, Problem, Report};
use crate::playbook::{alert_rules, load};

/// The command was given nothing to check: like a usage error.
const NOTHING_TO_CHECK: u8 = 2;

pub async fn lint(
    context: &Context,
    dirs: &[PathBuf],
    json: bool,
    prometheus: Option<&str>,
) -> Result<ExitCode> {
    let config_dir = context.config_file.as_deref().and_then(Path::parent);
    let dirs = if dirs.is_empty() {
        context.config.playbook_dirs(config_dir)
    } else {
        dirs.to_vec()
    };
    if dirs.is_empty() {
        eprintln!(
            "pagerdeck: no playbook folders to lint: name them (pagerdeck playbook lint DIR) \
             or set [playbooks] dirs in the config"
        );
        return Ok(ExitCode::from(NOTHING_TO_CHECK));
    }
    let cwd = std::env::current_dir().ok();
    let shown = |file: &Path| shown_path(file, cwd.as_deref());

    let (mut playbooks, load_problems) = load::load_dirs(&dirs);
    let mut problems: Vec<Problem> = load_problems
        .iter()
        .map(|p| lint::load_problem(shown(&p.file), &p.message, dirs.contains(&p.file)))
        .collect();
    for playbook in &mut playbooks {
        if let Some(file) = &playbook.file {
            playbook.path = shown(file);
        }
    }

    let services = context
        .config_file
        .as_deref()
        .map(|file| (shown(file), configured_services(context, file)));

    let url = prometheus.or(context.config.metrics.as_ref().map(|m| m.url.as_str()));
    let mut alerts = Vec::new();
    if let Some(url) = url {
        match alert_rules::fetch(url).await {
            Ok(rules) => alerts = rules,
            Err(message) => problems.push(Problem::error(url, None, Kind::Prometheus, message)),
        }
    }

    let exists = |path: &Path| path.exists();
    problems.extend(lint::check(&Inputs {
        playbooks: &playbooks,
        exists: &exists,
        services,
        alerts: &alerts,
    }));
    let report = Report::new(playbooks.len(), problems);
    quiet_on_closed_pipe(print(&report, json))?;
    Ok(if report.errors > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn print(report: &Report, json: bool) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    if json {
        super::json::write_pretty(&mut out, report)?;
        writeln!(out)?;
    } else {
        write!(out, "{}", report.text())?;
    }
    out.flush()
}

/// Relative to the current folder when the file is under it (what a CI log or an editor
/// can open), else as it is.
fn shown_path(file: &Path, cwd: Option<&Path>) -> String {
    let relative = cwd
        .filter(|_| file.is_absolute())
        .and_then(|cwd| file.strip_prefix(cwd).ok())
        .unwrap_or(file);
    lint::links::normalize(relative).display().to_string()
}

/// The config's `[services.NAME]` tables, with the line each is written on.
fn configured_services(context: &Context, file: &Path) -> Vec<ConfiguredService> {
    // The config was read a moment ago; if it cannot be read again, only the lines are lost.
    let text = std::fs::read_to_string(file).unwrap_or_default();
    context
        .config
        .services
        .iter()
        .map(|(name, service)| ConfiguredService {
            name: name.clone(),
            team: service.team.clone(),
            line: table_line(&text, name),
        })
        .collect()
}

/// The line of `[services.NAME]` (or `[services."NAME"]`), 1-based.
fn table_line(text: &str, name: &str) -> Option<usize> {
    let bare = format!("[services.{name}]");
    let quoted = format!("[services.\"{name}\"]");
    text.lines()
        .position(|line| {
            let line = line.split('#').next().unwrap_or("").replace(' ', "");
            line == bare || line == quoted
        })
        .map(|index| index + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_paths_are_relative_to_the_current_folder_when_under_it() {
        let cwd = Path::new("/repo");
        assert_eq!(shown_path(Path::new("/repo/pb/a.md"), Some(cwd)), "pb/a.md");
        assert_eq!(shown_path(Path::new("./pb/a.md"), Some(cwd)), "pb/a.md");
        assert_eq!(
            shown_path(Path::new("/elsewhere/a.md"), Some(cwd)),
            "/elsewhere/a.md"
        );
    }

    #[test]
    fn a_services_table_is_found_bare_or_quoted() {
        let text =
            "theme = \"dark\"\n\n[services.api]\nteam = \"x\"\n[ services.\"web-ui\" ] # ours\n";
        assert_eq!(table_line(text, "api"), Some(3));
        assert_eq!(table_line(text, "web-ui"), Some(5));
        assert_eq!(table_line(text, "missing"), None);
    }
}
