//! Which stretch of time the metrics pane charts, and at what resolution.

use chrono::{DateTime, TimeDelta, Utc};

/// Prometheus refuses a range query that would give one series more points than this
/// ("exceeded maximum resolution of 11,000 points per timeseries").
pub const MAX_POINTS: u64 = 11_000;

/// Braille marks two dots per cell across, so two points per column is what a chart can
/// still tell apart; more would be fetched and never seen.
pub const POINTS_PER_COLUMN: u16 = 2;

/// The time span a chart covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl Window {
    /// From well before the incident fired (half an hour, or half its age) to now.
    pub fn around(opened_at: DateTime<Utc>, now: DateTime<Utc>) -> Self {
        let age = (now - opened_at).max(TimeDelta::zero());
        let lead = (age / 2).max(TimeDelta::minutes(30));
        Window {
            start: opened_at - lead,
            end: now.max(opened_at + TimeDelta::minutes(1)),
        }
    }

    pub fn seconds(&self) -> u64 {
        u64::try_from((self.end - self.start).num_seconds()).unwrap_or(0)
    }
}

/// What one fetch asks for: the span the user chose, the window it meant at that moment,
/// and the step. Carried to the metrics task and back with its answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChartRange {
    pub span: Span,
    pub window: Window,
    pub step: u64,
}

/// The widths `[` and `]` step through, ending now: 15m 1h 3h 6h 12h 24h 3d 7d.
pub const LADDER_SECONDS: [u64; 8] = [
    15 * 60,
    3600,
    3 * 3600,
    6 * 3600,
    12 * 3600,
    86_400,
    3 * 86_400,
    7 * 86_400,
];

/// How far back the pane looks: around the firing (the default for every incident) or
/// a fixed width ending now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Span {
    #[default]
    AroundFiring,
    /// The last this many seconds.
    Last(u64),
}

impl Span {
    pub fn window(self, opened_at: DateTime<Utc>, now: DateTime<Utc>) -> Window {
        match self {
            Span::AroundFiring => Window::around(opened_at, now),
            Span::Last(seconds) => Window {
                start: now - TimeDelta::seconds(i64::try_from(seconds).unwrap_or(i64::MAX / 2)),
                end: now,
            },
        }
    }

    /// One rung wider (`[`) or narrower (`]`), `None` past either end. The window around
    /// the firing sits on the ladder at its own width, so zooming back passes through it.
    pub fn zoom(self, wider: bool, opened_at: DateTime<Utc>, now: DateTime<Utc>) -> Option<Span> {
        let around = Window::around(opened_at, now).seconds();
        let mut ladder: Vec<(u64, Span)> = LADDER_SECONDS
            .iter()
            .filter(|&&seconds| seconds != around)
            .map(|&seconds| (seconds, Span::Last(seconds)))
            .collect();
        ladder.push((around, Span::AroundFiring));
        ladder.sort_by_key(|&(seconds, _)| seconds);
        let width = match self {
            Span::AroundFiring => around,
            Span::Last(seconds) => seconds,
        };
        let here = ladder
            .iter()
            .position(|&(_, span)| span == self)
            // A width not on the ladder (none today): step from where it would be.
            .unwrap_or_else(|| ladder.partition_point(|&(seconds, _)| seconds < width));
        let next = if wider {
            here.checked_add(1)
        } else {
            here.checked_sub(1)
        };
        next.and_then(|index| ladder.get(index))
            .map(|&(_, span)| span)
    }

    /// "around the firing", "last 6h".
    pub fn label(self) -> String {
        match self {
            Span::AroundFiring => "around the firing".into(),
            Span::Last(seconds) => format!("last {}", short_duration(seconds)),
        }
    }
}

/// "15m", "6h", "3d": the ladder's own words.
fn short_duration(seconds: u64) -> String {
    match seconds {
        s if s >= 86_400 && s % 86_400 == 0 => format!("{}d", s / 86_400),
        s if s >= 3600 && s % 3600 == 0 => format!("{}h", s / 3600),
        s if s >= 60 && s % 60 == 0 => format!("{}m", s / 60),
        s => format!("{s}s"),
    }
}

/// The step (whole seconds, at least 1) that gives about `points` points over `window`,
/// and never more than Prometheus's 11,000.
pub fn step_seconds(window: Window, points: u64) -> u64 {
    let seconds = window.seconds().max(1);
    // (seconds / step) + 1 points come back: keep that at or under the limit.
    let points = points.clamp(1, MAX_POINTS - 1);
    seconds.div_ceil(points).max(1)
}

/// The step for a chart `columns` cells wide.
pub fn step_for_columns(window: Window, columns: u16) -> u64 {
    step_seconds(
        window,
        u64::from(columns.max(1)) * u64::from(POINTS_PER_COLUMN),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(seconds, 0).unwrap()
    }

    /// How many points Prometheus answers with for this window and step.
    fn points(window: Window, step: u64) -> u64 {
        window.seconds() / step + 1
    }

    #[test]
    fn window_starts_well_before_the_firing() {
        let opened = at(10_000);
        let now = opened + TimeDelta::minutes(10);
        let window = Window::around(opened, now);
        assert_eq!(window.start, opened - TimeDelta::minutes(30));
        assert_eq!(window.end, now);
    }

    #[test]
    fn the_step_fits_the_width_and_never_passes_prometheus_limit() {
        let hour = Window {
            start: at(0),
            end: at(3600),
        };
        assert_eq!(step_for_columns(hour, 60), 30, "120 points over an hour");
        assert_eq!(points(hour, step_for_columns(hour, 60)), 121);
        // A tiny window still steps at least a second.
        let minute = Window {
            start: at(0),
            end: at(60),
        };
        assert_eq!(step_for_columns(minute, 200), 1);
        // An absurd width over a week stays under the limit.
        let week = Span::Last(7 * 86_400).window(at(0), at(1_000_000));
        let step = step_seconds(week, 1_000_000);
        assert!(points(week, step) <= MAX_POINTS, "{step}");
        assert_eq!(step, 55, "7d / 10,999 points, rounded up");
        // An empty window is one point, not a division by zero.
        assert_eq!(
            step_seconds(
                Window {
                    start: at(5),
                    end: at(5)
                },
                100
            ),
            1
        );
    }

    #[test]
    fn zooming_walks_the_ladder_through_the_window_around_the_firing() {
        let opened = at(100_000);
        let now = opened + TimeDelta::minutes(10); // around the firing: 40 minutes
        let zoom = |span: Span, wider| span.zoom(wider, opened, now);
        assert_eq!(zoom(Span::AroundFiring, true), Some(Span::Last(3600)));
        assert_eq!(zoom(Span::AroundFiring, false), Some(Span::Last(900)));
        assert_eq!(zoom(Span::Last(900), true), Some(Span::AroundFiring));
        assert_eq!(zoom(Span::Last(900), false), None, "15m is the narrowest");
        assert_eq!(zoom(Span::Last(7 * 86_400), true), None, "7d is the widest");
        assert_eq!(zoom(Span::Last(86_400), true), Some(Span::Last(3 * 86_400)));
        let window = Span::Last(6 * 3600).window(opened, now);
        assert_eq!((window.end, window.seconds()), (now, 6 * 3600));
        assert_eq!(Span::Last(3 * 86_400).label(), "last 3d");
        assert_eq!(Span::Last(900).label(), "last 15m");
    }

    #[test]
    fn an_old_incident_sits_further_up_the_ladder() {
        let opened = at(1_000_000);
        let now = opened + TimeDelta::hours(10); // around: 15h
        assert_eq!(
            Span::AroundFiring.zoom(false, opened, now),
            Some(Span::Last(12 * 3600))
        );
        assert_eq!(
            Span::AroundFiring.zoom(true, opened, now),
            Some(Span::Last(86_400))
        );
    }
}
