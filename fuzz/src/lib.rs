//! What the fuzz targets share: the invariant (nothing that could steer the terminal or
//! hide text reaches it) and the real code it is checked on: the incident list and the
//! details overlay drawn by `ui::render`, a playbook laid out and printed.

use std::cell::RefCell;

use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use pagerdeck::event::Event;
use pagerdeck::incident::Incident;
use pagerdeck::markdown::Document;
use pagerdeck::playbook::Playbook;
use pagerdeck::playbook::show::{self, Output, Shown};
use pagerdeck::sanitize;
use pagerdeck::state::{Setup, State};
use pagerdeck::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

pub fn now() -> DateTime<Utc> {
    pagerdeck::testing::frozen_now()
}

/// Could `c` steer the terminal or hide text? A zero width joiner is let be: the
/// sanitiser keeps it inside an emoji, which is checked in its own tests.
fn steers(c: char) -> bool {
    sanitize::is_unsafe(c) && c != '\u{200D}'
}

pub fn assert_clean(what: &str, text: &str) {
    assert_clean_but(what, text, &[]);
}

fn assert_clean_but(what: &str, text: &str, allowed: &[char]) {
    if let Some(c) = text.chars().find(|&c| steers(c) && !allowed.contains(&c)) {
        panic!("{what}: {c:?} in {text:?}");
    }
}

/// The sanitiser's own promises: clean, at most a field long, and the same when asked again.
pub fn check_sanitiser(text: &str) {
    let once = sanitize::line(text);
    assert_clean("sanitize::line", &once);
    assert!(once.chars().count() <= sanitize::FIELD);
    assert_eq!(sanitize::line(&once), once, "sanitize::line twice");
    assert_clean_but("sanitize::lines", &sanitize::lines(text), &['\n', '\t']);
}

/// What serde_json reads, the lenient reading reads the same.
pub fn lenient_accepts_what_strict_does(data: &[u8]) {
    if let Ok(strict) = serde_json::from_slice::<serde_json::Value>(data) {
        let lenient: serde_json::Value = sanitize::json::decode(data).expect("lenient reads it");
        assert_eq!(strict, lenient);
    }
}

thread_local! {
    /// Built once: the demo's setup (its playbooks match some services) and a theme.
    static FIXED: RefCell<Option<(Setup, Theme)>> = const { RefCell::new(None) };
}

fn with_fixed<T>(f: impl FnOnce(&Setup, &Theme) -> T) -> T {
    FIXED.with(|fixed| {
        let mut fixed = fixed.borrow_mut();
        let (setup, theme) = fixed.get_or_insert_with(|| {
            let theme = Theme::load("dark", None).expect("the dark theme");
            (pagerdeck::testing::demo_setup(), theme)
        });
        f(setup, theme)
    })
}

/// The incidents as the cockpit shows them: the list, then the first one's details.
pub fn draw_incidents(source: &str, incidents: Vec<Incident>) {
    with_fixed(|setup, theme| {
        let mut setup = setup.clone();
        setup.sources[0].name = source.to_string();
        let mut state = State::new(setup, now(), (100, 30));
        state.apply(
            Event::Incidents {
                source: source.into(),
                generation: 1,
                result: Ok(incidents),
                degraded: None,
            },
            now(),
        );
        draw(&state, theme, "list");
        let enter = KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE);
        state.apply(Event::Key(enter), now());
        draw(&state, theme, "details");
    });
}

/// Every cell: no escape at all (the demo setup has no hyperlinks), nothing that steers.
fn draw(state: &State, theme: &Theme, what: &str) {
    let mut terminal =
        Terminal::new(TestBackend::new(state.size.0, state.size.1)).expect("backend");
    terminal
        .draw(|frame| pagerdeck::ui::render(frame, state, theme))
        .expect("draw");
    for cell in &terminal.backend().buffer().content {
        assert_clean(what, cell.symbol());
    }
}

/// A playbook file as the library reads it, laid out as the pane does and printed as
/// `playbook show` prints it.
pub fn check_playbook(text: &str, width: u16) {
    let (playbook, _) = Playbook::parse_lenient("fuzz.md", text);
    let rendered = Document::parse(&playbook.body).layout(width);
    for line in &rendered.lines {
        for span in line {
            assert_clean("span", &span.text);
        }
    }
    for name in rendered.headings.iter().map(|h| &h.text) {
        assert_clean("heading", name);
    }
    for item in &rendered.items {
        assert_clean("step", &item.text);
        for code in &item.code {
            assert_clean_but("step code", code, &['\n', '\t']);
        }
    }
    for link in &rendered.links {
        assert_clean("link text", &link.text);
    }
    let header = format!("fuzz.md · {}", show::front_matter_summary(&playbook));
    let shown = Shown {
        lines: &rendered.lines,
        links: &rendered.links,
    };
    let mut printed = Vec::new();
    show::print(&mut printed, &header, shown, width, Output::Plain).expect("print");
    let printed = String::from_utf8(printed).expect("UTF-8");
    assert_clean_but("printed plain", &printed, &['\n']);
    with_fixed(|_, theme| {
        let mut styled = Vec::new();
        show::print(&mut styled, &header, shown, width, Output::Styled(theme)).expect("print");
        let styled = String::from_utf8(styled).expect("UTF-8");
        assert_clean_but("printed styled", &without_our_sequences(&styled), &['\n']);
    });
}

/// `printed` without the SGR (`ESC [ … m`) and OSC 8 (`ESC ] 8 ; ; URL ESC \`) sequences
/// `playbook show` writes itself; any other escape is a failure. An OSC 8 address must
/// be clean too.
fn without_our_sequences(printed: &str) -> String {
    let mut out = String::new();
    let mut rest = printed;
    while let Some(at) = rest.find('\x1b') {
        out.push_str(&rest[..at]);
        let sequence = &rest[at..];
        if let Some(sgr) = sequence.strip_prefix("\x1b[") {
            let end = sgr
                .find(|c: char| !(c.is_ascii_digit() || c == ';'))
                .filter(|&end| sgr[end..].starts_with('m'))
                .unwrap_or_else(|| panic!("not an SGR sequence: {sequence:?}"));
            rest = &sgr[end + 1..];
        } else if let Some(link) = sequence.strip_prefix("\x1b]8;;") {
            let (url, after) = link
                .split_once("\x1b\\")
                .unwrap_or_else(|| panic!("an unterminated OSC 8: {sequence:?}"));
            assert_clean("OSC 8 address", url);
            rest = after;
        } else {
            panic!("an escape we did not write: {sequence:?}");
        }
    }
    out.push_str(rest);
    out
}
