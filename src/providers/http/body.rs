//! Reading an answer's body without trusting its size, and decoding it without holding
//! up the async workers: a 50 MB answer must neither eat memory without bound nor freeze
//! the tasks that keep the screen answering keys.

use reqwest::Response;
use serde::de::DeserializeOwned;

use crate::providers::ProviderError;

/// One page of PagerDuty or Opsgenie: at most 100 incidents or alerts, a few hundred KiB
/// even with long descriptions. 32 MiB is far beyond any real page and still small
/// enough to hold.
pub const PAGE_LIMIT: usize = 32 * 1024 * 1024;

/// Alertmanager answers with every alert at once, unpaged: an alert storm of 100,000
/// alerts at about 1 KiB each is real and must still be read, so the cap is higher.
pub const ALERTS_LIMIT: usize = 128 * 1024 * 1024;

/// Smaller answers are decoded in place: handing them to a blocking thread costs more
/// than it saves.
const DECODE_IN_PLACE: usize = 256 * 1024;

/// The body, read chunk by chunk and given up as soon as it passes `limit` (or says it
/// will, in its Content-Length), so what is held never passes the cap.
pub async fn read(
    mut response: Response,
    endpoint: &str,
    limit: usize,
) -> Result<Vec<u8>, ProviderError> {
    let too_large = || ProviderError::Decode {
        endpoint: endpoint.to_string(),
        reason: format!("answer larger than {}: not read", mebibytes(limit)),
    };
    let announced = response.content_length().unwrap_or(0);
    if usize::try_from(announced).map_or(true, |announced| announced > limit) {
        return Err(too_large());
    }
    let mut body = Vec::with_capacity(usize::try_from(announced).unwrap_or(0));
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if body.len() + chunk.len() > limit {
                    return Err(too_large());
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(body),
            Err(error) if error.is_timeout() => return Err(ProviderError::Timeout),
            Err(error) => {
                return Err(ProviderError::Decode {
                    endpoint: endpoint.to_string(),
                    reason: format!(
                        "answer cut short after {} bytes ({})",
                        body.len(),
                        innermost(&error)
                    ),
                });
            }
        }
    }
}

/// `bytes` as `T`, leniently (see `sanitize::json`); a large answer is decoded on a
/// blocking thread. The reason says what kind of wrong it is: empty, cut short, not
/// JSON, or JSON of another shape.
pub async fn decode<T: DeserializeOwned + Send + 'static>(
    bytes: Vec<u8>,
    endpoint: &str,
) -> Result<T, ProviderError> {
    let decoded = if bytes.len() <= DECODE_IN_PLACE {
        decode_now(&bytes)
    } else {
        tokio::task::spawn_blocking(move || decode_now(&bytes))
            .await
            .unwrap_or_else(|e| Err(format!("decoding stopped: {e}")))
    };
    decoded.map_err(|reason| ProviderError::Decode {
        endpoint: endpoint.to_string(),
        reason,
    })
}

fn decode_now<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err("empty answer".into());
    }
    crate::sanitize::json::decode(bytes).map_err(|error| {
        use serde_json::error::Category;
        match error.classify() {
            Category::Eof => format!("answer cut short: {error}"),
            Category::Syntax => format!("not JSON ({error}), starting {}", start_of(bytes)),
            Category::Data | Category::Io => format!("not the expected JSON: {error}"),
        }
    })
}

/// The first bytes, as text, for a person to recognise (an HTML error page, a proxy's
/// sign-in form).
fn start_of(bytes: &[u8]) -> String {
    let head = &bytes[..bytes.len().min(40)];
    let text = String::from_utf8_lossy(head);
    format!("{:?}", text.trim())
}

fn mebibytes(bytes: usize) -> String {
    format!("{} MiB", bytes / (1024 * 1024))
}

/// reqwest's own words are vague ("error decoding response body"); the cause says why.
fn innermost(error: &reqwest::Error) -> String {
    let mut cause: &dyn std::error::Error = error;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_of_unreadable_answer_says_which_it_is() {
        let said = |bytes: &[u8]| decode_now::<serde_json::Value>(bytes).unwrap_err();
        assert_eq!(said(b"  \n"), "empty answer");
        assert!(said(br#"{"incidents": [{"id"#).starts_with("answer cut short"));
        let html = said(b"<html>502 Bad Gateway</html>");
        assert!(html.starts_with("not JSON ("), "{html}");
        assert!(
            html.ends_with(r#"starting "<html>502 Bad Gateway</html>""#),
            "{html}"
        );
        let shape = decode_now::<Vec<u8>>(br#"{"a": 1}"#).unwrap_err();
        assert!(shape.starts_with("not the expected JSON"), "{shape}");
    }

    /// On one thread, as a busy runtime is: another task runs while a large answer is
    /// decoded, so the app loop's tasks are not held up by it.
    #[tokio::test(flavor = "current_thread")]
    async fn other_tasks_run_while_a_large_answer_is_decoded() {
        use std::sync::Arc;
        use std::sync::atomic::{AtomicBool, Ordering};
        let decoded = Arc::new(AtomicBool::new(false));
        let other = tokio::spawn({
            let decoded = Arc::clone(&decoded);
            async move { decoded.load(Ordering::SeqCst) }
        });
        let large = serde_json::to_vec(&vec!["x".repeat(100); 10_000]).unwrap();
        assert!(large.len() > DECODE_IN_PLACE);
        let value: Vec<String> = decode(large, "/alerts").await.unwrap();
        decoded.store(true, Ordering::SeqCst);
        assert_eq!(value.len(), 10_000);
        assert!(
            !other.await.unwrap(),
            "the other task waited for the decoding"
        );
    }
}
