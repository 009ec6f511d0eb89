//! Reading: every page of alerts, each failure as an error a person can act on, the
//! mapping of a bare alert, the history and who is on call.

use super::*;

#[tokio::test]
async fn every_page_of_alerts_arrives_and_each_offset_is_asked_once() {
    let server = MockServer::start().await;
    let next = |offset: usize| format!("{}/v2/alerts?offset={offset}&limit=100", server.uri());
    for (offset, data, next) in [
        (0, alerts(0, 100), Some(next(100))),
        (100, alerts(100, 200), Some(next(200))),
        (200, alerts(200, 230), None),
    ] {
        Mock::given(method("GET"))
            .and(path("/v2/alerts"))
            .and(query_param("offset", offset.to_string()))
            .respond_with(page(data, next.as_deref()))
            .expect(1)
            .mount(&server)
            .await;
    }
    let incidents = source(&server).incidents().await.unwrap();
    assert_eq!(incidents.len(), 230);
    assert_eq!(incidents[0].key, IncidentKey::new("og", "a0"));
    assert_eq!(incidents[229].title, "alert 229");
    server.verify().await;
}

#[tokio::test]
async fn a_server_that_always_offers_a_next_page_is_not_read_for_ever() {
    // The validating mock answers every offset with the same alerts and a `next` link.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/alerts"))
        .respond_with(page(alerts(0, 100), Some("string")))
        .expect(2)
        .mount(&server)
        .await;
    let incidents = source(&server).incidents().await.unwrap();
    assert_eq!(incidents.len(), 100, "the repeated page adds nobody");
    server.verify().await;
}

#[tokio::test]
async fn the_search_the_sort_and_the_genie_key_are_sent() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/alerts"))
        .and(query_param("query", "status:open AND priority:P1"))
        .and(query_param("limit", "100"))
        .and(query_param("offset", "0"))
        .and(query_param("sort", "createdAt"))
        .and(query_param("order", "desc"))
        .and(header("authorization", format!("GenieKey {KEY}").as_str()))
        .respond_with(page(alerts(0, 1), None))
        .expect(1)
        .mount(&server)
        .await;
    assert_eq!(source(&server).incidents().await.unwrap().len(), 1);
    server.verify().await;
}

#[tokio::test]
async fn a_rate_limit_says_how_long_to_wait_and_the_next_poll_is_served() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/alerts"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("X-RateLimit-State", "THROTTLED")
                .insert_header("X-RateLimit-Period-In-Sec", "60")
                .set_body_json(json!({"message": "You are making too many requests!"})),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    answer_alerts_with(&server, page(alerts(0, 3), None)).await;
    let source = source(&server);
    assert_eq!(
        source.incidents().await.unwrap_err(),
        ProviderError::RateLimited {
            retry_after_secs: Some(60)
        }
    );
    assert_eq!(source.incidents().await.unwrap().len(), 3);
}

#[tokio::test]
async fn a_rejected_key_names_the_source_and_where_the_key_comes_from() {
    for code in [401, 403] {
        let server = MockServer::start().await;
        let refusal = json!({"message": "Key is not valid", "took": 0.0, "requestId": "r"});
        answer_alerts_with(&server, ResponseTemplate::new(code).set_body_json(refusal)).await;
        let error = source(&server).incidents().await.unwrap_err();
        assert_eq!(
            error.to_string(),
            "token rejected for og: check OPSGENIE_KEY",
            "{code}"
        );
    }
}

#[tokio::test]
async fn a_server_error_says_the_code_and_the_endpoint() {
    let server = MockServer::start().await;
    let oops = json!({"message": "Internal error", "took": 0.0, "requestId": "r"});
    answer_alerts_with(&server, ResponseTemplate::new(500).set_body_json(oops)).await;
    match source(&server).incidents().await.unwrap_err() {
        ProviderError::Status { code: 500, body } => {
            assert_eq!(body, "/v2/alerts: Internal error");
        }
        other => panic!("expected a 500, got {other:?}"),
    }
}

#[tokio::test]
async fn a_slow_answer_is_a_timeout() {
    let server = MockServer::start().await;
    let slow = page(alerts(0, 1), None).set_delay(Duration::from_secs(3));
    answer_alerts_with(&server, slow).await;
    let source = Opsgenie::new(Settings {
        timeout: Duration::from_millis(200),
        ..settings(&server.uri())
    })
    .unwrap();
    assert_eq!(
        source.incidents().await.unwrap_err(),
        ProviderError::Timeout
    );
}

#[tokio::test]
async fn malformed_json_is_a_decode_error_naming_the_endpoint() {
    let server = MockServer::start().await;
    let broken =
        ResponseTemplate::new(200).set_body_raw(r#"{"data":[{"id":"a1""#, "application/json");
    answer_alerts_with(&server, broken).await;
    match source(&server).incidents().await.unwrap_err() {
        ProviderError::Decode { endpoint, .. } => assert_eq!(endpoint, "/v2/alerts"),
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn an_alert_of_nothing_but_an_id_shows_with_sensible_defaults() {
    let server = MockServer::start().await;
    let bare =
        ResponseTemplate::new(200).set_body_raw(r#"{"data":[{"id":"a1"}]}"#, "application/json");
    answer_alerts_with(&server, bare).await;
    let incidents = source(&server).incidents().await.unwrap();
    let incident = &incidents[0];
    assert_eq!(incident.key.to_string(), "og:a1");
    assert_eq!(incident.status, Status::Triggered);
    assert_eq!(incident.severity, Severity::Warning);
    assert_eq!(incident.service, "unknown");
    assert_eq!(incident.title, "alert a1");
    assert_eq!((&incident.assignee, &incident.team), (&None, &None));
    assert!(incident.labels.is_empty());
}

#[tokio::test]
async fn history_reads_every_page_of_notes_and_the_log_oldest_first() {
    let server = MockServer::start().await;
    let notes = format!("/v2/alerts/{ALERT_ID}/notes");
    let first_notes: Vec<Value> = (0..100)
        .map(|n| {
            json!({"note": format!("note {n}"), "owner": "ann@example.com",
                        "createdAt": "2030-01-01T10:00:00Z", "offset": format!("o{n}")})
        })
        .collect();
    let next = format!("{}{notes}?offset=o99&direction=next", server.uri());
    Mock::given(method("GET"))
        .and(path(notes.as_str()))
        .and(query_param("identifierType", "id"))
        .and(query_param("order", "asc"))
        .and(query_param_is_missing("offset"))
        .respond_with(page(first_notes, Some(&next)))
        .expect(1)
        .mount(&server)
        .await;
    let last_note = json!({"note": "fixed", "owner": null, "createdAt": "2030-01-01T11:00:00Z"});
    Mock::given(method("GET"))
        .and(path(notes.as_str()))
        .and(query_param("offset", "o99"))
        .respond_with(page(vec![last_note], None))
        .expect(1)
        .mount(&server)
        .await;
    let logs = json!([
        {"log": "Alert created via Prometheus", "owner": "System", "createdAt": "2030-01-01T09:59:00Z"},
        {"log": "Acknowledged", "owner": "ann@example.com", "createdAt": "2030-01-01T10:01:00Z"}
    ]);
    Mock::given(method("GET"))
        .and(path(format!("/v2/alerts/{ALERT_ID}/logs")))
        .and(query_param("order", "asc"))
        .respond_with(page(logs.as_array().unwrap().clone(), None))
        .expect(1)
        .mount(&server)
        .await;
    let history = source(&server).history(&key()).await.unwrap();
    assert_eq!(history.notes.len(), 101);
    assert_eq!(history.notes[0].text, "note 0");
    assert_eq!(history.notes[0].by.as_deref(), Some("ann@example.com"));
    let last = &history.notes[100];
    assert_eq!((last.text.as_str(), last.by.as_deref()), ("fixed", None));
    assert_eq!(last.at.to_rfc3339(), "2030-01-01T11:00:00+00:00");
    let timeline: Vec<&str> = history.timeline.iter().map(|t| t.what.as_str()).collect();
    assert_eq!(timeline, ["Alert created via Prometheus", "Acknowledged"]);
    assert_eq!(history.timeline[0].by.as_deref(), Some("System"));
    server.verify().await;
}

#[tokio::test]
async fn oncall_names_each_person_of_each_schedule() {
    let server = MockServer::start().await;
    let on_call = json!({"data": {"_parent": {"id": "s1", "name": "ops", "enabled": true},
        "onCallParticipants": [
            {"name": "ann@example.com", "type": "user"},
            {"name": "Eng Cap escalation", "type": "escalation", "onCallParticipants": [
                {"name": "bob@example.com", "type": "user"}]}]}});
    Mock::given(method("GET"))
        .and(path("/v2/schedules/ops/on-calls"))
        .and(query_param("scheduleIdentifierType", "name"))
        .and(query_param("flat", "false"))
        .respond_with(ResponseTemplate::new(200).set_body_json(on_call))
        .expect(1)
        .mount(&server)
        .await;
    let people = source(&server).oncall().await.unwrap();
    let who: Vec<(&str, &str, Option<u32>)> = people
        .iter()
        .map(|o| (o.rota.as_str(), o.who.as_str(), o.level))
        .collect();
    assert_eq!(
        who,
        [
            ("ops", "ann@example.com", None),
            ("ops", "bob@example.com", None)
        ]
    );
    assert!(people.iter().all(|o| o.source == "og" && o.until.is_none()));
    server.verify().await;
}

#[tokio::test]
async fn oncall_without_schedules_says_what_to_configure() {
    let source = Opsgenie::new(Settings {
        schedules: Vec::new(),
        ..settings("http://127.0.0.1:9")
    })
    .unwrap();
    assert_eq!(
        source.oncall().await.unwrap_err().to_string(),
        "set schedules = [\"…\"] in the opsgenie source to see who is on call"
    );
}
