//! A realistic Alertmanager incident to page level two for, and what is said with it.
#![allow(dead_code)] // Shared by several test crates; each uses part of it.

use pagerdeck::incident::{Incident, IncidentKey, Link, Severity, Status};
use pagerdeck::providers::paging::Page;

/// What the person on call hands over.
pub const HAND_OVER: &str = "5xx at 7% since 02:51, right after deploy 4812; rolling back did not help. Bridge: https://meet.example.com/inc-4812";

pub const RUNBOOK: &str =
    "https://github.com/acme/playbooks/blob/main/payments/checkout-api.md#higherrorrate";

/// Two instances of HighErrorRate on checkout-api, grouped, as the source maps them.
pub fn incident() -> Incident {
    Incident {
        key: IncidentKey::new("prod", "HighErrorRate/checkout-api"),
        source: "prod".into(),
        title: "checkout-api 5xx above 5% (2 alerts)".into(),
        severity: Severity::Critical,
        status: Status::Triggered,
        service: "checkout-api".into(),
        team: Some("payments".into()),
        alert: Some("HighErrorRate".into()),
        opened_at: "2025-03-04T02:51:07Z".parse().unwrap(),
        assignee: None,
        escalated_to: None,
        level_two_answer: None,
        description: String::new(),
        labels: [
            ("alertname", "HighErrorRate"),
            ("service", "checkout-api"),
            ("team", "payments"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect(),
        links: vec![
            Link {
                title: "Prometheus expression".into(),
                url: "http://prometheus:9090/graph?g0.expr=up".into(),
            },
            Link {
                title: "runbook".into(),
                url: RUNBOOK.into(),
            },
        ],
    }
}

/// Ana Ops pages Eng Cap for `incident`, with the hand-over.
pub fn page(incident: &Incident) -> Page<'_> {
    Page {
        incident,
        level_two: "Eng Cap",
        hand_over: Some(HAND_OVER),
        escalated_by: "Ana Ops",
    }
}
