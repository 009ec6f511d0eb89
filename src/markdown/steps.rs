//! Steps: the list items a responder follows, found while rendering, and which of them
//! belong to a section.

use super::Rendered;

/// A heading: its text, level (1–6) and the line it is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub text: String,
    pub level: u8,
    pub line: usize,
}

/// A list item that may be a step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// The rendered line the item starts on.
    pub line: usize,
    /// Its own text (not its sub-items'), plain.
    pub text: String,
    /// `- [ ]` / `- [x]`.
    pub task: bool,
    /// An item of a numbered list at the top level.
    pub top_ordered: bool,
    /// Code blocks inside the item, for copying.
    pub code: Vec<String>,
}

/// A playbook's headings and how many steps each section has: enough to match an anchor
/// and count a section's steps without laying the playbook out again.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outline {
    pub headings: Vec<Heading>,
    /// Steps under each heading (same order as `headings`).
    pub section_steps: Vec<usize>,
    /// Steps of the whole playbook (no anchor, or one no heading has).
    pub all_steps: usize,
}

impl Outline {
    pub fn of(rendered: &Rendered) -> Outline {
        Outline {
            section_steps: (0..rendered.headings.len())
                .map(|i| rendered.section_steps(Some(i)).len())
                .collect(),
            all_steps: rendered.section_steps(None).len(),
            headings: rendered.headings.clone(),
        }
    }

    pub fn has_heading(&self, name: &str) -> bool {
        super::find_heading(&self.headings, name).is_some()
    }

    /// Steps in the section under heading `anchor` (the whole playbook without one).
    pub fn steps(&self, anchor: Option<&str>) -> usize {
        match anchor.and_then(|a| super::find_heading(&self.headings, a)) {
            Some(index) => self.section_steps[index],
            None => self.all_steps,
        }
    }
}

impl Rendered {
    /// The line of the heading whose text or anchor is `name`.
    pub fn heading_line(&self, name: &str) -> Option<usize> {
        self.heading_named(name).map(|i| self.headings[i].line)
    }

    /// The steps of the section under heading `anchor` (the whole document without one):
    /// its task items, or if it has none its top-level numbered items. Indices into `items`.
    pub fn steps(&self, anchor: Option<&str>) -> Vec<usize> {
        self.section_steps(anchor.and_then(|a| self.heading_named(a)))
    }

    /// The steps under heading number `heading` (the whole document for `None`).
    fn section_steps(&self, heading: Option<usize>) -> Vec<usize> {
        let (from, to) = match heading {
            Some(index) => {
                let heading = &self.headings[index];
                let end = self.headings[index + 1..]
                    .iter()
                    .find(|h| h.level <= heading.level)
                    .map_or(usize::MAX, |h| h.line);
                (heading.line, end)
            }
            None => (0, usize::MAX),
        };
        let in_section = || {
            self.items
                .iter()
                .enumerate()
                .filter(move |(_, i)| i.line >= from && i.line < to)
        };
        let tasks: Vec<usize> = in_section()
            .filter(|(_, i)| i.task)
            .map(|(n, _)| n)
            .collect();
        if tasks.is_empty() {
            in_section()
                .filter(|(_, i)| i.top_ordered)
                .map(|(n, _)| n)
                .collect()
        } else {
            tasks
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::markdown::render;

    const PLAYBOOK: &str = "# Service\n\n1. intro step\n\n## HighErrorRate\n\n### Steps\n\n- [ ] look at the deploy\n  ```sh\n  kubectl rollout history\n  ```\n  - a sub-point, not a step\n- [x] roll back\n\n### Escalate\n\n- [ ] page Eng Cap\n\n## DiskFull\n\n1. find big files\n2. rotate logs\n   - [ ] only if rotation is on\n";

    fn texts(anchor: Option<&str>) -> Vec<String> {
        let rendered = render(PLAYBOOK, 60);
        rendered
            .steps(anchor)
            .into_iter()
            .map(|i| rendered.items[i].text.clone())
            .collect()
    }

    #[test]
    fn a_sections_steps_are_its_task_items_including_subsections() {
        assert_eq!(
            texts(Some("HighErrorRate")),
            ["look at the deploy", "roll back", "page Eng Cap"]
        );
        let rendered = render(PLAYBOOK, 60);
        let first = rendered.steps(Some("HighErrorRate"))[0];
        assert_eq!(rendered.items[first].code, ["kubectl rollout history"]);
        assert!(
            super::super::plain(&rendered.lines[rendered.items[first].line])
                .contains("look at the deploy")
        );
    }

    #[test]
    fn task_items_win_over_numbered_ones_and_numbered_ones_stand_in() {
        // DiskFull has one nested task: it wins over the numbered list.
        assert_eq!(texts(Some("DiskFull")), ["only if rotation is on"]);
        let rendered = render("## Plain\n\n1. first\n2. second\n   1. nested\n", 60);
        let steps = rendered.steps(Some("Plain"));
        let names: Vec<_> = steps
            .iter()
            .map(|&i| rendered.items[i].text.as_str())
            .collect();
        assert_eq!(names, ["first", "second"]);
        assert!(
            render("## Nothing\n\ntext\n", 60)
                .steps(Some("Nothing"))
                .is_empty()
        );
    }
}
