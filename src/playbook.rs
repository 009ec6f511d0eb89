//! Playbooks: the owning team's markdown, and which one fits an incident.

use std::fmt;

use crate::incident::Incident;
use crate::providers::route::PlaybookLevelTwo;
use front_matter::FrontMatter;

pub mod alert_rules;
pub mod explicit;
pub mod front_matter;
pub mod lint;
pub mod load;
pub mod remote;
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
    pub escalation: Option<PlaybookLevelTwo>,
    /// The markdown after the front matter.
    pub body: String,
    /// For a playbook fetched from the web: when, and whether it is an old copy.
    pub fetched: Option<remote::Fetched>,
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
            escalation: front.escalation.map(|level_two| level_two.0),
            body: body.to_string(),
            fetched: None,
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
    /// A link on the incident (runbook_url, a runbook link or detail).
    Link(String),
    Alert(String),
    Service(String),
    Team(String),
    /// The user followed a link from this playbook.
    Followed(String),
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
            MatchRule::Link(url) => write!(f, "matched by the incident's link {url}"),
            MatchRule::Alert(name) => write!(f, "matched by alert {name}"),
            MatchRule::Service(name) => write!(f, "matched by service {name}"),
            MatchRule::Team(name) => write!(f, "team {name}'s index"),
            MatchRule::Followed(from) => write!(f, "followed a link from {from}"),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Library {
    pub playbooks: Vec<Playbook>,
    /// Owning team per service, from config, for sources that do not say.
    pub service_teams: std::collections::BTreeMap<String, String>,
    /// Each playbook's headings and steps per section, found once at load: matching an
    /// anchor and the list's `3/7` never lay a playbook out again.
    pub outlines: Vec<crate::markdown::Outline>,
    /// Each playbook parsed once at load; the pane only lays them out.
    pub documents: Vec<std::sync::Arc<crate::markdown::Document>>,
}

impl Library {
    /// The incident's own link, then alert name, then service, then the team's
    /// README/index.
    pub fn find(&self, incident: &Incident) -> Option<PlaybookMatch> {
        let alert = incident.alert.as_deref();
        if let Some(explicit::Explicit::Local {
            index,
            anchor,
            link,
        }) = self.explicit(incident)
        {
            let outline = self.outline(index);
            let anchor = anchor
                .filter(|a| outline.has_heading(a))
                .or_else(|| alert.filter(|a| outline.has_heading(a)).map(str::to_string));
            let shown = crate::sanitize::line(&explicit::short(&link)).into_owned();
            return Some(PlaybookMatch {
                index,
                rule: MatchRule::Link(shown),
                anchor,
            });
        }
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
            .filter(|a| self.outline(index).has_heading(a))
            .map(str::to_string);
        Some(PlaybookMatch {
            index,
            rule,
            anchor,
        })
    }

    /// The playbook a relative link in playbook `from` points at, with the link's anchor:
    /// `README.md#contacts` from `payments/checkout-api.md` is `payments/README.md`.
    /// Read as `playbook lint` reads it (query dropped, `%20` decoded).
    pub fn linked(&self, from: usize, link: &str) -> Option<(usize, Option<String>)> {
        let lint::links::Target::File { path, anchor } = lint::links::target(link) else {
            return None;
        };
        let from = std::path::Path::new(&self.playbooks.get(from)?.path);
        let folder = from.parent().unwrap_or(std::path::Path::new(""));
        let wanted = lint::links::normalize(&folder.join(path));
        let index = self
            .playbooks
            .iter()
            .position(|p| std::path::Path::new(&p.path) == wanted)?;
        Some((index, anchor))
    }

    fn position(&self, wanted: impl Fn(&Playbook) -> bool) -> Option<usize> {
        // Service playbooks before team indexes, so a README listing every service loses.
        self.playbooks
            .iter()
            .position(|p| wanted(p) && !p.is_team_index())
            .or_else(|| self.playbooks.iter().position(wanted))
    }
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

    /// Playbooks given as (path, markdown), e.g. a drill scenario's own; a broken front
    /// matter is reported and the playbook kept without it.
    pub fn from_texts(texts: &[(String, String)]) -> (Library, Vec<load::Problem>) {
        let mut problems = Vec::new();
        let playbooks = texts
            .iter()
            .map(|(path, text)| {
                let (playbook, problem) = Playbook::parse_lenient(path, text);
                if let Some(message) = problem {
                    problems.push(load::Problem {
                        file: path.into(),
                        message,
                    });
                }
                playbook
            })
            .collect();
        (Library::of_playbooks(playbooks), problems)
    }

    /// Playbooks given as text (a drill's), parsed and indexed like loaded ones.
    pub fn of_playbooks(playbooks: Vec<Playbook>) -> Library {
        let mut library = Library {
            playbooks,
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

    /// A playbook's headings and section step counts (found now if the library was built
    /// by hand).
    pub fn outline(&self, index: usize) -> std::borrow::Cow<'_, crate::markdown::Outline> {
        match self.outlines.get(index) {
            Some(outline) => std::borrow::Cow::Borrowed(outline),
            None => std::borrow::Cow::Owned(crate::markdown::Outline::of(
                &self.document(index).layout(80),
            )),
        }
    }

    /// How many steps the matched section has.
    pub fn step_total(&self, matched: &PlaybookMatch) -> usize {
        self.outline(matched.index).steps(matched.anchor.as_deref())
    }

    /// Parse every playbook once, and index its headings and steps.
    fn prepare(&mut self) {
        self.documents.clear();
        self.outlines.clear();
        for index in 0..self.playbooks.len() {
            self.prepare_one(index);
        }
    }

    fn prepare_one(&mut self, index: usize) {
        if self.documents.len() < index {
            return self.prepare(); // Built by hand, never prepared: all of it now.
        }
        let playbook = &self.playbooks[index];
        let document = std::sync::Arc::new(crate::markdown::Document::parse(&playbook.body));
        // Headings and items do not depend on the width; any width will do.
        let outline = crate::markdown::Outline::of(&document.layout(80));
        if index < self.documents.len() {
            self.documents[index] = document;
            self.outlines[index] = outline;
        } else {
            self.documents.push(document);
            self.outlines.push(outline);
        }
    }

    /// A playbook fetched from the web, kept under its address (replacing an older copy).
    pub fn add_fetched(&mut self, url: &str, fetched: remote::Fetched) {
        let (playbook, _broken_front_matter) = Playbook::parse_lenient(url, &fetched.body);
        let playbook = Playbook {
            fetched: Some(fetched),
            ..playbook
        };
        let index = match self.playbooks.iter().position(|p| p.path == url) {
            Some(index) => {
                self.playbooks[index] = playbook;
                index
            }
            None => {
                self.playbooks.push(playbook);
                self.playbooks.len() - 1
            }
        };
        self.prepare_one(index);
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
            outlines: Vec::new(),
            documents: Vec::new(),
        };
        library.prepare();
        (library, problems)
    }
}

#[cfg(test)]
mod tests;
