//! Screen geometry as a pure function of the terminal size and focus, shared by rendering
//! and by mouse hit-testing so both always agree.

use ratatui::layout::{Constraint, Layout, Position, Rect};

/// The three panes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Pane {
    #[default]
    Incidents,
    Metrics,
    Playbook,
}

impl Pane {
    pub const ALL: [Pane; 3] = [Pane::Incidents, Pane::Metrics, Pane::Playbook];

    pub fn title(self) -> &'static str {
        match self {
            Pane::Incidents => "Incidents",
            Pane::Metrics => "Metrics",
            Pane::Playbook => "Playbook",
        }
    }

    pub fn next(self) -> Pane {
        match self {
            Pane::Incidents => Pane::Metrics,
            Pane::Metrics => Pane::Playbook,
            Pane::Playbook => Pane::Incidents,
        }
    }

    pub fn prev(self) -> Pane {
        self.next().next()
    }
}

/// Three columns from 160 wide, two from 100, one pane with tabs below that.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Wide,
    Medium,
    Narrow,
    TooSmall,
}

pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScreenLayout {
    pub mode: Mode,
    /// Empty unless `Narrow`.
    pub tabs: Rect,
    pub incidents: Rect,
    pub metrics: Rect,
    pub playbook: Rect,
    pub hints: Rect,
    pub status: Rect,
}

impl ScreenLayout {
    pub fn pane(&self, pane: Pane) -> Rect {
        match pane {
            Pane::Incidents => self.incidents,
            Pane::Metrics => self.metrics,
            Pane::Playbook => self.playbook,
        }
    }

    pub fn pane_at(&self, column: u16, row: u16) -> Option<Pane> {
        let at = Position::new(column, row);
        Pane::ALL.into_iter().find(|&p| self.pane(p).contains(at))
    }

    /// How many incident rows the list shows (inside borders, under the header).
    pub fn list_rows(&self) -> usize {
        usize::from(self.incidents.height.saturating_sub(3))
    }
}

pub fn compute(width: u16, height: u16, focus: Pane) -> ScreenLayout {
    let area = Rect::new(0, 0, width, height);
    let mode = match (width, height) {
        (w, h) if w < MIN_WIDTH || h < MIN_HEIGHT => Mode::TooSmall,
        (w, _) if w >= 160 => Mode::Wide,
        (w, _) if w >= 100 => Mode::Medium,
        _ => Mode::Narrow,
    };
    let mut layout = ScreenLayout {
        mode,
        tabs: Rect::default(),
        incidents: Rect::default(),
        metrics: Rect::default(),
        playbook: Rect::default(),
        hints: Rect::default(),
        status: Rect::default(),
    };
    if mode == Mode::TooSmall {
        return layout;
    }
    let tab_rows = u16::from(mode == Mode::Narrow);
    let [tabs, body, hints, status] = Layout::vertical([
        Constraint::Length(tab_rows),
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    layout.tabs = tabs;
    layout.hints = hints;
    layout.status = status;
    match mode {
        Mode::Wide => {
            let [list, metrics, playbook] = Layout::horizontal([
                Constraint::Percentage(44),
                Constraint::Percentage(22),
                Constraint::Percentage(34),
            ])
            .areas(body);
            (layout.incidents, layout.metrics, layout.playbook) = (list, metrics, playbook);
        }
        Mode::Medium => {
            let [left, playbook] =
                Layout::horizontal([Constraint::Percentage(56), Constraint::Percentage(44)])
                    .areas(body);
            let [list, metrics] =
                Layout::vertical([Constraint::Percentage(55), Constraint::Percentage(45)])
                    .areas(left);
            (layout.incidents, layout.metrics, layout.playbook) = (list, metrics, playbook);
        }
        Mode::Narrow => match focus {
            Pane::Incidents => layout.incidents = body,
            Pane::Metrics => layout.metrics = body,
            Pane::Playbook => layout.playbook = body,
        },
        Mode::TooSmall => {}
    }
    layout
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_layout_follows_the_terminal_width() {
        assert_eq!(compute(200, 50, Pane::Incidents).mode, Mode::Wide);
        assert_eq!(compute(160, 48, Pane::Incidents).mode, Mode::Wide);
        assert_eq!(compute(159, 48, Pane::Incidents).mode, Mode::Medium);
        assert_eq!(compute(100, 30, Pane::Incidents).mode, Mode::Medium);
        assert_eq!(compute(80, 24, Pane::Incidents).mode, Mode::Narrow);
        assert_eq!(compute(20, 5, Pane::Incidents).mode, Mode::TooSmall);
    }

    #[test]
    fn panes_do_not_overlap_and_fill_the_body() {
        let wide = compute(160, 48, Pane::Incidents);
        assert_eq!(
            wide.incidents.width + wide.metrics.width + wide.playbook.width,
            160
        );
        assert!(!wide.incidents.intersects(wide.metrics));
        let medium = compute(120, 40, Pane::Incidents);
        assert_eq!(
            medium.incidents.x, medium.metrics.x,
            "metrics sit under the list"
        );
        assert!(medium.metrics.y > medium.incidents.y);
        let narrow = compute(80, 24, Pane::Playbook);
        assert_eq!(narrow.tabs.height, 1);
        assert_eq!(narrow.playbook.height, 21);
        assert!(narrow.incidents.is_empty() && narrow.metrics.is_empty());
        assert_eq!(narrow.pane_at(5, 5), Some(Pane::Playbook));
        assert_eq!(narrow.pane_at(5, 23), None);
    }
}
