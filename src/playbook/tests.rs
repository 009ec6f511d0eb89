//! Matching an incident to its playbook, and reading playbooks.

use super::*;

fn incident(service: &str, alert: &str, team: &str) -> Incident {
    Incident {
        team: Some(team.into()),
        ..crate::testing::incident(service, alert)
    }
}

fn library() -> Library {
    let files = [
        (
            "pay/README.md",
            "+++\nteam = \"pay\"\nservices = [\"api\", \"worker\"]\n+++\n# Pay\n",
        ),
        (
            "pay/api.md",
            "+++\nteam = \"pay\"\nservices = [\"api\"]\nalerts = [\"HighErrorRate\"]\n+++\n# API\n## HighErrorRate\n",
        ),
        ("pay/disk.md", "+++\nalerts = [\"DiskFull\"]\n+++\n# Disk\n"),
    ];
    Library {
        playbooks: files
            .iter()
            .map(|(p, t)| Playbook::parse(p, t).unwrap())
            .collect(),
        ..Library::default()
    }
}

#[test]
fn the_config_names_the_team_when_the_source_does_not() {
    let mut lib = library();
    let mut orphan = incident("worker-2", "Other", "x");
    orphan.team = None;
    assert!(lib.find(&orphan).is_none());
    lib.service_teams.insert("worker-2".into(), "pay".into());
    assert_eq!(
        lib.find(&orphan).unwrap().rule,
        MatchRule::Team("pay".into())
    );
}

#[test]
fn matching_goes_alert_then_service_then_team() {
    let lib = library();
    let m = lib.find(&incident("worker", "DiskFull", "pay")).unwrap();
    assert_eq!(
        (m.index, m.rule.to_string()),
        (2, "matched by alert DiskFull".into())
    );
    let m = lib.find(&incident("api", "Other", "pay")).unwrap();
    assert_eq!((m.index, &m.rule), (1, &MatchRule::Service("api".into())));
    // The README lists "worker" as a service, so it is found by service.
    let m = lib.find(&incident("worker", "Other", "pay")).unwrap();
    assert_eq!(m.index, 0);
    let m = lib.find(&incident("unknown", "Other", "pay")).unwrap();
    assert_eq!(m.rule, MatchRule::Team("pay".into()));
    assert!(lib.find(&incident("unknown", "Other", "nobody")).is_none());
}

#[test]
fn the_alerts_own_section_is_the_anchor() {
    let m = library()
        .find(&incident("api", "HighErrorRate", "pay"))
        .unwrap();
    assert_eq!(m.anchor.as_deref(), Some("HighErrorRate"));
}

#[test]
fn broken_front_matter_is_an_error_not_a_panic() {
    assert!(Playbook::parse("x.md", "+++\nteam = \n+++\n").is_err());
    assert!(Playbook::parse("x.md", "+++\nteam = \"a\"\n").is_err());
    assert_eq!(
        Playbook::parse("x.md", "# no front matter").unwrap().body,
        "# no front matter"
    );
}

#[test]
fn the_body_line_counts_the_front_matter() {
    let toml = Playbook::parse("a.md", "+++\nteam = \"a\"\n+++\n\n# A\n").unwrap();
    assert_eq!((toml.body.as_str(), toml.body_line), ("# A\n", 5));
    assert_eq!(Playbook::parse("b.md", "# B\n").unwrap().body_line, 1);
    let (broken, problem) = Playbook::parse_lenient("c.md", "---\nteam: [\n---\n# C\n");
    assert!(problem.is_some());
    assert_eq!(broken.body_line, 1, "the whole file is the body");
}

#[test]
fn every_demo_playbook_parses() {
    for (path, text) in crate::providers::demo::DEMO_PLAYBOOKS {
        let playbook = Playbook::parse(path, text).unwrap();
        assert!(playbook.team.is_some(), "{path} names no team");
    }
}

#[test]
fn a_relative_link_is_read_as_lint_reads_it() {
    let lib = library();
    assert_eq!(
        lib.linked(0, "api.md?plain=1#HighErrorRate"),
        Some((1, Some("HighErrorRate".into())))
    );
    assert_eq!(lib.linked(1, "../pay/./disk.md"), Some((2, None)));
    assert_eq!(
        lib.linked(1, "di%73k.md"),
        Some((2, None)),
        "percent-decoded"
    );
    assert_eq!(lib.linked(1, "../../disk.md"), None, "above the folder");
    assert_eq!(lib.linked(1, "https://x/pay/disk.md"), None);
}
