//! Photo cleaning (JPEG, PNG, HEIC): any bytes a citizen uploads are refused or cleaned, never a
//! panic or a run out of proportion to the file. The first byte chooses whether the location is kept.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((first, bytes)) = data.split_first() else { return };
    if let Ok(clean) = gastvrij_domain::photo::clean(bytes, first & 1 == 1) {
        // A cleaned photo is itself a photo of the same format, and cleaning it again is stable.
        let again = gastvrij_domain::photo::clean(&clean.bytes, first & 1 == 1).expect("a cleaned photo stays valid");
        assert_eq!(again.format, clean.format);
    }
});
