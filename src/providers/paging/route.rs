//! Where level two is paged, and keeping that route's secrets (the routing key, the REST
//! token, a webhook's path) out of everything shown.

use std::fmt;

use super::super::ProviderError;
use super::super::http::cut;
use super::super::token::Secret;

/// Where level two is paged.
#[derive(Clone, PartialEq, Eq)]
pub enum PageRoute {
    /// A PagerDuty Events API v2 trigger, on a service whose escalation policy reaches
    /// level two. There is no Authorization header: the routing key is in the body.
    /// With `read_back`, whether level two took the incident is asked over REST.
    Events {
        url: String,
        routing_key: Secret,
        read_back: Option<ReadBack>,
    },
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
    pub(super) fn secrets(&self) -> Vec<(String, String)> {
        match self {
            PageRoute::Events {
                routing_key,
                read_back,
                ..
            } => {
                let tokens = std::iter::once(routing_key).chain(read_back.iter().map(|r| &r.token));
                tokens
                    .map(|secret| (secret.expose().to_string(), "[redacted]".into()))
                    .collect()
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
            PageRoute::Events {
                url,
                routing_key,
                read_back,
            } => f
                .debug_struct("Events")
                .field("url", url)
                .field("routing_key", routing_key)
                .field("read_back", read_back)
                .finish(),
            PageRoute::Webhook { .. } => f
                .debug_struct("Webhook")
                .field("url", &self.shown())
                .finish(),
        }
    }
}

/// Where an Events route reads back what level two did: PagerDuty's REST API, with a
/// token that may list incidents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadBack {
    /// "https://api.pagerduty.com" (or the EU one).
    pub api_url: String,
    pub token: Secret,
    /// Where the token came from, for "token rejected …: check PAGERDUTY_TOKEN".
    pub token_origin: String,
}

/// The error with every secret replaced, then cut to a readable length: a server or
/// proxy that echoes the request into its error must not put the routing key on the
/// screen or into the journal. Cutting first could leave part of a key unrecognised.
pub(super) fn scrub(error: ProviderError, secrets: &[(String, String)]) -> ProviderError {
    error.map_text(|mut text| {
        for (secret, stand_in) in secrets.iter().filter(|(s, _)| !s.is_empty()) {
            text = text.replace(secret, stand_in);
        }
        cut(text)
    })
}

#[cfg(test)]
mod tests {
    use super::super::DEFAULT_EVENTS_URL;
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
            read_back: Some(ReadBack {
                api_url: "https://api.pagerduty.com".into(),
                token: Secret::new("RESTT0KEN"),
                token_origin: "PAGERDUTY_TOKEN".into(),
            }),
        };
        let shown = format!("{route:?}");
        assert!(
            !shown.contains("R0UT1NGKEY") && !shown.contains("RESTT0KEN"),
            "{shown}"
        );
        let echoed = ProviderError::Refused("bad key R0UT1NGKEY, token RESTT0KEN".into());
        assert_eq!(
            scrub(echoed, &route.secrets()).to_string(),
            "bad key [redacted], token [redacted]"
        );
    }
}
