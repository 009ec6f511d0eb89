//! Every markdown construct a playbook uses, at widths 40 and 100.

use pagerdeck::markdown::{Rendered, plain, render};
use pagerdeck::theme::Role;
use unicode_width::UnicodeWidthStr;

use crate::show::{assert_fits, assert_keeps, settings, show};

/// Render at 40 and 100 columns: no line wider than the pane, and a snapshot of each.
fn check(name: &str, markdown: &str) -> [Rendered; 2] {
    [40, 100].map(|width| {
        let rendered = render(markdown, width);
        assert_fits(&rendered, width, name);
        settings(markdown).bind(|| {
            insta::assert_snapshot!(format!("{name}_{width}"), show(&rendered, width));
        });
        rendered
    })
}

fn texts(rendered: &Rendered) -> Vec<String> {
    rendered.lines.iter().map(plain).collect()
}

/// The roles of the first span whose text is `text`.
fn roles_of(rendered: &Rendered, text: &str) -> Vec<Role> {
    let span = rendered.lines.iter().flatten().find(|s| s.text == text);
    span.map_or_else(Vec::new, |s| s.roles.to_vec())
}

#[test]
fn headings() {
    let md = "# Level one\n\n## Level two\n\n### Level three\n\n#### Level four\n\n##### Level five\n\n###### Level six\n\n## A second-level heading long enough to need wrapping at forty columns\n";
    for rendered in check("headings", md) {
        let levels: Vec<u8> = rendered.headings.iter().map(|h| h.level).collect();
        assert_eq!(levels, [1, 2, 3, 4, 5, 6, 2]);
        let lines = texts(&rendered);
        // Without colour: six different looks, the first two by their underline.
        let looks: Vec<String> = rendered.headings[..6]
            .iter()
            .map(|h| {
                let under = lines.get(h.line + 1).and_then(|l| l.chars().next());
                let marker: String = lines[h.line].chars().take_while(|c| *c != 'L').collect();
                format!("{marker}{under:?}")
            })
            .collect();
        let mut distinct = looks.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), 6, "{looks:?}");
    }
}

#[test]
fn paragraphs() {
    let md = "When this alert fires, the consumer group has fallen behind the producers by more than the budget we agreed with the data team. Most of the time it is a slow deploy.\nA soft break joins lines;  \na hard break (two spaces) does not.\n\nSecond paragraph: averyveryveryverylongidentifierwithoutanyspacesthatcannotbreakanywhere ends here.\n";
    let [narrow, wide] = check("paragraphs", md);
    assert_keeps(&narrow, md);
    assert_keeps(&wide, md);
    for rendered in [&narrow, &wide] {
        let lines = texts(rendered);
        let hard = lines
            .iter()
            .position(|l| l.ends_with("A soft break joins lines;"));
        assert_eq!(
            lines[hard.unwrap() + 1],
            "a hard break (two spaces) does not."
        );
    }
}

#[test]
fn cjk_and_emoji() {
    let md = "オンコール担当者はまずダッシュボードを確認し、消費者グループの遅延が増えているかどうかを調べてください。\n\n🚨 Page the team 🔥🔥 if the lag keeps growing 📈; 👩‍💻 the on-call engineer owns it. 한국어 텍스트도 줄 바꿈이 되어야 합니다.\n";
    for rendered in check("cjk_and_emoji", md) {
        assert_keeps(&rendered, md);
    }
    let [narrow, _] = check("cjk_and_emoji", md);
    // Full-width characters fill the line by columns, not by characters.
    assert!(texts(&narrow)[0].width() >= 38, "{:?}", texts(&narrow)[0]);
}

#[test]
fn emphasis_strong_strikethrough_code() {
    let md = "Restart *only* the **stuck** consumer, ~~never the whole fleet~~, with `kubectl delete pod orders-consumer-7` and ***watch*** the lag; **bold with `code` inside** and *italic [link](https://x.example)*.\n";
    for rendered in check("inline_styles", md) {
        assert_eq!(roles_of(&rendered, "only"), [Role::Emphasis]);
        assert_eq!(roles_of(&rendered, "stuck"), [Role::Strong]);
        let code = rendered.lines.iter().flatten();
        let code: Vec<&str> = code
            .filter(|s| s.roles.as_slice() == [Role::Code])
            .map(|s| s.text.as_str())
            .collect();
        assert_eq!(code.join(" "), "kubectl delete pod orders-consumer-7");
        assert_eq!(roles_of(&rendered, "watch"), [Role::Emphasis, Role::Strong]);
        assert_eq!(roles_of(&rendered, "code"), [Role::Strong, Role::Code]);
        let struck = rendered.lines.iter().flatten();
        let struck: String = struck
            .filter(|s| s.roles.contains(&Role::TaskDone))
            .map(|s| s.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(struck, "never the whole fleet");
    }
}

#[test]
fn fenced_code() {
    let md = "```sh\nkubectl -n kafka exec -it kafka-0 -- kafka-consumer-groups.sh --bootstrap-server localhost:9092 --describe --group orders-consumer\necho done\n\tindented with a tab\n```\n";
    for (rendered, width) in check("fenced_code", md).iter().zip([40, 100]) {
        let lines = texts(rendered);
        assert_eq!(lines[0], "┌─ sh");
        // One rendered line per line of code: never wrapped, cut with a mark.
        assert_eq!(lines.len(), 5, "{lines:?}");
        assert!(lines[1].starts_with("│ kubectl -n kafka exec"));
        assert!(lines[1].ends_with('…') && lines[1].width() == width);
        assert_eq!(lines[2], "│ echo done");
        assert_eq!(lines[3], "│     indented with a tab");
    }
}

#[test]
fn indented_code() {
    let md = "Run this:\n\n    SELECT client_addr, state, pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn) AS lag_bytes FROM pg_stat_replication;\n    -- short line\n";
    for rendered in check("indented_code", md) {
        let lines = texts(&rendered);
        assert_eq!(lines[2], "┌─");
        assert!(lines[3].starts_with("│ SELECT client_addr") && lines[3].ends_with('…'));
        assert_eq!(lines[4], "│ -- short line");
        assert_eq!(lines[5], "└─");
    }
}

#[test]
fn lists() {
    let md = "1. Check the dashboard for the consumer group that is lagging behind the most.\n2. Find the partitions:\n   - the hot partition\n   - the others\n     1. nested ordered\n     2. and its sibling\n3. Third\n\n- bullet one\n- bullet two, long enough to wrap onto a second line at forty columns\n\n9. nine\n10. ten\n11. eleven\n";
    for rendered in check("lists", md) {
        assert_keeps(
            &rendered,
            "1. Check the dashboard for the consumer group that is lagging behind the most.",
        );
        assert_keeps(
            &rendered,
            "• bullet two, long enough to wrap onto a second line at forty columns",
        );
        let lines = texts(&rendered);
        // Sub-items line up with their parent's text, not its number.
        let parent = lines
            .iter()
            .position(|l| l == "2. Find the partitions:")
            .unwrap();
        assert_eq!(lines[parent + 1], "   • the hot partition");
        assert_eq!(lines[parent + 3], "     1. nested ordered");
        let top: Vec<&str> = rendered
            .items
            .iter()
            .filter(|i| i.top_ordered)
            .map(|i| i.text.as_str())
            .collect();
        assert_eq!(
            top[..3],
            [
                "Check the dashboard for the consumer group that is lagging behind the most.",
                "Find the partitions:",
                "Third"
            ]
        );
    }
}

#[test]
fn task_lists() {
    let md = "- [ ] Acknowledge the page\n- [x] Open the incident channel and post the first update with the dashboard link\n  - a note under a finished step\n- [ ] Roll back\n\n1. [ ] numbered task\n2. [x] numbered and done\n";
    for rendered in check("task_lists", md) {
        let lines = texts(&rendered);
        assert_eq!(lines[0], "☐ Acknowledge the page");
        assert!(lines[1].starts_with("☑ Open the incident channel"));
        assert!(lines.contains(&"1. ☐ numbered task".to_string()));
        let tasks: Vec<bool> = rendered.items.iter().map(|i| i.task).collect();
        assert_eq!(tasks, [true, true, false, true, true, true]);
        assert_eq!(rendered.steps(None).len(), 5);
    }
}

#[test]
fn block_quotes() {
    let md = "> **Never** restart all brokers at once: the controller election storm takes the cluster down for minutes.\n>\n> > Nested: a quote inside a quote, long enough to wrap at forty columns.\n> >\n> > > Three deep.\n>\n> Back to one.\n\n- a list item\n  > quoted inside the item\n\n  the item goes on after the quote\n";
    for rendered in check("block_quotes", md) {
        let lines = texts(&rendered);
        let end = lines.iter().position(|l| l == "▎ Back to one.").unwrap();
        // Every line of the quote has its bar, blank ones too, as deep as it is nested.
        assert!(
            lines[..=end].iter().all(|l| l.starts_with('▎')),
            "{lines:?}"
        );
        assert!(lines.iter().any(|l| l == "▎ ▎ ▎ Three deep."));
        assert!(lines.contains(&"  ▎ quoted inside the item".to_string()));
        assert_eq!(lines.last().unwrap(), "  the item goes on after the quote");
        assert!(roles_of(&rendered, "Never").contains(&Role::Quote));
    }
}

#[test]
fn tables() {
    let md = "| Lag | Meaning | Action |\n|---|:---:|---:|\n| < 1k | normal | none |\n| 1k - 100k | behind | watch |\n| > 100k | **stuck** | `restart` |\n";
    for rendered in check("tables", md) {
        let lines = texts(&rendered);
        assert_eq!(lines[0], "Lag       │ Meaning │  Action");
        // Centred and right-aligned as the delimiter row says.
        assert_eq!(lines[2], "< 1k      │ normal  │    none");
        assert_eq!(lines[4], "> 100k    │  stuck  │ restart");
        assert_eq!(roles_of(&rendered, "stuck"), [Role::Strong]);
        assert_eq!(roles_of(&rendered, "restart"), [Role::Code]);
        assert_eq!(roles_of(&rendered, "Lag"), [Role::Strong]);
    }
}

#[test]
fn wide_table() {
    let md = "| Consumer group | Topic | Owner team | Slack channel | Runbook |\n|---|---|---|---|---|\n| orders-consumer | orders.v2 | payments | #payments-oncall | https://runbooks.example.com/kafka/orders-consumer |\n| search-indexer | catalog.changes | storefront | #storefront-oncall | [runbook](https://runbooks.example.com/search) |\n";
    let [narrow, wide] = check("wide_table", md);
    // Nothing is cut: every cell and both link numbers are there, in records at 40
    // columns and wrapped inside its column at 100.
    let runbooks: String = texts(&wide)
        .iter()
        .filter_map(|l| l.rsplit(" │ ").next().map(str::trim))
        .collect();
    assert!(
        runbooks.contains("https://runbooks.example.com/kafka/orders-consumer[1]runbook[2]"),
        "{runbooks}"
    );
    for rendered in [&narrow, &wide] {
        for cell in [
            "orders-consumer",
            "orders.v2",
            "#payments-oncall",
            "#storefront-oncall",
            "runbook[2]",
        ] {
            assert_keeps(rendered, cell);
        }
        assert_keeps(
            &narrow,
            "https://runbooks.example.com/kafka/orders-consumer[1]",
        );
        assert!(!texts(rendered).concat().contains('…'));
        assert_eq!(rendered.links.len(), 2);
    }
    assert_eq!(texts(&narrow)[0], "Consumer group: orders-consumer");
    assert!(texts(&wide)[0].starts_with("Consumer group  │ Topic"));
}

#[test]
fn links() {
    let md = "Open the [lag dashboard](https://grafana.example.com/d/kafka-lag) and the [broker view](https://grafana.example.com/d/kafka-brokers \"Brokers\"), then [the escalation section](#escalate) or [the team page](../README.md#contacts).\n";
    for rendered in check("links", md) {
        assert_keeps(
            &rendered,
            "Open the lag dashboard[1] and the broker view[2], then the escalation section[3] or the team page[4].",
        );
        let urls: Vec<&str> = rendered.links.iter().map(|l| l.url.as_str()).collect();
        assert_eq!(
            urls,
            [
                "https://grafana.example.com/d/kafka-lag",
                "https://grafana.example.com/d/kafka-brokers",
                "#escalate",
                "../README.md#contacts"
            ]
        );
        assert_eq!(roles_of(&rendered, "lag dashboard"), [Role::Link]);
        assert_eq!(roles_of(&rendered, "[1]"), [Role::Link]);
        // The link's text knows its link (for OSC 8 hyperlinks); its number does not.
        let link_of = |text: &str| {
            rendered
                .lines
                .iter()
                .flatten()
                .find(|s| s.text == text)
                .map(|s| s.link)
        };
        assert_eq!(link_of("lag dashboard"), Some(Some(1)));
        assert_eq!(link_of("[1]"), Some(None));
        // The sentence's full stop stays with the link it follows.
        assert!(!texts(&rendered).iter().any(|l| l.starts_with('.')));
    }
}

#[test]
fn bare_urls() {
    let md = "Status page: https://status.example.com/incidents. Logs at <https://logs.example.com/app/discover#/?q=orders>, and http://very.long.example.com/a/really/long/path/that/does/not/fit/in/forty/columns/at/all?query=1.\n";
    for rendered in check("bare_urls", md) {
        let urls: Vec<&str> = rendered.links.iter().map(|l| l.url.as_str()).collect();
        assert_eq!(
            urls,
            [
                "https://status.example.com/incidents",
                "https://logs.example.com/app/discover#/?q=orders",
                "http://very.long.example.com/a/really/long/path/that/does/not/fit/in/forty/columns/at/all?query=1"
            ]
        );
        assert_keeps(&rendered, "https://status.example.com/incidents[1].");
    }
}

#[test]
fn images() {
    let md = "![Consumer lag by partition over the last six hours](https://grafana.example.com/render/lag.png) and an inline ![icon](icon.png) image.\n";
    for rendered in check("images", md) {
        assert_keeps(
            &rendered,
            "[image: Consumer lag by partition over the last six hours][1] and an inline [image: icon][2] image.",
        );
        assert!(rendered.links.iter().all(|l| l.image));
        assert_eq!(rendered.links[1].text, "icon");
    }
}

#[test]
fn horizontal_rules() {
    let md = "Above\n\n---\n\nBetween\n\n***\n\n> in a quote\n>\n> ---\n";
    for (rendered, width) in check("horizontal_rules", md).iter().zip([40, 100]) {
        let lines = texts(rendered);
        let full = "─".repeat(width);
        assert_eq!(lines.iter().filter(|l| **l == full).count(), 2);
        assert_eq!(
            lines.last().unwrap(),
            &format!("▎ {}", "─".repeat(width - 2))
        );
    }
}

#[test]
fn footnotes() {
    let md = "Lag alerts page after 10 minutes[^window] unless the topic is compacted[^compact].\n\n[^window]: Measured with `max_over_time` over the window, so short spikes do not page.\n\n[^compact]: Compacted topics lag by design while the cleaner runs.\n";
    for rendered in check("footnotes", md) {
        let lines = texts(&rendered);
        assert!(lines[0].starts_with("Lag alerts page after 10 minutes¹"));
        assert_keeps(&rendered, "compacted².");
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("¹ Measured with max_over_time"))
        );
        assert!(lines.iter().any(|l| l.starts_with("² Compacted topics")));
        assert_eq!(roles_of(&rendered, "¹"), [Role::Link]);
    }
}

#[test]
fn raw_html() {
    let md = "Inline <b>bold?</b> and <span style=\"color:red\">red</span> are text.\n\n<details>\n<summary>Click</summary>\n\nHidden <em>content</em>\n</details>\n\n<!-- a comment -->\n\nAfter.\n";
    for rendered in check("raw_html", md) {
        // Shown as written: nothing bold, nothing hidden, the comment visible.
        assert_keeps(
            &rendered,
            "Inline <b>bold?</b> and <span style=\"color:red\">red</span> are text.",
        );
        let lines = texts(&rendered);
        for html in [
            "<details>",
            "<summary>Click</summary>",
            "Hidden <em>content</em>",
            "</details>",
            "<!-- a comment -->",
        ] {
            assert!(lines.iter().any(|l| l == html), "{html} in {lines:?}");
        }
        assert!(rendered.lines.iter().flatten().all(|s| s.roles.is_empty()));
    }
}
