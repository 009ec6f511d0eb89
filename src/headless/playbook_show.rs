//! `pagerdeck playbook show FILE|INCIDENT`: a playbook file, or the section the cockpit
//! would open for an incident, printed for a terminal or a pipe.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use chrono::Utc;
use color_eyre::eyre::Result;

use super::{fetch_incidents, quiet_on_closed_pipe};
use crate::context::Context;
use crate::incident::Incident;
use crate::markdown::{self, Line};
use crate::playbook::show::{self, Output};
use crate::playbook::{Playbook, no_match_hint};
use crate::sanitize;

/// The argument names nothing: like a usage error, exit status 2.
const NOT_FOUND: u8 = 2;

/// What the argument names.
#[derive(Debug, PartialEq, Eq)]
enum Target<'a> {
    File(&'a Path),
    /// `source/id`, `source:id` (as `incidents` prints keys) or a bare id.
    Incident {
        source: Option<&'a str>,
        id: &'a str,
    },
}

fn target(argument: &str) -> Target<'_> {
    let path = Path::new(argument);
    let markdown = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("md"));
    if path.exists() || markdown {
        return Target::File(path);
    }
    match argument.split_once(['/', ':']) {
        Some((source, id)) if !source.is_empty() && !id.is_empty() => Target::Incident {
            source: Some(source),
            id,
        },
        _ => Target::Incident {
            source: None,
            id: argument,
        },
    }
}

pub async fn show(
    context: &Context,
    argument: &str,
    plain: bool,
    width: Option<u16>,
) -> Result<ExitCode> {
    let terminal = std::io::stdout().is_terminal();
    let width = width.unwrap_or_else(|| {
        // A pseudo-terminal may report 0 columns: treat that as unknown.
        let columns = terminal.then(|| crossterm::terminal::size().ok()).flatten();
        columns
            .map(|(columns, _)| columns)
            .filter(|&columns| columns > 0)
            .unwrap_or(80)
    });
    let output = if plain || !terminal {
        Output::Plain
    } else {
        Output::Styled(&context.theme)
    };
    let (header, (lines, links)) = match target(argument) {
        Target::File(path) => match file_lines(path, width) {
            Ok(shown) => shown,
            Err(message) => {
                eprintln!("pagerdeck: {message}");
                return Ok(ExitCode::from(NOT_FOUND));
            }
        },
        Target::Incident { source, id } => {
            let (incidents, _) = fetch_incidents(context, Utc::now()).await?;
            let incident = match find_incident(&incidents, source, id, "no such file") {
                Ok(incident) => incident,
                Err(message) => {
                    eprintln!("pagerdeck: {}", sanitize::line(&message));
                    return Ok(ExitCode::from(NOT_FOUND));
                }
            };
            match incident_lines(context, incident, width) {
                Some(shown) => shown,
                None => {
                    eprintln!("pagerdeck: {}", sanitize::line(&no_match_hint(incident)));
                    return Ok(ExitCode::FAILURE);
                }
            }
        }
    };
    let mut out = std::io::stdout().lock();
    // Without links to point at, nothing is printed as a hyperlink.
    let hyperlinks =
        context.config.hyperlinks.unwrap_or(true) && crate::terminal::understands_hyperlinks();
    let shown = show::Shown {
        lines: &lines,
        links: if hyperlinks { &links } else { &[] },
    };
    quiet_on_closed_pipe(show::print(&mut out, &header, shown, width, output))?;
    Ok(ExitCode::SUCCESS)
}

/// Lines to print, and the links their spans point at.
type Shown = (Vec<Line>, Vec<markdown::LinkTarget>);

/// A file, whole, under a summary of its front matter.
fn file_lines(path: &Path, width: u16) -> Result<(String, Shown), String> {
    if path.is_dir() {
        return Err(format!(
            "{} is a folder: name a playbook file in it",
            path.display()
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let text = String::from_utf8_lossy(&bytes);
    let shown = path.display().to_string();
    let (playbook, problem) = Playbook::parse_lenient(&shown, &text);
    let summary = match problem {
        Some(problem) => {
            // Still worth printing: the text is there, only its metadata is not.
            eprintln!(
                "pagerdeck: warning: {}: {}",
                sanitize::line(&shown),
                sanitize::line(&problem)
            );
            "front matter unreadable, printed as text".to_string()
        }
        None => show::front_matter_summary(&playbook),
    };
    let header = format!("{shown} · {summary}");
    let rendered = markdown::render(&playbook.body, width);
    Ok((header, (rendered.lines, rendered.links)))
}

/// The one active incident `source/id` (or `id` in any source) names. When there is none,
/// the message says `also_not`: what else the argument was looked for as.
pub(crate) fn find_incident<'a>(
    incidents: &'a [Incident],
    source: Option<&str>,
    id: &str,
    also_not: &str,
) -> Result<&'a Incident, String> {
    let found: Vec<&Incident> = incidents
        .iter()
        .filter(|i| i.key.id == id && source.is_none_or(|s| i.key.source == s))
        .collect();
    let wanted = match source {
        Some(source) => format!("{source}/{id}"),
        None => id.to_string(),
    };
    match found[..] {
        [incident] => Ok(incident),
        [] => Err(format!(
            "no active incident {wanted} (and {also_not}): `pagerdeck incidents` lists them"
        )),
        _ => {
            let keys: Vec<String> = found
                .iter()
                .map(|i| format!("{}/{}", i.key.source, i.key.id))
                .collect();
            Err(format!(
                "{id} is in more than one source ({}): give SOURCE/ID",
                keys.join(", ")
            ))
        }
    }
}

/// The playbook section the cockpit would open, under which rule matched it; `None` when
/// no playbook matches.
fn incident_lines(context: &Context, incident: &Incident, width: u16) -> Option<(String, Shown)> {
    let (library, problems) = context.library();
    for problem in &problems {
        tracing::warn!(file = %problem.file.display(), "playbook: {}", problem.message);
    }
    let matched = library.find(incident)?;
    let path = &library.playbooks[matched.index].path;
    let rendered = library.document(matched.index).layout(width);
    let range = show::section(&rendered, matched.anchor.as_deref());
    let header = format!("{} in {path}", matched.rule);
    Some((header, (rendered.lines[range].to_vec(), rendered.links)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_argument_is_a_file_or_an_incident_key() {
        assert_eq!(
            target("demo/INC-1042"),
            Target::Incident {
                source: Some("demo"),
                id: "INC-1042"
            }
        );
        assert_eq!(
            target("demo:INC-1042"),
            Target::Incident {
                source: Some("demo"),
                id: "INC-1042"
            }
        );
        assert_eq!(
            target("INC-1042"),
            Target::Incident {
                source: None,
                id: "INC-1042"
            }
        );
        assert_eq!(
            target("missing/playbook.md"),
            Target::File(Path::new("missing/playbook.md"))
        );
        assert_eq!(target("Cargo.toml"), Target::File(Path::new("Cargo.toml")));
    }
}
