//! What one run of the cockpit works on: which sources, metrics and playbooks, which
//! clock, which journal files. The live cockpit builds it from the config; a drill builds
//! its own (a scripted world, a simulated clock, files of its own) and the loop is the same.

use std::path::PathBuf;
use std::time::Duration;

use chrono::Utc;

use crate::clock::Clock;
use crate::config::SourceConfig;
use crate::context::Context;
use crate::drill::run::DrillRun;
use crate::playbook::Library;
use crate::playbook::load::Problem;
use crate::sources::{self, Built, Metrics};

pub struct Session {
    pub clock: Clock,
    /// The sources to run, each with the config it runs by (name, poll interval).
    pub sources: Vec<(SourceConfig, Built)>,
    pub metrics: Option<Metrics>,
    /// How long one metrics fetch may take in all.
    pub metrics_timeout: Duration,
    pub library: Library,
    pub playbook_problems: Vec<Problem>,
    /// Where actions are journaled (and unfinished ones resumed from).
    pub journal_path: PathBuf,
    /// Where checked playbook steps are kept.
    pub steps_path: PathBuf,
    pub level_two: String,
    /// Show the DEMO DATA badge.
    pub demo: bool,
    /// Never fetch a web playbook nor open a link: a drill talks to nothing outside.
    pub offline: bool,
    /// The drill being run, if this is one.
    pub drill: Option<DrillRun>,
}

impl Session {
    /// The cockpit on the configured sources (or the built-in demo), in real time.
    pub fn live(context: &Context) -> Result<Session, String> {
        let start = Utc::now();
        let mut built = Vec::new();
        for config in context.config.effective_sources() {
            let source = sources::build(&config, &context.config, &context.me, start)?;
            built.push((config, source));
        }
        let refs: Vec<&Built> = built.iter().map(|(_, source)| source).collect();
        let metrics = sources::build_metrics(&context.config, &refs)?;
        let metrics_timeout = metrics
            .as_ref()
            .map_or(Duration::from_secs(15), |m| m.timeout(&context.config));
        let (library, playbook_problems) = context.library();
        Ok(Session {
            clock: Clock::real(),
            sources: built,
            metrics,
            metrics_timeout,
            library,
            playbook_problems,
            journal_path: context.journal_path(),
            steps_path: crate::progress::journal_path(&context.data_dir),
            level_two: context.config.escalation.name.clone(),
            demo: context.config.is_demo(),
            offline: false,
            drill: None,
        })
    }

    /// How often, in the state's (simulated) seconds, a source is polled: its health
    /// calls data stale after three missed polls of this.
    pub fn poll_seconds(&self, config: &SourceConfig) -> u64 {
        let seconds = config.poll_interval.as_secs_f64() * self.clock.speed();
        // At least a second; a speed is at most a thousand, so this fits.
        seconds.ceil().max(1.0) as u64
    }
}
