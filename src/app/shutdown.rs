//! Leaving: the terminal is already given back; the journal writes still under way finish
//! before the process ends, so nothing the user did is lost by quitting (or by a signal).

use std::io::Write as _;
use std::process::ExitCode;
use std::time::Duration;

use tokio::sync::mpsc;
use tokio::time::timeout;

use crate::event::Event;
use crate::in_flight::InFlight;
use crate::outbox::Outbox;

/// How the session ended, for the exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// `q`, Ctrl-C, or the terminal's input ended: status 0.
    Quit,
    /// SIGTERM, SIGHUP or SIGINT: 128 + its number, what a shell reports for a command a
    /// signal ended, so scripts and supervisors still see why.
    Signal(i32),
}

impl Ending {
    pub fn exit_code(self) -> ExitCode {
        match self {
            Ending::Quit => ExitCode::SUCCESS,
            Ending::Signal(number) => {
                u8::try_from(128 + number).map_or(ExitCode::FAILURE, ExitCode::from)
            }
        }
    }
}

/// Local writes (each queued action as pending, each checked step) are not cut short, but
/// a disk that hangs does not hold the process for ever.
const WRITE_LIMIT: Duration = Duration::from_secs(30);
/// How long actions already on their way to a source get to arrive and have their outcome
/// journaled. Those still going after it stay `pending` in the journal: asked, not known.
const SEND_GRACE: Duration = Duration::from_secs(5);
/// Most sends end well within this; only a slower one is worth a line on stderr.
const QUIETLY: Duration = Duration::from_millis(300);

pub async fn finish_writes(
    outbox: Outbox,
    steps: InFlight,
    inbox: &mut mpsc::UnboundedReceiver<Event>,
) {
    let local = async {
        let sending = outbox.close().await;
        steps.wait().await;
        sending
    };
    let Ok(sending) = timeout(WRITE_LIMIT, local).await else {
        tracing::error!("journal writes still unfinished after {WRITE_LIMIT:?}: leaving anyway");
        return;
    };
    let sends = sending.wait();
    tokio::pin!(sends);
    if timeout(QUIETLY, &mut sends).await.is_ok() {
        return;
    }
    // The screen is the shell's again; stderr may be gone too (SIGHUP), so no eprintln.
    let _ = writeln!(
        std::io::stderr(),
        "pagerdeck: waiting up to {}s for actions still being sent (Ctrl-C stops waiting)",
        SEND_GRACE.as_secs()
    );
    tokio::select! {
        finished = timeout(SEND_GRACE, sends) => if finished.is_err() {
            tracing::warn!("actions still being sent after {SEND_GRACE:?} stay pending in the journal");
        },
        () = another_signal(inbox) => tracing::warn!("stopped waiting for actions being sent"),
    }
}

/// Out of raw mode, Ctrl-C is a signal again: the impatient user's way out of the wait.
async fn another_signal(inbox: &mut mpsc::UnboundedReceiver<Event>) {
    while let Some(event) = inbox.recv().await {
        if matches!(event, Event::Signal(_)) {
            return;
        }
    }
    std::future::pending().await
}
