//! The loop: one channel of events in, state updated, commands carried out, and a redraw
//! only when something on screen changed. It sleeps while nothing happens.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Local;
use color_eyre::eyre::{Result, WrapErr};
use tokio::sync::{mpsc, oneshot};

use crate::command::Command;
use crate::context::Context;
use crate::event::Event;
use crate::in_flight::{InFlight, Token};
use crate::journal::Journal;
use crate::outbox::{self, OutboxSettings};
use crate::progress::StepRecord;
use crate::providers::ProviderError;
use crate::providers::poller::{SourceHandle, SourceRequest};
use crate::sources::{self, MetricsRequest};
use crate::state::{Setup, SourceSetup, State};
use crate::{terminal, ui};

mod drill_loop;
mod fetch;
mod not_actionable;
mod session;
mod shutdown;
mod tasks;

pub use session::Session;
pub use shutdown::Ending;

/// One event into the state, at the session's time; a drill watches what it asks for.
fn apply(state: &mut State, session: &mut Session, event: Event) -> Vec<Command> {
    let now = session.clock.now();
    match &mut session.drill {
        Some(drill) => drill.apply(state, event, now),
        None => state.apply(event, now),
    }
}

pub async fn run(context: Context, mut session: Session) -> Result<Ending> {
    let (events, mut inbox) = mpsc::unbounded_channel::<Event>();
    let handles: Vec<_> = session
        .sources
        .iter()
        .map(|(config, source)| source.spawn(config, context.read_only, events.clone()))
        .collect();
    let metrics = session
        .metrics
        .as_ref()
        .map(|metrics| metrics.spawn(session.metrics_timeout, events.clone()));
    let journal = Journal::open_actions(&session.journal_path);
    let journal_problem = journal.as_ref().err().cloned();
    let outbox = outbox::spawn(
        journal,
        handles.clone(),
        OutboxSettings {
            me: context.me.clone(),
            first_retry: Duration::from_millis(500),
        },
        events.clone(),
    );

    let library = std::mem::take(&mut session.library);
    let playbook_problems = std::mem::take(&mut session.playbook_problems);
    let steps_path = session.steps_path.clone();
    let (progress, progress_problem) = match crate::progress::load(&steps_path) {
        Ok(loaded) => loaded,
        Err(problem) => (Default::default(), Some(problem)),
    };
    for problem in &playbook_problems {
        tracing::warn!(file = %problem.file.display(), "playbook: {}", problem.message);
    }
    let setup = Setup {
        me: context.me.clone(),
        level_two: session.level_two.clone(),
        demo: session.demo,
        read_only: context.read_only,
        hyperlinks: context.config.hyperlinks.unwrap_or(true) && terminal::understands_hyperlinks(),
        utc_offset_seconds: Local::now().offset().local_minus_utc(),
        keymap: context.keymap.clone(),
        library,
        progress,
        sources: session
            .sources
            .iter()
            .map(|(config, source)| SourceSetup {
                escalation_route: source.escalation_route(),
                ..SourceSetup::new(
                    &config.name,
                    source.kind(),
                    session.poll_seconds(config),
                    source.capabilities(),
                )
            })
            .collect(),
    };

    tasks::spawn_signals(events.clone()).wrap_err("cannot listen for signals")?;
    let mut tui = terminal::enter().wrap_err("cannot set up the terminal")?;
    let size = tui.size()?;
    let mut state = State::new(setup, session.clock.now(), (size.width, size.height));
    if let Some(drill) = &session.drill {
        state.start_drill(drill.view());
    }
    state.watch = crate::state::notify::Watch::new(context.config.notify.clone());
    state.shadow = context.shadow;
    // A journal that cannot be read loses nothing here: it only means no earlier
    // escalations are shown (the open above says whether actions can be written).
    let mut journal_warning = None;
    if let Ok(readout) = crate::journal::read_checked(&session.journal_path) {
        state.restore_escalations(&readout.records);
        state.restore_not_actionable(&readout.records);
        resume_unfinished(&mut state, &outbox, &readout.records, context.read_only);
        journal_warning = readout.warning();
    }
    if let Some(first) = playbook_problems.first() {
        let more = playbook_problems.len() - 1;
        let also = if more > 0 {
            format!(" (and {more} more, see the log)")
        } else {
            String::new()
        };
        state.say(
            format!("playbook {}: {}{also}", first.file.display(), first.message),
            true,
        );
    }
    // A torn line (power loss) is told, and everything before it is kept.
    for problem in [progress_problem, journal_warning].into_iter().flatten() {
        tracing::warn!("{problem}");
        state.say(problem, true);
    }
    if let Some(problem) = journal_problem {
        state.say(
            format!("{problem}: actions will fail until it is fixed"),
            true,
        );
    }
    let input = tasks::spawn_input(events.clone());
    tasks::spawn_ticks(events.clone());
    let own_events = events;
    let steps_journal =
        Arc::new(Mutex::new(Journal::open(&steps_path).map_err(|e| {
            format!("cannot open {}: {e}", steps_path.display())
        })));
    let steps_writes = InFlight::new();
    let marks = not_actionable::MarksJournal::new(session.journal_path.clone(), &context.me);

    // One client for web playbooks, made at the first fetch (most sessions never need
    // one, and setting up TLS is not free at start-up); connections are then reused.
    let mut http: Option<reqwest::Client> = None;
    let playbook_cache = context.data_dir.join("playbook-cache");

    let mut first_frame = crate::STARTED.get().copied();
    let mut first_incidents = first_frame;
    let result = async {
        loop {
            if state.dirty {
                tui.draw(|frame| ui::render(frame, &state, &context.theme))?;
                state.drawn();
                if !state.incidents.is_empty()
                    && let Some(started) = first_incidents.take()
                {
                    let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
                    tracing::info!(elapsed_ms, "first frame with incidents");
                }
                if let Some(started) = first_frame.take() {
                    let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
                    tracing::info!(elapsed_ms, "first frame");
                }
            }
            let Some(event) = inbox.recv().await else {
                return Ok(Ending::Quit);
            };
            let mut commands = apply(&mut state, &mut session, event);
            // Take everything already waiting before drawing once for all of it.
            while let Ok(event) = inbox.try_recv() {
                commands.extend(apply(&mut state, &mut session, event));
            }
            for command in commands {
                match command {
                    Command::Quit => return Ok(Ending::Quit),
                    Command::QuitOnSignal(number) => return Ok(Ending::Signal(number)),
                    Command::Suspend => {
                        terminal::suspend(&mut tui).wrap_err("cannot come back from Ctrl-Z")?;
                        state.dirty = true;
                    }
                    Command::Resume => {
                        terminal::resume(&mut tui).wrap_err("cannot take the terminal back")?;
                    }
                    Command::Refresh => {
                        for handle in &handles {
                            let _ = handle
                                .requests
                                .try_send(crate::providers::poller::SourceRequest::Refresh);
                        }
                    }
                    Command::FetchMetrics {
                        ticket,
                        incident,
                        range,
                    } => match &metrics {
                        Some(metrics) => {
                            metrics.send_replace(Some(MetricsRequest {
                                ticket,
                                incident: *incident,
                                range,
                            }));
                        }
                        // Said in the pane, rather than "loading" for ever.
                        None => {
                            let _ = own_events.send(Event::Metrics {
                                ticket,
                                key: incident.key,
                                range,
                                result: Err(ProviderError::Unsupported(sources::NO_METRICS.into())),
                            });
                        }
                    },
                    Command::Submit(op) => {
                        let _ = outbox.send(op);
                    }
                    Command::Retry(op) => {
                        let _ = outbox.retry(op);
                    }
                    Command::DropOp(id) => {
                        let _ = outbox.drop_op(id);
                    }
                    Command::SaveStep(record) => {
                        save_step(&steps_journal, record, &own_events, steps_writes.token())
                    }
                    Command::Clipboard(text) => {
                        if let Err(error) = terminal::copy_to_clipboard(&text) {
                            state.say(format!("could not copy: {error}"), true);
                        }
                    }
                    Command::FetchHistory(key) => {
                        let source = key.source.clone();
                        let asked = key.clone();
                        ask_source(
                            &handles,
                            &source,
                            &own_events,
                            |reply| SourceRequest::History { key: asked, reply },
                            |result| Event::History { key, result },
                        );
                    }
                    Command::FetchOnCall(source) => {
                        let name = source.clone();
                        ask_source(
                            &handles,
                            &source,
                            &own_events,
                            |reply| SourceRequest::OnCall { reply },
                            |result| Event::OnCall {
                                source: name,
                                result,
                            },
                        );
                    }
                    Command::FetchLevelTwo { key, escalation } => {
                        let (asked, source) = (key.clone(), key.source.clone());
                        ask_source(
                            &handles,
                            &source,
                            &own_events,
                            |reply| SourceRequest::LevelTwo {
                                key: asked,
                                escalation,
                                reply,
                            },
                            |result| Event::LevelTwo { key, result },
                        );
                    }
                    Command::FetchPlaybook(url) if session.offline => {
                        let result = Err(drill_loop::OFFLINE.to_string());
                        let _ = own_events.send(Event::PlaybookFetched { url, result });
                    }
                    Command::MarkNotActionable {
                        key,
                        reason,
                        incident,
                    } => marks.save((key, reason, incident), &own_events, steps_writes.token()),
                    Command::FetchPlaybook(url) => {
                        fetch::fetch_playbook(&mut http, url, &playbook_cache, &own_events)
                    }
                    Command::Open(target) if session.offline => {
                        let shown = crate::sanitize::line(&target).into_owned();
                        state.say(format!("{}: {shown}", drill_loop::OFFLINE), false);
                    }
                    Command::EndDrill(why) => {
                        drill_loop::end(&mut state, &mut session, why, &context)
                    }
                    Command::Notify(notice) => terminal::ring(&notice),
                    Command::Open(target) => {
                        // Detached: the browser outlives us and never blocks the loop.
                        if let Err(error) = open::that_detached(&target) {
                            let shown = crate::sanitize::line(&target).into_owned();
                            state.say(format!("could not open {shown}: {error}"), true);
                        }
                    }
                }
            }
        }
    }
    .await;
    // The shell's keys from here on, not ours.
    input.abort();
    terminal::restore();
    shutdown::finish_writes(outbox, steps_writes, &mut inbox).await;
    let why = match &result {
        Ok(Ending::Signal(number)) => format!(" on {}", tasks::signal_name(*number)),
        _ => String::new(),
    };
    tracing::info!("left{why}: terminal given back, journal writes finished");
    result
}

/// Actions a killed run left unfinished go on where they stopped: on screen at once,
/// and to the outbox, which checks at the source before sending one that may have gone
/// out. Read-only mode sends nothing: they wait in the journal for a run that may.
fn resume_unfinished(
    state: &mut State,
    outbox: &outbox::Outbox,
    records: &[crate::journal::Record],
    read_only: bool,
) {
    let unfinished = crate::journal::outstanding(records);
    state.restore_outstanding(&unfinished);
    if read_only && !unfinished.is_empty() {
        let n = unfinished.len();
        state.say(
            format!("{n} unfinished action(s) from before wait in the journal: read-only mode sends nothing"),
            true,
        );
        return;
    }
    for item in unfinished {
        let _ = outbox.resume(item);
    }
}

/// Ask a source's task something (its history, who is on call); the answer comes back
/// as the event `answer` makes of it. A source not running answers "not found".
fn ask_source<T: Send + 'static>(
    handles: &[SourceHandle],
    source: &str,
    events: &mpsc::UnboundedSender<Event>,
    request: impl FnOnce(oneshot::Sender<Result<T, ProviderError>>) -> SourceRequest,
    answer: impl FnOnce(Result<T, ProviderError>) -> Event + Send + 'static,
) {
    let events = events.clone();
    let stopped = || Err(ProviderError::Http("source task stopped".into()));
    let Some(handle) = handles.iter().find(|h| h.name == source).cloned() else {
        let _ = events.send(answer(Err(ProviderError::Unsupported(format!(
            "no source named {source}"
        )))));
        return;
    };
    let (reply, reply_to) = oneshot::channel();
    let request = request(reply);
    tokio::spawn(async move {
        let result = match handle.requests.send(request).await {
            Ok(()) => reply_to.await.unwrap_or_else(|_| stopped()),
            Err(_) => stopped(),
        };
        let _ = events.send(answer(result));
    });
}

/// Step records are flushed to disk off the loop; a failure is reported, the progress is
/// kept in memory.
fn save_step(
    journal: &Arc<Mutex<Result<Journal, String>>>,
    record: StepRecord,
    events: &mpsc::UnboundedSender<Event>,
    token: Token,
) {
    let (journal, events) = (Arc::clone(journal), events.clone());
    tokio::task::spawn_blocking(move || {
        let _in_flight = token;
        let mut journal = journal.lock().unwrap_or_else(|e| e.into_inner());
        let result = match journal.as_mut() {
            Ok(journal) => journal
                .append(&record)
                .map_err(|e| format!("cannot write {}: {e}", journal.path().display())),
            Err(problem) => Err(problem.clone()),
        };
        if let Err(reason) = result {
            let _ = events.send(Event::StepNotSaved { record, reason });
        }
    });
}
