//! Drawing: a pure function of `&State` and `&Theme`. No I/O, no clock, no mutation.

mod actions;
mod confirm;
mod debrief;
mod details;
mod escalate;
mod help;
mod hints;
mod history;
mod hyperlink;
mod incidents;
mod metrics;
mod not_actionable;
mod note;
mod picker;
mod playbook;
mod roster;
mod scrub;
mod shadow;
mod status;
mod tabs;

use chrono::{DateTime, FixedOffset, Offset, Utc};
use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph, Wrap};

use crate::incident::Severity;
use crate::layout::{self, Mode, Pane};
use crate::state::{Overlay, State};
use crate::theme::{Role, Theme};

pub fn render(frame: &mut Frame, state: &State, theme: &Theme) {
    let area = frame.area();
    frame.render_widget(Block::new().style(theme.style(Role::Base)), area);
    let screen = layout::compute(area.width, area.height, state.focus);
    if screen.mode == Mode::TooSmall {
        too_small(frame, area, theme);
        return;
    }
    if screen.mode == Mode::Narrow {
        tabs::render(frame, screen.tabs, state, theme);
    }
    for pane in Pane::ALL {
        let rect = screen.pane(pane);
        if rect.is_empty() {
            continue;
        }
        match pane {
            Pane::Incidents => incidents::render(frame, rect, state, theme),
            Pane::Metrics => metrics::render(frame, rect, state, theme),
            Pane::Playbook => playbook::render(frame, rect, state, theme),
        }
    }
    hints::render(frame, screen.hints, state, theme);
    status::render(frame, screen.status, state, theme);
    match &state.overlay {
        Some(Overlay::Help { scroll }) => help::render(frame, area, state, theme, *scroll),
        Some(Overlay::Details { scroll }) => details::render(frame, area, state, theme, *scroll),
        Some(Overlay::Confirm(confirm)) => confirm::render(frame, area, state, theme, confirm),
        Some(Overlay::Links { cursor, typed }) => {
            picker::links(frame, area, state, theme, *cursor, typed)
        }
        Some(Overlay::Outline { cursor }) => picker::outline(frame, area, state, theme, *cursor),
        Some(Overlay::Note { key, text }) => note::render(frame, area, state, theme, key, text),
        Some(Overlay::Escalate(panel)) => escalate::render(frame, area, state, theme, panel),
        Some(Overlay::Roster { scroll }) => roster::render(frame, area, state, theme, *scroll),
        Some(Overlay::Actions(list)) => actions::render(frame, area, state, theme, list),
        Some(Overlay::NotActionable(prompt)) => {
            not_actionable::render(frame, area, state, theme, prompt)
        }
        None => {}
    }
    debrief::render(frame, area, state, theme);
    scrub::scrub(frame.buffer_mut());
}

fn too_small(frame: &mut Frame, area: Rect, theme: &Theme) {
    let text = vec![
        Line::styled("terminal too small", theme.style(Role::Danger)),
        Line::styled(
            format!(
                "{}x{}, need {}x{}",
                area.width,
                area.height,
                layout::MIN_WIDTH,
                layout::MIN_HEIGHT
            ),
            theme.style(Role::Dim),
        ),
    ];
    let [middle] = Layout::vertical([Constraint::Length(2)])
        .flex(Flex::Center)
        .areas(area);
    frame.render_widget(Paragraph::new(text).alignment(Alignment::Center), middle);
}

/// A pane's frame: its title, brighter when it has focus.
fn pane_block<'a>(title: Line<'a>, focused: bool, theme: &Theme) -> Block<'a> {
    let (border, kind) = if focused {
        (theme.style(Role::BorderFocused), BorderType::Thick)
    } else {
        (theme.style(Role::Border), BorderType::Rounded)
    };
    Block::new()
        .borders(Borders::ALL)
        .border_type(kind)
        .border_style(border)
        .title(title)
}

fn title<'a>(text: impl Into<String>, theme: &Theme) -> Span<'a> {
    Span::styled(format!(" {} ", text.into()), theme.style(Role::Title))
}

/// "◆ CRIT" (short) or "◆ critical": severity by glyph and word as well as colour.
fn severity_label<'a>(severity: Severity, short: bool, theme: &Theme) -> Span<'a> {
    let word = if short {
        severity.word()
    } else {
        severity.name()
    };
    Span::styled(
        format!("{} {word}", severity.glyph()),
        theme.severity(severity),
    )
}

/// A scrollable overlay box of text (help, details).
fn scrolling_overlay(
    frame: &mut Frame,
    rect: Rect,
    heading: &str,
    lines: Vec<Line<'_>>,
    scroll: u16,
    theme: &Theme,
) {
    let block =
        pane_block(Line::from(title(heading, theme)), true, theme).style(theme.style(Role::Dialog));
    let text = Paragraph::new(lines)
        .block(block)
        .wrap(Wrap { trim: false })
        .scroll((scroll, 0));
    frame.render_widget(text, rect);
}

/// A centred box of at most `width` x `height`, cleared, for overlays.
fn popup(frame: &mut Frame, area: Rect, width: u16, height: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [rect] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(row);
    frame.render_widget(Clear, rect);
    rect
}

/// Wall-clock time in the user's zone (fixed at start, so rendering stays pure).
fn clock(at: DateTime<Utc>, state: &State, seconds: bool) -> String {
    // An out-of-range offset (impossible from the OS) falls back to UTC.
    let zone = FixedOffset::east_opt(state.setup.utc_offset_seconds).unwrap_or(Utc.fix());
    let local = at.with_timezone(&zone);
    if seconds {
        local.format("%H:%M:%S").to_string()
    } else {
        local.format("%H:%M").to_string()
    }
}

/// "Mon 03:12": for spans of days, where the time alone is ambiguous.
fn clock_with_day(at: DateTime<Utc>, state: &State) -> String {
    let zone = FixedOffset::east_opt(state.setup.utc_offset_seconds).unwrap_or(Utc.fix());
    at.with_timezone(&zone).format("%a %H:%M").to_string()
}

/// Cut `text` to `width` display columns, marking the cut with "…".
fn truncate(text: &str, width: usize) -> String {
    use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        used += w;
        out.push(c);
    }
    if width > 0 {
        out.push('…');
    }
    out
}
