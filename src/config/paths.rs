//! Where pagerdeck reads and writes: `--config` / `PAGERDECK_CONFIG` first, then the
//! platform's directories.

use std::path::{Path, PathBuf};

use directories::ProjectDirs;

fn project_dirs() -> Option<ProjectDirs> {
    ProjectDirs::from("", "", "pagerdeck")
}

/// The config file to read, and whether the user named it (a named file must exist).
pub fn config_file(explicit: Option<&Path>) -> Option<(PathBuf, bool)> {
    if let Some(path) = explicit {
        return Some((path.to_path_buf(), true));
    }
    if let Some(path) = std::env::var_os("PAGERDECK_CONFIG").filter(|p| !p.is_empty()) {
        return Some((PathBuf::from(path), true));
    }
    project_dirs().map(|dirs| (dirs.config_dir().join("config.toml"), false))
}

/// The folder user overrides (keymap.toml, themes/) are read from: the config file's own.
pub fn config_dir(config_file: Option<&Path>) -> Option<PathBuf> {
    config_file
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .or_else(|| project_dirs().map(|d| d.config_dir().to_path_buf()))
}

/// Where the journal and log go: config `data_dir`, `PAGERDECK_DATA_DIR`, the platform's.
pub fn data_dir(configured: Option<&Path>) -> PathBuf {
    if let Some(dir) = configured {
        return dir.to_path_buf();
    }
    if let Some(dir) = std::env::var_os("PAGERDECK_DATA_DIR").filter(|p| !p.is_empty()) {
        return PathBuf::from(dir);
    }
    project_dirs()
        .map(|d| d.data_dir().to_path_buf())
        .unwrap_or_else(|| std::env::temp_dir().join("pagerdeck"))
}
