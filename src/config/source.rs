//! One `[[sources]]` entry: what kind of source, where it is, and how to read it.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Deserialize;

use super::{default_connect_timeout, default_poll, default_timeout, humantime_duration};
use crate::incident::Severity;
use crate::providers::token::Secret;

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    Demo,
    Alertmanager,
    Pagerduty,
    Opsgenie,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SourceConfig {
    pub name: String,
    pub kind: SourceKind,
    #[serde(default = "default_poll", with = "humantime_duration")]
    pub poll_interval: Duration,
    /// The whole request, answer included.
    #[serde(default = "default_timeout", with = "humantime_duration")]
    pub timeout: Duration,
    /// Only the connection: a server that is down is said quickly.
    #[serde(default = "default_connect_timeout", with = "humantime_duration")]
    pub connect_timeout: Duration,
    /// Alertmanager: the members of one cluster (or one server).
    #[serde(default)]
    pub urls: Vec<String>,
    /// Alertmanager: the labels that make one incident of many alerts.
    #[serde(default = "default_group_by")]
    pub group_by: Vec<String>,
    /// Alertmanager: the label naming the service.
    #[serde(default = "default_service_label")]
    pub service_label: String,
    /// Alertmanager: the label saying how bad an alert is.
    #[serde(default = "default_severity_label")]
    pub severity_label: String,
    /// Alertmanager: the team's own severity words, e.g. { P1 = "critical", sev3 = "info" }.
    #[serde(default)]
    pub severities: BTreeMap<String, Severity>,
    /// Alertmanager: how long an acknowledgement (a silence) lasts.
    #[serde(default = "default_ack_duration", with = "humantime_duration")]
    pub ack_duration: Duration,
    /// PagerDuty, Opsgenie: the API token itself, allowed only in a file no one but its
    /// owner can read (checked at load).
    #[serde(default)]
    pub token: Option<Secret>,
    /// PagerDuty, Opsgenie: the environment variable holding the API token.
    #[serde(default)]
    pub token_env: Option<String>,
    /// PagerDuty, Opsgenie: a command printing the API token (run once, at start).
    #[serde(default)]
    pub token_cmd: Option<String>,
    /// PagerDuty, Opsgenie: the API's base URL (EU accounts, proxies, tests).
    #[serde(default)]
    pub base_url: Option<String>,
    /// PagerDuty: the email sent as `From` on writes (default: `[me] email`);
    /// Opsgenie: the user named on actions (default: `[me] email`, else `[me] name`).
    #[serde(default)]
    pub from: Option<String>,
    /// PagerDuty: only these services' incidents.
    #[serde(default)]
    pub service_ids: Vec<String>,
    /// PagerDuty: only these teams' incidents.
    #[serde(default)]
    pub team_ids: Vec<String>,
    /// PagerDuty: only these urgencies ("high", "low").
    #[serde(default)]
    pub urgencies: Vec<String>,
    /// PagerDuty: the escalation policies whose on-call people `oncall` lists (default:
    /// every policy).
    #[serde(default)]
    pub escalation_policy_ids: Vec<String>,
    /// Opsgenie: the alert search (default "status:open").
    #[serde(default)]
    pub query: Option<String>,
    /// Opsgenie: the schedules (names) whose on-call people `oncall` lists.
    #[serde(default)]
    pub schedules: Vec<String>,
}

impl SourceConfig {
    /// The built-in demo, used when there is no config file or it lists no source.
    pub fn demo() -> SourceConfig {
        SourceConfig::new("demo", SourceKind::Demo)
    }

    /// A source of `kind` with every default.
    pub fn new(name: &str, kind: SourceKind) -> SourceConfig {
        SourceConfig {
            name: name.into(),
            kind,
            poll_interval: default_poll(),
            timeout: default_timeout(),
            connect_timeout: default_connect_timeout(),
            urls: Vec::new(),
            group_by: default_group_by(),
            service_label: default_service_label(),
            severity_label: default_severity_label(),
            severities: BTreeMap::new(),
            ack_duration: default_ack_duration(),
            token: None,
            token_env: None,
            token_cmd: None,
            base_url: None,
            from: None,
            service_ids: Vec::new(),
            team_ids: Vec::new(),
            urgencies: Vec::new(),
            escalation_policy_ids: Vec::new(),
            query: None,
            schedules: Vec::new(),
        }
    }
}

fn default_ack_duration() -> Duration {
    Duration::from_secs(3600)
}

fn default_group_by() -> Vec<String> {
    vec!["alertname".into(), "service".into()]
}

fn default_service_label() -> String {
    "service".into()
}

fn default_severity_label() -> String {
    "severity".into()
}
