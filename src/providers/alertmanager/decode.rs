//! `GET /api/v2/alerts` from its bytes to incidents, without a server: what the fuzz
//! target and the hostile-input tests feed, through the same decoding and grouping as a
//! poll (less the merging of HA members and the silences' authors).

use super::Settings;
use super::group::{self, Alert};
use crate::incident::Incident;

pub fn incidents_from_json(settings: &Settings, bytes: &[u8]) -> Result<Vec<Incident>, String> {
    let alerts: Vec<Alert> = crate::sanitize::json::decode(bytes).map_err(|e| e.to_string())?;
    Ok(group::group(settings, alerts)
        .into_iter()
        .map(|group| group.incident)
        .collect())
}
