#![allow(clippy::unwrap_used)] // Tests: a failure here is a failed test.
//! `mode = "next_level"`: the incident climbs its own escalation policy one level from
//! where it is, that level read from who is on call; a policy with no level above is
//! refused before anything is written.

#[path = "support/pagerduty.rs"]
mod pagerduty;

use pagerdeck::config::{PagerdutyMode, PagerdutyRoute};
use pagerdeck::incident::IncidentKey;
use pagerdeck::providers::pagerduty::{EscalationRoute, PagerDuty};
use pagerdeck::providers::route::RouteOverride;
use pagerdeck::providers::{ProviderError, Source, Verb};
use pagerduty::{FROM, queries, settings, source, tokenless};
use serde_json::{Value, json};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn key() -> IncidentKey {
    IncidentKey::new("pd", "PX")
}

fn escalate() -> Verb {
    Verb::Escalate {
        to: "Eng Cap".into(),
        message: Some("db is down".into()),
        route: None,
        playbook_route: None,
    }
}

async fn next_level_source() -> (MockServer, PagerDuty) {
    let server = MockServer::start().await;
    let mut settings = settings(&server.uri());
    settings.escalation = Some(EscalationRoute::NextLevel);
    (server, source(settings))
}

/// `GET /incidents/PX` answers an incident on policy PEP assigned to `assignees`.
async fn incident(server: &MockServer, assignees: &[&str]) {
    let assignments: Vec<Value> = assignees
        .iter()
        .map(|id| json!({"at": "2026-11-22T03:01:00Z", "assignee": {"id": id, "type": "user_reference"}}))
        .collect();
    Mock::given(method("GET"))
        .and(path("/incidents/PX"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"incident": {
            "id": "PX", "status": "triggered", "assignments": assignments,
            "escalation_policy": {"id": "PEP", "type": "escalation_policy_reference",
                                  "summary": "Checkout escalation"}}})),
        )
        .expect(1)
        .mount(server)
        .await;
}

/// `GET /oncalls` answers these (user, level) rows of policy PEP.
async fn on_call(server: &MockServer, rows: &[(&str, u32)]) {
    let rows: Vec<Value> = rows
        .iter()
        .map(|(user, level)| {
            json!({"user": {"id": user, "type": "user_reference", "summary": user},
                   "schedule": {"id": format!("PS{level}"), "type": "schedule_reference"},
                   "escalation_policy": {"id": "PEP", "type": "escalation_policy_reference"},
                   "escalation_level": level,
                   "start": "2026-11-22T00:00:00Z", "end": "2026-11-23T00:00:00Z"})
        })
        .collect();
    Mock::given(method("GET"))
        .and(path("/oncalls"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"oncalls": rows, "limit": 100, "offset": 0, "more": false, "total": null}),
        ))
        .expect(1)
        .mount(server)
        .await;
}

/// The server expects exactly this write, once.
async fn expect_write(server: &MockServer, verb: &str, at: &str, body: Value) {
    Mock::given(method(verb))
        .and(path(at))
        .and(header("from", FROM))
        .and(body_json(body))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(1)
        .mount(server)
        .await;
}

fn to_level(level: u32) -> Value {
    json!({"incident": {"type": "incident_reference", "escalation_level": level}})
}

fn hand_over_note() -> Value {
    json!({"note": {"content": "Escalated to Eng Cap from pagerdeck:\n\ndb is down"}})
}

const THREE_LEVELS: &[(&str, u32)] = &[("PANA", 1), ("PKAI", 2), ("PMO", 3)];

#[tokio::test]
async fn an_incident_no_one_on_call_holds_is_at_level_one_and_goes_to_two() {
    let (server, source) = next_level_source().await;
    // Assigned to someone off the rota now: level 1, as PagerDuty starts there.
    incident(&server, &["PGONE"]).await;
    on_call(&server, THREE_LEVELS).await;
    expect_write(&server, "PUT", "/incidents/PX", to_level(2)).await;
    expect_write(&server, "POST", "/incidents/PX/notes", hand_over_note()).await;
    source.perform(&key(), &escalate()).await.unwrap();
    server.verify().await;
}

#[tokio::test]
async fn an_incident_with_level_twos_person_goes_to_three() {
    let (server, source) = next_level_source().await;
    incident(&server, &["PANA", "PKAI"]).await;
    on_call(&server, THREE_LEVELS).await;
    expect_write(&server, "PUT", "/incidents/PX", to_level(3)).await;
    expect_write(&server, "POST", "/incidents/PX/notes", hand_over_note()).await;
    source.perform(&key(), &escalate()).await.unwrap();
    server.verify().await;
}

#[tokio::test]
async fn on_call_is_asked_for_the_incidents_own_policy_only() {
    let (server, source) = next_level_source().await;
    incident(&server, &["PANA"]).await;
    on_call(&server, THREE_LEVELS).await;
    expect_write(&server, "PUT", "/incidents/PX", to_level(2)).await;
    expect_write(&server, "POST", "/incidents/PX/notes", hand_over_note()).await;
    source.perform(&key(), &escalate()).await.unwrap();
    let pairs = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    };
    assert_eq!(
        queries(&server, "/oncalls").await,
        [pairs(&[
            ("escalation_policy_ids[]", "PEP"),
            ("limit", "100"),
            ("offset", "0"),
        ])]
    );
    server.verify().await;
}

/// Nothing but the two reads reached the server.
async fn only_reads(server: &MockServer) {
    let sent: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| format!("{} {}", r.method, r.url.path()))
        .collect();
    assert!(
        sent.iter().all(|s| s.starts_with("GET ")),
        "nothing may be written: {sent:?}"
    );
}

#[tokio::test]
async fn a_policy_with_no_level_above_is_refused_and_nothing_is_written() {
    let (server, source) = next_level_source().await;
    incident(&server, &["PKAI"]).await;
    on_call(&server, &[("PANA", 1), ("PKAI", 2)]).await;
    let error = tokenless(source.perform(&key(), &escalate()).await.unwrap_err());
    let ProviderError::Unsupported(reason) = &error else {
        panic!("expected a final refusal, got {error:?}");
    };
    assert!(
        reason.starts_with("escalation policy Checkout escalation (PEP) has no level 3"),
        "{reason}"
    );
    assert!(
        reason.contains("the incident is at level 2") && reason.contains("nothing was changed"),
        "{reason}"
    );
    only_reads(&server).await;
    server.verify().await;
}

#[tokio::test]
async fn an_incident_without_an_escalation_policy_is_refused_and_nothing_is_written() {
    let (server, source) = next_level_source().await;
    Mock::given(method("GET"))
        .and(path("/incidents/PX"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"incident": {"id": "PX", "escalation_policy": null}})),
        )
        .mount(&server)
        .await;
    let error = source.perform(&key(), &escalate()).await.unwrap_err();
    assert!(
        matches!(&error, ProviderError::Unsupported(reason)
            if reason.contains("PX has no escalation policy to climb")),
        "{error:?}"
    );
    only_reads(&server).await;
    assert!(queries(&server, "/oncalls").await.is_empty());
}

#[tokio::test]
async fn when_on_call_cannot_be_read_nothing_is_written_and_it_may_be_tried_again() {
    let (server, source) = next_level_source().await;
    incident(&server, &["PANA"]).await;
    Mock::given(method("GET"))
        .and(path("/oncalls"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let error = tokenless(source.perform(&key(), &escalate()).await.unwrap_err());
    // A server error, not a refusal: the outbox retries it.
    assert!(
        matches!(error, ProviderError::Status { code: 503, .. }),
        "{error:?}"
    );
    only_reads(&server).await;
}

/// Who the escalation panel says an escalation reaches, by each route.
async fn level_two(server: &MockServer, route: EscalationRoute, verb: &Verb) -> Vec<String> {
    let mut settings = settings(&server.uri());
    settings.escalation = Some(route);
    source(settings)
        .level_two_oncall(&key(), verb)
        .await
        .unwrap()
        .into_iter()
        .map(|person| format!("{} L{}", person.who, person.level.unwrap_or(0)))
        .collect()
}

#[tokio::test]
async fn the_panel_names_who_each_route_reaches() {
    // The next level: the incident (Ana's, at level 1) goes to level 2's Kai.
    let server = MockServer::start().await;
    incident(&server, &["PANA"]).await;
    on_call(&server, THREE_LEVELS).await;
    let next = level_two(&server, EscalationRoute::NextLevel, &escalate()).await;
    assert_eq!(next, ["PKAI L2"]);
    // A set level of the incident's own policy.
    let server = MockServer::start().await;
    incident(&server, &["PANA"]).await;
    on_call(&server, THREE_LEVELS).await;
    let third = level_two(&server, EscalationRoute::Level(3), &escalate()).await;
    assert_eq!(third, ["PMO L3"]);
    // Level two's own policy, handed over or asked: whoever it pages first; the incident
    // itself is not read.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/oncalls"))
        .and(wiremock::matchers::query_param(
            "escalation_policy_ids[]",
            "PENGCAP",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"oncalls": [
            {"user": {"id": "PKAI", "summary": "Kai Lindqvist"}, "escalation_level": 1,
             "escalation_policy": {"id": "PENGCAP", "summary": "Eng Cap"}},
            {"user": {"id": "PMIA", "summary": "Mia Chen"}, "escalation_level": 2,
             "escalation_policy": {"id": "PENGCAP", "summary": "Eng Cap"}}
        ], "limit": 100, "offset": 0, "more": false})))
        .expect(2)
        .mount(&server)
        .await;
    let route = EscalationRoute::Reassign("PENGCAP".into());
    assert_eq!(
        level_two(&server, route, &escalate()).await,
        ["Kai Lindqvist L1"]
    );
    // A playbook's own route comes first here too.
    let by_playbook = Verb::Escalate {
        to: "Eng Cap".into(),
        message: None,
        route: None,
        playbook_route: Some(RouteOverride::Pagerduty(PagerdutyRoute {
            escalation_policy_id: Some("PENGCAP".into()),
            escalation_level: None,
            mode: PagerdutyMode::ResponderRequest,
        })),
    };
    let asked = level_two(&server, EscalationRoute::Level(9), &by_playbook).await;
    assert_eq!(asked, ["Kai Lindqvist L1"]);
    server.verify().await;
}
