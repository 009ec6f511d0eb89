//! Playbooks: the owning team's markdown, and which one fits an incident.

use std::fmt;

use crate::incident::Incident;
use front_matter::FrontMatter;

pub mod alert_rules;
pub mod front_matter;
pub mod lint;
pub mod load;
pub mod show;

#[derive(Debug, Clone, PartialEq)]
pub struct Playbook {
    /// How it is shown: its folder's name and the path inside it, "payments/checkout-api.md".
    pub path: String,
    /// The file on disk; `None` for the built-in demo's.
    pub file: Option<std::path::PathBuf>,
    pub team: Option<String>,
    pub services: Vec<String>,
    pub alerts: Vec<String>,
    /// Level two for this playbook's services, when it differs from `[escalation]`.
    pub escalation: Option<String>,
    /// The markdown after the front matter.
    pub body: String,
    /// The file's line the body starts on (1-based), so problems in the body can be
    /// reported at the file's own line numbers.
    pub body_line: usize,
}

impl Playbook {
    /// A playbook from text; broken front matter is an error.
    pub fn parse(path: &str, text: &str) -> Result<Playbook, String> {
        let (front, body) = front_matter::split(text).map_err(|e| format!("{path}: {e}"))?;
        Ok(Playbook::from_parts(path, front, body, text))
    }

    /// Like `parse`, but a playbook with broken front matter is still readable (without
    /// metadata), with the problem beside it.
    pub fn parse_lenient(path: &str, text: &str) -> (Playbook, Option<String>) {
        match front_matter::split(text) {
            Ok((front, body)) => (Playbook::from_parts(path, front, body, text), None),
            Err(problem) => (
                Playbook::from_parts(path, FrontMatter::default(), text, text),
                Some(problem),
            ),
        }
    }

    /// `body` is the tail of `text`, the whole file.
    fn from_parts(path: &str, front: FrontMatter, body: &str, text: &str) -> Playbook {
        let before_body = &text[..text.len().saturating_sub(body.len())];
        Playbook {
            body_line: before_body.matches('\n').count() + 1,
            path: path.to_string(),
            file: None,
            team: front.team,
            services: front.services,
            alerts: front.alerts,
            escalation: front.escalation,
            body: body.to_string(),
        }
    }

    /// A team's README.md or index.md: what an incident falls back to, not a procedure.
    pub fn is_team_index(&self) -> bool {
        let file = self.path.rsplit('/').next().unwrap_or(&self.path);
        file.eq_ignore_ascii_case("README.md") || file.eq_ignore_ascii_case("index.md")
    }
}

/// Which rule chose a playbook; shown in the pane so the user knows why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MatchRule {
    Alert(String),
    Service(String),
    Team(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaybookMatch {
    pub index: usize,
    pub rule: MatchRule,
    /// The heading to open at: the alert's own section, when there is one.
    pub anchor: Option<String>,
}

impl fmt::Display for MatchRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MatchRule::Alert(name) => write!(f, "matched by alert {name}"),
            MatchRule::Service(name) => write!(f, "matched by service {name}"),
            MatchRule::Team(name) => write!(f, "team {name}'s index"),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Library {
    pub playbooks: Vec<Playbook>,
    /// Owning team per service, from config, for sources that do not say.
    pub service_teams: std::collections::BTreeMap<String, String>,
    /// Steps per section, counted once at load, for the list's `3/7`: per playbook, by
    /// lower-cased anchor ("" for the whole playbook).
    pub step_counts: Vec<std::collections::HashMap<String, usize>>,
    /// Each playbook parsed once at load; the pane only lays them out.
    pub documents: Vec<std::sync::Arc<crate::markdown::Document>>,
}

impl Library {
    /// Alert name, then service, then the team's README/index.
    pub fn find(&self, incident: &Incident) -> Option<PlaybookMatch> {
        let alert = incident.alert.as_deref();
        let by_alert = alert.and_then(|alert| {
            self.position(|p| p.alerts.iter().any(|a| a == alert))
                .map(|i| (i, MatchRule::Alert(alert.to_string())))
        });
        let by_service = || {
            self.position(|p| p.services.iter().any(|s| s == &incident.service))
                .map(|i| (i, MatchRule::Service(incident.service.clone())))
        };
        let by_team = || {
            let team = incident.team.as_deref().or_else(|| {
                self.service_teams
                    .get(&incident.service)
                    .map(String::as_str)
            })?;
            self.position(|p| p.is_team_index() && p.team.as_deref() == Some(team))
                .map(|i| (i, MatchRule::Team(team.to_string())))
        };
        let (index, rule) = by_alert.or_else(by_service).or_else(by_team)?;
        let anchor = alert
            .filter(|a| has_heading(&self.playbooks[index].body, a))
            .map(str::to_string);
        Some(PlaybookMatch {
            index,
            rule,
            anchor,
        })
    }

    fn position(&self, wanted: impl Fn(&Playbook) -> bool) -> Option<usize> {
        // Service playbooks before team indexes, so a README listing every service loses.
        self.playbooks
            .iter()
            .position(|p| wanted(p) && !p.is_team_index())
            .or_else(|| self.playbooks.iter().position(wanted))
    }
}

fn has_heading(body: &str, text: &str) -> bool {
    body.lines()
        .any(|l| l.starts_with('#') && l.trim_start_matches('#').trim().eq_ignore_ascii_case(text))
}

/// What to tell the user when nothing matched.
pub fn no_match_hint(incident: &Incident) -> String {
    format!(
        "no playbook for {}: add `services = [\"{}\"]` to a playbook's front matter",
        incident.service, incident.service
    )
}

impl Library {
    /// The built-in demo teams' playbooks (checked by a test, so none is skipped).
    pub fn demo() -> Library {
        let mut library = Library {
            playbooks: crate::providers::demo::DEMO_PLAYBOOKS
                .iter()
                .filter_map(|(path, text)| Playbook::parse(path, text).ok())
                .collect(),
            ..Library::default()
        };
        library.prepare();
        library
    }

    /// A playbook's parsed text (parsed now if the library was built by hand).
    pub fn document(&self, index: usize) -> std::sync::Arc<crate::markdown::Document> {
        self.documents.get(index).cloned().unwrap_or_else(|| {
            std::sync::Arc::new(crate::markdown::Document::parse(
                &self.playbooks[index].body,
            ))
        })
    }

    /// How many steps the matched section has.
    pub fn step_total(&self, matched: &PlaybookMatch) -> usize {
        let anchor = matched.anchor.as_deref().unwrap_or("").to_lowercase();
        self.step_counts
            .get(matched.index)
            .and_then(|c| c.get(&anchor))
            .copied()
            .unwrap_or(0)
    }

    /// Parse every playbook once, and count its sections' steps.
    fn prepare(&mut self) {
        self.documents = self
            .playbooks
            .iter()
            .map(|p| std::sync::Arc::new(crate::markdown::Document::parse(&p.body)))
            .collect();
        self.step_counts = self
            .documents
            .iter()
            .zip(&self.playbooks)
            .map(|(document, playbook)| {
                let rendered = document.layout(80);
                let mut counts =
                    std::collections::HashMap::from([(String::new(), rendered.steps(None).len())]);
                for alert in &playbook.alerts {
                    counts.insert(alert.to_lowercase(), rendered.steps(Some(alert)).len());
                }
                counts
            })
            .collect();
    }

    /// The configured folders' playbooks, the demo's when the demo runs, and the
    /// service-to-team map; with what could not be read.
    pub fn assemble(
        dirs: &[std::path::PathBuf],
        with_demo: bool,
        service_teams: std::collections::BTreeMap<String, String>,
    ) -> (Library, Vec<load::Problem>) {
        let (mut playbooks, problems) = load::load_dirs(dirs);
        if with_demo {
            playbooks.extend(Library::demo().playbooks);
        }
        let mut library = Library {
            playbooks,
            service_teams,
            step_counts: Vec::new(),
            documents: Vec::new(),
        };
        library.prepare();
        (library, problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incident::{IncidentKey, Severity, Status};

    fn incident(service: &str, alert: &str, team: &str) -> Incident {
        Incident {
            key: IncidentKey::new("t", "1"),
            source: "t".into(),
            title: "x".into(),
            severity: Severity::High,
            status: Status::Triggered,
            service: service.into(),
            team: Some(team.into()),
            alert: Some(alert.into()),
            opened_at: chrono::DateTime::from_timestamp(0, 0).unwrap(),
            assignee: None,
            escalated_to: None,
            description: String::new(),
            labels: Default::default(),
            links: vec![],
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
}
