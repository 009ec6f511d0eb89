use std::path::Path;

use super::*;

fn playbook(file: &str, text: &str) -> Playbook {
    Playbook {
        file: Some(PathBuf::from(file)),
        ..Playbook::parse(file, text).unwrap()
    }
}

fn team() -> Vec<Playbook> {
    vec![
        playbook(
            "pb/README.md",
            "+++\nteam = \"pay\"\n+++\n# Pay\n\nSee [the API](api.md#higherrorrate).\n",
        ),
        playbook(
            "pb/api.md",
            "+++\nteam = \"pay\"\nservices = [\"api\"]\nalerts = [\"HighErrorRate\"]\n+++\n\
             # API\n\n## HighErrorRate\n\n- [ ] look at [the deploy](#high-error-rate)\n\
             - [ ] read [notes](notes/x.md) and [back](./README.md#pay) and [web](https://x.io/y.md)\n\
             - [ ] then [the worker](worker.md#nope) or [steps](#HighErrorRate)\n",
        ),
        playbook("pb/worker.md", "# Worker\n\nJust prose, no steps.\n"),
    ]
}

fn on_disk(path: &Path) -> bool {
    ["pb/README.md", "pb/api.md", "pb/worker.md"]
        .iter()
        .any(|f| Path::new(f) == path)
}

fn run(
    playbooks: &[Playbook],
    services: Option<Vec<ConfiguredService>>,
    alerts: &[AlertRule],
) -> Report {
    let problems = check(&Inputs {
        playbooks,
        exists: &on_disk,
        services: services.map(|s| ("pagerdeck.toml".to_string(), s)),
        alerts,
    });
    Report::new(playbooks.len(), problems)
}

fn lines(report: &Report) -> Vec<String> {
    report
        .problems
        .iter()
        .map(|p| format!("{}:{:?} {:?}", p.file, p.line, p.kind))
        .collect()
}

#[test]
fn broken_links_and_anchors_are_found_at_their_lines_and_good_ones_pass() {
    let report = run(&team(), None, &[]);
    assert_eq!(
        lines(&report),
        [
            // Front matter is 5 lines, the body starts on line 6.
            "pb/api.md:Some(10) BrokenAnchor",
            "pb/api.md:Some(11) BrokenLink",
            "pb/api.md:Some(12) BrokenAnchor",
            "pb/worker.md:None NoSteps",
        ]
    );
    let messages: Vec<_> = report.problems.iter().map(|p| p.message.as_str()).collect();
    assert!(messages[0].contains("`#high-error-rate`"), "{messages:?}");
    assert!(
        messages[1].contains("`notes/x.md`: no such file"),
        "{messages:?}"
    );
    assert!(
        messages[2].contains("worker.md has no heading"),
        "{messages:?}"
    );
    assert_eq!((report.errors, report.warnings), (3, 1));
}

#[test]
fn a_team_index_needs_no_steps() {
    let report = run(&team()[..1], None, &[]);
    assert!(
        !report.problems.iter().any(|p| p.kind == Kind::NoSteps),
        "{report:?}"
    );
}

#[test]
fn services_are_covered_by_front_matter_or_their_teams_index() {
    let service = |name: &str, team: Option<&str>, line| ConfiguredService {
        name: name.into(),
        team: team.map(str::to_string),
        line: Some(line),
    };
    let services = vec![
        service("api", None, 3),
        service("billing", Some("pay"), 6),
        service("search", Some("storefront"), 9),
        service("orphan", None, 12),
    ];
    let report = run(&team(), Some(services), &[]);
    let uncovered: Vec<_> = report
        .problems
        .iter()
        .filter(|p| p.kind == Kind::ServiceWithoutPlaybook)
        .map(|p| (p.file.as_str(), p.line, p.message.as_str()))
        .collect();
    assert_eq!(uncovered.len(), 2, "{uncovered:?}");
    assert_eq!(uncovered[0].0, "pagerdeck.toml");
    assert_eq!(uncovered[0].1, Some(9));
    assert!(uncovered[0].2.starts_with("service search has no playbook"));
    assert!(uncovered[0].2.contains("team storefront a README.md"));
    assert!(uncovered[1].2.starts_with("service orphan has no playbook"));
}

#[test]
fn alerts_without_a_playbook_are_reported_once() {
    let rule = |name: &str| AlertRule {
        name: name.into(),
        file: "/etc/prometheus/rules.yml".into(),
    };
    let alerts = [rule("HighErrorRate"), rule("DiskFull"), rule("DiskFull")];
    let report = run(&team(), None, &alerts);
    let uncovered: Vec<_> = report
        .problems
        .iter()
        .filter(|p| p.kind == Kind::AlertWithoutPlaybook)
        .collect();
    assert_eq!(uncovered.len(), 1);
    assert_eq!(uncovered[0].file, "/etc/prometheus/rules.yml");
    assert!(uncovered[0].message.starts_with("alert DiskFull"));
}

#[test]
fn load_problems_keep_their_kind() {
    let broken = load_problem("pb/x.md".into(), "front matter (YAML): bad", false);
    assert_eq!((broken.kind, broken.line), (Kind::FrontMatter, Some(1)));
    let folder = load_problem("nope".into(), "cannot read playbook folder: gone", true);
    assert_eq!(folder.kind, Kind::MissingFolder);
    assert_eq!(folder.severity, Severity::Error);
}

#[test]
fn the_text_report_is_one_line_per_problem_then_the_counts() {
    let report = Report::new(
        1,
        vec![
            Problem::error("b.md", Some(3), Kind::BrokenLink, "x\x1b[31m".into()),
            Problem::error("a.md", None, Kind::Unreadable, "y".into()),
        ],
    );
    assert_eq!(
        report.text(),
        "a.md: error: y\nb.md:3: error: x[31m\nlint: 1 playbook, 2 errors, 0 warnings\n"
    );
}
