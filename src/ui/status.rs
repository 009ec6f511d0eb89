//! The status bar: badges, each source's health and age of data, who you are.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::clock;
use crate::action::Action;
use crate::incident::Status;
use crate::state::actions::ActionCounts;
use crate::state::{Health, State};
use crate::theme::{Role, Theme};

pub fn render(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let bar = theme.style(Role::StatusBar);
    let mut spans = Vec::new();
    if state.setup.demo {
        spans.push(Span::styled(" DEMO DATA ", theme.style(Role::Badge)));
        spans.push(Span::raw(" "));
    }
    if state.setup.read_only {
        spans.push(Span::styled(" READ-ONLY ", theme.style(Role::Badge)));
        spans.push(Span::raw(" "));
    }
    // Said until seen to: a failed ack must not be missed once its flash is gone.
    if let Some((text, role)) = actions_badge(state) {
        spans.push(Span::styled(text, theme.style(role)));
        spans.push(Span::styled(" │ ", theme.style(Role::Dim)));
    }
    for (index, source) in state.sources.iter().enumerate() {
        if index > 0 {
            spans.push(Span::styled(" │ ", theme.style(Role::Dim)));
        }
        let health = source.health(state.now);
        let role = match health {
            Health::Live => Role::HealthLive,
            Health::Connecting
            | Health::Stale { .. }
            | Health::Degraded { .. }
            | Health::RateLimited { .. } => Role::HealthStale,
            Health::Failing { .. } => Role::HealthFailing,
        };
        let updated = match (&health, source.last_ok) {
            (Health::Live, Some(at)) => format!(" · {}", clock(at, state, true)),
            _ => String::new(),
        };
        spans.push(Span::styled(
            format!(
                "{} {} {}{updated}",
                crate::sanitize::line(&source.name),
                health.glyph(),
                crate::sanitize::line(&health.label())
            ),
            theme.style(role),
        ));
    }
    let triggered = state
        .incidents
        .iter()
        .filter(|i| i.status == Status::Triggered)
        .count();
    let right = format!(
        " {} incidents, {triggered} triggered │ {} ",
        state.incidents.len(),
        crate::sanitize::line(&state.setup.me)
    );
    let left_width: usize = spans.iter().map(|s| s.width()).sum::<usize>() + 1;
    let room = usize::from(area.width).saturating_sub(left_width);
    if room >= right.chars().count() {
        spans.push(Span::raw(" ".repeat(room - right.chars().count() + 1)));
        spans.push(Span::raw(right));
    }
    let mut line = vec![Span::raw(" ")];
    line.extend(spans);
    frame.render_widget(Paragraph::new(Line::from(line)).style(bar), area);
}

/// "2 actions failed · A to see", or how many are still on their way.
fn actions_badge(state: &State) -> Option<(String, Role)> {
    let counts = state.action_counts();
    let plural = |n: usize| if n == 1 { "action" } else { "actions" };
    let see = state
        .setup
        .keymap
        .binding(Action::Actions)
        .map(|b| format!(" · {} to see", b.keys_text()))
        .unwrap_or_default();
    match counts {
        ActionCounts {
            failed: 0,
            on_the_way: 0,
        } => None,
        ActionCounts {
            failed: 0,
            on_the_way,
        } => Some((
            format!("{on_the_way} {} on the way", plural(on_the_way)),
            Role::HealthStale,
        )),
        ActionCounts { failed, .. } => Some((
            format!("✖ {failed} {} failed{see}", plural(failed)),
            Role::Danger,
        )),
    }
}
