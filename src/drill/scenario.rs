//! A drill scenario: the night it plays (the demo world's format: services and their
//! signals' shapes, incidents on a timeline of offsets, the rota), the playbooks it
//! names, and what a good response looks like.
//!
//! CONTRACT (filled in by the drill-core work): the fields below are what the cockpit
//! side uses; more may be added.

use crate::providers::demo::DemoWorld;

pub struct Scenario {
    /// The name `pagerdeck drill NAME` takes (the file's stem).
    pub name: String,
    /// One line for `drill --list`.
    pub description: String,
    /// The night it plays, with offsets from the drill's start.
    pub world: DemoWorld,
    /// The playbooks it names, as (path, markdown).
    pub playbooks: Vec<(String, String)>,
    /// Simulated seconds after an escalation is sent before Eng Cap takes it.
    pub level_two_takes_seconds: i64,
    /// Simulated seconds after which the drill ends by itself (it also ends once every
    /// incident is resolved or marked not actionable, or on `q`).
    pub duration_seconds: i64,
}

/// Every scenario: the bundled ones, then those in `dirs` (a team's own; same name wins).
pub fn all(_dirs: &[std::path::PathBuf]) -> (Vec<Scenario>, Vec<String>) {
    (Vec::new(), Vec::new())
}

/// The scenario called `name`, or what is wrong (no such name: the names there are).
pub fn find(name: &str, dirs: &[std::path::PathBuf]) -> Result<Scenario, String> {
    let (scenarios, _) = all(dirs);
    scenarios
        .into_iter()
        .find(|s| s.name == name)
        .ok_or_else(|| format!("no drill named {name}"))
}
