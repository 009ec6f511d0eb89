//! The bytes a notice writes to the terminal. Titles come from providers: nothing in them
//! may end the escape early or start another, and a notification stays short.

use super::Notice;
use crate::sanitize;

/// At most this many characters of a notification's text: a desktop notification shows a
/// line or two, and a terminal keeps an OSC it is reading in a bounded buffer.
pub const TEXT_CAP: usize = 200;

const BEL: u8 = 0x07;
const ESC: u8 = 0x1b;

/// Everything `notice` writes: the bell, then OSC 9 and/or OSC 777, as its ring says.
/// Inside tmux (`in_tmux`: `$TMUX` is set) the OSCs go in tmux's passthrough wrap (it
/// needs `allow-passthrough on`); the bell passes through tmux by itself.
pub fn bytes(notice: &Notice, in_tmux: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if notice.ring.bell {
        out.push(BEL);
    }
    let mut oscs = Vec::new();
    if notice.ring.desktop.osc9() {
        // Never starts with a digit: ConEmu and Windows Terminal read "9;4;…" as progress.
        oscs.push(osc(&[
            "9",
            &safe(&format!("pagerdeck: {}", notice.summary())),
        ]));
    }
    if notice.ring.desktop.osc777() {
        let title = format!("pagerdeck: {}", notice.headline());
        oscs.push(osc(&[
            "777",
            "notify",
            &safe(&title).replace(';', ","),
            &safe(&notice.body()).replace(';', ","),
        ]));
    }
    for sequence in oscs {
        if in_tmux {
            out.extend(tmux_passthrough(&sequence));
        } else {
            out.extend(sequence);
        }
    }
    out
}

/// `ESC ] a ; b ; … BEL`.
fn osc(fields: &[&str]) -> Vec<u8> {
    let mut out = vec![ESC, b']'];
    out.extend(fields.join(";").into_bytes());
    out.push(BEL);
    out
}

/// tmux's DCS passthrough: `ESC P tmux ;`, the sequence with every ESC doubled, `ESC \`.
pub fn tmux_passthrough(sequence: &[u8]) -> Vec<u8> {
    let mut out = b"\x1bPtmux;".to_vec();
    for &byte in sequence {
        if byte == ESC {
            out.push(ESC);
        }
        out.push(byte);
    }
    out.extend(b"\x1b\\");
    out
}

/// One line with no control character (ESC, BEL, C1 ST and the rest are dropped by
/// `sanitize::line`), cut at `TEXT_CAP` characters.
fn safe(text: &str) -> String {
    sanitize::line_within(text, TEXT_CAP).into_owned()
}
