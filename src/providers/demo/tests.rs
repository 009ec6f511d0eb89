//! The demo source: a believable night, and verbs that change it.
use super::*;

fn demo(start: DateTime<Utc>) -> DemoSource {
    DemoSource::new("demo", DemoWorld::embedded().unwrap(), start, "Ana Ops")
}

#[test]
fn the_embedded_demo_is_a_believable_night() {
    let world = DemoWorld::embedded().unwrap();
    let services: std::collections::BTreeSet<_> =
        world.incidents.iter().map(|i| &i.service).collect();
    let teams: std::collections::BTreeSet<_> = world.services.iter().map(|s| &s.team).collect();
    let severities: std::collections::BTreeSet<_> =
        world.incidents.iter().map(|i| i.severity).collect();
    let statuses: std::collections::BTreeSet<_> =
        world.incidents.iter().map(|i| i.status.name()).collect();
    assert!(world.incidents.len() >= 6);
    assert!(services.len() >= 3 && teams.len() >= 2);
    assert!(severities.len() >= 3 && statuses.len() >= 2);
    assert!(world.services.iter().all(|s| !s.signals.is_empty()));
    // Every team has an index playbook and every service is named by one.
    for (path, text) in DEMO_PLAYBOOKS {
        assert!(text.starts_with("+++"), "{path} has no front matter");
    }
}

#[test]
fn a_new_incident_arrives_within_a_minute() {
    let start = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
    let source = demo(start);
    let before = source.incidents_at(start).len();
    let after = source.incidents_at(start + TimeDelta::seconds(60)).len();
    assert_eq!(after, before + 1);
}

#[tokio::test]
async fn acknowledge_changes_the_status_and_assignee() {
    let start = Utc::now();
    let source = demo(start);
    let key = IncidentKey::new("demo", "INC-1042");
    source.perform(&key, &Verb::acknowledge()).await.unwrap();
    let incident = source
        .incidents()
        .await
        .unwrap()
        .into_iter()
        .find(|i| i.key == key)
        .unwrap();
    assert_eq!(incident.status, Status::Acknowledged);
    assert_eq!(incident.assignee.as_deref(), Some("Ana Ops"));
    let missing = IncidentKey::new("demo", "NOPE");
    assert!(matches!(
        source.perform(&missing, &Verb::acknowledge()).await,
        Err(ProviderError::NotFound(_))
    ));
}

#[test]
fn the_error_rate_climbs_while_you_watch() {
    let start = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
    let source = demo(start);
    let window = |end: DateTime<Utc>| Window {
        start: end - TimeDelta::minutes(30),
        end,
    };
    let now = source.series_at("checkout-api", window(start), 15);
    let later = source.series_at("checkout-api", window(start + TimeDelta::minutes(3)), 15);
    let latest = |s: &[Series]| s[0].latest().unwrap();
    assert_eq!(now[0].name, "error rate");
    assert!(latest(&later) > latest(&now), "error rate should climb");
    assert!(now[0].points.len() >= 100);
}

#[tokio::test]
async fn unack_snooze_and_resolve_change_what_the_demo_reports() {
    let source = demo(Utc::now());
    let key = IncidentKey::new("demo", "INC-1042");
    let find = |incidents: Vec<Incident>| incidents.into_iter().find(|i| i.key == key).unwrap();
    source.perform(&key, &Verb::acknowledge()).await.unwrap();
    source.perform(&key, &Verb::Unacknowledge).await.unwrap();
    let back = find(source.incidents().await.unwrap());
    assert_eq!((back.status, back.assignee), (Status::Triggered, None));
    source
        .perform(&key, &Verb::Snooze { seconds: 1800 })
        .await
        .unwrap();
    let snoozed = find(source.incidents().await.unwrap());
    assert_eq!(snoozed.status, Status::Acknowledged);
    assert!(
        snoozed.description.starts_with("snoozed by Ana Ops until "),
        "{}",
        snoozed.description
    );
    source.perform(&key, &Verb::Resolve).await.unwrap();
    assert_eq!(
        find(source.incidents().await.unwrap()).status,
        Status::Resolved
    );
}

#[tokio::test]
async fn the_demos_level_two_takes_an_escalation_a_little_later() {
    let start = Utc::now();
    let source = demo(start);
    let key = IncidentKey::new("demo", "INC-1042");
    let verb = Verb::Escalate {
        to: "Eng Cap".into(),
        message: Some("need you".into()),
        route: None,
        playbook_route: None,
    };
    source.perform(&key, &verb).await.unwrap();
    let find = |at: DateTime<Utc>| {
        source
            .incidents_at(at)
            .into_iter()
            .find(|i| i.key == key)
            .unwrap()
    };
    let now = Utc::now();
    let soon = find(now + TimeDelta::seconds(5));
    assert_eq!(soon.escalated_to.as_deref(), Some("Eng Cap"));
    assert_ne!(soon.assignee.as_deref(), Some("Kai Lindqvist"));
    let later = find(now + TimeDelta::seconds(LEVEL_TWO_TAKES_SECONDS + 1));
    assert_eq!(later.assignee.as_deref(), Some("Kai Lindqvist"));
    assert_eq!(later.status, Status::Acknowledged);
    // The hand-over is kept with the incident's notes.
    let history = source.history(&key).await.unwrap();
    assert_eq!(history.notes.last().unwrap().text, "need you");
}
