//! Noticing pages: a triggered incident that appeared after its source's first good poll
//! rings once; an acknowledged one left unresolved reminds every `remind_after`. Time is
//! the state's clock, so a drill on a simulated clock rings as the real one does.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, TimeDelta, Utc};

use super::State;
use crate::command::Command;
use crate::incident::{Incident, IncidentKey, Status};
use crate::notify::{self, Notice, NoticeKind, NotifyConfig};
use crate::providers::ProviderError;

/// An incident that leaves the list and comes back within this long (a flapping alert,
/// a source that missed it for a poll) does not ring again; after it, it is a new page.
pub const FLAP_WINDOW: TimeDelta = TimeDelta::minutes(15);

/// What has rung and what is due to remind.
#[derive(Debug, Clone, Default)]
pub struct Watch {
    pub config: NotifyConfig,
    /// Sources whose first good poll has been seen: what was there then does not ring.
    baselined: HashSet<String>,
    /// Every incident seen: `None` while in the list, else since when it is gone.
    seen: HashMap<IncidentKey, Option<DateTime<Utc>>>,
    /// Acknowledged incidents: since when, and how many reminders so far.
    acked: HashMap<IncidentKey, (DateTime<Utc>, u32)>,
}

impl Watch {
    pub fn new(config: NotifyConfig) -> Self {
        Self {
            config,
            ..Self::default()
        }
    }
}

impl State {
    /// A source's answer: the list updated, then the pages it brought noticed.
    pub(super) fn on_poll(
        &mut self,
        source: &str,
        generation: u64,
        result: Result<Vec<Incident>, ProviderError>,
        degraded: Option<String>,
    ) -> Vec<Command> {
        let mut commands = self.on_incidents(source, generation, result, degraded);
        commands.extend(self.notice_pages(source));
        commands
    }

    /// After a poll of `source`: the pages it brought, and reminders now due.
    fn notice_pages(&mut self, source: &str) -> Vec<Command> {
        let polled_fine = self
            .sources
            .iter()
            .any(|s| s.name == source && s.last_error.is_none() && s.last_ok.is_some());
        if !polled_fine {
            return Vec::new();
        }
        let now = self.now;
        let incidents: Vec<_> = self
            .incidents
            .iter()
            .filter(|i| i.key.source == source)
            .cloned()
            .collect();
        let first = self.watch.baselined.insert(source.to_string());
        let mut notices = Vec::new();
        let present: HashSet<&IncidentKey> = incidents.iter().map(|i| &i.key).collect();
        for incident in &incidents {
            let new = match self.watch.seen.insert(incident.key.clone(), None) {
                None => true,
                Some(gone) => gone.is_some_and(|since| now - since > FLAP_WINDOW),
            };
            if new && !first && incident.status == Status::Triggered {
                notices.extend(self.notice(incident, NoticeKind::Page));
            }
        }
        let watch = &mut self.watch;
        // Gone since this poll, unless it was already; forgotten after the window. A
        // source that fails for a while forgets nothing: only good polls count.
        for (key, gone) in &mut watch.seen {
            if key.source == source && !present.contains(key) && gone.is_none() {
                *gone = Some(now);
            }
        }
        watch
            .seen
            .retain(|_, gone| gone.is_none_or(|since| now - since <= FLAP_WINDOW));
        let acked: HashSet<&IncidentKey> = incidents
            .iter()
            .filter(|i| i.status == Status::Acknowledged)
            .map(|i| &i.key)
            .collect();
        watch
            .acked
            .retain(|key, _| key.source != source || acked.contains(key));
        for key in acked {
            watch.acked.entry(key.clone()).or_insert((now, 0));
        }
        let mut commands = self.tell(notices);
        commands.extend(self.reminders_due());
        commands
    }

    /// On the clock: a reminder for each acknowledged incident whose time has come.
    pub(super) fn reminders_due(&mut self) -> Vec<Command> {
        let Some(every) = self.watch.config.remind_after else {
            return Vec::new();
        };
        let Ok(step) = TimeDelta::from_std(every) else {
            return Vec::new();
        };
        let mut due = Vec::new();
        for (key, (since, count)) in &mut self.watch.acked {
            let elapsed = self.now - *since;
            let reached = u32::try_from(elapsed.num_seconds() / step.num_seconds().max(1))
                .unwrap_or(u32::MAX);
            if reached > *count {
                *count = reached;
                due.push((key.clone(), every.saturating_mul(reached)));
            }
        }
        due.sort();
        let notices = due
            .into_iter()
            .filter_map(|(key, after)| {
                let incident = self.incidents.iter().find(|i| i.key == key)?.clone();
                self.notice(&incident, NoticeKind::Reminder { after })
            })
            .collect();
        self.tell(notices)
    }

    /// A notice for `incident` if it is severe enough, rung as the quiet rules allow now.
    fn notice(&self, incident: &Incident, kind: NoticeKind) -> Option<Notice> {
        let minute = notify::local_minute(self.now, self.setup.utc_offset_seconds);
        let ring = notify::ring_for(&self.watch.config, incident.severity, minute)?;
        Some(Notice {
            key: incident.key.clone(),
            kind,
            severity: incident.severity,
            service: incident.service.clone(),
            title: incident.title.clone(),
            ring,
        })
    }

    /// Said on screen (a muted terminal still shows it), and rung where allowed. Many at
    /// once (an outage pages for every service) ring once: the most pressing, new pages
    /// before reminders and the most severe first, with how many more there are.
    fn tell(&mut self, mut notices: Vec<Notice>) -> Vec<Command> {
        notices.sort_by_key(|n| {
            let reminder = matches!(n.kind, NoticeKind::Reminder { .. });
            (reminder, std::cmp::Reverse(n.severity))
        });
        let more = notices.len().saturating_sub(1);
        let Some(mut notice) = notices.into_iter().next() else {
            return Vec::new();
        };
        if more > 0 {
            notice.title = format!("{} (and {more} more)", notice.title);
        }
        self.say(format!("🔔 {}", notice.summary()), true);
        if notice.ring.silent() {
            return Vec::new();
        }
        vec![Command::Notify(notice)]
    }
}
