//! Links and headings as lint sees them: where each link is and where it points, and the
//! GitHub-style anchor of every heading (the anchors a team's links are written against).

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

use pulldown_cmark::{Event, LinkType, Parser, Tag, TagEnd};

use crate::markdown::{OPTIONS, is_scheme, slug};

/// A link or image in a playbook body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// 0-based line in the body.
    pub line: usize,
    pub dest: String,
}

/// What lint needs from one body: its links, and its headings' anchors.
#[derive(Debug, Default, Clone)]
pub struct Outline {
    pub links: Vec<Link>,
    /// Lower-case slugs, duplicates numbered as GitHub does (`steps`, `steps-1`, …).
    pub anchors: HashSet<String>,
}

impl Outline {
    /// Does `fragment` (as written after `#`, maybe percent-encoded) name a heading here?
    /// Compared without case: GitHub's pages find `#HighErrorRate` as well.
    pub fn has_anchor(&self, fragment: &str) -> bool {
        self.anchors
            .contains(&percent_decode(fragment).to_lowercase())
    }
}

/// One pass over the body with source offsets, so every link has its line.
pub fn outline(body: &str) -> Outline {
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(body.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_of = |offset: usize| {
        line_starts
            .partition_point(|&start| start <= offset)
            .saturating_sub(1)
    };
    let mut outline = Outline::default();
    let mut heading: Option<String> = None;
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (event, range) in Parser::new_ext(body, OPTIONS).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { .. }) => heading = Some(String::new()),
            Event::End(TagEnd::Heading(_)) => {
                if let Some(text) = heading.take() {
                    let slug = slug(&text);
                    let count = seen.entry(slug.clone()).or_insert(0);
                    let anchor = match *count {
                        0 => slug,
                        n => format!("{slug}-{n}"),
                    };
                    *count += 1;
                    outline.anchors.insert(anchor);
                }
            }
            Event::Text(text) | Event::Code(text) => {
                if let Some(heading) = &mut heading {
                    heading.push_str(&text);
                }
            }
            Event::Start(
                Tag::Link {
                    link_type,
                    dest_url,
                    ..
                }
                | Tag::Image {
                    link_type,
                    dest_url,
                    ..
                },
            ) if link_type != LinkType::Email => outline.links.push(Link {
                line: line_of(range.start),
                dest: dest_url.into_string(),
            }),
            _ => {}
        }
    }
    outline
}

/// Where a link points, as far as a linter without network can tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A URL with a scheme (https, mailto, …), protocol-relative or root-relative: the
    /// repository root is not known here, so nothing to check.
    Unchecked,
    /// `#section` in the same file.
    SameFile { anchor: String },
    /// `other.md` or `../x/other.md#section`, relative to the linking file's folder.
    File {
        path: PathBuf,
        anchor: Option<String>,
    },
}

pub fn target(dest: &str) -> Target {
    let has_scheme = dest
        .split_once(':')
        .is_some_and(|(scheme, _)| is_scheme(scheme));
    if dest.is_empty() || has_scheme || dest.starts_with('/') {
        return Target::Unchecked;
    }
    let (path, anchor) = match dest.split_once('#') {
        Some((path, anchor)) => (path, (!anchor.is_empty()).then(|| anchor.to_string())),
        None => (dest, None),
    };
    let path = path.split_once('?').map_or(path, |(path, _)| path);
    match (path.is_empty(), anchor) {
        (true, Some(anchor)) => Target::SameFile { anchor },
        (true, None) => Target::Unchecked,
        (false, anchor) => Target::File {
            path: PathBuf::from(percent_decode(path)),
            anchor,
        },
    }
}

/// `my%20notes.md` is the file `my notes.md`.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `a/b/../c.md` is `a/c.md`, without asking the disk: linked files are compared with the
/// loaded playbooks' paths, which were built the same way.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if matches!(out.components().next_back(), Some(Component::Normal(_))) {
                    out.pop();
                } else {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_follow_github() {
        assert_eq!(slug("HighErrorRate"), "higherrorrate");
        assert_eq!(slug("Roll back (fast!)"), "roll-back-fast");
        assert_eq!(slug("What's `kubectl` doing?"), "whats-kubectl-doing");
        assert_eq!(slug("p99 > 1.5 s: act"), "p99--15-s-act");
        assert_eq!(slug("snake_case & kebab-case"), "snake_case--kebab-case");
        assert_eq!(slug("Über Größe"), "über-größe");
    }

    #[test]
    fn links_have_lines_and_headings_have_numbered_anchors() {
        let body = "# Top\n\nSee [a](a.md)\nand ![img](pics/x.png).\n\n## Steps\n\n### Steps\n\n## Restart `api` (carefully)\n<mail@example.com> [web](https://x)\n";
        let outline = outline(body);
        let links: Vec<_> = outline
            .links
            .iter()
            .map(|l| (l.line, l.dest.as_str()))
            .collect();
        assert_eq!(
            links,
            [(2, "a.md"), (3, "pics/x.png"), (10, "https://x")],
            "the e-mail autolink is not a file"
        );
        for anchor in ["top", "steps", "steps-1", "restart-api-carefully"] {
            assert!(
                outline.has_anchor(anchor),
                "{anchor}: {:?}",
                outline.anchors
            );
        }
        assert!(outline.has_anchor("Restart-API-carefully"));
        assert!(!outline.has_anchor("steps-2"));
    }

    #[test]
    fn targets() {
        for dest in [
            "https://x/y.md",
            "mailto:a@b",
            "//host/x",
            "/abs.md",
            "",
            "slack://c",
        ] {
            assert_eq!(target(dest), Target::Unchecked, "{dest}");
        }
        assert_eq!(
            target("#Steps"),
            Target::SameFile {
                anchor: "Steps".into()
            }
        );
        assert_eq!(
            target("../b/my%20notes.md?plain=1#x"),
            Target::File {
                path: "../b/my notes.md".into(),
                anchor: Some("x".into())
            }
        );
        assert_eq!(
            target("c.md#"),
            Target::File {
                path: "c.md".into(),
                anchor: None
            }
        );
    }

    #[test]
    fn paths_normalize_without_the_disk() {
        assert_eq!(
            normalize(Path::new("a/b/../c/./d.md")),
            Path::new("a/c/d.md")
        );
        assert_eq!(normalize(Path::new("../x.md")), Path::new("../x.md"));
        assert_eq!(normalize(Path::new("/r/a/../b.md")), Path::new("/r/b.md"));
    }
}
