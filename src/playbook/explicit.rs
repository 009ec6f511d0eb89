//! Rule 1 of matching: a link on the incident itself that names its playbook, whichever
//! provider sent it (Alertmanager's `runbook_url` annotation, a PagerDuty link or custom
//! detail, an Opsgenie detail).

use crate::incident::Incident;

use super::Library;

/// Label and detail keys that hold a playbook's address, as teams name them.
const KEYS: &[&str] = &["runbook_url", "runbook", "playbook_url", "playbook"];

/// Where an explicit link points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Explicit {
    /// A playbook in a configured folder, with the link's `#anchor`.
    Local {
        index: usize,
        anchor: Option<String>,
        link: String,
    },
    /// A markdown file on the web, to fetch (not in a configured folder).
    Remote { url: String, anchor: Option<String> },
}

/// The incident's playbook links, most explicit first: labels and details named like
/// `runbook_url`, then links titled "runbook"/"playbook", then links to `.md` files.
pub fn candidates(incident: &Incident) -> Vec<&str> {
    let mut found: Vec<&str> = Vec::new();
    let keyed = incident
        .labels
        .iter()
        .filter(|(key, _)| KEYS.iter().any(|k| k.eq_ignore_ascii_case(key)))
        .map(|(_, value)| value.trim());
    let titled = incident.links.iter().filter(|l| {
        let title = l.title.to_ascii_lowercase();
        title.contains("runbook") || title.contains("playbook")
    });
    let markdown = incident.links.iter().filter(|l| is_markdown(&l.url));
    for url in keyed
        .chain(titled.map(|l| l.url.trim()))
        .chain(markdown.map(|l| l.url.trim()))
    {
        if !url.is_empty() && !found.contains(&url) {
            found.push(url);
        }
    }
    found
}

impl Library {
    /// The first candidate link that points into a configured folder or at a markdown
    /// file on the web.
    pub fn explicit(&self, incident: &Incident) -> Option<Explicit> {
        candidates(incident)
            .into_iter()
            .find_map(|link| self.resolve_link(link))
    }

    fn resolve_link(&self, link: &str) -> Option<Explicit> {
        let (address, anchor) = match link.split_once('#') {
            Some((address, anchor)) if !anchor.is_empty() => (address, Some(anchor.to_string())),
            _ => (link.trim_end_matches('#'), None),
        };
        // A fetched copy of a web playbook is kept under its address.
        if let Some(index) = self.playbooks.iter().position(|p| p.path == address) {
            return Some(Explicit::Local {
                index,
                anchor,
                link: link.to_string(),
            });
        }
        let path = path_of(address);
        if let Some(index) = self.by_path_suffix(path) {
            return Some(Explicit::Local {
                index,
                anchor,
                link: link.to_string(),
            });
        }
        let web = address.starts_with("https://") || address.starts_with("http://");
        (web && is_markdown(address)).then(|| Explicit::Remote {
            url: address.to_string(),
            anchor,
        })
    }

    /// The playbook whose file the path ends with: `…/blob/main/payments/checkout-api.md`
    /// is `payments/checkout-api.md` in a folder named `payments`, or `checkout-api.md` in
    /// any folder. The most path segments in common wins.
    fn by_path_suffix(&self, path: &str) -> Option<usize> {
        let wanted: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let mut best: Option<(usize, usize)> = None;
        for (index, playbook) in self.playbooks.iter().enumerate() {
            if let Some(file) = &playbook.file
                && file.to_str() == Some(path)
            {
                return Some(index);
            }
            let segments: Vec<&str> = playbook.path.split('/').collect();
            let common = segments
                .iter()
                .rev()
                .zip(wanted.iter().rev())
                .take_while(|(a, b)| a == b)
                .count();
            // The file name at least, and within the folder (not only the folder's name).
            let inside_folder = segments.len().saturating_sub(1).max(1);
            if common >= inside_folder && best.is_none_or(|(_, c)| common > c) {
                best = Some((index, common));
            }
        }
        best.map(|(index, _)| index)
    }
}

/// A link short enough for the pane's one status line: a web address keeps its last two
/// path segments and its anchor ("…/storefront/search-api.md#podcrashlooping").
pub fn short(link: &str) -> String {
    if !link.contains("://") {
        return link.to_string();
    }
    let (address, anchor) = link
        .split_once('#')
        .map_or((link, None), |(a, f)| (a, Some(f)));
    let segments: Vec<&str> = path_of(address)
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    let tail = segments[segments.len().saturating_sub(2)..].join("/");
    let anchor = anchor.map(|a| format!("#{a}")).unwrap_or_default();
    format!("…/{tail}{anchor}")
}

/// The path part of a URL or file reference, without scheme, host and query.
fn path_of(address: &str) -> &str {
    let without_query = address.split(['?', '#']).next().unwrap_or(address);
    if let Some(rest) = without_query.strip_prefix("file://") {
        return rest;
    }
    match without_query.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("", |i| &rest[i..]),
        None => without_query,
    }
}

fn is_markdown(address: &str) -> bool {
    let path = path_of(address).to_ascii_lowercase();
    path.ends_with(".md") || path.ends_with(".markdown")
}

#[cfg(test)]
mod tests {
    use super::Explicit;
    use crate::incident::{Incident, Link};
    use crate::playbook::{Library, MatchRule, Playbook};

    fn library() -> Library {
        let files = [
            (
                "pay/README.md",
                "+++\nteam = \"pay\"\n+++\n# Pay\n## Contacts\n",
            ),
            (
                "pay/api.md",
                "+++\nservices = [\"api\"]\nalerts = [\"HighErrorRate\"]\n+++\n# API\n## HighErrorRate\n## Rollback\n",
            ),
            (
                "pay/disk.md",
                "+++\nalerts = [\"DiskFull\"]\n+++\n# Disk\n## DiskFull\n",
            ),
            (
                "shop/api.md",
                "+++\nservices = [\"shop-api\"]\n+++\n# Shop API\n",
            ),
        ];
        let mut library = Library {
            playbooks: files
                .iter()
                .map(|(p, t)| Playbook::parse(p, t).unwrap())
                .collect(),
            ..Library::default()
        };
        library.prepare();
        library
    }

    fn incident(alert: &str, labels: &[(&str, &str)], links: &[(&str, &str)]) -> Incident {
        let mut incident = crate::testing::incident("api", alert);
        incident.labels = labels
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        incident.links = links
            .iter()
            .map(|(title, url)| Link {
                title: title.to_string(),
                url: url.to_string(),
            })
            .collect();
        incident
    }

    fn found(incident: &Incident) -> (String, String, Option<String>) {
        let library = library();
        let m = library.find(incident).expect("a match");
        (
            library.playbooks[m.index].path.clone(),
            m.rule.to_string(),
            m.anchor,
        )
    }

    #[test]
    fn an_alertmanager_runbook_url_into_a_folder_wins_over_the_alert_name() {
        // Alertmanager: annotations.runbook_url, kept as a link titled "runbook".
        let am = incident(
            "HighErrorRate",
            &[],
            &[
                ("source", "http://prometheus:9090/graph?g0.expr=up"),
                (
                    "runbook",
                    "https://git.example.com/acme/playbooks/-/blob/main/pay/disk.md#diskfull",
                ),
            ],
        );
        assert_eq!(
            found(&am),
            (
                "pay/disk.md".into(),
                "matched by the incident's link …/pay/disk.md#diskfull".into(),
                Some("diskfull".into())
            )
        );
    }

    #[test]
    fn a_pagerduty_link_context_and_an_opsgenie_detail_match_too() {
        // PagerDuty: an alert's body.contexts[] {type: link, href, text: "Runbook"}.
        let pd = incident(
            "Other",
            &[],
            &[(
                "Runbook",
                "https://github.com/acme/pay/blob/main/api.md#rollback",
            )],
        );
        let (path, rule, anchor) = found(&pd);
        assert_eq!(
            (path.as_str(), anchor),
            ("pay/api.md", Some("rollback".into()))
        );
        assert!(rule.starts_with("matched by the incident's link"), "{rule}");
        // Opsgenie: details {"runbook": "..."}, kept with the labels; a relative path.
        let og = incident("HighErrorRate", &[("Runbook", "shop/api.md")], &[]);
        assert_eq!(found(&og).0, "shop/api.md");
        // No anchor on the link: the alert's own section, as for other rules.
        let og = incident("HighErrorRate", &[("runbook_url", "pay/api.md")], &[]);
        assert_eq!(found(&og).2, Some("HighErrorRate".into()));
    }

    #[test]
    fn the_folder_name_in_the_link_picks_between_same_named_files() {
        let link = incident(
            "x",
            &[],
            &[("runbook", "https://github.com/acme/o/blob/main/shop/api.md")],
        );
        assert_eq!(found(&link).0, "shop/api.md");
        let link = incident(
            "x",
            &[],
            &[("runbook", "https://github.com/acme/o/blob/main/pay/api.md")],
        );
        assert_eq!(found(&link).0, "pay/api.md");
    }

    #[test]
    fn a_markdown_link_outside_the_folders_is_fetched_and_other_links_are_ignored() {
        let library = library();
        let remote = incident(
            "HighErrorRate",
            &[],
            &[(
                "Runbook",
                "https://raw.example.com/acme/runbooks/main/db.md#replication",
            )],
        );
        assert_eq!(
            library.explicit(&remote),
            Some(Explicit::Remote {
                url: "https://raw.example.com/acme/runbooks/main/db.md".into(),
                anchor: Some("replication".into())
            })
        );
        // Until it is fetched, the other rules decide.
        assert_eq!(
            library.find(&remote).unwrap().rule,
            MatchRule::Alert("HighErrorRate".into())
        );
        // A wiki page is not markdown: nothing to fetch, the alert rule decides.
        let wiki = incident(
            "DiskFull",
            &[("runbook_url", "https://wiki.example.com/DiskFull")],
            &[],
        );
        assert_eq!(library.explicit(&wiki), None);
        assert_eq!(found(&wiki).1, "matched by alert DiskFull");
    }
}
