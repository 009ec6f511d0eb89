//! PagerDuty: an ack by the incident's status, a note by the incident's notes.

use std::sync::Arc;

use pagerdeck::incident::IncidentKey;
use pagerdeck::providers::Verb;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::pagerduty::{settings, source};
use super::{Left, assert_confirmed, left_by_a_kill, resume};

const OP: u64 = 1_800_000_000_001;

fn key() -> IncidentKey {
    IncidentKey::new("pd", "PX")
}

/// The incident as `GET /incidents/PX` answers it now.
async fn incident_is(server: &MockServer, status: &str, reads: u64) {
    Mock::given(method("GET"))
        .and(path("/incidents/PX"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "incident": {"id": "PX", "title": "checkout-api 5xx", "status": status}
        })))
        .expect(reads)
        .mount(server)
        .await;
}

/// The acknowledgement, expected exactly `times`.
async fn ack_sent(server: &MockServer, times: u64) {
    Mock::given(method("PUT"))
        .and(path("/incidents/PX"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"incident": {"id": "PX"}})))
        .expect(times)
        .mount(server)
        .await;
}

async fn resume_ack(server: &MockServer, left: Left) -> Vec<pagerdeck::journal::Record> {
    let source = Arc::new(source(settings(&server.uri())));
    resume(
        "pd",
        source,
        &left_by_a_kill(OP, &key(), &Verb::acknowledge(), left),
    )
    .await
}

#[tokio::test]
async fn an_ack_killed_before_it_was_sent_is_sent_once() {
    let server = MockServer::start().await;
    ack_sent(&server, 1).await;
    incident_is(&server, "triggered", 0).await;
    let records = resume_ack(&server, Left::Pending).await;
    server.verify().await;
    assert_confirmed(&records, OP, false);
}

#[tokio::test]
async fn an_ack_killed_after_it_arrived_is_not_sent_again() {
    let server = MockServer::start().await;
    incident_is(&server, "acknowledged", 1).await;
    ack_sent(&server, 0).await;
    let records = resume_ack(&server, Left::Sent).await;
    server.verify().await;
    assert_confirmed(&records, OP, true);
}

#[tokio::test]
async fn an_ack_killed_after_sending_that_never_arrived_is_sent_once() {
    let server = MockServer::start().await;
    incident_is(&server, "triggered", 1).await;
    ack_sent(&server, 1).await;
    let records = resume_ack(&server, Left::Sent).await;
    server.verify().await;
    assert_confirmed(&records, OP, false);
}

/// The incident's notes now, and the note write, expected `times`.
async fn notes(server: &MockServer, held: &[&str], times: u64) {
    let held: Vec<_> = held
        .iter()
        .map(|text| json!({"id": "N1", "content": text, "created_at": "2027-01-15T08:00:00Z", "user": {"summary": "Ana Ops"}}))
        .collect();
    Mock::given(method("GET"))
        .and(path("/incidents/PX/notes"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "notes": held })))
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path("/incidents/PX/log_entries"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"log_entries": [], "more": false})),
        )
        .mount(server)
        .await;
    Mock::given(method("POST"))
        .and(path("/incidents/PX/notes"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"note": {"id": "N2"}})))
        .expect(times)
        .mount(server)
        .await;
}

#[tokio::test]
async fn a_note_is_added_once_whether_or_not_it_arrived_before_the_kill() {
    let text = "rolled back deploy 3";
    let verb = Verb::Note { text: text.into() };
    for (held, times) in [(vec![text], 0), (vec!["unrelated"], 1)] {
        let server = MockServer::start().await;
        notes(&server, &held, times).await;
        let source = Arc::new(source(settings(&server.uri())));
        let records = resume("pd", source, &left_by_a_kill(OP, &key(), &verb, Left::Sent)).await;
        server.verify().await;
        assert_confirmed(&records, OP, times == 0);
    }
}

/// The incident now with `assignee` assigned, under `policy`.
async fn assigned(server: &MockServer, assignee: &str, policy: &str) {
    Mock::given(method("GET"))
        .and(path("/incidents/PX"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"incident": {
                "id": "PX", "status": "triggered",
                "assignments": [{"assignee": {"id": assignee, "type": "user_reference"}}],
                "escalation_policy": {"id": policy, "type": "escalation_policy_reference"}
            }})),
        )
        .mount(server)
        .await;
}

#[tokio::test]
async fn a_reassignment_is_made_once_whether_or_not_it_arrived_before_the_kill() {
    let verb = Verb::Reassign { to: "PKAI".into() };
    for (assignee, times) in [("PKAI", 0), ("PANA", 1)] {
        let server = MockServer::start().await;
        assigned(&server, assignee, "PPOLICY").await;
        ack_sent(&server, times).await;
        let source = Arc::new(source(settings(&server.uri())));
        let records = resume("pd", source, &left_by_a_kill(OP, &key(), &verb, Left::Sent)).await;
        server.verify().await;
        assert_confirmed(&records, OP, times == 0);
    }
}

/// The incident's log as `GET /incidents/PX/log_entries` answers it: one escalation
/// logged `minutes_ago`, if any (ahead of the empty log `notes` mounts).
async fn escalation_logged(server: &MockServer, minutes_ago: Option<i64>) {
    let entries: Vec<_> = minutes_ago
        .map(|minutes| {
            let at = chrono::Utc::now() - chrono::TimeDelta::minutes(minutes);
            json!({"id": "L9", "type": "escalate_log_entry", "created_at": at.to_rfc3339(),
                   "summary": "Escalated to level 2 by Ana Ops"})
        })
        .into_iter()
        .collect();
    Mock::given(method("GET"))
        .and(path("/incidents/PX/log_entries"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"log_entries": entries, "more": false})),
        )
        .with_priority(1)
        .mount(server)
        .await;
}

#[tokio::test]
async fn an_escalation_is_paged_once_found_by_its_note_or_by_the_escalation_pagerduty_logged() {
    let verb = Verb::Escalate {
        to: "Eng Cap".into(),
        message: Some("checkout-api is down".into()),
        route: None,
        playbook_route: None,
    };
    let record = "Escalated to Eng Cap from pagerdeck:\n\ncheckout-api is down";
    // The kill left it sent (two minutes ago). (notes held, an escalation logged how many
    // minutes ago, how many times it must then be sent: the level set and its note.)
    for (held, logged, sends) in [
        (vec![record], None, 0),
        (vec!["unrelated"], Some(1), 0),
        (vec!["unrelated"], Some(60), 1),
        (vec!["unrelated"], None, 1),
    ] {
        let server = MockServer::start().await;
        escalation_logged(&server, logged).await;
        notes(&server, &held, sends).await;
        ack_sent(&server, sends).await;
        let source = Arc::new(source(settings(&server.uri())));
        let records = resume("pd", source, &left_by_a_kill(OP, &key(), &verb, Left::Sent)).await;
        server.verify().await;
        assert_confirmed(&records, OP, sends == 0);
    }
}

#[tokio::test]
async fn a_request_to_a_policy_is_made_once_found_among_the_incident_s_responder_requests() {
    let verb = Verb::AddResponder {
        to: pagerdeck::providers::Responder {
            kind: pagerdeck::providers::ResponderKind::Escalation,
            id: "PENGCAP".into(),
        },
        message: "checkout-api is down: join the bridge".into(),
    };
    // The kill left it sent two minutes ago. (a request to the policy made how many
    // minutes ago, if any; how many requests it must then get)
    for (requested, sends) in [(Some(1), 0), (Some(60), 1), (None, 1)] {
        let server = MockServer::start().await;
        let requests: Vec<_> = requested
            .map(|minutes| {
                let at = chrono::Utc::now() - chrono::TimeDelta::minutes(minutes);
                json!({"requested_at": at.to_rfc3339(), "message": "…",
                       "responder_request_targets": [{"responder_request_target":
                           {"id": "PENGCAP", "type": "escalation_policy"}}]})
            })
            .into_iter()
            .collect();
        Mock::given(method("GET"))
            .and(path("/incidents/PX"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "incident": {"id": "PX", "title": "checkout-api 5xx", "status": "acknowledged",
                             "responder_requests": requests}
            })))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/users"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "users": [{"id": "PANA", "email": super::pagerduty::FROM, "name": "Ana Ops"}]
            })))
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path("/incidents/PX/responder_requests"))
            .respond_with(
                ResponseTemplate::new(200).set_body_json(json!({"responder_request": {}})),
            )
            .expect(sends)
            .mount(&server)
            .await;
        let source = Arc::new(source(settings(&server.uri())));
        let records = resume("pd", source, &left_by_a_kill(OP, &key(), &verb, Left::Sent)).await;
        server.verify().await;
        assert_confirmed(&records, OP, sends == 0);
    }
}
