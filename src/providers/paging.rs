//! Paging level two for incidents whose source cannot escalate by itself (Alertmanager):
//! a PagerDuty Events API v2 trigger (`events`) or a POST to a webhook (`webhook`).
//!
//! A `Pager` pages each open incident once: a second escalation sends nothing. With
//! Events the dedup key also folds repeats into one PagerDuty alert across restarts.

mod events;
mod webhook;

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::Mutex;
use std::time::Duration;

use super::ProviderError;
use super::http::cut;
use super::token::Secret;
use crate::incident::{Incident, IncidentKey};

/// PagerDuty's (US) Events API v2 endpoint.
pub const DEFAULT_EVENTS_URL: &str = "https://events.pagerduty.com/v2/enqueue";

/// Paging by an Events trigger to `url`, in the escalation panel's words.
pub fn events_route_words(url: &str) -> String {
    format!(
        "PagerDuty Events v2 trigger to {url} (one page per incident), the hand-over in its custom details"
    )
}

/// Where level two is paged.
#[derive(Clone, PartialEq, Eq)]
pub enum PageRoute {
    /// A PagerDuty Events API v2 trigger, on a service whose escalation policy reaches
    /// level two. There is no Authorization header: the routing key is in the body.
    Events { url: String, routing_key: Secret },
    /// Generic JSON with a Slack-compatible `text`.
    Webhook { url: String },
}

impl PageRoute {
    /// Where pages go, as errors and logs may show it: a webhook's path is often its
    /// secret (Slack's are), so only its scheme and host are shown.
    pub fn shown(&self) -> String {
        match self {
            PageRoute::Events { url, .. } => url.clone(),
            PageRoute::Webhook { url } => {
                let host_end = url
                    .find("://")
                    .map(|scheme| scheme + 3)
                    .and_then(|start| url[start..].find('/').map(|end| start + end));
                match host_end {
                    Some(end) if end + 1 < url.len() => format!("{}/…", &url[..end]),
                    _ => url.clone(),
                }
            }
        }
    }

    /// What must never reach an error, a log or the screen, and what stands in for it.
    fn secrets(&self) -> Vec<(String, String)> {
        match self {
            PageRoute::Events { routing_key, .. } => {
                vec![(routing_key.expose().to_string(), "[redacted]".into())]
            }
            PageRoute::Webhook { url } => {
                let mut secrets = vec![(url.clone(), self.shown())];
                // A server may echo only the path; a bare "/" is no secret.
                let path = url
                    .find("://")
                    .and_then(|scheme| url[scheme + 3..].find('/').map(|p| scheme + 3 + p));
                if let Some(path) = path.map(|p| &url[p..]).filter(|p| p.len() > 1) {
                    secrets.push((path.to_string(), "/[redacted]".into()));
                }
                secrets
            }
        }
    }
}

impl fmt::Debug for PageRoute {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PageRoute::Events { url, routing_key } => f
                .debug_struct("Events")
                .field("url", url)
                .field("routing_key", routing_key)
                .finish(),
            PageRoute::Webhook { .. } => f
                .debug_struct("Webhook")
                .field("url", &self.shown())
                .finish(),
        }
    }
}

/// One page: which incident, for whom, with what hand-over, from whom.
#[derive(Debug, Clone, Copy)]
pub struct Page<'a> {
    pub incident: &'a Incident,
    /// Level two's name ("Eng Cap").
    pub level_two: &'a str,
    /// What level two needs to start at once.
    pub hand_over: Option<&'a str>,
    pub escalated_by: &'a str,
}

/// `pagerdeck:<source>:<incident id>:l2`: the same for every page of one incident, so
/// PagerDuty folds repeats into one alert and a webhook receiver can drop them.
pub fn dedup_key(key: &IncidentKey) -> String {
    format!("pagerdeck:{}:{}:l2", key.source, key.id)
}

/// Pages level two by one route, remembering which incidents it has paged.
#[derive(Debug)]
pub struct Pager {
    route: PageRoute,
    http: reqwest::Client,
    /// Incidents paged and to whom; an incident that closes is forgotten.
    paged: Mutex<HashMap<IncidentKey, String>>,
    /// One page at a time, so two quick escalations of one incident cannot both send.
    sending: tokio::sync::Mutex<()>,
}

impl Pager {
    pub fn new(route: PageRoute, timeout: Duration) -> Result<Pager, String> {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(5)))
            .user_agent(concat!("pagerdeck/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| format!("paging level two: cannot set up HTTP: {e}"))?;
        Ok(Pager {
            route,
            http,
            paged: Mutex::new(HashMap::new()),
            sending: tokio::sync::Mutex::new(()),
        })
    }

    /// Page level two for the incident, unless it was paged already (then nothing is
    /// sent, and that is success: level two has it).
    pub async fn page(&self, page: &Page<'_>) -> Result<(), ProviderError> {
        let _one_at_a_time = self.sending.lock().await;
        let key = &page.incident.key;
        if let Some(level_two) = self.paged_to(key) {
            tracing::info!(%key, %level_two, "already paged: not paging again");
            return Ok(());
        }
        send(&self.http, &self.route, page).await?;
        tracing::info!(%key, level_two = page.level_two, to = %self.route.shown(), "paged level two");
        self.paged
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key.clone(), page.level_two.to_string());
        Ok(())
    }

    /// Who the incident was paged to, if it was.
    pub fn paged_to(&self, key: &IncidentKey) -> Option<String> {
        let paged = self.paged.lock().unwrap_or_else(|e| e.into_inner());
        paged.get(key).cloned()
    }

    /// Forget incidents that are no longer open: if one fires again, it is a new
    /// incident and may be paged again.
    pub fn keep_only(&self, open: &HashSet<&IncidentKey>) {
        let mut paged = self.paged.lock().unwrap_or_else(|e| e.into_inner());
        paged.retain(|key, _| open.contains(key));
    }
}

/// Send one page, remembering nothing. Any error is free of the route's secrets.
pub async fn send(
    http: &reqwest::Client,
    route: &PageRoute,
    page: &Page<'_>,
) -> Result<(), ProviderError> {
    let sent = match route {
        PageRoute::Events { url, routing_key } => events::send(http, url, routing_key, page).await,
        PageRoute::Webhook { url } => webhook::send(http, url, &route.shown(), page).await,
    };
    sent.map_err(|error| scrub(error, &route.secrets()))
}

/// The error with every secret replaced, then cut to a readable length: a server or
/// proxy that echoes the request into its error must not put the routing key on the
/// screen or into the journal. Cutting first could leave part of a key unrecognised.
fn scrub(error: ProviderError, secrets: &[(String, String)]) -> ProviderError {
    error.map_text(|mut text| {
        for (secret, stand_in) in secrets.iter().filter(|(s, _)| !s.is_empty()) {
            text = text.replace(secret, stand_in);
        }
        cut(text)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_webhooks_path_is_never_shown() {
        let route = PageRoute::Webhook {
            url: "https://hooks.slack.com/services/T0/B0/s3cr3t".into(),
        };
        assert_eq!(route.shown(), "https://hooks.slack.com/…");
        assert!(!format!("{route:?}").contains("s3cr3t"));
        let bare = PageRoute::Webhook {
            url: "http://127.0.0.1:9/".into(),
        };
        assert_eq!(bare.shown(), "http://127.0.0.1:9/");
        let echoed = ProviderError::Status {
            code: 404,
            body: "no route /services/T0/B0/s3cr3t".into(),
        };
        let clean = scrub(echoed, &route.secrets()).to_string();
        assert!(!clean.contains("s3cr3t"), "{clean}");
    }

    #[test]
    fn an_events_route_hides_its_routing_key() {
        let route = PageRoute::Events {
            url: DEFAULT_EVENTS_URL.into(),
            routing_key: Secret::new("R0UT1NGKEY"),
        };
        assert!(!format!("{route:?}").contains("R0UT1NGKEY"));
        let echoed = ProviderError::Refused("bad key R0UT1NGKEY".into());
        assert_eq!(
            scrub(echoed, &route.secrets()).to_string(),
            "bad key [redacted]"
        );
    }

    #[test]
    fn the_dedup_key_is_the_incidents_own() {
        let key = IncidentKey::new("prod", "HighErrorRate/checkout-api");
        assert_eq!(
            dedup_key(&key),
            "pagerdeck:prod:HighErrorRate/checkout-api:l2"
        );
    }
}
