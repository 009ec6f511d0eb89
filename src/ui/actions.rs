//! `A`: every action taken, newest first, with its state; below the list, the selected
//! one in full (a failure's whole reason) and the keys that apply to it.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{clock, clock_with_day, pane_block, popup, title, truncate};
use crate::action::Action;
use crate::event::OpState;
use crate::sanitize;
use crate::state::actions::{ActionsList, ListVerb};
use crate::state::{OpRecord, State};
use crate::theme::{Role, Theme};

/// Rows under the list: a rule, the selected action in full (up to three lines), keys.
const FOOTER: u16 = 5;

pub fn render(frame: &mut Frame, area: Rect, state: &State, theme: &Theme, list: &ActionsList) {
    let rows = state.action_rows();
    let width = area.width.saturating_sub(4).min(120);
    let height = match rows.len() {
        // The explanation alone.
        0 => 5,
        n => u16::try_from(n)
            .unwrap_or(u16::MAX)
            .saturating_add(FOOTER + 2),
    }
    .min(area.height.saturating_sub(2));
    let rect = popup(frame, area, width, height);
    let heading = format!("Actions · {} · newest first · Esc closes", rows.len());
    let block =
        pane_block(Line::from(title(heading, theme)), true, theme).style(theme.style(Role::Dialog));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let [list_area, footer] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(FOOTER)]).areas(inner);

    if rows.is_empty() {
        let text = "No actions yet. An acknowledge, snooze, resolve, note or escalation shows \
                    here with its state: pending, sent, confirmed or failed (and why).";
        let empty =
            Paragraph::new(Line::styled(text, theme.style(Role::Dim))).wrap(Wrap { trim: true });
        frame.render_widget(empty, inner);
        return;
    }
    let cursor = list.cursor.min(rows.len() - 1);
    let shown = usize::from(list_area.height).max(1);
    let offset = cursor.saturating_sub(shown - 1);
    let columns = Columns::fit(usize::from(list_area.width), &rows);
    let lines: Vec<Line> = rows
        .iter()
        .enumerate()
        .skip(offset)
        .take(shown)
        .map(|(index, (_, op))| {
            let line = columns.row(state, op, index == cursor, theme);
            match index == cursor {
                true => line.style(theme.style(Role::Selected)),
                false => line,
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), list_area);
    let (id, op) = rows[cursor];
    render_footer(frame, footer, state, theme, list, id, op);
}

/// Column widths for the rows, from what they hold and the room there is.
struct Columns {
    /// What is left for the state, after the other columns.
    state: usize,
    key: usize,
    what: usize,
    /// The incident's title, when the screen is wide enough for it.
    title: usize,
}

impl Columns {
    fn fit(width: usize, rows: &[(u64, &OpRecord)]) -> Columns {
        let longest = |text: &dyn Fn(&OpRecord) -> usize| {
            rows.iter().map(|(_, op)| text(op)).max().unwrap_or(0)
        };
        let key = longest(&|op| op.key.to_string().chars().count()).min(22);
        let what = longest(&|op| op.verb.describe().chars().count()).min(28);
        // The mark, the time and the gaps; the state gets what is left, at least 24.
        let fixed = 2 + 9 + 2 + key + 2 + what + 2;
        let title = width.saturating_sub(fixed + 40).min(36);
        let state = width.saturating_sub(fixed + if title > 0 { title + 2 } else { 0 });
        Columns {
            state,
            key,
            what,
            title,
        }
    }

    fn row(&self, state: &State, op: &OpRecord, selected: bool, theme: &Theme) -> Line<'static> {
        let when = match op.at.date_naive() == state.now.date_naive() {
            true => clock(op.at, state, true),
            false => clock_with_day(op.at, state),
        };
        let key = sanitize::line(&op.key.to_string()).into_owned();
        let what = sanitize::line(&op.verb.describe()).into_owned();
        let mut spans = vec![
            Span::raw(if selected { "› " } else { "  " }),
            Span::styled(format!("{when:<9}  "), theme.style(Role::Dim)),
            Span::raw(format!("{:<w$}  ", truncate(&key, self.key), w = self.key)),
            Span::raw(format!(
                "{:<w$}  ",
                truncate(&what, self.what),
                w = self.what
            )),
        ];
        if self.title > 0 {
            let title = state
                .incidents
                .iter()
                .find(|i| i.key == op.key)
                .map(|i| sanitize::line(&i.title).into_owned())
                .unwrap_or_default();
            spans.push(Span::styled(
                format!("{:<w$}  ", truncate(&title, self.title), w = self.title),
                theme.style(Role::Dim),
            ));
        }
        // Cut with a mark: the whole reason is under the list.
        let (text, role) = state_text(&op.state);
        spans.push(Span::styled(truncate(&text, self.state), theme.style(role)));
        Line::from(spans)
    }
}

/// The state as a word (and a failure's reason), with its style.
fn state_text(state: &OpState) -> (String, Role) {
    match state {
        OpState::Pending => ("pending".into(), Role::Pending),
        OpState::Sent => ("sent".into(), Role::HealthStale),
        OpState::Confirmed => ("✔ confirmed".into(), Role::HealthLive),
        OpState::Failed(reason) => (
            format!("✖ failed: {}", sanitize::line(reason)),
            Role::Danger,
        ),
        OpState::Dropped => ("dropped".into(), Role::Dim),
    }
}

fn render_footer(
    frame: &mut Frame,
    area: Rect,
    state: &State,
    theme: &Theme,
    list: &ActionsList,
    id: u64,
    op: &OpRecord,
) {
    let what = sanitize::line(&op.verb.describe_on(&op.key)).into_owned();
    let rule = "─".repeat(usize::from(area.width));
    let (status, role) = state_text(&op.state);
    let detail = Line::from(vec![
        Span::raw(format!("{what} · asked {} · ", clock(op.at, state, true))),
        Span::styled(status, theme.style(role)),
    ]);
    let last = match list.asking {
        Some((asked, verb)) if asked == id => {
            let question = match verb {
                ListVerb::Retry => format!("Send again: {what}?"),
                ListVerb::Drop => format!("Drop {what}? It will never be sent."),
            };
            Line::styled(
                format!("{question}  y/Enter yes · n/Esc no"),
                theme.style(Role::Danger),
            )
        }
        _ => keys_line(state, theme, &op.state),
    };
    let [top, middle, bottom] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(area.height.saturating_sub(2)),
        Constraint::Length(1),
    ])
    .areas(area);
    frame.render_widget(Line::styled(rule, theme.style(Role::Border)), top);
    frame.render_widget(Paragraph::new(detail).wrap(Wrap { trim: true }), middle);
    frame.render_widget(last, bottom);
}

/// The keys that do something to the selected action, from the key table (a read-only
/// table has no retry).
fn keys_line(state: &State, theme: &Theme, op: &OpState) -> Line<'static> {
    let keymap = &state.setup.keymap;
    let applies = |action: Action| match action {
        Action::RetryAction => matches!(op, OpState::Failed(_)),
        Action::DropAction => matches!(op, OpState::Failed(_) | OpState::Pending),
        _ => true,
    };
    let mut spans = Vec::new();
    for (action, label) in [
        (Action::RetryAction, "retry"),
        (Action::DropAction, "drop"),
        (Action::MoveDown, "next"),
        (Action::MoveUp, "previous"),
    ] {
        let Some(binding) = keymap.binding(action).filter(|_| applies(action)) else {
            continue;
        };
        spans.push(Span::styled(
            binding.keys_text(),
            theme.style(Role::HintKey),
        ));
        spans.push(Span::styled(
            format!(" {label}  "),
            theme.style(Role::HintText),
        ));
    }
    spans.push(Span::styled("Esc", theme.style(Role::HintKey)));
    spans.push(Span::styled(" close", theme.style(Role::HintText)));
    Line::from(spans)
}
