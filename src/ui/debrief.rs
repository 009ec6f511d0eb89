//! A drill on screen: its banner in the status bar, the question before ending it early,
//! and the debrief screen, which takes the whole terminal once the drill is over.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::{clock, pane_block, popup, title};
use crate::state::State;
use crate::state::drill::{DebriefView, DrillPhase, DrillView};
use crate::theme::{Role, Theme};

/// " DRILL outage-checkout ×10 · 03:04 ": where DEMO DATA would be, so a drill never
/// looks like a real page.
pub fn badge(state: &State) -> Option<String> {
    let drill = state.drill.as_ref()?;
    let name = crate::sanitize::line(&drill.name);
    let chosen = drill
        .chosen
        .as_deref()
        .map(|why| format!(" ({})", crate::sanitize::line(why)))
        .unwrap_or_default();
    Some(format!(
        " DRILL {name}{chosen} ×{} · {} ",
        drill.speed,
        clock(state.now, state, false)
    ))
}

pub fn render(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let Some(drill) = &state.drill else {
        return;
    };
    match &drill.phase {
        DrillPhase::Running => {}
        DrillPhase::AskingToEnd => ask_to_end(frame, area, state, theme, drill),
        DrillPhase::Debrief(debrief) => screen(frame, area, theme, drill, debrief),
    }
}

fn ask_to_end(frame: &mut Frame, area: Rect, state: &State, theme: &Theme, drill: &DrillView) {
    let left = (drill.ends - state.now).num_minutes().max(0);
    let lines = vec![
        Line::styled(
            "End the drill now and see the debrief?",
            theme.style(Role::Title),
        ),
        Line::styled(
            format!("{left} simulated minutes were left; what is not done counts as missed."),
            theme.style(Role::Dim),
        ),
        Line::from(vec![
            Span::styled("y", theme.style(Role::HintKey)),
            Span::styled(" end and score  ", theme.style(Role::HintText)),
            Span::styled("n", theme.style(Role::HintKey)),
            Span::styled(" go on", theme.style(Role::HintText)),
        ]),
    ];
    let rect = popup(frame, area, 60, 6);
    let block =
        pane_block(Line::from(title("Drill", theme)), true, theme).style(theme.style(Role::Dialog));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        rect,
    );
}

fn screen(frame: &mut Frame, area: Rect, theme: &Theme, drill: &DrillView, debrief: &DebriefView) {
    frame.render_widget(Clear, area);
    frame.render_widget(Block::new().style(theme.style(Role::Base)), area);
    let [body, foot] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(area);
    let mut lines = vec![
        Line::styled(
            format!("The drill is over: {}.", debrief.why.describe()),
            theme.style(Role::Dim),
        ),
        Line::raw(""),
    ];
    lines.extend(
        debrief
            .lines
            .iter()
            .map(|line| Line::raw(crate::sanitize::line(line).into_owned())),
    );
    lines.push(Line::raw(""));
    lines.push(match &debrief.saved {
        Ok(where_) => Line::styled(
            crate::sanitize::line(where_).into_owned(),
            theme.style(Role::Dim),
        ),
        Err(problem) => Line::styled(
            format!(
                "✖ could not save this result: {} (the score above is all there is)",
                crate::sanitize::line(problem)
            ),
            theme.style(Role::Danger),
        ),
    });
    let heading = format!("Debrief · {}", crate::sanitize::line(&drill.name));
    let block = pane_block(Line::from(title(heading, theme)), true, theme);
    // Scrolled no further than the last line stays in view.
    let inner_height = body.height.saturating_sub(2);
    let inner_width = usize::from(body.width.saturating_sub(2)).max(1);
    let total: usize = lines
        .iter()
        .map(|line| line.width().div_ceil(inner_width).max(1))
        .sum();
    let most = u16::try_from(total)
        .unwrap_or(u16::MAX)
        .saturating_sub(inner_height);
    let text = Paragraph::new(lines)
        .block(block)
        .wrap(Wrap { trim: false })
        .scroll((debrief.scroll.min(most), 0));
    frame.render_widget(text, body);
    let hints = Line::from(vec![
        Span::styled(" j/k", theme.style(Role::HintKey)),
        Span::styled(" scroll  ", theme.style(Role::HintText)),
        Span::styled("PgDn/PgUp", theme.style(Role::HintKey)),
        Span::styled(" page  ", theme.style(Role::HintText)),
        Span::styled("q/Enter", theme.style(Role::HintKey)),
        Span::styled(" leave", theme.style(Role::HintText)),
    ]);
    frame.render_widget(Paragraph::new(hints), foot);
}
