//! The built binary as a user runs it: from the repository root, with a temp home (its
//! config and data dirs), and nothing inherited that would change what it prints.

use std::path::Path;
use std::process::{Command, Output};

/// `pagerdeck ARGS`, with no config unless one is given (then through PAGERDECK_CONFIG).
pub fn pagerdeck(home: &Path, config: Option<&Path>, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_pagerdeck"));
    command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("PAGERDECK_DATA_DIR", home.join("data"))
        .env_remove("PAGERDECK_CONFIG")
        .env_remove("NO_COLOR");
    if let Some(config) = config {
        command.env("PAGERDECK_CONFIG", config);
    }
    command.output().unwrap()
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
