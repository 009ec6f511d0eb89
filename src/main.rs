use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    pagerdeck::STARTED.get_or_init(std::time::Instant::now);
    // First, so every later error and panic is reported well.
    if let Err(error) = color_eyre::install() {
        eprintln!("pagerdeck: cannot install the error reporter: {error}");
    }
    let cli = pagerdeck::cli::Cli::parse();
    match pagerdeck::run(cli) {
        Ok(code) => code,
        Err(report) => {
            pagerdeck::terminal::restore_if_needed();
            // The chain of causes, sanitised: a cause may quote a server or the config.
            // (color-eyre's Debug form would print that raw, inside its own colours.)
            eprintln!(
                "pagerdeck: {}",
                pagerdeck::sanitize::line(&format!("{report:#}"))
            );
            ExitCode::FAILURE
        }
    }
}
