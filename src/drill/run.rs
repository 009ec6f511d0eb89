//! `pagerdeck drill`: the cockpit on a scenario, on a simulated clock, then the debrief.
//!
//! - `pick`: which scenario (named, a file, or the next to do).
//! - `session`: the cockpit's session for it (nothing real is built).
//! - `referee`: what the user did, the end, the score.

pub mod pick;
pub mod referee;
pub mod session;

use std::io::Write as _;
use std::process::ExitCode;

use chrono::{DateTime, FixedOffset, Local, Offset, TimeDelta, Utc};
use color_eyre::eyre::Result;

use crate::clock::Clock;
use crate::context::Context;

pub use referee::DrillRun;

/// Simulated seconds per real one when neither `--speed` nor the scenario says.
pub const DEFAULT_SPEED: f64 = 10.0;

pub struct DrillArgs {
    pub scenario: Option<String>,
    pub speed: Option<f64>,
    pub json: bool,
    pub list: bool,
}

pub fn main(
    context: Context,
    args: &DrillArgs,
    runtime: &tokio::runtime::Runtime,
) -> Result<ExitCode> {
    let (dirs, playbook_dirs) = (context.drill_dirs(), context.playbook_dirs());
    if args.list {
        let (out, warnings) =
            crate::drill::list::list_with(&dirs, &playbook_dirs, &context.data_dir);
        print!("{out}");
        for warning in warnings {
            eprintln!("pagerdeck: {}", crate::sanitize::line(&warning));
        }
        return Ok(ExitCode::SUCCESS);
    }
    let picked = match pick::pick(
        args.scenario.as_deref(),
        &dirs,
        &playbook_dirs,
        &context.data_dir,
    ) {
        Ok(picked) => picked,
        Err(problem) => {
            eprintln!("pagerdeck: {}", crate::sanitize::line(&problem));
            return Ok(ExitCode::from(2));
        }
    };
    // The flag, else the scenario's own, else the default (a bad scenario speed too).
    let speed = args.speed.unwrap_or_else(|| {
        crate::clock::check_speed(picked.scenario.speed).unwrap_or(DEFAULT_SPEED)
    });
    let offset = Local::now().offset().local_minus_utc();
    let start = night_start(Utc::now(), offset);
    let clock = Clock::simulated(start, speed);
    let mut run = DrillRun::new(picked.scenario, start, speed);
    if let Some(why) = picked.chosen {
        run = run.chosen_because(why);
    }
    let outcome = run.outcome();
    tracing::info!(drill = %run.scenario().name, speed, "drill starting");
    let ending = runtime.block_on(async {
        let session = session::build(&context, run, clock);
        crate::app::run(context, session).await
    })?;
    let debrief = outcome.lock().unwrap_or_else(|e| e.into_inner()).take();
    let mut out = std::io::stdout().lock();
    match debrief {
        Some(debrief) if args.json => {
            let json = serde_json::to_string_pretty(&debrief)?;
            writeln!(out, "{json}")?;
        }
        // Kept in the scrollback once the screen is gone.
        Some(debrief) => {
            for line in debrief.lines() {
                writeln!(out, "{}", crate::sanitize::line(&line))?;
            }
        }
        None => eprintln!("pagerdeck: the drill was left before its end: not scored"),
    }
    Ok(ending.exit_code())
}

/// Drills play at night: 03:00 in the user's zone, the last one before `now`.
pub fn night_start(now: DateTime<Utc>, utc_offset_seconds: i32) -> DateTime<Utc> {
    let zone = FixedOffset::east_opt(utc_offset_seconds).unwrap_or(Utc.fix());
    let local = now.with_timezone(&zone);
    let three = local
        .date_naive()
        .and_hms_opt(3, 0, 0)
        .and_then(|at| at.and_local_timezone(zone).single())
        .map_or(now, |at| at.with_timezone(&Utc));
    if three > now {
        three - TimeDelta::days(1)
    } else {
        three
    }
}
