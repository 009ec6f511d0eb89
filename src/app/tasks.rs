//! The tasks that turn the outside world into events: terminal input, the clock, signals.

use std::io;
use std::time::Duration;

use crossterm::event::{Event as TermEvent, EventStream};
use futures_util::StreamExt;
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::mpsc;

use crate::event::Event;

pub fn spawn_input(events: mpsc::UnboundedSender<Event>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut stream = EventStream::new();
        while let Some(next) = stream.next().await {
            let event = match next {
                Ok(TermEvent::Key(key)) => Event::Key(key),
                Ok(TermEvent::Mouse(mouse)) => Event::Mouse(mouse),
                Ok(TermEvent::Resize(width, height)) => Event::Resize(width, height),
                // Bracketed paste: the text arrives whole, not as keys to act on.
                Ok(TermEvent::Paste(text)) => Event::Paste(text),
                Ok(_) => continue,
                Err(error) => {
                    tracing::error!("terminal input failed: {error}");
                    Event::Shutdown
                }
            };
            if events.send(event).is_err() {
                return;
            }
        }
        let _ = events.send(Event::Shutdown);
    })
}

/// Once a second; the state decides whether anything shown actually changed.
pub fn spawn_ticks(events: mpsc::UnboundedSender<Event>) {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(Duration::from_secs(1));
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        loop {
            interval.tick().await;
            if events.send(Event::Tick).is_err() {
                return;
            }
        }
    });
}

/// SIGTERM, SIGHUP (the SSH session went away), SIGINT (`kill -INT`; the Ctrl-C key is a
/// key in raw mode): each is an `Event::Signal`, and the loop leaves cleanly. Listening
/// starts here, before the caller enters the terminal, so no signal can catch the
/// terminal in raw mode with its default action (death) still in place.
///
/// SIGCONT is `Event::Continued`: after any stop, not only our own Ctrl-Z (`kill -STOP`,
/// `kill -TSTP`), the terminal is taken again and repainted.
pub fn spawn_signals(events: mpsc::UnboundedSender<Event>) -> io::Result<()> {
    let mut term = signal(SignalKind::terminate())?;
    let mut hup = signal(SignalKind::hangup())?;
    let mut int = signal(SignalKind::interrupt())?;
    let mut cont = signal(SignalKind::from_raw(signal_hook::consts::SIGCONT))?;
    tokio::spawn(async move {
        loop {
            // Every one, not just the first: a second one ends the wait for sends.
            let event = tokio::select! {
                Some(()) = term.recv() => Event::Signal(SignalKind::terminate().as_raw_value()),
                Some(()) = hup.recv() => Event::Signal(SignalKind::hangup().as_raw_value()),
                Some(()) = int.recv() => Event::Signal(SignalKind::interrupt().as_raw_value()),
                Some(()) = cont.recv() => Event::Continued,
                else => return,
            };
            if events.send(event).is_err() {
                return;
            }
        }
    });
    Ok(())
}

/// For the log: the usual name of the signals `spawn_signals` answers.
pub fn signal_name(number: i32) -> String {
    let named = [
        (SignalKind::terminate(), "SIGTERM"),
        (SignalKind::hangup(), "SIGHUP"),
        (SignalKind::interrupt(), "SIGINT"),
    ];
    named
        .iter()
        .find(|(kind, _)| kind.as_raw_value() == number)
        .map_or_else(
            || format!("signal {number}"),
            |(_, name)| (*name).to_string(),
        )
}
