//! The native deck format, TOML syntax: any text is a deck or a list of located errors, read
//! whole (`native::parse`) or a table at a time (`toml_stream::parse_into`, what `import`
//! uses). Differential: unless the streaming reader leaves the file to the whole-file one
//! (`None`), both must accept it, with exactly the same deck, or both refuse it.
#![no_main]

use alt_prep::deck::draft::Collect;
use alt_prep::deck::native::{Syntax, parse};
use alt_prep::deck::toml_stream::parse_into;
use alt_prep::deck::validate::check_deck;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let whole = parse(text, Syntax::Toml);
    let mut streamed = Collect::default();
    let Some(result) = parse_into(text, None, &mut streamed) else {
        return;
    };
    let streamed_ok = result.is_ok() && streamed.0.iter().all(|d| check_deck(d).is_empty());
    match whole {
        Ok(deck) => {
            assert!(streamed_ok, "streaming refused a deck read whole: {result:?}");
            assert_eq!(streamed.0.len(), 1);
            assert_eq!(streamed.0[0], deck, "streamed and whole readings differ");
        }
        Err(errors) => assert!(
            !streamed_ok,
            "streaming accepted a deck the whole-file reader refuses: {errors:?}"
        ),
    }
});
