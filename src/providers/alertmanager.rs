//! Prometheus Alertmanager as an incident source (API v2): active alerts grouped into
//! incidents by labels, the members of an HA cluster merged by fingerprint.
//!
//! Acknowledge is a silence, as karma does it: exact matchers on the incident's grouping
//! labels, `createdBy` the user, a comment starting `ACK!` (so kthxbye can extend it).

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::{Capabilities, ProviderError, Source, Verb};
use crate::incident::{Incident, IncidentKey, Link, Severity, Status};

/// How one configured Alertmanager source reads its alerts.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub name: String,
    /// The members of one HA cluster (or a single server).
    pub urls: Vec<String>,
    /// The labels whose values make one incident of many alerts.
    pub group_by: Vec<String>,
    /// The label that names the service.
    pub service_label: String,
    pub timeout: Duration,
    /// Who acknowledges: the silence's `createdBy`.
    pub me: String,
    /// How long an acknowledgement (a silence) lasts.
    pub ack_for: Duration,
}

pub struct Alertmanager {
    settings: Settings,
    http: reqwest::Client,
    /// Each incident's grouping labels, from the last poll: what a silence matches.
    groups: Mutex<HashMap<IncidentKey, Vec<(String, String)>>>,
}

/// A silence as `GET /api/v2/silences` returns it (the fields shown).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Silence {
    id: String,
    created_by: String,
    #[serde(default)]
    comment: String,
    ends_at: DateTime<Utc>,
}

/// One alert as `GET /api/v2/alerts` returns it (the fields pagerdeck uses).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Alert {
    #[serde(default)]
    labels: BTreeMap<String, String>,
    #[serde(default)]
    annotations: BTreeMap<String, String>,
    starts_at: DateTime<Utc>,
    #[serde(default, rename = "generatorURL")]
    generator_url: String,
    fingerprint: String,
    status: AlertStatus,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct AlertStatus {
    state: String,
    #[serde(default)]
    silenced_by: Vec<String>,
}

impl Alertmanager {
    pub fn new(settings: Settings) -> Result<Alertmanager, String> {
        if settings.urls.is_empty() {
            return Err(format!(
                "source {}: an alertmanager source needs urls = [\"http://…:9093\"]",
                settings.name
            ));
        }
        let http = reqwest::Client::builder()
            .timeout(settings.timeout)
            .user_agent(concat!("pagerdeck/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| format!("source {}: cannot set up HTTP: {e}", settings.name))?;
        Ok(Alertmanager {
            settings,
            http,
            groups: Mutex::new(HashMap::new()),
        })
    }

    fn endpoint(url: &str, path: &str) -> String {
        format!("{}/api/v2/{path}", url.trim_end_matches('/'))
    }

    /// The silences of the first member that answers (the cluster shares them).
    async fn silences(&self) -> HashMap<String, Silence> {
        for url in &self.settings.urls {
            let answer = self
                .http
                .get(Self::endpoint(url, "silences"))
                .send()
                .await
                .and_then(|r| r.error_for_status());
            if let Ok(response) = answer
                && let Ok(silences) = response.json::<Vec<Silence>>().await
            {
                return silences.into_iter().map(|s| (s.id.clone(), s)).collect();
            }
        }
        HashMap::new()
    }

    /// Silence the incident's alerts: created once, on the first member that takes it.
    async fn acknowledge(&self, key: &IncidentKey) -> Result<(), ProviderError> {
        let matchers = self
            .groups
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(key)
            .cloned()
            .ok_or_else(|| ProviderError::NotFound(key.clone()))?;
        let now = Utc::now();
        let until = now + chrono::TimeDelta::from_std(self.settings.ack_for).unwrap_or_default();
        let body = serde_json::json!({
            "matchers": matchers.iter().map(|(name, value)| serde_json::json!({
                "name": name, "value": value, "isRegex": false, "isEqual": true
            })).collect::<Vec<_>>(),
            "startsAt": now,
            "endsAt": until,
            "createdBy": self.settings.me,
            "comment": "ACK! acknowledged from pagerdeck",
        });
        let mut last_error = ProviderError::Http("no Alertmanager configured".into());
        for url in &self.settings.urls {
            let sent = self
                .http
                .post(Self::endpoint(url, "silences"))
                .json(&body)
                .send()
                .await;
            match sent {
                Ok(response) if response.status().is_success() => return Ok(()),
                Ok(response) => {
                    let code = response.status().as_u16();
                    let body = response.text().await.unwrap_or_default();
                    // The server said no: another member would say the same.
                    return Err(ProviderError::Status {
                        code,
                        body: body.chars().take(200).collect(),
                    });
                }
                Err(error) => last_error = ProviderError::Http(format!("{url}: {error}")),
            }
        }
        Err(last_error)
    }

    async fn alerts_from(&self, url: &str) -> Result<Vec<Alert>, ProviderError> {
        let endpoint = format!("{}/api/v2/alerts", url.trim_end_matches('/'));
        let response = self
            .http
            .get(&endpoint)
            .query(&[("active", "true"), ("inhibited", "false")])
            .send()
            .await
            .map_err(|e| {
                if e.is_timeout() {
                    ProviderError::Timeout
                } else {
                    ProviderError::Http(format!("{url}: {e}"))
                }
            })?;
        let status = response.status();
        if !status.is_success() {
            let body = response.text().await.unwrap_or_default();
            return Err(ProviderError::Status {
                code: status.as_u16(),
                body: body.chars().take(200).collect(),
            });
        }
        response
            .json::<Vec<Alert>>()
            .await
            .map_err(|e| ProviderError::Decode {
                endpoint,
                reason: e.to_string(),
            })
    }
}

impl Source for Alertmanager {
    fn kind(&self) -> &'static str {
        "alertmanager"
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            acknowledge: Ok(()),
            escalate: Err("Alertmanager cannot escalate: page level two through PagerDuty".into()),
        }
    }

    /// Every member is asked; the alerts are merged by fingerprint, so an HA pair never
    /// shows an alert twice. Only when no member answers is the source failing.
    async fn incidents(&self) -> Result<Vec<Incident>, ProviderError> {
        let mut merged: BTreeMap<String, Alert> = BTreeMap::new();
        let mut first_error = None;
        let mut answered = false;
        for url in &self.settings.urls {
            match self.alerts_from(url).await {
                Ok(alerts) => {
                    answered = true;
                    for alert in alerts {
                        merged.entry(alert.fingerprint.clone()).or_insert(alert);
                    }
                }
                Err(error) => {
                    first_error.get_or_insert(error);
                }
            }
        }
        if let (false, Some(error)) = (answered, first_error) {
            return Err(error);
        }
        let alerts: Vec<Alert> = merged.into_values().collect();
        let silenced = alerts.iter().any(|a| !a.status.silenced_by.is_empty());
        let silences = if silenced {
            self.silences().await
        } else {
            HashMap::new()
        };
        let grouped = group(&self.settings, alerts);
        let mut groups = self.groups.lock().unwrap_or_else(|e| e.into_inner());
        groups.clear();
        let incidents = grouped
            .into_iter()
            .map(|(matchers, silenced_by, mut incident)| {
                if let Some(silence) = silenced_by.iter().find_map(|id| silences.get(id)) {
                    describe_silence(&mut incident, silence);
                }
                groups.insert(incident.key.clone(), matchers);
                incident
            })
            .collect();
        Ok(incidents)
    }

    async fn perform(&self, key: &IncidentKey, verb: &Verb) -> Result<(), ProviderError> {
        match verb {
            Verb::Acknowledge => self.acknowledge(key).await,
            Verb::Escalate { .. } => Err(ProviderError::Unsupported(
                self.capabilities().allows(verb).err().unwrap_or_default(),
            )),
        }
    }
}

/// Who silenced an incident, and until when: an `ACK!` silence is an acknowledgement by
/// its author; any other silence is said as it is.
fn describe_silence(incident: &mut Incident, silence: &Silence) {
    let until = silence.ends_at.format("%H:%M UTC");
    let note = match silence.comment.strip_prefix("ACK!") {
        Some(_) => format!("acknowledged by {} until {until}", silence.created_by),
        None => format!(
            "silenced by {} until {until}: {}",
            silence.created_by, silence.comment
        ),
    };
    incident.assignee = Some(silence.created_by.clone());
    incident.description = if incident.description.is_empty() {
        note
    } else {
        format!("{note}\n{}", incident.description)
    };
}

/// Alerts that share the `group_by` labels' values are one incident, with the matchers
/// that silence it and the silences already on it.
type Grouped = (Vec<(String, String)>, Vec<String>, Incident);

fn group(settings: &Settings, alerts: Vec<Alert>) -> Vec<Grouped> {
    let mut groups: BTreeMap<Vec<String>, Vec<Alert>> = BTreeMap::new();
    for alert in alerts {
        let key = settings
            .group_by
            .iter()
            .map(|label| alert.labels.get(label).cloned().unwrap_or_default())
            .collect();
        groups.entry(key).or_default().push(alert);
    }
    groups
        .into_iter()
        .map(|(values, alerts)| {
            let matchers = settings
                .group_by
                .iter()
                .zip(&values)
                .filter(|(_, value)| !value.is_empty())
                .map(|(name, value)| (name.clone(), value.clone()))
                .collect();
            let mut silenced_by: Vec<String> = alerts
                .iter()
                .flat_map(|a| a.status.silenced_by.iter().cloned())
                .collect();
            silenced_by.dedup();
            (matchers, silenced_by, incident(settings, &values, &alerts))
        })
        .collect()
}

fn incident(settings: &Settings, values: &[String], alerts: &[Alert]) -> Incident {
    let first = &alerts[0];
    // An annotation from whichever alert of the group carries it.
    let annotation = |name: &str| alerts.iter().find_map(|a| a.annotations.get(name).cloned());
    let alertname = first.labels.get("alertname").cloned();
    let summary = annotation("summary")
        .or_else(|| alertname.clone())
        .unwrap_or_else(|| "alert".into());
    let title = match alerts.len() {
        1 => summary,
        n => format!("{summary} ({n} alerts)"),
    };
    // Labels every alert of the group shares: what the incident is about.
    let labels: BTreeMap<String, String> = first
        .labels
        .iter()
        .filter(|(k, v)| alerts.iter().all(|a| a.labels.get(*k) == Some(*v)))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let mut links = Vec::new();
    if !first.generator_url.is_empty() {
        links.push(Link {
            title: "Prometheus expression".into(),
            url: first.generator_url.clone(),
        });
    }
    if let Some(runbook) = annotation("runbook_url") {
        links.push(Link {
            title: "runbook".into(),
            url: runbook,
        });
    }
    let silenced = alerts
        .iter()
        .all(|a| a.status.state == "suppressed" && !a.status.silenced_by.is_empty());
    Incident {
        key: IncidentKey::new(&settings.name, values.join("/")),
        source: settings.name.clone(),
        title,
        severity: alerts
            .iter()
            .map(|a| severity(a.labels.get("severity").map(String::as_str)))
            .max()
            .unwrap_or(Severity::Warning),
        status: if silenced {
            Status::Acknowledged
        } else {
            Status::Triggered
        },
        service: first
            .labels
            .get(&settings.service_label)
            .cloned()
            .unwrap_or_else(|| "unknown".into()),
        team: first.labels.get("team").cloned(),
        alert: alertname,
        opened_at: alerts
            .iter()
            .map(|a| a.starts_at)
            .min()
            .unwrap_or(first.starts_at),
        assignee: None,
        escalated_to: None,
        description: annotation("description").unwrap_or_default(),
        labels,
        links,
    }
}

/// The `severity` label in the words teams use.
fn severity(label: Option<&str>) -> Severity {
    match label.map(str::to_ascii_lowercase).as_deref() {
        Some("critical" | "crit" | "page" | "p1" | "emergency" | "fatal") => Severity::Critical,
        Some("high" | "error" | "major" | "p2") => Severity::High,
        Some("info" | "informational" | "low" | "none" | "p4" | "p5") => Severity::Info,
        _ => Severity::Warning,
    }
}
