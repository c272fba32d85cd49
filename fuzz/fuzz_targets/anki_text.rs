//! Anki's "Notes/Cards in Plain Text" exports, with their `#key:value` headers.
#![no_main]

use alt_prep::deck::anki_text::parse;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = parse(data, "fuzz.txt", "Fuzz");
    let _ = parse(data, "", "");
});
