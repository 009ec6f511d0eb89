//! Paging level two for incidents whose source cannot escalate by itself (Alertmanager):
//! a PagerDuty Events API v2 trigger (`events`) or a POST to a webhook (`webhook`).
//!
//! A `Pager` pages each open incident once: a second escalation sends nothing. With
//! Events the dedup key also folds repeats into one PagerDuty alert across restarts, and
//! with a REST token the Pager reads back whether level two took it (`answers`).

mod answers;
mod events;
mod route;
mod webhook;

use route::scrub;
pub use route::{PageRoute, ReadBack};

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use super::ProviderError;
use crate::incident::{Incident, IncidentKey, LevelTwoAnswer};

/// PagerDuty's (US) Events API v2 endpoint.
pub const DEFAULT_EVENTS_URL: &str = "https://events.pagerduty.com/v2/enqueue";

/// Paging by an Events trigger to `url`, in the escalation panel's words.
pub fn events_route_words(url: &str) -> String {
    format!(
        "PagerDuty Events v2 trigger to {url} (one page per incident), the hand-over in its custom details"
    )
}

/// How often one paged incident's answer is asked for, at most: the token's rate limit
/// is shared with whatever else uses it, and level two takes minutes, not seconds.
pub const ASK_EVERY: Duration = Duration::from_secs(30);

/// The most a read of level two's answers may take: it happens inside a source's poll,
/// and must not make that poll time out.
const READ_TIMEOUT_MAX: Duration = Duration::from_secs(5);

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
    /// The configured route; `None` pages only by a route a playbook brings.
    route: Option<PageRoute>,
    http: reqwest::Client,
    /// Asks whether level two took a paged incident; `None` when the route cannot.
    reader: Option<answers::Reader>,
    /// Incidents paged; an incident that closes is forgotten.
    paged: Mutex<HashMap<IncidentKey, Paged>>,
    /// One page at a time, so two quick escalations of one incident cannot both send.
    sending: tokio::sync::Mutex<()>,
}

/// One paged incident: to whom, when, and what level two did as last read.
#[derive(Debug, Clone)]
struct Paged {
    level_two: String,
    at: DateTime<Utc>,
    answer: Option<LevelTwoAnswer>,
    /// When PagerDuty was last asked for the answer (by the caller's clock).
    asked_at: Option<Instant>,
}

impl Paged {
    /// Once taken, the answer stands: asking again would spend the token's rate limit.
    fn due(&self, now: Instant) -> bool {
        !matches!(self.answer, Some(LevelTwoAnswer::Taken { .. }))
            && self
                .asked_at
                .is_none_or(|asked| now.saturating_duration_since(asked) >= ASK_EVERY)
    }
}

/// What one read of level two's answer said, or why it failed (token-free).
pub type Read = (IncidentKey, Result<Option<LevelTwoAnswer>, ProviderError>);

impl Pager {
    pub fn new(route: PageRoute, timeout: Duration) -> Result<Pager, String> {
        Pager::build(Some(route), timeout, timeout)
    }

    /// A pager for a source: its `route` (if any; without one it pages only by a
    /// playbook's route) and the source's connect timeout.
    pub fn for_source(
        route: Option<PageRoute>,
        timeout: Duration,
        connect_timeout: Duration,
    ) -> Result<Pager, String> {
        Pager::build(route, timeout, connect_timeout)
    }

    /// Has a route of its own (`[escalation] alertmanager`).
    pub fn has_route(&self) -> bool {
        self.route.is_some()
    }

    fn build(
        route: Option<PageRoute>,
        timeout: Duration,
        connect_timeout: Duration,
    ) -> Result<Pager, String> {
        // The connection gets the default 5 s at most, and never more than the request.
        let connect_timeout = connect_timeout.min(timeout).min(Duration::from_secs(5));
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(connect_timeout)
            .user_agent(concat!("pagerdeck/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| format!("paging level two: cannot set up HTTP: {e}"))?;
        let reader = match &route {
            Some(PageRoute::Events {
                read_back: Some(read_back),
                ..
            }) => Some(answers::Reader::new(
                read_back,
                (timeout / 3).min(READ_TIMEOUT_MAX),
            )?),
            _ => None,
        };
        Ok(Pager {
            route,
            http,
            reader,
            paged: Mutex::new(HashMap::new()),
            sending: tokio::sync::Mutex::new(()),
        })
    }

    /// Page level two for the incident by the configured route, unless it was paged
    /// already (then nothing is sent, and that is success: level two has it).
    pub async fn page(&self, page: &Page<'_>) -> Result<(), ProviderError> {
        let route = self
            .route
            .as_ref()
            .ok_or_else(|| ProviderError::Unsupported("no route to page level two by".into()))?;
        self.page_by(route, page).await
    }

    /// Page level two for the incident by `route` (a playbook's own), unless it was
    /// paged already by any route.
    pub async fn page_by(&self, route: &PageRoute, page: &Page<'_>) -> Result<(), ProviderError> {
        let _one_at_a_time = self.sending.lock().await;
        let key = &page.incident.key;
        if let Some(level_two) = self.paged_to(key) {
            tracing::info!(%key, %level_two, "already paged: not paging again");
            return Ok(());
        }
        send(&self.http, route, page).await?;
        tracing::info!(%key, level_two = page.level_two, to = %route.shown(), "paged level two");
        let paged = Paged {
            level_two: page.level_two.to_string(),
            at: Utc::now(),
            answer: None,
            asked_at: None,
        };
        self.paged
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key.clone(), paged);
        Ok(())
    }

    /// Who the incident was paged to, if it was.
    pub fn paged_to(&self, key: &IncidentKey) -> Option<String> {
        let paged = self.paged.lock().unwrap_or_else(|e| e.into_inner());
        paged.get(key).map(|paged| paged.level_two.clone())
    }

    /// What level two did with the paged incident, as last read.
    pub fn answer(&self, key: &IncidentKey) -> Option<LevelTwoAnswer> {
        let paged = self.paged.lock().unwrap_or_else(|e| e.into_inner());
        paged.get(key).and_then(|paged| paged.answer.clone())
    }

    /// Ask PagerDuty what level two did with each paged incident not taken yet, each at
    /// most every `ASK_EVERY` by the caller's clock `now`. A failed read is logged and the
    /// last answer kept: it never fails the caller's poll. Returns what each read said.
    pub async fn read_answers(&self, now: Instant) -> Vec<Read> {
        let Some(reader) = &self.reader else {
            return Vec::new();
        };
        // Marked asked before asking, so a poll that overlaps this one does not ask too.
        let due: Vec<(IncidentKey, String, String, DateTime<Utc>)> = {
            let mut paged = self.paged.lock().unwrap_or_else(|e| e.into_inner());
            paged
                .iter_mut()
                .filter(|(_, paged)| paged.due(now))
                .map(|(key, paged)| {
                    paged.asked_at = Some(now);
                    let dedup = dedup_key(key);
                    (key.clone(), dedup, paged.level_two.clone(), paged.at)
                })
                .collect()
        };
        let reads = futures_util::future::join_all(
            due.iter()
                .map(|(_, dedup, level_two, at)| reader.answer(dedup, level_two, *at)),
        )
        .await;
        let mut paged = self.paged.lock().unwrap_or_else(|e| e.into_inner());
        due.into_iter()
            .zip(reads)
            .map(|((key, _, _, asked_for), read)| {
                match &read {
                    // An incident that closed meanwhile stays forgotten, and one paged
                    // afresh meanwhile waits for its own read.
                    Ok(answer) => {
                        let same_page = paged.get_mut(&key).filter(|p| p.at == asked_for);
                        if let Some(same_page) = same_page {
                            same_page.answer = answer.clone();
                        }
                    }
                    Err(error) => tracing::warn!(
                        %key, %error,
                        "cannot read from PagerDuty whether level two took it: keeping the last answer"
                    ),
                }
                (key, read)
            })
            .collect()
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
        PageRoute::Events {
            url, routing_key, ..
        } => events::send(http, url, routing_key, page).await,
        PageRoute::Webhook { url } => webhook::send(http, url, &route.shown(), page).await,
    };
    sent.map_err(|error| scrub(error, &route.secrets()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dedup_key_is_the_incidents_own() {
        let key = IncidentKey::new("prod", "HighErrorRate/checkout-api");
        assert_eq!(
            dedup_key(&key),
            "pagerdeck:prod:HighErrorRate/checkout-api:l2"
        );
    }
}
