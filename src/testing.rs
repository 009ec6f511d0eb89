//! Fixed fixtures for tests and benchmarks: the demo at a frozen moment, fed through the
//! same events the live app uses.

use chrono::{DateTime, TimeDelta, Utc};

use crate::command::Command;
use crate::event::Event;
use crate::incident::{Incident, IncidentKey, Severity, Status};
use crate::keymap::Keymap;
use crate::playbook::Library;
use crate::providers::demo::{DemoSource, DemoWorld};
use crate::state::{Setup, SourceSetup, State};

/// 03:12 UTC on the night of the demo.
pub fn frozen_now() -> DateTime<Utc> {
    DateTime::from_timestamp(1_795_403_520, 0).unwrap_or_default()
}

pub fn demo_setup() -> Setup {
    Setup {
        me: "Ana Ops".into(),
        level_two: "Eng Cap".into(),
        demo: true,
        read_only: false,
        hyperlinks: false,
        utc_offset_seconds: 0,
        keymap: Keymap::defaults(),
        library: Library::demo(),
        progress: Default::default(),
        sources: vec![SourceSetup {
            // As the app sets it up from the demo source.
            escalation_route: Some(crate::providers::demo::DEMO_ROUTE.into()),
            ..SourceSetup::new("demo", "demo", 5, crate::providers::Capabilities::all())
        }],
    }
}

/// The demo as it looks at `frozen_now()`, its first poll and metrics answered.
pub fn demo_state(width: u16, height: u16) -> State {
    state_with(demo_setup(), width, height, |source, now| {
        source.incidents_at(now)
    })
}

/// The demo's screen, but with `count` generated incidents (for speed checks).
pub fn bulk_state(count: usize, width: u16, height: u16) -> State {
    state_with(demo_setup(), width, height, |source, now| {
        let template = source.incidents_at(now);
        (0..count)
            .map(|n| {
                let mut incident: Incident = template[n % template.len()].clone();
                incident.key = IncidentKey::new("demo", format!("BULK-{n}"));
                incident.title = format!("{} #{n}", incident.title);
                incident.opened_at -= TimeDelta::seconds(n as i64);
                incident.severity = Severity::ALL[n % 4];
                incident.status = if n % 3 == 0 {
                    Status::Acknowledged
                } else {
                    Status::Triggered
                };
                incident
            })
            .collect()
    })
}

/// The demo at `frozen_now()` with a given setup (e.g. progress from an earlier run).
pub fn state_with_setup(setup: Setup, width: u16, height: u16) -> State {
    state_with(setup, width, height, |source, now| source.incidents_at(now))
}

fn state_with(
    setup: Setup,
    width: u16,
    height: u16,
    incidents: impl Fn(&DemoSource, DateTime<Utc>) -> Vec<Incident>,
) -> State {
    let now = frozen_now();
    let world = DemoWorld::embedded().unwrap_or_else(|e| panic!("embedded demo: {e}"));
    let source = DemoSource::new("demo", world, now, "Ana Ops");
    let mut state = State::new(setup, now, (width, height));
    let commands = state.apply(
        Event::Incidents {
            source: "demo".into(),
            generation: 1,
            result: Ok(incidents(&source, now)),
            degraded: None,
        },
        now,
    );
    answer_metrics(&mut state, &source, commands);
    state
}

/// Fulfil metric requests synchronously, as the metrics task would.
pub fn answer_metrics(state: &mut State, source: &DemoSource, commands: Vec<Command>) {
    let now = state.now;
    for command in commands {
        if let Command::FetchMetrics {
            ticket,
            incident,
            range,
        } = command
        {
            let result = Ok(source.series_at(&incident.service, range.window, range.step));
            state.apply(
                Event::Metrics {
                    ticket,
                    key: incident.key.clone(),
                    range,
                    result,
                },
                now,
            );
        }
    }
}

/// A bare triggered incident of `service` raised by `alert`, for matching tests.
pub fn incident(service: &str, alert: &str) -> Incident {
    Incident {
        key: IncidentKey::new("t", "1"),
        source: "t".into(),
        title: format!("{alert} on {service}"),
        severity: Severity::High,
        status: Status::Triggered,
        service: service.into(),
        team: None,
        alert: Some(alert.into()),
        opened_at: frozen_now(),
        assignee: None,
        escalated_to: None,
        level_two_answer: None,
        description: String::new(),
        labels: Default::default(),
        links: vec![],
    }
}

/// The source reports its first incident changed by `change`, as a new poll would; the
/// state's commands in answer.
pub fn change_first_incident(
    state: &mut State,
    change: impl FnOnce(&mut Incident),
) -> Vec<Command> {
    let mut incidents: Vec<Incident> = state.incidents.iter().map(|i| (**i).clone()).collect();
    if let Some(first) = incidents.first_mut() {
        change(first);
    }
    let generation = state.sources[0].generation + 1;
    state.apply(
        Event::Incidents {
            source: "demo".into(),
            generation,
            result: Ok(incidents),
            degraded: None,
        },
        frozen_now(),
    )
}

/// A label map from pairs, for tests.
pub fn labels(pairs: &[(&str, &str)]) -> std::collections::BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// The demo after four resolves, one in each state the outbox reports, oldest first:
/// confirmed, failed (with the source's reason), sent, pending. The selection is back at
/// the top and no flash is showing.
pub fn with_actions(mut state: State) -> State {
    use crate::event::OpState;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let now = state.now;
    let press = |state: &mut State, code: KeyCode, modifiers| {
        state.apply(Event::Key(KeyEvent::new(code, modifiers)), now)
    };
    let outcomes = [
        Some(OpState::Confirmed),
        Some(OpState::Failed(
            "HTTP 503 from pd: the service is unavailable, try again later".into(),
        )),
        Some(OpState::Sent),
        None,
    ];
    for (index, outcome) in outcomes.into_iter().enumerate() {
        if index > 0 {
            press(&mut state, KeyCode::Char('j'), KeyModifiers::NONE);
        }
        press(&mut state, KeyCode::Char('R'), KeyModifiers::SHIFT);
        let commands = press(&mut state, KeyCode::Char('y'), KeyModifiers::NONE);
        let id = commands.iter().find_map(|c| match c {
            Command::Submit(op) => Some(op.id),
            _ => None,
        });
        if let (Some(id), Some(outcome)) = (id, outcome) {
            state.apply(Event::Op { id, state: outcome }, now);
        }
    }
    press(&mut state, KeyCode::Char('g'), KeyModifiers::NONE);
    state.flash = None;
    state
}
