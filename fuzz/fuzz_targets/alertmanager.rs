//! Alertmanager's `GET /api/v2/alerts`, any bytes: decoded, grouped into incidents as a
//! poll does, then drawn; nothing may panic and no cell may carry a control sequence.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pagerdeck::providers::alertmanager::{Settings, incidents_from_json};

fuzz_target!(|data: &[u8]| {
    pagerdeck_fuzz::lenient_accepts_what_strict_does(data);
    let settings = Settings::new("am", vec!["http://unused".into()], "fuzz");
    if let Ok(incidents) = incidents_from_json(&settings, data) {
        pagerdeck_fuzz::draw_incidents("am", incidents);
    }
});
