//! The hostile corpus: one string with every kind of sequence (`payloads.json`), the
//! providers' answers carrying it in every text field (the JSON fixtures), playbooks made
//! of it, and what "clean" means, written out here rather than taken from the sanitiser.

use std::collections::BTreeMap;
use std::path::Path;

pub const PAGERDUTY: &[u8] = include_bytes!("../fixtures/hostile/pagerduty-incidents.json");
pub const OPSGENIE: &[u8] = include_bytes!("../fixtures/hostile/opsgenie-alerts.json");
pub const ALERTMANAGER: &[u8] = include_bytes!("../fixtures/hostile/alertmanager-alerts.json");
pub const ONCALLS: &[u8] = include_bytes!("../fixtures/hostile/pagerduty-oncalls.json");

/// Each kind of sequence by name: CSI (7 and 8 bit), OSC 8, OSC 52, title changes, DCS,
/// C1, C0, bidi, zero-width and invisible characters, line separators.
pub fn payloads() -> BTreeMap<String, String> {
    let text = include_str!("../fixtures/hostile/payloads.json");
    serde_json::from_str(text).unwrap()
}

/// All of them in one string, as the fixtures' fields carry them after their marker.
pub fn nasty() -> String {
    // The generator wrote them in this order; the fixtures hold the same string.
    let order = [
        "csi",
        "csi-8bit",
        "osc8",
        "osc52",
        "title",
        "dcs",
        "c1",
        "c0",
        "bidi",
        "zero-width",
        "breaks",
    ];
    let payloads = payloads();
    assert_eq!(payloads.len(), order.len());
    let parts: Vec<String> = order
        .iter()
        .map(|name| format!("{name}:{}", payloads[*name]))
        .collect();
    parts.join(" ")
}

/// A character that must never reach the terminal from outside text: C0 (but what a
/// caller allows: a line feed between lines), DEL, C1, bidi controls, zero-width and
/// invisible characters, tag characters, line and paragraph separators.
pub fn forbidden(c: char, allowed: &[char]) -> bool {
    if allowed.contains(&c) {
        return false;
    }
    matches!(c,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        | '\u{00AD}' | '\u{200B}'..='\u{200D}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}'
        | '\u{E0000}'..='\u{E007F}' | '\u{2028}' | '\u{2029}')
}

/// Panic with where it is when `text` holds a forbidden character.
pub fn assert_clean(what: &str, text: &str, allowed: &[char]) {
    if let Some((at, c)) = text.char_indices().find(|(_, c)| forbidden(*c, allowed)) {
        let from = text[..at]
            .char_indices()
            .rev()
            .nth(40)
            .map_or(0, |(i, _)| i);
        let context: String = text[from..].chars().take(80).collect();
        panic!(
            "{what}: {c:?} (U+{:04X}) at byte {at}, in {context:?}",
            c as u32
        );
    }
}

/// A TOML string literal (toml escapes what it must).
fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// The services and alert names of the fixtures' incidents, as the providers map them.
fn matched_names() -> (Vec<String>, Vec<String>) {
    let n = nasty();
    let services = ["PD-SERVICE", "OG-SERVICE", "AM-SERVICE"].map(|m| format!("{m} {n}"));
    let alerts = ["AM-ALERTNAME", "OG-ALERTNAME"].map(|m| format!("{m} {n}"));
    (services.to_vec(), alerts.to_vec())
}

/// Write the hostile playbooks into `dir`: one whose front matter names the fixtures'
/// services (so the pane shows it for each), full of the payloads in every construct,
/// and one whose front matter itself is hostile.
pub fn write_playbooks(dir: &Path) {
    let n = nasty();
    let (services, alerts) = matched_names();
    let list = |names: &[String]| {
        let quoted: Vec<String> = names.iter().map(|s| toml_string(s)).collect();
        quoted.join(", ")
    };
    let front = format!(
        "+++\nteam = {}\nservices = [{}]\nalerts = [{}]\n+++\n",
        toml_string(&format!("PB-TEAM {n}")),
        list(&services),
        list(&alerts)
    );
    // The body's own line breaks are markdown's: one inside a list item would end it,
    // and a code fence would then swallow the rest. Inside a link's text, brackets
    // would end it early.
    let n = n.replace('\n', " ");
    let b = n.replace('[', "\\[").replace(']', "\\]");
    let body = format!(
        "# PB-HEADING {n}\n\nPB-PARAGRAPH {n} with *em {n}* and **strong {n}** and `code {n}`.\n\n\
         ## Steps {n}\n\n- [ ] PB-STEP {n}\n  ```sh\n  run {n}\n  ```\n- [x] done {n}\n\n\
         > quote {n}\n\n[PB-LINK {b}](https://ok.example/runbook) [bidi link](<https://ok.example/\u{202E}gpj.exe>) \
         [evil](<https://x.example/{n}>) ![alt {b}](<img{n}.png>) https://bare.example/{n}\n\n\
         | head {n} | `{n}` |\n|---|---|\n| cell {n} | [l {b}](https://ok.example/cell) |\n\n\
         Note[^n].\n\n[^n]: footnote {n}\n\n<div title=\"{n}\">html {n}</div>\n\n---\n\n    indented {n}\n"
    );
    std::fs::write(dir.join("hostile.md"), format!("{front}{body}")).unwrap();
    let broken = format!(
        "+++\nteam = {}\nservices = 3\n+++\n# broken {n}\n",
        toml_string(&n)
    );
    std::fs::write(dir.join("broken-front-matter.md"), broken).unwrap();
}

/// The marker every fixture field starts with: seen in the output, it shows the field
/// was shown at all (a clean screen that shows nothing proves nothing).
pub fn shown(what: &str, text: &str, marker: &str) {
    assert!(
        text.contains(marker),
        "{what}: {marker} is not shown:\n{text}"
    );
}
