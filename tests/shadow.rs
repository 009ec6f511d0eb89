#![allow(clippy::unwrap_used)] // Tests: a failure here is a failed test.
//! Shadow mode follows the live queue and changes nothing: every write key pressed in a
//! shadow cockpit, and every verb pushed through its outbox anyway, reaches the recording
//! server (PagerDuty, Opsgenie, Alertmanager with its route to level two) as nothing but
//! GETs; the headless verbs refuse; the screen says it is shadow mode.

#[allow(dead_code)] // Only `text` is used.
#[path = "support/cli.rs"]
mod cli;
#[path = "support/recording.rs"]
mod recording;

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use chrono::Utc;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tokio::sync::mpsc;

use cli::text;
use pagerdeck::action::Action;
use pagerdeck::command::{Command, Op};
use pagerdeck::context::{Context, Flags};
use pagerdeck::event::{Event, OpState};
use pagerdeck::journal::Journal;
use pagerdeck::keymap::Keymap;
use pagerdeck::outbox::{self, OutboxSettings};
use pagerdeck::state::{Setup, SourceSetup, State};
use pagerdeck::theme::Theme;
use recording::{
    AM_INCIDENT, OG_ALERT, PD_INCIDENT, config_text, every_verb, run, serve, write_config, writes,
};

const REFUSED: &str = "read-only mode: nothing was sent";

fn key_event(code: KeyCode, ctrl: bool, alt: bool) -> Event {
    let mut modifiers = KeyModifiers::NONE;
    if ctrl {
        modifiers |= KeyModifiers::CONTROL;
    }
    if alt {
        modifiers |= KeyModifiers::ALT;
    }
    if matches!(code, KeyCode::Char(c) if c.is_ascii_uppercase()) {
        modifiers |= KeyModifiers::SHIFT;
    }
    Event::Key(KeyEvent::new(code, modifiers))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_shadow_cockpit_sends_nothing_whatever_is_pressed_or_pushed() {
    let server = serve().await;
    let home = tempfile::tempdir().unwrap();
    let webhook = format!("{{ webhook_url = \"{}/hook\" }}", server.uri());
    let file = write_config(
        home.path(),
        "config.toml",
        &config_text(&server.uri(), &webhook, false),
    );
    // As `pagerdeck --shadow` makes it.
    let flags = Flags {
        config: Some(&file),
        theme: None,
        read_only: false,
    };
    let context = Context::load(&flags).unwrap().shadowed();
    assert!(context.shadow && context.read_only);

    let (events, mut inbox) = mpsc::unbounded_channel();
    let mut handles = Vec::new();
    let mut setups = Vec::new();
    for source in &context.config.sources {
        let built =
            pagerdeck::sources::build(source, &context.config, &context.me, Utc::now()).unwrap();
        setups.push(SourceSetup::new(
            &source.name,
            built.kind(),
            source.poll_interval.as_secs(),
            built.capabilities(),
        ));
        handles.push(built.spawn(source, context.read_only, events.clone()));
    }
    let setup = Setup {
        demo: false,
        read_only: context.read_only,
        keymap: context.keymap.clone(),
        sources: setups,
        ..pagerdeck::testing::demo_setup()
    };
    let mut state = State::new(setup, Utc::now(), (160, 48));
    state.shadow = context.shadow;
    // Each source has polled once, so the cockpit lists an incident of each.
    let mut polled = HashSet::new();
    while polled.len() < handles.len() {
        let event = inbox.recv().await.unwrap();
        if let Event::Incidents { source, result, .. } = &event {
            assert!(result.is_ok(), "{source}: {result:?}");
            polled.insert(source.clone());
            state.apply(event, Utc::now());
        }
    }
    assert_eq!(state.incidents.len(), 3);

    let journal_dir = tempfile::tempdir().unwrap();
    let journal =
        Journal::open(&journal_dir.path().join("journal.jsonl")).map_err(|e| e.to_string());
    let settings = OutboxSettings {
        me: context.me.clone(),
        first_retry: Duration::from_millis(10),
    };
    let ops = outbox::spawn(journal, handles, settings, events);

    // Every write key of the default table on every incident, each followed by what
    // would confirm it; then the same actions as the key table would run them.
    let writes_keys: Vec<_> = Keymap::defaults()
        .bindings
        .into_iter()
        .filter(|b| b.dangerous)
        .collect();
    assert!(writes_keys.len() >= 6, "{writes_keys:?}");
    let mut asked = Vec::new();
    for index in 0..state.incidents.len() {
        state.apply(key_event(KeyCode::Char('g'), false, false), Utc::now());
        for _ in 0..index {
            state.apply(key_event(KeyCode::Char('j'), false, false), Utc::now());
        }
        for binding in &writes_keys {
            // Enter opens the details: closed, so the key reaches the key table.
            state.overlay = None;
            let key = binding.keys[0];
            asked.extend(state.apply(key_event(key.code, key.ctrl, key.alt), Utc::now()));
            let said = state
                .flash
                .as_ref()
                .map(|f| f.text.clone())
                .unwrap_or_default();
            assert!(
                said.contains("shadow mode") && said.contains(&binding.desc),
                "{}: {said:?}",
                binding.desc
            );
            for confirm in [KeyCode::Char('y'), KeyCode::Enter] {
                asked.extend(state.apply(key_event(confirm, false, false), Utc::now()));
            }
            asked.extend(state.update(binding.action));
            asked.extend(state.apply(key_event(KeyCode::Char('y'), false, false), Utc::now()));
        }
        state.overlay = None;
    }
    asked.extend(state.update(Action::Refresh));
    let mut sent = 0;
    for command in asked {
        if let Command::Submit(op) | Command::Retry(op) = command {
            sent += 1;
            ops.send(op).unwrap();
        }
    }
    assert_eq!(sent, 0, "the shadow cockpit asked for no write");

    // And were one asked for anyway, its source's task refuses it.
    let mut id = 0;
    for key in [PD_INCIDENT, OG_ALERT, AM_INCIDENT] {
        for verb in every_verb(&server.uri()) {
            id += 1;
            ops.send(Op {
                id,
                key: key.parse().unwrap(),
                verb,
                assignee_then: None,
                incident: None,
            })
            .unwrap();
        }
    }
    let mut settled = HashMap::new();
    while settled.len() < id as usize {
        let event = tokio::time::timeout(Duration::from_secs(60), inbox.recv())
            .await
            .expect("every op settles within a minute");
        if let Some(Event::Op { id, state }) = event
            && !matches!(state, OpState::Pending | OpState::Sent)
        {
            settled.insert(id, state);
        }
    }
    for (id, state) in &settled {
        assert_eq!(state, &OpState::Failed(REFUSED.into()), "op {id}");
    }
    assert_eq!(writes(&server).await, Vec::<String>::new());
}

#[tokio::test(flavor = "multi_thread")]
async fn headless_verbs_refuse_with_the_flag_and_with_the_config() {
    let server = serve().await;
    let home = tempfile::tempdir().unwrap();
    let events = format!(
        "{{ events_routing_key_env = \"PAGERDECK_TEST_ROUTING_KEY\", events_url = \"{}/events\" }}",
        server.uri()
    );
    let written = config_text(&server.uri(), &events, false);
    let by_flag = write_config(home.path(), "flag.toml", &written);
    let shadow_config = written.replacen("read_only = false", "shadow = true", 1);
    let by_config = write_config(home.path(), "config.toml", &shadow_config);
    let attempts = [
        vec!["ack", PD_INCIDENT],
        vec!["resolve", OG_ALERT],
        vec!["note", PD_INCIDENT, "rolled", "back"],
        vec!["escalate", AM_INCIDENT, "--yes", "--message", "need you"],
        vec!["ack", AM_INCIDENT],
    ];
    for attempt in &attempts {
        for (config, flag) in [(&by_flag, Some("--shadow")), (&by_config, None)] {
            let args: Vec<&str> = flag.into_iter().chain(attempt.iter().copied()).collect();
            let out = run(home.path(), config, &args);
            let said = format!("{}{}", text(&out.stdout), text(&out.stderr));
            assert_eq!(out.status.code(), Some(1), "{args:?}: {said}");
            assert!(said.contains(REFUSED), "{args:?}: {said}");
        }
    }
    assert_eq!(writes(&server).await, Vec::<String>::new());
}

/// The demo in shadow mode, as `--shadow` sets it up.
fn shadow_demo(width: u16, height: u16) -> State {
    let mut setup = pagerdeck::testing::demo_setup();
    setup.read_only = true;
    setup.keymap = Keymap::defaults().without_dangerous();
    let mut state = pagerdeck::testing::state_with_setup(setup, width, height);
    state.shadow = true;
    state
}

fn screen(state: &State) -> String {
    let theme = Theme::load("dark", None).unwrap();
    let mut terminal = Terminal::new(TestBackend::new(state.size.0, state.size.1)).unwrap();
    terminal
        .draw(|frame| pagerdeck::ui::render(frame, state, &theme))
        .unwrap();
    terminal.backend().to_string()
}

#[test]
fn the_shadow_screen_has_its_badge_and_banner_and_no_write_hints() {
    for (width, height, banner) in [
        (80, 24, "shadow: nothing you press changes anything"),
        (160, 48, pagerdeck::state::SHADOW_BANNER),
    ] {
        let shown = screen(&shadow_demo(width, height));
        assert!(shown.contains(" SHADOW "), "{shown}");
        assert!(!shown.contains("READ-ONLY"), "one badge says both: {shown}");
        assert!(shown.contains(banner), "{shown}");
        insta::assert_snapshot!(format!("shadow_demo_{width}x{height}"), shown);
    }
}

#[test]
fn a_write_key_in_shadow_says_it_is_shadow_mode() {
    let mut state = shadow_demo(120, 36);
    let now = pagerdeck::testing::frozen_now();
    let commands = state.apply(key_event(KeyCode::Char('a'), false, false), now);
    assert_eq!(commands, []);
    let said = screen(&state);
    assert!(
        said.contains("shadow mode: watching the live queue"),
        "{said}"
    );
    assert!(said.contains("is off"), "{said}");
    // Reached another way than its key (the actions list, a click), it says so too.
    for action in [Action::Escalate, Action::Note, Action::Resolve] {
        let mut state = shadow_demo(120, 36);
        assert_eq!(state.update(action), []);
        let said = &state.flash.as_ref().unwrap().text;
        assert_eq!(said, pagerdeck::state::SHADOW_BANNER, "{action:?}");
    }
    // A key bound to nothing at all still says nothing.
    let mut state = shadow_demo(120, 36);
    state.apply(key_event(KeyCode::Char('Z'), false, false), now);
    assert!(state.flash.is_none());
}
