//! Which scenario a `pagerdeck drill [SCENARIO]` plays: one named, a scenario file given
//! by its path, or (none named) the next one not yet done.

use std::path::{Path, PathBuf};

use crate::drill::{Scenario, results, scenario};

/// The scenario to play, and why it was chosen when the user named none.
pub struct Picked {
    pub scenario: Scenario,
    pub chosen: Option<String>,
}

/// `arg`: a scenario's name, or a path to a scenario file (`…/name.toml`); none: the
/// first scenario not in the saved results, else the first.
pub fn pick(
    arg: Option<&str>,
    dirs: &[PathBuf],
    playbook_dirs: &[PathBuf],
    data_dir: &Path,
) -> Result<Picked, String> {
    if let Some(name) = arg {
        return scenario::find_with(name, dirs, playbook_dirs).map(|scenario| Picked {
            scenario,
            chosen: None,
        });
    }
    let loaded = scenario::load(dirs, playbook_dirs);
    // Results that cannot be read only mean nothing counts as done.
    let done: Vec<String> = results::history(data_dir)
        .map(|(runs, _)| runs.into_iter().map(|r| r.scenario).collect())
        .unwrap_or_default();
    let mut scenarios = loaded.scenarios;
    match scenarios.iter().position(|s| !done.contains(&s.name)) {
        Some(index) => Ok(Picked {
            scenario: scenarios.swap_remove(index),
            chosen: Some("next not done".into()),
        }),
        None if !scenarios.is_empty() => Ok(Picked {
            scenario: scenarios.swap_remove(0),
            chosen: Some("all done: the first again".into()),
        }),
        None => Err("no drill scenarios found".into()),
    }
}
