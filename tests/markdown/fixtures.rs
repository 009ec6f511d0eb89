//! Real teams' playbooks (tests/fixtures/playbooks): long, with front matter, tables,
//! nested lists, shell/SQL/YAML, dashboards and task-list steps per alert.

use std::collections::BTreeMap;
use std::path::PathBuf;

use pagerdeck::incident::{Incident, IncidentKey, Severity, Status};
use pagerdeck::markdown::{Document, plain, render};
use pagerdeck::playbook::{Library, Playbook};

use crate::show::{assert_clean, assert_clean_buffer, assert_fits, settings, show};

fn folder() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/playbooks")
}

/// Every fixture, parsed: (file name, playbook).
fn fixtures() -> Vec<(String, Playbook)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    let playbooks: Vec<(String, Playbook)> = files
        .iter()
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(path).unwrap();
            let playbook = Playbook::parse(&name, &text).unwrap();
            (name, playbook)
        })
        .collect();
    assert!(playbooks.len() >= 4, "fixtures missing: {playbooks:?}");
    playbooks
}

#[test]
fn every_fixture_fits_every_width_with_its_headings_and_each_alerts_steps() {
    for (name, playbook) in fixtures() {
        assert!(
            playbook.team.is_some(),
            "{name}: front matter names no team"
        );
        assert!(playbook.alerts.len() >= 2, "{name}: {:?}", playbook.alerts);
        let document = Document::parse(&playbook.body);
        for width in [40, 80, 100, 160] {
            let what = format!("{name} at {width}");
            let rendered = render(&playbook.body, width);
            assert_fits(&rendered, width, &what);
            assert_clean(&rendered, &what);
            assert_clean_buffer(&rendered, width, &what);
            // Parsed once and laid out again (a resize) is the same as rendering anew.
            assert_eq!(document.layout(width), rendered, "{what}");
            assert!(
                rendered.headings.len() >= 4,
                "{what}: {:?}",
                rendered.headings
            );
            assert_eq!(rendered.headings[0].level, 1, "{what}");
            for alert in &playbook.alerts {
                let heading = rendered.heading_named(alert);
                assert!(heading.is_some(), "{what}: no section for {alert}");
                let steps = rendered.steps(Some(alert));
                assert!(!steps.is_empty(), "{what}: no steps for {alert}");
                // Each step is named by its own text and shown on its line.
                for &step in &steps {
                    let item = &rendered.items[step];
                    assert!(!item.text.is_empty(), "{what}: {alert} step {step}");
                    let first_word = item.text.split_whitespace().next().unwrap();
                    let line = plain(&rendered.lines[item.line]);
                    assert!(line.contains(first_word), "{what}: {line:?} / {item:?}");
                }
            }
            assert!(!rendered.links.is_empty(), "{what}: dashboards are links");
        }
    }
}

#[test]
fn a_steps_code_is_copied_whole_however_narrow_the_pane() {
    let (_, playbook) = fixtures()
        .into_iter()
        .find(|(name, _)| name == "tls-certificate-expiry.md")
        .unwrap();
    let rendered = render(&playbook.body, 40);
    let steps = rendered.steps(Some("CertificateRenewalFailed"));
    let last = &rendered.items[*steps.last().unwrap()];
    assert_eq!(last.code.len(), 1);
    let code = &last.code[0];
    // All of it, tabs kept for the shell, though the pane shows each line cut.
    assert!(code.starts_with("for p in $(kubectl -n edge get pods"));
    assert!(code.contains(
        "\n\tkubectl -n edge exec \"$p\" -- curl -s localhost:9901/certs \\\n\t\t| jq -r"
    ));
    assert!(code.ends_with("done"));
    let shown: Vec<String> = rendered.lines.iter().map(plain).collect();
    assert!(
        shown
            .iter()
            .any(|l| l.starts_with("  │     kubectl -n edge exec") && l.ends_with('…'))
    );
}

#[test]
fn the_library_opens_each_alert_at_its_own_section() {
    let (library, problems) = Library::assemble(&[folder()], false, BTreeMap::new());
    assert!(problems.is_empty(), "{problems:?}");
    for (_, playbook) in fixtures() {
        for alert in &playbook.alerts {
            let incident = Incident {
                key: IncidentKey::new("test", alert.as_str()),
                source: "test".into(),
                title: alert.clone(),
                severity: Severity::High,
                status: Status::Triggered,
                service: "not in any front matter".into(),
                team: None,
                alert: Some(alert.clone()),
                opened_at: pagerdeck::testing::frozen_now(),
                assignee: None,
                escalated_to: None,
                level_two_answer: None,
                description: String::new(),
                labels: BTreeMap::new(),
                links: Vec::new(),
            };
            let found = library.find(&incident).unwrap();
            assert_eq!(found.anchor.as_deref(), Some(alert.as_str()));
            assert!(library.step_total(&found) > 0, "{alert}");
        }
    }
}

#[test]
fn kafka_consumer_lag_at_80() {
    let (_, playbook) = fixtures()
        .into_iter()
        .find(|(name, _)| name == "kafka-consumer-lag.md")
        .unwrap();
    let rendered = render(&playbook.body, 80);
    let mut settings = settings("tests/fixtures/playbooks/kafka-consumer-lag.md");
    settings.set_description("tests/fixtures/playbooks/kafka-consumer-lag.md at width 80");
    settings.bind(|| insta::assert_snapshot!(show(&rendered, 80)));
}
