//! A page of PagerDuty's `GET /incidents`, any bytes: decoded by the real wire types and
//! mapped, then drawn; nothing may panic and no cell may carry a control sequence.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    pagerdeck_fuzz::lenient_accepts_what_strict_does(data);
    let now = pagerdeck_fuzz::now();
    if let Ok(incidents) = pagerdeck::providers::pagerduty::incidents_from_json("pd", data, now) {
        pagerdeck_fuzz::draw_incidents("pd", incidents);
    }
});
