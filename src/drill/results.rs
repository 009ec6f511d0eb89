//! Debriefs saved in the data dir (`drills/results.jsonl`), so a newcomer sees progress
//! across drills.
//!
//! CONTRACT (filled in by the drill-core work).

use std::path::Path;

use super::Debrief;

/// Append `debrief` to the results; the error says what could not be written.
pub fn save(_data_dir: &Path, _debrief: &Debrief) -> Result<(), String> {
    Ok(())
}
