//! The `.ics` reader for holiday and closing-day calendars: any text is read or refused with a
//! reason, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = gastvrij_domain::calendar::parse_ics(text, "fuzz.ics");
    }
});
