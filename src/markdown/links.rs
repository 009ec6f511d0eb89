//! Links and anchors: every link and image is numbered where it stands ("[3]") so that
//! `o` then a number can open it, and headings answer to their GitHub-style anchors.

use super::Rendered;

/// A numbered link target: the number shown is its index + 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkTarget {
    /// As written in the playbook (not yet checked: see `Destination`).
    pub url: String,
    /// The link's text (an image's alt text), plain and sanitised.
    pub text: String,
    /// The rendered line the number is on.
    pub line: usize,
    /// An image's link rather than a page's.
    pub image: bool,
}

/// What following a link means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination<'a> {
    /// `#anchor`: a heading of the same playbook.
    Anchor(&'a str),
    /// http(s), mailto: the browser or mail client.
    Web(&'a str),
    /// A path relative to the playbook's file (maybe with `#anchor`).
    Relative(&'a str),
    /// Anything else (`javascript:`, `data:`, a control character): never opened.
    Refused,
}

impl LinkTarget {
    pub fn destination(&self) -> Destination<'_> {
        let url = self.url.trim();
        // Bidi and zero-width characters too: an address that reads as another.
        if url.chars().any(crate::sanitize::is_unsafe) || url.is_empty() {
            return Destination::Refused;
        }
        if let Some(anchor) = url.strip_prefix('#') {
            return Destination::Anchor(anchor);
        }
        match url.split_once(':') {
            Some((scheme, _)) if is_scheme(scheme) => {
                let web = ["http", "https", "mailto"];
                if web.iter().any(|s| s.eq_ignore_ascii_case(scheme)) {
                    Destination::Web(url)
                } else {
                    Destination::Refused
                }
            }
            _ if url.starts_with("//") => Destination::Refused,
            _ => Destination::Relative(url),
        }
    }
}

/// `C:` in a Windows path is not a scheme, but `data:` and `javascript:` are.
pub(crate) fn is_scheme(text: &str) -> bool {
    text.len() > 1
        && text.starts_with(|c: char| c.is_ascii_alphabetic())
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// The first bare `http(s)://` URL in `text`, as byte offsets, without the punctuation
/// that ends a sentence after it ("see https://x/y." links `https://x/y`).
pub(super) fn bare_url(text: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    while let Some(found) = text[from..].find("://") {
        let colon = from + found;
        // After the last character that is not a letter, however many bytes it has.
        let scheme_start = text[..colon]
            .char_indices()
            .rev()
            .find(|(_, c)| !c.is_ascii_alphabetic())
            .map_or(0, |(i, c)| i + c.len_utf8());
        let scheme = &text[scheme_start..colon];
        let is_web = scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https");
        if !is_web {
            // Checked before looking for the URL's end: "x://x://…" must not rescan the
            // rest of a 100,000-character line at every "://".
            from = colon + 3;
            continue;
        }
        let rest = &text[colon + 3..];
        let length = rest
            .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`'))
            .unwrap_or(rest.len());
        let mut end = colon + 3 + length;
        // Closing punctuation is the sentence's, and a `)` only if it has no `(` partner
        // (counted once, not at every `)` taken off).
        let url = &text[scheme_start..end];
        let opening = url.matches('(').count();
        let mut closing = url.matches(')').count();
        while let Some(last) = text[scheme_start..end].chars().last() {
            match last {
                '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '*' | '_' => end -= 1,
                ')' if closing > opening => {
                    closing -= 1;
                    end -= 1;
                }
                _ => break,
            }
        }
        if end > colon + 3 {
            return Some((scheme_start, end));
        }
        from = colon + 3;
    }
    None
}

/// A heading's anchor as GitHub writes it: lower case, spaces to `-`, punctuation other
/// than `-` and `_` dropped ("Roll back: the deploy" → "roll-back-the-deploy").
pub fn slug(heading: &str) -> String {
    heading
        .trim()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            '-' | '_' => Some(c),
            c if c.is_alphanumeric() => Some(c),
            _ => None,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

impl Rendered {
    /// The heading whose text or anchor is `name`, as an index (see `find_heading`).
    pub fn heading_named(&self, name: &str) -> Option<usize> {
        find_heading(&self.headings, name)
    }
}

/// The heading whose text or anchor is `name` (case-insensitive), as an index.
/// A repeated heading's anchor is numbered as on GitHub: `notes`, `notes-1`, ….
pub fn find_heading(headings: &[super::Heading], name: &str) -> Option<usize> {
    let wanted = name.trim().trim_start_matches('#');
    if let Some(index) = headings
        .iter()
        .position(|h| h.text.eq_ignore_ascii_case(wanted))
    {
        return Some(index);
    }
    let wanted = wanted.to_lowercase();
    let mut seen: std::collections::HashMap<String, usize> = Default::default();
    headings.iter().position(|heading| {
        let slugged = slug(&heading.text);
        let count = seen.entry(slugged.clone()).or_insert(0);
        let anchor = match *count {
            0 => slugged,
            n => format!("{slugged}-{n}"),
        };
        *count += 1;
        anchor == wanted
    })
}

#[cfg(test)]
mod tests {
    use super::{Destination, LinkTarget, slug};
    use crate::markdown::{plain, render};

    #[test]
    fn links_and_images_are_numbered_where_they_stand() {
        let out = render(
            "See [the dashboard](https://grafana.example/d/1) and ![flow](img/flow.png \
             \"Flow\").\n\n[back up](#rollback) or <https://status.example>.",
            100,
        );
        let text: Vec<String> = out.lines.iter().map(plain).collect();
        assert_eq!(text[0], "See the dashboard[1] and [image: flow][2].");
        assert_eq!(text[2], "back up[3] or https://status.example[4].");
        let urls: Vec<(&str, &str, usize, bool)> = out
            .links
            .iter()
            .map(|l| (l.url.as_str(), l.text.as_str(), l.line, l.image))
            .collect();
        assert_eq!(
            urls,
            [
                ("https://grafana.example/d/1", "the dashboard", 0, false),
                ("img/flow.png", "flow", 0, true),
                ("#rollback", "back up", 2, false),
                ("https://status.example", "https://status.example", 2, false)
            ]
        );
    }

    #[test]
    fn bare_urls_are_numbered_links_without_the_sentences_punctuation() {
        let out = render(
            "Dashboard: https://grafana.example/d/1?x=(a). Status (https://status.example), \
             not ftp://files.example or `https://in.code`.",
            200,
        );
        assert_eq!(
            plain(&out.lines[0]),
            "Dashboard: https://grafana.example/d/1?x=(a)[1]. Status \
             (https://status.example[2]), not ftp://files.example or https://in.code."
        );
        let urls: Vec<&str> = out.links.iter().map(|l| l.url.as_str()).collect();
        assert_eq!(
            urls,
            [
                "https://grafana.example/d/1?x=(a)",
                "https://status.example"
            ]
        );
    }

    #[test]
    fn only_web_links_anchors_and_relative_paths_may_be_followed() {
        let kind = |url: &str| {
            let target = LinkTarget {
                url: url.into(),
                text: String::new(),
                line: 0,
                image: false,
            };
            match target.destination() {
                Destination::Anchor(_) => "anchor",
                Destination::Web(_) => "web",
                Destination::Relative(_) => "relative",
                Destination::Refused => "refused",
            }
        };
        assert_eq!(kind("https://grafana.example/d/1"), "web");
        assert_eq!(kind("HTTP://x"), "web");
        assert_eq!(kind("mailto:oncall@example.com"), "web");
        assert_eq!(kind("#roll-back"), "anchor");
        assert_eq!(kind("../storefront/cdn.md#purge"), "relative");
        assert_eq!(kind("javascript:alert(1)"), "refused");
        assert_eq!(kind("data:text/html,<b>x</b>"), "refused");
        assert_eq!(kind("file:///etc/passwd"), "refused");
        assert_eq!(kind("https://x/\u{1b}]52;c;AAAA\u{7}"), "refused");
        assert_eq!(kind("//evil.example/x"), "refused");
    }

    #[test]
    fn anchors_are_github_slugs() {
        assert_eq!(slug("Roll back: the deploy"), "roll-back-the-deploy");
        assert_eq!(slug("HighErrorRate"), "higherrorrate");
        assert_eq!(slug("5xx spike (checkout_api)"), "5xx-spike-checkout_api");
        assert_eq!(slug("Über-Fehler"), "über-fehler");
        let out = render("# Top\n\n## Roll back: the deploy\n\ntext", 80);
        assert_eq!(out.heading_named("roll-back-the-deploy"), Some(1));
        assert_eq!(out.heading_named("#roll-back-the-deploy"), Some(1));
        assert_eq!(out.heading_named("ROLL BACK: THE DEPLOY"), Some(1));
        assert_eq!(out.heading_named("nope"), None);
        let out = render("## Notes\n\none\n\n## Notes\n\ntwo", 80);
        assert_eq!(
            out.heading_named("notes-1"),
            Some(1),
            "the second, as GitHub numbers it"
        );
    }
}

#[cfg(test)]
mod slow_text_tests {
    use super::bare_url;
    use std::time::{Duration, Instant};

    #[test]
    fn finding_bare_urls_is_linear_in_the_text() {
        for text in [
            "x://".repeat(25_000),
            format!("http://x{}", ")".repeat(100_000)),
            format!("https://x/{}", ".".repeat(100_000)),
        ] {
            let started = Instant::now();
            let mut rest = text.as_str();
            while let Some((_, end)) = bare_url(rest) {
                rest = &rest[end..];
            }
            // Quadratic took a minute here; linear takes well under a second, unoptimised.
            assert!(
                started.elapsed() < Duration::from_secs(2),
                "{}",
                &text[..12]
            );
        }
        assert_eq!(bare_url("see http://x/(a)))."), Some((4, 16)));
        // Found by the markdown fuzz target: a multi-byte character before "://".
        assert_eq!(bare_url("断片\u{FFFD}://x"), None);
        assert_eq!(bare_url("見て→https://x"), Some((9, 18)));
    }
}

#[cfg(test)]
mod footnote_tests {
    use crate::markdown::{plain, render};

    #[test]
    fn footnotes_are_numbered_in_order_of_mention_and_noted_beside_their_text() {
        let out = render(
            "It was a deploy[^deploys], mostly[^why].\n\n[^why]: Config.\n\n[^deploys]: 19 of 21.\n",
            80,
        );
        let text: Vec<String> = out.lines.iter().map(plain).collect();
        assert_eq!(
            text,
            [
                "It was a deploy¹, mostly².",
                "",
                "² Config.",
                "",
                "¹ 19 of 21."
            ]
        );
    }
}

#[cfg(test)]
mod heading_tests {
    use crate::markdown::render;

    #[test]
    fn a_long_heading_that_wraps_is_found_at_its_first_line() {
        let out = render(
            "intro\n\n## Checkout answers slowly because the database pool is exhausted\n\ntext",
            24,
        );
        let heading = &out.headings[0];
        assert!(
            out.lines[heading.line + 1]
                .iter()
                .any(|s| !s.text.is_empty())
        );
        assert_eq!(
            crate::markdown::plain(&out.lines[heading.line]),
            "Checkout answers slowly"
        );
    }
}
