//! Entering and leaving the terminal's TUI mode, and making sure a panic leaves it too.

use std::io::{self, Stdout};
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

pub type Tui = Terminal<CrosstermBackend<Stdout>>;

/// Whether `enter` ran, so error paths of headless commands print no escape codes.
static ENTERED: AtomicBool = AtomicBool::new(false);

/// Raw mode, alternate screen, mouse; the panic hook restores all of it first.
pub fn enter() -> io::Result<Tui> {
    install_panic_hook();
    ENTERED.store(true, Ordering::SeqCst);
    enable_raw_mode()?;
    let mut stdout = io::stdout();
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
    terminal.clear()?;
    Ok(terminal)
}

/// Undo `enter`. Safe to call twice, and when `enter` only half succeeded.
pub fn restore() {
    ENTERED.store(false, Ordering::SeqCst);
    let _ = disable_raw_mode();
    let _ = execute!(
        io::stdout(),
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
    let mut stdout = io::stdout();
    write!(stdout, "\x1b]52;c;{encoded}\x07")?;
    stdout.flush()
}

/// `restore`, but only if the terminal is in TUI mode.
pub fn restore_if_needed() {
    if ENTERED.load(Ordering::SeqCst) {
        restore();
    }
}

fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore_if_needed();
        previous(info);
    }));
}

/// OSC 8 is ignored by terminals that do not know it, except the Linux console and dumb
/// terminals, which may print it.
pub fn understands_hyperlinks() -> bool {
    let term = std::env::var("TERM").unwrap_or_default();
    !matches!(term.as_str(), "" | "dumb" | "linux")
}
