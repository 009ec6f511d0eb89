//! `[[expect]]`: what a good response to one incident looks like, checked against the
//! scenario's own night and playbooks when the file is read, so scoring never meets an
//! expectation it cannot judge.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use toml::Spanned;

use crate::incident::{Incident, IncidentKey};
use crate::playbook::Library;
use crate::providers::demo::{DemoIncident, DemoWorld, parse_offset};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ExpectEntry {
    incident: Spanned<String>,
    #[serde(default, deserialize_with = "some_seconds")]
    acknowledge_within: Option<i64>,
    #[serde(default)]
    steps: Option<Spanned<Wanted>>,
    #[serde(default)]
    escalate: bool,
    #[serde(default, deserialize_with = "some_seconds")]
    escalate_within: Option<i64>,
    #[serde(default)]
    not_actionable: bool,
    #[serde(default)]
    resolve: bool,
}

fn some_seconds<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
    super::parse::seconds(deserializer).map(Some)
}

/// `steps = "all"` or `steps = [1, 3, 2]`.
enum Wanted {
    All,
    Numbers(Vec<usize>),
}

impl<'de> Deserialize<'de> for Wanted {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Wanted;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("\"all\" or a list of step numbers such as [1, 2, 3]")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Wanted, E> {
                match text {
                    "all" => Ok(Wanted::All),
                    _ => Err(E::custom(format!(
                        "`{text}`: write steps = \"all\" or a list of step numbers such as [1, 2, 3]"
                    ))),
                }
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Wanted, A::Error> {
                let mut numbers = Vec::new();
                while let Some(number) = seq.next_element::<usize>()? {
                    numbers.push(number);
                }
                Ok(Wanted::Numbers(numbers))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// What a good response to one incident is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Expectation {
    /// The scenario's incident id ("DRILL-101").
    pub incident: String,
    pub title: String,
    /// When it fires, in seconds from the drill's start.
    pub opened_offset_seconds: i64,
    /// Acknowledge within this long after it fires; `None`: not judged.
    pub acknowledge_within_seconds: Option<i64>,
    /// The playbook the incident is matched to, and the section (its alert's heading).
    pub playbook: Option<String>,
    pub section: Option<String>,
    /// The steps to do, in the order they should be done.
    pub steps: Vec<ExpectedStep>,
    /// Whether escalating to level two is the right call.
    pub escalate: bool,
    pub escalate_within_seconds: Option<i64>,
    /// The page is noise: the right answer is `!` with a reason.
    pub not_actionable: bool,
    /// It should be resolved by the end.
    pub resolve: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExpectedStep {
    /// As the user sees it, from 1.
    pub number: usize,
    pub text: String,
}

impl Expectation {
    pub fn opened_at(&self, started: DateTime<Utc>) -> DateTime<Utc> {
        started + chrono::TimeDelta::seconds(self.opened_offset_seconds)
    }
}

/// A problem at a byte offset of the file (when there is one to point at).
type Problem = (Option<usize>, String);

pub(super) fn build(
    entries: Vec<ExpectEntry>,
    world: &DemoWorld,
    library: &Library,
) -> Result<Vec<Expectation>, Problem> {
    let mut built: Vec<Expectation> = Vec::new();
    for entry in entries {
        let at = Some(entry.incident.span().start);
        let id = entry.incident.get_ref();
        let Some(incident) = world.incidents.iter().find(|i| &i.id == id) else {
            let ids: Vec<&str> = world.incidents.iter().map(|i| i.id.as_str()).collect();
            return Err((
                at,
                format!(
                    "no incident `{id}` in [[incidents]]; there are: {}",
                    ids.join(", ")
                ),
            ));
        };
        if built.iter().any(|e| &e.incident == id) {
            return Err((at, format!("a second [[expect]] for {id}")));
        }
        if entry.escalate_within.is_some() && !entry.escalate {
            return Err((at, "`escalate_within` needs `escalate = true`".into()));
        }
        if entry.escalate && entry.not_actionable {
            return Err((
                at,
                "an incident to escalate cannot also be noise (`not_actionable`)".into(),
            ));
        }
        if entry.escalate && world.level_two().is_none() {
            return Err((
                at,
                "`escalate = true`, but no [[oncall]] entry at level 2 to take it".into(),
            ));
        }
        let matched = library.find(&as_incident(incident, world));
        let (playbook, section, all_steps) = match &matched {
            Some(matched) => {
                let rendered = library.document(matched.index).layout(80);
                let steps: Vec<String> = rendered
                    .steps(matched.anchor.as_deref())
                    .into_iter()
                    .map(|item| rendered.items[item].text.clone())
                    .collect();
                (
                    Some(library.playbooks[matched.index].path.clone()),
                    matched.anchor.clone(),
                    steps,
                )
            }
            None => (None, None, Vec::new()),
        };
        let steps = match entry.steps {
            None => Vec::new(),
            Some(wanted) => {
                let at = Some(wanted.span().start);
                let numbers = match wanted.into_inner() {
                    Wanted::All => (1..=all_steps.len()).collect(),
                    Wanted::Numbers(numbers) => numbers,
                };
                let Some(path) = &playbook else {
                    return Err((
                        at,
                        format!(
                            "{id} expects steps but none of [drill] playbooks matches it (by its alert {}, service {} or team)",
                            incident.alert, incident.service
                        ),
                    ));
                };
                if all_steps.is_empty() {
                    return Err((
                        at,
                        format!("{id}'s playbook {path} has no steps in its section"),
                    ));
                }
                let mut steps: Vec<ExpectedStep> = Vec::new();
                for number in numbers {
                    let Some(text) = number.checked_sub(1).and_then(|i| all_steps.get(i)) else {
                        return Err((
                            at,
                            format!(
                                "step {number}: {path}{} has steps 1 to {}",
                                section
                                    .as_deref()
                                    .map(|s| format!(" § {s}"))
                                    .unwrap_or_default(),
                                all_steps.len()
                            ),
                        ));
                    };
                    if steps.iter().any(|s| s.number == number) {
                        return Err((at, format!("step {number} is listed twice")));
                    }
                    steps.push(ExpectedStep {
                        number,
                        text: text.clone(),
                    });
                }
                steps
            }
        };
        built.push(Expectation {
            incident: id.clone(),
            title: incident.title.clone(),
            // Checked with the world, before expectations are built.
            opened_offset_seconds: parse_offset(&incident.opened).unwrap_or(0),
            acknowledge_within_seconds: entry.acknowledge_within,
            playbook,
            section,
            steps,
            escalate: entry.escalate,
            escalate_within_seconds: entry.escalate_within,
            not_actionable: entry.not_actionable,
            resolve: entry.resolve,
        });
    }
    Ok(built)
}

/// The incident as the cockpit will see it, for matching its playbook.
fn as_incident(demo: &DemoIncident, world: &DemoWorld) -> Incident {
    Incident {
        key: IncidentKey::new("drill", &demo.id),
        source: "drill".into(),
        title: demo.title.clone(),
        severity: demo.severity,
        status: demo.status,
        service: demo.service.clone(),
        team: world.team_of(&demo.service).map(str::to_string),
        alert: Some(demo.alert.clone()),
        opened_at: DateTime::UNIX_EPOCH,
        assignee: demo.assignee.clone(),
        escalated_to: None,
        level_two_answer: None,
        description: demo.description.clone(),
        labels: demo.labels.clone(),
        links: demo.links.clone(),
    }
}
