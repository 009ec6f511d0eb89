//! What time it is for the cockpit: the wall clock, or a drill's simulated night, where a
//! real second is `speed` simulated ones. Everything that shows or compares times (ages,
//! the metrics window, the demo's timeline, level two taking an escalation) asks this.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeDelta, Utc};

/// The fastest a drill may run: beyond it a whole night is gone before the first poll.
pub const MAX_SPEED: f64 = 1000.0;

#[derive(Debug, Clone)]
pub struct Clock(Kind);

#[derive(Debug, Clone)]
enum Kind {
    Real,
    /// `start` at `origin`, then `speed` simulated seconds per real one.
    Simulated {
        origin: Instant,
        start: DateTime<Utc>,
        speed: f64,
    },
    /// Moved only by hand: scripted runs and tests.
    Manual(Arc<Mutex<DateTime<Utc>>>),
}

impl Clock {
    pub fn real() -> Clock {
        Clock(Kind::Real)
    }

    /// A simulated clock that reads `start` now; `speed` is checked by `parse_speed`.
    pub fn simulated(start: DateTime<Utc>, speed: f64) -> Clock {
        Clock(Kind::Simulated {
            origin: Instant::now(),
            start,
            speed,
        })
    }

    /// A clock that reads `at` until `set` or `advance` move it.
    pub fn manual(at: DateTime<Utc>) -> Clock {
        Clock(Kind::Manual(Arc::new(Mutex::new(at))))
    }

    pub fn now(&self) -> DateTime<Utc> {
        match &self.0 {
            Kind::Real => Utc::now(),
            Kind::Simulated {
                origin,
                start,
                speed,
            } => simulated_at(*start, *speed, origin.elapsed()),
            Kind::Manual(at) => *at.lock().unwrap_or_else(|e| e.into_inner()),
        }
    }

    /// Simulated seconds per real second: 1 for the wall clock.
    pub fn speed(&self) -> f64 {
        match &self.0 {
            Kind::Simulated { speed, .. } => *speed,
            Kind::Real | Kind::Manual(_) => 1.0,
        }
    }

    /// Move a manual clock to `at` (every clone sees it); other clocks ignore it.
    pub fn set(&self, at: DateTime<Utc>) {
        if let Kind::Manual(now) = &self.0 {
            *now.lock().unwrap_or_else(|e| e.into_inner()) = at;
        }
    }

    /// Move a manual clock on by `by`.
    pub fn advance(&self, by: TimeDelta) {
        self.set(self.now() + by);
    }
}

/// The simulated time `elapsed` real time after a clock started at `start` with `speed`:
/// a pure function, so a drill's night is the same whenever it is replayed.
pub fn simulated_at(start: DateTime<Utc>, speed: f64, elapsed: Duration) -> DateTime<Utc> {
    let micros = (elapsed.as_secs_f64() * speed * 1e6).round();
    // Beyond chrono's range (centuries of drill) the clock stops rather than wraps.
    let delta = TimeDelta::microseconds(micros.min(i64::MAX as f64) as i64);
    start.checked_add_signed(delta).unwrap_or(start)
}

/// `--speed`: simulated seconds per real second, above 0 and at most `MAX_SPEED`.
pub fn parse_speed(text: &str) -> Result<f64, String> {
    let speed: f64 = text.trim().trim_start_matches(['x', '×']).parse().map_err(|_| {
        format!("`{text}` is not a speed: write how many simulated seconds pass per real one, e.g. 10 or 0.5")
    })?;
    check_speed(speed).map_err(|problem| format!("speed {text}: {problem}"))
}

/// Whether a drill can run at `speed` (from the command line or a scenario).
pub fn check_speed(speed: f64) -> Result<f64, String> {
    if !speed.is_finite() {
        return Err("not a number a clock can run at".into());
    }
    if speed <= 0.0 {
        return Err("time must move forward: use a speed above 0 (0.5 is half speed)".into());
    }
    if speed > MAX_SPEED {
        return Err(format!(
            "too fast to follow (at most {MAX_SPEED}: a night would pass between two screens)"
        ));
    }
    Ok(speed)
}
