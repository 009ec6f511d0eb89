//! Subcommands: the same sources and code paths as the screen, printed for scripts.

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use chrono::Utc;
use color_eyre::eyre::{Result, bail};

use crate::config::{EXAMPLE, SourceConfig, paths};
use crate::context::Context;
use crate::incident::{Incident, format_age};
use crate::sanitize;
use crate::sources::{self, Built};

pub mod escalate;
pub mod handoff;
pub mod json;
pub mod lookup;
pub mod metrics;
pub mod not_actionable;
pub mod oncall;
pub mod playbook_lint;
pub mod playbook_show;
pub mod report;
pub mod verbs;

/// A command gives up after this long in total (the poll, the write and its retries),
/// so a script never hangs.
pub(crate) const HEADLESS_TIMEOUT: Duration = Duration::from_secs(30);

/// When a command started now must have given up.
pub(crate) fn deadline() -> tokio::time::Instant {
    tokio::time::Instant::now() + HEADLESS_TIMEOUT
}

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
    let (polled, failed) = poll_sources(context, now, deadline()).await?;
    let mut all: Vec<Incident> = polled.into_iter().flat_map(|p| p.incidents).collect();
    all.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(b.opened_at.cmp(&a.opened_at))
    });
    Ok((all, failed))
}

/// One source built from config and asked once.
pub(crate) struct Polled {
    pub config: SourceConfig,
    pub source: Built,
    /// Empty when it failed (said on stderr).
    pub incidents: Vec<Incident>,
}

/// Every configured source (the demo without a config), built; a bad one stops here.
pub(crate) fn build_sources(
    context: &Context,
    now: chrono::DateTime<Utc>,
) -> Result<Vec<(SourceConfig, Built)>> {
    let mut built = Vec::new();
    for config in context.config.effective_sources() {
        let source = sources::build(&config, &context.config, &context.me, now)
            .map_err(color_eyre::eyre::Error::msg)?;
        built.push((config, source));
    }
    Ok(built)
}

/// Build every source and ask them all at once, each within its timeout and before
/// `deadline`. `true` when one failed; a degraded one is a warning.
pub(crate) async fn poll_sources(
    context: &Context,
    now: chrono::DateTime<Utc>,
    deadline: tokio::time::Instant,
) -> Result<(Vec<Polled>, bool)> {
    let built = build_sources(context, now)?;
    let left = deadline.saturating_duration_since(tokio::time::Instant::now());
    let answers = futures_util::future::join_all(built.iter().map(|(config, source)| {
        tokio::time::timeout(config.timeout.min(left), source.incidents())
    }))
    .await;
    let mut failed = false;
    let mut polled = Vec::new();
    for ((config, source), answer) in built.into_iter().zip(answers) {
        let name = sanitize::line(&config.name).into_owned();
        let incidents = match answer {
            Ok(Ok(incidents)) => incidents,
            Ok(Err(error)) => {
                failed = true;
                let error = sanitize::line(&error.to_string()).into_owned();
                eprintln!("pagerdeck: source {name} failed: {error}");
                Vec::new()
            }
            Err(_) => {
                failed = true;
                let limit = config.timeout.min(left).as_secs();
                eprintln!("pagerdeck: source {name} timed out after {limit}s");
                Vec::new()
            }
        };
        if let Some(reason) = source.degraded() {
            let reason = sanitize::line(&reason).into_owned();
            eprintln!("pagerdeck: warning: source {name} degraded: {reason}");
        }
        polled.push(Polled {
            config,
            source,
            incidents,
        });
    }
    Ok((polled, failed))
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
    // Buffered: stdout alone flushes every line, and 10,000 incidents are many lines.
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout().lock());
    if json {
        json::write_pretty(&mut out, all)?;
        writeln!(out)?;
    } else {
        for incident in all {
            writeln!(
                out,
                "{:<16} {} {:<4} {:<12} {:>6} {:<14} {}",
                sanitize::line(&incident.key.to_string()),
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
            sanitize::line(&binding.desc)
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
