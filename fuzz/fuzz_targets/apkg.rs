//! Whole `.apkg`/`.colpkg` files: zip, `meta`, collection, templates. Also the format sniffer
//! that decides which parser a file without an extension goes to.
#![no_main]

use alt_prep::deck::{apkg, load};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let _ = load::detect(Path::new("deck"), data, None);
    let _ = apkg::parse(data, "fuzz.apkg");
});
