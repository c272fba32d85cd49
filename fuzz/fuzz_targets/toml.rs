//! The native deck format, TOML syntax: any text is a deck or a list of located errors.
#![no_main]

use alt_prep::deck::native::{Syntax, parse};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = parse(text, Syntax::Toml);
    }
});
