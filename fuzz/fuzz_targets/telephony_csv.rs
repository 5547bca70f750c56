//! The call-centre CSV export reader: any bytes give calls and per-line errors, or a reason for
//! the whole file, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(read) = gastvrij_domain::telephony::export::read_export(data) {
        for (line, _) in &read.calls {
            assert!(*line >= 2, "a call never comes from the header row");
        }
    }
});
