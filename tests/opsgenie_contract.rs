#![allow(clippy::unwrap_used)] // Tests: a failure here is a failed test.
//! The Opsgenie source against Opsgenie's own API spec: every read and every write it
//! sends must be a request the spec accepts. Stoplight Prism validates each one (a wrong
//! path, parameter or body is a 4xx with its report), and answers request status with
//! `isSuccess: true`, so each verb must come back `Ok`. Reads must come back `Ok` too, and
//! the mock's generated data must come out as rows.

#[path = "support/prism.rs"]
mod prism;

use std::time::Duration;

use pagerdeck::incident::IncidentKey;
use pagerdeck::providers::opsgenie::{Opsgenie, ScheduleIdentifier, Settings};
use pagerdeck::providers::token::Secret;
use pagerdeck::providers::{ProviderError, Responder, ResponderKind, Source, Verb};

const SPEC: &str = "opsgenie-swagger.prism-patched.json";

fn mock() -> &'static prism::Prism {
    prism::shared(SPEC)
}

fn source() -> Opsgenie {
    Opsgenie::new(Settings {
        name: "og".into(),
        base_url: mock().url.clone(),
        token: Secret::new("contract-test-key"),
        token_origin: "OPSGENIE_KEY".into(),
        user: Some("ann@example.com".into()),
        timeout: Duration::from_secs(20),
        connect_timeout: Duration::from_secs(5),
        query: "status:open".into(),
        schedules: vec!["ops".into()],
        escalation: Some("Eng Cap escalation".into()),
        request_poll: Duration::from_millis(20),
        request_attempts: 5,
    })
    .unwrap()
}

/// `Ok`, or a failure that shows the error and what the mock said about the request.
fn accepted<T>(what: &str, result: Result<T, ProviderError>) -> T {
    result.unwrap_or_else(|error| {
        panic!(
            "{what}: {error} ({error:?})\n--- prism ---\n{}",
            mock().report()
        )
    })
}

async fn perform(verb: Verb) {
    let key = IncidentKey::new("og", "8418d193-2dab-4490-b331-8c02cdd196b7");
    let what = verb.describe();
    accepted(&what, source().perform(&key, &verb).await);
}

fn responder(kind: ResponderKind, id: &str) -> Verb {
    Verb::AddResponder {
        to: Responder {
            kind,
            id: id.into(),
        },
        message: "join the bridge please".into(),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_mock_refuses_what_the_spec_forbids() {
    // Without this, a mock that accepted anything would let every test below pass.
    let url = format!(
        "{}/v2/alerts/8418d193-2dab-4490-b331-8c02cdd196b7/snooze?identifierType=id",
        mock().url
    );
    let response = reqwest::Client::new()
        .post(url)
        .header("Authorization", "GenieKey contract-test-key")
        .json(&serde_json::json!({"source": "pagerdeck", "note": "no endTime"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 422, "{}", mock().report());
}

#[tokio::test(flavor = "multi_thread")]
async fn incidents_are_listed() {
    let incidents = accepted("incidents", source().incidents().await);
    assert!(!incidents.is_empty(), "the spec's example alert");
    assert!(incidents.iter().all(|i| i.key.source == "og"));
}

#[tokio::test(flavor = "multi_thread")]
async fn history_is_read() {
    let key = IncidentKey::new("og", "8418d193-2dab-4490-b331-8c02cdd196b7");
    let history = accepted("history", source().history(&key).await);
    assert!(!history.notes.is_empty() && !history.timeline.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn oncall_is_read() {
    accepted("oncall", source().oncall().await);
}

#[tokio::test(flavor = "multi_thread")]
async fn who_is_next_and_when_shifts_change_are_read() {
    // `oncall` shows the people now even when these reads fail: their problems must be none.
    let roster = accepted("schedule roster", source().schedule_roster("ops").await);
    assert!(
        roster.problems.is_empty(),
        "{:?}\n--- prism ---\n{}",
        roster.problems,
        mock().report()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_mock_checks_the_schedule_reads_too() {
    // Else a mock that took any query would let the test above pass.
    for read in ["next-on-calls", "timeline"] {
        let url = format!(
            "{}/v2/schedules/ops/{read}?scheduleIdentifierType=nickname&identifierType=nickname&intervalUnit=fortnights",
            mock().url
        );
        let response = reqwest::Client::new()
            .get(url)
            .header("Authorization", "GenieKey contract-test-key")
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status().as_u16(),
            422,
            "{read}: {}",
            mock().report()
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn who_level_two_is_comes_from_the_escalation_read_by_name() {
    let key = IncidentKey::new("og", "8418d193-2dab-4490-b331-8c02cdd196b7");
    let escalation = Verb::Escalate {
        to: "Eng Cap".into(),
        message: None,
        route: None,
        playbook_route: None,
    };
    let people = accepted(
        "level two",
        source().level_two_oncall(&key, &escalation).await,
    );
    // The spec has no example escalation: Prism makes one rule to the first recipient
    // type it allows, "all", which notifies every user.
    let rows: Vec<(Option<u32>, &str, &str)> = people
        .iter()
        .map(|p| (p.level, p.rota.as_str(), p.who.as_str()))
        .collect();
    assert_eq!(
        rows,
        [(Some(1), "Eng Cap escalation", "all users")],
        "{}",
        mock().report()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_schedule_rule_reads_its_schedule_by_id() {
    // What a rule to a schedule reads: the mock's own escalation has none, so it is asked
    // for directly, by id as a rule names it.
    let schedule = ScheduleIdentifier::Id("4513b7ea-3b91-438f-b7e4-e3e54af9147c".into());
    let roster = accepted(
        "schedule roster by id",
        source()
            .schedule_roster_by(&schedule, "engcap_schedule")
            .await,
    );
    assert!(
        roster.problems.is_empty(),
        "{:?}\n--- prism ---\n{}",
        roster.problems,
        mock().report()
    );
    // Who it holds is not checked: Prism's on-call nests a nameless participant inside
    // each named one, and the people inside are who is listed.
}

#[tokio::test(flavor = "multi_thread")]
async fn the_mock_checks_the_escalation_read_too() {
    // Else a mock that took any identifier type would let the test above pass.
    let url = format!(
        "{}/v2/escalations/Eng%20Cap%20escalation?identifierType=nickname",
        mock().url
    );
    let response = reqwest::Client::new()
        .get(url)
        .header("Authorization", "GenieKey contract-test-key")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 400, "{}", mock().report());
}

#[tokio::test(flavor = "multi_thread")]
async fn acknowledge() {
    perform(Verb::acknowledge()).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn acknowledge_with_a_note() {
    perform(Verb::Acknowledge {
        note: Some("looking".into()),
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn unacknowledge() {
    perform(Verb::Unacknowledge).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn resolve_closes() {
    perform(Verb::Resolve).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn snooze() {
    perform(Verb::Snooze { seconds: 1800 }).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn note() {
    perform(Verb::Note {
        text: "rolled back 4.2.1".into(),
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn escalate() {
    perform(Verb::Escalate {
        to: "Eng Cap".into(),
        message: None,
        route: None,
        playbook_route: None,
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn reassign() {
    perform(Verb::Reassign {
        to: "bob@example.com".into(),
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn add_a_user_responder() {
    perform(responder(ResponderKind::User, "bob@example.com")).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn add_a_team_responder() {
    perform(responder(ResponderKind::Team, "payments")).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn add_an_escalation_responder() {
    perform(responder(ResponderKind::Escalation, "Eng Cap escalation")).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn add_a_schedule_responder() {
    perform(responder(
        ResponderKind::Schedule,
        "4513b7ea-3b91-438f-b7e4-e3e54af9147c",
    ))
    .await;
}
