#![allow(clippy::unwrap_used)] // Tests: a failure here is a failed test.
//! `!` marks a page "not actionable": a reason is required, the mark is asked of the app
//! loop as a command with what the incident was, shown in the list and the details,
//! changed, taken back when it cannot be journaled, restored from the journal; and the
//! same from a script with `pagerdeck not-actionable`.

#[path = "support/cli.rs"]
mod cli;

use chrono::TimeDelta;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use pagerdeck::command::Command;
use pagerdeck::event::Event;
use pagerdeck::incident::IncidentKey;
use pagerdeck::journal::{IncidentFacts, Record};
use pagerdeck::keymap::Keymap;
use pagerdeck::state::{Overlay, State};
use pagerdeck::testing::{demo_setup, demo_state, frozen_now, state_with_setup};
use pagerdeck::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn screen(state: &State) -> String {
    let theme = Theme::load("dark", None).unwrap();
    let mut terminal = Terminal::new(TestBackend::new(state.size.0, state.size.1)).unwrap();
    terminal
        .draw(|frame| pagerdeck::ui::render(frame, state, &theme))
        .unwrap();
    terminal.backend().to_string()
}

fn chord(state: &mut State, code: KeyCode, modifiers: KeyModifiers) -> Vec<Command> {
    state.apply(Event::Key(KeyEvent::new(code, modifiers)), frozen_now())
}

fn press(state: &mut State, code: KeyCode) -> Vec<Command> {
    chord(state, code, KeyModifiers::NONE)
}

fn typed(state: &mut State, text: &str) {
    for c in text.chars() {
        press(state, KeyCode::Char(c));
    }
}

/// `!`, the reason, Enter: the commands asked for.
fn mark(state: &mut State, reason: &str) -> Vec<Command> {
    press(state, KeyCode::Char('!'));
    typed(state, reason);
    press(state, KeyCode::Enter)
}

fn reason_of(state: &State, id: &str) -> Option<String> {
    state
        .not_actionable
        .get(&IncidentKey::new("demo", id))
        .map(|m| m.reason.clone())
}

#[test]
fn a_reason_is_required_and_enter_asks_for_the_mark_with_what_the_incident_was() {
    let mut state = demo_state(80, 24);
    let selected = state.selected().unwrap().clone();
    press(&mut state, KeyCode::Char('!'));
    assert!(matches!(&state.overlay, Some(Overlay::NotActionable(p)) if p.key == selected.key));
    assert!(screen(&state).contains("Why is this page not actionable"));

    // No reason, no mark: the prompt stays and says why.
    assert_eq!(press(&mut state, KeyCode::Enter), vec![]);
    assert!(matches!(state.overlay, Some(Overlay::NotActionable(_))));
    let flash = state.flash.clone().unwrap();
    assert!(flash.error && flash.text.contains("say why"), "{flash:?}");

    typed(&mut state, "flaps every night");
    let commands = press(&mut state, KeyCode::Enter);
    assert_eq!(
        commands,
        vec![Command::MarkNotActionable {
            key: selected.key.clone(),
            reason: "flaps every night".into(),
            incident: Some(IncidentFacts::from(&selected)),
        }]
    );
    assert_eq!(state.overlay, None);
    let mark = &state.not_actionable[&selected.key];
    assert_eq!((mark.by.as_str(), mark.at), ("Ana Ops", frozen_now()));

    // In the list row (a word, not a colour alone) and under the list.
    let shown = screen(&state);
    let row = shown
        .lines()
        .find(|l| l.contains("◆ CRIT ! TRIG 9m"))
        .unwrap();
    assert!(row.contains("⊘noise"), "{row}");
    assert!(
        shown.contains("marked not actionable by Ana Ops 03:12: flaps every night"),
        "{shown}"
    );
    // And in the details.
    press(&mut state, KeyCode::Enter);
    let details = screen(&state);
    assert!(details.contains("Details"), "{details}");
    assert!(
        details.contains("⊘ marked not actionable by Ana Ops 03:12: flaps every"),
        "{details}"
    );
}

#[test]
fn esc_drops_the_reason_and_nothing_is_asked() {
    let mut state = demo_state(80, 24);
    press(&mut state, KeyCode::Char('!'));
    typed(&mut state, "noise");
    assert_eq!(press(&mut state, KeyCode::Esc), vec![]);
    assert_eq!(state.overlay, None);
    assert!(state.not_actionable.is_empty());
}

#[test]
fn read_only_mode_keeps_the_key_it_sends_nothing_to_a_source() {
    let mut setup = demo_setup();
    setup.read_only = true;
    setup.keymap = Keymap::defaults().without_dangerous();
    let mut state = state_with_setup(setup, 80, 24);
    let commands = mark(&mut state, "known flapper");
    assert!(
        matches!(&commands[..], [Command::MarkNotActionable { reason, .. }] if reason == "known flapper"),
        "{commands:?}"
    );
    let binding = Keymap::defaults()
        .without_dangerous()
        .binding(pagerdeck::action::Action::NotActionable)
        .cloned()
        .unwrap();
    assert_eq!(binding.keys_text(), "!");
    assert!(
        binding.desc.contains("kept in your journal only"),
        "{}",
        binding.desc
    );
}

#[test]
fn bang_on_a_marked_incident_changes_the_reason_and_a_failed_write_puts_the_old_one_back() {
    let mut state = demo_state(80, 24);
    let key = state.selected().unwrap().key.clone();
    mark(&mut state, "flaps");
    press(&mut state, KeyCode::Char('!'));
    let Some(Overlay::NotActionable(prompt)) = &state.overlay else {
        panic!("no prompt");
    };
    assert!(prompt.changing && prompt.text == "flaps", "{prompt:?}");
    assert!(screen(&state).contains("Change why this page is not actionable"));
    chord(&mut state, KeyCode::Char('u'), KeyModifiers::CONTROL);
    typed(&mut state, "threshold too low");
    let commands = press(&mut state, KeyCode::Enter);
    assert!(
        matches!(&commands[..], [Command::MarkNotActionable { reason, .. }] if reason == "threshold too low")
    );
    assert_eq!(
        reason_of(&state, &key.id).as_deref(),
        Some("threshold too low")
    );

    // The journal could not take it: the screen goes back to what the journal holds.
    state.apply(
        Event::MarkNotSaved {
            key: key.clone(),
            reason: "threshold too low".into(),
            error: "cannot write /data/journal.jsonl: No space left on device".into(),
        },
        frozen_now(),
    );
    assert_eq!(reason_of(&state, &key.id).as_deref(), Some("flaps"));
    let flash = state.flash.clone().unwrap();
    assert!(
        flash.error && flash.text.contains("No space left"),
        "{flash:?}"
    );

    // A first mark that cannot be written leaves no mark at all.
    press(&mut state, KeyCode::Char('j'));
    let other = state.selected().unwrap().key.clone();
    mark(&mut state, "noise");
    state.apply(
        Event::MarkNotSaved {
            key: other.clone(),
            reason: "noise".into(),
            error: "disk gone".into(),
        },
        frozen_now(),
    );
    assert_eq!(reason_of(&state, &other.id), None);
}

#[test]
fn reasons_used_before_are_offered_with_up_and_down() {
    let mut state = demo_state(80, 24);
    mark(&mut state, "flaps every night");
    press(&mut state, KeyCode::Char('j'));
    press(&mut state, KeyCode::Char('!'));
    assert!(screen(&state).contains("↑/↓ reasons used before: “flaps every night”"));
    press(&mut state, KeyCode::Up);
    let commands = press(&mut state, KeyCode::Enter);
    assert!(
        matches!(&commands[..], [Command::MarkNotActionable { reason, .. }] if reason == "flaps every night"),
        "{commands:?}"
    );
}

#[test]
fn marks_of_the_last_14_days_come_back_from_the_journal_the_newest_per_incident() {
    let mut state = demo_state(80, 24);
    let record = |id: &str, days_ago: i64, reason: &str| Record::NotActionable {
        at: frozen_now() - TimeDelta::days(days_ago),
        key: IncidentKey::new("demo", id),
        reason: reason.into(),
        by: "Ben Okafor".into(),
        incident: None,
    };
    state.restore_not_actionable(&[
        record("INC-1042", 20, "too old to matter"),
        record("INC-1036", 3, "first word"),
        record("INC-1036", 1, "second word"),
        record("INC-1043", 0, "fired during a deploy"),
    ]);
    assert_eq!(reason_of(&state, "INC-1042"), None);
    assert_eq!(
        reason_of(&state, "INC-1036").as_deref(),
        Some("second word")
    );
    assert_eq!(
        reason_of(&state, "INC-1043").as_deref(),
        Some("fired during a deploy")
    );
}

#[test]
fn a_marked_incident_80x24() {
    let mut state = demo_state(80, 24);
    mark(&mut state, "flaps every night, fixed threshold pending");
    press(&mut state, KeyCode::Char('j'));
    press(&mut state, KeyCode::Char('k'));
    state.flash = None;
    insta::assert_snapshot!(screen(&state));
}

#[test]
fn the_headless_verb_journals_the_mark_and_an_unknown_incident_is_exit_2() {
    let home = tempfile::tempdir().unwrap();
    let journal = home.path().join("data").join("journal.jsonl");
    let out = cli::pagerdeck(home.path(), None, &["not-actionable", "INC-9999", "noise"]);
    assert_eq!(out.status.code(), Some(2), "{}", cli::text(&out.stderr));
    assert!(cli::text(&out.stderr).contains("no active incident INC-9999"));
    assert!(!journal.exists(), "nothing written");

    let out = cli::pagerdeck(
        home.path(),
        None,
        &["not-actionable", "demo:INC-1027", "fires", "weekly"],
    );
    assert!(out.status.success(), "{}", cli::text(&out.stderr));
    assert!(
        cli::text(&out.stdout).contains("marked demo:INC-1027 not actionable: fires weekly (kept in your journal only; nothing was sent to demo)"),
        "{}",
        cli::text(&out.stdout)
    );
    let records = pagerdeck::journal::read::<Record>(&journal).unwrap();
    let [
        Record::NotActionable {
            key,
            reason,
            incident: Some(facts),
            ..
        },
    ] = &records[..]
    else {
        panic!("{records:?}");
    };
    assert_eq!(key, &IncidentKey::new("demo", "INC-1027"));
    assert_eq!(reason, "fires weekly");
    assert!(facts.title.starts_with("TLS certificate"), "{facts:?}");

    // In read-only mode too: nothing goes to a source; and as JSON for scripts.
    let out = cli::pagerdeck(
        home.path(),
        None,
        &[
            "--read-only",
            "not-actionable",
            "--json",
            "INC-1033",
            "slow but harmless",
        ],
    );
    assert!(out.status.success(), "{}", cli::text(&out.stderr));
    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(printed["state"], "not_actionable");
    assert_eq!(printed["key"], "demo:INC-1033");
    assert_eq!(printed["reason"], "slow but harmless");
    assert_eq!(
        pagerdeck::journal::read::<Record>(&journal).unwrap().len(),
        2
    );
}

#[test]
fn a_mark_that_cannot_be_journaled_is_said_and_exits_1() {
    let home = tempfile::tempdir().unwrap();
    // A file where the data folder should be: the journal cannot be opened.
    std::fs::write(home.path().join("data"), "not a folder").unwrap();
    let out = cli::pagerdeck(home.path(), None, &["not-actionable", "INC-1027", "noise"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = cli::text(&out.stderr);
    assert!(
        stderr.contains("not marked: cannot open journal"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty(), "{}", cli::text(&out.stdout));
}

#[test]
fn a_pasted_reason_is_one_clean_line() {
    let mut state = demo_state(80, 24);
    press(&mut state, KeyCode::Char('!'));
    state.apply(
        Event::Paste("flaps\u{1b}]52;c;evil\u{7} every\nnight".into()),
        frozen_now(),
    );
    let commands = press(&mut state, KeyCode::Enter);
    let [Command::MarkNotActionable { reason, .. }] = &commands[..] else {
        panic!("{commands:?}");
    };
    assert!(
        !reason.contains('\u{1b}') && !reason.contains('\n'),
        "{reason:?}"
    );
    assert!(
        reason.starts_with("flaps") && reason.ends_with("every night"),
        "{reason:?}"
    );
}
