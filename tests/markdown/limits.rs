//! Playbooks at the limits: huge lines, deep nesting and broken front matter must render
//! readably, inside the width, quickly, and without a panic or a stack overflow.

use std::time::{Duration, Instant};

use pagerdeck::markdown::{Rendered, plain, render};
use pagerdeck::playbook::Playbook;

use crate::show::{assert_clean, assert_clean_buffer, assert_fits};

/// Quadratic layout of these took from seconds to minutes (unoptimised build); linear
/// takes milliseconds, so this bound holds on a busy machine and fails on a regression.
const BOUND: Duration = Duration::from_secs(5);

fn timed(what: &str, markdown: &str, width: u16) -> Rendered {
    let started = Instant::now();
    let rendered = render(markdown, width);
    let took = started.elapsed();
    assert!(took < BOUND, "{what}: took {took:?}");
    assert_fits(&rendered, width, what);
    assert_clean(&rendered, what);
    rendered
}

fn squeezed(rendered: &Rendered) -> String {
    let text: String = rendered.lines.iter().map(plain).collect();
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn a_100_000_character_line_wraps_to_the_width_in_bounded_time() {
    let word = "x".repeat(100_000);
    let rendered = timed("one word", &word, 40);
    assert_eq!(rendered.lines.len(), 2_500, "cut into lines of exactly 40");
    assert_eq!(squeezed(&rendered), word);
    let words = "lag ".repeat(25_000);
    assert_eq!(squeezed(&timed("words", &words, 80)), "lag".repeat(25_000));
    let cjk = "遅延".repeat(50_000);
    let rendered = timed("CJK", &cjk, 40);
    assert_eq!(
        rendered.lines.len(),
        5_000,
        "20 double-width characters a line"
    );
    timed("emoji", &"👩‍💻🔥".repeat(30_000), 40);
    timed("hostile", &crate::hostile::NASTY.repeat(500), 40);
}

#[test]
fn a_100_000_character_line_in_every_construct() {
    let long = "y".repeat(100_000);
    let url = format!("https://example.com/{}", "a/".repeat(50_000));
    for (what, md) in [
        ("heading", format!("## {long}\n")),
        ("code", format!("```\n{long}\n```\n")),
        ("inline code", format!("`{long}`\n")),
        ("link text", format!("[{long}](https://x)\n")),
        ("bare url", url.clone()),
        ("url into a sentence", format!("See {url}).")),
        ("not a web url", "x://".repeat(25_000)),
        ("parentheses", format!("http://x{}", ")".repeat(100_000))),
        (
            "table cell",
            format!(
                "| a | b |\n|---|---|\n| {long} | {} |\n",
                "z ".repeat(50_000)
            ),
        ),
        ("list item", format!("- [ ] {long}\n")),
        ("quote", format!("> {long}\n")),
        ("brackets", "[".repeat(100_000)),
        ("emphasis", "*a **b ".repeat(15_000)),
    ] {
        let rendered = timed(what, &md, 40);
        assert!(!rendered.lines.is_empty(), "{what}");
    }
    // A code line is never wrapped: one line, cut with a mark; copied whole.
    let rendered = timed(
        "step code",
        &format!("- [ ] x\n  ```\n  {long}\n  ```\n"),
        40,
    );
    assert_eq!(rendered.lines.len(), 4);
    assert!(plain(&rendered.lines[2]).ends_with('…'));
    assert_eq!(rendered.items[0].code, [long]);
}

#[test]
fn ten_thousand_levels_of_nesting_neither_overflow_nor_crawl() {
    let depth = 10_000;
    for (what, md) in [
        ("quotes", format!("{}deep", ">".repeat(depth))),
        ("quotes with spaces", format!("{}deep", "> ".repeat(depth))),
        ("bullets", format!("{}deep", "- ".repeat(depth))),
        ("numbers", format!("{}deep", "1. ".repeat(depth))),
        ("tasks", format!("{}deep", "- [ ] ".repeat(depth))),
        (
            "quotes and lists",
            format!("{}deep", "> - ".repeat(depth / 2)),
        ),
        (
            "emphasis",
            format!("{}deep{}", "*_".repeat(depth), "_*".repeat(depth)),
        ),
        (
            "links",
            format!("{}deep{}", "[".repeat(depth), "](x)".repeat(depth)),
        ),
    ] {
        for width in [40, 80] {
            let rendered = timed(what, &md, width);
            assert!(squeezed(&rendered).contains("deep"), "{what}: text lost");
            // Nesting is drawn as far as half the width allows; the text keeps the rest.
            let line = rendered
                .lines
                .iter()
                .map(plain)
                .find(|l| l.contains("deep"));
            assert!(line.unwrap().len() > 4, "{what}");
            assert_clean_buffer(&rendered, width, what);
        }
    }
    // Indented lists nest as deep as the indentation says: 300 levels is 90,000 bytes.
    let mut lists = String::new();
    for level in 0..300 {
        lists.push_str(&format!("{}- level {level}\n", "  ".repeat(level)));
    }
    let rendered = timed("indented lists", &lists, 40);
    assert_eq!(rendered.items.len(), 300);
    assert_eq!(plain(rendered.lines.last().unwrap()).trim(), "• level 299");
}

#[test]
fn broken_front_matter_is_an_error_but_the_playbook_stays_readable() {
    let broken = [
        (
            "toml",
            "+++\nteam = \x1b[31mpayments\nalerts = [\"Lag\"\n+++\n# Lag\n\n- [ ] look\n",
        ),
        (
            "yaml",
            "---\nteam: [payments\nalerts: {Lag\n---\n# Lag\n\n- [ ] look\n",
        ),
        ("unclosed", "---\nteam: payments\n# Lag\n\n- [ ] look\n"),
        (
            "binary",
            "+++\nteam = \u{0}\u{1}\u{fffe}\x1b]52;c;AAAA\x07\n+++\n# Lag\n\n- [ ] look\n",
        ),
    ];
    for (what, text) in broken {
        assert!(Playbook::parse("x.md", text).is_err(), "{what}");
        let (playbook, problem) = Playbook::parse_lenient("x.md", text);
        // The problem is shown on the status line: it must not echo the controls.
        let problem = problem.unwrap();
        assert!(
            !problem.chars().any(char::is_control),
            "{what}: {problem:?}"
        );
        assert_eq!(playbook.team, None, "{what}");
        // The whole file is shown as markdown: the front matter as text, then the body.
        for width in [40, 80] {
            let rendered = timed(what, &playbook.body, width);
            assert_clean_buffer(&rendered, width, what);
            assert_eq!(
                rendered.heading_named("Lag").map(|_| ()),
                Some(()),
                "{what}"
            );
            assert_eq!(rendered.steps(Some("Lag")).len(), 1, "{what}");
            assert!(squeezed(&rendered).contains("team"), "{what}");
        }
    }
}
