//! A page of Opsgenie's `GET /v2/alerts`, any bytes: decoded by the real wire types and
//! mapped, then drawn; nothing may panic and no cell may carry a control sequence.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    pagerdeck_fuzz::lenient_accepts_what_strict_does(data);
    let now = pagerdeck_fuzz::now();
    if let Ok(incidents) = pagerdeck::providers::opsgenie::incidents_from_json("og", data, now) {
        pagerdeck_fuzz::draw_incidents("og", incidents);
    }
});
