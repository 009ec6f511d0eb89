//! Pages that wake you: what a notice says, whether the rules let it ring, and the bytes
//! that ring a terminal (the bell, OSC 9, OSC 777), built purely so they can be asserted.
//! The state decides when; the app loop writes the bytes.

pub mod bytes;

use std::time::Duration;

use chrono::{DateTime, Utc};

pub use crate::config::notify::{Allow, Desktop, Hours, NotifyConfig, QuietRule};
use crate::incident::{IncidentKey, Severity, format_age};

/// One page or reminder to tell the user about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub key: IncidentKey,
    pub kind: NoticeKind,
    pub severity: Severity,
    pub service: String,
    pub title: String,
    /// What the rules let ring; both off is a notice for the screen only.
    pub ring: Ring,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    /// A new triggered incident.
    Page,
    /// Still acknowledged and not resolved, this long after it was first seen so.
    Reminder { after: Duration },
}

/// How a notice reaches the user beyond the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ring {
    pub bell: bool,
    pub desktop: Desktop,
}

impl Ring {
    pub fn silent(self) -> bool {
        !self.bell && self.desktop == Desktop::Off
    }
}

impl Notice {
    /// "critical page" or "reminder": the desktop notification's title.
    pub fn headline(&self) -> String {
        match self.kind {
            NoticeKind::Page => format!("{} page", self.severity.name()),
            NoticeKind::Reminder { .. } => format!("{} reminder", self.severity.name()),
        }
    }

    /// The body: the service and the title, after why a reminder rings.
    pub fn body(&self) -> String {
        match self.kind {
            NoticeKind::Page => format!("{}: {}", self.service, self.title),
            NoticeKind::Reminder { after } => format!(
                "still acknowledged, not resolved after {}: {}: {}",
                format_age(i64::try_from(after.as_secs()).unwrap_or(i64::MAX)),
                self.service,
                self.title
            ),
        }
    }

    /// All of it on one line, for the flash line and OSC 9.
    pub fn summary(&self) -> String {
        match self.kind {
            NoticeKind::Page => format!("new {}: {}", self.headline(), self.body()),
            NoticeKind::Reminder { .. } => format!("{}: {}", self.severity.name(), self.body()),
        }
    }
}

/// How an incident of `severity` rings at `minute` of the local day, by `config`;
/// `None` when it is below the level that rings at all.
pub fn ring_for(config: &NotifyConfig, severity: Severity, minute: u16) -> Option<Ring> {
    if severity < config.severity {
        return None;
    }
    let mut ring = Ring {
        bell: config.bell,
        desktop: config.desktop,
    };
    // Every rule that applies takes away what it does not allow.
    for rule in &config.quiet {
        let applies =
            severity <= rule.severity && rule.hours.is_none_or(|hours| hours.contains(minute));
        if applies {
            if rule.allow != Allow::Bell {
                ring.bell = false;
            }
            if rule.allow != Allow::Desktop {
                ring.desktop = Desktop::Off;
            }
        }
    }
    Some(ring)
}

/// The minute of the local day at `now`, for a zone `utc_offset_seconds` east of UTC.
pub fn local_minute(now: DateTime<Utc>, utc_offset_seconds: i32) -> u16 {
    let seconds = (now.timestamp() + i64::from(utc_offset_seconds)).rem_euclid(86_400);
    u16::try_from(seconds / 60).unwrap_or(0)
}
