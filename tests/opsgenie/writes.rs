//! Writing: each verb's body, and a write stays pending until Opsgenie confirms or
//! refuses it.

use super::*;

#[tokio::test]
async fn a_write_pending_then_refused_says_why_in_opsgenies_words() {
    let (server, result) = close_with_status(
        not_processed_yet(),
        request_status(false, "Alert does not exist"),
    )
    .await;
    match result.unwrap_err() {
        ProviderError::Refused(why) => {
            assert!(why.contains("Alert does not exist"), "{why}");
            assert!(why.contains(&format!("close og:{ALERT_ID}")), "{why}");
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(status_asks(&server).await, 2, "asked again after the 404");
}

#[tokio::test]
async fn a_write_pending_then_confirmed_is_done() {
    let (server, result) =
        close_with_status(not_processed_yet(), request_status(true, "Closed")).await;
    assert_eq!(result, Ok(()));
    assert_eq!(status_asks(&server).await, 2);
    server.verify().await;
}

#[tokio::test]
async fn a_status_without_an_outcome_yet_is_asked_again() {
    let unknown = ResponseTemplate::new(200).set_body_json(json!({"data": {"action": "Close"}}));
    let (_, result) = close_with_status(unknown, request_status(true, "Closed")).await;
    assert_eq!(result, Ok(()));
}

#[tokio::test]
async fn a_write_never_confirmed_says_it_may_still_happen_and_is_not_sent_again() {
    let (server, result) = close_with_status(not_processed_yet(), not_processed_yet()).await;
    match result.unwrap_err() {
        ProviderError::Refused(why) => assert!(why.contains("may still happen"), "{why}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(status_asks(&server).await, 4, "request_attempts");
    server.verify().await;
}

/// Each verb: the action it posts to and the body it must send.
fn verbs() -> Vec<(Verb, &'static str, Value)> {
    let who = |extra: Value| {
        let mut body = json!({"user": "ann@example.com", "source": "pagerdeck"});
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        body
    };
    let responder = |kind, id: &str| Verb::AddResponder {
        to: Responder {
            kind,
            id: id.into(),
        },
        message: "join the bridge".into(),
    };
    vec![
        (Verb::acknowledge(), "acknowledge", who(json!({}))),
        (
            Verb::Acknowledge {
                note: Some("on it".into()),
            },
            "acknowledge",
            who(json!({"note": "on it"})),
        ),
        (Verb::Unacknowledge, "unacknowledge", who(json!({}))),
        (Verb::Resolve, "close", who(json!({}))),
        (
            Verb::Note {
                text: "rolled back".into(),
            },
            "notes",
            who(json!({"note": "rolled back"})),
        ),
        (
            Verb::Escalate {
                to: "Eng Cap".into(),
                message: None,
                route: None,
                playbook_route: None,
            },
            "escalate",
            who(json!({"escalation": {"type": "escalation", "name": "Eng Cap escalation"}})),
        ),
        // A playbook's own escalation for the alert's service comes first.
        (
            Verb::Escalate {
                to: "Payments L2".into(),
                message: None,
                route: None,
                playbook_route: Some(RouteOverride::Opsgenie(OpsgenieRoute {
                    escalation: "Payments escalation".into(),
                })),
            },
            "escalate",
            who(json!({"escalation": {"type": "escalation", "name": "Payments escalation"}})),
        ),
        (
            Verb::Reassign {
                to: "bob@example.com".into(),
            },
            "assign",
            who(json!({"owner": {"type": "user", "username": "bob@example.com"}})),
        ),
        (
            responder(ResponderKind::User, "bob@example.com"),
            "responders",
            who(
                json!({"responder": {"type": "user", "username": "bob@example.com"}, "note": "join the bridge"}),
            ),
        ),
        (
            responder(ResponderKind::Team, "payments"),
            "responders",
            who(
                json!({"responder": {"type": "team", "name": "payments"}, "note": "join the bridge"}),
            ),
        ),
        (
            responder(ResponderKind::Escalation, "Eng Cap escalation"),
            "responders",
            who(
                json!({"responder": {"type": "escalation", "name": "Eng Cap escalation"}, "note": "join the bridge"}),
            ),
        ),
        (
            responder(ResponderKind::Schedule, "ops"),
            "responders",
            who(
                json!({"responder": {"type": "schedule", "name": "ops"}, "note": "join the bridge"}),
            ),
        ),
    ]
}

#[tokio::test]
async fn every_verb_sends_the_body_the_api_wants() {
    for (verb, action, body) in verbs() {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path(format!("/v2/alerts/{ALERT_ID}/{action}")))
            .and(query_param("identifierType", "id"))
            .and(header("content-type", "application/json"))
            .and(body_json(&body))
            .respond_with(queued("req-2"))
            .expect(1)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/v2/alerts/requests/req-2"))
            .respond_with(request_status(true, "ok"))
            .mount(&server)
            .await;
        let result = source(&server).perform(&key(), &verb).await;
        assert_eq!(result, Ok(()), "{verb:?} should send {body}");
        server.verify().await;
    }
}

#[tokio::test]
async fn a_snooze_ends_when_asked() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/v2/alerts/{ALERT_ID}/snooze")))
        .and(body_partial_json(
            json!({"user": "ann@example.com", "source": "pagerdeck"}),
        ))
        .respond_with(queued("req-3"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2/alerts/requests/req-3"))
        .respond_with(request_status(true, "ok"))
        .mount(&server)
        .await;
    let asked = chrono::Utc::now();
    let result = source(&server)
        .perform(&key(), &Verb::Snooze { seconds: 1800 })
        .await;
    assert_eq!(result, Ok(()));
    let requests = server.received_requests().await.unwrap();
    let sent: Value = serde_json::from_slice(&requests[0].body).unwrap();
    let end: chrono::DateTime<chrono::Utc> = sent["endTime"].as_str().unwrap().parse().unwrap();
    let from_ask = (end - asked).num_seconds();
    assert!(
        (1799..=1801).contains(&from_ask),
        "ends {from_ask}s after asking"
    );
}

#[tokio::test]
async fn escalate_without_a_route_says_how_to_set_one_and_sends_nothing() {
    let server = MockServer::start().await;
    let source = Opsgenie::new(Settings {
        escalation: None,
        ..settings(&server.uri())
    })
    .unwrap();
    let why =
        "no escalation route for Opsgenie: set [escalation] opsgenie = { escalation = \"…\" }";
    assert_eq!(source.capabilities().escalate, Err(why.to_string()));
    let verb = Verb::Escalate {
        to: "Eng Cap".into(),
        message: None,
        route: None,
        playbook_route: None,
    };
    assert_eq!(
        source.perform(&key(), &verb).await,
        Err(ProviderError::Unsupported(why.to_string()))
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}
