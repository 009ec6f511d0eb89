#![allow(clippy::unwrap_used)] // Test fixtures: a failure here is a failed test.

//! What the screen shows of sources: the verbs each has or lacks, a degraded one, and
//! which source each incident came from when there are several.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use pagerdeck::event::Event;
use pagerdeck::providers::Capabilities;
use pagerdeck::state::State;
use pagerdeck::testing::{demo_state, frozen_now};
use pagerdeck::theme::{Role, Theme};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

fn draw(state: &State) -> Buffer {
    let theme = Theme::load("dark", None).unwrap();
    let mut terminal = Terminal::new(TestBackend::new(state.size.0, state.size.1)).unwrap();
    terminal
        .draw(|frame| pagerdeck::ui::render(frame, state, &theme))
        .unwrap();
    terminal.backend().buffer().clone()
}

fn row(buffer: &Buffer, y: u16) -> String {
    (0..buffer.area.width)
        .map(|x| buffer[(x, y)].symbol())
        .collect()
}

#[test]
fn snooze_dialog_80x24() {
    let mut state = demo_state(80, 24);
    for code in [KeyCode::Char('s'), KeyCode::Right] {
        state.apply(
            Event::Key(KeyEvent::new(code, KeyModifiers::NONE)),
            frozen_now(),
        );
    }
    let buffer = draw(&state);
    let screen = (0..24).map(|y| row(&buffer, y)).collect::<Vec<_>>();
    insta::assert_snapshot!(screen.join("\n"));
}

#[test]
fn a_verb_the_source_lacks_stays_in_the_hints_greyed() {
    let mut state = demo_state(160, 48);
    let theme = Theme::load("dark", None).unwrap();
    let hints_row = 46;
    let before = draw(&state);
    let text = row(&before, hints_row);
    let at = u16::try_from(text.find("R resolve").expect(&text)).unwrap();
    assert_eq!(
        before[(at, hints_row)].fg,
        theme.style(Role::HintKey).fg.unwrap()
    );
    state.sources[0].capabilities = Capabilities {
        resolve: Err("Alertmanager cannot resolve".into()),
        ..Capabilities::all()
    };
    let after = draw(&state);
    assert_eq!(row(&after, hints_row), text, "still there, same place");
    assert_eq!(
        after[(at, hints_row)].fg,
        theme.style(Role::Dim).fg.unwrap()
    );
    let ack = u16::try_from(text.find("a ack").unwrap()).unwrap();
    assert_eq!(
        after[(ack, hints_row)].fg,
        theme.style(Role::HintKey).fg.unwrap()
    );
}

#[test]
fn a_degraded_source_is_named_in_the_status_bar_and_its_incidents_stay() {
    let mut state = demo_state(160, 48);
    let incidents = state.incidents.iter().map(|i| (**i).clone()).collect();
    state.apply(
        Event::Incidents {
            source: "demo".into(),
            generation: 99,
            result: Ok(incidents),
            degraded: Some("1 of 2 members down: cannot reach server".into()),
        },
        frozen_now(),
    );
    let buffer = draw(&state);
    let status = row(&buffer, 47);
    assert!(
        status.contains("demo ◑ degraded: 1 of 2 members down"),
        "{status}"
    );
    let screen = (0..48)
        .map(|y| row(&buffer, y))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(screen.contains("INC-1042"), "incidents still listed");
    assert!(!screen.contains("⚠ demo"), "not flagged as stale data");
}

#[test]
fn with_several_sources_each_row_names_its_source() {
    let mut setup = pagerdeck::testing::demo_setup();
    setup.sources.push(pagerdeck::state::SourceSetup::new(
        "prod",
        "alertmanager",
        5,
        Capabilities::all(),
    ));
    let mut state = pagerdeck::testing::state_with_setup(setup, 160, 48);
    let mut theirs = (*state.incidents[0]).clone();
    theirs.key = pagerdeck::incident::IncidentKey::new("prod", "HighErrorRate/ledger");
    theirs.source = "prod".into();
    theirs.title = "ledger 5xx from prod".into();
    state.apply(
        Event::Incidents {
            source: "prod".into(),
            generation: 1,
            result: Ok(vec![theirs]),
            degraded: None,
        },
        frozen_now(),
    );
    let buffer = draw(&state);
    let screen: Vec<String> = (0..48).map(|y| row(&buffer, y)).collect();
    let header = screen.iter().find(|l| l.contains("SEV")).unwrap();
    assert!(header.contains("SOURCE"), "{header}");
    let theirs = screen
        .iter()
        .find(|l| l.contains("ledger 5xx from prod"))
        .unwrap();
    assert!(theirs.contains(" prod "), "{theirs}");
    let ours = screen.iter().filter(|l| l.contains(" demo ")).count();
    assert!(
        ours >= 7,
        "the demo's rows say demo:\n{}",
        screen.join("\n")
    );
    // One source: no column spent on it.
    let single = draw(&demo_state(160, 48));
    let header = (0..48).map(|y| row(&single, y)).find(|l| l.contains("SEV"));
    assert!(!header.unwrap().contains("SOURCE"));
}

#[test]
fn a_failing_source_keeps_the_age_of_its_data_in_a_narrow_status_bar() {
    let mut setup = pagerdeck::testing::demo_setup();
    setup.sources.push(pagerdeck::state::SourceSetup::new(
        "prod",
        "alertmanager",
        1,
        Capabilities::all(),
    ));
    setup.demo = false; // Not the demo alone: no badge.
    let mut state = pagerdeck::testing::state_with_setup(setup, 80, 24);
    let demo: Vec<_> = state.incidents.iter().map(|i| (**i).clone()).collect();
    let later = frozen_now() + chrono::TimeDelta::minutes(4);
    let answers = [
        ("prod", 1, Ok(Vec::new()), frozen_now()),
        ("demo", 99, Ok(demo), later),
        // As long as the reasons a dead server gets: the URL and the cause.
        (
            "prod",
            2,
            Err(pagerdeck::providers::ProviderError::Http(
                "http://127.0.0.1:9093/api/v2/alerts?active=true&inhibited=false: Connection refused (os error 111)".into(),
            )),
            later,
        ),
    ];
    for (source, generation, result, at) in answers {
        state.apply(
            Event::Incidents {
                source: source.into(),
                generation,
                result,
                degraded: None,
            },
            at,
        );
    }
    let status = row(&draw(&state), 23);
    assert!(
        status.contains("demo ● live │ prod ✖ failing: cannot"),
        "{status}"
    );
    assert!(
        status.contains("fused (os error 111) (last good 4m ago)"),
        "{status}"
    );
}
