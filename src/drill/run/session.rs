//! The cockpit's session for a drill: one demo source named `drill` on the scenario's
//! world and simulated clock, its metrics from the same world, the scenario's playbooks
//! only, and journal files of its own. Nothing configured is built: no real source, no
//! metrics server, no web playbook.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use crate::app::Session;
use crate::clock::Clock;
use crate::config::{SourceConfig, SourceKind};
use crate::context::Context;
use crate::playbook::Library;
use crate::playbook::load::Problem;
use crate::providers::demo::{DEMO_LEVEL_TWO, DemoSource};
use crate::sources::{Built, Metrics};

use super::DrillRun;

/// The drill's only source.
pub const SOURCE: &str = "drill";

/// Polled every real second, so the night moves smoothly at any speed.
const POLL: Duration = Duration::from_secs(1);

pub fn build(context: &Context, run: DrillRun, clock: Clock) -> Session {
    let scenario = run.scenario();
    let source = DemoSource::new(
        SOURCE,
        scenario.world.clone(),
        run.log().started,
        &context.me,
    )
    .with_clock(clock.clone())
    .with_level_two_delay(scenario.level_two_takes_seconds);
    let source = Arc::new(source);
    let config = SourceConfig {
        poll_interval: POLL,
        ..SourceConfig::new(SOURCE, SourceKind::Demo)
    };
    let (library, mut playbook_problems) = Library::from_texts(&scenario.playbooks);
    let level_two = scenario
        .world
        .level_two()
        .unwrap_or(DEMO_LEVEL_TWO)
        .to_string();
    let (folder, problem) = files_folder(&context.data_dir);
    playbook_problems.extend(problem);
    Session {
        clock,
        metrics: Some(Metrics::Demo(Arc::clone(&source))),
        metrics_timeout: Duration::from_secs(15),
        sources: vec![(config, Built::Demo(source))],
        library,
        playbook_problems,
        journal_path: folder.join("journal.jsonl"),
        steps_path: folder.join("steps.jsonl"),
        level_two,
        demo: false,
        offline: true,
        drill: Some(run),
    }
}

/// Where a drill keeps its actions and steps: `<data dir>/drills/last-run/`, emptied at
/// the start so each drill starts with no progress, and never the real journal (the
/// hand-off and the hygiene report do not count drills). When it cannot be written, a
/// temporary folder, said, so the drill still works.
fn files_folder(data_dir: &Path) -> (PathBuf, Option<Problem>) {
    let folder = data_dir.join("drills").join("last-run");
    match fresh(&folder) {
        Ok(()) => (folder, None),
        Err(error) => {
            let fallback =
                std::env::temp_dir().join(format!("pagerdeck-drill-{}", std::process::id()));
            let problem = Problem {
                file: folder.clone(),
                message: format!(
                    "cannot be written ({error}): this drill's actions go to {}",
                    fallback.display()
                ),
            };
            let _ = fresh(&fallback);
            (fallback, Some(problem))
        }
    }
}

fn fresh(folder: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(folder)?;
    for file in ["journal.jsonl", "steps.jsonl"] {
        match std::fs::remove_file(folder.join(file)) {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => return Err(error),
            _ => {}
        }
    }
    // Writable, or say so now rather than at the first action.
    std::fs::write(folder.join("journal.jsonl"), b"")
}
