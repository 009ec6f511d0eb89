//! Subcommands: the same sources and code paths as the screen, printed for scripts.

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use chrono::Utc;
use color_eyre::eyre::{Result, bail};

use crate::config::{EXAMPLE, paths};
use crate::context::Context;
use crate::incident::{Incident, format_age};
use crate::sanitize;
use crate::sources;

pub mod metrics;
pub mod playbook_lint;
pub mod playbook_show;

/// Give up on a source after this long, so a script never hangs.
const HEADLESS_TIMEOUT: Duration = Duration::from_secs(30);

pub async fn incidents(context: &Context, json: bool) -> Result<ExitCode> {
    let now = Utc::now();
    let (all, failed) = fetch_incidents(context, now).await?;
    quiet_on_closed_pipe(print_incidents(&all, json, now))?;
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// The active incidents of every configured source (the demo without a config), most
/// severe and newest first. A source that fails or times out is reported on stderr, and
/// `true` says one did.
pub(crate) async fn fetch_incidents(
    context: &Context,
    now: chrono::DateTime<Utc>,
) -> Result<(Vec<Incident>, bool)> {
    let mut all: Vec<Incident> = Vec::new();
    let mut failed = false;
    for config in context.config.effective_sources() {
        let source =
            sources::build(&config, &context.me, now).map_err(color_eyre::eyre::Error::msg)?;
        let limit = config.timeout.min(HEADLESS_TIMEOUT);
        match tokio::time::timeout(limit, source.incidents()).await {
            Ok(Ok(incidents)) => all.extend(incidents),
            Ok(Err(error)) => {
                failed = true;
                eprintln!("pagerdeck: source {} failed: {error}", config.name);
            }
            Err(_) => {
                failed = true;
                eprintln!(
                    "pagerdeck: source {} timed out after {}s",
                    config.name,
                    limit.as_secs()
                );
            }
        }
    }
    all.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(b.opened_at.cmp(&a.opened_at))
    });
    Ok((all, failed))
}

/// A reader that stopped reading (`| head`) is not an error worth a report.
pub(crate) fn quiet_on_closed_pipe(result: std::io::Result<()>) -> std::io::Result<()> {
    match result {
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

fn print_incidents(
    all: &[Incident],
    json: bool,
    now: chrono::DateTime<Utc>,
) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut out, all)?;
        writeln!(out)?;
    } else {
        for incident in all {
            writeln!(
                out,
                "{:<16} {} {:<4} {:<12} {:>6} {:<14} {}",
                incident.key.to_string(),
                incident.severity.glyph(),
                incident.severity.word(),
                incident.status.name(),
                format_age((now - incident.opened_at).num_seconds()),
                sanitize::line(&incident.service),
                sanitize::line(&incident.title),
            )?;
        }
    }
    out.flush()
}

pub fn keys(context: &Context) -> ExitCode {
    for binding in &context.keymap.bindings {
        let danger = if binding.dangerous {
            "  (changes the source)"
        } else {
            ""
        };
        println!(
            "{:<14} {:<12} {}{danger}",
            binding.keys_text(),
            action_name(binding.action),
            binding.desc
        );
    }
    ExitCode::SUCCESS
}

fn action_name(action: crate::action::Action) -> String {
    serde_json::to_value(action)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

pub fn config_init(
    explicit: Option<&std::path::Path>,
    force: bool,
    stdout: bool,
) -> Result<ExitCode> {
    if stdout {
        print!("{EXAMPLE}");
        return Ok(ExitCode::SUCCESS);
    }
    let Some((path, _)) = paths::config_file(explicit) else {
        bail!("no config directory on this system: use --config FILE");
    };
    if path.exists() && !force {
        bail!(
            "{} already exists: use --force to overwrite it",
            path.display()
        );
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| color_eyre::eyre::eyre!("cannot create {}: {e}", dir.display()))?;
    }
    std::fs::write(&path, EXAMPLE)
        .map_err(|e| color_eyre::eyre::eyre!("cannot write {}: {e}", path.display()))?;
    println!("wrote {}", path.display());
    Ok(ExitCode::SUCCESS)
}

pub fn config_path(context: &Context, explicit: Option<&std::path::Path>) -> ExitCode {
    match (&context.config_file, paths::config_file(explicit)) {
        (Some(path), _) => println!("{}", path.display()),
        (None, Some((path, _))) => {
            println!("{} (not there: using the built-in demo)", path.display())
        }
        (None, None) => println!("no config directory on this system"),
    }
    ExitCode::SUCCESS
}
