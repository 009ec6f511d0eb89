#![allow(clippy::unwrap_used)] // Tests: a failure here is a failed test.
//! Drill scenarios: the bundled ones load and make sense, a team's folder adds its own,
//! a broken file is named with its line and hides nothing else, `drill --list` prints
//! one scenario per line, name first.

use std::path::{Path, PathBuf};

use pagerdeck::drill::list::list;
use pagerdeck::drill::scenario::{self, Scenario};

const BUNDLED: [&str; 3] = ["disk-creep", "orders-outage", "flapping-probe"];

fn bundled(name: &str) -> Scenario {
    scenario::find(name, &[]).unwrap()
}

#[test]
fn every_bundled_scenario_loads_and_its_expectations_name_real_steps() {
    let (scenarios, warnings) = scenario::all(&[]);
    assert!(warnings.is_empty(), "{warnings:?}");
    let names: Vec<&str> = scenarios.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, BUNDLED);
    let kinds: Vec<&str> = scenarios.iter().map(|s| s.kind.as_str()).collect();
    assert_eq!(kinds, ["slow-burn", "outage", "noise"]);
    let demo = pagerdeck::providers::demo::DemoWorld::embedded().unwrap();
    for scenario in &scenarios {
        assert!(!scenario.description.is_empty() && !scenario.description.contains('\n'));
        assert!(scenario.duration_seconds >= 600, "{}", scenario.name);
        assert_eq!(scenario.world.level_two(), Some("Priya Nair"));
        assert_eq!(
            scenario
                .world
                .oncall
                .iter()
                .find(|o| o.level == 2)
                .unwrap()
                .rota,
            "Eng Cap"
        );
        assert!(!scenario.expect.is_empty());
        for expected in &scenario.expect {
            let playbook = expected.playbook.as_deref().unwrap();
            assert!(scenario.playbooks.iter().any(|(path, _)| path == playbook));
            assert!(!expected.steps.is_empty(), "{}", scenario.name);
            assert!(expected.steps.iter().all(|s| !s.text.is_empty()));
            assert!(expected.acknowledge_within_seconds.is_some());
        }
        // The cockpit's library matches the same playbook section the expectations use.
        let library = scenario.library();
        assert_eq!(library.playbooks.len(), scenario.playbooks.len());
        for incident in &scenario.world.incidents {
            assert!(!demo.incidents.iter().any(|d| d.id == incident.id));
            assert!(!demo.services.iter().any(|d| d.name == incident.service));
        }
    }
}

#[test]
fn the_three_kinds_expect_what_their_stories_need() {
    let slow = &bundled("disk-creep").expect[0];
    assert!(!slow.escalate && !slow.not_actionable);
    assert_eq!(slow.section.as_deref(), Some("DiskFillingUp"));
    assert_eq!(
        slow.steps.len(),
        5,
        "steps = \"all\" is every step of the section"
    );
    assert!(slow.steps[1].text.starts_with("List the replication slots"));

    let outage = &bundled("orders-outage").expect[0];
    assert!(outage.escalate && !outage.not_actionable);
    assert_eq!(outage.escalate_within_seconds, Some(15 * 60));
    assert_eq!(outage.acknowledge_within_seconds, Some(3 * 60));
    let numbers: Vec<usize> = outage.steps.iter().map(|s| s.number).collect();
    assert_eq!(numbers, [1, 2, 3, 4]);
    assert!(outage.steps[3].text.starts_with("Restart the pooler pods"));

    let noise = &bundled("flapping-probe").expect[0];
    assert!(noise.not_actionable && !noise.escalate);
}

#[test]
fn an_unknown_name_says_which_drills_exist() {
    let error = scenario::find("disk-crepe", &[]).unwrap_err();
    assert!(error.contains("no drill named `disk-crepe`"), "{error}");
    for name in BUNDLED {
        assert!(error.contains(name), "{error}");
    }
}

const TEAM_SCENARIO: &str = r#"
[drill]
description = "the payments team's own: checkout on fire"
kind = "outage"
duration = "20m"
playbooks = ["playbooks/checkout.md"]

[[expect]]
incident = "PAY-1"
acknowledge_within = "2m"
steps = [2, 1]
escalate = true

[[services]]
name = "pay-api"
team = "payments"

[[services.signals]]
name = "errors"
unit = "percent"
baseline = 0.1
peak = 30.0
shape = "step"
at = "+1m"

[[incidents]]
id = "PAY-1"
title = "pay-api errors"
service = "pay-api"
alert = "PayErrors"
severity = "critical"
status = "triggered"
opened = "+1m"
description = "errors > 5%"

[[oncall]]
rota = "Eng Cap"
level = 2
who = "Sam"
until = "+1d"
"#;

const TEAM_PLAYBOOK: &str = "+++\nalerts = [\"PayErrors\"]\n+++\n# pay-api\n\n## PayErrors\n\n- [ ] look at the deploys\n- [ ] roll back\n";

fn team_folder() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let drills = dir.path().join("drills");
    std::fs::create_dir_all(drills.join("playbooks")).unwrap();
    std::fs::write(drills.join("pay-outage.toml"), TEAM_SCENARIO).unwrap();
    std::fs::write(drills.join("playbooks/checkout.md"), TEAM_PLAYBOOK).unwrap();
    std::fs::write(drills.join("README.md"), "not a scenario").unwrap();
    (dir, drills)
}

#[test]
fn a_team_folder_adds_its_scenarios_with_playbooks_next_to_them() {
    let (_dir, drills) = team_folder();
    let (scenarios, warnings) = scenario::all(std::slice::from_ref(&drills));
    assert!(warnings.is_empty(), "{warnings:?}");
    let names: Vec<&str> = scenarios.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, [BUNDLED[0], BUNDLED[1], BUNDLED[2], "pay-outage"]);
    let team = scenario::find("pay-outage", std::slice::from_ref(&drills)).unwrap();
    assert_eq!(
        team.file.as_deref(),
        Some(drills.join("pay-outage.toml").as_path())
    );
    assert_eq!(team.speed, 10.0, "the default speed");
    assert_eq!(
        team.level_two_takes_seconds, 180,
        "the default hand-over delay"
    );
    let steps: Vec<(usize, &str)> = team.expect[0]
        .steps
        .iter()
        .map(|s| (s.number, s.text.as_str()))
        .collect();
    assert_eq!(steps, [(2, "roll back"), (1, "look at the deploys")]);
    // A file's path works as the name too.
    let by_path = drills.join("pay-outage.toml");
    assert_eq!(
        scenario::find(by_path.to_str().unwrap(), &[]).unwrap().name,
        "pay-outage"
    );
}

#[test]
fn a_team_scenario_can_drill_on_the_real_playbooks_from_the_config() {
    let (dir, drills) = team_folder();
    let real = dir.path().join("payments-playbooks");
    std::fs::create_dir_all(&real).unwrap();
    std::fs::write(real.join("pay-api.md"), TEAM_PLAYBOOK).unwrap();
    let text = TEAM_SCENARIO.replace("playbooks/checkout.md", "payments-playbooks/pay-api.md");
    std::fs::write(drills.join("pay-outage.toml"), text).unwrap();
    let error = scenario::find("pay-outage", std::slice::from_ref(&drills)).unwrap_err();
    assert!(
        error.contains("pay-outage.toml:6: playbook `payments-playbooks/pay-api.md` not found"),
        "{error}"
    );
    let found = scenario::find_with("pay-outage", &[drills], &[real]).unwrap();
    assert_eq!(found.playbooks[0].0, "payments-playbooks/pay-api.md");
    assert_eq!(found.expect[0].steps.len(), 2);
}

#[test]
fn a_team_scenario_with_a_bundled_name_replaces_it_and_says_so() {
    let (dir, _) = team_folder();
    let drills = dir.path().join("drills");
    std::fs::rename(
        drills.join("pay-outage.toml"),
        drills.join("orders-outage.toml"),
    )
    .unwrap();
    let found = scenario::find("orders-outage", std::slice::from_ref(&drills)).unwrap();
    assert!(found.replaces_bundled);
    assert_eq!(
        found.description,
        "the payments team's own: checkout on fire"
    );
    let (out, _) = list(std::slice::from_ref(&drills), dir.path());
    let line = out
        .lines()
        .find(|l| l.starts_with("orders-outage "))
        .unwrap();
    assert!(line.contains("replaces the bundled one"), "{line}");
    assert_eq!(
        out.lines()
            .filter(|l| l.starts_with("orders-outage "))
            .count(),
        1
    );
    // Broken, it is not silently swapped for the bundled one.
    std::fs::write(drills.join("orders-outage.toml"), "[drill]\n").unwrap();
    let error = scenario::find("orders-outage", std::slice::from_ref(&drills)).unwrap_err();
    assert!(error.contains("orders-outage.toml"), "{error}");
}

fn broken(text: &str) -> String {
    let (dir, drills) = team_folder();
    std::fs::write(drills.join("broken.toml"), text).unwrap();
    let (scenarios, warnings) = scenario::all(std::slice::from_ref(&drills));
    assert_eq!(scenarios.len(), 4, "the others still load");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    let error = scenario::find("broken", std::slice::from_ref(&drills)).unwrap_err();
    assert_eq!(
        error, warnings[0],
        "finding it by name says what is wrong with it"
    );
    let (out, list_warnings) = list(&[drills], dir.path());
    assert_eq!(out.lines().count(), 4, "{out}");
    assert_eq!(list_warnings, warnings);
    error
}

/// Whether `error` points at the line of TEAM_SCENARIO that holds `needle`.
fn at_line(error: &str, needle: &str) -> bool {
    let line = TEAM_SCENARIO
        .lines()
        .position(|l| l.contains(needle))
        .unwrap()
        + 1;
    error.contains(&format!("broken.toml:{line}: "))
}

#[test]
fn a_broken_team_scenario_names_file_and_line_and_hides_no_other() {
    // An unknown key.
    let error = broken(&TEAM_SCENARIO.replace("kind = \"outage\"", "kinds = \"outage\""));
    assert!(
        at_line(&error, "kind =") && error.contains("kinds"),
        "{error}"
    );
    // An expectation about an incident that does not exist.
    let error = broken(&TEAM_SCENARIO.replace("incident = \"PAY-1\"", "incident = \"PAY-9\""));
    assert!(
        at_line(&error, "incident = ") && error.contains("no incident `PAY-9`"),
        "{error}"
    );
    // A step the playbook does not have.
    let error = broken(&TEAM_SCENARIO.replace("steps = [2, 1]", "steps = [1, 3]"));
    assert!(
        at_line(&error, "steps =") && error.contains("step 3") && error.contains("steps 1 to 2"),
        "{error}"
    );
    // A shape's offset that is no time.
    let error = broken(&TEAM_SCENARIO.replace("at = \"+1m\"", "at = \"soon\""));
    assert!(
        at_line(&error, "at = ") && error.contains("soon"),
        "{error}"
    );
    // A duration that is no duration.
    let error = broken(&TEAM_SCENARIO.replace("duration = \"20m\"", "duration = \"long\""));
    assert!(
        at_line(&error, "duration =") && error.contains("duration"),
        "{error}"
    );
    // Escalation expected with nobody at level two.
    let error = broken(&TEAM_SCENARIO.replace("level = 2", "level = 1"));
    assert!(
        at_line(&error, "incident = ") && error.contains("level 2"),
        "{error}"
    );
    // An incident of a service the night does not have.
    let error = broken(&TEAM_SCENARIO.replace("service = \"pay-api\"", "service = \"pay-apii\""));
    assert!(
        at_line(&error, "service = ") && error.contains("pay-apii"),
        "{error}"
    );
    // An expected incident that fires after the end.
    let error = broken(&TEAM_SCENARIO.replace("opened = \"+1m\"", "opened = \"+25m\""));
    assert!(
        at_line(&error, "opened =") && error.contains("after the drill is over"),
        "{error}"
    );
    // Not TOML at all.
    let error = broken("[drill\n");
    assert!(error.contains("broken.toml:1: "), "{error}");
}

#[test]
fn a_missing_team_folder_is_a_warning_and_the_bundled_ones_still_list() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope");
    let (out, warnings) = list(std::slice::from_ref(&missing), dir.path());
    assert_eq!(out.lines().count(), 3);
    assert_eq!(warnings.len(), 1);
    assert!(
        warnings[0].contains(&missing.display().to_string()),
        "{warnings:?}"
    );
}

#[test]
fn list_prints_one_scenario_per_line_name_first_aligned() {
    let (dir, drills) = team_folder();
    let (out, warnings) = list(&[drills], Path::new(&dir.path().join("data")));
    assert!(warnings.is_empty(), "{warnings:?}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 4, "{out}");
    for (line, name) in lines
        .iter()
        .zip([BUNDLED[0], BUNDLED[1], BUNDLED[2], "pay-outage"])
    {
        assert_eq!(line.split_whitespace().next(), Some(name), "{out}");
        assert!(line.contains("not done yet"), "{line}");
    }
    assert!(lines[0].contains("slow-burn") && lines[2].contains("noise"));
    assert!(lines[3].contains("[team: "));
    // Aligned: every kind starts in the same column.
    let column = |line: &str, word: &str| line.find(&format!("  {word} ")).unwrap();
    assert_eq!(column(lines[0], "slow-burn"), column(lines[1], "outage"));
    assert_eq!(column(lines[1], "outage"), column(lines[2], "noise"));
}

#[test]
fn hostile_text_in_a_team_scenario_is_listed_without_escapes() {
    let (dir, drills) = team_folder();
    let text = TEAM_SCENARIO.replace(
        "the payments team's own: checkout on fire",
        "pwned \\u001b]0;owned\\u0007\\u001b[2J",
    );
    std::fs::write(drills.join("pay-outage.toml"), text).unwrap();
    let (out, warnings) = list(&[drills], dir.path());
    assert!(warnings.is_empty(), "{warnings:?}");
    assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{out:?}");
    assert!(out.contains("pwned"));
}

#[test]
fn the_documented_example_file_is_a_valid_scenario() {
    let readme = include_str!("../assets/drills/README.md");
    let start = readme.find("```toml\n").unwrap() + "```toml\n".len();
    let example = &readme[start..start + readme[start..].find("```").unwrap()];
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("documented.toml");
    std::fs::write(&file, example).unwrap();
    let scenario = scenario::find(file.to_str().unwrap(), &[]).unwrap();
    assert_eq!(scenario.kind, "outage");
    assert_eq!(scenario.expect[0].steps.len(), 4);
    assert_eq!(scenario.expect[0].escalate_within_seconds, Some(900));
}
