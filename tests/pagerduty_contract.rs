#![allow(clippy::unwrap_used)] // Tests: a failure here is a failed test.
//! The PagerDuty source against PagerDuty's own OpenAPI spec, served by the validating
//! mock (Prism): every read and every verb sends a request the spec accepts. On a
//! failure the message carries the error and the mock's validation report.

#[path = "support/paging.rs"]
mod paging;
#[path = "support/prism.rs"]
mod prism;

use std::time::{Duration, Instant};

use pagerdeck::incident::IncidentKey;
use pagerdeck::providers::pagerduty::{EscalationRoute, PagerDuty, Settings};
use pagerdeck::providers::paging::{PageRoute, Pager, ReadBack};
use pagerdeck::providers::token::Secret;
use pagerdeck::providers::{ProviderError, Responder, ResponderKind, Source, Verb};
use prism::Prism;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const SPEC: &str = "pagerduty-rest-openapiv3.prism-patched.json";

/// The spec's example incident.
const INCIDENT: &str = "PT4KHLK";

/// The email of the spec's example user: the mock's `GET /users` lists it, so the
/// requester lookup of a responder request finds an id (PXPGF42).
const MOCK_USER_EMAIL: &str = "125.greenholt.earline@graham.name";

fn source_at(prism: &Prism, from: &str, escalation: Option<EscalationRoute>) -> PagerDuty {
    PagerDuty::new(Settings {
        name: "pd".into(),
        base_url: prism.url.clone(),
        token: Secret::new("contract-test-token"),
        token_origin: "PAGERDUTY_TOKEN".into(),
        from: Some(from.into()),
        timeout: Duration::from_secs(20),
        connect_timeout: Duration::from_secs(5),
        service_ids: vec!["PIJ90N7".into()],
        team_ids: Vec::new(),
        urgencies: vec!["high".into()],
        escalation_policy_ids: vec!["PT20YPA".into()],
        escalation,
    })
    .unwrap()
}

fn mock() -> &'static Prism {
    prism::shared(SPEC)
}

fn source() -> PagerDuty {
    source_at(
        mock(),
        "oncall@example.com",
        Some(EscalationRoute::Level(2)),
    )
}

/// The answer, or a failure showing the error and what the mock made of the request.
fn accepted<T>(prism: &Prism, what: &str, answer: Result<T, ProviderError>) -> T {
    answer.unwrap_or_else(|error| {
        panic!(
            "{what} was refused: {error}\n--- the mock's report ---\n{}",
            prism.report()
        )
    })
}

fn key() -> IncidentKey {
    IncidentKey::new("pd", INCIDENT)
}

async fn perform(source: &PagerDuty, verb: Verb) {
    let what = verb.describe();
    accepted(mock(), &what, source.perform(&key(), &verb).await);
}

#[tokio::test(flavor = "multi_thread")]
async fn incidents_are_listed() {
    let incidents = accepted(mock(), "incidents", source().incidents().await);
    // The mock answers the same example on every page, always with more=true.
    assert_eq!(incidents.len(), 1, "{incidents:?}");
    let incident = &incidents[0];
    assert_eq!(incident.key, key());
    assert_eq!(incident.title, "The server is on fire.");
    assert_eq!(incident.service, "My Mail Service");
    assert_eq!(
        incident.labels.get("priority").map(String::as_str),
        Some("P2")
    );
    // The example's responders (none) read without failing the listing.
    assert_eq!(incident.level_two_answer, None);
}

#[tokio::test(flavor = "multi_thread")]
async fn history_is_read() {
    // The spec's log-entry example breaks its own schema, so this mock checks the
    // requests only (see the next test).
    let prism = prism::shared_requests_only(SPEC);
    let source = source_at(prism, "oncall@example.com", None);
    let history = accepted(prism, "history", source.history(&key()).await);
    assert_eq!(history.notes.len(), 2);
    assert_eq!(
        history.notes[0].text, "Initial alert information indicates a 1-alarm fire",
        "oldest first"
    );
    assert!(!history.timeline.is_empty(), "{history:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_specs_own_log_entry_example_is_what_the_strict_mock_refuses() {
    // The notes still show; the timeline says why it is missing.
    let history = accepted(mock(), "history", source().history(&key()).await);
    assert_eq!(history.notes.len(), 2, "{history:?}");
    let problem = history.timeline_problem.unwrap_or_else(|| {
        panic!("the spec's example may be fixed: check history against the strict mock")
    });
    assert!(
        problem.contains("500") && problem.contains("log_entries"),
        "{problem}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn who_is_on_call_is_read() {
    let people = accepted(mock(), "oncall", source().oncall().await);
    assert_eq!(people.len(), 1, "{people:?}");
    assert_eq!(people[0].rota, "Engineering Escalation Policy");
    assert_eq!(
        (people[0].level, people[0].who.as_str()),
        (Some(2), "Tim Wright")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn acknowledge() {
    perform(&source(), Verb::acknowledge()).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn acknowledge_with_a_note() {
    let verb = Verb::Acknowledge {
        note: Some("looking at the mail queue".into()),
    };
    perform(&source(), verb).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn unacknowledge() {
    perform(&source(), Verb::Unacknowledge).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn resolve() {
    perform(&source(), Verb::Resolve).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn snooze() {
    perform(&source(), Verb::Snooze { seconds: 3600 }).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn note() {
    let verb = Verb::Note {
        text: "failed over to the replica".into(),
    };
    perform(&source(), verb).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn reassign() {
    let verb = Verb::Reassign {
        to: "PXPGF42".into(),
    };
    perform(&source(), verb).await;
}

fn ask(kind: ResponderKind, id: &str) -> Verb {
    Verb::AddResponder {
        to: Responder {
            kind,
            id: id.into(),
        },
        message: "Please help with the mail outage".into(),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn add_a_user_as_responder() {
    let source = source_at(mock(), MOCK_USER_EMAIL, None);
    perform(&source, ask(ResponderKind::User, "PAM4FGS")).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn add_an_escalation_policy_as_responder() {
    let source = source_at(mock(), MOCK_USER_EMAIL, None);
    perform(&source, ask(ResponderKind::Escalation, "PT20YPA")).await;
}

async fn escalate(from: &str, route: EscalationRoute) {
    let source = source_at(mock(), from, Some(route));
    let verb = Verb::Escalate {
        to: "Eng Cap".into(),
        message: None,
        route: None,
        playbook_route: None,
    };
    perform(&source, verb).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn escalate_to_a_level() {
    escalate("oncall@example.com", EscalationRoute::Level(2)).await;
}

/// The mock's examples decide the level: its incident's assignee (PXPGF42) is not on
/// call, so it is at level 1, and its on-call list has Tim Wright at level 2 of the same
/// policy (PT20YPA): the incident is read, on-call asked for that policy, level 2 set and
/// the note added, each accepted. Were level 2 missing, this would be refused unsent.
#[tokio::test(flavor = "multi_thread")]
async fn escalate_to_the_next_level() {
    escalate("oncall@example.com", EscalationRoute::NextLevel).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn escalate_by_reassigning_the_policy() {
    let route = EscalationRoute::Reassign("PT20YPA".into());
    escalate("oncall@example.com", route).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn escalate_by_a_responder_request() {
    let route = EscalationRoute::ResponderRequest("PT20YPA".into());
    escalate(MOCK_USER_EMAIL, route).await;
}

/// Who the escalation panel says each route reaches: the reads behind it (the incident,
/// the policy's on-call) are ones the spec accepts, and the mock's own example (Tim Wright
/// at level 2 of PT20YPA) is who comes out.
#[tokio::test(flavor = "multi_thread")]
async fn who_an_escalation_reaches_is_read() {
    let verb = Verb::Escalate {
        to: "Eng Cap".into(),
        message: None,
        route: None,
        playbook_route: None,
    };
    for route in [
        EscalationRoute::NextLevel,
        EscalationRoute::Level(2),
        EscalationRoute::Reassign("PT20YPA".into()),
    ] {
        let source = source_at(mock(), "oncall@example.com", Some(route.clone()));
        let people = accepted(
            mock(),
            &format!("level two by {route:?}"),
            source.level_two_oncall(&key(), &verb).await,
        );
        let who: Vec<(&str, Option<u32>)> =
            people.iter().map(|p| (p.who.as_str(), p.level)).collect();
        assert_eq!(who, [("Tim Wright", Some(2))], "{route:?}");
    }
}

/// Level two's answer to an Alertmanager page is read back over REST: the listing by the
/// page's dedup key must be one the spec accepts. (The page itself goes to the Events API,
/// another spec: a plain mock takes it here.)
#[tokio::test(flavor = "multi_thread")]
async fn level_twos_answer_to_an_events_page_is_read_by_incident_key() {
    let events = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(202).set_body_json(serde_json::json!({
            "status": "success", "message": "Event processed"
        })))
        .mount(&events)
        .await;
    let route = PageRoute::Events {
        url: format!("{}/v2/enqueue", events.uri()),
        routing_key: Secret::new("e93facc04764012d7bfb002500d5d1a6"),
        read_back: Some(ReadBack {
            api_url: mock().url.clone(),
            token: Secret::new("contract-test-token"),
            token_origin: "PAGERDUTY_TOKEN".into(),
        }),
    };
    let pager = Pager::new(route, Duration::from_secs(20)).unwrap();
    let incident = paging::incident();
    pager.page(&paging::page(&incident)).await.unwrap();
    let mut read = pager.read_answers(Instant::now()).await;
    assert_eq!(read.len(), 1, "{read:?}");
    let (key, answer) = read.remove(0);
    assert_eq!(key, incident.key);
    let answer = accepted(mock(), "the read-back", answer);
    // The spec's example incident was resolved in 2015, long before this page: an
    // earlier firing's, so nobody has taken this one.
    assert_eq!(answer, None);
    // The mock checks this operation's query: a date_range the spec forbids is refused.
    let refused = reqwest::Client::new()
        .get(format!("{}/incidents", mock().url))
        .query(&[("incident_key", "x"), ("date_range", "forever")])
        .header("Authorization", "Token token=x")
        .header("Accept", "application/vnd.pagerduty+json;version=2")
        .header("Content-Type", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 400, "{}", mock().report());
}

/// Without this, a mock that accepted anything would let every test above pass.
#[tokio::test(flavor = "multi_thread")]
async fn the_mock_refuses_what_the_spec_forbids() {
    let prism = mock();
    let snooze = reqwest::Client::new()
        .post(format!("{}/incidents/{INCIDENT}/snooze", prism.url))
        .header("Authorization", "Token token=x")
        .header("Accept", "application/vnd.pagerduty+json;version=2")
        .header("Content-Type", "application/json")
        .header("From", "oncall@example.com")
        .body(r#"{"duration": 999999}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(
        snooze.status(),
        400,
        "a snooze past 7 days: {}",
        prism.report()
    );
    // Through the source: a From that is not an email is refused, and the error
    // carries the mock's reason.
    let source = source_at(prism, "bob", None);
    let error = source.perform(&key(), &Verb::Resolve).await.unwrap_err();
    let ProviderError::Status { code, body } = &error else {
        panic!("expected the mock to refuse From: bob, got {error:?}");
    };
    assert_eq!(*code, 422, "{body}");
    assert!(body.contains("from"), "{body}");
}
