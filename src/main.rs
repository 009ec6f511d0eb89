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
            eprintln!("pagerdeck: {report:?}");
            ExitCode::FAILURE
        }
    }
}
