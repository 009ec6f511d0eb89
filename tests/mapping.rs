#![allow(clippy::unwrap_used)] // Tests: a failure here is a failed test.
//! One outage, three providers: the same incident as PagerDuty, Opsgenie and Alertmanager
//! each describe it becomes the same row in the cockpit (title, severity, status, service,
//! team, when it opened, and the alert name where the provider carries it).

use chrono::{DateTime, Utc};
use pagerdeck::config::Config;
use pagerdeck::incident::{Incident, Severity, Status};
use pagerdeck::sources;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TITLE: &str = "checkout-api 5xx error rate above 5%";
const OPENED: &str = "2026-11-22T03:01:00Z";

/// The fields every provider can say, as the screen shows them.
#[derive(Debug, PartialEq)]
struct Row {
    title: String,
    severity: Severity,
    status: Status,
    service: String,
    team: Option<String>,
    opened_at: DateTime<Utc>,
}

fn row(incident: &Incident) -> Row {
    Row {
        title: incident.title.clone(),
        severity: incident.severity,
        status: incident.status,
        service: incident.service.clone(),
        team: incident.team.clone(),
        opened_at: incident.opened_at,
    }
}

async fn serve(route: &str, body: serde_json::Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(route))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    server
}

async fn incidents_of(config: &str) -> Vec<Incident> {
    let config: Config = toml::from_str(config).unwrap();
    let source = sources::build(&config.sources[0], &config, "Ana Ops", Utc::now()).unwrap();
    source.incidents().await.unwrap()
}

#[tokio::test]
async fn the_same_incident_from_each_provider_is_the_same_row() {
    let pagerduty = serve(
        "/incidents",
        json!({"incidents": [{
            "id": "Q1ABC", "incident_number": 4711, "title": TITLE, "status": "triggered",
            "urgency": "high", "priority": {"id": "P1X", "summary": "P1"},
            "created_at": OPENED,
            "service": {"id": "PSVC", "summary": "checkout-api"},
            "teams": [{"id": "PTEAM", "summary": "payments"}]
        }], "limit": 100, "offset": 0, "more": false}),
    )
    .await;
    let opsgenie = serve(
        "/v2/alerts",
        json!({"data": [{
            "id": "8418d193", "tinyId": "42", "message": TITLE, "status": "open",
            "acknowledged": false, "snoozed": false, "priority": "P1",
            "createdAt": OPENED,
            "tags": ["service:checkout-api", "team:payments", "alertname:HighErrorRate"]
        }], "paging": {}}),
    )
    .await;
    let alertmanager = serve(
        "/api/v2/alerts",
        json!([{
            "labels": {"alertname": "HighErrorRate", "service": "checkout-api",
                       "severity": "critical", "team": "payments"},
            "annotations": {"summary": TITLE},
            "startsAt": OPENED, "endsAt": "2026-11-22T05:01:00Z", "updatedAt": OPENED,
            "generatorURL": "http://prometheus:9090/graph?g0.expr=up", "fingerprint": "f1",
            "receivers": [{"name": "team"}],
            "status": {"state": "active", "silencedBy": [], "inhibitedBy": []}
        }]),
    )
    .await;

    let pd = incidents_of(&format!(
        "[[sources]]\nname = \"pd\"\nkind = \"pagerduty\"\ntoken_cmd = \"echo t\"\nbase_url = \"{}\"\n",
        pagerduty.uri()
    ))
    .await;
    let og = incidents_of(&format!(
        "[[sources]]\nname = \"og\"\nkind = \"opsgenie\"\ntoken_cmd = \"echo t\"\nbase_url = \"{}\"\n",
        opsgenie.uri()
    ))
    .await;
    let am = incidents_of(&format!(
        "[[sources]]\nname = \"prod\"\nkind = \"alertmanager\"\nurls = [\"{}\"]\n",
        alertmanager.uri()
    ))
    .await;

    let expected = Row {
        title: TITLE.into(),
        severity: Severity::Critical,
        status: Status::Triggered,
        service: "checkout-api".into(),
        team: Some("payments".into()),
        opened_at: OPENED.parse().unwrap(),
    };
    for (provider, incidents) in [("PagerDuty", &pd), ("Opsgenie", &og), ("Alertmanager", &am)] {
        assert_eq!(incidents.len(), 1, "{provider}: {incidents:?}");
        assert_eq!(row(&incidents[0]), expected, "{provider}");
    }
    // The alert's name finds the playbook section: Alertmanager has it as a label,
    // Opsgenie as a tag; PagerDuty only in Alertmanager-style titles (unit-tested there).
    assert_eq!(am[0].alert.as_deref(), Some("HighErrorRate"));
    assert_eq!(og[0].alert.as_deref(), Some("HighErrorRate"));
    // Each keeps its own key and a way back to the provider.
    assert_eq!(pd[0].key.to_string(), "pd:Q1ABC");
    assert_eq!(og[0].key.to_string(), "og:8418d193");
    assert_eq!(am[0].key.to_string(), "prod:HighErrorRate/checkout-api");
}
