//! Playbooks on the web (an incident's runbook link to a markdown file outside the
//! configured folders): fetched off the loop with a timeout, kept on disk so that the last
//! copy is still there when the network is not.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};

/// Give up on a playbook's server after this long; the cached copy is shown instead.
pub const FETCH_TIMEOUT: Duration = Duration::from_secs(10);
/// A playbook is text: anything bigger is not one.
const MAX_BYTES: usize = 4 * 1024 * 1024;

/// A fetched playbook: its text, when it was fetched, and why it is an old copy if it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    pub body: String,
    pub at: DateTime<Utc>,
    /// The error that made us fall back to the cached copy.
    pub offline: Option<String>,
}

/// Fetch `url`, keeping a copy in `cache_dir`; when the fetch fails, the cached copy (with
/// its age and the reason), or the error if there is none.
pub async fn fetch(
    client: &reqwest::Client,
    url: &str,
    cache_dir: &Path,
) -> Result<Fetched, String> {
    let cache = cache_file(cache_dir, url);
    match download(client, url).await {
        Ok(body) => {
            if let Err(error) = save(&cache, &body) {
                tracing::warn!("cannot cache {url} in {}: {error}", cache.display());
            }
            Ok(Fetched {
                body,
                at: Utc::now(),
                offline: None,
            })
        }
        Err(error) => match cached(&cache) {
            Some((body, at)) => Ok(Fetched {
                body,
                at,
                offline: Some(error),
            }),
            None => Err(error),
        },
    }
}

async fn download(client: &reqwest::Client, url: &str) -> Result<String, String> {
    let response = client
        .get(url)
        .timeout(FETCH_TIMEOUT)
        .send()
        .await
        .map_err(|e| describe(&e))?;
    let status = response.status();
    if !status.is_success() {
        return Err(format!("the server answered {status}"));
    }
    if response
        .content_length()
        .is_some_and(|n| n > MAX_BYTES as u64)
    {
        return Err(format!("larger than {} MiB", MAX_BYTES >> 20));
    }
    let bytes = response.bytes().await.map_err(|e| describe(&e))?;
    if bytes.len() > MAX_BYTES {
        return Err(format!("larger than {} MiB", MAX_BYTES >> 20));
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn describe(error: &reqwest::Error) -> String {
    if error.is_timeout() {
        format!("no answer within {}s", FETCH_TIMEOUT.as_secs())
    } else if error.is_connect() {
        "cannot connect".into()
    } else {
        error.to_string()
    }
}

/// One file per URL, named by the URL's hash (a URL is not a safe file name).
fn cache_file(cache_dir: &Path, url: &str) -> PathBuf {
    cache_dir.join(format!("{}.md", crate::progress::body_hash(url)))
}

/// Written beside, then renamed: a full disk never leaves half a playbook in the cache.
fn save(file: &Path, body: &str) -> std::io::Result<()> {
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let partial = file.with_extension("md.partial");
    std::fs::write(&partial, body)?;
    std::fs::rename(&partial, file)
}

fn cached(file: &Path) -> Option<(String, DateTime<Utc>)> {
    let body = std::fs::read_to_string(file).ok()?;
    let modified = std::fs::metadata(file).ok()?.modified().ok()?;
    Some((body, DateTime::<Utc>::from(modified)))
}
