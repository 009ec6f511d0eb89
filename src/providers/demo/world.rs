//! The demo's world as `demo.toml` describes it: services and their signals' shapes,
//! incidents on a timeline of offsets from the start, the rota.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::DEMO_TOML;
use crate::incident::{Link, Severity, Status};
use crate::metrics::Unit;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoWorld {
    pub services: Vec<DemoService>,
    pub incidents: Vec<DemoIncident>,
    #[serde(default)]
    pub oncall: Vec<super::oncall::DemoOnCall>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoService {
    pub name: String,
    pub team: String,
    pub signals: Vec<DemoSignal>,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Shape {
    /// Climbs linearly from baseline to peak over `length`, then holds.
    Ramp,
    /// Rises within a minute, holds for `length`, then falls back.
    Spike,
    /// Jumps to peak at `at` and stays.
    Step,
    /// Swings between baseline and peak with period `length`.
    Wave,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoSignal {
    pub name: String,
    pub unit: Unit,
    pub baseline: f64,
    pub peak: f64,
    pub shape: Shape,
    /// Offset from the demo's start, e.g. "-14m".
    pub at: String,
    #[serde(default)]
    pub length: Option<String>,
    #[serde(default)]
    pub noise: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoIncident {
    pub id: String,
    pub title: String,
    pub service: String,
    pub alert: String,
    pub severity: Severity,
    pub status: Status,
    /// Offset from the demo's start; positive offsets arrive while you watch.
    pub opened: String,
    #[serde(default)]
    pub assignee: Option<String>,
    pub description: String,
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    #[serde(default)]
    pub links: Vec<Link>,
}

impl DemoWorld {
    /// Who is on call at level two (a name: the rota's "me" is level one).
    pub fn level_two(&self) -> Option<&str> {
        let entry = self
            .oncall
            .iter()
            .find(|o| o.level == 2 && o.from.is_none())?;
        Some(entry.who.as_str())
    }

    /// The embedded world. It is checked by a test, so a failure here is a build defect.
    pub fn embedded() -> Result<Self, String> {
        let world: DemoWorld =
            toml::from_str(DEMO_TOML).map_err(|e| format!("assets/demo/demo.toml: {e}"))?;
        world.validate()?;
        Ok(world)
    }

    fn validate(&self) -> Result<(), String> {
        for signal in self.services.iter().flat_map(|s| &s.signals) {
            parse_offset(&signal.at)?;
            if let Some(length) = &signal.length {
                parse_offset(length)?;
            }
        }
        for incident in &self.incidents {
            parse_offset(&incident.opened)?;
            if !self.services.iter().any(|s| s.name == incident.service) {
                return Err(format!(
                    "demo incident {} names unknown service {}",
                    incident.id, incident.service
                ));
            }
        }
        Ok(())
    }

    pub fn team_of(&self, service: &str) -> Option<&str> {
        self.services
            .iter()
            .find(|s| s.name == service)
            .map(|s| s.team.as_str())
    }
}

/// "-9m", "+40s", "3h10m" as signed seconds.
pub fn parse_offset(text: &str) -> Result<i64, String> {
    let (sign, rest) = match text.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, text.strip_prefix('+').unwrap_or(text)),
    };
    let duration =
        humantime::parse_duration(rest).map_err(|e| format!("bad demo offset `{text}`: {e}"))?;
    i64::try_from(duration.as_secs())
        .map(|secs| sign * secs)
        .map_err(|_| format!("demo offset `{text}` is too large"))
}
