//! A config file, any bytes: read and checked as at start. Nothing may panic, an error
//! names the file, and what a config says of a source's name is clean (it prefixes every
//! incident key). Sources are never built here: a `token_cmd` would be run.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return; // Read with read_to_string: not UTF-8 is an error before parsing.
    };
    match pagerdeck::config::load::parse(text, Path::new("fuzz.toml")) {
        Ok(config) => {
            for source in config.effective_sources() {
                assert!(!source.name.is_empty());
                pagerdeck_fuzz::assert_clean("source name", &source.name);
            }
        }
        Err(error) => {
            let shown = error.to_string();
            assert!(shown.starts_with("fuzz.toml"), "{shown}");
            pagerdeck_fuzz::assert_clean("config error", &pagerdeck::sanitize::line(&shown));
        }
    }
});
