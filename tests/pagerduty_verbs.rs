#![allow(clippy::unwrap_used)] // Tests: a failure here is a failed test.
//! Each verb sends PagerDuty the body its API wants, at the right endpoint; what PagerDuty
//! cannot do is refused with a reason before anything is sent.

#[path = "support/pagerduty.rs"]
mod pagerduty;

use pagerdeck::config::{PagerdutyMode, PagerdutyRoute};
use pagerdeck::incident::IncidentKey;
use pagerdeck::providers::pagerduty::{EscalationRoute, PagerDuty, Settings};
use pagerdeck::providers::route::RouteOverride;
use pagerdeck::providers::{ProviderError, Responder, ResponderKind, Source, Verb};
use pagerduty::{FROM, settings, source, tokenless};
use serde_json::{Value, json};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn key() -> IncidentKey {
    IncidentKey::new("pd", "PX")
}

/// The server expects exactly this write, once.
async fn expect_write(server: &MockServer, verb: &str, at: &str, body: Value, answer: u16) {
    Mock::given(method(verb))
        .and(path(at))
        .and(header("from", FROM))
        .and(body_json(body))
        .respond_with(ResponseTemplate::new(answer).set_body_json(json!({})))
        .expect(1)
        .mount(server)
        .await;
}

fn status(status: &str) -> Value {
    json!({"incident": {"type": "incident_reference", "status": status}})
}

fn note(text: &str) -> Value {
    json!({"note": {"content": text}})
}

/// `settings` changed by `change`, against a fresh server.
async fn with(change: impl FnOnce(&mut Settings)) -> (MockServer, PagerDuty) {
    let server = MockServer::start().await;
    let mut settings = settings(&server.uri());
    change(&mut settings);
    (server, source(settings))
}

/// Perform `verb` and check the server got exactly what it expected.
async fn perform(server: &MockServer, source: &PagerDuty, verb: Verb) {
    source.perform(&key(), &verb).await.unwrap();
    server.verify().await;
}

#[tokio::test]
async fn acknowledge_unacknowledge_and_resolve_set_the_status() {
    for (verb, wanted) in [
        (Verb::acknowledge(), "acknowledged"),
        (Verb::Unacknowledge, "triggered"),
        (Verb::Resolve, "resolved"),
    ] {
        let (server, source) = with(|_| {}).await;
        expect_write(&server, "PUT", "/incidents/PX", status(wanted), 200).await;
        perform(&server, &source, verb).await;
    }
}

#[tokio::test]
async fn an_acknowledgement_with_words_also_leaves_a_note() {
    let (server, source) = with(|_| {}).await;
    expect_write(&server, "PUT", "/incidents/PX", status("acknowledged"), 200).await;
    expect_write(&server, "POST", "/incidents/PX/notes", note("on it"), 200).await;
    let verb = Verb::Acknowledge {
        note: Some("on it".into()),
    };
    perform(&server, &source, verb).await;
}

#[tokio::test]
async fn a_note_that_fails_after_the_acknowledgement_is_not_a_failed_acknowledgement() {
    let (server, source) = with(|_| {}).await;
    expect_write(&server, "PUT", "/incidents/PX", status("acknowledged"), 200).await;
    expect_write(&server, "POST", "/incidents/PX/notes", note("on it"), 500).await;
    let verb = Verb::Acknowledge {
        note: Some("on it".into()),
    };
    let error = source.perform(&key(), &verb).await.unwrap_err();
    // Refused is final: a retry would acknowledge again.
    let ProviderError::Refused(reason) = &error else {
        panic!("expected Refused, got {error:?}");
    };
    assert!(
        reason.starts_with("acknowledged, but the note was not added"),
        "{reason}"
    );
}

#[tokio::test]
async fn snooze_note_and_reassign_send_what_the_api_wants() {
    let (server, source) = with(|_| {}).await;
    expect_write(
        &server,
        "POST",
        "/incidents/PX/snooze",
        json!({"duration": 3600}),
        201,
    )
    .await;
    perform(&server, &source, Verb::Snooze { seconds: 3600 }).await;

    let (server, source) = with(|_| {}).await;
    expect_write(
        &server,
        "POST",
        "/incidents/PX/notes",
        note("db failover done"),
        200,
    )
    .await;
    perform(
        &server,
        &source,
        Verb::Note {
            text: "db failover done".into(),
        },
    )
    .await;

    let (server, source) = with(|_| {}).await;
    let body = json!({"incident": {"type": "incident_reference",
        "assignments": [{"assignee": {"id": "PUSER2", "type": "user_reference"}}]}});
    expect_write(&server, "PUT", "/incidents/PX", body, 200).await;
    perform(
        &server,
        &source,
        Verb::Reassign {
            to: "PUSER2".into(),
        },
    )
    .await;
}

#[tokio::test]
async fn a_snooze_beyond_seven_days_is_refused_without_asking() {
    let (server, source) = with(|_| {}).await;
    for seconds in [0, 7 * 24 * 3600 + 1] {
        let error = source
            .perform(&key(), &Verb::Snooze { seconds })
            .await
            .unwrap_err();
        assert!(error.to_string().contains("1 second to 7 days"), "{error}");
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn escalating_by_each_route_leaves_a_note() {
    let record = note("Escalated to Eng Cap from pagerdeck");
    let level = json!({"incident": {"type": "incident_reference", "escalation_level": 2}});
    let policy = json!({"incident": {"type": "incident_reference",
        "escalation_policy": {"id": "PEP2", "type": "escalation_policy_reference"}}});
    for (route, body) in [
        (EscalationRoute::Level(2), level),
        (EscalationRoute::Reassign("PEP2".into()), policy),
    ] {
        let (server, source) = with(|s| s.escalation = Some(route)).await;
        expect_write(&server, "PUT", "/incidents/PX", body, 200).await;
        expect_write(&server, "POST", "/incidents/PX/notes", record.clone(), 200).await;
        perform(
            &server,
            &source,
            Verb::Escalate {
                to: "Eng Cap".into(),
                message: None,
                route: None,
                playbook_route: None,
            },
        )
        .await;
    }
    let route = EscalationRoute::ResponderRequest("PEP2".into());
    let (server, source) = with(|s| s.escalation = Some(route)).await;
    users(&server, 1).await;
    let request = responder_request(
        "Escalated to Eng Cap from pagerdeck",
        "PEP2",
        "escalation_policy_reference",
    );
    expect_write(
        &server,
        "POST",
        "/incidents/PX/responder_requests",
        request,
        200,
    )
    .await;
    expect_write(&server, "POST", "/incidents/PX/notes", record, 200).await;
    perform(
        &server,
        &source,
        Verb::Escalate {
            to: "Eng Cap".into(),
            message: None,
            route: None,
            playbook_route: None,
        },
    )
    .await;
}

#[tokio::test]
async fn a_playbooks_own_route_comes_before_the_configured_one_and_needs_none() {
    let playbook_route = |route: PagerdutyRoute| Verb::Escalate {
        to: "Payments L2".into(),
        message: None,
        route: None,
        playbook_route: Some(RouteOverride::Pagerduty(route)),
    };
    let record = note("Escalated to Payments L2 from pagerdeck");
    // Configured to reassign to Eng Cap; the playbook asks its own policy instead.
    let (server, source) =
        with(|s| s.escalation = Some(EscalationRoute::Reassign("PENGCAP".into()))).await;
    users(&server, 1).await;
    let request = responder_request(
        "Escalated to Payments L2 from pagerdeck",
        "PPAY2",
        "escalation_policy_reference",
    );
    expect_write(
        &server,
        "POST",
        "/incidents/PX/responder_requests",
        request,
        200,
    )
    .await;
    expect_write(&server, "POST", "/incidents/PX/notes", record.clone(), 200).await;
    let ask_payments = PagerdutyRoute {
        escalation_policy_id: Some("PPAY2".into()),
        escalation_level: None,
        mode: PagerdutyMode::ResponderRequest,
    };
    perform(&server, &source, playbook_route(ask_payments)).await;

    // No route configured at all: the playbook's is enough.
    let (server, source) = with(|s| s.escalation = None).await;
    assert!(source.capabilities().escalate.is_err());
    let level = json!({"incident": {"type": "incident_reference", "escalation_level": 3}});
    expect_write(&server, "PUT", "/incidents/PX", level, 200).await;
    expect_write(&server, "POST", "/incidents/PX/notes", record, 200).await;
    let level_three = PagerdutyRoute {
        escalation_policy_id: None,
        escalation_level: Some(3),
        mode: PagerdutyMode::Reassign,
    };
    perform(&server, &source, playbook_route(level_three)).await;

    // A route that names nothing is refused before anything is sent.
    let (server, source) = with(|_| {}).await;
    let nothing = PagerdutyRoute {
        escalation_policy_id: None,
        escalation_level: None,
        mode: PagerdutyMode::Reassign,
    };
    let error = source
        .perform(&key(), &playbook_route(nothing))
        .await
        .unwrap_err();
    assert!(
        error.to_string().starts_with("the playbook's route: "),
        "{error}"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}

/// `GET /users?query=<from>` answers a look-alike and me (in other case), `times` times.
async fn users(server: &MockServer, times: u64) {
    Mock::given(method("GET"))
        .and(path("/users"))
        .and(query_param("query", FROM))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"users": [
            {"id": "PLOOK", "name": "Oncall Example", "email": "oncall@example.com.au"},
            {"id": "PME", "name": "Ana Ops", "email": "OnCall@Example.com"}
        ], "limit": 25, "offset": 0, "more": false})))
        .expect(times)
        .mount(server)
        .await;
}

fn responder_request(message: &str, id: &str, kind: &str) -> Value {
    json!({"requester_id": "PME", "message": message, "responder_request_targets": [
        {"responder_request_target": {"id": id, "type": kind}}]})
}

#[tokio::test]
async fn responders_are_asked_by_me_and_my_user_is_looked_up_once() {
    let (server, source) = with(|_| {}).await;
    users(&server, 1).await;
    let endpoint = "/incidents/PX/responder_requests";
    let to_user = responder_request("need DB help", "PDBA", "user_reference");
    expect_write(&server, "POST", endpoint, to_user, 200).await;
    let to_policy = responder_request("page payments", "PEPPAY", "escalation_policy_reference");
    expect_write(&server, "POST", endpoint, to_policy, 200).await;
    let ask = |kind, id: &str, message: &str| Verb::AddResponder {
        to: Responder {
            kind,
            id: id.into(),
        },
        message: message.into(),
    };
    source
        .perform(&key(), &ask(ResponderKind::User, "PDBA", "need DB help"))
        .await
        .unwrap();
    let verb = ask(ResponderKind::Escalation, "PEPPAY", "page payments");
    perform(&server, &source, verb).await;
    for kind in [ResponderKind::Team, ResponderKind::Schedule] {
        let error = source
            .perform(&key(), &ask(kind, "PT", "x"))
            .await
            .unwrap_err();
        assert!(
            error.to_string().contains("users or escalation policies"),
            "{error}"
        );
    }
}

#[tokio::test]
async fn without_my_user_a_responder_request_says_so() {
    let (server, source) = with(|_| {}).await;
    Mock::given(method("GET"))
        .and(path("/users"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"users": [
            {"id": "PLOOK", "email": "oncall@example.com.au"}], "more": false})))
        .mount(&server)
        .await;
    let verb = Verb::AddResponder {
        to: Responder {
            kind: ResponderKind::User,
            id: "PDBA".into(),
        },
        message: "help".into(),
    };
    let error = tokenless(source.perform(&key(), &verb).await.unwrap_err());
    assert!(matches!(error, ProviderError::Unsupported(_)), "{error:?}");
    assert!(
        error
            .to_string()
            .contains("no PagerDuty user with email oncall@example.com"),
        "{error}"
    );
}

#[tokio::test]
async fn without_a_from_email_every_write_is_refused_with_the_fix() {
    let (server, source) = with(|s| s.from = None).await;
    let capabilities = source.capabilities();
    let reason = capabilities.acknowledge.clone().unwrap_err();
    assert_eq!(
        reason,
        "PagerDuty writes need a From email: set [me] email, or from = \"you@example.com\" in the source"
    );
    for verb in [
        Verb::Resolve,
        Verb::Note { text: "x".into() },
        Verb::Snooze { seconds: 60 },
    ] {
        assert_eq!(capabilities.allows(&verb), Err(reason.clone()));
        let error = source.perform(&key(), &verb).await.unwrap_err();
        assert_eq!(error, ProviderError::Unsupported(reason.clone()));
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn without_a_route_escalation_is_refused_with_the_fix() {
    let (server, source) = with(|s| s.escalation = None).await;
    let reason = source.capabilities().escalate.unwrap_err();
    assert!(
        reason.starts_with("no escalation route for PagerDuty: set [escalation] pagerduty"),
        "{reason}"
    );
    assert!(
        source.capabilities().acknowledge.is_ok(),
        "the rest still works"
    );
    let error = source
        .perform(
            &key(),
            &Verb::Escalate {
                to: "L2".into(),
                message: None,
                route: None,
                playbook_route: None,
            },
        )
        .await
        .unwrap_err();
    assert_eq!(error, ProviderError::Unsupported(reason));
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn an_id_that_is_not_pagerdutys_never_reaches_a_path() {
    let (server, source) = with(|_| {}).await;
    let sneaky = IncidentKey::new("pd", "../users");
    let error = source.perform(&sneaky, &Verb::Resolve).await.unwrap_err();
    assert_eq!(error, ProviderError::NotFound(sneaky));
    assert!(server.received_requests().await.unwrap().is_empty());
}
