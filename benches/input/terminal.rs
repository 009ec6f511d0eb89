//! pagerdeck in a pseudo-terminal of its own, its output read back through a terminal
//! emulator (vt100): what the user would see, and the moment the bytes that show it
//! arrived.

use std::ffi::OsString;
use std::fs::File;
use std::io::{self, Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use nix::pty::{Winsize, openpty};

pub struct Cockpit {
    master: File,
    output: mpsc::Receiver<(Instant, Vec<u8>)>,
    screen: vt100::Parser,
    /// Every byte taken in so far, escapes and all.
    raw: Vec<u8>,
    child: Child,
}

impl Cockpit {
    /// Start `binary` on a fresh terminal of `cols` x `rows`, with `env` added to ours.
    pub fn start(
        binary: &Path,
        env: &[(&str, OsString)],
        cols: u16,
        rows: u16,
    ) -> io::Result<Self> {
        let screen_size = |n| std::num::NonZeroU16::new(n).ok_or(io::ErrorKind::InvalidInput);
        let screen = vt100::Parser::new(screen_size(rows)?, screen_size(cols)?, 0);
        let size = Winsize {
            ws_row: rows,
            ws_col: cols,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        let pty = openpty(Some(&size), None).map_err(io::Error::from)?;
        let slave = File::from(pty.slave);
        // A session of its own with this terminal as its controlling one, so nothing
        // (crossterm's /dev/tty) reaches the terminal the bench was started from.
        let mut command = Command::new("setsid");
        command
            .arg("--ctty")
            .arg(binary)
            .env_remove("NO_COLOR")
            .env_remove("PAGERDECK_CONFIG")
            .env_remove("PAGERDECK_LOG")
            .env("TERM", "xterm-256color")
            .stdin(Stdio::from(slave.try_clone()?))
            .stdout(Stdio::from(slave.try_clone()?))
            .stderr(Stdio::from(slave));
        for (name, value) in env {
            command.env(name, value);
        }
        let child = command.spawn()?;
        let master = File::from(pty.master);
        let mut reader = master.try_clone()?;
        let mut answers = master.try_clone()?;
        let (sender, output) = mpsc::channel();
        thread::spawn(move || {
            let mut buffer = vec![0u8; 1 << 16];
            // Ends when the child is gone (EIO) or the bench is done.
            while let Ok(read @ 1..) = reader.read(&mut buffer) {
                // Where the cursor is, as a terminal answers (ratatui asks at start).
                if buffer[..read].windows(4).any(|w| w == b"\x1b[6n") {
                    let _ = answers.write_all(b"\x1b[1;1R");
                }
                if sender
                    .send((Instant::now(), buffer[..read].to_vec()))
                    .is_err()
                {
                    return;
                }
            }
        });
        Ok(Self {
            master,
            output,
            screen,
            raw: Vec::new(),
            child,
        })
    }

    /// Take in everything written so far; the screen as it stands now.
    pub fn settle(&mut self) -> String {
        while let Ok((_, bytes)) = self.output.try_recv() {
            self.screen.process(&bytes);
            self.raw.extend_from_slice(&bytes);
        }
        self.screen.screen().contents()
    }

    /// Every byte the program wrote to its terminal so far (`settle` or `wait_for` first).
    #[allow(dead_code)] // The tests read it; the bench reads the screen.
    pub fn raw(&self) -> &[u8] {
        &self.raw
    }

    /// Type `bytes`; when they were sent.
    pub fn press(&mut self, bytes: &[u8]) -> io::Result<Instant> {
        let sent = Instant::now();
        self.master.write_all(bytes)?;
        Ok(sent)
    }

    /// Until the screen satisfies `shown`: the arrival time of the bytes that made it so,
    /// or `None` after `limit`.
    pub fn wait_for(&mut self, limit: Duration, shown: impl Fn(&str) -> bool) -> Option<Instant> {
        let deadline = Instant::now() + limit;
        loop {
            let left = deadline.checked_duration_since(Instant::now())?;
            let (arrived, bytes) = self.output.recv_timeout(left).ok()?;
            self.screen.process(&bytes);
            self.raw.extend_from_slice(&bytes);
            if shown(&self.screen.screen().contents()) {
                return Some(arrived);
            }
        }
    }
}

impl Drop for Cockpit {
    fn drop(&mut self) {
        let _ = self.master.write_all(b"q");
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
