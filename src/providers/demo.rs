//! The built-in demo: a believable night, embedded in the binary, served through the same
//! `Source` and `MetricsSource` traits as the real providers.

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{DateTime, TimeDelta, Utc};

use crate::clock::Clock;
use crate::incident::{Incident, IncidentKey, LevelTwoAnswer, Status};
use crate::metrics::{MetricsSource, Series, Window};
use crate::providers::{
    Capabilities, History, Note, OnCall, ProviderError, Source, TimelineEntry, Verb,
};

pub const DEMO_TOML: &str = include_str!("../../assets/demo/demo.toml");

/// The demo teams' playbooks, as (path, markdown).
pub const DEMO_PLAYBOOKS: &[(&str, &str)] = &[
    (
        "payments/README.md",
        include_str!("../../assets/demo/playbooks/payments/README.md"),
    ),
    (
        "payments/checkout-api.md",
        include_str!("../../assets/demo/playbooks/payments/checkout-api.md"),
    ),
    (
        "payments/ledger-worker.md",
        include_str!("../../assets/demo/playbooks/payments/ledger-worker.md"),
    ),
    (
        "storefront/README.md",
        include_str!("../../assets/demo/playbooks/storefront/README.md"),
    ),
    (
        "storefront/search-api.md",
        include_str!("../../assets/demo/playbooks/storefront/search-api.md"),
    ),
    (
        "storefront/edge-gateway.md",
        include_str!("../../assets/demo/playbooks/storefront/edge-gateway.md"),
    ),
];

/// How long the demo's level two takes to pick up an escalation (a drill's scenario says
/// its own).
pub const LEVEL_TWO_TAKES_SECONDS: i64 = 20;

/// How the demo escalates, in the panel's words.
pub const DEMO_ROUTE: &str = "the demo: recorded, nobody is paged";

/// Level two in the demo.
pub const DEMO_LEVEL_TWO: &str = "Eng Cap";

/// What the user changed through the verbs.
#[derive(Debug, Default, Clone)]
struct Override {
    status: Option<Status>,
    /// `Some(None)`: the user took the demo's assignee away (unacknowledged).
    assignee: Option<Option<String>>,
    escalated_to: Option<String>,
    /// When it was escalated: the demo's level two takes it a little later.
    escalated_at: Option<DateTime<Utc>>,
    /// What the user did, said first in the description ("snoozed by … until …").
    note: Option<String>,
    /// Notes added and every verb done, for the details overlay.
    history: History,
}

/// The demo as a live source: time flows from `start` on `clock`, verbs change its state.
pub struct DemoSource {
    name: String,
    world: DemoWorld,
    start: DateTime<Utc>,
    me: String,
    overrides: Mutex<HashMap<String, Override>>,
    clock: Clock,
    level_two_takes: TimeDelta,
}

impl DemoSource {
    pub fn new(name: &str, world: DemoWorld, start: DateTime<Utc>, me: &str) -> Self {
        Self {
            name: name.to_string(),
            world,
            start,
            me: me.to_string(),
            overrides: Mutex::new(HashMap::new()),
            clock: Clock::real(),
            level_two_takes: TimeDelta::seconds(LEVEL_TWO_TAKES_SECONDS),
        }
    }

    /// The same world on another clock (a drill's simulated night).
    pub fn with_clock(self, clock: Clock) -> Self {
        Self { clock, ..self }
    }

    /// Level two takes an escalation `seconds` after it is sent (a drill's scenario).
    pub fn with_level_two_delay(self, seconds: i64) -> Self {
        Self {
            level_two_takes: TimeDelta::seconds(seconds.max(0)),
            ..self
        }
    }

    fn overrides(&self) -> std::sync::MutexGuard<'_, HashMap<String, Override>> {
        // A poisoned lock only means another task panicked mid-update of plain data.
        self.overrides.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The incidents that exist at `now`, with the user's changes applied.
    pub fn incidents_at(&self, now: DateTime<Utc>) -> Vec<Incident> {
        let overrides = self.overrides();
        self.world
            .incidents
            .iter()
            .filter_map(|demo| {
                let opened_at = self.start + TimeDelta::seconds(parse_offset(&demo.opened).ok()?);
                if opened_at > now {
                    return None;
                }
                let changed = overrides.get(&demo.id).cloned().unwrap_or_default();
                let taken = changed
                    .escalated_at
                    .filter(|at| now - *at >= self.level_two_takes)
                    .and_then(|_| self.world.level_two());
                Some(Incident {
                    key: IncidentKey::new(&self.name, &demo.id),
                    source: self.name.clone(),
                    title: demo.title.clone(),
                    severity: demo.severity,
                    status: match taken {
                        Some(_) => Status::Acknowledged,
                        None => changed.status.unwrap_or(demo.status),
                    },
                    service: demo.service.clone(),
                    team: self.world.team_of(&demo.service).map(str::to_string),
                    alert: Some(demo.alert.clone()),
                    opened_at,
                    assignee: match taken {
                        Some(level_two) => Some(level_two.to_string()),
                        None => changed.assignee.unwrap_or_else(|| demo.assignee.clone()),
                    },
                    escalated_to: changed.escalated_to,
                    level_two_answer: taken.map(|who| LevelTwoAnswer::Taken {
                        by: who.to_string(),
                    }),
                    description: match changed.note {
                        Some(note) => format!("{note}\n{}", demo.description),
                        None => demo.description.clone(),
                    },
                    labels: demo.labels.clone(),
                    links: demo.links.clone(),
                })
            })
            .collect()
    }

    /// The service's signals sampled over `window`, one point per `step_seconds` (at
    /// least 15s: the demo's noise changes every 15s).
    pub fn series_at(&self, service: &str, window: Window, step_seconds: u64) -> Vec<Series> {
        let Some(service) = self.world.services.iter().find(|s| s.name == service) else {
            return Vec::new();
        };
        let (from, to) = (window.start.timestamp(), window.end.timestamp());
        let step = i64::try_from(step_seconds).unwrap_or(i64::MAX).max(15);
        service
            .signals
            .iter()
            .enumerate()
            .map(|(index, signal)| {
                let points = (0..)
                    .map(|i| from - from.rem_euclid(step) + i * step)
                    .take_while(|&t| t <= to)
                    .map(|t| (t as f64, self.value_at(signal, index, t)))
                    .collect();
                Series::new(signal.name.clone(), signal.unit, points)
            })
            .collect()
    }

    fn value_at(&self, signal: &DemoSignal, index: usize, unix: i64) -> f64 {
        let since = (unix - self.start.timestamp() - parse_offset(&signal.at).unwrap_or(0)) as f64;
        let length = signal
            .length
            .as_deref()
            .and_then(|l| parse_offset(l).ok())
            .unwrap_or(600)
            .max(1) as f64;
        let fraction = match signal.shape {
            Shape::Step => f64::from(u8::from(since >= 0.0)),
            Shape::Ramp => (since / length).clamp(0.0, 1.0),
            Shape::Spike => {
                let rise = (since / 60.0).clamp(0.0, 1.0);
                let fall = ((since - length) / length).clamp(0.0, 1.0);
                rise * (1.0 - fall)
            }
            Shape::Wave if since < 0.0 => 0.0,
            Shape::Wave => 0.5 - 0.5 * (since / length * std::f64::consts::TAU).cos(),
        };
        let value = signal.baseline + (signal.peak - signal.baseline) * fraction;
        value * (1.0 + signal.noise * jitter(index as u64, unix / 15))
    }
}

/// Deterministic noise in [-1, 1]: the same instant always charts the same value.
fn jitter(series: u64, slot: i64) -> f64 {
    let mut x = (slot as u64) ^ series.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    (x % 2001) as f64 / 1000.0 - 1.0
}

impl Source for DemoSource {
    fn kind(&self) -> &'static str {
        "demo"
    }

    async fn page_history(
        &self,
        since: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<crate::providers::PageHistory, ProviderError> {
        Ok(fortnight::history(self, since, until))
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities::all()
    }

    fn escalation_route(&self) -> Option<String> {
        Some(DEMO_ROUTE.into())
    }

    async fn incidents(&self) -> Result<Vec<Incident>, ProviderError> {
        Ok(self.incidents_at(self.clock.now()))
    }

    async fn perform(&self, key: &IncidentKey, verb: &Verb) -> Result<(), ProviderError> {
        if !self.world.incidents.iter().any(|i| i.id == key.id) || key.source != self.name {
            return Err(ProviderError::NotFound(key.clone()));
        }
        let mut overrides = self.overrides();
        let entry = overrides.entry(key.id.clone()).or_default();
        let (at, by) = (self.clock.now(), Some(self.me.clone()));
        entry.history.timeline.push(TimelineEntry {
            at,
            by: by.clone(),
            what: verb.describe(),
        });
        match verb {
            Verb::Acknowledge { note } => {
                entry.status = Some(Status::Acknowledged);
                entry.assignee = Some(Some(self.me.clone()));
                entry.note = note
                    .as_ref()
                    .map(|n| format!("acknowledged by {}: {n}", self.me));
            }
            Verb::Unacknowledge => {
                entry.status = Some(Status::Triggered);
                entry.assignee = Some(None);
                entry.note = None;
            }
            Verb::Snooze { seconds } => {
                let until = at + TimeDelta::seconds(i64::try_from(*seconds).unwrap_or(0));
                entry.status = Some(Status::Acknowledged);
                entry.assignee = Some(Some(self.me.clone()));
                entry.note = Some(format!(
                    "snoozed by {} until {}",
                    self.me,
                    until.format("%H:%M UTC")
                ));
            }
            Verb::Resolve => entry.status = Some(Status::Resolved),
            Verb::Escalate { to, message, .. } => {
                entry.escalated_to = Some(to.clone());
                entry.escalated_at = Some(at);
                if let Some(message) = message {
                    entry.history.notes.push(Note {
                        at,
                        by: by.clone(),
                        text: message.clone(),
                    });
                }
            }
            Verb::Note { text } => entry.history.notes.push(Note {
                at,
                by,
                text: text.clone(),
            }),
            Verb::Reassign { to } => entry.assignee = Some(Some(to.clone())),
            Verb::AddResponder { .. } => {}
        }
        Ok(())
    }

    async fn oncall(&self) -> Result<Vec<OnCall>, ProviderError> {
        let rota = self.world.oncall.iter();
        Ok(rota
            .map(|o| o.at(&self.name, self.start, &self.me))
            .collect())
    }

    /// What the user did here, after the demo's own opening.
    async fn history(&self, key: &IncidentKey) -> Result<History, ProviderError> {
        let incident = self
            .incidents_at(self.clock.now())
            .into_iter()
            .find(|i| i.key == *key)
            .ok_or_else(|| ProviderError::NotFound(key.clone()))?;
        let mut history = self
            .overrides()
            .get(&key.id)
            .map(|o| o.history.clone())
            .unwrap_or_default();
        history.timeline.insert(
            0,
            TimelineEntry {
                at: incident.opened_at,
                by: None,
                what: format!("triggered: {}", incident.title),
            },
        );
        Ok(history)
    }
}

impl MetricsSource for DemoSource {
    async fn series_for(
        &self,
        incident: &Incident,
        window: Window,
        step_seconds: u64,
    ) -> Result<Vec<Series>, ProviderError> {
        Ok(self.series_at(&incident.service, window, step_seconds))
    }
}

mod fortnight;
mod oncall;
mod world;

pub use world::{DemoIncident, DemoService, DemoSignal, DemoWorld, Shape, parse_offset};
// Drill scenarios write the same rota.
pub use oncall::DemoOnCall;
#[cfg(test)]
mod tests;
