//! Markdown decks: `Q:`/`A:` blocks, `C:` cloze lines, `# Deck` headings.
#![no_main]

use alt_prep::deck::markdown::parse;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = parse(data, "fuzz.md", "Fuzz");
    let _ = parse(data, "", "");
});
