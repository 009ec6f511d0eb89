#![allow(clippy::unwrap_used)] // Tests: a failure here is a failed test.
//! The PagerDuty source's history and on-call against a scripted server: notes and log
//! entries become the details overlay's record, on-call rows come by policy and level.

#[path = "support/pagerduty.rs"]
mod pagerduty;

use pagerdeck::incident::IncidentKey;
use pagerdeck::providers::Source;
use pagerduty::{queries, settings, source, started};
use serde_json::json;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, ResponseTemplate};

#[tokio::test]
async fn history_is_the_notes_and_the_log_entries_oldest_first() {
    let (server, source) = started().await;
    Mock::given(method("GET"))
        .and(path("/incidents/PX/notes"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"notes": [
            {"id": "N2", "content": "rolled back", "created_at": "2024-05-01T10:20:00Z",
             "user": {"id": "PU", "summary": "Ana Ops"}},
            {"id": "N1", "content": "looking", "created_at": "2024-05-01T06:10:00-04:00",
             "user": null}
        ]})))
        .mount(&server)
        .await;
    for (offset, entries, more) in [
        (
            "0",
            json!([{"id": "L2", "type": "acknowledge_log_entry", "summary": "Acknowledged by Ana Ops",
                      "created_at": "2024-05-01T10:05:00Z", "agent": {"id": "PU", "summary": "Ana Ops"}}]),
            true,
        ),
        (
            "100",
            json!([{"id": "L1", "type": "trigger_log_entry", "summary": "Triggered through the API",
                        "created_at": "2024-05-01T10:00:00Z", "agent": {"id": "PS", "summary": "checkout-api"}}]),
            false,
        ),
    ] {
        Mock::given(method("GET"))
            .and(path("/incidents/PX/log_entries"))
            .and(query_param("is_overview", "true"))
            .and(query_param("offset", offset))
            .respond_with(ResponseTemplate::new(200).set_body_json(
                json!({"log_entries": entries, "limit": 100, "offset": offset, "more": more}),
            ))
            .mount(&server)
            .await;
    }
    let history = source.history(&IncidentKey::new("pd", "PX")).await.unwrap();
    let notes: Vec<(String, &str, Option<&str>)> = history
        .notes
        .iter()
        .map(|n| {
            (
                n.at.format("%H:%M").to_string(),
                n.text.as_str(),
                n.by.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        notes,
        [
            ("10:10".to_string(), "looking", None),
            ("10:20".to_string(), "rolled back", Some("Ana Ops"))
        ]
    );
    let timeline: Vec<(&str, Option<&str>)> = history
        .timeline
        .iter()
        .map(|e| (e.what.as_str(), e.by.as_deref()))
        .collect();
    assert_eq!(
        timeline,
        [
            ("Triggered through the API", Some("checkout-api")),
            ("Acknowledged by Ana Ops", Some("Ana Ops"))
        ]
    );
}

#[tokio::test]
async fn who_is_on_call_by_policy_and_level() {
    let server = wiremock::MockServer::start().await;
    let source = source(pagerdeck::providers::pagerduty::Settings {
        escalation_policy_ids: vec!["PEP1".into(), "PEP2".into()],
        ..settings(&server.uri())
    });
    let row = |policy: &str, level: u32, who: &str, end: serde_json::Value| {
        json!({"escalation_policy": {"id": policy, "summary": policy}, "escalation_level": level,
               "user": {"id": who, "summary": who}, "schedule": null,
               "start": "2024-05-01T00:00:00Z", "end": end})
    };
    Mock::given(method("GET"))
        .and(path("/oncalls"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"oncalls": [
            row("PEP2", 1, "Cy", json!(null)),
            row("PEP1", 2, "Bo", json!("2024-05-02T09:00:00+02:00")),
            row("PEP1", 1, "Ana", json!("2024-05-02T07:00:00Z")),
        ], "limit": 100, "offset": 0, "more": false})))
        .mount(&server)
        .await;
    let people = source.oncall().await.unwrap();
    let rows: Vec<(&str, Option<u32>, &str, Option<String>)> = people
        .iter()
        .map(|p| {
            (
                p.rota.as_str(),
                p.level,
                p.who.as_str(),
                p.until.map(|t| t.to_rfc3339()),
            )
        })
        .collect();
    let until = Some("2024-05-02T07:00:00+00:00".to_string());
    assert_eq!(
        rows,
        [
            ("PEP1", Some(1), "Ana", until.clone()),
            ("PEP1", Some(2), "Bo", until),
            ("PEP2", Some(1), "Cy", None)
        ]
    );
    assert!(people.iter().all(|p| p.source == "pd"));
    let asked = &queries(&server, "/oncalls").await[0];
    let policies: Vec<&str> = asked
        .iter()
        .filter(|(k, _)| k == "escalation_policy_ids[]")
        .map(|(_, v)| v.as_str())
        .collect();
    assert_eq!(policies, ["PEP1", "PEP2"]);
    assert!(asked.contains(&("earliest".into(), "true".into())));
    // The week ahead is asked for, so who is next comes too.
    assert!(asked.iter().any(|(k, _)| k == "until"), "{asked:?}");
    assert!(
        people.iter().all(|p| p.from.is_none()),
        "shifts that began are now"
    );
}
