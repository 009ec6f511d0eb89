//! The command line. Global options work before or after a subcommand.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::providers::{Responder, ResponderKind};

#[derive(Debug, Parser)]
#[command(
    name = "pagerdeck",
    version,
    about = "A terminal cockpit for the engineer who gets paged",
    long_about = "A terminal cockpit for the engineer who gets paged: the active incidents, the \
                  service's metrics and the owning team's playbook on one screen.\n\n\
                  With no subcommand it opens the cockpit; with no config file, on the built-in demo."
)]
pub struct Cli {
    /// Config file to read (default: the platform's config dir; also PAGERDECK_CONFIG)
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Colour theme: dark, light, high-contrast, mono, or a file in <config dir>/themes/
    #[arg(long, global = true, value_name = "NAME")]
    pub theme: Option<String>,

    /// Change nothing anywhere: every action that writes to a source is off
    #[arg(long, global = true)]
    pub read_only: bool,

    /// Follow the live queue read-only, with a banner saying so: for a newcomer watching
    /// the real rotation (everything --read-only is)
    #[arg(long, global = true)]
    pub shadow: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the active incidents of every source
    Incidents {
        /// Print a JSON array instead of a table
        #[arg(long)]
        json: bool,
    },
    /// Acknowledge an incident (Alertmanager: a silence for `ack_duration`)
    ///
    /// INCIDENT is its key (prod:HighErrorRate/checkout-api), SOURCE/ID, or the ID alone.
    /// Written to the journal, then sent; exit status 1 when the source says no, 2 when
    /// there is no such incident.
    Ack {
        #[arg(value_name = "INCIDENT")]
        target: String,
        /// Say why or what you are doing (Alertmanager: the silence's comment)
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
    },
    /// Take an acknowledgement (or a snooze) back: the incident pages again
    Unack {
        #[arg(value_name = "INCIDENT")]
        target: String,
    },
    /// Quiet an incident for DURATION (e.g. 30m, 2h); it comes back by itself
    Snooze {
        #[arg(value_name = "INCIDENT")]
        target: String,
        #[arg(value_name = "DURATION", value_parser = parse_snooze)]
        duration: std::time::Duration,
    },
    /// Resolve an incident (not possible on Alertmanager: it says why)
    Resolve {
        #[arg(value_name = "INCIDENT")]
        target: String,
    },
    /// Write a note on an incident, at its source (PagerDuty, Opsgenie, the demo)
    ///
    /// The words after INCIDENT are the note. Journaled first, then sent; exit status 1
    /// when the source says no, 2 when there is no such incident.
    Note {
        #[arg(value_name = "INCIDENT")]
        target: String,
        #[arg(value_name = "TEXT", required = true, num_args = 1.., trailing_var_arg = true)]
        text: Vec<String>,
    },
    /// Mark an incident's page "not actionable" (noise), with the reason: what `!` does
    ///
    /// The words after INCIDENT are the reason. Kept in the actions journal only (the
    /// hand-off and the hygiene report read it), never sent to the source. Exit status 2
    /// when there is no such incident.
    NotActionable {
        /// Print the journaled record as JSON
        #[arg(long)]
        json: bool,
        /// SOURCE:ID, SOURCE/ID, or the ID alone when one source has it
        #[arg(value_name = "INCIDENT")]
        target: String,
        /// Why it is noise, in a few words ("flaps every night, threshold fix pending")
        #[arg(value_name = "REASON", required = true, num_args = 1.., trailing_var_arg = true)]
        reason: Vec<String>,
    },
    /// Print the end-of-shift hand-off in markdown: open incidents with their playbook
    /// progress and notes, silences and snoozes ending soon, escalations, failed actions
    ///
    /// A source that does not answer is said at the top: its incidents are missing. Exit
    /// status 1 when one did not answer (the hand-off is still printed).
    Handoff {
        /// How far back the shift goes (e.g. 8h, 12h, 1d)
        #[arg(long, value_name = "DURATION", default_value = "12h", value_parser = crate::handoff::parse_span)]
        since: std::time::Duration,
        /// Write it to FILE (replaced whole) instead of stdout
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Escalate an incident to level two ([escalation] name) with a hand-over
    ///
    /// The hand-over is composed as `e` does in the cockpit (the incident, its service's
    /// signals, the playbook steps done and not, the notes, who escalates), printed, and
    /// sent once you say yes. Exit status 1 when not sent or the source says no.
    Escalate {
        #[arg(value_name = "INCIDENT")]
        target: String,
        /// Send this instead of the composed hand-over
        #[arg(long, value_name = "TEXT")]
        message: Option<String>,
        /// Send without asking (scripts; needed when there is no terminal)
        #[arg(long)]
        yes: bool,
    },
    /// Give an incident to someone else (PagerDuty: a user id; Opsgenie: a user name)
    Reassign {
        #[arg(value_name = "INCIDENT")]
        target: String,
        #[arg(value_name = "WHO")]
        to: String,
    },
    /// Ask someone else to join an incident: user:ID, team:NAME, escalation:ID (a
    /// PagerDuty escalation policy, an Opsgenie escalation) or schedule:NAME (Opsgenie)
    Responder {
        #[arg(value_name = "INCIDENT")]
        target: String,
        #[arg(value_name = "KIND:ID", value_parser = parse_responder)]
        to: Responder,
        /// What they are asked (default: "Please join <incident>", with its title)
        #[arg(long, value_name = "TEXT")]
        message: Option<String>,
    },
    /// Print who is on call now, by escalation level, from every source that knows
    ///
    /// Exit status 1 when a source fails, or when no configured source knows.
    Oncall {
        /// Print [{"source", "rota", "level", "who", "until"}, …]
        #[arg(long)]
        json: bool,
    },
    /// Print what the metrics pane charts for an incident or a service
    ///
    /// Each signal's name, current value, trend, and min/max over the window (around the
    /// incident's firing; a service's last hour). Exit status 1 when the metrics server
    /// fails or a query does, 2 when the incident or service does not exist.
    Metrics {
        /// An incident (SOURCE/ID, SOURCE:ID or just the ID) or a service from [services]
        #[arg(value_name = "INCIDENT|SERVICE")]
        target: String,
        /// Print [{"name", "query", "unit", "current", "points": [[t, v], …]}, …]
        #[arg(long)]
        json: bool,
    },
    /// Practise a night on call: the cockpit on a drill scenario, then a debrief
    ///
    /// Incidents arrive on the scenario's timeline and metrics follow its shapes, on a
    /// simulated clock; nothing talks to a real source. The drill ends when its time is
    /// up, when every incident is handled, or on q; the debrief scores the response and
    /// is saved with earlier drills. SCENARIO is a name from `drill --list` or a path to
    /// a scenario file; without it, the next drill not yet done.
    Drill {
        #[arg(value_name = "SCENARIO")]
        scenario: Option<String>,
        /// Simulated seconds per real second (default 10; 0.5 is half speed)
        #[arg(long, value_name = "N", value_parser = crate::clock::parse_speed)]
        speed: Option<f64>,
        /// Print the debrief as JSON on stdout once the drill is over
        #[arg(long)]
        json: bool,
        /// Print the drills, one a line: its name, then what it is about
        #[arg(long, conflicts_with_all = ["scenario", "speed", "json"])]
        list: bool,
    },
    /// The alert-hygiene report for the team's retro, as markdown (or JSON)
    ///
    /// Pages per alert and per service, time to acknowledge and to resolve (median and
    /// p90), escalation rate, pages marked not actionable, alerts with no playbook,
    /// silences, the noisiest hours: from the journal and what each source can tell of
    /// its history. Exit status 1 when a source failed (the report is made of the rest).
    Report {
        /// How far back: 14d, 36h, 4w (at most 180d)
        #[arg(long, value_name = "DURATION", default_value = "14d", value_parser = parse_since)]
        since: std::time::Duration,
        /// md (markdown with text charts) or json (the same numbers; durations in seconds)
        #[arg(long, value_enum, default_value_t = ReportFormat::Md)]
        format: ReportFormat,
    },
    /// Print the key bindings in effect
    Keys,
    /// Work with the config file
    Config {
        #[command(subcommand)]
        action: ConfigCommand,
    },
    /// Print a playbook, or check a folder of them
    Playbook {
        #[command(subcommand)]
        action: PlaybookCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum PlaybookCommand {
    /// Print a playbook file, or the playbook section an incident is matched to
    ///
    /// Styled on a terminal, plain text in a pipe. Exit status 1 when the incident has no
    /// playbook, 2 when the file or incident does not exist.
    Show {
        /// A markdown file, or an incident: SOURCE/ID (demo/INC-1042) or just the ID
        #[arg(value_name = "FILE|INCIDENT")]
        target: String,
        /// Plain text, no styles, even on a terminal
        #[arg(long)]
        plain: bool,
        /// Wrap to this many columns (default: the terminal's width, or 80 in a pipe)
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(20..))]
        width: Option<u16>,
    },
    /// Check playbooks for broken links and anchors, unreadable front matter, missing
    /// steps, and services or alerts no playbook covers (for a playbook repo's CI)
    ///
    /// One line per problem (`path:line: error|warning: message`), then the counts. Exit
    /// status 1 when there is an error, 0 otherwise (warnings alone pass).
    Lint {
        /// Folders to check (default: the config's [playbooks] dirs)
        #[arg(value_name = "DIR")]
        dirs: Vec<PathBuf>,
        /// Print {"playbooks", "errors", "warnings", "problems": [...]} as JSON
        #[arg(long)]
        json: bool,
        /// Prometheus to ask for alert rules (default: the config's [metrics] url)
        #[arg(long, value_name = "URL")]
        prometheus: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Write a commented example config (every key documented)
    Init {
        /// Overwrite an existing file
        #[arg(long)]
        force: bool,
        /// Print it instead of writing it
        #[arg(long)]
        stdout: bool,
    },
    /// Print which config file is read
    Path,
}

/// "user:PXYZ", "escalation:Eng Cap": who a responder request goes to.
fn parse_responder(text: &str) -> Result<Responder, String> {
    let (kind, id) = text
        .split_once(':')
        .filter(|(_, id)| !id.trim().is_empty())
        .ok_or_else(|| format!("`{text}` is not KIND:ID (e.g. user:PXYZ or escalation:PENGCAP)"))?;
    let kind = match kind {
        "user" => ResponderKind::User,
        "team" => ResponderKind::Team,
        "escalation" => ResponderKind::Escalation,
        "schedule" => ResponderKind::Schedule,
        other => {
            return Err(format!(
                "`{other}` is not a kind of responder: user, team, escalation or schedule"
            ));
        }
    };
    Ok(Responder {
        kind,
        id: id.trim().to_string(),
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Md,
    Json,
}

/// "14d", "36h": at least an hour, at most 180 days (PagerDuty keeps six months).
fn parse_since(text: &str) -> Result<std::time::Duration, String> {
    let duration = humantime::parse_duration(text)
        .map_err(|e| format!("`{text}` is not a duration ({e}); write e.g. 14d, 36h or 4w"))?;
    match duration.as_secs() {
        s if s < 3600 => Err("report on at least 1h".into()),
        s if s > 180 * 86_400 => Err("report on at most 180d".into()),
        _ => Ok(duration),
    }
}

/// "30m", "2h", "1h30m": at least a minute, at most a week.
fn parse_snooze(text: &str) -> Result<std::time::Duration, String> {
    let duration = humantime::parse_duration(text)
        .map_err(|e| format!("`{text}` is not a duration ({e}); write e.g. 30m or 2h"))?;
    if duration < std::time::Duration::from_secs(60) {
        return Err("snooze for at least 1m".into());
    }
    if duration > std::time::Duration::from_secs(7 * 24 * 3600) {
        return Err("snooze for at most a week (7d)".into());
    }
    Ok(duration)
}
