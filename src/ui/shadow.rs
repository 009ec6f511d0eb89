//! Shadow mode's banner at the start of the hints row: whole where there is room for it
//! and the hints, short where not (the status bar's SHADOW badge is always there).

use ratatui::text::Span;

use crate::state::State;
use crate::theme::{Role, Theme};

/// Columns the hints keep beside the whole banner; below, the short one.
const HINTS_ROOM: usize = 60;

pub fn banner(state: &State, width: u16, theme: &Theme) -> Vec<Span<'static>> {
    if !state.shadow {
        return Vec::new();
    }
    let whole = crate::state::SHADOW_BANNER;
    let text = if usize::from(width) >= whole.len() + HINTS_ROOM {
        whole
    } else {
        "shadow: nothing you press changes anything"
    };
    vec![
        Span::styled(text, theme.style(Role::Badge)),
        Span::styled(" │ ", theme.style(Role::Dim)),
    ]
}
