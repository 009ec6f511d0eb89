//! Which scenario a `pagerdeck drill [SCENARIO]` plays: one named, a scenario file given
//! by its path, or (none named) the next one to do.

use std::path::{Path, PathBuf};

use crate::drill::{Scenario, scenario};
use crate::providers::demo::{DEMO_PLAYBOOKS, DemoWorld, LEVEL_TWO_TAKES_SECONDS};

/// The scenario to play, and why it was chosen when the user named none.
pub struct Picked {
    pub scenario: Scenario,
    pub chosen: Option<String>,
}

/// `arg`: a scenario's name, or a path to a scenario file (`…/name.toml`), read as a
/// team folder of its own; none: the first scenario not yet done.
pub fn pick(arg: Option<&str>, dirs: &[PathBuf], data_dir: &Path) -> Result<Picked, String> {
    let _ = data_dir; // MERGE (i8-drill-core): `results::history(data_dir)` says what is done.
    match arg {
        Some(arg) if arg.ends_with(".toml") => from_file(Path::new(arg)).map(|scenario| Picked {
            scenario,
            chosen: None,
        }),
        // INTERIM until the bundled scenarios land: `drill --list` shows the demo's night.
        Some("demo-night") if scenario::all(dirs).0.is_empty() => Ok(Picked {
            scenario: demo_night()?,
            chosen: None,
        }),
        Some(name) => scenario::find(name, dirs).map(|scenario| Picked {
            scenario,
            chosen: None,
        }),
        None => {
            let (scenarios, _warnings) = scenario::all(dirs);
            // MERGE (i8-drill-core): the first scenario not in `results::history`, else the first.
            match scenarios.into_iter().next() {
                Some(scenario) => Ok(Picked {
                    scenario,
                    chosen: Some("first drill".into()),
                }),
                // INTERIM until the bundled scenarios land: the demo's own night.
                None => Ok(Picked {
                    scenario: demo_night()?,
                    chosen: Some("the demo's night".into()),
                }),
            }
        }
    }
}

/// A scenario file anywhere: its folder is read as a team folder, the file's stem is its
/// name.
fn from_file(path: &Path) -> Result<Scenario, String> {
    if !path.is_file() {
        return Err(format!("no drill file {}", path.display()));
    }
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let (scenarios, warnings) = scenario::all(std::slice::from_ref(&folder));
    scenarios
        .into_iter()
        .find(|s| s.name == name)
        .ok_or_else(|| {
            let why = warnings
                .iter()
                .find(|w| w.contains(&name))
                .cloned()
                .unwrap_or_else(|| "it is not a drill scenario".into());
            format!("cannot play {}: {why}", path.display())
        })
}

/// The built-in demo's night as a drill: its incidents, metrics, rota and playbooks, half
/// an hour long.
pub fn demo_night() -> Result<Scenario, String> {
    Ok(Scenario {
        name: "demo-night".into(),
        description: "the built-in demo's night: two teams, eight incidents".into(),
        world: DemoWorld::embedded()?,
        playbooks: DEMO_PLAYBOOKS
            .iter()
            .map(|(path, text)| (path.to_string(), text.to_string()))
            .collect(),
        level_two_takes_seconds: LEVEL_TWO_TAKES_SECONDS,
        duration_seconds: 30 * 60,
    })
}
