//! Who an escalation reaches, for the escalation panel: the escalation the alert would go
//! to is read by name, and each rule in order shows its people: a schedule's now and next
//! (read by id), a user or a team as named; one unreadable schedule leaves out only its rule.

use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};
use pagerdeck::providers::OnCall;

use super::*;

const ESCALATION_PATH: &str = "/v2/escalations/Eng%20Cap%20escalation";

fn escalate(playbook_escalation: Option<&str>) -> Verb {
    Verb::Escalate {
        to: "Eng Cap".into(),
        message: None,
        route: None,
        playbook_route: playbook_escalation.map(|name| {
            RouteOverride::Opsgenie(OpsgenieRoute {
                escalation: name.into(),
            })
        }),
    }
}

fn escalation(name: &str, rules: Vec<Value>) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"data": {
        "id": "e-1", "name": name, "description": "", "ownerTeam": {"id": "t-0", "name": "eng"},
        "rules": rules, "repeat": {"waitInterval": 10, "count": 1}},
        "took": 0.1, "requestId": "e"}))
}

fn rule(recipient: Value) -> Value {
    json!({"condition": "if-not-acked", "notifyType": "default",
        "delay": {"timeAmount": 5, "timeUnit": "minutes"}, "recipient": recipient})
}

fn schedule_rule(id: &str, name: &str) -> Value {
    rule(json!({"type": "schedule", "id": id, "name": name}))
}

async fn answer_escalation(server: &MockServer, at: &str, response: ResponseTemplate) {
    Mock::given(method("GET"))
        .and(path(at))
        .and(query_param("identifierType", "name"))
        .respond_with(response)
        .expect(1)
        .mount(server)
        .await;
}

/// The schedule with id `id` (named `name`): `now` is on until `change`, `next` from it.
async fn answer_schedule(
    server: &MockServer,
    (id, name): (&str, &str),
    now: &str,
    next: &str,
    change: DateTime<Utc>,
) {
    let text = |at: DateTime<Utc>| at.to_rfc3339_opts(SecondsFormat::Secs, true);
    let parent = json!({"id": id, "name": name, "enabled": true});
    let period = |from, to, who: &str| {
        json!({"startDate": text(from), "endDate": text(to), "type": "default",
            "recipient": {"id": who, "type": "user", "name": who}})
    };
    let (start, end) = (change - TimeDelta::hours(8), change + TimeDelta::days(30));
    let reads = [
        (
            "on-calls",
            "scheduleIdentifierType",
            json!({"_parent": parent,
            "onCallParticipants": [{"name": now, "type": "user"}]}),
        ),
        (
            "next-on-calls",
            "scheduleIdentifierType",
            json!({"_parent": parent,
            "exactNextOnCallRecipients": [{"name": next, "type": "user"}]}),
        ),
        (
            "timeline",
            "identifierType",
            json!({"_parent": parent,
            "startDate": text(start), "endDate": text(end),
            "finalTimeline": {"rotations": [{"id": "r1", "name": "weekly", "periods": [
                period(start, change, now), period(change, end, next)]}]}}),
        ),
    ];
    for (read, by_id, data) in reads {
        Mock::given(method("GET"))
            .and(path(format!("/v2/schedules/{id}/{read}")))
            .and(query_param(by_id, "id"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": data})))
            .expect(1)
            .mount(server)
            .await;
    }
}

/// In three hours, to whole seconds as Opsgenie writes times.
fn change() -> DateTime<Utc> {
    DateTime::from_timestamp(Utc::now().timestamp(), 0).unwrap() + TimeDelta::hours(3)
}

/// Level, rota, who, until and from of each row.
type Row<'a> = (
    Option<u32>,
    &'a str,
    &'a str,
    Option<DateTime<Utc>>,
    Option<DateTime<Utc>>,
);

fn rows(people: &[OnCall]) -> Vec<Row<'_>> {
    people
        .iter()
        .map(|p| (p.level, p.rota.as_str(), p.who.as_str(), p.until, p.from))
        .collect()
}

#[tokio::test]
async fn a_schedule_rule_shows_who_is_on_now_and_next_under_the_escalation() {
    let server = MockServer::start().await;
    let rules = vec![schedule_rule("s-engcap", "engcap_schedule")];
    answer_escalation(
        &server,
        ESCALATION_PATH,
        escalation("Eng Cap escalation", rules),
    )
    .await;
    let change = change();
    let schedule = ("s-engcap", "engcap_schedule");
    answer_schedule(
        &server,
        schedule,
        "ann@example.com",
        "carl@example.com",
        change,
    )
    .await;
    let people = source(&server)
        .level_two_oncall(&key(), &escalate(None))
        .await
        .unwrap();
    let rota = "Eng Cap escalation · engcap_schedule";
    assert_eq!(
        rows(&people),
        [
            (Some(1), rota, "ann@example.com", Some(change), None),
            (Some(1), rota, "carl@example.com", None, Some(change)),
        ]
    );
    assert!(people.iter().all(|p| p.source == "og"));
    server.verify().await;
}

#[tokio::test]
async fn a_user_rule_and_a_team_rule_are_on_call_for_the_escalation_in_its_order() {
    let server = MockServer::start().await;
    let rules = vec![
        rule(json!({"type": "user", "id": "u-1", "username": "dan@example.com"})),
        rule(json!({"type": "team", "id": "t-1", "name": "payments"})),
    ];
    answer_escalation(
        &server,
        ESCALATION_PATH,
        escalation("Eng Cap escalation", rules),
    )
    .await;
    let people = source(&server)
        .level_two_oncall(&key(), &escalate(None))
        .await
        .unwrap();
    assert_eq!(
        rows(&people),
        [
            (Some(1), "Eng Cap escalation", "dan@example.com", None, None),
            (Some(2), "Eng Cap escalation", "payments", None, None),
        ]
    );
    // Nobody is read but the escalation: users and teams are as the rule names them.
    let asked = server.received_requests().await.unwrap();
    assert_eq!(asked.len(), 1);
    assert_eq!(asked[0].url.path(), ESCALATION_PATH);
    assert_eq!(asked[0].url.query(), Some("identifierType=name"));
    server.verify().await;
}

#[tokio::test]
async fn the_playbooks_escalation_is_read_instead_of_the_configured_one() {
    let server = MockServer::start().await;
    let rules = vec![rule(json!({"type": "user", "username": "lee@example.com"}))];
    answer_escalation(
        &server,
        "/v2/escalations/Ledger%20escalation",
        escalation("Ledger escalation", rules),
    )
    .await;
    Mock::given(method("GET"))
        .and(path(ESCALATION_PATH))
        .respond_with(escalation("Eng Cap escalation", Vec::new()))
        .expect(0)
        .mount(&server)
        .await;
    let people = source(&server)
        .level_two_oncall(&key(), &escalate(Some("Ledger escalation")))
        .await
        .unwrap();
    assert_eq!(
        rows(&people),
        [(Some(1), "Ledger escalation", "lee@example.com", None, None)]
    );
    server.verify().await;
}

#[tokio::test]
async fn a_schedule_that_cannot_be_read_leaves_out_its_rule_only() {
    let server = MockServer::start().await;
    let rules = vec![
        schedule_rule("s-broken", "broken_schedule"),
        schedule_rule("s-engcap", "engcap_schedule"),
        rule(json!({"type": "user", "username": "dan@example.com"})),
    ];
    answer_escalation(
        &server,
        ESCALATION_PATH,
        escalation("Eng Cap escalation", rules),
    )
    .await;
    Mock::given(method("GET"))
        .and(path("/v2/schedules/s-broken/on-calls"))
        .respond_with(
            ResponseTemplate::new(500).set_body_json(json!({"message": "Internal error"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let change = change();
    let schedule = ("s-engcap", "engcap_schedule");
    answer_schedule(
        &server,
        schedule,
        "ann@example.com",
        "carl@example.com",
        change,
    )
    .await;
    let people = source(&server)
        .level_two_oncall(&key(), &escalate(None))
        .await
        .unwrap();
    let rota = "Eng Cap escalation · engcap_schedule";
    assert_eq!(
        rows(&people),
        [
            (Some(2), rota, "ann@example.com", Some(change), None),
            (Some(2), rota, "carl@example.com", None, Some(change)),
            (Some(3), "Eng Cap escalation", "dan@example.com", None, None),
        ]
    );
    server.verify().await;
}

#[tokio::test]
async fn when_no_rule_could_be_read_the_failure_is_the_answer_not_nobody() {
    let server = MockServer::start().await;
    let rules = vec![schedule_rule("s-broken", "broken_schedule")];
    answer_escalation(
        &server,
        ESCALATION_PATH,
        escalation("Eng Cap escalation", rules),
    )
    .await;
    Mock::given(method("GET"))
        .and(path("/v2/schedules/s-broken/on-calls"))
        .respond_with(
            ResponseTemplate::new(500).set_body_json(json!({"message": "Internal error"})),
        )
        .mount(&server)
        .await;
    let error = source(&server)
        .level_two_oncall(&key(), &escalate(None))
        .await
        .unwrap_err();
    assert!(
        matches!(error, ProviderError::Status { code: 500, .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn an_escalation_that_cannot_be_read_is_an_error() {
    let server = MockServer::start().await;
    let missing = ResponseTemplate::new(404)
        .set_body_json(json!({"message": "Escalation not found", "took": 0.0, "requestId": "n"}));
    answer_escalation(&server, ESCALATION_PATH, missing).await;
    match source(&server)
        .level_two_oncall(&key(), &escalate(None))
        .await
        .unwrap_err()
    {
        ProviderError::Status { code: 404, body } => {
            assert!(body.contains("Escalation not found"), "{body}");
        }
        other => panic!("expected a 404, got {other:?}"),
    }
    server.verify().await;
}

#[tokio::test]
async fn without_an_escalation_anywhere_it_is_refused_as_escalating_is() {
    let server = MockServer::start().await;
    let source = Opsgenie::new(Settings {
        escalation: None,
        ..settings(&server.uri())
    })
    .unwrap();
    let refused = source
        .level_two_oncall(&key(), &escalate(None))
        .await
        .unwrap_err();
    let escalating = source.perform(&key(), &escalate(None)).await.unwrap_err();
    assert!(
        matches!(refused, ProviderError::Unsupported(_)),
        "{refused:?}"
    );
    assert_eq!(refused, escalating);
    assert!(server.received_requests().await.unwrap().is_empty());
}
