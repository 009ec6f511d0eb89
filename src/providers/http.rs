//! The HTTP side shared by the token-authenticated APIs (PagerDuty, Opsgenie): one client
//! per source with its authorization header marked sensitive, and every failure turned
//! into a `ProviderError` a person can act on.

use std::time::Duration;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};
use reqwest::{RequestBuilder, Response, StatusCode};
use serde::de::DeserializeOwned;

use super::ProviderError;
use super::token::Secret;

pub mod body;

/// How much of a refusal's body is read at most: enough for any error message.
const REFUSAL_READ: usize = 64 * 1024;

/// How much of a refusal's body is kept for the message.
const BODY_KEPT: usize = 600;

/// A configured API: base URL, client and the words for a rejected token.
#[derive(Debug)]
pub struct Api {
    base_url: String,
    http: reqwest::Client,
    /// "token rejected for pd: check PAGERDUTY_TOKEN".
    rejected: String,
    /// Kept to blot it out of anything a server echoes back into an error.
    token: Secret,
}

impl Api {
    /// The header is `Authorization: <scheme><token>` ("Token token=…", "GenieKey …"),
    /// marked sensitive, so neither reqwest nor our logs print it. `timeout` is the whole
    /// request, `connect_timeout` only its connection (cut to `timeout` if longer).
    pub fn new(
        source: &str,
        base_url: &str,
        (timeout, connect_timeout): (Duration, Duration),
        (scheme, token): (&str, &Secret),
        token_origin: &str,
        mut headers: HeaderMap,
    ) -> Result<Api, String> {
        let authorization = format!("{scheme}{}", token.expose());
        let mut value = HeaderValue::from_str(&authorization).map_err(|_| {
            format!("source {source}: the token from {token_origin} has characters a header cannot carry")
        })?;
        value.set_sensitive(true);
        headers.insert(AUTHORIZATION, value);
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(connect_timeout.min(timeout))
            .user_agent(concat!("pagerdeck/", env!("CARGO_PKG_VERSION")))
            .default_headers(headers)
            .build()
            .map_err(|e| format!("source {source}: cannot set up HTTP: {e}"))?;
        Ok(Api {
            base_url: base_url.trim_end_matches('/').to_string(),
            http,
            rejected: format!("token rejected for {source}: check {token_origin}"),
            token: token.clone(),
        })
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    pub fn client(&self) -> &reqwest::Client {
        &self.http
    }

    /// Send, and turn anything but a 2xx into the matching error, token-free.
    pub async fn send(
        &self,
        request: RequestBuilder,
        endpoint: &str,
    ) -> Result<Response, ProviderError> {
        self.answer(request, endpoint)
            .await
            .map_err(|error| self.scrub(error))
    }

    async fn answer(
        &self,
        request: RequestBuilder,
        endpoint: &str,
    ) -> Result<Response, ProviderError> {
        let response = request
            .send()
            .await
            // The whole address: which server could not be reached is the first question.
            .map_err(|e| unreachable(&self.url(endpoint), &e))?;
        let status = response.status();
        if status.is_success() {
            return Ok(response);
        }
        Err(match status {
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => {
                ProviderError::Auth(self.rejected.clone())
            }
            _ => failure(endpoint, response).await,
        })
    }

    /// Send, and read the answer as `T` (at most `body::PAGE_LIMIT` of it); an unreadable
    /// answer names the endpoint.
    pub async fn json<T: DeserializeOwned + Send + 'static>(
        &self,
        request: RequestBuilder,
        endpoint: &str,
    ) -> Result<T, ProviderError> {
        let response = self.send(request, endpoint).await?;
        let bytes = body::read(response, endpoint, body::PAGE_LIMIT)
            .await
            .map_err(|e| self.scrub(e))?;
        // One invalid byte in a title must not blank the whole source.
        body::decode(bytes, endpoint)
            .await
            .map_err(|e| self.scrub(e))
    }

    /// The error without the token in it: a server or proxy that echoes the request into
    /// its error page must not put the token on the screen or into a log. Errors from
    /// `send` and `json` are scrubbed already; this is for errors built from an answer.
    pub fn scrub(&self, error: ProviderError) -> ProviderError {
        let token = self.token.expose();
        if token.is_empty() {
            return error;
        }
        error.map_text(|text| cut(text.replace(token, "[redacted]")))
    }
}

/// An error's text at a readable length. Cut only after secrets are replaced: cutting
/// first could leave part of one that no longer matches.
pub(crate) fn cut(text: String) -> String {
    match text.char_indices().nth(BODY_KEPT) {
        Some((end, _)) => text[..end].to_string(),
        None => text,
    }
}

/// The request never got an answer: a timeout, or the innermost reason it could not
/// connect.
pub(crate) fn unreachable(endpoint: &str, error: &reqwest::Error) -> ProviderError {
    // Not connecting in time is its own setting and its own kind of trouble (a host
    // down, a firewall dropping packets): not "no answer".
    if error.is_timeout() && error.is_connect() {
        return ProviderError::Http(format!(
            "{endpoint}: no connection within the source's connect_timeout"
        ));
    }
    if error.is_timeout() {
        return ProviderError::Timeout;
    }
    // reqwest's own words are vague ("error sending request"); the causes say why.
    let mut reason = String::from("cannot connect");
    let mut cause = std::error::Error::source(error);
    while let Some(inner) = cause {
        reason = inner.to_string();
        cause = inner.source();
    }
    if endpoint.starts_with("https://") && is_tls(&reason) {
        reason =
            format!("TLS failed: {reason} (is it an https server, with a trusted certificate?)");
    }
    ProviderError::Http(format!("{endpoint}: {reason}"))
}

/// Whether rustls's words say the TLS handshake failed (reqwest does not say which
/// layer failed).
fn is_tls(reason: &str) -> bool {
    let reason = reason.to_ascii_lowercase();
    [
        "certificate",
        "corrupt message",
        "handshake",
        "alert",
        "tls",
        "peer",
    ]
    .iter()
    .any(|word| reason.contains(word))
}

/// What a URL path segment may carry as is (RFC 3986 unreserved); the rest is escaped.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// `text` as one URL path segment: ids come from the server and schedule names from
/// people ("Eng Cap"), so neither may split or end the path.
pub fn segment(text: &str) -> String {
    utf8_percent_encode(text, SEGMENT).to_string()
}

/// How long the server asks us to wait: `Retry-After`, PagerDuty's `ratelimit-reset`,
/// `X-RateLimit-Reset`, or Opsgenie's `X-RateLimit-Period-In-Sec`, in that order.
pub fn retry_after(headers: &HeaderMap) -> Option<u64> {
    [
        "retry-after",
        "ratelimit-reset",
        "x-ratelimit-reset",
        "x-ratelimit-period-in-sec",
    ]
    .iter()
    .filter_map(|name| headers.get(*name)?.to_str().ok())
    .find_map(|value| value.trim().parse::<f64>().ok())
    .filter(|seconds| seconds.is_finite() && *seconds >= 0.0)
    .map(|seconds| seconds.ceil() as u64)
}

/// A non-2xx answer other than a rejected token: 429 waits as asked, anything else is the
/// status and what the server said (5xx is worth another try: the outbox retries it).
/// Not yet cut to length: that comes after secrets are scrubbed.
pub(crate) async fn failure(endpoint: &str, response: Response) -> ProviderError {
    if response.status() == StatusCode::TOO_MANY_REQUESTS {
        return ProviderError::RateLimited {
            retry_after_secs: retry_after(response.headers()),
        };
    }
    refusal(endpoint, response).await
}

/// A 4xx/5xx: the status and what the server said, from PagerDuty's `{"error":{…}}`,
/// Opsgenie's `{"message"}`, or the raw text; a validating mock's report is kept whole.
async fn refusal(endpoint: &str, response: Response) -> ProviderError {
    let code = response.status().as_u16();
    let violations = response
        .headers()
        .get("sl-violations")
        .and_then(|v| v.to_str().ok())
        .map(|v| format!(" [{v}]"))
        .unwrap_or_default();
    // A huge error page is not read whole: its start says what it is.
    let text = match body::read(response, endpoint, REFUSAL_READ).await {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(_) => String::new(),
    };
    let said = said(&text).unwrap_or_else(|| text.trim().to_string());
    let body = format!("{endpoint}: {said}{violations}");
    ProviderError::Status { code, body }
}

fn said(text: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(text).ok()?;
    let error = value.get("error").unwrap_or(&value);
    let message = error.get("message")?.as_str()?.to_string();
    let details: Vec<String> = error
        .get("errors")
        .and_then(|e| e.as_array())
        .map(|all| {
            all.iter()
                .filter_map(|e| e.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    // A validating mock lists each violation; keep them, they say what was wrong.
    let validation = value
        .get("validation")
        .map(|v| format!(" {v}"))
        .unwrap_or_default();
    Some(match details.is_empty() {
        true => format!("{message}{validation}"),
        false => format!("{message}: {}{validation}", details.join("; ")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_reads_each_providers_header() {
        let mut headers = HeaderMap::new();
        assert_eq!(retry_after(&headers), None);
        headers.insert("x-ratelimit-period-in-sec", HeaderValue::from_static("60"));
        assert_eq!(retry_after(&headers), Some(60));
        headers.insert("ratelimit-reset", HeaderValue::from_static("12"));
        assert_eq!(retry_after(&headers), Some(12));
        headers.insert("retry-after", HeaderValue::from_static("2.5"));
        assert_eq!(retry_after(&headers), Some(3));
        headers.insert("retry-after", HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&headers), Some(12), "garbage falls through");
    }

    #[test]
    fn a_token_across_the_cut_is_still_blotted_out() {
        let token = Secret::new("tok-0123456789abcdef");
        let api = Api::new(
            "pd",
            "http://127.0.0.1:1",
            (Duration::from_secs(1), Duration::from_secs(1)),
            ("Token token=", &token),
            "PAGERDUTY_TOKEN",
            HeaderMap::new(),
        )
        .unwrap();
        // The token starts just before where the text is cut.
        let body = format!("{}{}", "x".repeat(BODY_KEPT - 5), token.expose());
        let error = api.scrub(ProviderError::Status { code: 500, body });
        let shown = error.to_string();
        assert!(!shown.contains("tok-0"), "{shown}");
        assert!(shown.ends_with("[reda"), "cut after the stand-in: {shown}");
    }

    #[test]
    fn neither_the_api_nor_its_client_prints_the_token() {
        let token = Secret::new("tok-debug-5150");
        let api = Api::new(
            "pd",
            "http://127.0.0.1:1",
            (Duration::from_secs(1), Duration::from_secs(1)),
            ("Token token=", &token),
            "PAGERDUTY_TOKEN",
            HeaderMap::new(),
        )
        .unwrap();
        // reqwest's Debug lists the default headers: the marked one says only that.
        let shown = format!("{api:?}");
        assert!(shown.contains("\"authorization\": Sensitive"), "{shown}");
        assert!(!shown.contains("tok-debug-5150"), "{shown}");
    }

    #[test]
    fn path_segments_cannot_escape_their_place() {
        assert_eq!(segment("Eng Cap/ops?x"), "Eng%20Cap%2Fops%3Fx");
        assert_eq!(
            segment("8418d193-2dab_4490.b331~"),
            "8418d193-2dab_4490.b331~"
        );
    }

    #[test]
    fn refusals_say_what_the_server_said() {
        let pd = r#"{"error":{"code":2001,"message":"Invalid Input Provided","errors":["Status must be acknowledged"]}}"#;
        assert_eq!(
            said(pd).unwrap(),
            "Invalid Input Provided: Status must be acknowledged"
        );
        let og = r#"{"message":"Alert does not exist","took":0.01,"requestId":"x"}"#;
        assert_eq!(said(og).unwrap(), "Alert does not exist");
        assert_eq!(said("<html>bad gateway</html>"), None);
    }
}
