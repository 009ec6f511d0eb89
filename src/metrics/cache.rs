//! Series already fetched, kept per incident and span (which between them name the
//! queries and the window): going back to an incident within the refresh interval shows
//! its charts at once, with no fetch; later, its last charts show while new ones load.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::{Series, Span, Window};
use crate::incident::IncidentKey;

/// Enough for every incident a night brings; the oldest fetch goes first beyond it.
pub const CAPACITY: usize = 32;

#[derive(Debug, Clone, PartialEq)]
pub struct Cached {
    pub fetched_at: DateTime<Utc>,
    pub window: Window,
    pub series: Vec<Series>,
}

#[derive(Debug, Clone, Default)]
pub struct SeriesCache {
    entries: HashMap<(IncidentKey, Span), Cached>,
}

impl SeriesCache {
    pub fn get(&self, key: &IncidentKey, span: Span) -> Option<&Cached> {
        self.entries.get(&(key.clone(), span))
    }

    pub fn insert(&mut self, key: IncidentKey, span: Span, cached: Cached) {
        self.entries.insert((key, span), cached);
        while self.entries.len() > CAPACITY {
            let oldest = self
                .entries
                .iter()
                .min_by_key(|(_, c)| c.fetched_at)
                .map(|(k, _)| k.clone());
            match oldest {
                Some(oldest) => self.entries.remove(&oldest),
                None => break,
            };
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cached(at: i64) -> Cached {
        let when = DateTime::from_timestamp(at, 0).unwrap();
        Cached {
            fetched_at: when,
            window: Window {
                start: when,
                end: when,
            },
            series: vec![],
        }
    }

    #[test]
    fn entries_are_per_incident_and_span_and_the_oldest_goes_first() {
        let mut cache = SeriesCache::default();
        let key = |n: usize| IncidentKey::new("t", n.to_string());
        cache.insert(key(0), Span::AroundFiring, cached(0));
        cache.insert(key(0), Span::Last(3600), cached(1));
        assert_eq!(cache.get(&key(0), Span::AroundFiring), Some(&cached(0)));
        assert_eq!(cache.get(&key(0), Span::Last(3600)), Some(&cached(1)));
        assert_eq!(cache.get(&key(0), Span::Last(900)), None);
        for n in 1..=CAPACITY {
            cache.insert(key(n), Span::AroundFiring, cached(10 + n as i64));
        }
        assert_eq!(cache.len(), CAPACITY);
        assert_eq!(
            cache.get(&key(0), Span::AroundFiring),
            None,
            "the oldest went"
        );
        assert!(
            cache.get(&key(0), Span::Last(3600)).is_none(),
            "then the next oldest"
        );
        assert!(cache.get(&key(CAPACITY), Span::AroundFiring).is_some());
    }
}
