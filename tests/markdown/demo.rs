//! The built-in demo is where a newcomer first meets the pane: its playbooks show every
//! construct the renderer knows.

use pagerdeck::markdown::{Rendered, plain, render};
use pagerdeck::providers::demo::DEMO_PLAYBOOKS;
use pagerdeck::theme::Role;

fn demo() -> Vec<Rendered> {
    DEMO_PLAYBOOKS
        .iter()
        .map(|(path, text)| {
            let playbook = pagerdeck::playbook::Playbook::parse(path, text).unwrap();
            render(&playbook.body, 80)
        })
        .collect()
}

#[test]
fn the_demo_playbooks_use_every_construct() {
    let all = demo();
    let lines = || all.iter().flat_map(|r| r.lines.iter());
    let has_role = |role: Role| lines().flatten().any(|s| s.roles.contains(&role));
    let has_text = |wanted: &str| lines().any(|l| plain(l).contains(wanted));
    for role in [
        Role::Heading1,
        Role::Heading2,
        Role::Heading3,
        Role::Emphasis,
        Role::Strong,
        Role::Code,
        Role::CodeBlock,
        Role::Quote,
        Role::TaskDone,
        Role::Link,
        Role::Rule,
    ] {
        assert!(has_role(role), "no {role:?} in the demo");
    }
    let levels: Vec<u8> = all
        .iter()
        .flat_map(|r| r.headings.iter().map(|h| h.level))
        .collect();
    assert!(levels.contains(&4), "a level-4 heading");
    assert!(
        all.iter().any(|r| r.items.iter().any(|i| i.task)),
        "task lists"
    );
    assert!(
        all.iter().any(|r| r.items.iter().any(|i| i.top_ordered)),
        "numbered lists"
    );
    assert!(has_text("┌─ sh"), "a fenced block with its language");
    assert!(
        has_text("│ kafka-consumer-groups"),
        "an indented code block"
    );
    assert!(has_text("▎ ▎ "), "a nested quote");
    assert!(has_text("─┼─"), "a table");
    assert!(has_text("[image: "), "an image with its alt text");
    assert!(has_text("deploy¹"), "a footnote reference");
    assert!(has_text("<!-- Reviewed"), "raw HTML, shown as text");
    assert!(has_text("⚠️"), "emoji");
    let links = || all.iter().flat_map(|r| r.links.iter());
    assert!(links().any(|l| l.url.starts_with('#')), "an anchor link");
    assert!(
        links().any(|l| l.url.starts_with("README.md#")),
        "a link to another playbook"
    );
    assert!(links().any(|l| l.url.starts_with("https://")), "a web link");
}
