//! The outbox and the cockpit's state together, as app.rs joins them: a journal that
//! cannot be written fails the action on screen, retry and drop go through the journal.

use super::*;
use crate::command::Command;
use crate::incident::IncidentKey;
use crate::journal::read;
use crate::providers::demo::{DemoSource, DemoWorld};
use crate::providers::poller::{self, PollSettings};
use crate::state::State;
use crate::testing::{demo_state, frozen_now};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn demo_handle(events: &mpsc::UnboundedSender<Event>) -> SourceHandle {
    let demo = Arc::new(DemoSource::new(
        "demo",
        DemoWorld::embedded().unwrap(),
        Utc::now(),
        "Ana Ops",
    ));
    let settings = PollSettings {
        interval: Duration::from_secs(3600),
        timeout: Duration::from_secs(5),
        max_backoff: Duration::from_secs(3600),
        read_only: false,
    };
    poller::spawn("demo".into(), demo, settings, events.clone())
}

fn settings() -> OutboxSettings {
    OutboxSettings {
        me: "Ana Ops".into(),
        first_retry: Duration::from_millis(10),
    }
}

fn press(state: &mut State, code: KeyCode) -> Vec<Command> {
    let modifiers = match code {
        KeyCode::Char(c) if c.is_ascii_uppercase() => KeyModifiers::SHIFT,
        _ => KeyModifiers::NONE,
    };
    state.apply(Event::Key(KeyEvent::new(code, modifiers)), frozen_now())
}

/// Carry out the state's commands as app.rs does, and feed the outbox's reports back
/// until op `id` has settled (neither pending nor sent).
async fn run(
    state: &mut State,
    outbox: &Outbox,
    events: &mut mpsc::UnboundedReceiver<Event>,
    commands: Vec<Command>,
) -> u64 {
    let mut id = None;
    for command in commands {
        match command {
            Command::Submit(op) | Command::Retry(op) => {
                id = Some(op.id);
                outbox.send(op).unwrap();
            }
            Command::DropOp(op) => {
                id = Some(op);
                outbox.drop_op(op).unwrap();
            }
            _ => {}
        }
    }
    let id = id.expect("the state asked the outbox for something");
    loop {
        let event = tokio::time::timeout(Duration::from_secs(10), events.recv())
            .await
            .expect("the outbox answers")
            .expect("the outbox runs");
        // A settled op, or a drop the outbox kept: either way the answer is in.
        let (about_it, kept) = match &event {
            Event::Op { id: got, .. } => (*got == id, false),
            Event::OpNotDropped { id: got, .. } => (*got == id, true),
            _ => (false, false),
        };
        state.apply(event, frozen_now());
        let settled = !matches!(state.ops[&id].state, OpState::Pending | OpState::Sent);
        if about_it && (settled || kept) {
            return id;
        }
    }
}

async fn acknowledge_the_first(journal: Result<Journal, String>) -> (State, String) {
    let (tx, mut events) = mpsc::unbounded_channel();
    let outbox = spawn(journal, vec![demo_handle(&tx)], settings(), tx);
    let mut state = demo_state(160, 48);
    press(&mut state, KeyCode::Char('a'));
    let commands = press(&mut state, KeyCode::Char('y'));
    let id = run(&mut state, &outbox, &mut events, commands).await;
    let flash = state.flash.clone().unwrap().text;
    assert!(
        state.ops[&id].state != OpState::Confirmed,
        "never reported done"
    );
    (state, flash)
}

#[tokio::test]
async fn a_data_dir_that_cannot_be_made_fails_the_action_on_screen_and_says_why() {
    // A data dir under a regular file: not creatable, for root as well.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("file"), "").unwrap();
    let path = dir.path().join("file/data/journal.jsonl");
    let (state, flash) = acknowledge_the_first(Journal::open_actions(&path)).await;
    let expected = format!("not sent: cannot open journal {}", path.display());
    let op = state.ops.values().next().unwrap();
    assert!(
        matches!(&op.state, OpState::Failed(reason) if reason.starts_with(&expected) && reason.contains("Not a directory")),
        "{:?}",
        op.state
    );
    assert!(flash.starts_with("✖ acknowledge demo:"), "{flash}");
    assert!(flash.contains(&expected), "{flash}");
    assert_eq!(
        state.action_counts().failed,
        1,
        "the status bar keeps it in sight"
    );
}

#[tokio::test]
async fn a_read_only_data_dir_fails_the_action_for_root_too() {
    // chmod does not stop root; /proc refuses new files to everyone.
    let path = std::path::Path::new("/proc/journal.jsonl");
    let (state, flash) = acknowledge_the_first(Journal::open_actions(path)).await;
    let op = state.ops.values().next().unwrap();
    assert!(
        matches!(&op.state, OpState::Failed(reason) if reason.starts_with("not sent: cannot open journal /proc/journal.jsonl")),
        "{:?}",
        op.state
    );
    assert!(flash.contains("not sent: cannot open journal"), "{flash}");
}

#[tokio::test]
async fn a_full_disk_fails_the_action_on_screen_and_says_why() {
    // /dev/full opens and then fails every write, as a full disk does.
    let journal = Journal::open_actions(std::path::Path::new("/dev/full"));
    let (state, flash) = acknowledge_the_first(journal).await;
    let op = state.ops.values().next().unwrap();
    assert!(
        matches!(&op.state, OpState::Failed(reason) if reason.starts_with("not sent: cannot write journal /dev/full") && reason.contains("No space left")),
        "{:?}",
        op.state
    );
    assert!(flash.contains("not sent: cannot write journal"), "{flash}");
}

/// A source task stand-in: answers each request with the next of `answers`; past their
/// end it takes requests and never answers (a request on its way).
fn scripted_source(answers: Vec<Result<(), ProviderError>>) -> (SourceHandle, Arc<Mutex<u32>>) {
    let (requests, mut inbox) = mpsc::channel(8);
    let asked = Arc::new(Mutex::new(0));
    let counter = Arc::clone(&asked);
    tokio::spawn(async move {
        let mut answers = answers.into_iter();
        let mut held = Vec::new();
        while let Some(SourceRequest::Perform { reply, .. }) = inbox.recv().await {
            *counter.lock().unwrap() += 1;
            match answers.next() {
                Some(answer) => {
                    let _ = reply.send(answer);
                }
                None => held.push(reply),
            }
        }
    });
    let handle = SourceHandle {
        name: "demo".into(),
        kind: "demo",
        requests,
    };
    (handle, asked)
}

fn journal_in(dir: &tempfile::TempDir) -> (std::path::PathBuf, Result<Journal, String>) {
    let path = dir.path().join("journal.jsonl");
    let journal = Journal::open_actions(&path);
    (path, journal)
}

/// (op, state) of each record, in order.
fn story(path: &std::path::Path) -> Vec<(u64, &'static str)> {
    read::<Record>(path)
        .unwrap()
        .iter()
        .map(|record| match record {
            Record::Pending { op, .. } => (*op, "pending"),
            Record::Sent { op, .. } => (*op, "sent"),
            Record::Confirmed { op, .. } => (*op, "confirmed"),
            Record::Failed { op, .. } => (*op, "failed"),
            Record::Dropped { op, .. } => (*op, "dropped"),
            Record::NotActionable { .. } => (0, "not actionable"),
        })
        // Sent is the other helpers' to emit; this story is about what follows it.
        .filter(|(_, state)| *state != "sent")
        .collect()
}

fn refused() -> Result<(), ProviderError> {
    Err(ProviderError::Auth(
        "demo: 403, the token may not write".into(),
    ))
}

#[tokio::test]
async fn a_failed_action_retried_from_the_list_is_sent_again_under_its_id_and_confirmed() {
    let dir = tempfile::tempdir().unwrap();
    let (path, journal) = journal_in(&dir);
    let (tx, mut events) = mpsc::unbounded_channel();
    let (source, asked) = scripted_source(vec![refused(), Ok(())]);
    let outbox = spawn(journal, vec![source], settings(), tx);
    let mut state = demo_state(160, 48);
    press(&mut state, KeyCode::Char('a'));
    let commands = press(&mut state, KeyCode::Char('y'));
    let id = run(&mut state, &outbox, &mut events, commands).await;
    assert!(matches!(state.ops[&id].state, OpState::Failed(_)));
    press(&mut state, KeyCode::Char('A'));
    press(&mut state, KeyCode::Char('t'));
    let commands = press(&mut state, KeyCode::Char('y'));
    assert_eq!(run(&mut state, &outbox, &mut events, commands).await, id);
    assert_eq!(state.ops[&id].state, OpState::Confirmed);
    assert_eq!(*asked.lock().unwrap(), 2);
    assert_eq!(
        story(&path),
        [
            (id, "pending"),
            (id, "failed"),
            (id, "pending"),
            (id, "confirmed")
        ],
        "one op, its last record its state"
    );
}

#[tokio::test]
async fn a_dropped_action_is_journaled_as_dropped_and_shown_so() {
    let dir = tempfile::tempdir().unwrap();
    let (path, journal) = journal_in(&dir);
    let (tx, mut events) = mpsc::unbounded_channel();
    let (source, asked) = scripted_source(vec![refused()]);
    let outbox = spawn(journal, vec![source], settings(), tx);
    let mut state = demo_state(160, 48);
    press(&mut state, KeyCode::Char('a'));
    let commands = press(&mut state, KeyCode::Char('y'));
    let id = run(&mut state, &outbox, &mut events, commands).await;
    press(&mut state, KeyCode::Char('A'));
    press(&mut state, KeyCode::Char('d'));
    let commands = press(&mut state, KeyCode::Char('y'));
    run(&mut state, &outbox, &mut events, commands).await;
    assert_eq!(state.ops[&id].state, OpState::Dropped);
    assert_eq!(
        story(&path),
        [(id, "pending"), (id, "failed"), (id, "dropped")]
    );
    assert_eq!(*asked.lock().unwrap(), 1, "never sent again");
}

#[tokio::test]
async fn an_action_on_its_way_is_not_dropped_even_if_the_screen_was_behind() {
    let dir = tempfile::tempdir().unwrap();
    let (path, journal) = journal_in(&dir);
    let (tx, mut events) = mpsc::unbounded_channel();
    // The source takes the request and does not answer yet.
    let (source, asked) = scripted_source(vec![]);
    let outbox = spawn(journal, vec![source], settings(), tx);
    let op = Op {
        id: 9,
        key: IncidentKey::new("demo", "INC-1042"),
        verb: crate::providers::Verb::acknowledge(),
        assignee_then: None,
        incident: None,
    };
    outbox.send(op).unwrap();
    while *asked.lock().unwrap() == 0 {
        tokio::task::yield_now().await;
    }
    // Asked straight of the outbox, as a screen that has not heard "sent" yet would.
    outbox.drop_op(9).unwrap();
    let answer = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            match events.recv().await {
                Some(Event::OpNotDropped { id: 9, reason }) => return Ok(reason),
                Some(Event::Op {
                    id: 9,
                    state: OpState::Dropped,
                }) => return Err("dropped while on its way"),
                _ => {}
            }
        }
    })
    .await;
    let refusal = answer.expect("the outbox answers the drop").unwrap();
    assert!(
        refusal.contains("was sent and may be done already"),
        "{refusal}"
    );
    assert!(!story(&path).contains(&(9, "dropped")));
}
