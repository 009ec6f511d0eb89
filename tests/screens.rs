#![allow(clippy::unwrap_used)] // Test fixtures: a failure here is a failed test.

//! Whole screens, drawn from the demo at a frozen moment, compared with snapshots.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use pagerdeck::event::Event;
use pagerdeck::incident::{IncidentKey, Severity};
use pagerdeck::providers::{History, Note, OnCall, ProviderError, TimelineEntry};
use pagerdeck::state::State;
use pagerdeck::testing::{change_first_incident, demo_state, frozen_now};
use pagerdeck::theme::{Role, Theme};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn draw(state: &State, theme: &str) -> Terminal<TestBackend> {
    let theme = Theme::load(theme, None).unwrap();
    let mut terminal = Terminal::new(TestBackend::new(state.size.0, state.size.1)).unwrap();
    terminal
        .draw(|frame| pagerdeck::ui::render(frame, state, &theme))
        .unwrap();
    terminal
}

fn screen(state: &State) -> String {
    draw(state, "dark").backend().to_string()
}

fn press(state: &mut State, code: KeyCode) {
    let modifiers = if matches!(code, KeyCode::Char(c) if c.is_ascii_uppercase()) {
        KeyModifiers::SHIFT
    } else {
        KeyModifiers::NONE
    };
    state.apply(Event::Key(KeyEvent::new(code, modifiers)), frozen_now());
}

#[test]
fn demo_80x24() {
    insta::assert_snapshot!(screen(&demo_state(80, 24)));
}

#[test]
fn demo_80x24_playbook_tab() {
    let mut state = demo_state(80, 24);
    press(&mut state, KeyCode::BackTab);
    insta::assert_snapshot!(screen(&state));
}

#[test]
fn demo_120x36_two_columns() {
    insta::assert_snapshot!(screen(&demo_state(120, 36)));
}

#[test]
fn demo_160x48() {
    insta::assert_snapshot!(screen(&demo_state(160, 48)));
}

#[test]
fn help_overlay_80x24() {
    let mut state = demo_state(80, 24);
    press(&mut state, KeyCode::Char('?'));
    insta::assert_snapshot!(screen(&state));
}

#[test]
fn help_overlay_160x48() {
    let mut state = demo_state(160, 48);
    press(&mut state, KeyCode::Char('?'));
    insta::assert_snapshot!(screen(&state));
}

#[test]
fn confirm_acknowledge_80x24() {
    let mut state = demo_state(80, 24);
    press(&mut state, KeyCode::Char('a'));
    insta::assert_snapshot!(screen(&state));
}

/// Level two at the demo: Kai now, Mia next.
fn level_two_answered(state: &mut State) {
    let at_level_two = |who: &str, from: Option<i64>, until: i64| OnCall {
        source: "demo".into(),
        rota: "Eng Cap".into(),
        level: Some(2),
        who: who.into(),
        until: Some(frozen_now() + chrono::TimeDelta::hours(until)),
        from: from.map(|hours| frozen_now() + chrono::TimeDelta::hours(hours)),
    };
    state.apply(
        Event::LevelTwo {
            key: IncidentKey::new("demo", "INC-1042"),
            result: Ok(vec![
                at_level_two("Kai Lindqvist", None, 40),
                at_level_two("Mia Chen", Some(40), 80),
            ]),
        },
        frozen_now(),
    );
}

#[test]
fn escalation_panel_160x48() {
    let mut state = demo_state(160, 48);
    press(&mut state, KeyCode::Char('e'));
    level_two_answered(&mut state);
    insta::assert_snapshot!(screen(&state));
}

#[test]
fn roster_80x24() {
    let mut state = demo_state(80, 24);
    press(&mut state, KeyCode::Char('W'));
    // Level, who, rota, starts in (hours; 0 = on call now), ends in.
    let people = [
        (2, "Mia Chen", "Eng Cap", 51, 219),
        (1, "Ana Ops", "storefront-primary", 0, 7),
        (2, "Kai Lindqvist", "Eng Cap", 0, 51),
    ];
    let at = |hours: i64| frozen_now() + chrono::TimeDelta::hours(hours);
    state.apply(
        Event::OnCall {
            source: "demo".into(),
            result: Ok(people
                .iter()
                .map(|(level, who, rota, from, until)| OnCall {
                    source: "demo".into(),
                    rota: (*rota).into(),
                    level: Some(*level),
                    who: (*who).into(),
                    until: Some(at(*until)),
                    from: (*from > 0).then(|| at(*from)),
                })
                .collect()),
        },
        frozen_now(),
    );
    let shown = screen(&state);
    let kai = shown.find("Kai Lindqvist").unwrap();
    let mia = shown.find("Mia Chen").unwrap();
    assert!(
        kai < mia,
        "who is on call comes before who is next:\n{shown}"
    );
    insta::assert_snapshot!(shown);
}

#[test]
fn escalation_panel_80x24_keeps_how_to_send_in_sight() {
    let mut state = demo_state(80, 24);
    press(&mut state, KeyCode::Char('e'));
    // Who is on call now and next wraps, and the rule under it stays.
    level_two_answered(&mut state);
    let shown = screen(&state);
    assert!(shown.contains("Ctrl-S send"), "{shown}");
    assert!(shown.contains("Mia Chen (Eng Cap, from"), "{shown}");
    insta::assert_snapshot!(shown);
}

#[test]
fn details_overlay_160x48() {
    let mut state = demo_state(160, 48);
    press(&mut state, KeyCode::Enter);
    insta::assert_snapshot!("details_overlay_160x48_loading", screen(&state));
    // What the source answered: its notes, then its timeline, with who and when.
    let key = state.selected().unwrap().key.clone();
    let at = |minutes| frozen_now() - chrono::TimeDelta::minutes(minutes);
    let history = History {
        notes: vec![Note {
            at: at(2),
            by: Some("Kai Lindqvist".into()),
            text: "rolled back 4.2.1; error rate falling".into(),
        }],
        timeline: vec![
            TimelineEntry {
                at: at(14),
                by: None,
                what: "Triggered through the API".into(),
            },
            TimelineEntry {
                at: at(9),
                by: Some("Ana Ops".into()),
                what: "Acknowledged".into(),
            },
        ],
        timeline_problem: None,
    };
    state.apply(
        Event::History {
            key,
            result: Ok(history),
        },
        frozen_now(),
    );
    insta::assert_snapshot!(screen(&state));
}

#[test]
fn note_dialog_80x24() {
    let mut state = demo_state(80, 24);
    press(&mut state, KeyCode::Char('N'));
    for c in "rolled back the deploy".chars() {
        press(&mut state, KeyCode::Char(c));
    }
    insta::assert_snapshot!(screen(&state));
}

#[test]
fn filter_active_80x24() {
    let mut state = demo_state(80, 24);
    press(&mut state, KeyCode::Char('/'));
    for c in "checkout".chars() {
        press(&mut state, KeyCode::Char(c));
    }
    insta::assert_snapshot!(screen(&state));
}

#[test]
fn filter_active_160x48() {
    let mut state = demo_state(160, 48);
    press(&mut state, KeyCode::Char('/'));
    for c in "edge".chars() {
        press(&mut state, KeyCode::Char(c));
    }
    insta::assert_snapshot!(screen(&state));
}

#[test]
fn filter_matching_nothing_says_so_160x48() {
    let mut state = demo_state(160, 48);
    press(&mut state, KeyCode::Char('/'));
    for c in "no-such-thing".chars() {
        press(&mut state, KeyCode::Char(c));
    }
    press(&mut state, KeyCode::Enter);
    insta::assert_snapshot!(screen(&state));
}

fn failing(mut state: State) -> State {
    let later = frozen_now() + chrono::TimeDelta::minutes(4);
    state.apply(
        Event::Incidents {
            source: "demo".into(),
            generation: 50,
            result: Err(ProviderError::Http(
                "connection refused (127.0.0.1:9093)".into(),
            )),
            degraded: None,
        },
        later,
    );
    state
}

#[test]
fn failing_source_160x48() {
    insta::assert_snapshot!(screen(&failing(demo_state(160, 48))));
}

#[test]
fn failing_source_80x24() {
    insta::assert_snapshot!(screen(&failing(demo_state(80, 24))));
}

#[test]
fn terminal_too_small() {
    insta::assert_snapshot!(screen(&demo_state(20, 5)));
}

#[test]
fn read_only_has_a_badge_and_no_dangerous_hints() {
    let mut setup = pagerdeck::testing::demo_setup();
    setup.read_only = true;
    setup.keymap = setup.keymap.without_dangerous();
    let mut state = State::new(setup, frozen_now(), (100, 30));
    state.apply(Event::Resize(100, 30), frozen_now());
    let text = screen(&state);
    assert!(text.contains("READ-ONLY"), "{text}");
    assert!(
        !text.contains("a ack") && !text.contains("e escalate"),
        "{text}"
    );
}

#[test]
fn no_size_panics_from_zero_up() {
    for (width, height) in [
        (0, 0),
        (1, 1),
        (5, 2),
        (20, 5),
        (39, 9),
        (40, 10),
        (41, 11),
        (99, 12),
        (100, 10),
        (159, 20),
        (160, 10),
        (300, 100),
    ] {
        let mut state = demo_state(width, height);
        for code in [
            KeyCode::Char('?'),
            KeyCode::Esc,
            KeyCode::Enter,
            KeyCode::Esc,
            KeyCode::Char('a'),
            KeyCode::Tab,
        ] {
            press(&mut state, code);
            draw(&state, "dark");
        }
    }
}

#[test]
fn a_critical_row_carries_the_critical_style_and_glyph() {
    let state = demo_state(160, 48);
    let theme = Theme::load("dark", None).unwrap();
    let terminal = draw(&state, "dark");
    let buffer = terminal.backend().buffer();
    let row = state.layout().incidents.y + 2;
    let x = state.layout().incidents.x + 1;
    let cell = &buffer[(x, row)];
    assert_eq!(cell.symbol(), Severity::Critical.glyph());
    assert_eq!(cell.fg, theme.severity(Severity::Critical).fg.unwrap());
    let word: String = (x + 2..x + 6)
        .map(|c| buffer[(c, row)].symbol().to_string())
        .collect();
    assert_eq!(word, "CRIT");
    // The selected row is marked by more than colour in mono too.
    let mono = draw(&state, "mono");
    let selected = &mono.backend().buffer()[(x + 8, row)];
    assert!(
        selected
            .modifier
            .contains(ratatui::style::Modifier::REVERSED)
    );
    assert_eq!(
        Theme::load("mono", None).unwrap().style(Role::Selected).fg,
        None
    );
}

#[test]
fn every_theme_draws_the_demo() {
    for name in ["dark", "light", "high-contrast", "mono"] {
        let text = draw(&demo_state(160, 48), name).backend().to_string();
        assert!(text.contains("◆ CRIT"), "{name}");
    }
}

#[test]
fn hostile_incident_text_never_reaches_the_terminal_raw() {
    let mut state = demo_state(160, 48);
    change_first_incident(&mut state, |first| {
        first.title = "evil \x1b]52;c;cm0gLXJmIH4=\x07 \x1b[2J\u{202E}title".into();
        first.service = "svc\x1b[31m".into();
        first
            .labels
            .insert("x\x07".into(), "\x1b]8;;http://e\x07".into());
    });
    press(&mut state, KeyCode::Char('g'));
    press(&mut state, KeyCode::Enter);
    let terminal = draw(&state, "dark");
    for cell in terminal.backend().buffer().content() {
        assert!(
            !cell
                .symbol()
                .chars()
                .any(|c| c.is_control() || c == '\u{202E}'),
            "{:?}",
            cell.symbol()
        );
    }
}

#[test]
fn an_escalated_incident_shows_level_two_and_keeps_the_cut_mark() {
    let mut state = demo_state(160, 48);
    change_first_incident(&mut state, |first| {
        first.escalated_to = Some("Eng Cap".into());
    });
    let text = screen(&state);
    let row = text
        .lines()
        .find(|l| l.contains("⇡Eng Cap"))
        .expect("badge shown");
    assert!(row.contains("0/6 ⇡Eng Cap checkout-a…┃"), "{row}");
}

#[test]
fn a_long_list_shows_where_the_cursor_is_and_only_what_fits() {
    let mut state = pagerdeck::testing::bulk_state(10_000, 80, 24);
    press(&mut state, KeyCode::Char('G'));
    let text = screen(&state);
    assert!(text.contains(" 10000/10000 "), "{text}");
    // The bottom of the list is drawn: the oldest info incidents, no critical one.
    assert!(text.contains("· INFO") && !text.contains("CRIT"), "{text}");
    assert_eq!(state.cursor, 9_999);
}

#[test]
fn steps_followed_80x24() {
    let mut state = demo_state(80, 24);
    press(&mut state, KeyCode::BackTab);
    press(&mut state, KeyCode::Char('x'));
    press(&mut state, KeyCode::Char('x'));
    insta::assert_snapshot!(screen(&state));
}

#[test]
fn links_overlay_80x24() {
    let mut state = demo_state(80, 24);
    press(&mut state, KeyCode::Char('o'));
    insta::assert_snapshot!(screen(&state));
}

#[test]
fn outline_overlay_160x48() {
    let mut state = demo_state(160, 48);
    press(&mut state, KeyCode::Char('O'));
    insta::assert_snapshot!(screen(&state));
}

#[test]
fn a_web_playbooks_offline_copy_shows_its_age_160x48() {
    let mut state = demo_state(160, 48);
    let url = "https://raw.example.com/acme/runbooks/checkout.md";
    change_first_incident(&mut state, |first| {
        first.links.push(pagerdeck::incident::Link {
            title: "runbook".into(),
            url: url.into(),
        });
    });
    state.apply(
        Event::PlaybookFetched {
            url: url.into(),
            result: Ok(pagerdeck::playbook::remote::Fetched {
                body: "# Checkout (wiki copy)\n\n- [ ] roll back\n".into(),
                at: frozen_now() - chrono::TimeDelta::hours(3),
                offline: Some("cannot connect".into()),
            }),
        },
        frozen_now(),
    );
    insta::assert_snapshot!(screen(&state));
}

#[test]
fn web_links_in_the_playbook_are_osc8_hyperlinks_only_when_asked() {
    let mut state = demo_state(160, 48);
    state.playbook.scroll = 0; // The top of checkout-api.md: its dashboard link.
    let url = "https://grafana.example.com/d/checkout/checkout-api";
    let open = format!("\x1b]8;id=pd1;{url}\x1b\\");
    let linked = |state: &State| -> Vec<(String, ratatui::buffer::CellDiffOption)> {
        let terminal = draw(state, "dark");
        let buffer = terminal.backend().buffer();
        buffer
            .content()
            .iter()
            .filter(|cell| cell.symbol().contains("\x1b]8;"))
            .map(|cell| (cell.symbol().to_string(), cell.diff_option))
            .collect()
    };
    assert!(
        linked(&state).is_empty(),
        "off: no escape reaches the screen"
    );

    state.setup.hyperlinks = true;
    let cells = linked(&state);
    let text: String = cells
        .iter()
        .filter_map(|(symbol, _)| symbol.strip_prefix(open.as_str()))
        .filter_map(|rest| rest.strip_suffix("\x1b]8;;\x1b\\"))
        .collect();
    assert_eq!(
        text, "checkout-api overview",
        "each cell of the link text, closed"
    );
    let one = ratatui::buffer::CellDiffOption::ForcedWidth(1.try_into().unwrap());
    assert!(
        cells.iter().all(|(_, option)| *option == one),
        "one column each"
    );
    // Anchors and relative links are followed with `o`, never linked.
    assert!(
        !cells
            .iter()
            .any(|(s, _)| s.contains("README.md") || s.contains("#highlatencyp99"))
    );
}
