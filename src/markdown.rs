//! Markdown to styled, wrapped lines for the playbook pane. No terminal I/O: spans carry
//! theme roles, and the UI turns roles into styles.

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::sanitize;
use crate::theme::Role;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub text: String,
    /// Laid over each other in order: e.g. [Link, Strong].
    pub roles: Vec<Role>,
}

pub type Line = Vec<Span>;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Rendered {
    pub lines: Vec<Line>,
    /// Each heading's text and the line it starts on, for anchors and the outline.
    pub headings: Vec<(String, usize)>,
}

impl Rendered {
    pub fn heading_line(&self, text: &str) -> Option<usize> {
        self.headings
            .iter()
            .find(|(h, _)| h.eq_ignore_ascii_case(text))
            .map(|&(_, line)| line)
    }
}

/// Render `markdown` wrapped to `width` columns.
pub fn render(markdown: &str, width: u16) -> Rendered {
    let mut writer = Writer::new(usize::from(width.max(8)));
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES;
    for event in Parser::new_ext(markdown, options) {
        writer.event(event);
    }
    writer.flush();
    while writer.out.lines.last().is_some_and(Vec::is_empty) {
        writer.out.lines.pop();
    }
    writer.out
}

struct Writer {
    width: usize,
    out: Rendered,
    line: Line,
    used: usize,
    /// Prefix for the first line of the current block, then for continuation lines.
    first_prefix: Option<Vec<Span>>,
    prefix: Vec<Span>,
    styles: Vec<Role>,
    lists: Vec<Option<u64>>,
    quote_depth: usize,
    code_block: Option<String>,
    heading: Option<(HeadingLevel, String)>,
    table: Option<Vec<Vec<String>>>,
    cell: Option<String>,
}

impl Writer {
    fn new(width: usize) -> Self {
        Writer {
            width,
            out: Rendered::default(),
            line: Vec::new(),
            used: 0,
            first_prefix: None,
            prefix: Vec::new(),
            styles: Vec::new(),
            lists: Vec::new(),
            quote_depth: 0,
            code_block: None,
            heading: None,
            table: None,
            cell: None,
        }
    }

    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text) => self.text(&text),
            Event::Code(code) => self.styled(&code, Role::Code),
            Event::InlineMath(text) | Event::DisplayMath(text) => self.styled(&text, Role::Code),
            Event::Html(html) | Event::InlineHtml(html) => self.text(&html),
            Event::FootnoteReference(name) => self.styled(&format!("[^{name}]"), Role::Link),
            Event::SoftBreak => self.text(" "),
            Event::HardBreak => self.flush(),
            Event::Rule => {
                self.block_gap();
                let rule = "─".repeat(self.width.saturating_sub(self.indent_width()));
                self.push_word(&rule, &[Role::Rule]);
                self.flush();
                self.blank();
            }
            Event::TaskListMarker(done) => {
                let mark = if done { "☑ " } else { "☐ " };
                if let Some(prefix) = &mut self.first_prefix
                    && let Some(last) = prefix.last_mut()
                {
                    *last = Span {
                        text: mark.into(),
                        roles: vec![Role::ListMarker],
                    };
                }
                if done {
                    self.styles.push(Role::TaskDone);
                }
            }
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Paragraph => self.block_gap(),
            Tag::Heading { level, .. } => {
                self.block_gap();
                if !self.out.lines.is_empty() {
                    self.blank();
                }
                self.heading = Some((level, String::new()));
                let (role, marker) = match level {
                    HeadingLevel::H1 => (Role::Heading1, ""),
                    HeadingLevel::H2 => (Role::Heading2, ""),
                    HeadingLevel::H3 => (Role::Heading3, "▸ "),
                    _ => (Role::Heading3, "▹ "),
                };
                self.styles.push(role);
                if !marker.is_empty() {
                    self.push_word(marker, &[role]);
                }
            }
            Tag::BlockQuote(_) => {
                self.block_gap();
                self.quote_depth += 1;
                self.reset_prefix();
            }
            Tag::CodeBlock(kind) => {
                self.block_gap();
                let language = match kind {
                    CodeBlockKind::Fenced(lang) => {
                        lang.split_whitespace().next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                self.code_block = Some(String::new());
                let label = if language.is_empty() {
                    "┌─".to_string()
                } else {
                    format!("┌─ {language}")
                };
                self.push_word(&sanitize::line(&label), &[Role::Rule]);
                self.flush();
            }
            Tag::List(start) => {
                if self.lists.is_empty() {
                    self.block_gap();
                } else {
                    self.flush();
                }
                self.lists.push(start);
            }
            Tag::Item => {
                self.flush();
                let marker = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        *n += 1;
                        format!("{}. ", *n - 1)
                    }
                    _ => "• ".to_string(),
                };
                let depth = self.lists.len().saturating_sub(1) * 2;
                let mut first = self.quote_prefix();
                first.push(Span {
                    text: " ".repeat(depth),
                    roles: vec![],
                });
                first.push(Span {
                    text: marker.clone(),
                    roles: vec![Role::ListMarker],
                });
                self.first_prefix = Some(first);
                self.prefix = self.quote_prefix();
                self.prefix.push(Span {
                    text: " ".repeat(depth + marker.width()),
                    roles: vec![],
                });
            }
            Tag::Emphasis => self.styles.push(Role::Emphasis),
            Tag::Strong => self.styles.push(Role::Strong),
            Tag::Strikethrough => self.styles.push(Role::TaskDone),
            Tag::Link { .. } => self.styles.push(Role::Link),
            Tag::Image { .. } => {
                self.styles.push(Role::Link);
                self.push_word("[image: ", &[Role::Link]);
            }
            Tag::Table(_) => {
                self.block_gap();
                self.table = Some(Vec::new());
            }
            Tag::TableHead | Tag::TableRow => {
                if let Some(table) = &mut self.table {
                    table.push(Vec::new());
                }
            }
            Tag::TableCell => self.cell = Some(String::new()),
            Tag::FootnoteDefinition(name) => {
                self.block_gap();
                self.push_word(&format!("[^{}]: ", sanitize::line(&name)), &[Role::Link]);
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => {
                self.flush();
                if self.lists.is_empty() {
                    self.blank();
                }
            }
            TagEnd::Heading(level) => {
                self.styles.pop();
                let text_width = self.used;
                self.flush();
                if let Some((_, text)) = self.heading.take() {
                    let line = self.out.lines.len().saturating_sub(1);
                    self.out.headings.push((text.trim().to_string(), line));
                }
                let underline = match level {
                    HeadingLevel::H1 => Some("═"),
                    HeadingLevel::H2 => Some("─"),
                    _ => None,
                };
                if let Some(ch) = underline {
                    let role = if level == HeadingLevel::H1 {
                        Role::Heading1
                    } else {
                        Role::Heading2
                    };
                    self.push_word(&ch.repeat(text_width.clamp(1, self.width)), &[role]);
                    self.flush();
                }
            }
            TagEnd::BlockQuote(_) => {
                self.flush();
                self.quote_depth = self.quote_depth.saturating_sub(1);
                self.reset_prefix();
                if self.quote_depth == 0 {
                    self.blank();
                }
            }
            TagEnd::CodeBlock => {
                let code = self.code_block.take().unwrap_or_default();
                for line in code.trim_end_matches('\n').split('\n') {
                    self.code_line(line);
                }
                self.push_word("└─", &[Role::Rule]);
                self.flush();
                if self.lists.is_empty() {
                    self.blank();
                }
            }
            TagEnd::List(_) => {
                self.flush();
                self.lists.pop();
                if self.lists.is_empty() {
                    self.reset_prefix();
                    self.blank();
                }
            }
            TagEnd::Item => {
                self.flush();
                if self.styles.last() == Some(&Role::TaskDone) {
                    self.styles.pop();
                }
                self.first_prefix = None;
            }
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link => {
                self.styles.pop();
            }
            TagEnd::Image => {
                self.push_word("]", &[Role::Link]);
                self.styles.pop();
            }
            TagEnd::TableCell => {
                if let (Some(cell), Some(row)) = (
                    self.cell.take(),
                    self.table.as_mut().and_then(|t| t.last_mut()),
                ) {
                    row.push(cell);
                }
            }
            TagEnd::Table => {
                if let Some(rows) = self.table.take() {
                    self.table_lines(&rows);
                }
                self.blank();
            }
            TagEnd::FootnoteDefinition => self.flush(),
            _ => {}
        }
    }

    fn text(&mut self, text: &str) {
        if let Some(code) = &mut self.code_block {
            code.push_str(text);
            return;
        }
        if let Some(cell) = &mut self.cell {
            cell.push_str(&sanitize::line(text));
            return;
        }
        if let Some((_, heading)) = &mut self.heading {
            heading.push_str(text);
        }
        let clean = sanitize::line(text);
        let roles = self.styles.clone();
        let mut rest = clean.as_ref();
        while !rest.is_empty() {
            let split = rest
                .find(' ')
                .map_or(rest.len(), |i| if i == 0 { 1 } else { i });
            let (word, tail) = rest.split_at(split);
            self.push_word(word, &roles);
            rest = tail;
        }
    }

    fn styled(&mut self, text: &str, role: Role) {
        if let Some(cell) = &mut self.cell {
            cell.push_str(&sanitize::line(text));
            return;
        }
        let mut roles = self.styles.clone();
        roles.push(role);
        self.push_word(&sanitize::line(text), &roles);
    }

    /// Add a word (or a run of spaces), wrapping before it when it does not fit.
    fn push_word(&mut self, word: &str, roles: &[Role]) {
        if self.line.is_empty() {
            self.start_line();
            if word == " " {
                return;
            }
        }
        let width = word.width();
        if self.used + width > self.width && self.used > self.indent_width() {
            if word == " " {
                self.flush();
                return;
            }
            self.flush();
            self.start_line();
        }
        if self.used + width > self.width {
            // A word longer than the line: break it by characters.
            let mut chunk = String::new();
            for c in word.chars() {
                let w = c.width().unwrap_or(0);
                if self.used + chunk.width() + w > self.width && !chunk.is_empty() {
                    self.append(&chunk, roles);
                    chunk.clear();
                    self.flush();
                    self.start_line();
                }
                chunk.push(c);
            }
            self.append(&chunk, roles);
            return;
        }
        self.append(word, roles);
    }

    fn append(&mut self, text: &str, roles: &[Role]) {
        self.used += text.width();
        match self.line.last_mut() {
            Some(last) if last.roles == roles => last.text.push_str(text),
            _ => self.line.push(Span {
                text: text.to_string(),
                roles: roles.to_vec(),
            }),
        }
    }

    fn start_line(&mut self) {
        let prefix = self
            .first_prefix
            .take()
            .unwrap_or_else(|| self.prefix.clone());
        self.used = prefix.iter().map(|s| s.text.width()).sum();
        self.line = prefix;
        if self.line.is_empty() {
            // Keeps `line` non-empty so the next word does not start another line.
            self.line.push(Span {
                text: String::new(),
                roles: vec![],
            });
        }
    }

    fn code_line(&mut self, code: &str) {
        // Under a list item, code sits at the item's text column.
        let mut line = self.prefix.clone();
        line.push(Span {
            text: "│ ".into(),
            roles: vec![Role::Rule],
        });
        let room = self
            .width
            .saturating_sub(line.iter().map(|s| s.text.width()).sum());
        let clean = sanitize::line(code);
        let mut text = String::new();
        let mut used = 0;
        for c in clean.chars() {
            let w = c.width().unwrap_or(0);
            if used + w > room.saturating_sub(1) && clean.width() > room {
                text.push('…');
                break;
            }
            used += w;
            text.push(c);
        }
        line.push(Span {
            text,
            roles: vec![Role::CodeBlock],
        });
        self.out.lines.push(line);
    }

    fn table_lines(&mut self, rows: &[Vec<String>]) {
        let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
        if columns == 0 {
            return;
        }
        let mut widths: Vec<usize> = (0..columns)
            .map(|c| {
                rows.iter()
                    .filter_map(|r| r.get(c))
                    .map(|s| s.width())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let room = self
            .width
            .saturating_sub(self.indent_width() + 3 * (columns - 1));
        while widths.iter().sum::<usize>() > room && widths.iter().any(|&w| w > 3) {
            if let Some(widest) = widths.iter_mut().max() {
                *widest -= 1;
            }
        }
        for (index, row) in rows.iter().enumerate() {
            let mut line = self.quote_prefix();
            for (c, width) in widths.iter().enumerate() {
                let cell = fit(row.get(c).map_or("", String::as_str), *width);
                let roles = if index == 0 {
                    vec![Role::Strong]
                } else {
                    vec![]
                };
                line.push(Span { text: cell, roles });
                if c + 1 < columns {
                    line.push(Span {
                        text: " │ ".into(),
                        roles: vec![Role::Rule],
                    });
                }
            }
            if let Some(last) = line.last_mut() {
                last.text.truncate(last.text.trim_end().len());
            }
            self.out.lines.push(line);
            if index == 0 {
                let mut rule = self.quote_prefix();
                let text = widths
                    .iter()
                    .map(|w| "─".repeat(*w))
                    .collect::<Vec<_>>()
                    .join("─┼─");
                rule.push(Span {
                    text,
                    roles: vec![Role::Rule],
                });
                self.out.lines.push(rule);
            }
        }
    }

    fn quote_prefix(&self) -> Vec<Span> {
        if self.quote_depth == 0 {
            return Vec::new();
        }
        vec![Span {
            text: "▎ ".repeat(self.quote_depth),
            roles: vec![Role::Quote],
        }]
    }

    fn reset_prefix(&mut self) {
        self.prefix = self.quote_prefix();
        if self.quote_depth > 0 && !self.styles.contains(&Role::Quote) {
            self.styles.insert(0, Role::Quote);
        } else if self.quote_depth == 0 {
            self.styles.retain(|r| *r != Role::Quote);
        }
    }

    fn indent_width(&self) -> usize {
        self.prefix.iter().map(|s| s.text.width()).sum()
    }

    fn flush(&mut self) {
        if !self.line.is_empty() {
            let mut line = std::mem::take(&mut self.line);
            line.retain(|s| !s.text.is_empty());
            if let Some(last) = line.last_mut() {
                let trimmed = last.text.trim_end().len();
                last.text.truncate(trimmed);
            }
            self.out.lines.push(line);
        }
        self.used = 0;
    }

    fn block_gap(&mut self) {
        self.flush();
    }

    fn blank(&mut self) {
        if self.out.lines.last().is_some_and(|l| !l.is_empty()) {
            self.out.lines.push(Vec::new());
        }
    }
}

/// Pad or cut `text` to exactly `width` columns.
fn fit(text: &str, width: usize) -> String {
    if text.width() <= width {
        return format!("{text}{}", " ".repeat(width - text.width()));
    }
    let mut out = String::new();
    for c in text.chars() {
        if out.width() + c.width().unwrap_or(0) + 1 > width {
            break;
        }
        out.push(c);
    }
    out.push('…');
    let pad = width.saturating_sub(out.width());
    out + &" ".repeat(pad)
}

/// The plain text of a rendered line (for tests and the headless printer).
pub fn plain(line: &Line) -> String {
    line.iter().map(|s| s.text.as_str()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
