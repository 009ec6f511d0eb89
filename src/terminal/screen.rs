//! Where the cockpit draws: the standard output when it is the terminal, else the
//! terminal itself (`/dev/tty`), so `pagerdeck drill --json > debrief.json` draws on the
//! screen and leaves only the JSON in the file.

use std::fs::File;
use std::io::{self, IsTerminal, Stdout, Write};

pub enum Screen {
    Stdout(Stdout),
    Tty(File),
}

/// The standard output if it is a terminal; the controlling terminal if the output is
/// redirected and there is one; else the standard output all the same (the terminal
/// set-up then fails there with its own error).
pub fn screen() -> Screen {
    let stdout = io::stdout();
    if stdout.is_terminal() {
        return Screen::Stdout(stdout);
    }
    match std::fs::OpenOptions::new().write(true).open("/dev/tty") {
        Ok(tty) => Screen::Tty(tty),
        Err(_) => Screen::Stdout(stdout),
    }
}

impl Write for Screen {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        match self {
            Screen::Stdout(out) => out.write(bytes),
            Screen::Tty(out) => out.write(bytes),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Screen::Stdout(out) => out.flush(),
            Screen::Tty(out) => out.flush(),
        }
    }
}
