//! CSV and TSV decks. The first byte picks the separator: comma, tab, or the byte itself.
#![no_main]

use alt_prep::deck::csv::{parse_csv, parse_delimited, parse_tsv};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let _ = match first % 4 {
        0 => parse_csv(rest, "fuzz.csv", ""),
        1 => parse_tsv(rest, "fuzz.tsv", "Fuzz"),
        2 => parse_csv(rest, "", ""),
        _ => parse_delimited(rest, "fuzz.txt", "Fuzz", first),
    };
});
