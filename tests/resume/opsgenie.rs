//! Opsgenie: an ack by the alert's `acknowledged`, a close by its status. Its writes are
//! queued (202 and a request id) and followed until done, as when first sent.

use std::sync::Arc;
use std::time::Duration;

use pagerdeck::incident::IncidentKey;
use pagerdeck::providers::Verb;
use pagerdeck::providers::opsgenie::{Opsgenie, Settings};
use pagerdeck::providers::token::Secret;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{Left, assert_confirmed, left_by_a_kill, resume};

const OP: u64 = 1_800_000_000_002;
const ALERT: &str = "8418d193-2dab-4490-b331-8c02cdd196b7";

fn source(server: &MockServer) -> Arc<Opsgenie> {
    let settings = Settings {
        name: "og".into(),
        base_url: server.uri(),
        token: Secret::new("og-key-5ec7e7"),
        token_origin: "OPSGENIE_KEY".into(),
        user: Some("ann@example.com".into()),
        timeout: Duration::from_secs(5),
        connect_timeout: Duration::from_secs(5),
        query: "status:open".into(),
        schedules: Vec::new(),
        escalation: Some("Payments".into()),
        request_poll: Duration::from_millis(10),
        request_attempts: 4,
    };
    Arc::new(Opsgenie::new(settings).unwrap())
}

/// The alert as `GET /v2/alerts/{id}` answers it now.
async fn alert_is(server: &MockServer, status: &str, acknowledged: bool) {
    Mock::given(method("GET"))
        .and(path(format!("/v2/alerts/{ALERT}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": {"id": ALERT, "message": "checkout-api 5xx", "status": status, "acknowledged": acknowledged},
            "took": 0.01, "requestId": "r0"
        })))
        .mount(server)
        .await;
}

/// The write to `action`, expected exactly `times`, and its request followed to done.
async fn write_sent(server: &MockServer, action: &str, times: u64) {
    Mock::given(method("POST"))
        .and(path(format!("/v2/alerts/{ALERT}/{action}")))
        .respond_with(ResponseTemplate::new(202).set_body_json(
            json!({"result": "Request will be processed", "took": 0.1, "requestId": "req-1"}),
        ))
        .expect(times)
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2/alerts/requests/req-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": {"isSuccess": true, "status": "Acknowledged", "action": "Acknowledge"},
            "took": 0.01, "requestId": "y"
        })))
        .mount(server)
        .await;
}

fn key() -> IncidentKey {
    IncidentKey::new("og", ALERT)
}

#[tokio::test]
async fn an_ack_is_applied_once_however_the_kill_left_it() {
    // (how the kill left it, whether Opsgenie had it, how many acks it must then get)
    for (left, had_it, sends) in [
        (Left::Pending, false, 1),
        (Left::Sent, true, 0),
        (Left::Sent, false, 1),
    ] {
        let server = MockServer::start().await;
        alert_is(&server, "open", had_it).await;
        write_sent(&server, "acknowledge", sends).await;
        let records = left_by_a_kill(OP, &key(), &Verb::acknowledge(), left);
        let records = resume("og", source(&server), &records).await;
        server.verify().await;
        assert_confirmed(&records, OP, sends == 0);
    }
}

#[tokio::test]
async fn a_close_that_arrived_before_the_kill_is_not_sent_again() {
    let server = MockServer::start().await;
    alert_is(&server, "closed", false).await;
    write_sent(&server, "close", 0).await;
    let records = left_by_a_kill(OP, &key(), &Verb::Resolve, Left::Sent);
    let records = resume("og", source(&server), &records).await;
    server.verify().await;
    assert_confirmed(&records, OP, true);
}

/// The alert's notes as `GET /v2/alerts/{id}/notes` answers them now.
async fn notes_are(server: &MockServer, notes: &[&str]) {
    let data: Vec<_> = notes
        .iter()
        .map(|note| json!({"note": note, "owner": "ann@example.com", "createdAt": "2026-12-01T10:00:00Z", "offset": "1"}))
        .collect();
    Mock::given(method("GET"))
        .and(path(format!("/v2/alerts/{ALERT}/notes")))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"data": data, "paging": {}, "took": 0.01, "requestId": "n"})),
        )
        .mount(server)
        .await;
}

#[tokio::test]
async fn an_escalation_is_sent_once_found_by_the_hand_over_it_carried_as_its_note() {
    let verb = Verb::Escalate {
        to: "Eng Cap".into(),
        message: Some("checkout-api is down".into()),
        route: None,
        playbook_route: None,
    };
    // (how the kill left it, the alert's notes then, how many escalations it must get)
    for (left, notes, sends) in [
        (Left::Pending, &[][..], 1),
        (Left::Sent, &["checkout-api is down"][..], 0),
        (Left::Sent, &["looking at it"][..], 1),
    ] {
        let server = MockServer::start().await;
        alert_is(&server, "open", true).await;
        notes_are(&server, notes).await;
        write_sent(&server, "escalate", sends).await;
        let records = left_by_a_kill(OP, &key(), &verb, left);
        let records = resume("og", source(&server), &records).await;
        server.verify().await;
        assert_confirmed(&records, OP, sends == 0);
    }
}

#[tokio::test]
async fn a_reassignment_is_made_once_found_by_the_alert_s_owner() {
    let verb = Verb::Reassign {
        to: "kai@example.com".into(),
    };
    for (owner, sends) in [("kai@example.com", 0), ("ann@example.com", 1)] {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path(format!("/v2/alerts/{ALERT}")))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "data": {"id": ALERT, "message": "checkout-api 5xx", "status": "open", "acknowledged": true, "owner": owner},
                "took": 0.01, "requestId": "r0"
            })))
            .mount(&server)
            .await;
        write_sent(&server, "assign", sends).await;
        let records = left_by_a_kill(OP, &key(), &verb, Left::Sent);
        let records = resume("og", source(&server), &records).await;
        server.verify().await;
        assert_confirmed(&records, OP, sends == 0);
    }
}
