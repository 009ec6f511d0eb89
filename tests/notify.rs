#![allow(clippy::unwrap_used)] // Tests: a failure here is a failed test.
//! Pages that wake you, through `State` as the app loop drives it: which polls ring,
//! which do not, quiet hours in local time, each page once, reminders; and the bytes a
//! notice writes (bell, OSC 9, OSC 777, tmux's wrap), hostile titles included.

use chrono::{DateTime, TimeDelta, Utc};

use pagerdeck::command::Command;
use pagerdeck::config::Config;
use pagerdeck::config::load::parse_toml;
use pagerdeck::event::Event;
use pagerdeck::incident::{Incident, IncidentKey, Severity, Status};
use pagerdeck::notify::bytes::{TEXT_CAP, bytes};
use pagerdeck::notify::{Desktop, Notice, NoticeKind, Ring};
use pagerdeck::providers::ProviderError;
use pagerdeck::providers::demo::{DemoSource, DemoWorld};
use pagerdeck::state::State;
use pagerdeck::state::notify::Watch;
use pagerdeck::testing::{demo_setup, frozen_now};

/// A cockpit on the demo source, with `[notify]` as written, in a zone `offset_hours`
/// east of UTC; nothing polled yet.
fn cockpit(notify: &str, offset_hours: i32) -> State {
    let config: Config = parse_toml(notify, std::path::Path::new("notify.toml")).unwrap();
    let mut setup = demo_setup();
    setup.utc_offset_seconds = offset_hours * 3600;
    let mut state = State::new(setup, frozen_now(), (120, 36));
    state.watch = Watch::new(config.notify);
    state
}

fn page(id: &str, severity: Severity, status: Status) -> Incident {
    Incident {
        key: IncidentKey::new("demo", id),
        source: "demo".into(),
        title: format!("{id} is on fire"),
        severity,
        status,
        ..pagerdeck::testing::incident("checkout-api", "HighErrorRate")
    }
}

/// One poll answering `incidents` at `at`: the notices it rang.
fn poll(state: &mut State, incidents: &[Incident], at: DateTime<Utc>) -> Vec<Notice> {
    let generation = state.sources[0].generation + 1;
    let event = Event::Incidents {
        source: "demo".into(),
        generation,
        result: Ok(incidents.to_vec()),
        degraded: None,
    };
    notices(state.apply(event, at))
}

fn tick(state: &mut State, at: DateTime<Utc>) -> Vec<Notice> {
    notices(state.apply(Event::Tick, at))
}

fn notices(commands: Vec<Command>) -> Vec<Notice> {
    commands
        .into_iter()
        .filter_map(|c| match c {
            Command::Notify(notice) => Some(notice),
            _ => None,
        })
        .collect()
}

fn minutes(n: i64) -> DateTime<Utc> {
    frozen_now() + TimeDelta::minutes(n)
}

fn ids(notices: &[Notice]) -> Vec<&str> {
    notices.iter().map(|n| n.key.id.as_str()).collect()
}

const FULL: Ring = Ring {
    bell: true,
    desktop: Desktop::Both,
};

#[test]
fn what_was_there_at_the_first_poll_is_quiet_and_a_new_critical_rings() {
    let mut state = cockpit("", 0);
    let old = page("OLD", Severity::Critical, Status::Triggered);
    assert_eq!(poll(&mut state, std::slice::from_ref(&old), minutes(0)), []);
    let new = page("NEW", Severity::Critical, Status::Triggered);
    let rung = poll(&mut state, &[old, new], minutes(1));
    assert_eq!(ids(&rung), ["NEW"]);
    assert_eq!(rung[0].kind, NoticeKind::Page);
    assert_eq!(rung[0].ring, FULL);
    assert_eq!(rung[0].service, "checkout-api");
    // The screen says it too, for a muted terminal.
    let flash = state.flash.as_ref().unwrap();
    assert!(
        flash
            .text
            .contains("new critical page: checkout-api: NEW is on fire"),
        "{}",
        flash.text
    );
}

#[test]
fn many_pages_at_once_ring_once_for_the_most_severe_with_how_many_more() {
    let mut state = cockpit("", 0);
    poll(&mut state, &[], minutes(0));
    let outage = [
        page("HIGH", Severity::High, Status::Triggered),
        page("CRIT", Severity::Critical, Status::Triggered),
        page("ALSO", Severity::High, Status::Triggered),
    ];
    let rung = poll(&mut state, &outage, minutes(1));
    assert_eq!(ids(&rung), ["CRIT"]);
    assert_eq!(rung[0].title, "CRIT is on fire (and 2 more)");
    assert_eq!(
        poll(&mut state, &outage, minutes(2)),
        [],
        "each of them once"
    );
}

#[test]
fn a_failed_first_poll_is_no_baseline_the_first_good_one_is() {
    let mut state = cockpit("", 0);
    let event = Event::Incidents {
        source: "demo".into(),
        generation: 1,
        result: Err(ProviderError::Http("connection refused".into())),
        degraded: None,
    };
    assert_eq!(notices(state.apply(event, minutes(0))), []);
    let there = page("THERE", Severity::Critical, Status::Triggered);
    assert_eq!(
        poll(&mut state, std::slice::from_ref(&there), minutes(1)),
        []
    );
    let later = page("LATER", Severity::High, Status::Triggered);
    assert_eq!(
        ids(&poll(&mut state, &[there, later], minutes(2))),
        ["LATER"]
    );
}

#[test]
fn below_the_level_nothing_rings_nor_flashes_and_the_level_is_configurable() {
    let mut state = cockpit("", 0);
    poll(&mut state, &[], minutes(0));
    let warning = page("WARN", Severity::Warning, Status::Triggered);
    assert_eq!(
        poll(&mut state, std::slice::from_ref(&warning), minutes(1)),
        []
    );
    assert!(state.flash.is_none());
    // One that arrives already acknowledged has someone on it: no page.
    let taken = page("TAKEN", Severity::Critical, Status::Acknowledged);
    assert_eq!(poll(&mut state, &[warning, taken], minutes(2)), []);

    let mut state = cockpit("[notify]\nseverity = \"warning\"\n", 0);
    poll(&mut state, &[], minutes(0));
    let warning = page("WARN", Severity::Warning, Status::Triggered);
    let info = page("INFO", Severity::Info, Status::Triggered);
    assert_eq!(
        ids(&poll(&mut state, &[warning, info], minutes(1))),
        ["WARN"]
    );
}

#[test]
fn each_page_rings_once_and_again_only_after_fifteen_minutes_gone() {
    let mut state = cockpit("", 0);
    poll(&mut state, &[], minutes(0));
    let flappy = page("FLAP", Severity::Critical, Status::Triggered);
    let once = std::slice::from_ref(&flappy);
    assert_eq!(poll(&mut state, once, minutes(1)).len(), 1);
    assert_eq!(poll(&mut state, once, minutes(2)), [], "not on every poll");
    assert_eq!(poll(&mut state, &[], minutes(3)), []);
    assert_eq!(
        poll(&mut state, once, minutes(10)),
        [],
        "back within 15 minutes"
    );
    assert_eq!(poll(&mut state, &[], minutes(11)), []);
    assert_eq!(
        ids(&poll(&mut state, once, minutes(30))),
        ["FLAP"],
        "a page anew"
    );
}

#[test]
fn quiet_hours_are_local_time_and_cross_midnight() {
    let quiet = "[notify]\nseverity = \"info\"\n\n[[notify.quiet]]\nseverity = \"high\"\nhours = \"23:00-06:30\"\nallow = \"bell\"\n\n[[notify.quiet]]\nseverity = \"info\"\n";
    // How a page of `severity` rings at `at` in a zone `offset_hours` east of UTC, and
    // whether the screen said it.
    let ring_at = |offset_hours: i32, at: DateTime<Utc>, severity: Severity| {
        let mut state = cockpit(quiet, offset_hours);
        poll(&mut state, &[], at);
        let rung = poll(&mut state, &[page("P", severity, Status::Triggered)], at);
        (rung.first().map(|n| n.ring), state.flash.is_some())
    };
    let bell_only = Ring {
        bell: true,
        desktop: Desktop::Off,
    };
    // frozen_now() is 03:12 UTC: 05:12 two hours east, 01:12 two hours west (past
    // midnight), 11:12 eight hours east.
    assert_eq!(
        ring_at(2, minutes(0), Severity::High),
        (Some(bell_only), true)
    );
    assert_eq!(
        ring_at(-2, minutes(0), Severity::High),
        (Some(bell_only), true)
    );
    assert_eq!(ring_at(8, minutes(0), Severity::High), (Some(FULL), true));
    // 23:30 (before midnight) is quiet; 06:29 is, 06:30 (the end) no longer.
    let at = |h: i64, m: i64| minutes(h * 60 + m - (3 * 60 + 12));
    assert_eq!(ring_at(0, at(23, 30), Severity::High).0, Some(bell_only));
    assert_eq!(ring_at(0, at(6, 29), Severity::Warning).0, Some(bell_only));
    assert_eq!(ring_at(0, at(6, 30), Severity::High).0, Some(FULL));
    // Above the rule's severity, its hours do not apply.
    assert_eq!(ring_at(2, minutes(0), Severity::Critical).0, Some(FULL));
    // Info never rings, all day; the screen still says it.
    assert_eq!(ring_at(8, minutes(0), Severity::Info), (None, true));
}

#[test]
fn an_acknowledged_incident_reminds_every_remind_after_until_resolved() {
    let mut state = cockpit("[notify]\nremind_after = \"30m\"\n", 0);
    let acked = page("ACK", Severity::High, Status::Acknowledged);
    let list = std::slice::from_ref(&acked);
    poll(&mut state, list, minutes(0));
    assert_eq!(tick(&mut state, minutes(29)), []);
    let first = tick(&mut state, minutes(30));
    assert_eq!(ids(&first), ["ACK"]);
    assert_eq!(
        first[0].kind,
        NoticeKind::Reminder {
            after: std::time::Duration::from_secs(1800)
        }
    );
    assert!(
        state
            .flash
            .as_ref()
            .unwrap()
            .text
            .contains("still acknowledged, not resolved after 30m: checkout-api: ACK is on fire")
    );
    assert_eq!(tick(&mut state, minutes(31)), [], "once per period");
    assert_eq!(poll(&mut state, list, minutes(45)), []);
    let second = poll(&mut state, list, minutes(61));
    assert!(
        second[0].body().contains("after 1h"),
        "{}",
        second[0].body()
    );
    // Resolved: it leaves the list, and no reminder follows.
    poll(&mut state, &[], minutes(70));
    assert_eq!(tick(&mut state, minutes(200)), []);
}

#[test]
fn unacknowledging_stops_the_reminders_and_off_means_never() {
    let mut state = cockpit("", 0);
    let mut incident = page("ACK", Severity::Critical, Status::Acknowledged);
    poll(&mut state, std::slice::from_ref(&incident), minutes(0));
    incident.status = Status::Triggered;
    poll(&mut state, std::slice::from_ref(&incident), minutes(10));
    assert_eq!(tick(&mut state, minutes(45)), []);

    let mut state = cockpit("[notify]\nremind_after = \"off\"\n", 0);
    let acked = page("ACK", Severity::Critical, Status::Acknowledged);
    poll(&mut state, &[acked], minutes(0));
    assert_eq!(tick(&mut state, minutes(600)), []);
}

#[test]
fn the_demo_rings_for_the_critical_page_that_arrives_forty_seconds_in() {
    let start = frozen_now();
    let world = DemoWorld::embedded().unwrap();
    let demo = DemoSource::new("demo", world, start, "Ana Ops");
    let mut state = cockpit("", 0);
    assert_eq!(poll(&mut state, &demo.incidents_at(start), start), []);
    let later = start + TimeDelta::seconds(45);
    let rung = poll(&mut state, &demo.incidents_at(later), later);
    assert_eq!(rung.len(), 1, "{rung:?}");
    assert_eq!(rung[0].severity, Severity::Critical);
    assert!(
        rung[0].title.contains("ledger writes failing"),
        "{}",
        rung[0].title
    );
    let again = start + TimeDelta::seconds(50);
    assert_eq!(poll(&mut state, &demo.incidents_at(again), again), []);
}

fn notice(title: &str, ring: Ring) -> Notice {
    Notice {
        key: IncidentKey::new("pd", "Q1"),
        kind: NoticeKind::Page,
        severity: Severity::Critical,
        service: "checkout-api".into(),
        title: title.into(),
        ring,
    }
}

#[test]
fn the_bytes_are_the_bell_then_osc_9_and_osc_777() {
    let written = bytes(&notice("5xx above 5%", FULL), false);
    assert_eq!(
        written,
        b"\x07\x1b]9;pagerdeck: new critical page: checkout-api: 5xx above 5%\x07\x1b]777;notify;pagerdeck: critical page;checkout-api: 5xx above 5%\x07"
    );
    let osc9 = bytes(
        &notice(
            "t",
            Ring {
                bell: false,
                desktop: Desktop::Osc9,
            },
        ),
        false,
    );
    assert_eq!(
        osc9,
        b"\x1b]9;pagerdeck: new critical page: checkout-api: t\x07"
    );
    let osc777 = bytes(
        &notice(
            "t",
            Ring {
                bell: true,
                desktop: Desktop::Osc777,
            },
        ),
        false,
    );
    assert_eq!(
        osc777,
        b"\x07\x1b]777;notify;pagerdeck: critical page;checkout-api: t\x07"
    );
    let silent = Ring {
        bell: false,
        desktop: Desktop::Off,
    };
    assert_eq!(bytes(&notice("t", silent), false), b"");
}

#[test]
fn inside_tmux_the_notifications_are_wrapped_and_the_bell_is_not() {
    let written = bytes(&notice("t", FULL), true);
    assert_eq!(
        written,
        b"\x07\x1bPtmux;\x1b\x1b]9;pagerdeck: new critical page: checkout-api: t\x07\x1b\\\x1bPtmux;\x1b\x1b]777;notify;pagerdeck: critical page;checkout-api: t\x07\x1b\\"
    );
}

#[test]
fn a_hostile_title_cannot_end_the_escape_nor_start_another() {
    let hostile =
        "pwn\x1b]52;c;ZXZpbA==\x07\x1b\\ \u{9c}\u{9b}31m; rm -rf /;\u{202e}txt.exe\r\nnext";
    let written = bytes(&notice(hostile, FULL), false);
    let count = |byte: u8| written.iter().filter(|&&b| b == byte).count();
    // One ESC to open each OSC, one BEL to end each, and the bell itself.
    assert_eq!(count(0x1b), 2, "{written:?}");
    assert_eq!(count(0x07), 3, "{written:?}");
    let text = String::from_utf8(written).unwrap();
    assert!(
        !text.contains(['\u{9c}', '\u{9b}', '\u{202e}', '\r', '\n']),
        "{text:?}"
    );
    // OSC 777's fields stay four: the title's `;` cannot make a field of its own.
    let osc777 = &text[text.find("\x1b]777;").unwrap() + 2..text.len() - 1];
    assert_eq!(osc777.split(';').count(), 4, "{osc777:?}");
    assert!(
        osc777.ends_with("pwn]52,c,ZXZpbA==\\ 31m, rm -rf /,txt.exe  next"),
        "{osc777:?}"
    );
}

#[test]
fn a_long_title_is_cut_to_the_cap() {
    let written = bytes(&notice(&"x".repeat(10_000), FULL), false);
    let text = String::from_utf8(written).unwrap();
    for payload in text.split('\x07').filter(|p| !p.is_empty()) {
        let chars = payload.chars().count();
        assert!(
            chars <= TEXT_CAP + "\x1b]777;notify;pagerdeck: critical page;".len(),
            "{chars}"
        );
        assert!(payload.ends_with('…'), "{payload}");
    }
}
