//! Whether level two took an Events page, as PagerDuty's REST API sees the Pager ask:
//! the incident listed by its dedup key with the PagerDuty source's headers, read as
//! taken or not, never more than every 30 s nor once taken, and a failed read only
//! logged, without the token. Time is the Pager's argument, so nothing waits for it.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use pagerdeck::incident::LevelTwoAnswer;
use pagerdeck::providers::ProviderError;
use pagerdeck::providers::paging::{ASK_EVERY, PageRoute, Pager, ReadBack};
use pagerdeck::providers::token::Secret;
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use super::paging::{incident, page};
use super::{DEDUP_KEY, ROUTING_KEY, accepted};

/// Shaped like a real REST API key, so an echo of it is unmistakable.
const TOKEN: &str = "u+t0KENx9f3c2ab7Yq1Zp";
const ACCEPT_V2: &str = "application/vnd.pagerduty+json;version=2";
/// `incident_key=<dedup key>&date_range=all`, form-encoded.
const QUERY: &str =
    "incident_key=pagerdeck%3Aprod%3AHighErrorRate%2Fcheckout-api%3Al2&date_range=all";

/// Pages and reads back on one mock server; a 1 s timeout gives reads a third of it.
fn reading_pager(server: &MockServer) -> Pager {
    let route = PageRoute::Events {
        url: format!("{}/v2/enqueue", server.uri()),
        routing_key: Secret::new(ROUTING_KEY),
        read_back: Some(ReadBack {
            api_url: server.uri(),
            token: Secret::new(TOKEN),
            token_origin: "PAGERDUTY_TOKEN".into(),
        }),
    };
    Pager::new(route, Duration::from_secs(1)).unwrap()
}

/// A pager that has paged level two once for `incident()`.
async fn paged(server: &MockServer) -> Pager {
    Mock::given(method("POST"))
        .and(path("/v2/enqueue"))
        .respond_with(accepted())
        .mount(server)
        .await;
    let pager = reading_pager(server);
    pager.page(&page(&incident())).await.unwrap();
    pager
}

/// `GET /incidents` listing one incident as PagerDuty shows it.
fn listing(incident: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(
        json!({"incidents": [incident], "limit": 25, "offset": 0, "more": false, "total": null}),
    )
}

fn pagerduty_incident(status: &str) -> Value {
    let now = chrono::Utc::now().to_rfc3339();
    let mut incident = json!({
        "id": "Q2L2TAKEN", "type": "incident", "status": status, "incident_key": DEDUP_KEY,
        "title": "Eng Cap: checkout-api 5xx above 5% (2 alerts)", "created_at": now,
        "last_status_change_at": now,
        "assignments": [{"at": now, "assignee": {"id": "PBOBERG", "type": "user_reference", "summary": "Bo Berg"}}],
        "acknowledgements": []
    });
    if status == "acknowledged" {
        incident["acknowledgements"] = json!([{"at": now,
            "acknowledger": {"id": "PKAILIN", "type": "user_reference", "summary": "Kai Lindqvist"}}]);
    }
    incident
}

fn taken_by(by: &str) -> Option<LevelTwoAnswer> {
    Some(LevelTwoAnswer::Taken { by: by.into() })
}

/// The REST reads the server got (the page itself is a POST).
async fn reads(server: &MockServer) -> Vec<Request> {
    let requests = server.received_requests().await.unwrap();
    requests
        .into_iter()
        .filter(|r| r.method.as_str() == "GET")
        .collect()
}

#[tokio::test]
async fn after_one_escalation_pagerduty_is_asked_for_it_by_dedup_key_and_acknowledged_is_taken() {
    let server = MockServer::start().await;
    let pager = reading_pager(&server);
    assert!(
        pager.read_answers(Instant::now()).await.is_empty(),
        "nothing paged, nothing to ask"
    );
    let pager = paged(&server).await;
    Mock::given(method("GET"))
        .and(path("/incidents"))
        .and(query_param("incident_key", DEDUP_KEY))
        .and(query_param("date_range", "all"))
        .and(header("authorization", format!("Token token={TOKEN}")))
        .and(header("accept", ACCEPT_V2))
        .and(header("content-type", "application/json"))
        .respond_with(listing(pagerduty_incident("acknowledged")))
        .expect(1)
        .mount(&server)
        .await;
    let read = pager.read_answers(Instant::now()).await;
    let key = incident().key;
    assert_eq!(read, vec![(key.clone(), Ok(taken_by("Kai Lindqvist")))]);
    assert_eq!(pager.answer(&key), taken_by("Kai Lindqvist"));
    server.verify().await;
    let asked = &reads(&server).await[0];
    assert_eq!(asked.url.query(), Some(QUERY), "exactly these parameters");
}

#[tokio::test]
async fn triggered_is_sent_not_taken_and_resolved_is_taken_by_whoever_resolved_it() {
    let server = MockServer::start().await;
    let pager = paged(&server).await;
    Mock::given(method("GET"))
        .respond_with(listing(pagerduty_incident("triggered")))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    let mut resolved = pagerduty_incident("resolved");
    resolved["assignments"] = json!([]);
    resolved["last_status_change_by"] =
        json!({"id": "PKAILIN", "type": "user_reference", "summary": "Kai Lindqvist"});
    Mock::given(method("GET"))
        .respond_with(listing(resolved))
        .mount(&server)
        .await;
    let key = incident().key;
    let start = Instant::now();
    assert_eq!(
        pager.read_answers(start).await,
        vec![(key.clone(), Ok(None))]
    );
    assert_eq!(pager.answer(&key), None, "assigned, but nobody took it yet");
    pager.read_answers(start + ASK_EVERY).await;
    assert_eq!(pager.answer(&key), taken_by("Kai Lindqvist"));
}

#[tokio::test]
async fn reads_are_not_repeated_within_30_s_and_stop_once_taken() {
    let server = MockServer::start().await;
    let pager = paged(&server).await;
    Mock::given(method("GET"))
        .respond_with(listing(pagerduty_incident("triggered")))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(listing(pagerduty_incident("acknowledged")))
        .mount(&server)
        .await;
    let start = Instant::now();
    pager.read_answers(start).await;
    // Every poll (each 5 s) asks the Pager; only one in 30 s reaches PagerDuty.
    for seconds in [5, 10, 29] {
        let asked = pager
            .read_answers(start + Duration::from_secs(seconds))
            .await;
        assert!(asked.is_empty(), "{seconds} s after: {asked:?}");
    }
    assert_eq!(reads(&server).await.len(), 1);
    pager.read_answers(start + Duration::from_secs(30)).await;
    assert_eq!(pager.answer(&incident().key), taken_by("Kai Lindqvist"));
    for seconds in [60, 90, 3600] {
        pager
            .read_answers(start + Duration::from_secs(seconds))
            .await;
    }
    assert_eq!(reads(&server).await.len(), 2, "taken: never asked again");
    // Closed: forgotten, so neither shown nor asked about.
    pager.keep_only(&std::collections::HashSet::new());
    assert_eq!(pager.answer(&incident().key), None);
    assert!(
        pager
            .read_answers(start + Duration::from_secs(7200))
            .await
            .is_empty()
    );
}

/// `code` with the token in the body: a proxy or server that echoes the request.
fn echoing_the_token(code: u16) -> ResponseTemplate {
    ResponseTemplate::new(code).set_body_string(format!("upstream refused Token token={TOKEN}"))
}

/// Everything logged while it is the thread's subscriber.
#[derive(Clone, Default)]
struct Logs(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Logs {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Logs {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

/// Whether a read failed as it should have.
type ExpectedError = fn(&ProviderError) -> bool;

#[tokio::test]
async fn a_failed_read_is_logged_without_the_token_and_keeps_the_last_answer() {
    let logs = Logs::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _logging = tracing::subscriber::set_default(subscriber);
    let server = MockServer::start().await;
    let pager = paged(&server).await;
    let key = incident().key;
    let start = Instant::now();
    // Slower than the read's third of the pager's 1 s timeout.
    let slow = listing(pagerduty_incident("acknowledged")).set_delay(Duration::from_secs(2));
    let answers: [(ResponseTemplate, ExpectedError); 3] = [
        (echoing_the_token(401), |e| {
            matches!(e, ProviderError::Auth(_))
        }),
        (echoing_the_token(500), |e| {
            matches!(e, ProviderError::Status { code: 500, .. })
        }),
        (slow, |e| *e == ProviderError::Timeout),
    ];
    for (round, (answer, expected)) in answers.into_iter().enumerate() {
        server.reset().await;
        Mock::given(method("GET"))
            .respond_with(answer)
            .mount(&server)
            .await;
        let now = start + ASK_EVERY * round as u32;
        let read = pager.read_answers(now).await;
        let [(read_key, Err(error))] = &read[..] else {
            panic!("round {round}: expected one failed read, got {read:?}");
        };
        assert_eq!(read_key, &key);
        assert!(expected(error), "round {round}: {error:?}");
        for shown in [error.to_string(), format!("{error:?}")] {
            assert!(!shown.contains(&TOKEN[..8]), "round {round}: {shown}");
        }
        assert_eq!(
            pager.answer(&key),
            None,
            "round {round}: the last answer stays"
        );
        assert_eq!(pager.paged_to(&key).as_deref(), Some("Eng Cap"));
    }
    let logged = logs.text();
    assert!(
        logged.contains("token rejected for [escalation] alertmanager: check PAGERDUTY_TOKEN"),
        "{logged}"
    );
    assert!(
        logged.contains("upstream refused Token token=[redacted]"),
        "{logged}"
    );
    assert_eq!(
        logged
            .matches("cannot read from PagerDuty whether level two took it")
            .count(),
        3,
        "{logged}"
    );
    assert!(!logged.contains(&TOKEN[..8]), "{logged}");
}
