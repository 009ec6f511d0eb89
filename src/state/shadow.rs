//! Shadow and read-only mode: a key whose action would change a source says why it does
//! nothing, rather than doing nothing at all.

use crossterm::event::KeyEvent;

use super::State;

/// What the shadow banner says, in the hints row and the help.
pub const SHADOW_BANNER: &str =
    "shadow mode: watching the live queue, nothing you press changes anything";

impl State {
    pub(super) fn refuse_withheld(&mut self, key: &KeyEvent) {
        let Some(binding) = self.setup.keymap.withheld_for(key) else {
            return;
        };
        let what = crate::sanitize::line(&binding.desc).into_owned();
        let text = if self.shadow {
            format!("{SHADOW_BANNER} ({what} is off)")
        } else {
            format!("read-only mode: {what} is off")
        };
        self.say(text, true);
    }
}

impl State {
    /// Why an action that would change something does nothing here.
    pub(super) fn nothing_changes(&self) -> String {
        if self.shadow {
            SHADOW_BANNER.into()
        } else {
            "read-only mode: nothing can be changed".into()
        }
    }
}
