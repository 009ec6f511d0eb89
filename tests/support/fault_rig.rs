//! One fault, one provider kind, through the real poller and the real `State`: a source
//! named `broken` on a fault server and a source named `steady` of the same kind on a
//! healthy one, both polled each second with 1 s timeouts. Each row of a table is run on
//! its own pair of servers, all rows at once.

use std::time::Duration;

use chrono::Utc;
use tokio::sync::mpsc;

use pagerdeck::config::Config;
use pagerdeck::config::load::parse_toml;
use pagerdeck::event::Event;
use pagerdeck::state::{Health, SourceSetup, State};

use super::faults::{Fault, FaultServer};

/// A provider kind as the rig needs it.
pub struct Provider {
    /// The config's `kind`.
    pub kind: &'static str,
    /// The healthy answers (path prefix, body) for a source named `name`.
    pub bodies: fn(name: &str) -> Vec<(&'static str, String)>,
    /// The config lines saying where the source is (`base_url = …`, `urls = […]`).
    pub place: fn(url: &str) -> String,
    /// How many incidents the healthy answers make.
    pub incidents: usize,
}

/// One fault and the words the broken source's status must show while it lasts.
pub struct Row {
    pub fault: Fault,
    pub says: &'static [&'static str],
    /// The sources' `timeout` (and `connect_timeout`): short, so faults show quickly.
    pub timeout: &'static str,
}

pub fn row(fault: Fault, says: &'static [&'static str]) -> Row {
    Row {
        fault,
        says,
        timeout: "1s",
    }
}

/// A guard against a hung test, far beyond any poll: not a speed check.
const PATIENCE: Duration = Duration::from_secs(60);

/// Every row at once; every failing row reported.
pub async fn every_row_survives(provider: &Provider, rows: Vec<Row>) {
    let runs = rows.iter().map(|row| async move {
        let outcome = tokio::time::timeout(PATIENCE, survives(provider, row)).await;
        let outcome = outcome.unwrap_or_else(|_| Err("stuck: no such event came".into()));
        outcome.map_err(|problem| format!("{:?}: {problem}", row.fault))
    });
    let failed: Vec<String> = futures_util::future::join_all(runs)
        .await
        .into_iter()
        .filter_map(Result::err)
        .collect();
    assert!(
        failed.is_empty(),
        "{}:\n{}",
        provider.kind,
        failed.join("\n")
    );
}

/// Healthy first, then the fault, then healthy again.
async fn survives(provider: &Provider, row: &Row) -> Result<(), String> {
    let broken = FaultServer::start(&(provider.bodies)("broken")).await;
    let steady = FaultServer::start(&(provider.bodies)("steady")).await;
    let mut rig = Rig::start(provider, &broken.url, &steady.url, row.timeout);
    rig.until("both sources answered", |state| {
        state.sources.iter().all(|s| s.last_ok.is_some())
    })
    .await?;
    broken.set(row.fault.clone()).await;
    rig.until("the broken source failing", |state| {
        state.sources[0].last_error.is_some()
    })
    .await?;
    let label = rig.label(0);
    // Shown with --nocapture: the words a person sees, per fault.
    eprintln!("{} {:?}: {label}", provider.kind, row.fault);
    for words in row.says {
        if !label.contains(words) {
            return Err(format!("the status says {label:?}, not {words:?}"));
        }
    }
    if !label.contains("(last good ") && !label.contains(", last good ") {
        return Err(format!("no age of the last good data in {label:?}"));
    }
    rig.others_unaffected(provider)?;
    rig.on_screen()?;
    broken.set(Fault::Healthy).await;
    rig.until("the broken source back", |state| {
        state.sources[0].last_error.is_none()
    })
    .await?;
    match rig.health(0) {
        Health::Live => Ok(()),
        other => Err(format!("back, but {}", other.label())),
    }
}

/// A source whose address is wrong from the start (no DNS name, TLS to plain HTTP):
/// it says why, with no data yet, and the steady one is unaffected.
pub async fn wrong_from_the_start(provider: &Provider, url: &str, says: &[&str]) {
    let steady = FaultServer::start(&(provider.bodies)("steady")).await;
    // A whole request may take 5 s, connecting only 1 s: which one gave up shows.
    let mut rig = Rig::start(provider, url, &steady.url, "5s");
    let ready = rig.until("both sources polled", |state| {
        state.sources[0].last_error.is_some() && state.sources[1].last_ok.is_some()
    });
    tokio::time::timeout(PATIENCE, ready)
        .await
        .expect("stuck: no such event came")
        .unwrap();
    let label = rig.label(0);
    eprintln!("{} at {url}: {label}", provider.kind);
    for words in says {
        assert!(
            label.contains(words),
            "{}: {label:?} lacks {words:?}",
            provider.kind
        );
    }
    assert!(label.ends_with("(no data yet)"), "{label}");
    rig.others_unaffected(provider).unwrap();
}

struct Rig {
    state: State,
    inbox: mpsc::UnboundedReceiver<Event>,
    /// Kept: dropping them stops the source tasks.
    _handles: Vec<pagerdeck::providers::poller::SourceHandle>,
}

impl Rig {
    fn start(provider: &Provider, broken: &str, steady: &str, timeout: &str) -> Rig {
        let source = |name: &str, url: &str, timeout: &str| {
            format!(
                "[[sources]]\nname = \"{name}\"\nkind = \"{}\"\ntoken_cmd = \"echo tok-{name}\"\npoll_interval = \"1s\"\ntimeout = \"{timeout}\"\nconnect_timeout = \"1s\"\n{}\n",
                provider.kind,
                (provider.place)(url)
            )
        };
        let text = format!(
            "[me]\nname = \"Ana Ops\"\n\n{}{}",
            source("broken", broken, timeout),
            // Generous: a busy machine must not make the healthy source fail.
            source("steady", steady, "20s")
        );
        let config: Config = parse_toml(&text, std::path::Path::new("faults.toml")).unwrap();
        let (events, inbox) = mpsc::unbounded_channel();
        let mut setups = Vec::new();
        let mut handles = Vec::new();
        for source in &config.sources {
            let built = pagerdeck::sources::build(source, &config, "Ana Ops", Utc::now()).unwrap();
            setups.push(SourceSetup::new(
                &source.name,
                built.kind(),
                source.poll_interval.as_secs(),
                built.capabilities(),
            ));
            handles.push(built.spawn(source, false, events.clone()));
        }
        let setup = pagerdeck::state::Setup {
            sources: setups,
            demo: false,
            ..pagerdeck::testing::demo_setup()
        };
        Rig {
            state: State::new(setup, Utc::now(), (160, 48)),
            inbox,
            _handles: handles,
        }
    }

    /// Apply events as the app loop does until `done` holds.
    async fn until(&mut self, what: &str, done: impl Fn(&State) -> bool) -> Result<(), String> {
        while !done(&self.state) {
            let event = self
                .inbox
                .recv()
                .await
                .ok_or(format!("no events before {what}"))?;
            if let Event::Incidents { .. } = event {
                self.state.apply(event, Utc::now());
            }
        }
        Ok(())
    }

    /// The status bar says it too: the broken source's glyph, the start of its words and
    /// the age of its last good data, and the steady one live.
    fn on_screen(&self) -> Result<(), String> {
        let theme = pagerdeck::theme::Theme::load("dark", None).unwrap();
        let backend = ratatui::backend::TestBackend::new(self.state.size.0, self.state.size.1);
        let mut terminal = ratatui::Terminal::new(backend).unwrap();
        terminal
            .draw(|frame| pagerdeck::ui::render(frame, &self.state, &theme))
            .unwrap();
        let buffer = terminal.backend().buffer();
        let screen: String = (0..buffer.area.height)
            .map(|y| {
                let row: String = (0..buffer.area.width)
                    .map(|x| buffer[(x, y)].symbol())
                    .collect();
                row + "\n"
            })
            .collect();
        let health = self.health(0);
        let label = health.label();
        let start: String = label.chars().take(30).collect();
        let broken = format!("broken {} {start}", health.glyph());
        // One long error must not push the other source, or its own age, off the bar.
        let steady_live = screen.contains("steady ● live");
        let aged = screen.contains("last good ");
        match screen.contains(&broken) && steady_live && aged {
            true => Ok(()),
            false => Err(format!("the screen lacks {broken:?}:\n{screen}")),
        }
    }

    fn health(&self, index: usize) -> Health {
        self.state.sources[index].health(Utc::now())
    }

    fn label(&self, index: usize) -> String {
        self.health(index).label()
    }

    /// The steady source is live with all its incidents, and the broken one's last good
    /// incidents are still listed: never an empty list for a failing source.
    fn others_unaffected(&self, provider: &Provider) -> Result<(), String> {
        if self.health(1) != Health::Live {
            return Err(format!("the steady source shows {}", self.label(1)));
        }
        let count = |name: &str| {
            self.state
                .incidents
                .iter()
                .filter(|i| i.source == name)
                .count()
        };
        let broken_had = match self.state.sources[0].last_ok {
            Some(_) => provider.incidents,
            None => 0,
        };
        match (count("steady"), count("broken")) {
            (steady, broken) if steady == provider.incidents && broken == broken_had => Ok(()),
            (steady, broken) => Err(format!(
                "listed {steady} steady and {broken} broken incidents, not {} and {broken_had}",
                provider.incidents
            )),
        }
    }
}
