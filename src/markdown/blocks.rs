//! Block structure: what each start and end tag does to the writer.

use pulldown_cmark::{CodeBlockKind, HeadingLevel, Tag, TagEnd};

use super::prefix::{Container, span};
use super::table::Table;
use super::writer::{OpenItem, Writer, text_width};
use super::{Heading, Item, plain};
use crate::sanitize;
use crate::theme::Role;

impl Writer {
    pub(super) fn start(&mut self, tag: &Tag<'_>) {
        match tag {
            Tag::Paragraph => self.block_gap(),
            Tag::Heading { level, .. } => {
                self.block_gap();
                self.blank();
                self.heading = Some((String::new(), self.out.lines.len()));
                let role = heading_role(*level);
                self.styles.push(role);
                // Levels 3 to 6 say their depth without colour: ▸, ▸▸, ▸▸▸, ▸▸▸▸.
                let depth = (*level as usize).saturating_sub(2);
                if depth > 0 {
                    let marker = format!("{} ", "▸".repeat(depth));
                    self.open(Container::hanging(vec![span(&marker, role)]));
                }
            }
            Tag::BlockQuote(_) => {
                self.block_gap();
                self.open(Container::quote());
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
                // An item's own text ends where its sub-list begins.
                if let Some(open) = self.open_items.last_mut() {
                    open.own_text = false;
                }
                self.lists.push(*start);
            }
            Tag::Item => {
                self.flush();
                self.open_items.push(OpenItem {
                    index: self.out.items.len(),
                    own_text: true,
                    done: false,
                });
                self.out.items.push(Item {
                    line: self.out.lines.len(),
                    text: String::new(),
                    task: false,
                    top_ordered: self.lists.len() == 1
                        && matches!(self.lists.last(), Some(Some(_))),
                    code: Vec::new(),
                });
                let marker = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        *n += 1;
                        format!("{}. ", *n - 1)
                    }
                    _ => "• ".to_string(),
                };
                // Sub-items and later paragraphs line up with the item's text.
                self.open(Container::hanging(vec![span(&marker, Role::ListMarker)]));
            }
            Tag::HtmlBlock => {
                self.block_gap();
                self.html_block = true;
            }
            Tag::Emphasis => self.styles.push(Role::Emphasis),
            Tag::Strong => self.styles.push(Role::Strong),
            Tag::Strikethrough => self.styles.push(Role::TaskDone),
            Tag::Link { dest_url, .. } => {
                self.styles.push(Role::Link);
                self.open_link(dest_url.to_string(), false);
            }
            Tag::Image { dest_url, .. } => {
                self.styles.push(Role::Link);
                self.open_link(dest_url.to_string(), true);
                let roles = self.styles.clone();
                self.mark("[image: ", &roles);
            }
            Tag::Table(alignments) => {
                self.block_gap();
                self.table = Some(Table::new(alignments.clone()));
            }
            Tag::TableHead | Tag::TableRow => {
                if let Some(table) = &mut self.table {
                    table.rows.push(Vec::new());
                }
            }
            Tag::TableCell => self.cell = Some(Vec::new()),
            Tag::FootnoteDefinition(name) => {
                self.block_gap();
                // A hanging indent, like a list item: the number stands out on the left.
                let mark = format!("{} ", self.footnote_mark(name));
                self.open(Container::hanging(vec![span(&mark, Role::Link)]));
            }
            _ => {}
        }
    }

    pub(super) fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => {
                self.flush();
                if self.lists.is_empty() {
                    self.blank();
                }
            }
            TagEnd::Heading(level) => {
                self.styles.pop();
                self.flush();
                if level as u8 > 2 {
                    self.close();
                }
                let Some((text, line)) = self.heading.take() else {
                    return;
                };
                self.out.headings.push(Heading {
                    text: text.trim().to_string(),
                    level: level as u8,
                    line,
                });
                // Levels 1 and 2 are underlined, as wide as the heading's widest line.
                let underline = match level {
                    HeadingLevel::H1 => "═",
                    HeadingLevel::H2 => "─",
                    _ => return,
                };
                let indent = text_width(&plain(&self.prefix));
                let widest = self.out.lines[line..]
                    .iter()
                    .map(|l| text_width(&plain(l)).saturating_sub(indent))
                    .max()
                    .unwrap_or(0);
                if widest > 0 {
                    self.start_line();
                    let room = self.width.saturating_sub(self.used).max(1);
                    self.append(&underline.repeat(widest.min(room)), &[heading_role(level)]);
                    self.flush();
                }
            }
            TagEnd::BlockQuote(_) => {
                self.flush();
                self.close();
                self.blank();
            }
            TagEnd::CodeBlock => {
                let code = self.code_block.take().unwrap_or_default();
                if let Some(item) = self.open_items.last() {
                    let copied = sanitize::lines(code.trim_end_matches('\n')).into_owned();
                    self.out.items[item.index].code.push(copied);
                }
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
                    self.blank();
                }
            }
            TagEnd::Item => {
                // An empty item still shows its bullet or box.
                if self.line.is_empty() && self.started < self.containers.len() {
                    self.start_line();
                }
                self.flush();
                if let Some(item) = self.open_items.pop() {
                    let text = self.out.items[item.index].text.trim().to_string();
                    self.out.items[item.index].text = text;
                    if item.done
                        && let Some(at) = self.styles.iter().rposition(|r| *r == Role::TaskDone)
                    {
                        self.styles.remove(at);
                    }
                }
                self.close();
            }
            TagEnd::HtmlBlock => {
                self.flush();
                self.html_block = false;
                if self.lists.is_empty() {
                    self.blank();
                }
            }
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough => {
                self.styles.pop();
            }
            TagEnd::Link => {
                self.styles.pop();
                self.close_link();
            }
            TagEnd::Image => {
                let roles = self.styles.clone();
                self.mark("]", &roles);
                self.styles.pop();
                self.close_link();
            }
            TagEnd::TableCell => {
                if let (Some(cell), Some(row)) = (
                    self.cell.take(),
                    self.table.as_mut().and_then(|t| t.rows.last_mut()),
                ) {
                    row.push(cell);
                }
            }
            TagEnd::Table => {
                if let Some(table) = self.table.take() {
                    self.table_lines(&table);
                }
                self.blank();
            }
            TagEnd::FootnoteDefinition => {
                self.flush();
                self.close();
            }
            _ => {}
        }
    }
}

fn heading_role(level: HeadingLevel) -> Role {
    match level {
        HeadingLevel::H1 => Role::Heading1,
        HeadingLevel::H2 => Role::Heading2,
        _ => Role::Heading3,
    }
}
