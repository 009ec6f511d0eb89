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
    let mut shown: Vec<Shown> = Vec::new();
    for source in &state.sources {
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
        let name = format!(
            "{} {} ",
            crate::sanitize::line(&source.name),
            health.glyph()
        );
        shown.push(Shown {
            name,
            updated,
            health,
            role,
        });
    }
    let badges: usize = spans.iter().map(|s| s.width()).sum();
    let room =
        usize::from(area.width).saturating_sub(badges + 1 + 3 * shown.len().saturating_sub(1));
    let labels = fair_labels(&shown, room);
    for (index, (source, label)) in shown.iter().zip(labels).enumerate() {
        if index > 0 {
            spans.push(Span::styled(" │ ", theme.style(Role::Dim)));
        }
        let text = format!("{}{label}{}", source.name, source.updated);
        spans.push(Span::styled(text, theme.style(source.role)));
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

/// Each source's words, sanitised. With several sources and too little room, a failing
/// source's reason is cut (its "last good … ago" kept), so one long error never pushes
/// the others off the bar.
fn fair_labels(shown: &[Shown], room: usize) -> Vec<String> {
    let full: Vec<String> = shown
        .iter()
        .map(|s| crate::sanitize::line(&s.health.label()).into_owned())
        .collect();
    let width = |(source, label): (&Shown, &String)| source.width() + label.chars().count();
    let needed: usize = shown.iter().zip(&full).map(width).sum();
    if shown.len() < 2 || needed <= room {
        return full;
    }
    let share = room / shown.len();
    shown
        .iter()
        .zip(full)
        .map(|(source, label)| match &source.health {
            Health::Failing {
                reason,
                last_ok_seconds,
            } if source.width() + label.chars().count() > share => {
                let reason = crate::sanitize::line(reason);
                let others = label.chars().count().saturating_sub(reason.chars().count());
                let keep = share.saturating_sub(source.width() + others + 1);
                let cut: String = reason.chars().take(keep).collect::<String>() + "…";
                Health::Failing {
                    reason: cut,
                    last_ok_seconds: *last_ok_seconds,
                }
                .label()
            }
            _ => label,
        })
        .collect()
}

/// One source on the bar: its name and glyph, its words, and a live one's clock.
struct Shown {
    name: String,
    updated: String,
    health: Health,
    role: Role,
}

impl Shown {
    fn width(&self) -> usize {
        self.name.chars().count() + self.updated.chars().count()
    }
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
