//! Drills: the cockpit on a scripted night, on a simulated clock, then a debrief that
//! scores the response. Nothing in a drill talks to a real source.
//!
//! - `scenario`: the scenario file (TOML), bundled ones in `assets/drills/` and a team's own.
//! - `score`: what the user did (`DrillLog`) against what the scenario expects (`Debrief`).
//! - `results`: debriefs saved in the data dir, so progress across drills shows.
//! - `list`: `pagerdeck drill --list`.
//! - `run` (the cockpit side): the simulated clock and running the cockpit on a scenario.

mod bundled;
pub mod debrief;
pub mod expect;
mod lines;
pub mod list;
mod parse;
pub mod results;
pub mod run;
pub mod scenario;
pub mod score;

pub use scenario::Scenario;
pub use score::{Debrief, Deed, DeedKind, DrillLog, score};
