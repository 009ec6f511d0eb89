//! Answers already fetched, per (query, window): two incidents of one service, or the
//! same incident asked again, share one answer while it is fresh. Windows end "now", so
//! one that ends less than `FRESH_SECONDS` after a cached one of the same length and step
//! is the same window.

use std::collections::HashMap;
use std::sync::Mutex;

use super::range_answer::Matrix;

/// As long as the pane waits before it asks again.
pub const FRESH_SECONDS: i64 = 15;
/// Plenty for every query of every incident on screen; the oldest go first beyond it.
const CAPACITY: usize = 128;

/// The query and the window's shape; the window's end is kept with the answer.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Asked {
    promql: String,
    seconds: u64,
    step: u64,
}

#[derive(Default)]
pub struct Answers {
    entries: Mutex<HashMap<Asked, (i64, Matrix)>>,
}

impl Answers {
    /// The answer for `promql` over `seconds` ending at `end` (unix seconds), if one
    /// fetched for a window ending at most `FRESH_SECONDS` earlier is kept.
    pub fn get(&self, promql: &str, seconds: u64, step: u64, end: i64) -> Option<Matrix> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let asked = Asked {
            promql: promql.to_string(),
            seconds,
            step,
        };
        let (cached_end, matrix) = entries.get(&asked)?;
        (0..FRESH_SECONDS)
            .contains(&(end - cached_end))
            .then(|| matrix.clone())
    }

    pub fn insert(&self, promql: &str, seconds: u64, step: u64, end: i64, matrix: &Matrix) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let asked = Asked {
            promql: promql.to_string(),
            seconds,
            step,
        };
        entries.insert(asked, (end, matrix.clone()));
        if entries.len() > CAPACITY {
            let oldest = entries
                .iter()
                .min_by_key(|(_, (end, _))| *end)
                .map(|(asked, _)| asked.clone());
            if let Some(oldest) = oldest {
                entries.remove(&oldest);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_serves_the_same_query_and_window_while_fresh() {
        let answers = Answers::default();
        let matrix = Matrix::default();
        answers.insert("up", 3600, 30, 1_000, &matrix);
        assert!(answers.get("up", 3600, 30, 1_000).is_some());
        assert!(answers.get("up", 3600, 30, 1_014).is_some(), "14 s later");
        assert!(answers.get("up", 3600, 30, 1_015).is_none(), "stale");
        assert!(
            answers.get("up", 3600, 30, 999).is_none(),
            "an older window"
        );
        assert!(answers.get("up", 7200, 30, 1_000).is_none(), "another span");
        assert!(answers.get("up", 3600, 15, 1_000).is_none(), "another step");
        assert!(
            answers.get("down", 3600, 30, 1_000).is_none(),
            "another query"
        );
    }

    #[test]
    fn the_oldest_answers_go_first_beyond_the_capacity() {
        let answers = Answers::default();
        for n in 0..=CAPACITY {
            let end = i64::try_from(n).unwrap();
            answers.insert(&format!("q{n}"), 60, 1, end, &Matrix::default());
        }
        assert!(answers.get("q0", 60, 1, 0).is_none());
        assert!(answers.get(&format!("q{CAPACITY}"), 60, 1, 128).is_some());
    }
}
