//! A drill scenario: the night it plays (the demo world's format: services and their
//! signals' shapes, incidents on a timeline of offsets, the rota), the playbooks it
//! names, and what a good response looks like.
//!
//! Bundled scenarios come from `assets/drills/`; a team's own are the `*.toml` files in
//! the configured `[drills] dirs` (one with a bundled scenario's name replaces it).

use std::path::{Path, PathBuf};

use super::expect::Expectation;
use super::parse::{self, Finder};
use crate::playbook::{Library, Playbook};
use crate::providers::demo::DemoWorld;

/// Clone it to hand its world to the demo source and keep it for the debrief.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// The name `pagerdeck drill NAME` takes (the file's stem).
    pub name: String,
    /// One line for `drill --list`.
    pub description: String,
    /// What kind of night: "slow-burn", "outage", "noise" or the team's own word.
    pub kind: String,
    /// The night it plays, with offsets from the drill's start.
    pub world: DemoWorld,
    /// The playbooks it names, as (path, markdown).
    pub playbooks: Vec<(String, String)>,
    /// Simulated seconds after an escalation is sent before Eng Cap takes it.
    pub level_two_takes_seconds: i64,
    /// Simulated seconds after which the drill ends by itself (it also ends once every
    /// incident is resolved or marked not actionable, or on `q`).
    pub duration_seconds: i64,
    /// Simulated seconds per real second unless `--speed` says otherwise.
    pub speed: f64,
    /// What a good response looks like, per incident.
    pub expect: Vec<Expectation>,
    /// The file it was read from; `None` for a bundled one.
    pub file: Option<PathBuf>,
    /// A team's scenario that took the place of the bundled one of the same name.
    pub replaces_bundled: bool,
}

impl Scenario {
    /// Its playbooks, parsed and indexed, for the cockpit's playbook pane.
    pub fn library(&self) -> Library {
        library_of(&self.playbooks)
    }

    /// Where it comes from, in words: "bundled" or the file.
    pub fn origin(&self) -> String {
        match &self.file {
            Some(file) => file.display().to_string(),
            None => "bundled".into(),
        }
    }
}

pub(super) fn library_of(playbooks: &[(String, String)]) -> Library {
    Library::of_playbooks(
        playbooks
            .iter()
            .map(|(path, text)| Playbook::parse_lenient(path, text).0)
            .collect(),
    )
}

/// Every scenario, and what could not be read (one line each, naming `file:line`).
pub struct Loaded {
    pub scenarios: Vec<Scenario>,
    pub warnings: Vec<String>,
    /// Scenario files that are broken, by the name they would have had, with why.
    pub broken: Vec<(String, String)>,
}

/// Every scenario: the bundled ones, then those in `dirs` (a team's own; same name wins).
pub fn all(dirs: &[PathBuf]) -> (Vec<Scenario>, Vec<String>) {
    let loaded = load(dirs, &[]);
    (loaded.scenarios, loaded.warnings)
}

/// The scenario called `name`, or what is wrong (no such name: the names there are).
pub fn find(name: &str, dirs: &[PathBuf]) -> Result<Scenario, String> {
    find_with(name, dirs, &[])
}

/// As `find`, with the configured `[playbooks] dirs`, so a team's scenario can name its
/// real playbooks. `name` may also be the path of a scenario file.
pub fn find_with(
    name: &str,
    dirs: &[PathBuf],
    playbook_dirs: &[PathBuf],
) -> Result<Scenario, String> {
    let as_file = Path::new(name);
    if name.ends_with(".toml") && as_file.is_file() {
        return parse::read_file(as_file, &Finder::new(playbook_dirs));
    }
    let mut loaded = load(dirs, playbook_dirs);
    // A team's broken file wins over a bundled scenario of its name: it was meant to.
    if let Some((_, why)) = loaded.broken.iter().find(|(broken, _)| broken == name) {
        return Err(why.clone());
    }
    if let Some(index) = loaded.scenarios.iter().position(|s| s.name == name) {
        return Ok(loaded.scenarios.swap_remove(index));
    }
    let names: Vec<&str> = loaded.scenarios.iter().map(|s| s.name.as_str()).collect();
    Err(format!(
        "no drill named `{}`; the drills are: {} (`pagerdeck drill --list` describes them)",
        crate::sanitize::line(name),
        names.join(", ")
    ))
}

/// The bundled scenarios, then each folder's `*.toml` in name order.
pub fn load(dirs: &[PathBuf], playbook_dirs: &[PathBuf]) -> Loaded {
    let finder = Finder::new(playbook_dirs);
    let mut loaded = Loaded {
        scenarios: Vec::new(),
        warnings: Vec::new(),
        broken: Vec::new(),
    };
    for (name, text) in super::bundled::SCENARIOS {
        match parse::parse(
            name,
            text,
            &format!("assets/drills/{name}.toml"),
            None,
            &finder,
        ) {
            Ok(scenario) => loaded.scenarios.push(scenario),
            // Checked by a test: only a broken build gets here.
            Err(why) => loaded.warnings.push(why),
        }
    }
    for dir in dirs {
        let files = match toml_files(dir) {
            Ok(files) => files,
            Err(e) => {
                loaded.warnings.push(format!(
                    "drill folder {}: cannot read it: {e}",
                    dir.display()
                ));
                continue;
            }
        };
        for file in files {
            match parse::read_file(&file, &finder) {
                Ok(scenario) => add_team_scenario(&mut loaded, scenario),
                Err(why) => {
                    let name = parse::name_of(&file);
                    loaded.warnings.push(why.clone());
                    loaded.broken.push((name, why));
                }
            }
        }
    }
    loaded
}

fn add_team_scenario(loaded: &mut Loaded, mut scenario: Scenario) {
    let Some(index) = loaded
        .scenarios
        .iter()
        .position(|s| s.name == scenario.name)
    else {
        loaded.scenarios.push(scenario);
        return;
    };
    let earlier = &loaded.scenarios[index];
    if let Some(file) = &earlier.file {
        loaded.warnings.push(format!(
            "drill `{}`: {} is used, not {} (same name)",
            scenario.name,
            scenario.origin(),
            file.display()
        ));
    }
    scenario.replaces_bundled = earlier.file.is_none() || earlier.replaces_bundled;
    loaded.scenarios[index] = scenario;
}

fn toml_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| {
            path.is_file()
                && path
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("toml"))
                && !parse::name_of(path).starts_with('.')
        })
        .collect();
    files.sort();
    Ok(files)
}
