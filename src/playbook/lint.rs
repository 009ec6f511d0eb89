//! `pagerdeck playbook lint`: what a team's CI checks in its playbook folder. Pure: it takes
//! what was loaded and returns problems; reading files and asking Prometheus is the
//! command's job (`headless/playbook_lint.rs`), so every check is testable here.

pub mod links;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::Playbook;
use crate::sanitize;
use links::{Outline, Target};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    fn word(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// What kind of problem, for scripts reading `--json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    BrokenLink,
    BrokenAnchor,
    FrontMatter,
    Unreadable,
    MissingFolder,
    NoSteps,
    ServiceWithoutPlaybook,
    AlertWithoutPlaybook,
    Prometheus,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// As the user should find it: relative to the current folder where possible.
    pub file: String,
    /// 1-based; `None` when the problem is the file as a whole.
    pub line: Option<usize>,
    pub severity: Severity,
    pub kind: Kind,
    pub message: String,
}

impl Problem {
    pub fn error(
        file: impl Into<String>,
        line: Option<usize>,
        kind: Kind,
        message: String,
    ) -> Self {
        Problem {
            file: file.into(),
            line,
            severity: Severity::Error,
            kind,
            message,
        }
    }
}

/// A `[services.NAME]` from the config, and where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfiguredService {
    pub name: String,
    pub team: Option<String>,
    pub line: Option<usize>,
}

/// An alerting rule a Prometheus server evaluates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertRule {
    pub name: String,
    /// The rules file on the server, as Prometheus reports it.
    pub file: String,
}

/// Everything the checks look at.
pub struct Inputs<'a> {
    /// `path` is what reports show; `file` is where the playbook is on disk.
    pub playbooks: &'a [Playbook],
    /// Does a linked file exist? (The command asks the disk; tests ask a list.)
    pub exists: &'a dyn Fn(&Path) -> bool,
    /// The config file as shown, and its services; `None` without a config file.
    pub services: Option<(String, Vec<ConfiguredService>)>,
    /// The alerting rules Prometheus knows; empty when it was not asked.
    pub alerts: &'a [AlertRule],
}

/// Every problem the checks find, in no particular order.
pub fn check(inputs: &Inputs<'_>) -> Vec<Problem> {
    let outlines: Vec<Outline> = inputs
        .playbooks
        .iter()
        .map(|p| links::outline(&p.body))
        .collect();
    let by_file: HashMap<PathBuf, usize> = inputs
        .playbooks
        .iter()
        .enumerate()
        .filter_map(|(i, p)| Some((links::normalize(p.file.as_deref()?), i)))
        .collect();
    let mut problems = Vec::new();
    for (index, playbook) in inputs.playbooks.iter().enumerate() {
        let linked = Linked {
            outlines: &outlines,
            by_file: &by_file,
        };
        check_links(
            playbook,
            &outlines[index],
            &linked,
            inputs.exists,
            &mut problems,
        );
        if !playbook.is_team_index()
            && crate::markdown::render(&playbook.body, 80)
                .steps(None)
                .is_empty()
        {
            problems.push(Problem {
                file: playbook.path.clone(),
                line: None,
                severity: Severity::Warning,
                kind: Kind::NoSteps,
                message: "no steps: no task-list item (`- [ ] …`) and no numbered list at the \
                          top level, so the cockpit has nothing to tick"
                    .into(),
            });
        }
    }
    if let Some((config_file, services)) = &inputs.services {
        check_services(inputs.playbooks, config_file, services, &mut problems);
    }
    check_alerts(inputs.playbooks, inputs.alerts, &mut problems);
    problems
}

/// The playbooks being linted, by file, for checking anchors in links between them.
struct Linked<'a> {
    outlines: &'a [Outline],
    by_file: &'a HashMap<PathBuf, usize>,
}

impl<'a> Linked<'a> {
    fn outline(&self, file: &Path) -> Option<&'a Outline> {
        self.by_file.get(file).map(|&i| &self.outlines[i])
    }
}

fn check_links(
    playbook: &Playbook,
    outline: &Outline,
    linked: &Linked<'_>,
    exists: &dyn Fn(&Path) -> bool,
    problems: &mut Vec<Problem>,
) {
    let folder = playbook.file.as_deref().and_then(Path::parent);
    for link in &outline.links {
        let line = Some(playbook.body_line + link.line);
        let shown = sanitize::line(&link.dest);
        let broken = |kind, message| Problem::error(playbook.path.clone(), line, kind, message);
        match links::target(&link.dest) {
            Target::Unchecked => {}
            Target::SameFile { anchor } if !outline.has_anchor(&anchor) => {
                problems.push(broken(
                    Kind::BrokenAnchor,
                    format!("broken anchor `{shown}`: no heading here has that anchor"),
                ));
            }
            Target::SameFile { .. } => {}
            Target::File { path, anchor } => {
                // A playbook read from nowhere (the demo's) has no folder to resolve from.
                let Some(folder) = folder else { continue };
                let resolved = links::normalize(&folder.join(&path));
                if !exists(&resolved) {
                    problems.push(broken(
                        Kind::BrokenLink,
                        format!("broken link `{shown}`: no such file"),
                    ));
                    continue;
                }
                // Anchors are checked in the playbooks being linted; a markdown file
                // outside them is not parsed (lint reads only the folders it was given).
                let target_outline = linked.outline(&resolved);
                if let (Some(anchor), Some(target)) = (anchor, target_outline)
                    && !target.has_anchor(&anchor)
                {
                    problems.push(broken(
                        Kind::BrokenAnchor,
                        format!(
                            "broken anchor `{shown}`: {} has no heading with that anchor",
                            sanitize::line(&path.to_string_lossy())
                        ),
                    ));
                }
            }
        }
    }
}

fn check_services(
    playbooks: &[Playbook],
    config_file: &str,
    services: &[ConfiguredService],
    problems: &mut Vec<Problem>,
) {
    for service in services {
        let named = playbooks.iter().any(|p| p.services.contains(&service.name));
        let team_index = service.team.as_ref().is_some_and(|team| {
            playbooks
                .iter()
                .any(|p| p.is_team_index() && p.team.as_ref() == Some(team))
        });
        if named || team_index {
            continue;
        }
        let team_hint = match &service.team {
            Some(team) => format!(", or give team {team} a README.md with `team = \"{team}\"`"),
            None => String::new(),
        };
        problems.push(Problem::error(
            config_file,
            service.line,
            Kind::ServiceWithoutPlaybook,
            format!(
                "service {} has no playbook: list it in a playbook's front matter \
                 (`services = [\"{}\"]`){team_hint}",
                service.name, service.name
            ),
        ));
    }
}

fn check_alerts(playbooks: &[Playbook], alerts: &[AlertRule], problems: &mut Vec<Problem>) {
    // One report per alert name, however many rules (or groups) define it.
    let mut reported = BTreeSet::new();
    for rule in alerts {
        let covered = playbooks.iter().any(|p| p.alerts.contains(&rule.name));
        if covered || !reported.insert(rule.name.as_str()) {
            continue;
        }
        let name = sanitize::line(&rule.name);
        problems.push(Problem::error(
            sanitize::line(&rule.file),
            None,
            Kind::AlertWithoutPlaybook,
            format!(
                "alert {name} (known to Prometheus) has no playbook: add it to a playbook's \
                 front matter (`alerts = [\"{name}\"]`)"
            ),
        ));
    }
}

/// A problem `load_dirs` reported: a folder that cannot be read, a file that cannot, or
/// front matter that does not parse.
pub fn load_problem(file: String, message: &str, is_folder: bool) -> Problem {
    let (kind, line) = if is_folder {
        (Kind::MissingFolder, None)
    } else if message.starts_with("front matter") {
        // The front matter starts the file; its parser's own line numbers count from there.
        (Kind::FrontMatter, Some(1))
    } else {
        (Kind::Unreadable, None)
    };
    Problem::error(file, line, kind, sanitize::line(message).into_owned())
}

/// The outcome: how many playbooks were read and what is wrong, sorted by file then line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub playbooks: usize,
    pub errors: usize,
    pub warnings: usize,
    pub problems: Vec<Problem>,
}

impl Report {
    pub fn new(playbooks: usize, mut problems: Vec<Problem>) -> Report {
        problems.sort_by(|a, b| {
            (&a.file, a.line, a.severity, &a.message)
                .cmp(&(&b.file, b.line, b.severity, &b.message))
        });
        let count = |severity| problems.iter().filter(|p| p.severity == severity).count();
        Report {
            playbooks,
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            problems,
        }
    }

    /// `path:line: error: message` per problem, then the counts.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for problem in &self.problems {
            let place = match problem.line {
                Some(line) => format!("{}:{line}", problem.file),
                None => problem.file.clone(),
            };
            out.push_str(&format!(
                "{}: {}: {}\n",
                sanitize::line(&place),
                problem.severity.word(),
                sanitize::line(&problem.message)
            ));
        }
        out.push_str(&format!(
            "lint: {}, {}, {}\n",
            plural(self.playbooks, "playbook"),
            plural(self.errors, "error"),
            plural(self.warnings, "warning")
        ));
        out
    }
}

fn plural(count: usize, word: &str) -> String {
    if count == 1 {
        format!("1 {word}")
    } else {
        format!("{count} {word}s")
    }
}

#[cfg(test)]
mod tests;
