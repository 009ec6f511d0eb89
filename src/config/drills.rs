//! `[drills]`: where a team keeps its own drill scenarios, beside the bundled ones.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::Config;

#[derive(Debug, Clone, Deserialize, Default, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DrillsConfig {
    /// Folders of `*.toml` scenarios; `~/` is the home folder, a relative path is taken
    /// from the config file's folder (as for `[playbooks] dirs`).
    #[serde(default)]
    pub dirs: Vec<PathBuf>,
}

impl Config {
    /// The team's drill folders as paths to read.
    pub fn drill_dirs(&self, config_dir: Option<&Path>) -> Vec<PathBuf> {
        let home = directories::BaseDirs::new().map(|d| d.home_dir().to_path_buf());
        self.drills
            .dirs
            .iter()
            .map(|dir| match (dir.strip_prefix("~"), &home, config_dir) {
                (Ok(rest), Some(home), _) => home.join(rest),
                (_, _, Some(base)) if dir.is_relative() => base.join(dir),
                _ => dir.clone(),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    #[test]
    fn drill_folders_are_read_from_the_config_relative_to_its_file() {
        let config = crate::config::load::parse(
            "[drills]\ndirs = [\"drills\", \"/srv/team-drills\"]\n",
            Path::new("/etc/pagerdeck/config.toml"),
        )
        .unwrap();
        assert_eq!(
            config.drill_dirs(Some(Path::new("/etc/pagerdeck"))),
            [
                Path::new("/etc/pagerdeck/drills"),
                Path::new("/srv/team-drills")
            ]
        );
        let example = crate::config::load::parse(crate::config::EXAMPLE, Path::new("x")).unwrap();
        assert!(example.drills.dirs.is_empty());
        assert!(crate::config::EXAMPLE.contains("[drills]"));
    }
}
