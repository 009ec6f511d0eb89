//! PLACEHOLDER (i8-drill-run's branch): the merge takes i8-drill-core's `drill --list`.

use std::path::{Path, PathBuf};

/// One scenario a line, its name first, then a short description; and the warnings.
pub fn list(dirs: &[PathBuf], _data_dir: &Path) -> (String, Vec<String>) {
    let (scenarios, warnings) = super::scenario::all(dirs);
    let mut out = String::new();
    for scenario in scenarios {
        out.push_str(&format!("{}  {}\n", scenario.name, scenario.description));
    }
    if out.is_empty() {
        out.push_str("demo-night  the built-in demo's night: two teams, eight incidents\n");
    }
    (out, warnings)
}
