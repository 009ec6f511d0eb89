//! Web playbooks: fetched off the loop, with one HTTP client made at the first fetch.

use tokio::sync::mpsc;

use crate::event::Event;

/// Off the loop: the fetch may wait for its timeout.
pub fn fetch_playbook(
    http: &mut Option<reqwest::Client>,
    url: String,
    cache_dir: &std::path::Path,
    events: &mpsc::UnboundedSender<Event>,
) {
    let client = match http {
        Some(client) => client.clone(),
        None => {
            let built = reqwest::Client::builder()
                .user_agent(concat!("pagerdeck/", env!("CARGO_PKG_VERSION")))
                .build();
            match built {
                Ok(client) => http.insert(client).clone(),
                Err(error) => {
                    let result = Err(format!("cannot set up HTTP: {error}"));
                    let _ = events.send(Event::PlaybookFetched { url, result });
                    return;
                }
            }
        }
    };
    let (cache_dir, events) = (cache_dir.to_path_buf(), events.clone());
    tokio::spawn(async move {
        let result = crate::playbook::remote::fetch(&client, &url, &cache_dir).await;
        let _ = events.send(Event::PlaybookFetched { url, result });
    });
}
