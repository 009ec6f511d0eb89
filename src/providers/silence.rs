//! The silences a source keeps (Alertmanager's): the hand-off lists those ending soon.

use std::future::Future;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::ProviderError;

/// One silence not yet expired, as the source has it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SilenceSummary {
    pub source: String,
    pub id: String,
    pub created_by: String,
    pub comment: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// `name=value`, `name=~regex`, `name!=value`, `name!~regex`.
    pub matchers: Vec<String>,
    /// In force now (Alertmanager's `active`), rather than still to start (`pending`).
    pub active: bool,
}

impl SilenceSummary {
    /// The journal op that made it (`[pagerdeck op N]` at the end of its comment): an
    /// acknowledgement or snooze sent from pagerdeck.
    pub fn op(&self) -> Option<u64> {
        let inner = self.comment.trim_end().strip_suffix(']')?;
        let at = inner.rfind("[pagerdeck op ")?;
        inner[at + "[pagerdeck op ".len()..].parse().ok()
    }

    /// The comment without pagerdeck's op mark: what people wrote.
    pub fn said(&self) -> &str {
        match (self.op(), self.comment.rfind(" [pagerdeck op ")) {
            (Some(_), Some(at)) => &self.comment[..at],
            _ => &self.comment,
        }
    }
}

/// What a source answers when asked for its silences.
pub type Silences = Result<Vec<SilenceSummary>, ProviderError>;

/// A source that keeps no silences has none to list.
pub fn none() -> impl Future<Output = Silences> + Send {
    std::future::ready(Ok(Vec::new()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_comment(comment: &str) -> SilenceSummary {
        SilenceSummary {
            source: "prod".into(),
            id: "1".into(),
            created_by: "Ana Ops".into(),
            comment: comment.into(),
            starts_at: DateTime::default(),
            ends_at: DateTime::default(),
            matchers: Vec::new(),
            active: true,
        }
    }

    #[test]
    fn the_op_mark_is_read_and_left_out_of_what_people_said() {
        let ack = with_comment("ACK! rolling back [pagerdeck op 1795400000123]");
        assert_eq!(ack.op(), Some(1_795_400_000_123));
        assert_eq!(ack.said(), "ACK! rolling back");
        let theirs = with_comment("maintenance [ticket 42]");
        assert_eq!(theirs.op(), None);
        assert_eq!(theirs.said(), "maintenance [ticket 42]");
    }
}
