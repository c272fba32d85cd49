//! Anki field HTML to text and cloze deletions, shared by the Anki text and package importers.
#![no_main]

use alt_prep::deck::html;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = html::strip(&text);
    let _ = html::looks_like_html(&text);
    let _ = html::field_is_empty(&text);
    for card in html::cloze_cards(&text) {
        assert!(card.number > 0);
    }
});
