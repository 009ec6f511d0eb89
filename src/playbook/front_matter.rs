//! Front matter: `+++` TOML or `---` YAML before the markdown, naming what a playbook is for.

use serde::Deserialize;

use crate::providers::route::NameOrRoutes;

#[derive(Debug, Default, Clone, PartialEq, Deserialize)]
pub struct FrontMatter {
    pub team: Option<String>,
    #[serde(default)]
    pub services: Vec<String>,
    #[serde(default)]
    pub alerts: Vec<String>,
    /// Level two for this playbook's services (a name, or a name and routes),
    /// overriding `[escalation]`.
    pub escalation: Option<NameOrRoutes>,
}

/// Split front matter from the body. No front matter is not an error; broken front matter
/// is, with what is wrong.
pub fn split(text: &str) -> Result<(FrontMatter, &str), String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    for (fence, kind) in [("+++", Kind::Toml), ("---", Kind::Yaml)] {
        let Some(rest) = text.strip_prefix(fence).and_then(strip_line_end) else {
            continue;
        };
        let Some((front, body)) = close(rest, fence) else {
            return Err(format!("front matter opened with {fence} is never closed"));
        };
        let front = match kind {
            Kind::Toml if front.trim().is_empty() => FrontMatter::default(),
            Kind::Yaml if front.trim().is_empty() => FrontMatter::default(),
            Kind::Toml => toml::from_str(front)
                .map_err(|e| format!("front matter (TOML): {}", e.message().trim()))?,
            Kind::Yaml => {
                serde_yaml_ng::from_str(front).map_err(|e| format!("front matter (YAML): {e}"))?
            }
        };
        if let Some(NameOrRoutes(level_two)) = &front.escalation {
            level_two
                .check()
                .map_err(|problem| format!("front matter: {problem}"))?;
        }
        return Ok((front, body.trim_start_matches(['\r', '\n'])));
    }
    Ok((FrontMatter::default(), text))
}

enum Kind {
    Toml,
    Yaml,
}

fn strip_line_end(text: &str) -> Option<&str> {
    text.strip_prefix("\r\n")
        .or_else(|| text.strip_prefix('\n'))
}

/// The front matter up to the closing fence line, and what follows it.
fn close<'a>(text: &'a str, fence: &str) -> Option<(&'a str, &'a str)> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.trim_end() == fence {
            return Some((&text[..offset], &text[offset + line.len()..]));
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_and_yaml_front_matter_say_the_same() {
        let toml = "+++\nteam = \"pay\"\nservices = [\"api\"]\nalerts = [\"HighErrorRate\"]\nescalation = \"Eng Cap\"\n+++\n# Body\n";
        let yaml = "---\nteam: pay\nservices: [api]\nalerts:\n  - HighErrorRate\nescalation: Eng Cap\n---\n# Body\n";
        let (a, body_a) = split(toml).unwrap();
        let (b, body_b) = split(yaml).unwrap();
        assert_eq!(a, b);
        assert_eq!((body_a, body_b), ("# Body\n", "# Body\n"));
        assert_eq!(a.services, vec!["api"]);
    }

    #[test]
    fn no_front_matter_and_broken_front_matter() {
        assert_eq!(split("# Just markdown").unwrap().1, "# Just markdown");
        assert!(split("+++\nteam = \n+++\n").unwrap_err().contains("TOML"));
        assert!(
            split("---\nteam: [unclosed\n---\n")
                .unwrap_err()
                .contains("YAML")
        );
        assert!(
            split("---\nteam: a\n")
                .unwrap_err()
                .contains("never closed")
        );
        // A horizontal rule later in the text is not front matter.
        assert_eq!(split("text\n---\nmore").unwrap().0, FrontMatter::default());
        // Windows line ends.
        assert_eq!(
            split("---\r\nteam: a\r\n---\r\nbody")
                .unwrap()
                .0
                .team
                .as_deref(),
            Some("a")
        );
    }

    #[test]
    fn a_playbook_can_name_its_own_route_and_a_bad_one_is_a_problem() {
        let yaml = "---\nservices: [ledger]\nescalation:\n  name: Ledger L2\n  opsgenie:\n    escalation: Ledger escalation\n---\n# Body\n";
        let (front, _) = split(yaml).unwrap();
        let NameOrRoutes(level_two) = front.escalation.unwrap();
        assert_eq!(level_two.name.as_deref(), Some("Ledger L2"));
        assert_eq!(level_two.opsgenie.unwrap().escalation, "Ledger escalation");
        let bad = "+++\n[escalation]\npagerduty = { mode = \"reassign\" }\n+++\n";
        let problem = split(bad).unwrap_err();
        assert!(
            problem.starts_with("front matter: escalation.pagerduty: set escalation_policy_id"),
            "{problem}"
        );
    }
}
