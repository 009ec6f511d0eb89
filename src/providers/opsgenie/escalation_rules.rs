//! Who an escalation reaches, rule by rule: each rule's recipient becomes a step (a
//! schedule whose people must be read, or someone named as they are), and the people
//! found become rows that say the escalation, the schedule and the rule's place in it.
//! No HTTP here: `level_two` reads what the steps ask for.

use super::schedules::ScheduleIdentifier;
use super::wire::{Escalation, RuleRecipient};
use crate::providers::OnCall;

/// Who one rule notifies, at its place (`level`, 1-based) among the escalation's rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub level: u32,
    pub reaches: Reaches,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reaches {
    /// Whoever is on call there: read from the schedule. `label` is its name when the
    /// rule gives one, else its id.
    Schedule {
        schedule: ScheduleIdentifier,
        label: String,
    },
    /// A user, a team (its name: who in it is paged is the team's business), or what
    /// else the rule names; on call for as long as the rule stands.
    Named(String),
}

/// What "all" notifies, in Opsgenie's words for it.
pub const EVERYONE: &str = "all users";

/// The steps of `escalation` (named `escalation_name`, for the log), in its order. A rule
/// that names nobody readable is left out, logged; the others keep their own places.
pub fn steps(escalation_name: &str, escalation: Escalation) -> Vec<Step> {
    let mut steps = Vec::new();
    for (index, rule) in escalation.rules.into_iter().enumerate() {
        let level = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let recipient = rule.recipient.unwrap_or_default();
        match reaches(&recipient) {
            Ok(Some(reaches)) => steps.push(Step { level, reaches }),
            // "none" is a rule that deliberately pages nobody: nothing to show, nothing wrong.
            Ok(None) => {}
            Err(why) => tracing::warn!(
                escalation = escalation_name,
                level,
                "Opsgenie: rule {level} of escalation {escalation_name} is left out: {why}"
            ),
        }
    }
    steps
}

/// Whom `recipient` stands for; `Ok(None)` for nobody, `Err` (why) when it cannot be told.
fn reaches(recipient: &RuleRecipient) -> Result<Option<Reaches>, String> {
    let id = given(recipient.id.as_deref());
    let name = given(recipient.name.as_deref());
    let kind = given(recipient.kind.as_deref()).unwrap_or("");
    let unnamed = || format!("its {kind} has neither a name nor an id");
    let reaches = match kind {
        "schedule" => {
            // The id, when given, is exact; the name is what people recognise.
            let schedule = match (id, name) {
                (Some(id), _) => ScheduleIdentifier::Id(id.to_string()),
                (None, Some(name)) => ScheduleIdentifier::Name(name.to_string()),
                (None, None) => return Err(unnamed()),
            };
            let label = name.or(id).unwrap_or_default().to_string();
            Reaches::Schedule { schedule, label }
        }
        // Users are shown the way people and the schedules name them: by username.
        "user" => {
            let who = given(recipient.username.as_deref()).or(name).or(id);
            Reaches::Named(who.ok_or_else(unnamed)?.to_string())
        }
        "team" | "escalation" | "group" => Reaches::Named(name.or(id).ok_or_else(unnamed)?.into()),
        "all" => Reaches::Named(EVERYONE.into()),
        "none" => return Ok(None),
        "" => return Err("its recipient has no type".into()),
        other => return Err(format!("its recipient's type {other:?} is not known")),
    };
    Ok(Some(reaches))
}

fn given(text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|text| !text.is_empty())
}

/// The row of a step that names someone: on call for the escalation, with no end.
pub fn named_row(source: &str, escalation_name: &str, level: u32, who: String) -> OnCall {
    OnCall {
        source: source.to_string(),
        rota: escalation_name.to_string(),
        level: Some(level),
        who,
        until: None,
        from: None,
    }
}

/// A schedule's people (now and next, as its roster read them) as the rows of the step at
/// `level`: the rota says the escalation and then the schedule.
pub fn schedule_rows(escalation_name: &str, level: u32, people: Vec<OnCall>) -> Vec<OnCall> {
    people
        .into_iter()
        .map(|person| OnCall {
            rota: format!("{escalation_name} · {}", person.rota),
            level: Some(level),
            ..person
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::providers::opsgenie::wire::EscalationAnswer;

    fn escalation(json: &str) -> Escalation {
        let answer: EscalationAnswer = serde_json::from_str(json).unwrap();
        answer.data.unwrap_or_default()
    }

    fn named(level: u32, who: &str) -> Step {
        Step {
            level,
            reaches: Reaches::Named(who.into()),
        }
    }

    #[test]
    fn each_recipient_type_becomes_its_step_in_the_rules_order() {
        let rules = escalation(
            r#"{"data":{"name":"Eng Cap escalation","rules":[
                {"condition":"if-not-acked","notifyType":"default","delay":{"timeAmount":0},
                 "recipient":{"type":"schedule","id":"s-1","name":"engcap_schedule"}},
                {"delay":{"timeAmount":5},
                 "recipient":{"type":"user","id":"u-1","username":"bob@example.com"}},
                {"recipient":{"type":"team","id":"t-1","name":"payments"}},
                {"recipient":{"type":"escalation","id":"e-1","name":"Payments escalation"}},
                {"recipient":{"type":"all"}}]}}"#,
        );
        assert_eq!(
            steps("Eng Cap escalation", rules),
            [
                Step {
                    level: 1,
                    reaches: Reaches::Schedule {
                        schedule: ScheduleIdentifier::Id("s-1".into()),
                        label: "engcap_schedule".into(),
                    },
                },
                named(2, "bob@example.com"),
                named(3, "payments"),
                named(4, "Payments escalation"),
                named(5, EVERYONE),
            ]
        );
    }

    #[test]
    fn what_a_recipient_lacks_is_taken_from_what_it_has() {
        let rules = escalation(
            r#"{"data":{"rules":[
                {"recipient":{"type":"schedule","name":" ops "}},
                {"recipient":{"type":"schedule","id":"s-2","name":""}},
                {"recipient":{"type":"user","name":"Ann","id":"u-1"}},
                {"recipient":{"type":"user","id":"u-2"}},
                {"recipient":{"type":"team","id":"t-1","name":null}}]}}"#,
        );
        assert_eq!(
            steps("e", rules),
            [
                Step {
                    level: 1,
                    reaches: Reaches::Schedule {
                        schedule: ScheduleIdentifier::Name("ops".into()),
                        label: "ops".into(),
                    },
                },
                Step {
                    level: 2,
                    reaches: Reaches::Schedule {
                        schedule: ScheduleIdentifier::Id("s-2".into()),
                        label: "s-2".into(),
                    },
                },
                named(3, "Ann"),
                named(4, "u-2"),
                named(5, "t-1"),
            ]
        );
    }

    #[test]
    fn a_rule_naming_nobody_readable_is_left_out_and_the_others_keep_their_places() {
        let rules = escalation(
            r#"{"data":{"rules":[
                {"recipient":{"type":"schedule"}},
                {"recipient":null},
                {"condition":"if-not-acked"},
                {"recipient":{"id":"x-1","name":"typeless"}},
                {"recipient":{"type":"carrier-pigeon","name":"Pidge"}},
                {"recipient":{"type":"none"}},
                {"recipient":{"type":"user","username":"  "}},
                {"recipient":{"type":"team","name":"db"}}]}}"#,
        );
        assert_eq!(steps("e", rules), [named(8, "db")]);
    }

    #[test]
    fn an_escalation_without_rules_reaches_nobody() {
        assert!(steps("e", escalation(r#"{"data":{"rules":null}}"#)).is_empty());
        assert!(steps("e", escalation(r#"{"data":{}}"#)).is_empty());
        assert!(steps("e", escalation(r#"{"data":null}"#)).is_empty());
    }

    #[test]
    fn rows_say_the_escalation_the_schedule_and_the_rules_place() {
        let user = named_row("og", "Eng Cap escalation", 2, "bob@example.com".into());
        assert_eq!(
            (user.rota.as_str(), user.level, user.until, user.from),
            ("Eng Cap escalation", Some(2), None, None)
        );
        let at = chrono::DateTime::from_timestamp(1_900_000_000, 0);
        let person = OnCall {
            source: "og".into(),
            rota: "engcap_schedule".into(),
            level: None,
            who: "ann@example.com".into(),
            until: at,
            from: None,
        };
        let rows = schedule_rows("Eng Cap escalation", 1, vec![person.clone()]);
        assert_eq!(
            rows,
            [OnCall {
                rota: "Eng Cap escalation · engcap_schedule".into(),
                level: Some(1),
                ..person
            }]
        );
    }
}
