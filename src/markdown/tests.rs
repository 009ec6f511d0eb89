//! Rendering checks: wrapping, block constructs, hostile text.

use super::{plain, render};
use crate::theme::Role;
use unicode_width::UnicodeWidthStr;

fn text(md: &str, width: u16) -> Vec<String> {
    render(md, width).lines.iter().map(plain).collect()
}

#[test]
fn paragraphs_wrap_to_the_width_by_display_columns() {
    let lines = text("one two three four five six seven eight nine ten", 20);
    assert!(lines.iter().all(|l| l.width() <= 20), "{lines:?}");
    assert_eq!(
        lines.join(" "),
        "one two three four five six seven eight nine ten"
    );
    let cjk = text("漢字漢字漢字漢字漢字漢字漢字", 10);
    assert!(cjk.iter().all(|l| l.width() <= 10), "{cjk:?}");
}

#[test]
fn headings_are_distinguishable_without_colour_and_indexed() {
    let rendered = render("# Top\n\ntext\n\n## Second\n\n### Third\n", 40);
    let lines: Vec<_> = rendered.lines.iter().map(plain).collect();
    assert_eq!(lines[0], "Top");
    assert_eq!(lines[1], "═══");
    assert!(lines.contains(&"──────".to_string()));
    assert!(lines.contains(&"▸ Third".to_string()));
    assert_eq!(rendered.heading_line("second"), Some(4));
}

#[test]
fn lists_tasks_and_code_blocks() {
    let md = "- [ ] check the deploy\n- [x] page the team\n  1. nested one\n\n```sh\nkubectl rollout undo deployment/checkout-api -n payments\n```\n";
    let lines = text(md, 30);
    assert_eq!(lines[0], "☐ check the deploy");
    assert_eq!(lines[1], "☑ page the team");
    assert_eq!(
        lines[2], "  1. nested one",
        "nested under the parent's text"
    );
    assert!(lines.contains(&"┌─ sh".to_string()), "{lines:?}");
    let code = lines.iter().find(|l| l.starts_with("│ kubectl")).unwrap();
    assert!(code.ends_with('…') && code.width() <= 30, "{code}");
}

#[test]
fn tables_align_and_quotes_are_marked() {
    let lines = text("| a | bbb |\n|---|---|\n| ccc | d |\n\n> careful\n", 40);
    assert_eq!(lines[0], "a   │ bbb");
    assert_eq!(lines[1], "────┼────");
    assert_eq!(lines[2], "ccc │ d");
    assert!(lines.contains(&"▎ careful".to_string()), "{lines:?}");
}

#[test]
fn hostile_text_and_tiny_widths_are_safe() {
    let md = "# \x1b]52;c;evil\x07title\n\n\u{202E}text \x1b[2J\n\n```\n\x1b[31mcode\n```\n";
    for width in [0, 1, 8, 80] {
        let rendered = render(md, width);
        for line in &rendered.lines {
            let s = plain(line);
            assert!(
                !s.chars().any(|c| c.is_control() || c == '\u{202E}'),
                "{s:?}"
            );
        }
    }
    let long = "x".repeat(100_000);
    assert!(
        render(&long, 40)
            .lines
            .iter()
            .all(|l| plain(l).width() <= 40)
    );
}

#[test]
fn blocks_nest_in_any_order_and_keep_their_columns() {
    let md = "10. ten\n    - under the text of ten\n\n    back in ten\n\n- item\n  > quoted in the item\n  >\n  > still quoted\n\n  after the quote\n- \n1. [ ] numbered task\n";
    assert_eq!(
        text(md, 40),
        [
            "10. ten",
            "    • under the text of ten",
            "    back in ten",
            "",
            "• item",
            "  ▎ quoted in the item",
            "  ▎ still quoted",
            "",
            "  after the quote",
            "•",
            "",
            "1. ☐ numbered task",
        ]
    );
}

#[test]
fn a_finished_task_strikes_only_its_own_text() {
    let rendered = render("- [x] done\n  - its note\n  - another\n- not a task\n", 40);
    let struck: Vec<bool> = rendered
        .lines
        .iter()
        .map(|line| line.iter().any(|s| s.roles.contains(&Role::TaskDone)))
        .collect();
    assert_eq!(struck, [true, true, true, false]);
}

#[test]
fn deep_nesting_stays_inside_the_width() {
    for md in [
        format!("{}x", ">".repeat(10_000)),
        format!("{}x", "- ".repeat(10_000)),
        format!("{}x", "> 1. ".repeat(3_000)),
    ] {
        let lines = text(&md, 40);
        assert!(lines.iter().all(|l| l.width() <= 40), "{lines:?}");
        assert!(lines.concat().ends_with('x'), "{lines:?}");
    }
}

#[test]
fn headings_keep_their_code_lose_controls_and_start_where_they_start() {
    let md = "# Intro\n\n## Lag on `orders` \x1b]52;c;ZXZpbA==\x07topic[^1]\n\n#### Level four, long enough to wrap at forty columns\n\n[^1]: note\n";
    let rendered = render(md, 40);
    let names: Vec<&str> = rendered.headings.iter().map(|h| h.text.as_str()).collect();
    assert_eq!(
        names,
        [
            "Intro",
            "Lag on orders ]52;c;ZXZpbA==topic",
            "Level four, long enough to wrap at forty columns"
        ]
    );
    let lines = text(md, 40);
    let four = rendered.headings[2].line;
    assert_eq!(lines[four], "▸▸ Level four, long enough to wrap at");
    assert_eq!(lines[four + 1], "   forty columns");
    assert_eq!(lines[rendered.headings[1].line + 1], "─".repeat(34));
}

#[test]
fn tables_wrap_cells_keep_styles_and_alignment() {
    let md = "- step\n\n  | Check | Command to run when the consumer is stuck |\n  |:--|--:|\n  | **lag** ![g](g.png) | `kubectl -n kafka get pods` |\n";
    let rendered = render(md, 40);
    let lines = text(md, 40);
    assert_eq!(
        lines,
        [
            "• step",
            "  Check             │     Command to run",
            "                    │  when the consumer",
            "                    │           is stuck",
            "  ──────────────────┼───────────────────",
            "  lag [image: g][1] │   kubectl -n kafka",
            "                    │           get pods",
        ]
    );
    let roles = |text: &str| {
        let line = rendered.lines.iter().flatten();
        let span = line.clone().find(|s| s.text == text);
        span.map(|s| s.roles.to_vec()).unwrap_or_default()
    };
    assert_eq!(roles("lag"), [Role::Strong]);
    assert_eq!(roles("get pods"), [Role::Code]);
    assert_eq!(roles("Check"), [Role::Strong]);
    assert_eq!(rendered.links[0].url, "g.png");
}

#[test]
fn a_table_too_wide_for_its_columns_becomes_one_record_per_row() {
    let md = "| Service | Owner | Channel | Dashboard | Runbook | Pager |\n|---|---|---|---|---|---|\n| checkout-api | payments | #pay | grafana/d/1 | rb/1 | yes |\n| search | storefront | #shop | grafana/d/2 | rb/2 | no |\n";
    let lines = text(md, 40);
    assert_eq!(
        lines[..7],
        [
            "Service: checkout-api",
            "Owner: payments",
            "Channel: #pay",
            "Dashboard: grafana/d/1",
            "Runbook: rb/1",
            "Pager: yes",
            &"─".repeat(40),
        ]
    );
    assert_eq!(lines.len(), 13, "{lines:?}");
    assert!(text(md, 100)[0].starts_with("Service      │ Owner"));
}

#[test]
fn long_code_lines_are_cut_with_a_mark_and_copied_whole_without_controls() {
    let md = "- [ ] restart\n  ```sh\n  kubectl -n kafka rollout restart statefulset/kafka-connect\x1b[201~\n  ```\n";
    let rendered = render(md, 40);
    let code = &rendered.lines[2];
    assert_eq!(plain(code), "  │ kubectl -n kafka rollout restart st…");
    let mark = code.last().unwrap();
    assert_eq!(
        (mark.text.as_str(), mark.roles.as_slice()),
        ("…", &[Role::Rule][..])
    );
    assert_eq!(
        rendered.items[0].code,
        ["kubectl -n kafka rollout restart statefulset/kafka-connect[201~"]
    );
}

#[test]
fn html_blocks_stand_apart_line_by_line_as_text() {
    let md = "Before\n<details>\n<summary>More</summary>\n</details>\n\n<!-- note -->\n\nAfter <b>x</b>\n";
    assert_eq!(
        text(md, 40),
        [
            "Before",
            "",
            "<details>",
            "<summary>More</summary>",
            "</details>",
            "",
            "<!-- note -->",
            "",
            "After <b>x</b>"
        ]
    );
}

#[test]
fn a_word_split_by_a_link_number_or_code_wraps_as_one() {
    let lines = text("Open the [team page](https://x.example). Then go on.", 21);
    assert_eq!(lines, ["Open the team", "page[1]. Then go on."]);
    let rendered = render("Run `kubectl`! Then wait.", 11);
    assert_eq!(plain(&rendered.lines[0]), "Run");
    let moved = &rendered.lines[1];
    assert_eq!(plain(moved), "kubectl!");
    assert_eq!(moved[0].roles.as_slice(), [Role::Code]);
    // One word filling the line cannot move: it stays, and the rest wraps.
    assert_eq!(text("[abcdefgh](https://x). b", 11), ["abcdefgh[1]", ". b"]);
}

#[test]
fn inline_code_longer_than_the_line_wraps_at_its_spaces() {
    let lines = text(
        "Columns: `GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG CONSUMER-ID`.",
        40,
    );
    assert_eq!(
        lines,
        [
            "Columns: GROUP TOPIC PARTITION",
            "CURRENT-OFFSET LOG-END-OFFSET LAG",
            "CONSUMER-ID."
        ]
    );
}

#[test]
fn japanese_fills_its_lines_and_keeps_punctuation_and_numbers_on_them() {
    let md = "`search-cache` は検索結果のキャッシュです。Redis 7、構成（3 ノード）。[手順書](x.md)と注[^1]。\n\n[^1]: 注記\n";
    let lines = text(md, 30);
    assert_eq!(
        lines[..3],
        [
            "search-cache は検索結果の",
            "キャッシュです。Redis 7、構成",
            "（3 ノード）。手順書[1]と注¹。",
        ]
    );
    for width in [20, 21, 22, 23, 24, 25] {
        // The paragraph's lines; the footnote after it starts with its number.
        for line in text(md, width).iter().take_while(|l| !l.is_empty()) {
            let first = line.chars().next().unwrap_or(' ');
            assert!(!"、。）[¹".contains(first), "width {width}: {line:?}");
        }
    }
}

#[test]
fn narrow_tables_wrap_long_cells_before_breaking_words() {
    let md = "| Condition | Usual cause | What to do |\n|---|---|---|\n| MemoryPressure | a pod without memory limits | evict it, then ticket the owner |\n";
    let lines = text(md, 40);
    assert_eq!(lines[3], "MemoryPressure │ a pod      │ evict it,");
    assert!(
        lines.iter().all(|l| !l.contains("MemoryPress ")),
        "{lines:?}"
    );
}
