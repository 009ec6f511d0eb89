//! `W`: who is on call now at every source, by level, and until when.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::{popup, scrolling_overlay};
use crate::incident::format_age;
use crate::sanitize;
use crate::state::State;
use crate::state::escalate::Roster;
use crate::theme::{Role, Theme};

pub fn render(frame: &mut Frame, area: Rect, state: &State, theme: &Theme, scroll: u16) {
    let mut lines = Vec::new();
    for source in &state.sources {
        lines.push(Line::styled(
            sanitize::line(&source.name).into_owned(),
            theme.style(Role::Title),
        ));
        match state.rosters.get(&source.name) {
            None | Some(Roster::Loading) => {
                lines.push(Line::styled("  asking…", theme.style(Role::Dim)));
            }
            Some(Roster::Unknown(reason)) => lines.push(Line::styled(
                format!("  {}", sanitize::line(reason)),
                theme.style(Role::Dim),
            )),
            Some(Roster::Known(people)) if people.is_empty() => {
                lines.push(Line::styled("  nobody listed", theme.style(Role::Dim)));
            }
            Some(Roster::Known(people)) => {
                let mut people: Vec<_> = people.iter().collect();
                // Each level's people now, then who is next there.
                people.sort_by_key(|p| (p.level.unwrap_or(u32::MAX), p.from, p.rota.clone()));
                for person in people {
                    let level = person.level.map_or("–".into(), |l| format!("L{l}"));
                    let (level, until) = match (person.from, person.until) {
                        (Some(from), _) if !person.now(state.now) => (
                            format!("{level}→"),
                            format!(
                                "from {} (in {})",
                                super::clock(from, state, false),
                                format_age((from - state.now).num_seconds())
                            ),
                        ),
                        (_, Some(until)) => (
                            level,
                            format!(
                                "until {} (in {})",
                                super::clock(until, state, false),
                                format_age((until - state.now).num_seconds())
                            ),
                        ),
                        // Not "permanent": Opsgenie gives no end for shifts that do end.
                        (_, None) => (level, "no end given".into()),
                    };
                    lines.push(Line::from(vec![
                        Span::styled(format!("  {level:<3} "), theme.style(Role::HintKey)),
                        Span::raw(format!("{:<18} ", sanitize::line(&person.who))),
                        Span::styled(
                            format!("{:<20} ", sanitize::line(&person.rota)),
                            theme.style(Role::Dim),
                        ),
                        Span::raw(until),
                    ]));
                }
            }
        }
        lines.push(Line::raw(""));
    }
    let rect = popup(
        frame,
        area,
        area.width.saturating_sub(8).clamp(40, 100),
        area.height.saturating_sub(4),
    );
    scrolling_overlay(
        frame,
        rect,
        "On call now · Esc closes",
        lines,
        scroll,
        theme,
    );
}
