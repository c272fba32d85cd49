//! Property tests over every deck parser (run by `cargo test`, so in CI):
//!
//! - arbitrary bytes and strings never panic any parser, nor the answer-line parser;
//! - decks generated at random survive TOML, JSON and CSV export → import (`write.rs` →
//!   `native.rs` / `csv.rs`), field for field.
//!
//! The fuzz targets in `fuzz/` hammer the same entry points for millions of runs; these keep a
//! few hundred cases per property in every test run.

use super::draft::{CardDraft, DeckDraft, PromptDraft};
use super::load::{self, Format};
use super::native::{self, Syntax};
use super::{anki_text, apkg, csv, html, markdown, write};
use crate::model::Rating;
use crate::review::input::{self, Action, Stage};
use proptest::prelude::*;
use std::path::Path;

/// `cases` per property, or `PROPTEST_CASES` for a longer run (`PROPTEST_CASES=20000 cargo
/// test --lib proptests`).
fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(cases);
    ProptestConfig {
        cases,
        ..ProptestConfig::default()
    }
}

/// Bytes biased towards what the text formats care about: separators, quotes, markers,
/// headers, HTML, cloze braces, a BOM and invalid UTF-8.
fn format_bytes() -> impl Strategy<Value = Vec<u8>> {
    const PIECES: &[&[u8]] = &[
        b"\"",
        b",",
        b"\t",
        b";",
        b"|",
        b"\n",
        b"\r\n",
        b"\r",
        b"#",
        b":",
        b"{{c1::",
        b"}}",
        b"::",
        b"<br>",
        b"<b",
        b">",
        b"&amp;",
        b"&#",
        b"[",
        b"]",
        b"\\",
        b"Q: ",
        b"A: ",
        b"C: ",
        b"Tags: ",
        b"# ",
        b"## ",
        b"#separator:",
        b"#html:",
        b"true",
        b"#guid column:",
        b"#deck column:",
        b"#notetype:Cloze\n",
        b"#columns:",
        b"tags:",
        b"1",
        b"0",
        b"x",
        b" ",
        b"front",
        b"back",
        b"id",
        b"\xff",
        b"\xe3\x81",
        b"\xef\xbb\xbf",
        b"\x00",
        b"\x1b[31m",
        b"id = \"d\"\n",
        b"name = \"n\"\n",
        b"[[card]]\n",
        b"front = \"f\"\n",
        b"back = '''",
        b"{\"id\":",
        b"\"card\": [",
        b"}",
        b"\xe6\x97\xa5\xe6\x9c\xac",
    ];
    prop::collection::vec(
        prop_oneof![
            3 => prop::sample::select(PIECES).prop_map(<[u8]>::to_vec),
            1 => prop::collection::vec(any::<u8>(), 1..4),
        ],
        0..48,
    )
    .prop_map(|pieces| pieces.concat())
}

fn every_text_parser(bytes: &[u8]) {
    let _ = csv::parse_csv(bytes, "p.csv", "");
    let _ = csv::parse_tsv(bytes, "p.tsv", "Deck");
    let _ = csv::parse_delimited(bytes, "", "", b';');
    let _ = anki_text::parse(bytes, "p.txt", "Deck");
    let _ = anki_text::parse(bytes, "", "");
    let _ = markdown::parse(bytes, "p.md", "");
    let _ = markdown::parse(bytes, "", "");
    let _ = apkg::parse(bytes, "p.apkg");
    let _ = load::detect(Path::new("deck"), bytes, None);
    let text = String::from_utf8_lossy(bytes);
    let _ = native::parse(&text, Syntax::Toml);
    let _ = native::parse(&text, Syntax::Json);
    let _ = html::strip(&text);
    let _ = html::looks_like_html(&text);
    let _ = html::field_is_empty(&text);
    let _ = html::cloze_cards(&text);
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn arbitrary_bytes_never_panic_a_parser(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        every_text_parser(&bytes);
    }

    #[test]
    fn format_shaped_bytes_never_panic_a_parser(bytes in format_bytes()) {
        every_text_parser(&bytes);
    }

    #[test]
    fn arbitrary_strings_never_panic_the_native_parser(text in "\\PC*|[\\s\\S]{0,80}") {
        let _ = native::parse(&text, Syntax::Toml);
        let _ = native::parse(&text, Syntax::Json);
    }

    /// Parse failures are located: every error has a message, and a line within the file
    /// (0 meaning the whole file).
    #[test]
    fn errors_point_inside_the_file(bytes in format_bytes()) {
        // Lines end at `\n`, `\r\n` or a lone `\r`, as the CSV reader counts them.
        let lone_cr = bytes
            .iter()
            .enumerate()
            .filter(|(i, b)| **b == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
            .count();
        let lines = bytes.split(|b| *b == b'\n').count().max(1) + lone_cr;
        let results = [
            csv::parse_csv(&bytes, "p.csv", "Deck").err(),
            anki_text::parse(&bytes, "p.txt", "Deck").err(),
            markdown::parse(&bytes, "p.md", "Deck").err(),
        ];
        for errors in results.into_iter().flatten() {
            prop_assert!(!errors.is_empty());
            for e in errors {
                prop_assert!(!e.message.is_empty());
                prop_assert!(e.line <= lines, "line {} of {lines}: {}", e.line, e.message);
            }
        }
    }

    #[test]
    fn answer_lines_never_panic_and_only_documented_words_rate(line in "\\PC{0,12}|[1-4aAhHgGeE ]{0,3}") {
        let rating = Rating::parse(&line);
        let word = line.trim().to_ascii_lowercase();
        let documented = ["1", "2", "3", "4", "a", "h", "g", "e", "again", "hard", "good", "easy"];
        prop_assert_eq!(rating.is_some(), documented.contains(&word.as_str()));
        match input::parse(&line, Stage::Answer) {
            Action::Rate(r) => prop_assert_eq!(Some(r), rating),
            Action::Reveal => prop_assert!(false, "Enter never reveals at the answer stage"),
            _ => {}
        }
        let question = input::parse(&line, Stage::Question);
        prop_assert!(!matches!(question, Action::Rate(_)));
        prop_assert_eq!(question == Action::Reveal, line.trim().is_empty());
    }
}

// ---------------------------------------------------------------------------- round trips

/// Characters that stress quoting and escaping, mixed with any other character.
fn tricky_char() -> impl Strategy<Value = char> {
    prop_oneof![
        3 => prop::sample::select(vec![
            '"', '\'', '\\', '\n', '\r', '\t', ' ', ',', ';', '#', '[', ']', '{', '}', '=',
            '\u{1b}', '\u{7f}', '\u{feff}', '\u{a0}', '\u{3000}', '\u{2028}', 'é', '日',
        ]),
        2 => prop::char::range('a', 'z'),
        1 => any::<char>(),
    ]
}

fn tricky_string(len: std::ops::Range<usize>) -> impl Strategy<Value = String> {
    prop::collection::vec(tricky_char(), len)
        .prop_map(|chars| chars.into_iter().filter(|c| *c != '\0').collect())
}

/// Card text any format can carry: not blank, no NUL (refused by every format), no CR (CSV
/// turns line ends into LF) and no surrounding whitespace (CSV trims fields).
fn field() -> impl Strategy<Value = String> {
    tricky_string(1..40)
        .prop_map(|s| s.replace('\r', "").trim().to_owned())
        .prop_filter("blank", |s| !s.is_empty())
}

/// Text for the native formats, which keep it exactly: any characters but NUL, not blank.
fn native_field() -> impl Strategy<Value = String> {
    tricky_string(1..40).prop_filter("blank", |s| !s.trim().is_empty())
}

/// A card side as the native formats store it: any characters but NUL, ends tidied by
/// [`super::draft::trim_field`].
fn side() -> impl Strategy<Value = String> {
    native_field().prop_map(|s| super::draft::tidy_side(&s))
}

fn tags() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec("[^\\s\\p{Cc}]{1,8}", 0..4).prop_map(|mut tags| {
        let mut seen = std::collections::HashSet::new();
        tags.retain(|t| seen.insert(t.clone()));
        tags
    })
}

fn id() -> impl Strategy<Value = String> {
    "[A-Za-z0-9][A-Za-z0-9_.:-]{0,15}"
}

fn prompt() -> impl Strategy<Value = PromptDraft> {
    (
        id(),
        prop::sample::select(crate::model::category::ids()),
        native_field(),
        prop::collection::vec(native_field(), 1..4),
        prop::collection::vec(native_field(), 0..3),
        10u32..=1800,
        tricky_string(0..30),
    )
        .prop_map(
            |(id, category, question, talking_points, follow_ups, time_limit_secs, tips)| {
                PromptDraft {
                    id,
                    category: category.to_owned(),
                    question,
                    talking_points,
                    follow_ups,
                    time_limit_secs,
                    tips,
                    line: 0,
                }
            },
        )
}

/// A valid native deck: unique ids (card ids get their index appended, prompt ids a `p`).
fn native_deck() -> impl Strategy<Value = DeckDraft> {
    (
        id(),
        native_field(),
        tricky_string(0..40),
        prop::collection::vec((id(), side(), side(), tags()), 0..8),
        prop::collection::vec(prompt(), 0..3),
    )
        .prop_map(|(id, name, description, cards, prompts)| DeckDraft {
            id,
            name,
            description,
            cards: cards
                .into_iter()
                .enumerate()
                .map(|(i, (id, front, back, tags))| {
                    let mut card = CardDraft::new(format!("{id}-{i}"), front, back);
                    card.tags = tags;
                    card
                })
                .collect(),
            prompts: prompts
                .into_iter()
                .enumerate()
                .map(|(i, mut p)| {
                    p.id = format!("p{i}-{}", p.id);
                    p
                })
                .collect(),
        })
}

/// Cards for CSV, whose ids come from the front: fronts are made unique by a numbered prefix.
fn csv_cards() -> impl Strategy<Value = Vec<(String, String, Vec<String>)>> {
    prop::collection::vec((field(), field(), tags()), 1..10).prop_map(|cards| {
        cards
            .into_iter()
            .enumerate()
            .map(|(i, (front, back, tags))| (format!("{i}: {front}"), back, tags))
            .collect()
    })
}

type Content = (
    String,
    String,
    String,
    Vec<(String, String, String, Vec<String>)>,
    Vec<PromptDraft>,
);

/// What a round trip must keep (lines are where a parser found things, not content).
fn content(deck: &DeckDraft) -> Content {
    (
        deck.id.clone(),
        deck.name.clone(),
        deck.description.clone(),
        deck.cards
            .iter()
            .map(|c| {
                (
                    c.id.clone(),
                    c.front.clone(),
                    c.back.clone(),
                    c.tags.clone(),
                )
            })
            .collect(),
        deck.prompts
            .iter()
            .map(|p| PromptDraft {
                line: 0,
                ..p.clone()
            })
            .collect(),
    )
}

/// TOML-shaped text: deck keys, table headers (the ones the streaming reader cuts at, and
/// others), strings of every kind, comments and arrays over several lines.
fn toml_text() -> impl Strategy<Value = String> {
    const PIECES: &[&str] = &[
        "id = \"d\"\n",
        "name = \"N\"\n",
        "description = ",
        "[[card]]\n",
        "[[prompt]]\n",
        "[[ card ]]\n",
        "[card]\n",
        "[[cards]]\n",
        "id = \"a\"\n",
        "id = \"b\"\n",
        "front = \"F\"\n",
        "back = \"B\"\n",
        "back = \"\"\"\n[[card]]\n\"\"\"\n",
        "front = '''\n[[prompt]]\n'''\n",
        "tags = [\n  \"t\",\n]\n",
        "reverse = true\n",
        "category = \"motivation\"\n",
        "question = \"Q?\"\n",
        "talking_points = [\"x\"]\n",
        "time_limit_secs = 90\n",
        "# [[card]]\n",
        "\"",
        "[",
        "]",
        "=",
        "\n",
        " ",
        "x",
    ];
    prop::collection::vec(prop::sample::select(PIECES), 0..40).prop_map(|p| p.concat())
}

proptest! {
    #![proptest_config(config(256))]

    /// The streaming TOML reader (what `import` uses) agrees with the whole-file reader:
    /// unless it leaves the file to it, both accept with the same deck or both refuse.
    #[test]
    fn streamed_toml_reads_as_the_whole_file_does(text in toml_text()) {
        use super::draft::Collect;
        use super::validate::check_deck;
        let whole = native::parse(&text, Syntax::Toml);
        let mut streamed = Collect::default();
        if let Some(result) = super::toml_stream::parse_into(&text, None, &mut streamed) {
            let streamed_ok =
                result.is_ok() && streamed.0.iter().all(|d| check_deck(d).is_empty());
            match whole {
                Ok(deck) => {
                    prop_assert!(streamed_ok, "{:?}\n{}", result, text);
                    prop_assert_eq!(&streamed.0, &vec![deck], "{}", text);
                }
                Err(errors) => prop_assert!(!streamed_ok, "{:?}\n{}", errors, text),
            }
        }
    }
}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn toml_export_imports_back_unchanged(deck in native_deck()) {
        let text = write::to_toml(&deck).map_err(TestCaseError::fail)?;
        let back = native::parse(&text, Syntax::Toml)
            .map_err(|e| TestCaseError::fail(format!("{e:?}\n{text}")))?;
        prop_assert_eq!(content(&back), content(&deck), "{}", text);
        let mut streamed = super::draft::Collect::default();
        let result = super::toml_stream::parse_into(&text, None, &mut streamed);
        prop_assert!(matches!(result, Some(Ok(()))), "{:?}\n{}", result, text);
        prop_assert_eq!(&streamed.0, &vec![back], "{}", text);
    }

    #[test]
    fn json_export_imports_back_unchanged(deck in native_deck()) {
        let text = write::to_json(&deck).map_err(TestCaseError::fail)?;
        let back = native::parse(&text, Syntax::Json)
            .map_err(|e| TestCaseError::fail(format!("{e:?}\n{text}")))?;
        prop_assert_eq!(content(&back), content(&deck), "{}", text);
    }

    /// The whole path a file takes on `alt-prep import`: detection by extension, parsing and
    /// the shared deck checks.
    #[test]
    fn exported_files_load_back_through_format_detection(deck in native_deck()) {
        let dir = tempfile::tempdir().map_err(|e| TestCaseError::fail(e.to_string()))?;
        for (name, text) in [
            ("deck.toml", write::to_toml(&deck).map_err(TestCaseError::fail)?),
            ("deck.json", write::to_json(&deck).map_err(TestCaseError::fail)?),
        ] {
            let path = dir.path().join(name);
            std::fs::write(&path, &text).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let loaded = load::load(&path, None, None)
                .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
            prop_assert!(matches!(loaded.format, Format::Toml | Format::Json));
            prop_assert_eq!(loaded.decks.len(), 1);
            prop_assert_eq!(content(&loaded.decks[0]), content(&deck));
        }
    }

    #[test]
    fn csv_export_imports_back_unchanged(cards in csv_cards(), name in field()) {
        let deck = DeckDraft {
            id: csv::deck_id(&name),
            name: name.clone(),
            description: String::new(),
            cards: cards
                .iter()
                .map(|(front, back, tags)| {
                    let mut card = CardDraft::new(csv::card_id_from_text(front), front, back);
                    card.tags = tags.clone();
                    card
                })
                .collect(),
            prompts: Vec::new(),
        };
        let text = write::to_csv(std::slice::from_ref(&deck)).map_err(TestCaseError::fail)?;
        let decks = csv::parse_csv(text.as_bytes(), "export.csv", &name)
            .map_err(|e| TestCaseError::fail(format!("{e:?}\n{text}")))?;
        prop_assert_eq!(decks.len(), 1);
        prop_assert_eq!(content(&decks[0]), content(&deck), "{}", text);
    }
}

// ---------------------------------------------------------------------------- limits

/// A file with a mistake on every one of a million lines gets a short list, quickly: each text
/// parser stops at `MAX_ERRORS` problems instead of collecting (and printing) a million.
#[test]
fn a_million_bad_lines_give_a_bounded_list_of_problems() {
    use super::draft::MAX_ERRORS;
    let lines = 1_000_000;
    let duplicates = "same,answer\n".repeat(lines);
    let invalid: Vec<u8> = b"bad\xff,x\n".repeat(lines / 10);
    let empty_backs = "Q: question\nA:\n\n".repeat(lines / 10);
    type Parsed = Result<Vec<DeckDraft>, Vec<super::LineError>>;
    let cases: [(&str, Parsed); 4] = [
        (
            "csv duplicates",
            csv::parse_csv(duplicates.as_bytes(), "d.csv", "D"),
        ),
        ("csv invalid UTF-8", csv::parse_csv(&invalid, "u.csv", "D")),
        (
            "anki text duplicates",
            anki_text::parse(duplicates.as_bytes(), "d.txt", "D").map(|i| i.decks),
        ),
        (
            "markdown empty answers",
            markdown::parse(empty_backs.as_bytes(), "e.md", "D"),
        ),
    ];
    for (what, result) in cases {
        let errors = result.expect_err(what);
        assert!(
            (MAX_ERRORS..=MAX_ERRORS + 2).contains(&errors.len()),
            "{what}: {} problems",
            errors.len()
        );
        let last = errors.last().expect("a closing note");
        assert!(
            last.message.contains("stopped after 100 problems"),
            "{what}: {last:?}"
        );
    }
    // And what `import` prints is capped the same way, whatever the format.
    let many: Vec<super::LineError> = (1..=5000).map(|i| super::LineError::new(i, "x")).collect();
    let capped = super::draft::cap_errors(many);
    assert_eq!(capped.len(), MAX_ERRORS + 1);
    assert!(capped[MAX_ERRORS].message.contains("4900 more problems"));
}

/// Lines as `csv::LineIndex` counts them, the slow way: `\n`, `\r\n` and a lone `\r` each end
/// one.
fn naive_line_of(text: &[u8], byte: usize) -> usize {
    let mut line = 1;
    for (i, b) in text.iter().enumerate().take(byte.min(text.len())) {
        if *b == b'\n' || (*b == b'\r' && text.get(i + 1) != Some(&b'\n')) {
            line += 1;
        }
    }
    line
}

proptest! {
    #![proptest_config(config(64))]

    /// The line index finds line ends only as far as asked: asked in any order, across its
    /// 64 KiB steps, it agrees with counting from the start.
    #[test]
    fn line_index_found_as_it_goes_agrees_with_counting(
        pieces in prop::collection::vec((0usize..40_000, 0u8..4), 1..12),
        asks in prop::collection::vec(any::<prop::sample::Index>(), 1..40),
    ) {
        let mut text = String::new();
        for (len, end) in pieces {
            text.push_str(&"x".repeat(len));
            text.push_str(["\n", "\r\n", "\r", ""][usize::from(end)]);
        }
        let index = csv::LineIndex::new(&text);
        for ask in asks {
            let byte = ask.index(text.len() + 2);
            prop_assert_eq!(index.line_of(byte), naive_line_of(text.as_bytes(), byte), "byte {}", byte);
        }
    }
}
