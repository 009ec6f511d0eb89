//! `[notify]`: which pages ring the terminal, how, and when to keep quiet.

use std::fmt;
use std::time::Duration;

use serde::de::{Deserializer, Error};
use serde::{Deserialize, Serialize};

use crate::incident::Severity;

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct NotifyConfig {
    /// The least severe incident that rings.
    pub severity: Severity,
    /// Ring the terminal bell (BEL).
    pub bell: bool,
    /// Which desktop notification escape to send.
    pub desktop: Desktop,
    /// Remind of an incident acknowledged and not resolved after this long (`None`: never).
    #[serde(deserialize_with = "remind_after")]
    pub remind_after: Option<Duration>,
    /// Keep quieter for some severities, all day or at some hours.
    pub quiet: Vec<QuietRule>,
}

impl Default for NotifyConfig {
    fn default() -> Self {
        Self {
            severity: Severity::High,
            bell: true,
            desktop: Desktop::Both,
            remind_after: Some(Duration::from_secs(30 * 60)),
            quiet: Vec::new(),
        }
    }
}

/// The desktop notification escapes: OSC 9 (iTerm2, WezTerm, Windows Terminal, kitty,
/// ghostty…) and OSC 777 (VTE terminals, foot, urxvt); a terminal ignores the one it
/// does not know.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum Desktop {
    #[default]
    Both,
    Osc9,
    Osc777,
    Off,
}

impl Desktop {
    pub fn osc9(self) -> bool {
        matches!(self, Desktop::Both | Desktop::Osc9)
    }

    pub fn osc777(self) -> bool {
        matches!(self, Desktop::Both | Desktop::Osc777)
    }
}

/// `{ severity = "warning", hours = "22:00-07:00", allow = "bell" }`: incidents of this
/// severity and below, in these hours (all day when unset), ring with no more than
/// `allow`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct QuietRule {
    pub severity: Severity,
    #[serde(default)]
    pub hours: Option<Hours>,
    #[serde(default)]
    pub allow: Allow,
}

/// What a quiet rule still lets through.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum Allow {
    /// Nothing rings; the screen still says it.
    #[default]
    Nothing,
    Bell,
    Desktop,
}

/// A span of local time, "22:00-07:00"; it may cross midnight. Minutes of the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hours {
    pub start: u16,
    pub end: u16,
}

impl Hours {
    /// Whether `minute` (of the local day, 0..1440) falls in the span, its end excluded.
    pub fn contains(self, minute: u16) -> bool {
        if self.start < self.end {
            (self.start..self.end).contains(&minute)
        } else {
            minute >= self.start || minute < self.end
        }
    }
}

impl fmt::Display for Hours {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hm = |m: u16| format!("{:02}:{:02}", m / 60, m % 60);
        write!(f, "{}-{}", hm(self.start), hm(self.end))
    }
}

impl std::str::FromStr for Hours {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let wrong = || format!("`{text}` is not a span of hours; write e.g. \"22:00-07:00\"");
        let (start, end) = text.split_once('-').ok_or_else(wrong)?;
        let minute = |part: &str| -> Result<u16, String> {
            let (h, m) = part.trim().split_once(':').ok_or_else(wrong)?;
            let (h, m): (u16, u16) = (
                h.parse().map_err(|_| wrong())?,
                m.parse().map_err(|_| wrong())?,
            );
            // 24:00 is the end of the day, as in "18:00-24:00".
            if m >= 60 || h > 24 || (h == 24 && m > 0) {
                return Err(format!("`{part}` is not a time of day (00:00 to 24:00)"));
            }
            Ok((h * 60 + m) % (24 * 60))
        };
        let hours = Hours {
            start: minute(start)?,
            end: minute(end)?,
        };
        if hours.start == hours.end {
            return Err(format!(
                "`{text}` starts where it ends; leave `hours` out for all day"
            ));
        }
        Ok(hours)
    }
}

impl<'de> Deserialize<'de> for Hours {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer)?
            .parse()
            .map_err(D::Error::custom)
    }
}

/// "30m", "1h", or "off".
fn remind_after<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Duration>, D::Error> {
    let text = String::deserialize(deserializer)?;
    if text.trim() == "off" {
        return Ok(None);
    }
    let duration = humantime::parse_duration(&text).map_err(|e| {
        D::Error::custom(format!(
            "`{text}` is not a duration ({e}); write e.g. \"30m\", or \"off\""
        ))
    })?;
    if duration < Duration::from_secs(60) {
        return Err(D::Error::custom(
            "a reminder more often than every minute is noise: use at least \"1m\", or \"off\"",
        ));
    }
    Ok(Some(duration))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_cross_midnight_and_exclude_their_end() {
        let night: Hours = "22:00-07:00".parse().unwrap();
        assert!(night.contains(22 * 60));
        assert!(night.contains(3 * 60));
        assert!(!night.contains(7 * 60));
        assert!(!night.contains(12 * 60));
        let day: Hours = "09:30-18:00".parse().unwrap();
        assert!(day.contains(9 * 60 + 30) && !day.contains(9 * 60 + 29));
        let evening: Hours = "18:00-24:00".parse().unwrap();
        assert!(evening.contains(23 * 60 + 59) && !evening.contains(0));
        for bad in ["22-07", "25:00-01:00", "10:61-11:00", "nine", "07:00-07:00"] {
            assert!(bad.parse::<Hours>().is_err(), "{bad}");
        }
    }
}

#[cfg(test)]
mod config_tests {
    use std::path::Path;
    use std::time::Duration;

    use super::*;
    use crate::config::load::parse;

    fn notify(text: &str) -> Result<NotifyConfig, crate::config::load::ConfigError> {
        parse(text, Path::new("/tmp/c.toml")).map(|c| c.notify)
    }

    #[test]
    fn no_section_rings_high_and_above_with_everything_and_reminds_after_30m() {
        let config = notify("").unwrap();
        assert_eq!(config.severity, Severity::High);
        assert!(config.bell);
        assert_eq!(config.desktop, Desktop::Both);
        assert_eq!(config.remind_after, Some(Duration::from_secs(1800)));
    }

    #[test]
    fn the_examples_quiet_rules_parse_when_uncommented() {
        let example = crate::config::EXAMPLE.replace("# [[notify.quiet]]", "[[notify.quiet]]");
        let example = example
            .replace("# severity = ", "severity = ")
            .replace("# hours = ", "hours = ")
            .replace("# allow = ", "allow = ");
        let quiet = notify(&example).unwrap().quiet;
        assert_eq!(quiet.len(), 2);
        assert_eq!(quiet[0].hours, Some("22:00-07:00".parse().unwrap()));
        assert_eq!(quiet[0].allow, Allow::Bell);
        assert_eq!((quiet[1].severity, quiet[1].hours), (Severity::Info, None));
    }

    #[test]
    fn bad_values_name_their_line_and_key() {
        let text = "[notify]\nremind_after = \"off\"\n\n[[notify.quiet]]\nseverity = \"warning\"\nhours = \"22:00-7\"\n";
        let error = notify(text).unwrap_err();
        assert_eq!(error.line, Some(6), "{error}");
        assert_eq!(error.key.as_deref(), Some("notify.quiet[0].hours"));
        assert!(error.message.contains("22:00-07:00"), "{error}");
        assert_eq!(
            notify("[notify]\nremind_after = \"off\"\n")
                .unwrap()
                .remind_after,
            None
        );
        for (text, key) in [
            ("[notify]\nremind_after = \"10s\"\n", "notify.remind_after"),
            ("[notify]\ndesktop = \"growl\"\n", "notify.desktop"),
            ("[notify]\nseverity = \"sev1\"\n", "notify.severity"),
            ("[notify]\nbel = true\n", "notify.bel"),
        ] {
            let error = notify(text).unwrap_err();
            assert_eq!(error.line, Some(2), "{text}: {error}");
            assert_eq!(error.key.as_deref(), Some(key), "{text}: {error}");
        }
    }
}
