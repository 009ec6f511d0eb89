//! pagerdeck: a terminal cockpit for the engineer who gets paged.

pub mod action;
pub mod app;
pub mod cli;
pub mod clock;
pub mod command;
pub mod config;
pub mod context;
pub mod drill;
pub mod event;
pub mod handoff;
pub mod handover;
pub mod headless;
pub mod in_flight;
pub mod incident;
pub mod journal;
pub mod keymap;
pub mod layout;
pub mod logging;
pub mod markdown;
pub mod metrics;
pub mod notify;
pub mod outbox;
pub mod playbook;
pub mod progress;
pub mod providers;
pub mod report;
pub mod sanitize;
pub mod sources;
pub mod state;
pub mod terminal;
pub mod testing;
pub mod theme;
pub mod ui;

use std::process::ExitCode;
use std::sync::OnceLock;
use std::time::Instant;

use color_eyre::eyre::{Result, WrapErr};

use cli::{Cli, Command, ConfigCommand, PlaybookCommand};
use context::{Context, Flags};
use providers::Verb;

/// When the process started, for the first-frame figure in the log.
pub static STARTED: OnceLock<Instant> = OnceLock::new();

/// Run one invocation. Config problems are reported before the terminal is touched.
pub fn run(cli: Cli) -> Result<ExitCode> {
    let flags = Flags {
        config: cli.config.as_deref(),
        theme: cli.theme.as_deref(),
        read_only: cli.read_only,
    };
    if let Some(Command::Config {
        action: ConfigCommand::Init { force, stdout },
    }) = &cli.command
    {
        return headless::config_init(cli.config.as_deref(), *force, *stdout);
    }
    let context = match Context::load(&flags) {
        Ok(context) if cli.shadow => context.shadowed(),
        Ok(context) => context,
        Err(error) => {
            // The parser quotes the file: what it quotes must not steer the terminal.
            let error = sanitize::line(&error.to_string()).into_owned();
            eprintln!("pagerdeck: config error: {error}");
            return Ok(ExitCode::from(2));
        }
    };
    let _log = logging::init(&context.data_dir);
    tracing::info!(config = ?context.config_file, "starting");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .wrap_err("cannot start the async runtime")?;
    match &cli.command {
        None => runtime
            .block_on(async {
                let session = app::Session::live(&context).map_err(color_eyre::eyre::Error::msg)?;
                app::run(context, session).await
            })
            .map(app::Ending::exit_code),
        Some(Command::Drill {
            scenario,
            speed,
            json,
            list,
        }) => {
            let args = drill::run::DrillArgs {
                scenario: scenario.clone(),
                speed: *speed,
                json: *json,
                list: *list,
            };
            drill::run::main(context, &args, &runtime)
        }
        Some(Command::Incidents { json }) => runtime.block_on(headless::incidents(&context, *json)),
        Some(Command::Ack { target, note }) => runtime.block_on(headless::verbs::act(
            &context,
            target,
            Verb::Acknowledge { note: note.clone() },
        )),
        Some(Command::Unack { target }) => {
            runtime.block_on(headless::verbs::act(&context, target, Verb::Unacknowledge))
        }
        Some(Command::Snooze { target, duration }) => runtime.block_on(headless::verbs::act(
            &context,
            target,
            Verb::Snooze {
                seconds: duration.as_secs(),
            },
        )),
        Some(Command::Resolve { target }) => {
            runtime.block_on(headless::verbs::act(&context, target, Verb::Resolve))
        }
        Some(Command::Note { target, text }) => runtime.block_on(headless::verbs::act(
            &context,
            target,
            Verb::Note {
                text: text.join(" "),
            },
        )),
        Some(Command::NotActionable {
            target,
            reason,
            json,
        }) => runtime.block_on(headless::not_actionable::mark(
            &context,
            target,
            &reason.join(" "),
            *json,
        )),
        Some(Command::Handoff { since, output }) => runtime.block_on(headless::handoff::handoff(
            &context,
            *since,
            output.as_deref(),
        )),
        Some(Command::Escalate {
            target,
            message,
            yes,
        }) => runtime.block_on(headless::escalate::escalate(
            &context,
            target,
            message.clone(),
            *yes,
        )),
        Some(Command::Reassign { target, to }) => runtime.block_on(headless::verbs::act(
            &context,
            target,
            Verb::Reassign { to: to.clone() },
        )),
        Some(Command::Responder {
            target,
            to,
            message,
        }) => runtime.block_on(headless::verbs::act(
            &context,
            target,
            Verb::AddResponder {
                to: to.clone(),
                message: message.clone().unwrap_or_default(),
            },
        )),
        Some(Command::Oncall { json }) => {
            runtime.block_on(headless::oncall::oncall(&context, *json))
        }
        Some(Command::Metrics { target, json }) => {
            runtime.block_on(headless::metrics::metrics(&context, target, *json))
        }
        Some(Command::Report { since, format }) => {
            runtime.block_on(headless::report::report(&context, *since, *format))
        }
        Some(Command::Keys) => Ok(headless::keys(&context)),
        Some(Command::Config {
            action: ConfigCommand::Path,
        }) => Ok(headless::config_path(&context, cli.config.as_deref())),
        Some(Command::Config {
            action: ConfigCommand::Init { .. },
        }) => Ok(ExitCode::SUCCESS),
        Some(Command::Playbook {
            action:
                PlaybookCommand::Show {
                    target,
                    plain,
                    width,
                },
        }) => runtime.block_on(headless::playbook_show::show(
            &context, target, *plain, *width,
        )),
        Some(Command::Playbook {
            action:
                PlaybookCommand::Lint {
                    dirs,
                    json,
                    prometheus,
                },
        }) => runtime.block_on(headless::playbook_lint::lint(
            &context,
            dirs,
            *json,
            prometheus.as_deref(),
        )),
    }
}
