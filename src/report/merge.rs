//! One page, however many told of it: the journal and the source that sent it speak of
//! the same incident under the same key; its earliest acknowledgement and resolution
//! count, and it was escalated if either says so.

use chrono::{DateTime, Utc};

use crate::incident::IncidentKey;
use crate::providers::PastPage;

/// Alertmanager's keys name an alert group, not one firing: the same key firing again
/// later is another page. Within this much of each other it is the same one (a source's
/// creation time and the one the cockpit saw may differ a little).
const SAME_FIRING_SECONDS: i64 = 600;

pub fn same_page(page: &PastPage, key: &IncidentKey, opened_at: DateTime<Utc>) -> bool {
    &page.key == key
        && (page.facts.opened_at - opened_at).num_seconds().abs() <= SAME_FIRING_SECONDS
}

/// `told` folded into `pages`, none counted twice.
pub fn merge(pages: &mut Vec<PastPage>, told: Vec<PastPage>) {
    for page in told {
        let known = pages
            .iter_mut()
            .find(|p| same_page(p, &page.key, page.facts.opened_at));
        let Some(known) = known else {
            pages.push(page);
            continue;
        };
        known.acknowledged_at = earliest(known.acknowledged_at, page.acknowledged_at);
        known.resolved_at = earliest(known.resolved_at, page.resolved_at);
        known.escalated |= page.escalated;
    }
}

fn earliest(a: Option<DateTime<Utc>>, b: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}
