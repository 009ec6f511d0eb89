#![allow(clippy::unwrap_used)] // Tests: a failure here is a failed test.
//! The PagerDuty source against a scripted server: every page of active incidents, the
//! exact query and headers, each failure as an error a person can act on (and never the
//! token), and history and on-call mapped for the screen.

#[path = "support/pagerduty.rs"]
mod pagerduty;

use std::time::Duration;

use pagerdeck::incident::{IncidentKey, LevelTwoAnswer, Severity, Status};
use pagerdeck::providers::{ProviderError, Source, Verb};
use pagerduty::{
    FROM, TOKEN, incidents_answer, page, queries, settings, source, started, tokenless,
};
use serde_json::json;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, ResponseTemplate};

#[tokio::test]
async fn every_page_of_active_incidents_is_read() {
    let (server, source) = started().await;
    for (offset, ids, more) in [
        ("0", vec!["P1", "P2"], true),
        ("100", vec!["P3", "P4"], true),
        ("200", vec!["P5"], false),
    ] {
        let incidents: Vec<_> = ids.iter().map(|id| json!({"id": id})).collect();
        Mock::given(method("GET"))
            .and(path("/incidents"))
            .and(query_param("offset", offset))
            .respond_with(page(json!(incidents), more))
            .expect(1)
            .mount(&server)
            .await;
    }
    let incidents = source.incidents().await.unwrap();
    let ids: Vec<&str> = incidents.iter().map(|i| i.key.id.as_str()).collect();
    assert_eq!(ids, ["P1", "P2", "P3", "P4", "P5"]);
    let offsets: Vec<String> = queries(&server, "/incidents")
        .await
        .iter()
        .filter_map(|q| {
            q.iter()
                .find(|(k, _)| k == "offset")
                .map(|(_, v)| v.clone())
        })
        .collect();
    assert_eq!(offsets, ["0", "100", "200"]);
}

#[tokio::test]
async fn a_server_that_always_says_more_does_not_loop_forever() {
    let (server, source) = started().await;
    incidents_answer(&server, page(json!([{"id": "PT4KHLK"}]), true)).await;
    let incidents = source.incidents().await.unwrap();
    assert_eq!(incidents.len(), 1);
    assert_eq!(
        queries(&server, "/incidents").await.len(),
        2,
        "stops when nothing is new"
    );
}

#[tokio::test]
async fn the_listing_asks_for_all_active_incidents_with_filters_and_the_right_headers() {
    let server = wiremock::MockServer::start().await;
    let source = source(pagerdeck::providers::pagerduty::Settings {
        service_ids: vec!["PSVC1".into(), "PSVC2".into()],
        team_ids: vec!["PTEAM".into()],
        urgencies: vec!["high".into()],
        ..settings(&server.uri())
    });
    incidents_answer(&server, page(json!([]), false)).await;
    source.incidents().await.unwrap();
    let asked = queries(&server, "/incidents").await;
    let expected: Vec<(String, String)> = [
        ("statuses[]", "triggered"),
        ("statuses[]", "acknowledged"),
        ("date_range", "all"),
        ("limit", "100"),
        ("offset", "0"),
        ("include[]", "services"),
        ("include[]", "assignees"),
        ("include[]", "priorities"),
        ("service_ids[]", "PSVC1"),
        ("service_ids[]", "PSVC2"),
        ("team_ids[]", "PTEAM"),
        ("urgencies[]", "high"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    assert_eq!(asked, [expected]);
    let request = &server.received_requests().await.unwrap()[0];
    let header = |name: &str| {
        request
            .headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
    };
    assert_eq!(
        header("authorization"),
        Some(format!("Token token={TOKEN}"))
    );
    assert_eq!(
        header("accept").as_deref(),
        Some("application/vnd.pagerduty+json;version=2")
    );
    assert_eq!(header("content-type").as_deref(), Some("application/json"));
    assert_eq!(header("from"), None, "reads are not from anyone");
}

#[tokio::test]
async fn a_write_carries_the_same_headers_and_from() {
    let (server, source) = started().await;
    Mock::given(method("PUT"))
        .and(path("/incidents/PX"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"incident": {"id": "PX"}})))
        .mount(&server)
        .await;
    source
        .perform(&IncidentKey::new("pd", "PX"), &Verb::Resolve)
        .await
        .unwrap();
    let request = &server.received_requests().await.unwrap()[0];
    let header = |name: &str| {
        request
            .headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
    };
    assert_eq!(
        header("authorization"),
        Some(format!("Token token={TOKEN}"))
    );
    assert_eq!(
        header("accept").as_deref(),
        Some("application/vnd.pagerduty+json;version=2")
    );
    assert_eq!(header("content-type").as_deref(), Some("application/json"));
    assert_eq!(header("from").as_deref(), Some(FROM));
    assert_eq!(request.headers.get_all("content-type").iter().count(), 1);
}

#[tokio::test]
async fn a_rate_limit_says_how_long_to_wait_and_the_next_call_goes_through() {
    let (server, source) = started().await;
    Mock::given(method("GET"))
        .and(path("/incidents"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("ratelimit-limit", "960")
                .insert_header("ratelimit-remaining", "0")
                .insert_header("ratelimit-reset", "7")
                .set_body_json(json!({"error": {"code": 2020, "message": "Rate Limit Exceeded"}})),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    incidents_answer(&server, page(json!([{"id": "P1"}]), false)).await;
    let error = tokenless(source.incidents().await.unwrap_err());
    assert_eq!(
        error,
        ProviderError::RateLimited {
            retry_after_secs: Some(7)
        }
    );
    assert_eq!(source.incidents().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_rejected_token_names_the_source_and_where_the_token_comes_from() {
    for code in [401, 403] {
        let (server, source) = started().await;
        let body = json!({"error": {"code": 2006, "message": "Invalid Credentials"}});
        incidents_answer(&server, ResponseTemplate::new(code).set_body_json(body)).await;
        let error = tokenless(source.incidents().await.unwrap_err());
        assert_eq!(
            error.to_string(),
            "token rejected for pd: check PAGERDUTY_TOKEN",
            "{code}"
        );
    }
}

#[tokio::test]
async fn a_server_error_names_the_endpoint_and_never_echoes_the_token() {
    let (server, source) = started().await;
    // A proxy that echoes the request into its error page.
    let page = format!("upstream failed for Authorization: Token token={TOKEN}");
    incidents_answer(&server, ResponseTemplate::new(500).set_body_string(page)).await;
    let error = tokenless(source.incidents().await.unwrap_err());
    let ProviderError::Status { code: 500, body } = &error else {
        panic!("expected a 500, got {error:?}");
    };
    assert!(body.starts_with("/incidents: upstream failed"), "{body}");
    assert!(body.contains("[redacted]"), "{body}");
}

#[tokio::test]
async fn a_slow_server_times_out() {
    let server = wiremock::MockServer::start().await;
    let source = source(pagerdeck::providers::pagerduty::Settings {
        timeout: Duration::from_millis(200),
        ..settings(&server.uri())
    });
    let slow = page(json!([]), false).set_delay(Duration::from_secs(3));
    incidents_answer(&server, slow).await;
    assert_eq!(
        tokenless(source.incidents().await.unwrap_err()),
        ProviderError::Timeout
    );
}

#[tokio::test]
async fn malformed_json_is_a_decode_error_naming_the_endpoint() {
    let (server, source) = started().await;
    let broken = ResponseTemplate::new(200).set_body_string(r#"{"incidents": [{"id": "P1""#);
    incidents_answer(&server, broken).await;
    let error = tokenless(source.incidents().await.unwrap_err());
    let ProviderError::Decode { endpoint, .. } = &error else {
        panic!("expected a decode error, got {error:?}");
    };
    assert_eq!(endpoint, "/incidents");
    assert!(
        error
            .to_string()
            .starts_with("unreadable answer from /incidents"),
        "{error}"
    );
}

#[tokio::test]
async fn an_incident_with_nothing_but_an_id_is_listed_with_defaults() {
    let (server, source) = started().await;
    let bare =
        ResponseTemplate::new(200).set_body_string(r#"{"incidents":[{"id":"PX"}],"more":false}"#);
    incidents_answer(&server, bare).await;
    let incidents = source.incidents().await.unwrap();
    let incident = &incidents[0];
    assert_eq!(incident.key.to_string(), "pd:PX");
    assert_eq!(incident.status, Status::Triggered);
    assert_eq!(incident.severity, Severity::Warning);
    assert_eq!(incident.service, "unknown");
    assert!(incident.links.is_empty() && incident.labels.is_empty());
}

#[tokio::test]
async fn a_listed_incident_shows_severity_people_and_its_link() {
    let (server, source) = started().await;
    let incident = json!({
        "id": "PT4KHLK", "incident_number": 1234, "status": "acknowledged", "urgency": "low",
        "title": "[FIRING:1] HighErrorRate (checkout-api critical)",
        "created_at": "2015-10-06T21:30:42-05:00",
        "priority": {"id": "PP1", "type": "priority", "name": "P1", "summary": "P1"},
        "service": {"id": "PS", "type": "service", "name": "checkout-api", "summary": "checkout-api"},
        "teams": [{"id": "PT", "type": "team_reference", "summary": "payments"}],
        "assignments": [{"at": "2015-10-07T02:31:00Z", "assignee": {"id": "PU", "type": "user", "name": "Ana Ops", "summary": "Ana Ops"}}],
        "acknowledgements": [{"at": "2015-10-07T02:40:00Z", "acknowledger": {"id": "PU", "summary": "Ana Ops"}}],
        "html_url": "https://acme.pagerduty.com/incidents/PT4KHLK"
    });
    incidents_answer(&server, page(json!([incident]), false)).await;
    let incidents = source.incidents().await.unwrap();
    let incident = &incidents[0];
    assert_eq!(
        incident.severity,
        Severity::Critical,
        "P1 outranks low urgency"
    );
    assert_eq!(incident.status, Status::Acknowledged);
    assert_eq!(incident.alert.as_deref(), Some("HighErrorRate"));
    assert_eq!(
        (
            incident.service.as_str(),
            incident.team.as_deref(),
            incident.assignee.as_deref()
        ),
        ("checkout-api", Some("payments"), Some("Ana Ops"))
    );
    assert_eq!(incident.description, "acknowledged by Ana Ops at 02:40 UTC");
    assert_eq!(
        incident.links[0].url,
        "https://acme.pagerduty.com/incidents/PT4KHLK"
    );
    assert_eq!(
        incident.labels.get("incident_number").map(String::as_str),
        Some("1234")
    );
}

#[tokio::test]
async fn level_twos_answer_to_a_responder_request_is_listed_and_an_odd_one_blanks_nothing() {
    let (server, source) = started().await;
    let asked = |state: &str, who: &str| {
        json!([{"state": state, "user": {"id": "PK", "type": "user_reference", "summary": who},
                "requested_at": "2026-11-22T03:20:00Z",
                "escalation_policy_requests": ["Eng Cap (EP)"]}])
    };
    let incidents = json!([
        {"id": "PJOIN", "incidents_responders": asked("joined", "Kai Lindqvist")},
        {"id": "PNO", "incidents_responders": asked("declined", "Mo Reyes")},
        {"id": "PODD", "incidents_responders": [{"state": ["joined"], "user": 7}, null]},
        {"id": "PWAIT", "incidents_responders": asked("pending", "Lu")},
    ]);
    incidents_answer(&server, page(incidents, false)).await;
    let listed = source.incidents().await.unwrap();
    let answers: Vec<(&str, Option<LevelTwoAnswer>)> = listed
        .iter()
        .map(|i| (i.key.id.as_str(), i.level_two_answer.clone()))
        .collect();
    let by = |name: &str| name.to_string();
    assert_eq!(
        answers,
        [
            (
                "PJOIN",
                Some(LevelTwoAnswer::Taken {
                    by: by("Kai Lindqvist")
                })
            ),
            ("PNO", Some(LevelTwoAnswer::Declined { by: by("Mo Reyes") })),
            ("PODD", None),
            ("PWAIT", None),
        ]
    );
}

#[test]
fn the_settings_never_print_the_token() {
    let shown = format!("{:?}", settings("http://127.0.0.1:9"));
    assert!(!shown.contains(TOKEN), "{shown}");
    assert!(
        shown.contains("PAGERDUTY_TOKEN"),
        "the origin is fine to show: {shown}"
    );
}
