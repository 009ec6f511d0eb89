//! The status bar: badges, each source's health and age of data, who you are.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::clock;
use crate::action::Action;
use crate::incident::Status;
use crate::state::actions::ActionCounts;
use crate::state::{Health, SourceStatus, State};
use crate::theme::{Role, Theme};

pub fn render(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let bar = theme.style(Role::StatusBar);
    let mut spans = Vec::new();
    if state.setup.demo {
        spans.push(Span::styled(" DEMO DATA ", theme.style(Role::Badge)));
        spans.push(Span::raw(" "));
    }
    if let Some(badge) = super::debrief::badge(state) {
        spans.push(Span::styled(badge, theme.style(Role::Badge)));
        spans.push(Span::raw(" "));
    }
    if state.shadow {
        // Shadow is read-only too; one badge says both.
        spans.push(Span::styled(" SHADOW ", theme.style(Role::Badge)));
        spans.push(Span::raw(" "));
    } else if state.setup.read_only {
        spans.push(Span::styled(" READ-ONLY ", theme.style(Role::Badge)));
        spans.push(Span::raw(" "));
    }
    // Said until seen to: a failed ack must not be missed once its flash is gone.
    if let Some((text, role)) = actions_badge(state) {
        spans.push(Span::styled(text, theme.style(role)));
        spans.push(Span::styled(" │ ", theme.style(Role::Dim)));
    }
    let badges: usize = spans.iter().map(Span::width).sum();
    let separator = " │ ";
    let room = usize::from(area.width)
        .saturating_sub(1 + badges)
        .saturating_sub(separator.width() * state.sources.len().saturating_sub(1));
    let healths: Vec<Health> = state.sources.iter().map(|s| s.health(state.now)).collect();
    let texts = fit(&state.sources, &healths, state, room);
    for (index, (health, text)) in healths.iter().zip(texts).enumerate() {
        if index > 0 {
            spans.push(Span::styled(separator, theme.style(Role::Dim)));
        }
        let role = match health {
            Health::Live => Role::HealthLive,
            Health::Connecting
            | Health::Stale { .. }
            | Health::Degraded { .. }
            | Health::RateLimited { .. } => Role::HealthStale,
            Health::Failing { .. } => Role::HealthFailing,
        };
        spans.push(Span::styled(text, theme.style(role)));
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

/// Fewer columns of a failure's reason than this, and it says nothing.
const SHORTEST_REASON: usize = 16;

/// Each source's words, within `room` columns where they can be: a long failure reason
/// gives way (its middle first), never the age of the last good data nor the other
/// sources, which the end of the bar would otherwise cut off.
fn fit(sources: &[SourceStatus], healths: &[Health], state: &State, room: usize) -> Vec<String> {
    let mut reasons: Vec<Option<String>> = healths
        .iter()
        .map(|health| match health {
            Health::Failing { reason, .. } => Some(crate::sanitize::line(reason).into_owned()),
            _ => None,
        })
        .collect();
    let texts = |reasons: &[Option<String>], clocks: bool| -> Vec<String> {
        sources
            .iter()
            .zip(healths)
            .zip(reasons)
            .map(|((source, health), reason)| {
                describe(source, health, reason.as_deref(), clocks, state)
            })
            .collect()
    };
    let width = |texts: &[String]| texts.iter().map(|t| t.width()).sum::<usize>();
    let mut shown = texts(&reasons, true);
    if width(&shown) <= room {
        return shown;
    }
    // The time a live source last answered goes first: "live" says it is recent.
    shown = texts(&reasons, false);
    let mut over = width(&shown).saturating_sub(room);
    // The longest reason first, down to what still says something.
    while over > 0 {
        let Some(longest) = reasons
            .iter_mut()
            .flatten()
            .filter(|r| r.width() > SHORTEST_REASON)
            .max_by_key(|r| r.width())
        else {
            break;
        };
        let keep = longest.width().saturating_sub(over).max(SHORTEST_REASON);
        let before = longest.width();
        *longest = middle_cut(longest, keep);
        over = over.saturating_sub(before - longest.width());
        shown = texts(&reasons, false);
    }
    shown
}

/// "prod ● live · 12:03:04", "prod ✖ failing: … (last good 2m ago)"; `reason` in place of
/// a failure's own, the time of a live source's last answer only with `clock`.
fn describe(
    source: &SourceStatus,
    health: &Health,
    reason: Option<&str>,
    clock_shown: bool,
    state: &State,
) -> String {
    let label = match (health, reason) {
        (
            Health::Failing {
                last_ok_seconds, ..
            },
            Some(reason),
        ) => Health::Failing {
            reason: reason.to_string(),
            last_ok_seconds: *last_ok_seconds,
        }
        .label(),
        _ => crate::sanitize::line(&health.label()).into_owned(),
    };
    let updated = match (health, source.last_ok) {
        (Health::Live, Some(at)) if clock_shown => format!(" · {}", clock(at, state, true)),
        _ => String::new(),
    };
    format!(
        "{} {} {label}{updated}",
        crate::sanitize::line(&source.name),
        health.glyph()
    )
}

/// `text` in `width` columns: a third from its start, the rest from its end, an ellipsis
/// between. A reason's start says what failed, its end the cause ("… Connection refused").
fn middle_cut(text: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    if text.width() <= width {
        return text.to_string();
    }
    let budget = width.saturating_sub(1);
    let head_width = budget / 3;
    let mut head = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > head_width {
            break;
        }
        used += w;
        head.push(c);
    }
    let mut tail = Vec::new();
    let mut tail_used = 0;
    for c in text.chars().rev() {
        let w = c.width().unwrap_or(0);
        if used + tail_used + w > budget {
            break;
        }
        tail_used += w;
        tail.push(c);
    }
    head.push('…');
    head.extend(tail.into_iter().rev());
    head
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

#[cfg(test)]
mod tests {
    use super::middle_cut;

    #[test]
    fn a_cut_reason_keeps_its_start_and_its_cause() {
        let reason = "cannot reach server: http://127.0.0.1:9093/api/v2/alerts: Connection refused";
        let cut = middle_cut(reason, 40);
        assert_eq!(cut, "cannot reach …alerts: Connection refused");
        assert_eq!(unicode_width::UnicodeWidthStr::width(cut.as_str()), 40);
        assert_eq!(middle_cut("short", 40), "short");
    }
}
