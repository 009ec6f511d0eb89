//! Hostile text: nothing in a playbook may reach the terminal as a control sequence, in
//! any construct, nor through the pane's buffer.

use pagerdeck::markdown::{Destination, Rendered, render};

use crate::show::{assert_clean, assert_clean_buffer, assert_fits};

/// Every way to steer a terminal or reorder text that a playbook might carry: CSI (7 and
/// 8 bit), OSC 52 (clipboard) and OSC 8 (hyperlink) with both terminators, C1, other C0
/// controls, DEL, bidi embeddings, overrides, isolates and marks, and a tab.
pub const NASTY: &str = "a\x1b[31mred\x1b[0m \x1b[2J\x1b[H b\x1b]52;c;cm0gLXJmIH4=\x07 \
    c\x1b]8;;http://evil.example\x1b\\link\x1b]8;;\x1b\\ d\u{9b}31m \u{9d}0;title\u{9c} \
    e\x01\x02\x07\x08\x0b\x0c\x0e\x1a\x1f\x7f f\u{85}\u{90}\u{9f} \
    g\u{202A}\u{202B}\u{202C}\u{202D}\u{202E}txet\u{2066}\u{2067}\u{2068}\u{2069}\u{200E}\u{200F}\u{061C} \
    tab\there";

/// `NASTY` with its brackets escaped, to stand inside `[…]` (link text, alt text).
fn bracketed() -> String {
    NASTY.replace('[', "\\[").replace(']', "\\]")
}

/// A footnote's name (no brackets, no spaces) full of controls.
const NAME: &str = "evil\x1b\x07\u{9b}2J\u{9d}\u{202E}\u{2066}\x7fname";

fn check(what: &str, markdown: &str) -> Rendered {
    for width in [20, 40, 80] {
        let rendered = render(markdown, width);
        assert_fits(&rendered, width, what);
        assert_clean(&rendered, what);
        assert_clean_buffer(&rendered, width, what);
    }
    render(markdown, 80)
}

fn plain_text(rendered: &Rendered) -> String {
    let lines = rendered.lines.iter().map(pagerdeck::markdown::plain);
    lines.collect::<Vec<_>>().join("\n")
}

#[test]
fn a_whole_hostile_playbook_renders_clean() {
    let n = NASTY;
    let playbook = format!(
        "# Heading {n}\n\n## Second {n}\n\nParagraph {n} with *em {n}* and **strong {n}** and `code {n}`.\n\n\
         > quote {n}\n> > nested {n}\n\n- item {n}\n  - [ ] task {n}\n    ```sh\n    run {n}\n    ```\n\
         1. [x] done {n}\n\n[link {n}](<https://x.example/{n}>) ![alt {n}](<img{n}.png>) https://bare.example/{n}\n\n\
         | head {n} | `{n}` |\n|---|---|\n| cell {n} | [l {n}](https://x) |\n\n\
         Note[^n{n}].\n\n[^n{n}]: footnote {n}\n\n<div title=\"{n}\">html {n}</div>\n\n---\n\n    indented {n}\n"
    );
    let rendered = check("playbook", &playbook);
    let text = plain_text(&rendered);
    // The visible text survives, with the controls gone and the tab expanded.
    assert!(text.contains("[31mred[0m"), "{text}");
    assert!(text.contains("tab here"), "{text}");
    assert!(text.contains("gtxet"), "{text}");
    assert!(
        rendered
            .headings
            .iter()
            .any(|h| h.text.starts_with("Heading a[31mred"))
    );
    assert!(rendered.items.iter().any(|i| i.task && i.code.len() == 1));
}

#[test]
fn link_urls_and_texts() {
    let md =
        format!("[text {NASTY}](<https://x.example/{NASTY}>) and [t](https://ok\x1b]8;;x\x07)");
    let rendered = check("links", &md);
    assert_eq!(
        rendered.links[0]
            .text
            .chars()
            .filter(|c| *c == '\t')
            .count(),
        0
    );
    // The URL is kept as written, so nothing can follow it: it is refused.
    for link in &rendered.links {
        assert_eq!(link.destination(), Destination::Refused, "{:?}", link.url);
    }
}

#[test]
fn table_cells() {
    check(
        "table",
        &format!(
            "| {NASTY} | b |\n|:-:|--:|\n| **{NASTY}** | `{NASTY}` |\n| ![{NASTY}](i.png) | [{NASTY}](https://x) |\n"
        ),
    );
}

#[test]
fn code_blocks_fenced_indented_and_inline() {
    let md = format!(
        "```{NASTY}\n{NASTY}\n\t{NASTY}\n```\n\n    {NASTY}\n\n`{NASTY}`\n\n- step\n  ```\n  {NASTY}\n  ```\n"
    );
    let rendered = check("code", &md);
    let copied = &rendered.items[0].code[0];
    assert!(
        copied.contains("tab\there"),
        "tabs are kept for the clipboard: {copied:?}"
    );
    assert!(!copied.contains('\x1b'));
}

#[test]
fn headings_of_every_level_and_setext() {
    let mut md = String::new();
    for level in 1..=6 {
        md.push_str(&format!("{} {NASTY}\n\n", "#".repeat(level)));
    }
    md.push_str(&format!("{NASTY}\n===\n\n{NASTY}\n---\n"));
    let rendered = check("headings", &md);
    assert_eq!(rendered.headings.len(), 8);
}

#[test]
fn footnote_names_and_image_alt_text() {
    let alt = bracketed();
    let md = format!(
        "See[^{NAME}] and ![{alt}](<{NASTY}>) ![alt *{alt}*](x.png \"{NASTY}\").\n\n[^{NAME}]: {NASTY}\n"
    );
    let rendered = check("footnotes and images", &md);
    let text = plain_text(&rendered);
    assert!(text.starts_with("See¹ and [image: a[31mred"), "{text}");
    assert!(
        text.contains("\n¹ a[31mred"),
        "the note has the same number: {text}"
    );
    assert_eq!(rendered.links.iter().filter(|l| l.image).count(), 2);
}

#[test]
fn raw_html_blocks_and_inline() {
    check(
        "html",
        &format!(
            "<div>\n{NASTY}\n</div>\n\nInline <span title=\"{NASTY}\">{NASTY}</span>\n\n<!-- {NASTY} -->\n"
        ),
    );
}

#[test]
fn emoji_joined_by_zero_width_joiners_stay_whole() {
    // The joiner is not a control: dropping it would split 👩‍💻 into 👩 and 💻.
    let rendered = check("zwj", "On call: 👩‍💻 and 🏳️‍🌈, \u{202E}not reversed.");
    let text = plain_text(&rendered);
    assert!(text.contains("👩\u{200D}💻"), "{text}");
    assert!(text.ends_with("not reversed."), "{text}");
}
