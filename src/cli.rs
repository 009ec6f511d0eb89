//! The command line. Global options work before or after a subcommand.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "pagerdeck",
    version,
    about = "A terminal cockpit for the engineer who gets paged",
    long_about = "A terminal cockpit for the engineer who gets paged: the active incidents, the \
                  service's metrics and the owning team's playbook on one screen.\n\n\
                  With no subcommand it opens the cockpit; with no config file, on the built-in demo."
)]
pub struct Cli {
    /// Config file to read (default: the platform's config dir; also PAGERDECK_CONFIG)
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Colour theme: dark, light, high-contrast, mono, or a file in <config dir>/themes/
    #[arg(long, global = true, value_name = "NAME")]
    pub theme: Option<String>,

    /// Change nothing anywhere: every action that writes to a source is off
    #[arg(long, global = true)]
    pub read_only: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the active incidents of every source
    Incidents {
        /// Print a JSON array instead of a table
        #[arg(long)]
        json: bool,
    },
    /// Print the key bindings in effect
    Keys,
    /// Work with the config file
    Config {
        #[command(subcommand)]
        action: ConfigCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Write a commented example config (every key documented)
    Init {
        /// Overwrite an existing file
        #[arg(long)]
        force: bool,
        /// Print it instead of writing it
        #[arg(long)]
        stdout: bool,
    },
    /// Print which config file is read
    Path,
}
