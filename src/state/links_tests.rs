//! The playbook's links and outline, and playbooks matched by the incident's own link.

use crossterm::event::KeyCode;

use super::Overlay;
use super::tests::{demo_state, flash_text, press, t0};
use crate::command::Command;
use crate::event::Event;
use crate::testing::change_first_incident;

#[test]
fn o_then_a_number_follows_that_link() {
    let mut state = demo_state(160, 48);
    let links: Vec<String> = state
        .playbook
        .rendered
        .links
        .iter()
        .map(|l| l.url.clone())
        .collect();
    assert_eq!(
        links,
        [
            "https://grafana.example.com/d/checkout/checkout-api",
            "README.md#escalate-to-level-two-eng-cap",
            "https://grafana.example.com/render/checkout-request-path.png",
            "README.md#contacts",
            "#highlatencyp99",
            "https://grafana.example.com/d/checkout/checkout-api?viewPanel=4",
            "https://status.psp.example.net",
        ]
    );
    press(&mut state, KeyCode::Char('o'));
    assert!(matches!(state.overlay, Some(Overlay::Links { .. })));
    // A web link opens outside and closes the list.
    let commands = press(&mut state, KeyCode::Char('1'));
    assert_eq!(
        commands,
        [Command::Open(
            "https://grafana.example.com/d/checkout/checkout-api".into()
        )]
    );
    assert_eq!(state.overlay, None);
    // An anchor scrolls the pane to its heading.
    press(&mut state, KeyCode::Char('o'));
    assert!(press(&mut state, KeyCode::Char('5')).is_empty());
    let heading = state.playbook.rendered.heading_line("HighLatencyP99");
    assert_eq!(Some(state.playbook.scroll), heading);
    assert_eq!(state.focus, crate::layout::Pane::Playbook);
}

#[test]
fn a_link_to_another_playbook_shows_it_and_backspace_goes_back() {
    let mut state = demo_state(160, 48);
    press(&mut state, KeyCode::Char('o'));
    press(&mut state, KeyCode::Char('4'));
    let view = &state.playbook;
    let matched = view.matched.as_ref().unwrap();
    let path = &state.setup.library.playbooks[matched.index].path;
    assert_eq!(path, "payments/README.md");
    assert_eq!(
        matched.rule.to_string(),
        "followed a link from payments/checkout-api.md"
    );
    let contacts = view.rendered.heading_line("Contacts").unwrap();
    assert!(
        (view.scroll..view.scroll + 40).contains(&contacts),
        "Contacts on line {contacts}, scrolled to {}",
        view.scroll
    );
    press(&mut state, KeyCode::Backspace);
    let matched = state.playbook.matched.as_ref().unwrap();
    assert_eq!(matched.rule.to_string(), "matched by alert HighErrorRate");
    // Moving to another incident forgets the followed link.
    press(&mut state, KeyCode::Char('o'));
    press(&mut state, KeyCode::Char('2'));
    assert!(state.followed.is_some());
    assert_eq!(state.focus, crate::layout::Pane::Playbook);
    press(&mut state, KeyCode::Tab);
    press(&mut state, KeyCode::Char('j'));
    assert!(state.followed.is_none());
}

#[test]
fn with_ten_links_or_more_a_number_is_typed_then_entered() {
    let mut state = demo_state(160, 48);
    let link = state.playbook.rendered.links[0].clone();
    for n in 0..12 {
        state
            .playbook
            .rendered
            .links
            .push(crate::markdown::LinkTarget {
                url: format!("https://example.com/{n}"),
                ..link.clone()
            });
    }
    press(&mut state, KeyCode::Char('o'));
    assert!(press(&mut state, KeyCode::Char('1')).is_empty(), "1 or 1x?");
    let commands = press(&mut state, KeyCode::Char('2'));
    assert_eq!(commands, [Command::Open("https://example.com/4".into())]);
    press(&mut state, KeyCode::Char('o'));
    press(&mut state, KeyCode::Char('1'));
    let commands = press(&mut state, KeyCode::Enter);
    assert_eq!(
        commands,
        [Command::Open(
            "https://grafana.example.com/d/checkout/checkout-api".into()
        )]
    );
    press(&mut state, KeyCode::Char('o'));
    press(&mut state, KeyCode::Char('0'));
    assert!(
        flash_text(&state).contains("no link 0: there are 21"),
        "{:?}",
        state.flash
    );
    assert!(
        matches!(state.overlay, Some(Overlay::Links { .. })),
        "still open"
    );
}

/// `o`, the number, and Enter when the number alone did not open it.
fn open_link_numbered(state: &mut super::State, number: usize) -> Vec<Command> {
    press(state, KeyCode::Char('o'));
    let mut commands = Vec::new();
    for digit in number.to_string().chars() {
        commands = press(state, KeyCode::Char(digit));
    }
    if matches!(state.overlay, Some(Overlay::Links { .. })) {
        commands = press(state, KeyCode::Enter);
    }
    commands
}

#[test]
fn the_incidents_own_links_follow_the_playbooks_and_open_only_on_the_web() {
    let mut state = demo_state(160, 48);
    let in_playbook = state.playbook.rendered.links.len();
    let own = state.selected().unwrap().links.clone();
    assert!(
        !own.is_empty(),
        "the demo's first incident links its dashboard"
    );
    assert_eq!(
        open_link_numbered(&mut state, in_playbook + 1),
        [Command::Open(own[0].url.clone())]
    );
    // A source is not trusted with anything but web links.
    change_first_incident(&mut state, |i| {
        i.links = vec![crate::incident::Link {
            title: "runbook".into(),
            url: "file:///etc/passwd".into(),
        }]
    });
    let last = state.playbook.rendered.links.len() + 1;
    assert!(open_link_numbered(&mut state, last).is_empty());
    assert!(
        flash_text(&state).contains("only web links from a source"),
        "{:?}",
        state.flash
    );
}

#[test]
fn a_dangerous_link_is_never_opened() {
    let mut state = demo_state(160, 48);
    state.playbook.rendered.links[0].url = "javascript:alert(1)".into();
    press(&mut state, KeyCode::Char('o'));
    assert!(press(&mut state, KeyCode::Char('1')).is_empty());
    assert!(flash_text(&state).contains("not opening"));
}

#[test]
fn the_outline_starts_at_the_section_being_read_and_jumps() {
    let mut state = demo_state(160, 48);
    press(&mut state, KeyCode::Char('O'));
    let headings = &state.playbook.rendered.headings;
    let Some(Overlay::Outline { cursor }) = state.overlay.clone() else {
        panic!("{:?}", state.overlay)
    };
    assert_eq!(headings[cursor].text, "HighErrorRate");
    let target = headings
        .iter()
        .position(|h| h.text == "HighLatencyP99")
        .unwrap();
    for _ in cursor..target {
        press(&mut state, KeyCode::Char('j'));
    }
    press(&mut state, KeyCode::Enter);
    assert_eq!(state.overlay, None);
    assert_eq!(
        Some(state.playbook.scroll),
        state.playbook.rendered.heading_line("HighLatencyP99")
    );
}

#[test]
fn a_runbook_link_to_markdown_on_the_web_is_fetched_once_then_shown_with_its_age() {
    let mut state = demo_state(160, 48);
    let url = "https://raw.example.com/acme/runbooks/checkout.md";
    let selected = state.selected().unwrap().key.clone();
    let commands = crate::testing::change_first_incident(&mut state, |first| {
        assert_eq!(first.key, selected);
        first.links.push(crate::incident::Link {
            title: "Runbook".into(),
            url: format!("{url}#roll-back"),
        });
    });
    assert!(
        commands.contains(&Command::FetchPlaybook(url.into())),
        "{commands:?}"
    );
    assert_eq!(
        state.remote_note(),
        Some(format!("fetching {url}…")),
        "said while the alert's playbook stays shown"
    );
    assert_eq!(
        state.playbook.matched.as_ref().unwrap().rule.to_string(),
        "matched by alert HighErrorRate"
    );
    // Asked once, however often the incident is polled.
    let again = crate::testing::change_first_incident(&mut state, |_| {});
    assert!(!again.iter().any(|c| matches!(c, Command::FetchPlaybook(_))));

    let body = "# Checkout\n\nintro\n\n## Roll back\n\n- [ ] undo the deploy\n- [ ] watch\n";
    state.apply(
        Event::PlaybookFetched {
            url: url.into(),
            result: Ok(crate::playbook::remote::Fetched {
                body: body.into(),
                at: t0() - chrono::TimeDelta::hours(3),
                offline: Some("cannot connect".into()),
            }),
        },
        t0(),
    );
    let view = &state.playbook;
    let matched = view.matched.as_ref().unwrap();
    assert_eq!(
        matched.rule.to_string(),
        "matched by the incident's link …/runbooks/checkout.md#roll-back"
    );
    assert_eq!(matched.anchor.as_deref(), Some("roll-back"));
    assert_eq!(view.steps.len(), 2, "the linked section's steps");
    assert_eq!(
        state.step_progress(state.selected().unwrap()),
        Some((0, 2)),
        "the list counts the linked section's steps, not the alert's"
    );
    assert_eq!(state.remote_note(), None);
    let fetched = state.setup.library.playbooks[matched.index]
        .fetched
        .as_ref();
    assert_eq!(fetched.unwrap().offline.as_deref(), Some("cannot connect"));
}

#[test]
fn a_web_playbook_that_cannot_be_fetched_says_why_and_the_other_rules_decide() {
    let mut state = demo_state(160, 48);
    let url = "https://raw.example.com/gone.md";
    crate::testing::change_first_incident(&mut state, |first| {
        first.labels.insert("runbook_url".into(), url.into());
    });
    state.apply(
        Event::PlaybookFetched {
            url: url.into(),
            result: Err("the server answered 404 Not Found".into()),
        },
        t0(),
    );
    assert_eq!(
        state.remote_note(),
        Some(format!("{url}: the server answered 404 Not Found"))
    );
    assert!(state.flash.as_ref().unwrap().error);
    assert_eq!(
        state.playbook.matched.as_ref().unwrap().rule.to_string(),
        "matched by alert HighErrorRate"
    );
    // r asks again.
    let commands = press(&mut state, KeyCode::Char('r'));
    assert!(commands.contains(&Command::FetchPlaybook(url.into())));
}

#[test]
fn the_demo_matches_each_providers_shape_of_runbook_link() {
    let state = demo_state(160, 48);
    let library = &state.setup.library;
    let rule_of = |id: &str| {
        let incident = state.incidents.iter().find(|i| i.key.id == id).unwrap();
        let m = library.find(incident).unwrap();
        (
            library.playbooks[m.index].path.clone(),
            m.rule.to_string(),
            m.anchor,
        )
    };
    // Alertmanager's runbook_url annotation, PagerDuty's link context, Opsgenie's detail.
    for (id, path, anchor) in [
        ("INC-1036", "storefront/search-api.md", "podcrashlooping"),
        ("INC-1027", "storefront/edge-gateway.md", "certexpiringsoon"),
        ("INC-1033", "storefront/search-api.md", "slowindexrebuild"),
    ] {
        let (found, rule, found_anchor) = rule_of(id);
        assert_eq!(
            (found.as_str(), found_anchor.as_deref()),
            (path, Some(anchor)),
            "{id}"
        );
        assert!(
            rule.starts_with("matched by the incident's link"),
            "{id}: {rule}"
        );
    }
    assert_eq!(rule_of("INC-1042").1, "matched by alert HighErrorRate");
}
