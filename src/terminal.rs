//! Entering and leaving the terminal's TUI mode, and making sure a panic leaves it too.

use std::io::{self, Write};
use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

pub use screen::{Screen, screen};

mod screen;

pub type Tui = Terminal<CrosstermBackend<Screen>>;

/// Whether `enter` ran, so error paths of headless commands print no escape codes.
static ENTERED: AtomicBool = AtomicBool::new(false);

/// Raw mode, alternate screen, mouse; the panic hook restores all of it first.
pub fn enter() -> io::Result<Tui> {
    install_panic_hook();
    ENTERED.store(true, Ordering::SeqCst);
    enable_raw_mode()?;
    let mut stdout = screen();
    if let Err(error) = execute!(
        stdout,
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste
    ) {
        restore();
        return Err(error);
    }
    let mut terminal = Terminal::new(CrosstermBackend::new(stdout))?;
    terminal.hide_cursor()?;
    // Not `Terminal::clear`: it asks the terminal where the cursor is, on the standard
    // output whatever the backend writes to, and with that redirected no answer comes.
    execute!(
        terminal.backend_mut(),
        crossterm::terminal::Clear(crossterm::terminal::ClearType::All)
    )?;
    Ok(terminal)
}

/// Undo `enter`. Safe to call twice, and when `enter` only half succeeded.
pub fn restore() {
    ENTERED.store(false, Ordering::SeqCst);
    leave(&mut screen());
}

/// Raw mode off (on the tty itself), then the sequences that undo the rest, into `out`.
fn leave(out: &mut impl Write) {
    let _ = disable_raw_mode();
    let _ = execute!(
        out,
        DisableMouseCapture,
        DisableBracketedPaste,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
}

/// Put `text` on the clipboard of the terminal the user sits at (OSC 52): it travels over
/// SSH and through tmux (with `set-clipboard on`). Base64 keeps it from being read as
/// control sequences on the way.
pub fn copy_to_clipboard(text: &str) -> io::Result<()> {
    use base64::Engine as _;
    use std::io::Write as _;
    let encoded = base64::engine::general_purpose::STANDARD.encode(text);
    let mut stdout = screen();
    write!(stdout, "\x1b]52;c;{encoded}\x07")?;
    stdout.flush()
}

/// Ring for a page: the bell and desktop notification `notify::bytes` makes of it, between
/// two frames (the escapes move no cursor and draw nothing). A terminal that cannot be
/// written to is logged: the screen says the page anyway.
pub fn ring(notice: &crate::notify::Notice) {
    let in_tmux = std::env::var_os("TMUX").is_some_and(|v| !v.is_empty());
    let mut stdout = screen();
    let written = stdout
        .write_all(&crate::notify::bytes::bytes(notice, in_tmux))
        .and_then(|()| stdout.flush());
    if let Err(error) = written {
        tracing::warn!("cannot ring the terminal: {error}");
    }
}

/// Ctrl-Z: give the terminal back, stop the way the shell expects, and take it again once
/// continued (`fg`).
pub fn suspend(tui: &mut Tui) -> io::Result<()> {
    restore();
    // SIGTSTP keeps its default action (nothing here listens for it), so the shell sees an
    // ordinary stopped job. With no shell to `fg` us (pagerdeck run straight from tmux or
    // `ssh -t`), the kernel drops it rather than stop us for ever; SIGSTOP would not.
    if let Err(error) = signal_hook::low_level::raise(signal_hook::consts::SIGTSTP) {
        tracing::warn!("cannot stop for Ctrl-Z: {error}");
    }
    // Continued, or the stop was dropped.
    resume(tui)
}

/// Take the terminal again after a stop, and make the next draw repaint every cell.
pub fn resume(tui: &mut Tui) -> io::Result<()> {
    ENTERED.store(true, Ordering::SeqCst);
    // The shell may have set its own modes while we were stopped: apply ours afresh.
    let _ = disable_raw_mode();
    enable_raw_mode()?;
    execute!(
        tui.backend_mut(),
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste
    )?;
    tui.hide_cursor()?;
    // What is on the screen now is not what ratatui last drew: clear it and forget the
    // last frame. Not `Terminal::clear`, which asks the terminal where the cursor is; the
    // input task would read the answer and the question time out.
    let size = tui.size()?;
    tui.resize(size.into())
}

/// `restore`, but only if the terminal is in TUI mode.
pub fn restore_if_needed() {
    if ENTERED.load(Ordering::SeqCst) {
        restore();
    }
}

/// The status a panic ends the process with: the one Rust gives a panic that reaches `main`.
const PANIC_STATUS: i32 = 101;

/// Once: `enter` again after a stop must not wrap the hook in itself.
static PANIC_HOOK: Once = Once::new();

fn install_panic_hook() {
    PANIC_HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            on_panic(&mut screen(), || previous(info));
            // tokio catches a panic in a task and the loop would go on drawing onto the
            // terminal just given back; a panic anywhere ends the process, as in the loop.
            std::process::exit(PANIC_STATUS);
        }));
    });
}

/// The terminal first, then the report (color-eyre's), so it lands on the main screen.
fn on_panic(out: &mut impl Write, report: impl FnOnce()) {
    if ENTERED.swap(false, Ordering::SeqCst) {
        leave(out);
    }
    report();
}

/// OSC 8 is ignored by terminals that do not know it, except the Linux console and dumb
/// terminals, which may print it.
pub fn understands_hyperlinks() -> bool {
    let term = std::env::var("TERM").unwrap_or_default();
    !matches!(term.as_str(), "" | "dumb" | "linux")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;

    /// A writer the report can append to as well, to see what came first.
    struct Shared<'a>(&'a RefCell<Vec<u8>>);

    impl Write for Shared<'_> {
        fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    // One test, as `ENTERED` is process-wide. Raw mode is the tty's, not the writer's:
    // the tmux end-to-end test sees that one.
    #[test]
    fn the_panic_hook_gives_the_terminal_back_before_the_report_and_only_once() {
        let written = RefCell::new(Vec::new());
        ENTERED.store(true, Ordering::SeqCst);
        on_panic(&mut Shared(&written), || {
            written.borrow_mut().extend_from_slice(b"<report>")
        });
        let text = String::from_utf8(written.take()).unwrap();
        let report = text.find("<report>").unwrap();
        for (what, sequence) in [
            ("main screen", "\x1b[?1049l"),
            ("cursor shown", "\x1b[?25h"),
            ("mouse capture off", "\x1b[?1000l"),
            ("bracketed paste off", "\x1b[?2004l"),
        ] {
            let at = text.find(sequence);
            assert!(at.is_some_and(|at| at < report), "{what}: {text:?}");
        }
        assert!(!ENTERED.load(Ordering::SeqCst));

        // Not in TUI mode (a headless command, or already restored): the report alone.
        on_panic(&mut Shared(&written), || {
            written.borrow_mut().extend_from_slice(b"<report>")
        });
        assert_eq!(written.take(), b"<report>");
    }
}
