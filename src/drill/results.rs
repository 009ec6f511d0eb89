//! Debriefs saved in the data dir (`drills/results.jsonl`, through the journal: one JSON
//! line each, on disk before `save` returns), so a newcomer sees progress across drills.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Debrief;
use super::lines::duration;
use crate::journal::Journal;

/// One finished drill.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedRun {
    /// When it was saved (the wall clock, not the drill's).
    pub saved_at: DateTime<Utc>,
    pub scenario: String,
    pub score: u32,
    pub speed: f64,
    pub debrief: Debrief,
}

pub fn results_path(data_dir: &Path) -> PathBuf {
    data_dir.join("drills").join("results.jsonl")
}

/// Append `debrief` to the results; the error says what could not be written.
pub fn save(data_dir: &Path, debrief: &Debrief) -> Result<(), String> {
    let path = results_path(data_dir);
    let run = SavedRun {
        saved_at: Utc::now(),
        scenario: debrief.scenario.clone(),
        score: debrief.score,
        speed: debrief.speed,
        debrief: debrief.clone(),
    };
    Journal::open(&path)
        .and_then(|mut journal| journal.append(&run))
        .map_err(|e| {
            format!(
                "the drill's result was not saved to {}: {e} (the debrief above is all there is)",
                path.display()
            )
        })
}

/// Sets the debrief's progress from the earlier runs of its scenario, then saves it.
/// Earlier results that cannot be read only leave the progress out.
pub fn record(data_dir: &Path, debrief: &mut Debrief) -> Result<(), String> {
    let earlier = history(data_dir).map(|(runs, _)| runs).unwrap_or_default();
    debrief.progress = Some(progress(&earlier, debrief));
    save(data_dir, debrief)
}

/// Every saved run, oldest first, and a warning when lines were skipped (a torn last
/// line after a power loss). No file yet is no runs.
pub fn history(data_dir: &Path) -> Result<(Vec<SavedRun>, Option<String>), String> {
    let path = results_path(data_dir);
    match crate::journal::read_checked::<SavedRun>(&path) {
        Ok(readout) => {
            let warning = readout.warning().map(|w| format!("drill results: {w}"));
            Ok((readout.records, warning))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok((Vec::new(), None)),
        Err(e) => Err(format!("cannot read drill results {}: {e}", path.display())),
    }
}

/// How this run compares with the earlier runs of the same scenario:
/// "3rd run: 55 → 70 → 90; acknowledged in 6m → 2m".
pub fn progress(earlier: &[SavedRun], debrief: &Debrief) -> String {
    let same: Vec<&Debrief> = earlier
        .iter()
        .filter(|run| run.scenario == debrief.scenario)
        .map(|run| &run.debrief)
        .chain([debrief])
        .collect();
    if same.len() == 1 {
        return "first run of this drill".into();
    }
    // The last five are enough to see a trend on one line.
    let shown = &same[same.len().saturating_sub(5)..];
    let skipped = if shown.len() < same.len() {
        "… → "
    } else {
        ""
    };
    let scores: Vec<String> = shown.iter().map(|d| d.score.to_string()).collect();
    let mut text = format!(
        "{} run: {skipped}{}",
        ordinal(same.len()),
        scores.join(" → ")
    );
    let slowest_ack = |d: &Debrief| {
        d.incidents
            .iter()
            .filter_map(|i| i.acknowledge.after_seconds)
            .max()
    };
    if let (Some(first), Some(last)) = (slowest_ack(same[0]), slowest_ack(debrief)) {
        text.push_str(&format!(
            "; acknowledged in {} → {}",
            duration(first),
            duration(last)
        ));
    }
    text
}

/// How a scenario went before, for `drill --list`: best and last score, how many runs.
pub fn summary(runs: &[SavedRun], scenario: &str) -> Option<String> {
    let scores: Vec<u32> = runs
        .iter()
        .filter(|run| run.scenario == scenario)
        .map(|run| run.score)
        .collect();
    let (best, last) = (scores.iter().max()?, scores.last()?);
    Some(match scores.len() {
        1 => format!("done once: {last}/100"),
        n => format!("best {best}/100, last {last}/100, {n} runs"),
    })
}

fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn drill_run_ordinals_are_english() {
        let shown: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111]
            .into_iter()
            .map(super::ordinal)
            .collect();
        assert_eq!(
            shown,
            [
                "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st",
                "111th"
            ]
        );
    }
}
