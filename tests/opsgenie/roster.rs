//! Who is on call, until when, and who is next: each schedule's on-calls, next-on-calls
//! and timeline, and what is still shown when one of the last two fails.

use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};

use super::*;

/// On a scripted schedule "ops", Ann is on now and Bob takes over in three hours.
struct Shifts {
    change: DateTime<Utc>,
}

impl Shifts {
    fn new() -> Shifts {
        // Whole seconds, as Opsgenie writes them.
        let now = DateTime::from_timestamp(Utc::now().timestamp(), 0).unwrap();
        Shifts {
            change: now + TimeDelta::hours(3),
        }
    }

    fn on_calls(&self) -> ResponseTemplate {
        ResponseTemplate::new(200).set_body_json(json!({"data": {
            "_parent": {"id": "s1", "name": "ops", "enabled": true},
            "onCallParticipants": [{"name": "ann@example.com", "type": "user"}]},
            "took": 0.1, "requestId": "a"}))
    }

    fn next_on_calls(&self) -> ResponseTemplate {
        ResponseTemplate::new(200).set_body_json(json!({"data": {
            "_parent": {"id": "s1", "name": "ops", "enabled": true},
            "exactNextOnCallRecipients": [{"name": "bob@example.com", "type": "user"}]},
            "took": 0.1, "requestId": "b"}))
    }

    fn timeline(&self) -> ResponseTemplate {
        let text = |at: DateTime<Utc>| at.to_rfc3339_opts(SecondsFormat::Secs, true);
        let period = |from: DateTime<Utc>, to: DateTime<Utc>, who: &str| {
            json!({"startDate": text(from), "endDate": text(to), "type": "default",
                "recipient": {"id": who, "type": "user", "name": format!("{who}@example.com")}})
        };
        let start = self.change - TimeDelta::hours(8);
        let end = self.change + TimeDelta::days(30);
        ResponseTemplate::new(200).set_body_json(json!({"data": {
            "_parent": {"id": "s1", "name": "ops", "enabled": true},
            "startDate": text(start), "endDate": text(end),
            "finalTimeline": {"rotations": [{"id": "r1", "name": "weekly", "periods": [
                period(start, self.change, "ann"),
                period(self.change, self.change + TimeDelta::days(7), "bob")]}]}},
            "expandable": [], "took": 0.1, "requestId": "c"}))
    }
}

async fn answer(server: &MockServer, read: &str, response: ResponseTemplate) {
    let by_name = match read {
        "timeline" => query_param("identifierType", "name"),
        _ => query_param("scheduleIdentifierType", "name"),
    };
    Mock::given(method("GET"))
        .and(path(format!("/v2/schedules/ops/{read}")))
        .and(by_name)
        .respond_with(response)
        .expect(1)
        .mount(server)
        .await;
}

fn oops() -> ResponseTemplate {
    ResponseTemplate::new(500)
        .set_body_json(json!({"message": "Internal error", "took": 0.0, "requestId": "r"}))
}

/// Who, until when, and from when.
type Row<'a> = (&'a str, Option<DateTime<Utc>>, Option<DateTime<Utc>>);

fn rows(people: &[pagerdeck::providers::OnCall]) -> Vec<Row<'_>> {
    people
        .iter()
        .map(|p| (p.who.as_str(), p.until, p.from))
        .collect()
}

#[tokio::test]
async fn the_person_on_now_is_on_until_the_next_one_starts() {
    let server = MockServer::start().await;
    let shifts = Shifts::new();
    answer(&server, "on-calls", shifts.on_calls()).await;
    answer(&server, "next-on-calls", shifts.next_on_calls()).await;
    Mock::given(method("GET"))
        .and(path("/v2/schedules/ops/timeline"))
        .and(query_param("identifierType", "name"))
        .and(query_param("interval", "1"))
        .and(query_param("intervalUnit", "months"))
        .respond_with(shifts.timeline())
        .expect(1)
        .mount(&server)
        .await;
    let roster = source(&server).schedule_roster("ops").await.unwrap();
    assert_eq!(roster.problems, Vec::<String>::new());
    let change = Some(shifts.change);
    assert_eq!(
        rows(&roster.people),
        [
            ("ann@example.com", change, None),
            ("bob@example.com", None, change)
        ]
    );
    let now = Utc::now();
    assert!(roster.people[0].now(now) && !roster.people[1].now(now));
    assert!(
        roster
            .people
            .iter()
            .all(|p| p.rota == "ops" && p.source == "og")
    );
    server.verify().await;
}

#[tokio::test]
async fn oncall_lists_each_schedule_now_and_next() {
    let server = MockServer::start().await;
    let shifts = Shifts::new();
    answer(&server, "on-calls", shifts.on_calls()).await;
    answer(&server, "next-on-calls", shifts.next_on_calls()).await;
    answer(&server, "timeline", shifts.timeline()).await;
    let people = source(&server).oncall().await.unwrap();
    let change = Some(shifts.change);
    assert_eq!(
        rows(&people),
        [
            ("ann@example.com", change, None),
            ("bob@example.com", None, change)
        ]
    );
}

#[tokio::test]
async fn a_failed_next_on_calls_still_shows_who_is_on_now() {
    let server = MockServer::start().await;
    let shifts = Shifts::new();
    for (read, response) in [
        ("on-calls", shifts.on_calls()),
        ("next-on-calls", oops()),
        ("timeline", shifts.timeline()),
    ] {
        Mock::given(method("GET"))
            .and(path(format!("/v2/schedules/ops/{read}")))
            .respond_with(response)
            .expect(2)
            .mount(&server)
            .await;
    }
    let source = source(&server);
    let people = source.oncall().await.unwrap();
    // Whether Ann is still on after the change is not known: no end is made up.
    assert_eq!(rows(&people), [("ann@example.com", None, None)]);
    let roster = source.schedule_roster("ops").await.unwrap();
    assert_eq!(roster.people, people);
    assert_eq!(
        roster.problems,
        [
            "who is next on ops: server answered 500: /v2/schedules/ops/next-on-calls: Internal error"
        ]
    );
    server.verify().await;
}

#[tokio::test]
async fn without_the_timeline_nobody_is_given_a_time_they_were_not_told() {
    let server = MockServer::start().await;
    let shifts = Shifts::new();
    answer(&server, "on-calls", shifts.on_calls()).await;
    answer(&server, "next-on-calls", shifts.next_on_calls()).await;
    answer(&server, "timeline", oops()).await;
    let roster = source(&server).schedule_roster("ops").await.unwrap();
    // Bob comes on next, but from when is not known: he cannot be listed as next.
    assert_eq!(rows(&roster.people), [("ann@example.com", None, None)]);
    assert_eq!(roster.problems.len(), 1);
    assert!(roster.problems[0].starts_with("when shifts change on ops: server answered 500"));
}

#[tokio::test]
async fn a_failed_on_calls_is_a_failed_roster() {
    let server = MockServer::start().await;
    let shifts = Shifts::new();
    answer(&server, "on-calls", oops()).await;
    answer(&server, "next-on-calls", shifts.next_on_calls()).await;
    answer(&server, "timeline", shifts.timeline()).await;
    match source(&server).oncall().await.unwrap_err() {
        ProviderError::Status { code: 500, body } => {
            assert_eq!(body, "/v2/schedules/ops/on-calls: Internal error");
        }
        other => panic!("expected a 500, got {other:?}"),
    }
}
