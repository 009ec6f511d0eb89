//! A playbook file, any bytes: front matter and body as the library reads them, laid out
//! as the pane does at a width the input picks, and printed as `playbook show` prints it,
//! plain and styled. Nothing may panic, no span may hold a control, bidi or zero-width
//! character, and the printed text no escape but our own SGR and OSC 8. The sanitiser's
//! own promises are checked on the same text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let width = 8 + u16::from(first % 120);
    let text = String::from_utf8_lossy(rest);
    pagerdeck_fuzz::check_sanitiser(&text);
    pagerdeck_fuzz::check_playbook(&text, width);
});
