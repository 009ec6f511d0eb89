//! Configuration: the model, loading it with errors that name file, line and key, and
//! where files live.

pub mod drills;
pub mod load;
pub mod notify;
pub mod paths;
pub mod queries;
pub mod source;

pub use source::{SourceConfig, SourceKind};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

pub const EXAMPLE: &str = include_str!("../assets/config.example.toml");

#[derive(Debug, Clone, Deserialize, Default, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub theme: Option<String>,
    #[serde(default)]
    pub read_only: bool,
    /// Shadow mode: follow the live queue read-only, with a banner saying so (`--shadow`).
    #[serde(default)]
    pub shadow: bool,
    /// Make the playbook's web links clickable (OSC 8) in terminals that support it
    /// (unset: yes).
    #[serde(default)]
    pub hyperlinks: Option<bool>,
    #[serde(default)]
    pub data_dir: Option<PathBuf>,
    #[serde(default)]
    pub me: Me,
    #[serde(default)]
    pub escalation: Escalation,
    #[serde(default)]
    pub sources: Vec<SourceConfig>,
    #[serde(default)]
    pub playbooks: PlaybooksConfig,
    /// A team's own drill scenarios.
    #[serde(default)]
    pub drills: drills::DrillsConfig,
    /// Per service: which team owns it and what the metrics pane charts for it.
    #[serde(default)]
    pub services: BTreeMap<String, ServiceConfig>,
    /// Where metrics and alert rules come from; none configured means none are asked for.
    #[serde(default)]
    pub metrics: Option<MetricsConfig>,
    /// Which new pages ring the terminal, and reminders.
    #[serde(default)]
    pub notify: notify::NotifyConfig,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct MetricsConfig {
    #[serde(default)]
    pub kind: MetricsKind,
    /// The server's base URL, e.g. "http://prometheus.internal:9090" (with the path
    /// prefix, if the API lives under one: "http://mimir/prometheus").
    pub url: String,
    /// Give up on one query after this long.
    #[serde(default = "default_timeout", with = "humantime_duration")]
    pub timeout: Duration,
    /// Give up connecting after this long.
    #[serde(default = "default_connect_timeout", with = "humantime_duration")]
    pub connect_timeout: Duration,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum MetricsKind {
    #[default]
    Prometheus,
}

#[derive(Debug, Clone, Deserialize, Default, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PlaybooksConfig {
    /// Folders of markdown playbooks; `~/` is the home folder, a relative path is taken
    /// from the config file's folder.
    #[serde(default)]
    pub dirs: Vec<PathBuf>,
}

#[derive(Debug, Clone, Deserialize, Default, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ServiceConfig {
    pub team: Option<String>,
    /// What to chart, in the order written; templates may name the incident's labels.
    #[serde(default)]
    pub queries: queries::Queries,
}

#[derive(Debug, Clone, Deserialize, Default, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Me {
    pub name: Option<String>,
    pub email: Option<String>,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Escalation {
    #[serde(default = "default_level_two")]
    pub name: String,
    /// How a PagerDuty incident reaches level two.
    #[serde(default)]
    pub pagerduty: Option<PagerdutyRoute>,
    /// How an Opsgenie alert reaches level two.
    #[serde(default)]
    pub opsgenie: Option<OpsgenieRoute>,
    /// How an Alertmanager incident reaches level two: Alertmanager cannot page anyone on
    /// demand, so pagerdeck pages for it.
    #[serde(default)]
    pub alertmanager: Option<AlertmanagerRoute>,
}

impl Default for Escalation {
    fn default() -> Self {
        Self {
            name: default_level_two(),
            pagerduty: None,
            opsgenie: None,
            alertmanager: None,
        }
    }
}

/// `pagerduty = { escalation_policy_id = "PENGCAP", mode = "responder_request" }`, or
/// `{ escalation_level = 2 }` for a level of the incident's own policy, or
/// `{ mode = "next_level" }` for the level above the one it is at.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct PagerdutyRoute {
    pub escalation_policy_id: Option<String>,
    pub escalation_level: Option<u32>,
    #[serde(default)]
    pub mode: PagerdutyMode,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum PagerdutyMode {
    /// Give the incident to level two's escalation policy.
    #[default]
    Reassign,
    /// Keep it, and ask level two's policy to respond.
    ResponderRequest,
    /// Climb the incident's own policy one level from where it is.
    NextLevel,
}

/// Where a `PagerdutyRoute` escalates, once it is known to name exactly one way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PagerdutyWay<'a> {
    Reassign { policy: &'a str },
    ResponderRequest { policy: &'a str },
    Level(u32),
    NextLevel,
}

impl PagerdutyRoute {
    /// The one way this route escalates, or what to write instead.
    pub fn way(&self) -> Result<PagerdutyWay<'_>, String> {
        let policy = self.escalation_policy_id.as_deref();
        match (policy, self.escalation_level, self.mode) {
            (Some(_), _, PagerdutyMode::NextLevel) => Err(
                "mode = \"next_level\" climbs the incident's own escalation policy, so escalation_policy_id has no place beside it (for level two's own policy use mode = \"reassign\" or \"responder_request\")"
                    .into(),
            ),
            (None, Some(_), PagerdutyMode::NextLevel) => Err(
                "mode = \"next_level\" finds the incident's level itself, so escalation_level has no place beside it (or drop mode for always that level)"
                    .into(),
            ),
            (None, None, PagerdutyMode::NextLevel) => Ok(PagerdutyWay::NextLevel),
            (Some(""), None, _) => Err("escalation_policy_id is empty".into()),
            (Some(policy), None, PagerdutyMode::Reassign) => Ok(PagerdutyWay::Reassign { policy }),
            (Some(policy), None, PagerdutyMode::ResponderRequest) => {
                Ok(PagerdutyWay::ResponderRequest { policy })
            }
            (None, Some(level), _) if level >= 1 => Ok(PagerdutyWay::Level(level)),
            _ => Err(
                "set escalation_policy_id (with mode = \"reassign\" or \"responder_request\"), escalation_level = N (1 or more), or mode = \"next_level\"; only one of them"
                    .into(),
            ),
        }
    }
}

/// `opsgenie = { escalation = "Eng Cap escalation" }`: the escalation's name.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct OpsgenieRoute {
    pub escalation: String,
}

/// `alertmanager = { events_routing_key_env = "ENGCAP_ROUTING_KEY" }` (a PagerDuty Events
/// API v2 trigger; `events_url` for the EU service or a test; `api_token_env` to read back
/// whether level two took it), or `alertmanager = { webhook_url = "https://…" }` (generic
/// JSON, Slack-compatible).
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct AlertmanagerRoute {
    /// The variable holding the Events API v2 integration key (read once, at start).
    pub events_routing_key_env: Option<String>,
    pub events_url: Option<String>,
    pub webhook_url: Option<String>,
    /// The variable holding a PagerDuty REST API token (read once, at start): the Events
    /// API cannot be read back, so the paged incident's status is asked over REST.
    pub api_token_env: Option<String>,
    /// The REST API's base URL: `None` for PagerDuty's own (US) one.
    pub api_url: Option<String>,
}

/// Where an `AlertmanagerRoute` pages, once it is known to name exactly one way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlertmanagerTarget<'a> {
    /// `url`: `None` for PagerDuty's own (US) endpoint.
    Events {
        routing_key_env: &'a str,
        url: Option<&'a str>,
        /// Where level two's answer is read, when it is.
        read_back: Option<ReadBackTarget<'a>>,
    },
    Webhook {
        url: &'a str,
    },
}

/// `api_token_env` (and `api_url`) of an Events route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadBackTarget<'a> {
    pub token_env: &'a str,
    /// `None` for PagerDuty's own (US) REST API.
    pub url: Option<&'a str>,
}

impl AlertmanagerRoute {
    /// The one way this route pages, or what to write instead.
    pub fn target(&self) -> Result<AlertmanagerTarget<'_>, String> {
        const WHAT: &str = "[escalation] alertmanager: set events_routing_key_env = \"NAME_OF_VARIABLE\" (PagerDuty Events API v2) or webhook_url = \"https://…\"";
        let target = match (
            self.events_routing_key_env.as_deref(),
            self.events_url.as_deref(),
            self.webhook_url.as_deref(),
        ) {
            (Some(_), _, Some(_)) => return Err(format!("{WHAT}, not both")),
            (None, None, None) => return Err(format!("{WHAT}: neither is set")),
            (None, Some(_), _) => {
                return Err(format!(
                    "{WHAT}: events_url needs events_routing_key_env beside it"
                ));
            }
            (Some(""), _, _) => return Err(format!("{WHAT}: the variable's name is empty")),
            (Some(routing_key_env), url, None) => AlertmanagerTarget::Events {
                routing_key_env,
                url,
                read_back: self.read_back()?,
            },
            (None, None, Some(url)) => {
                if self.api_token_env.is_some() || self.api_url.is_some() {
                    return Err("[escalation] alertmanager: api_token_env and api_url only apply to events_routing_key_env (PagerDuty Events): a webhook cannot be asked whether level two took it".into());
                }
                AlertmanagerTarget::Webhook { url }
            }
        };
        // The URL is not repeated: a webhook's path is often its secret.
        let urls = match target {
            AlertmanagerTarget::Events { url, read_back, .. } => {
                vec![
                    ("events_url", url),
                    ("api_url", read_back.and_then(|r| r.url)),
                ]
            }
            AlertmanagerTarget::Webhook { url } => vec![("webhook_url", Some(url))],
        };
        let not_http = urls.into_iter().find(|(_, url)| {
            url.is_some_and(|url| !url.starts_with("https://") && !url.starts_with("http://"))
        });
        match not_http {
            Some((key, _)) => Err(format!(
                "[escalation] alertmanager: {key} must start with https:// (or http://)"
            )),
            None => Ok(target),
        }
    }

    /// Where an Events route reads level two's answer back, if it does.
    fn read_back(&self) -> Result<Option<ReadBackTarget<'_>>, String> {
        match (self.api_token_env.as_deref(), self.api_url.as_deref()) {
            (None, None) => Ok(None),
            (None, Some(_)) => Err(
                "[escalation] alertmanager: api_url needs api_token_env = \"NAME_OF_VARIABLE\" beside it (a PagerDuty REST API token)".into(),
            ),
            (Some(""), _) => {
                Err("[escalation] alertmanager: the variable's name in api_token_env is empty".into())
            }
            (Some(token_env), url) => Ok(Some(ReadBackTarget { token_env, url })),
        }
    }
}

fn default_level_two() -> String {
    "Eng Cap".into()
}

pub(crate) fn default_poll() -> Duration {
    Duration::from_secs(5)
}

pub(crate) fn default_timeout() -> Duration {
    Duration::from_secs(15)
}

pub(crate) fn default_connect_timeout() -> Duration {
    Duration::from_secs(5)
}

impl Config {
    /// The built-in demo, used when there is no config file or it lists no source.
    pub fn demo_source() -> SourceConfig {
        SourceConfig::demo()
    }

    /// Sources to run: the configured ones, or the demo.
    pub fn effective_sources(&self) -> Vec<SourceConfig> {
        if self.sources.is_empty() {
            vec![Self::demo_source()]
        } else {
            self.sources.clone()
        }
    }

    pub fn is_demo(&self) -> bool {
        self.effective_sources()
            .iter()
            .all(|s| s.kind == SourceKind::Demo)
    }

    /// The playbook folders as paths to read.
    pub fn playbook_dirs(&self, config_dir: Option<&Path>) -> Vec<PathBuf> {
        let home = directories::BaseDirs::new().map(|d| d.home_dir().to_path_buf());
        self.playbooks
            .dirs
            .iter()
            .map(|dir| match (dir.strip_prefix("~"), &home, config_dir) {
                (Ok(rest), Some(home), _) => home.join(rest),
                (_, _, Some(base)) if dir.is_relative() => base.join(dir),
                _ => dir.clone(),
            })
            .collect()
    }

    /// Who you are: `[me] name`, else the login name.
    pub fn my_name(&self) -> String {
        self.me
            .name
            .clone()
            .or_else(|| std::env::var("USER").ok().filter(|u| !u.is_empty()))
            .unwrap_or_else(|| "you".into())
    }
}

/// "5s", "1m30s" in TOML strings.
pub(crate) mod humantime_duration {
    use std::time::Duration;

    use serde::{Deserialize, Deserializer, de::Error};

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Duration, D::Error> {
        let text = String::deserialize(deserializer)?;
        let duration = humantime::parse_duration(&text).map_err(|e| {
            D::Error::custom(format!(
                "`{text}` is not a duration ({e}); write e.g. \"5s\" or \"1m\""
            ))
        })?;
        if duration.is_zero() {
            return Err(D::Error::custom(
                "a duration of zero would spin; use at least 1s",
            ));
        }
        Ok(duration)
    }
}
