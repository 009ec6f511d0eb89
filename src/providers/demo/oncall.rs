//! The demo's rota: you at level one, Eng Cap at level two.

use chrono::{DateTime, TimeDelta, Utc};
use serde::Deserialize;

use super::parse_offset;
use crate::providers::OnCall;

/// One `[[oncall]]` entry of demo.toml.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoOnCall {
    pub rota: String,
    pub level: u32,
    /// A name, or "me" for whoever runs the demo.
    pub who: String,
    /// When the shift ends, as an offset from the start ("+8h").
    pub until: String,
    /// When it starts, for who is next ("+7h40m"); on call from the start without it.
    #[serde(default)]
    pub from: Option<String>,
}

impl DemoOnCall {
    pub fn at(&self, source: &str, start: DateTime<Utc>, me: &str) -> OnCall {
        let at = |offset: &str| {
            parse_offset(offset)
                .ok()
                .map(|seconds| start + TimeDelta::seconds(seconds))
        };
        OnCall {
            source: source.to_string(),
            rota: self.rota.clone(),
            level: Some(self.level),
            who: match self.who.as_str() {
                "me" => me.to_string(),
                name => name.to_string(),
            },
            until: at(&self.until),
            from: self.from.as_deref().and_then(at),
        }
    }
}
