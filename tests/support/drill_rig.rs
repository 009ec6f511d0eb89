//! A drill as the app loop runs it, played by hand for the drill tests: a small scenario
//! (two incidents, Kai at level two), the real `State` and referee, the demo source on
//! the scenario's world with a clock moved by the test.

use chrono::{DateTime, TimeDelta, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use pagerdeck::clock::Clock;
use pagerdeck::command::Command;
use pagerdeck::drill::run::DrillRun;
use pagerdeck::drill::{DeedKind, Scenario};
use pagerdeck::event::{Event, OpState};
use pagerdeck::keymap::Keymap;
use pagerdeck::playbook::Library;
use pagerdeck::providers::demo::{DEMO_ROUTE, DemoSource, DemoWorld};
use pagerdeck::providers::{Capabilities, Source};
use pagerdeck::state::drill::DrillPhase;
use pagerdeck::state::{Setup, SourceSetup, State};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

pub fn three_am() -> DateTime<Utc> {
    DateTime::from_timestamp(1_795_402_800, 0).unwrap()
}

/// Two incidents: one firing at the start, one arriving at +5m; Kai at level two.
const WORLD: &str = r#"
[[services]]
name = "checkout-api"
team = "payments"
[[services.signals]]
name = "error rate"
unit = "percent"
baseline = 0.5
peak = 12.0
shape = "ramp"
at = "-2m"
length = "10m"

[[incidents]]
id = "DRILL-1"
title = "checkout-api 5xx above 5%"
service = "checkout-api"
alert = "HighErrorRate"
severity = "critical"
status = "triggered"
opened = "-1m"
description = "Errors climbing."

[[incidents]]
id = "DRILL-2"
title = "checkout-api p99 above 2s"
service = "checkout-api"
alert = "HighLatencyP99"
severity = "warning"
status = "triggered"
opened = "+5m"
description = "Slow."

[[oncall]]
rota = "payments-primary"
level = 1
who = "me"
until = "+8h"

[[oncall]]
rota = "Eng Cap"
level = 2
who = "Kai Lindqvist"
until = "+2d"
"#;

const PLAYBOOK: &str = "+++\nteam = \"payments\"\nservices = [\"checkout-api\"]\n+++\n# checkout-api\n\n## HighErrorRate\n\n- [ ] Check the last deploy\n- [ ] Roll it back\n- [ ] Tell #payments\n";

fn scenario() -> Scenario {
    Scenario {
        name: "tiny-outage".into(),
        description: "two incidents, one escalation".into(),
        world: toml::from_str::<DemoWorld>(WORLD).unwrap(),
        playbooks: vec![("payments/checkout-api.md".into(), PLAYBOOK.into())],
        level_two_takes_seconds: 120,
        duration_seconds: 20 * 60,
        kind: "outage".into(),
        speed: 10.0,
        expect: Vec::new(),
        file: None,
        replaces_bundled: false,
    }
}

/// The drill as the app loop runs it, with the outbox and pollers played by hand.
pub struct Rig {
    pub state: State,
    pub run: DrillRun,
    pub source: DemoSource,
    pub clock: Clock,
    pub generation: u64,
    pub quit: bool,
}

impl Rig {
    pub fn new() -> Rig {
        let scenario = scenario();
        let clock = Clock::manual(three_am());
        let source = DemoSource::new("drill", scenario.world.clone(), three_am(), "Ana Ops")
            .with_clock(clock.clone())
            .with_level_two_delay(scenario.level_two_takes_seconds);
        let (library, problems) = Library::from_texts(&scenario.playbooks);
        assert!(problems.is_empty(), "{problems:?}");
        let setup = Setup {
            me: "Ana Ops".into(),
            level_two: "Kai Lindqvist".into(),
            demo: false,
            read_only: false,
            hyperlinks: false,
            utc_offset_seconds: 0,
            keymap: Keymap::defaults(),
            library,
            progress: Default::default(),
            sources: vec![SourceSetup {
                escalation_route: Some(DEMO_ROUTE.into()),
                ..SourceSetup::new("drill", "demo", 10, Capabilities::all())
            }],
        };
        let run = DrillRun::new(scenario, three_am(), 10.0);
        let mut state = State::new(setup, three_am(), (120, 40));
        state.start_drill(run.view());
        Rig {
            state,
            run,
            source,
            clock,
            generation: 0,
            quit: false,
        }
    }

    /// Simulated time moves to `minutes` after the start; the source is polled then.
    pub async fn at(&mut self, minutes: i64) {
        self.clock.set(three_am() + TimeDelta::minutes(minutes));
        self.poll().await;
    }

    pub async fn poll(&mut self) {
        self.generation += 1;
        let result = self.source.incidents().await;
        let event = Event::Incidents {
            source: "drill".into(),
            generation: self.generation,
            result,
            degraded: None,
        };
        self.feed(event).await;
    }

    pub async fn key(&mut self, code: KeyCode) -> Vec<Command> {
        self.feed(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)))
            .await
    }

    pub async fn ctrl(&mut self, c: char) -> Vec<Command> {
        self.feed(Event::Key(KeyEvent::new(
            KeyCode::Char(c),
            KeyModifiers::CONTROL,
        )))
        .await
    }

    /// One event, and what the loop would do with the commands (the ones that matter).
    pub async fn feed(&mut self, event: Event) -> Vec<Command> {
        let now = self.clock.now();
        let commands = self.run.apply(&mut self.state, event, now);
        for command in &commands {
            match command {
                Command::Submit(op) => {
                    let result = self.source.perform(&op.key, &op.verb).await;
                    let state = match result {
                        Ok(()) => OpState::Confirmed,
                        Err(e) => OpState::Failed(e.to_string()),
                    };
                    self.run
                        .apply(&mut self.state, Event::Op { id: op.id, state }, now);
                }
                Command::EndDrill(why) => {
                    let debrief = self.run.finish(now).unwrap();
                    self.state
                        .show_debrief(debrief.lines(), *why, Ok("saved".into()));
                }
                Command::Quit => self.quit = true,
                _ => {}
            }
        }
        commands
    }

    pub fn select(&mut self, id: &str) {
        let position = self
            .state
            .visible
            .iter()
            .position(|&i| self.state.incidents[i].key.id == id)
            .unwrap();
        self.state.cursor = position;
    }

    pub fn deeds(&self) -> Vec<(i64, String, DeedKind)> {
        self.run
            .log()
            .deeds
            .iter()
            .map(|d| {
                let seconds = (d.at - three_am()).num_seconds();
                (seconds, d.incident.clone(), d.what.clone())
            })
            .collect()
    }

    pub fn phase(&self) -> DrillPhase {
        self.state.drill.as_ref().unwrap().phase.clone()
    }

    pub fn screen(&self, width: u16, height: u16) -> String {
        let mut state = self.state.clone();
        state.size = (width, height);
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        let theme = pagerdeck::theme::Theme::load("dark", None).unwrap();
        terminal
            .draw(|frame| pagerdeck::ui::render(frame, &state, &theme))
            .unwrap();
        let buffer = terminal.backend().buffer();
        (0..height)
            .map(|y| {
                (0..width)
                    .map(|x| buffer[(x, y)].symbol())
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}
