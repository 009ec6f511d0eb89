//! A rendered playbook printed outside the cockpit: with the theme's styles as ANSI
//! sequences on a terminal, as plain text in a pipe. The lines come from the markdown
//! renderer, already sanitised; the header's pieces are sanitised here.

use std::io::{self, Write};
use std::ops::Range;

use ratatui::style::{Color, Modifier, Style};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::Playbook;
use crate::markdown::{Line, Rendered, plain};
use crate::sanitize;
use crate::theme::{Role, Theme};

/// How to print.
#[derive(Clone, Copy)]
pub enum Output<'a> {
    /// Each span in its roles' style from this theme (mono under NO_COLOR: bold,
    /// underline and italic, no colour).
    Styled(&'a Theme),
    Plain,
}

/// What a playbook's front matter says, in one line: "team payments · services
/// checkout-api · alerts HighErrorRate, HighLatencyP99".
pub fn front_matter_summary(playbook: &Playbook) -> String {
    let mut parts = Vec::new();
    if let Some(team) = &playbook.team {
        parts.push(format!("team {team}"));
    }
    for (label, names) in [
        ("services", &playbook.services),
        ("alerts", &playbook.alerts),
    ] {
        if !names.is_empty() {
            parts.push(format!("{label} {}", names.join(", ")));
        }
    }
    if parts.is_empty() {
        return "no front matter: no team, services or alerts".into();
    }
    sanitize::line(&parts.join(" · ")).into_owned()
}

/// The lines of the section under heading `anchor`, down to the next heading of the same
/// or a higher level; the whole document without an anchor or when no heading has it.
pub fn section(rendered: &Rendered, anchor: Option<&str>) -> Range<usize> {
    let all = 0..rendered.lines.len();
    let Some(index) = anchor.and_then(|anchor| rendered.heading_named(anchor)) else {
        return all;
    };
    let heading = &rendered.headings[index];
    let end = rendered.headings[index + 1..]
        .iter()
        .find(|h| h.level <= heading.level)
        .map_or(all.end, |next| next.line);
    let mut end = end.min(all.end);
    let start = heading.line.min(end);
    while end > start && is_blank(&rendered.lines[end - 1]) {
        end -= 1;
    }
    start..end
}

fn is_blank(line: &Line) -> bool {
    line.iter().all(|span| span.text.trim().is_empty())
}

/// Rendered lines, with the links their spans belong to.
#[derive(Clone, Copy)]
pub struct Shown<'a> {
    pub lines: &'a [Line],
    pub links: &'a [crate::markdown::LinkTarget],
}

/// The header (wrapped to `width`), a blank line, then the playbook's lines. Styled, a
/// web link's text is an OSC 8 hyperlink (clickable where the terminal supports it).
pub fn print(
    out: &mut impl Write,
    header: &str,
    shown: Shown<'_>,
    width: u16,
    output: Output<'_>,
) -> io::Result<()> {
    let header_style = match output {
        Output::Styled(theme) => sgr(theme.style(Role::Dim)),
        Output::Plain => String::new(),
    };
    for row in wrap(&sanitize::line(header), usize::from(width)) {
        write_styled(out, &header_style, &row)?;
        writeln!(out)?;
    }
    writeln!(out)?;
    for line in shown.lines {
        match output {
            Output::Plain => writeln!(out, "{}", plain(line).trim_end())?,
            Output::Styled(theme) => {
                for span in line {
                    let style = span.roles.iter().fold(Style::default(), |style, role| {
                        style.patch(theme.style(*role))
                    });
                    let url = web_link(span, shown.links);
                    if let Some(url) = url {
                        write!(out, "\x1b]8;;{url}\x1b\\")?;
                    }
                    write_styled(out, &sgr(style), &span.text)?;
                    if url.is_some() {
                        write!(out, "\x1b]8;;\x1b\\")?;
                    }
                }
                writeln!(out)?;
            }
        }
    }
    out.flush()
}

/// The checked web address of the link `span` belongs to, if any.
fn web_link<'a>(
    span: &crate::markdown::Span,
    links: &'a [crate::markdown::LinkTarget],
) -> Option<&'a str> {
    let index = (span.link? as usize).checked_sub(1)?;
    match links.get(index)?.destination() {
        crate::markdown::Destination::Web(url) => Some(url),
        _ => None,
    }
}

fn write_styled(out: &mut impl Write, on: &str, text: &str) -> io::Result<()> {
    if on.is_empty() {
        write!(out, "{text}")
    } else {
        write!(out, "{on}{text}\x1b[0m")
    }
}

/// Words to rows of at most `width` columns; a word wider than that is cut across rows.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut rows = Vec::new();
    let mut row = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        if !row.is_empty() && row.width() + 1 + word.width() <= width {
            row.push(' ');
        } else if !row.is_empty() {
            rows.push(std::mem::take(&mut row));
        }
        for c in word.chars() {
            if !row.is_empty() && row.width() + c.width().unwrap_or(0) > width {
                rows.push(std::mem::take(&mut row));
            }
            row.push(c);
        }
    }
    rows.push(row);
    rows
}

/// The SGR sequence that turns `style` on ("" when it changes nothing).
fn sgr(style: Style) -> String {
    const MODIFIERS: [(Modifier, &str); 6] = [
        (Modifier::BOLD, "1"),
        (Modifier::DIM, "2"),
        (Modifier::ITALIC, "3"),
        (Modifier::UNDERLINED, "4"),
        (Modifier::REVERSED, "7"),
        (Modifier::CROSSED_OUT, "9"),
    ];
    let mut codes: Vec<String> = MODIFIERS
        .iter()
        .filter(|(modifier, _)| style.add_modifier.contains(*modifier))
        .map(|(_, code)| (*code).to_string())
        .collect();
    codes.extend(style.fg.map(|c| colour(c, 30)));
    codes.extend(style.bg.map(|c| colour(c, 40)));
    if codes.is_empty() {
        String::new()
    } else {
        format!("\x1b[{}m", codes.join(";"))
    }
}

/// `base` is 30 for the foreground, 40 for the background.
fn colour(colour: Color, base: u8) -> String {
    let code = match colour {
        Color::Reset => base + 9,
        Color::Black => base,
        Color::Red => base + 1,
        Color::Green => base + 2,
        Color::Yellow => base + 3,
        Color::Blue => base + 4,
        Color::Magenta => base + 5,
        Color::Cyan => base + 6,
        Color::Gray => base + 7,
        Color::DarkGray => base + 60,
        Color::LightRed => base + 61,
        Color::LightGreen => base + 62,
        Color::LightYellow => base + 63,
        Color::LightBlue => base + 64,
        Color::LightMagenta => base + 65,
        Color::LightCyan => base + 66,
        Color::White => base + 67,
        Color::Rgb(r, g, b) => return format!("{};2;{r};{g};{b}", base + 8),
        Color::Indexed(i) => return format!("{};5;{i}", base + 8),
    };
    code.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::render;

    const TEXT: &str = "# Svc\n\nIntro.\n\n## HighErrorRate\n\n- [ ] **roll back** now\n\n### Escalate\n\nPage.\n\n## DiskFull\n\nOther.\n";

    fn printed(lines: &[Line], output: Output<'_>) -> String {
        let mut out = Vec::new();
        print(
            &mut out,
            "matched by alert HighErrorRate in a.md",
            Shown { lines, links: &[] },
            40,
            output,
        )
        .unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_section_runs_to_the_next_heading_of_its_level() {
        let rendered = render(TEXT, 40);
        let range = section(&rendered, Some("higherrorrate"));
        let text: Vec<String> = rendered.lines[range].iter().map(plain).collect();
        assert_eq!(text.first().map(String::as_str), Some("HighErrorRate"));
        assert!(text.iter().any(|l| l.contains("Escalate")), "{text:?}");
        assert!(!text.iter().any(|l| l.contains("DiskFull")), "{text:?}");
        assert!(!text.last().unwrap().trim().is_empty());
        assert_eq!(section(&rendered, None), 0..rendered.lines.len());
        assert_eq!(section(&rendered, Some("Nope")), 0..rendered.lines.len());
    }

    #[test]
    fn a_wrapped_heading_is_printed_whole() {
        let rendered = render(
            "# A\n\n## A heading long enough to wrap twice at this width\n\nx\n",
            20,
        );
        let range = section(
            &rendered,
            Some("A heading long enough to wrap twice at this width"),
        );
        assert_eq!(plain(&rendered.lines[range.start]), "A heading long");
    }

    #[test]
    fn styled_output_carries_the_roles_and_plain_output_none() {
        let theme = Theme::load("mono", None).unwrap();
        let rendered = render(TEXT, 40);
        let styled = printed(&rendered.lines, Output::Styled(&theme));
        // mono: headings bold (and underlined at level 1) without any colour.
        assert!(styled.contains("\x1b[1;4mSvc\x1b[0m"), "{styled:?}");
        assert!(styled.contains("\x1b[1mroll back\x1b[0m"), "{styled:?}");
        assert!(!styled.contains("\x1b[3"), "no colour in mono: {styled:?}");
        let dark = printed(
            &rendered.lines,
            Output::Styled(&Theme::load("dark", None).unwrap()),
        );
        assert!(
            dark.contains("\x1b[1;38;2;"),
            "dark colours headings: {dark:?}"
        );
        let plain_text = printed(&rendered.lines, Output::Plain);
        assert!(!plain_text.contains('\x1b'));
        assert!(plain_text.starts_with("matched by alert HighErrorRate in a.md\n\nSvc\n═══\n"));
    }

    #[test]
    fn the_header_wraps_and_is_sanitised() {
        assert_eq!(wrap("aaa bbb ccc", 7), ["aaa bbb", "ccc"]);
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        let mut out = Vec::new();
        let nothing = Shown {
            lines: &[],
            links: &[],
        };
        print(&mut out, "team \x1b[31mevil", nothing, 40, Output::Plain).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "team [31mevil\n\n");
    }

    #[test]
    fn the_front_matter_is_summarised() {
        let playbook = Playbook::parse(
            "a.md",
            "+++\nteam = \"pay\"\nservices = [\"api\"]\nalerts = [\"A\", \"B\"]\n+++\n# A\n",
        )
        .unwrap();
        assert_eq!(
            front_matter_summary(&playbook),
            "team pay · services api · alerts A, B"
        );
        let bare = Playbook::parse("b.md", "# B\n").unwrap();
        assert!(front_matter_summary(&bare).starts_with("no front matter"));
    }
}

#[cfg(test)]
mod hyperlink_tests {
    use super::{Output, Shown, print};
    use crate::markdown::render;
    use crate::theme::Theme;

    fn printed(markdown: &str, output: Output<'_>) -> String {
        let rendered = render(markdown, 80);
        let shown = Shown {
            lines: &rendered.lines,
            links: &rendered.links,
        };
        let mut out = Vec::new();
        print(&mut out, "h", shown, 80, output).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn styled_web_links_are_osc8_hyperlinks_and_plain_output_has_none() {
        let text = "See [the board](https://grafana.example.com/d/1), [below](#steps) and [evil](javascript:alert(1)).";
        let theme = Theme::load("dark", None).unwrap();
        let styled = printed(text, Output::Styled(&theme));
        assert!(
            styled.contains("\x1b]8;;https://grafana.example.com/d/1\x1b\\"),
            "{styled:?}"
        );
        assert_eq!(
            styled.matches("\x1b]8;;\x1b\\").count(),
            1,
            "one link, closed once"
        );
        assert!(!styled.contains("javascript"), "{styled:?}");
        assert!(!printed(text, Output::Plain).contains('\x1b'));
    }
}
