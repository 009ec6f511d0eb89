//! The selected incident's service signals: a chart per signal over the incident window,
//! the firing moment marked, and the current value with its trend.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Chart, Dataset, GraphType, Paragraph, Wrap};

use super::{clock, pane_block, title, truncate};
use crate::layout::Pane;
use crate::metrics::{Series, format_value};
use crate::sanitize;
use crate::state::State;
use crate::theme::{Role, Theme};

/// Rows one chart needs to be readable: title, plot, axis labels.
const CHART_ROWS: u16 = 7;

pub fn render(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let incident = state.selected();
    let name = incident.map_or(String::new(), |i| {
        format!(" · {}", sanitize::line(&i.service))
    });
    let block = pane_block(
        Line::from(title(format!("Metrics{name}"), theme)),
        state.focus == Pane::Metrics,
        theme,
    );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let view = &state.metrics;
    let message = match (incident, &view.error) {
        (None, _) => Some(Line::styled(
            "Select an incident to chart its service.",
            theme.style(Role::Dim),
        )),
        (Some(_), Some(error)) => Some(Line::styled(
            format!("metrics unavailable: {}", sanitize::line(error)),
            theme.style(Role::HealthFailing),
        )),
        (Some(_), None) if view.series.is_empty() && view.loading => {
            Some(Line::styled("loading metrics…", theme.style(Role::Dim)))
        }
        (Some(i), None) if view.series.is_empty() => Some(Line::styled(
            format!("no metrics configured for {}", sanitize::line(&i.service)),
            theme.style(Role::Dim),
        )),
        _ => None,
    };
    if let Some(message) = message {
        frame.render_widget(Paragraph::new(message).wrap(Wrap { trim: true }), inner);
        return;
    }
    let (Some(incident), Some(window)) = (incident, view.window) else {
        return;
    };
    let fired = incident.opened_at.timestamp() as f64;
    let header = Line::from(vec![
        Span::styled(
            format!(
                "{}–{} ",
                clock(window.start, state, false),
                clock(window.end, state, false)
            ),
            theme.style(Role::Dim),
        ),
        Span::styled(
            format!("┃ fired {}", clock(incident.opened_at, state, false)),
            theme.style(Role::ChartFired),
        ),
    ]);
    let [header_area, body] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(inner);
    frame.render_widget(Paragraph::new(header), header_area);
    let fit = usize::from((body.height / CHART_ROWS).max(1));
    let shown: Vec<&Series> = view.series.iter().skip(view.scroll).take(fit).collect();
    let shown_count = shown.len();
    let hidden = view.series.len().saturating_sub(view.scroll + shown_count);
    let more_rows = u16::from(hidden > 0 || view.scroll > 0);
    let [charts, more] =
        Layout::vertical([Constraint::Min(0), Constraint::Length(more_rows)]).areas(body);
    let rows = Layout::vertical(vec![
        Constraint::Ratio(1, shown.len().max(1) as u32);
        shown.len()
    ])
    .split(charts);
    let bounds = [
        window.start.timestamp() as f64,
        window.end.timestamp() as f64,
    ];
    for (series, rect) in shown.into_iter().zip(rows.iter()) {
        chart(frame, *rect, series, bounds, fired, theme);
    }
    if more_rows > 0 {
        let (first, last) = (view.scroll + 1, view.scroll + shown_count);
        let range = if first == last {
            format!("signal {first}")
        } else {
            format!("signals {first}–{last}")
        };
        let text = format!("{range} of {} · j/k scroll", view.series.len());
        frame.render_widget(
            Paragraph::new(Line::styled(text, theme.style(Role::Dim))),
            more,
        );
    }
}

fn chart(
    frame: &mut Frame,
    area: Rect,
    series: &Series,
    x_bounds: [f64; 2],
    fired: f64,
    theme: &Theme,
) {
    let [head, plot] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
    let current = series
        .latest()
        .map_or("–".into(), |v| format_value(v, series.unit));
    let name = truncate(
        &sanitize::line(&series.name),
        usize::from(head.width).saturating_sub(current.width() + 3),
    );
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(name, theme.style(Role::Title)),
            Span::raw(" "),
            Span::styled(current, theme.style(Role::ChartValue)),
            Span::raw(" "),
            Span::styled(series.trend(), theme.style(Role::ChartValue)),
        ])),
        head,
    );
    let (low, high) = series
        .points
        .iter()
        .filter(|(_, v)| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &(_, v)| {
            (lo.min(v), hi.max(v))
        });
    let (low, high) = if low.is_finite() {
        (low, high)
    } else {
        (0.0, 1.0)
    };
    let high = if (high - low).abs() < f64::EPSILON {
        low + 1.0
    } else {
        high
    };
    let marker = [(fired, low), (fired, high)];
    let datasets = vec![
        Dataset::default()
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(theme.style(Role::ChartFired))
            .data(&marker),
        Dataset::default()
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(theme.style(Role::ChartLine))
            .data(&series.points),
    ];
    let axis = theme.style(Role::ChartAxis);
    let chart = Chart::new(datasets)
        .x_axis(Axis::default().bounds(x_bounds).style(axis))
        .y_axis(Axis::default().bounds([low, high]).style(axis).labels([
            format_value(low, series.unit),
            format_value(high, series.unit),
        ]));
    frame.render_widget(chart, plot);
}

use unicode_width::UnicodeWidthStr as _;
