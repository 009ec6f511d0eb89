//! The selected incident's service signals: a chart per signal over the incident window,
//! the firing moment marked, the alert's threshold drawn, and the current value with its
//! trend. A signal that could not be charted says why, under its name.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Chart, Dataset, GraphType, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr as _;

use super::{clock, clock_with_day, pane_block, title, truncate};
use crate::layout::Pane;
use crate::metrics::{Notice, Series, Window, format_value};
use crate::sanitize;
use crate::state::State;
use crate::theme::{Role, Theme};

/// Rows one chart needs to be readable: title, plot, axis labels.
const CHART_ROWS: u16 = 7;
/// At most this many rows for a signal's message.
const NOTICE_ROWS: u16 = 4;
/// Windows longer than this name the day as well as the time.
const DAY_IN_CLOCK_SECONDS: u64 = 20 * 3600;

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
        (Some(_), Some(error)) if view.series.is_empty() => Some(Line::styled(
            format!("metrics unavailable: {}", sanitize::line(error)),
            theme.style(Role::HealthFailing),
        )),
        (Some(_), None) if view.series.is_empty() && view.loading => Some(Line::styled(
            format!("loading metrics ({})…", view.span.label()),
            theme.style(Role::Dim),
        )),
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
    // The last charts stay, stale, under what went wrong since: never an empty pane.
    let stale = view.error.as_ref().map(|error| {
        let fetched = view.series_at.map_or(String::new(), |at| {
            format!(" · showing the charts of {}", clock(at, state, false))
        });
        format!("metrics unavailable: {}{fetched}", sanitize::line(error))
    });
    let stale_rows = stale.as_deref().map_or(0, |text| {
        u16::try_from(wrapped_rows(text, inner.width))
            .unwrap_or(NOTICE_ROWS)
            .min(NOTICE_ROWS)
    });
    let [stale_area, header_area, body] = Layout::vertical([
        Constraint::Length(stale_rows),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(inner);
    if let Some(text) = stale {
        let line = Line::styled(text, theme.style(Role::HealthFailing));
        frame.render_widget(Paragraph::new(line).wrap(Wrap { trim: true }), stale_area);
    }
    let fired = incident.opened_at.timestamp() as f64;
    frame.render_widget(Paragraph::new(header(state, window, theme)), header_area);
    let heights: Vec<u16> = view
        .series
        .iter()
        .map(|s| rows_for(s, body.width))
        .collect();
    let fit = |footer: u16| {
        let mut used = 0;
        let count = heights[view.scroll.min(heights.len())..]
            .iter()
            .take_while(|&&h| {
                used += h;
                used <= body.height.saturating_sub(footer)
            })
            .count();
        count.max(1)
    };
    let mut shown_count = fit(0);
    if view.scroll > 0 || view.scroll + shown_count < view.series.len() {
        shown_count = fit(1);
    }
    let shown: Vec<&Series> = view
        .series
        .iter()
        .skip(view.scroll)
        .take(shown_count)
        .collect();
    let shown_count = shown.len();
    let hidden = view.series.len().saturating_sub(view.scroll + shown_count);
    let more_rows = u16::from(hidden > 0 || view.scroll > 0);
    let [charts, more] =
        Layout::vertical([Constraint::Min(0), Constraint::Length(more_rows)]).areas(body);
    let constraints: Vec<Constraint> = shown
        .iter()
        .map(|s| match s.notice {
            Some(_) => Constraint::Length(rows_for(s, body.width)),
            None => Constraint::Fill(1),
        })
        .collect();
    let rows = Layout::vertical(constraints).split(charts);
    let bounds = [
        window.start.timestamp() as f64,
        window.end.timestamp() as f64,
    ];
    for (series, rect) in shown.into_iter().zip(rows.iter()) {
        match &series.notice {
            Some(notice) => notice_rows(frame, *rect, series, notice, theme),
            None => chart(frame, *rect, series, bounds, fired, theme),
        }
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

/// "02:33–03:12 ┃ fired 03:03" around the firing; "last 6h ┃ fired 03:03" for a span
/// ending now. "◂ fired" when the firing is before the window (off its left edge).
fn header<'a>(state: &State, window: Window, theme: &Theme) -> Line<'a> {
    let view = &state.metrics;
    let Some(incident) = state.selected() else {
        return Line::default();
    };
    let long = window.seconds() > DAY_IN_CLOCK_SECONDS;
    let at = |t| {
        if long {
            clock_with_day(t, state)
        } else {
            clock(t, state, false)
        }
    };
    let span = match view.span {
        crate::metrics::Span::AroundFiring => format!("{}–{}", at(window.start), at(window.end)),
        other => other.label(),
    };
    let mark = if incident.opened_at < window.start {
        "◂"
    } else {
        "┃"
    };
    let mut spans = vec![
        Span::styled(format!("{span} "), theme.style(Role::Dim)),
        Span::styled(
            format!("{mark} fired {}", at(incident.opened_at)),
            theme.style(Role::ChartFired),
        ),
    ];
    if view.loading {
        spans.push(Span::styled(" · updating…", theme.style(Role::Dim)));
    }
    Line::from(spans)
}

/// A chart's rows, or a message's (its name and text, wrapped, at most `NOTICE_ROWS`).
fn rows_for(series: &Series, width: u16) -> u16 {
    match &series.notice {
        None => CHART_ROWS,
        Some(Notice::Problem(text) | Notice::Info(text)) => {
            let rows = wrapped_rows(&format!("{}: {text}", series.name), width);
            u16::try_from(rows)
                .unwrap_or(NOTICE_ROWS)
                .clamp(1, NOTICE_ROWS)
        }
    }
}

/// Lines `text` takes wrapped at word boundaries to `width` (as the paragraph wraps it).
fn wrapped_rows(text: &str, width: u16) -> usize {
    let width = usize::from(width.max(1));
    let (mut rows, mut used) = (1, 0);
    for word in text.split_whitespace() {
        let length = word.width().max(1);
        if used > 0 && used + 1 + length <= width {
            used += 1 + length;
            continue;
        }
        if used > 0 {
            rows += 1;
        }
        // A word longer than the line is broken across lines of its own.
        let extra = (length - 1) / width;
        rows += extra;
        used = length - extra * width;
    }
    rows
}

fn notice_rows(frame: &mut Frame, area: Rect, series: &Series, notice: &Notice, theme: &Theme) {
    let (text, role) = match notice {
        Notice::Problem(text) => (text, Role::HealthFailing),
        Notice::Info(text) => (text, Role::Dim),
    };
    let line = Line::from(vec![
        Span::styled(
            format!("{}: ", sanitize::line(&series.name)),
            theme.style(Role::Title),
        ),
        Span::styled(sanitize::line(text).into_owned(), theme.style(role)),
    ]);
    frame.render_widget(Paragraph::new(line).wrap(Wrap { trim: true }), area);
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
        .map(|&(_, v)| v)
        .chain(series.threshold)
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
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
    let threshold: Vec<(f64, f64)> = series
        .threshold
        .map(|t| vec![(x_bounds[0], t), (x_bounds[1], t)])
        .unwrap_or_default();
    let mut datasets = vec![
        Dataset::default()
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(theme.style(Role::ChartFired))
            .data(&marker),
    ];
    if !threshold.is_empty() {
        datasets.push(
            Dataset::default()
                .marker(Marker::Braille)
                .graph_type(GraphType::Line)
                .style(theme.style(Role::ChartAxis))
                .data(&threshold),
        );
    }
    datasets.push(
        Dataset::default()
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(theme.style(Role::ChartLine))
            .data(&series.points),
    );
    let axis = theme.style(Role::ChartAxis);
    let chart = Chart::new(datasets)
        .x_axis(Axis::default().bounds(x_bounds).style(axis))
        .y_axis(Axis::default().bounds([low, high]).style(axis).labels([
            format_value(low, series.unit),
            format_value(high, series.unit),
        ]));
    frame.render_widget(chart, plot);
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_message_takes_the_rows_its_words_wrap_to() {
        assert_eq!(super::wrapped_rows("saturation: no data", 40), 1);
        assert_eq!(super::wrapped_rows("aaaa bbbb cccc", 9), 2);
        assert_eq!(super::wrapped_rows("aaaa bbbb cccc", 4), 3);
        assert_eq!(super::wrapped_rows("abcdefghij", 4), 3);
    }
}
