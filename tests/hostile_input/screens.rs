//! The hostile answers of all three providers, decoded by their real wire types, fed to
//! the real state, drawn by the real `ui::render` into a test backend: in every screen
//! and overlay no cell holds an escape or a bidi, zero-width or control character, but
//! for the hyperlink cells of the playbook's checked web links.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use pagerdeck::command::Command;
use pagerdeck::event::Event;
use pagerdeck::incident::Incident;
use pagerdeck::keymap::Keymap;
use pagerdeck::metrics::{Notice, Series, Unit};
use pagerdeck::playbook::Library;
use pagerdeck::providers::{
    Capabilities, History, Note, OnCall, ProviderError, TimelineEntry, alertmanager, opsgenie,
    pagerduty,
};
use pagerdeck::state::{Setup, SourceSetup, State};
use pagerdeck::testing::frozen_now;
use pagerdeck::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::corpus::{
    ALERTMANAGER, OPSGENIE, PAGERDUTY, assert_clean, forbidden, nasty, shown, write_playbooks,
};

/// A source whose name is hostile and whose server failed with a hostile body.
const BROKEN: &str = "broken\x1b]0;pwned\x07\u{202E}";

pub fn provider_incidents() -> Vec<(&'static str, Vec<Incident>)> {
    let now = frozen_now();
    let settings = alertmanager::Settings::new("am", vec!["http://unused".into()], "Ana Ops");
    vec![
        (
            "pd",
            pagerduty::incidents_from_json("pd", PAGERDUTY, now).unwrap(),
        ),
        (
            "og",
            opsgenie::incidents_from_json("og", OPSGENIE, now).unwrap(),
        ),
        (
            "am",
            alertmanager::incidents_from_json(&settings, ALERTMANAGER).unwrap(),
        ),
    ]
}

fn setup(hyperlinks: bool, library: Library) -> Setup {
    let n = nasty();
    let refusing = Capabilities {
        note: Err(format!("OG-REFUSAL {n}")),
        ..Capabilities::all()
    };
    let source = |name: &str, kind: &str, capabilities: Capabilities| SourceSetup {
        escalation_route: Some(format!("ROUTE {n}")),
        ..SourceSetup::new(name, kind, 30, capabilities)
    };
    Setup {
        me: format!("ME {n}"),
        level_two: format!("LEVEL-TWO {n}"),
        demo: false,
        read_only: false,
        hyperlinks,
        utc_offset_seconds: 0,
        keymap: Keymap::defaults(),
        library,
        progress: Default::default(),
        sources: vec![
            source("pd", "pagerduty", Capabilities::all()),
            source("og", "opsgenie", refusing),
            source("am", "alertmanager", Capabilities::all()),
            source(BROKEN, "alertmanager", Capabilities::all()),
        ],
    }
}

/// Every source answered with the fixtures (the broken one failed), and every question
/// the state asks (metrics, notes, who is on call, a playbook) answered with hostile text.
fn hostile_state(width: u16, height: u16, hyperlinks: bool) -> State {
    let dir = tempfile::tempdir().unwrap();
    write_playbooks(dir.path());
    let (library, _) = Library::assemble(&[dir.path().to_path_buf()], false, BTreeMap::new());
    assert_eq!(library.playbooks.len(), 2);
    let now = frozen_now();
    let mut state = State::new(setup(hyperlinks, library), now, (width, height));
    for (source, incidents) in provider_incidents() {
        let commands = state.apply(
            Event::Incidents {
                source: source.into(),
                generation: 1,
                result: Ok(incidents),
                degraded: Some(format!("DEGRADED {}", nasty())),
            },
            now,
        );
        answer(&mut state, commands);
    }
    let failed = Err(ProviderError::Status {
        code: 500,
        body: format!("BROKEN-BODY {}", nasty()),
    });
    state.apply(
        Event::Incidents {
            source: BROKEN.into(),
            generation: 1,
            result: failed,
            degraded: None,
        },
        now,
    );
    state
}

/// Answer what the state asked for, as the tasks would, with hostile text.
fn answer(state: &mut State, commands: Vec<Command>) {
    let n = nasty();
    let now = state.now;
    let at = now - TimeDelta::minutes(5);
    for command in commands {
        let event = match command {
            Command::FetchMetrics {
                ticket,
                incident,
                range,
            } => Event::Metrics {
                ticket,
                key: incident.key.clone(),
                range,
                result: Ok(vec![
                    Series::new(
                        format!("SERIES {n}"),
                        Unit::None,
                        (0..20).map(|i| (f64::from(i), f64::from(i % 7))).collect(),
                    ),
                    Series::notice(format!("NOTICE {n}"), Notice::Problem(n.clone())),
                    Series::notice(format!("INFO {n}"), Notice::Info(n.clone())),
                ]),
            },
            Command::FetchHistory(key) => Event::History {
                key,
                result: Ok(History {
                    notes: vec![Note {
                        at,
                        by: Some(format!("NOTE-BY {n}")),
                        text: format!("NOTE-TEXT {n}"),
                    }],
                    timeline: vec![TimelineEntry {
                        at,
                        by: Some(n.clone()),
                        what: format!("TIMELINE {n}"),
                    }],
                    timeline_problem: None,
                }),
            },
            Command::FetchOnCall(source) => Event::OnCall {
                result: Ok(vec![OnCall {
                    source: source.clone(),
                    rota: format!("ROTA {n}"),
                    level: Some(2),
                    who: format!("WHO {n}"),
                    until: Some(now + TimeDelta::hours(3)),
                    from: None,
                }]),
                source,
            },
            Command::FetchPlaybook(url) => Event::PlaybookFetched {
                url,
                result: Err(format!("FETCH-FAILED {n}")),
            },
            _ => continue,
        };
        let more = state.apply(event, now);
        answer(state, more);
    }
}

fn press(state: &mut State, code: KeyCode) {
    let modifiers = match code {
        KeyCode::Char(c) if c.is_ascii_uppercase() => KeyModifiers::SHIFT,
        _ => KeyModifiers::NONE,
    };
    let commands = state.apply(Event::Key(KeyEvent::new(code, modifiers)), state.now);
    answer(state, commands);
}

/// Draw `state` and check every cell; the screen's text, for what must be shown.
fn check(state: &State, what: &str) -> String {
    check_links(state, what).0
}

/// `check`, and how many cells are hyperlinks.
fn check_links(state: &State, what: &str) -> (String, usize) {
    let theme = Theme::load("dark", None).unwrap();
    let backend = TestBackend::new(state.size.0, state.size.1);
    let mut terminal = Terminal::new(backend).unwrap();
    terminal
        .draw(|frame| pagerdeck::ui::render(frame, state, &theme))
        .unwrap();
    let buffer = terminal.backend().buffer();
    let mut links = 0;
    // The screen as read: a hyperlink cell by its glyph, a row per line.
    let mut text = String::new();
    for (index, cell) in buffer.content.iter().enumerate() {
        let place = format!("{what}, cell {index}");
        let symbol = cell.symbol();
        match hyperlink(symbol) {
            Some((url, glyph)) if state.setup.hyperlinks => {
                links += 1;
                assert!(url.starts_with("https://ok.example/"), "{place}: {url:?}");
                assert_clean(&place, url, &[]);
                assert_clean(&place, glyph, &[]);
                text.push_str(glyph);
            }
            _ => {
                assert_clean(&place, symbol, &[]);
                text.push_str(symbol);
            }
        }
        if (index + 1) % usize::from(state.size.0) == 0 {
            text.push('\n');
        }
    }
    (text, links)
}

/// The address and glyph of an OSC 8 cell as the cockpit writes it (`ESC ] 8 ; id=pdN ;
/// URL ESC \ GLYPH ESC ] 8 ; ; ESC \`), if `symbol` is exactly that.
fn hyperlink(symbol: &str) -> Option<(&str, &str)> {
    let rest = symbol.strip_prefix("\x1b]8;id=pd")?;
    let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit());
    let (url, rest) = rest.strip_prefix(';')?.split_once("\x1b\\")?;
    let glyph = rest.strip_suffix("\x1b]8;;\x1b\\")?;
    Some((url, glyph))
}

/// Each overlay and pane, for the selected incident.
fn every_view(state: &mut State, what: &str) {
    let base = check(state, what);
    shown(what, &base, "Incidents");
    let title = state
        .selected()
        .map(|i| i.title.clone())
        .unwrap_or_default();
    press(state, KeyCode::Enter);
    let details = check(state, &format!("{what}: details"));
    if title.starts_with("LONG-TITLE") {
        // 10,000 characters, cut: the rest of the overlay still shows under it.
        assert!(details.contains("AAA…"), "{what}: not cut:\n{details}");
        shown(what, &details, "severity");
    }
    press(state, KeyCode::Esc);
    for (key, name) in [
        (KeyCode::Char('a'), "acknowledge"),
        (KeyCode::Char('s'), "snooze"),
        (KeyCode::Char('e'), "escalate"),
        (KeyCode::Char('o'), "links"),
        (KeyCode::Char('O'), "outline"),
        (KeyCode::Char('W'), "roster"),
        (KeyCode::Char('?'), "help"),
    ] {
        press(state, key);
        check(state, &format!("{what}: {name}"));
        press(state, KeyCode::Esc);
    }
    press(state, KeyCode::Char('N'));
    let commands = state.apply(Event::Paste(format!("PASTED {}", nasty())), state.now);
    answer(state, commands);
    check(state, &format!("{what}: note"));
    press(state, KeyCode::Esc);
}

fn walk(width: u16, height: u16, hyperlinks: bool) {
    let mut state = hostile_state(width, height, hyperlinks);
    let size = format!("{width}x{height}");
    let first = check(&state, &size);
    for marker in ["PD-TITLE", "OG-MESSAGE", "AM-SUMMARY", "LONG-TITLE"] {
        shown(&size, &first, marker);
    }
    let count = state.visible.len();
    assert_eq!(count, 6, "every fixture incident is listed");
    for position in 0..count {
        let key = state
            .selected()
            .map(|i| i.key.id.clone())
            .unwrap_or_default();
        every_view(&mut state, &format!("{size} incident {position} ({key:?})"));
        press(&mut state, KeyCode::Char('j'));
    }
    // The filter shows what was typed (here pasted).
    press(&mut state, KeyCode::Char('/'));
    let commands = state.apply(Event::Paste(nasty()), state.now);
    answer(&mut state, commands);
    check(&state, &format!("{size}: filter"));
}

#[test]
fn every_screen_and_overlay_is_clean_at_80x24() {
    walk(80, 24, false);
}

#[test]
fn every_screen_and_overlay_is_clean_at_200x60_with_hyperlinks() {
    walk(200, 60, true);
}

#[test]
fn the_playbook_pane_shows_the_hostile_playbook_clean() {
    let mut state = hostile_state(160, 48, true);
    assert!(state.playbook.matched.is_some(), "the playbook matches");
    press(&mut state, KeyCode::Tab);
    press(&mut state, KeyCode::Tab);
    let (text, mut links) = check_links(&state, "playbook pane");
    shown("playbook pane", &text, "PB-HEADING");
    let mut seen = text;
    for _ in 0..12 {
        press(&mut state, KeyCode::PageDown);
        let (text, more) = check_links(&state, "playbook pane, scrolled");
        seen.push_str(&text);
        links += more;
    }
    for marker in ["PB-PARAGRAPH", "PB-STEP", "PB-LINK", "footnote"] {
        shown("playbook pane, scrolled", &seen, marker);
    }
    // PB-LINK's and the table's: the bidi address and the hostile one are refused.
    assert!(links > 0, "the playbook's web links are hyperlinks");
}

#[test]
fn the_hand_over_level_two_reads_is_clean() {
    // Sent as a note or a page, it is read in someone else's terminal.
    let n = nasty();
    for (_, incidents) in provider_incidents() {
        for incident in &incidents {
            let notes = [Note {
                at: frozen_now(),
                by: Some(n.clone()),
                text: format!("NOTE {n}"),
            }];
            let text = pagerdeck::handover::compose(&pagerdeck::handover::HandOver {
                incident,
                level_two: &format!("LEVEL-TWO {n}"),
                by: &format!("ME {n}"),
                now: frozen_now(),
                signals: &[Series::new(
                    format!("SERIES {n}"),
                    Unit::None,
                    vec![(0.0, 1.0)],
                )],
                playbook: Some((
                    n.clone(),
                    vec![pagerdeck::handover::Step {
                        text: format!("STEP {n}"),
                        done: false,
                    }],
                )),
                notes: &notes,
            });
            assert_clean("hand-over", &text, &['\n']);
            shown("hand-over", &text, "NOTE");
        }
    }
}

#[test]
fn the_fixtures_are_hostile() {
    // Without this, a fixture emptied by accident would make every test above pass.
    let (_, pd) = &provider_incidents()[0];
    let raw = |text: &str| text.chars().any(|c| forbidden(c, &[]));
    assert!(raw(&pd[0].title) && raw(&pd[0].service) && raw(&pd[1].key.id));
    assert_eq!(pd[1].title.chars().count(), 10_011);
    let now: DateTime<Utc> = frozen_now();
    assert!(pd[0].opened_at < now);
}
