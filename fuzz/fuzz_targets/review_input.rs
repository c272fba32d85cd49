//! What a learner types during a review: `review::input::parse` at both stages, and
//! `Rating::parse` on its own.
#![no_main]

use alt_prep::model::Rating;
use alt_prep::review::input::{Action, Stage, parse};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let line = String::from_utf8_lossy(data);
    let rating = Rating::parse(&line);
    if let Some(r) = rating {
        // Only the documented spellings are ratings.
        assert!((1..=4).contains(&r.number()));
        assert!(line.trim().chars().count() <= 5, "{line:?}");
    }
    match parse(&line, Stage::Answer) {
        Action::Rate(r) => assert_eq!(Some(r), rating),
        Action::Reveal => panic!("Enter reveals only at the question stage"),
        _ => {}
    }
    if let Action::Rate(_) = parse(&line, Stage::Question) {
        panic!("no rating at the question stage: {line:?}");
    }
});
