//! The loop's part in a drill: when it ends, the score is kept and shown.

use crate::context::Context;
use crate::state::State;
use crate::state::drill::DrillEnd;

use super::Session;

/// Said when a drill is asked to reach outside (a link, a web playbook).
pub const OFFLINE: &str = "a drill talks to nothing outside: not opened";

/// Score the drill, save the result (a failure is said on the debrief, the score still
/// shows) and show the debrief screen. Once: a second end changes nothing.
pub fn end(state: &mut State, session: &mut Session, why: DrillEnd, context: &Context) {
    let Some(drill) = &mut session.drill else {
        return;
    };
    let Some(mut debrief) = drill.finish(state.now) else {
        return;
    };
    let file = crate::drill::results::results_path(&context.data_dir);
    let saved = crate::drill::results::record(&context.data_dir, &mut debrief)
        .map(|()| format!("saved with your earlier drills in {}", file.display()));
    drill.keep(&debrief);
    if let Err(problem) = &saved {
        tracing::warn!("drill result not saved: {problem}");
    }
    state.show_debrief(debrief.lines(), why, saved);
}
