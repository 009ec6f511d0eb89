//! An incident's record for the details overlay: its notes, and its log entries (the
//! overview ones: triggered, acknowledged, escalated, …) as the timeline.

use super::pages::{PAGE_LIMIT, every_page};
use super::{PagerDuty, wire};
use crate::providers::{History, Note, ProviderError, TimelineEntry};

impl PagerDuty {
    /// Notes and timeline of the incident at `path`, each oldest first.
    pub(super) async fn records(&self, path: &str) -> Result<History, ProviderError> {
        let notes_path = format!("{path}/notes");
        let answer: wire::NotesAnswer = self.get(&notes_path, &[]).await?;
        let entries = self.log_entries(path).await;
        let (entries, problem) = match entries {
            Ok(entries) => (entries, None),
            Err(error) => (Vec::new(), Some(error.to_string())),
        };
        Ok(History {
            timeline_problem: problem,
            ..history(answer.notes, entries)
        })
    }

    /// The incident's overview log entries (triggered, acknowledged, escalated, …), every
    /// page of them.
    pub(super) async fn log_entries(
        &self,
        path: &str,
    ) -> Result<Vec<wire::LogEntry>, ProviderError> {
        let log_path = format!("{path}/log_entries");
        every_page(
            |offset| {
                let log_path = &log_path;
                async move {
                    let query = [
                        ("is_overview", "true".to_string()),
                        ("limit", PAGE_LIMIT.to_string()),
                        ("offset", offset.to_string()),
                    ];
                    let page: wire::LogEntriesPage = self.get(log_path, &query).await?;
                    Ok((page.log_entries, page.paging))
                }
            },
            |entry: &wire::LogEntry| (entry.id.clone(), entry.created_at, entry.summary.clone()),
        )
        .await
    }
}

/// Entries without a time cannot be placed on a timeline; they are left out.
fn history(notes: Vec<wire::Note>, entries: Vec<wire::LogEntry>) -> History {
    let label = |r: Option<wire::Reference>| r.as_ref().and_then(wire::Reference::label);
    let mut notes: Vec<Note> = notes
        .into_iter()
        .filter_map(|note| {
            Some(Note {
                at: note.created_at?,
                by: label(note.user),
                text: note.content,
            })
        })
        .collect();
    notes.sort_by_key(|note| note.at);
    let mut timeline: Vec<TimelineEntry> = entries
        .into_iter()
        .filter_map(|entry| {
            let what = entry
                .summary
                .filter(|s| !s.trim().is_empty())
                .unwrap_or_else(|| entry.kind.trim_end_matches("_log_entry").replace('_', " "));
            Some(TimelineEntry {
                at: entry.created_at?,
                by: label(entry.agent),
                what,
            })
        })
        .collect();
    timeline.sort_by_key(|entry| entry.at);
    History {
        notes,
        timeline,
        timeline_problem: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_and_entries_come_oldest_first_and_untimed_ones_are_left_out() {
        let notes: Vec<wire::Note> = serde_json::from_str(
            r#"[{"content":"second","created_at":"2024-01-01T10:00:00Z","user":{"id":"P1","summary":"Ana"}},
                {"content":"first","created_at":"2024-01-01T04:00:00-05:00"},
                {"content":"untimed","created_at":null}]"#,
        )
        .unwrap();
        let entries: Vec<wire::LogEntry> = serde_json::from_str(
            r#"[{"id":"L2","type":"acknowledge_log_entry","created_at":"2024-01-01T09:05:00Z"},
                {"id":"L1","type":"trigger_log_entry","summary":"Triggered through the API",
                 "created_at":"2024-01-01T09:00:00Z","agent":{"id":"S","summary":"Mail"}}]"#,
        )
        .unwrap();
        let history = history(notes, entries);
        let texts: Vec<(&str, Option<&str>)> = history
            .notes
            .iter()
            .map(|n| (n.text.as_str(), n.by.as_deref()))
            .collect();
        assert_eq!(texts, [("first", None), ("second", Some("Ana"))]);
        let whats: Vec<(&str, Option<&str>)> = history
            .timeline
            .iter()
            .map(|e| (e.what.as_str(), e.by.as_deref()))
            .collect();
        assert_eq!(
            whats,
            [
                ("Triggered through the API", Some("Mail")),
                ("acknowledge", None)
            ]
        );
    }
}
