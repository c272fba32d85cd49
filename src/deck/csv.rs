//! CSV and TSV decks: one card per row, `front, back[, tags]`.
//!
//! The file a learner makes in a spreadsheet. Rules:
//! - RFC 4180 quoting (`"a, b"`, `""` for a quote, newlines inside quotes), read by the `csv`
//!   crate in flexible mode; tab for TSV; for CSV `,` unless the first rows are separated by
//!   `;` (Excel in a comma-decimal locale), tab or `|` ([`guess_delimiter`]). CRLF or LF.
//! - UTF-8, with or without a byte-order mark, or UTF-16 with one (Excel's "Unicode Text",
//!   converted by `encoding` before parsing). Invalid UTF-8 (Windows-1252 from an older
//!   Excel) is an error naming its line.
//! - An optional header row, recognised when one cell is `front`/`question`/`q` and another
//!   `back`/`answer`/`a` (any case). With a header, columns are found by name (`front`, `back`,
//!   `tags`, `id` for a learner who wants to choose ids, and `deck` to spread rows over
//!   decks); without one they are positional.
//!   Other columns are ignored, so a spreadsheet's notes column does no harm.
//! - The deck is named by the caller; with no name given, by a `deck` column where a row has
//!   one, else by the file's stem (`jlpt-n5.csv` → `jlpt-n5`). Its id is [`deck_id`] of the
//!   name (and an existing deck of that name is that deck: `db::import`).
//! - Tags are separated by spaces. Blank rows are skipped. An empty front or back is an error:
//!   a hand-made file with a missing answer is a mistake worth pointing at.
//!
//! Card ids: the file has no id column, so the id is derived from the front
//! ([`card_id_from_text`]): re-importing the same file finds the same cards, and editing a back
//! keeps the card's history. Editing a front makes a new card; that is the price of a format
//! without ids (design.md rule 6 prefers explicit ids, which the TOML format and an `id` header
//! column give). Two rows with the same front would get the same id, so they are an error
//! naming both lines.
//!
//! Errors carry their 1-based line and a message without the location: `deck::format_errors`
//! adds `file:line:` when printing, as for every other format.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use super::draft::{
    CardDraft, Collect, DeckDraft, LineError, MAX_ERRORS, Sink, stop_collecting, trim_field,
};

/// Largest text or package file a parser accepts, in bytes (256 MiB): far above any real deck,
/// low enough that a mistaken path (a video, a disk image) fails fast instead of filling memory.
pub const MAX_INPUT_BYTES: usize = 256 * 1024 * 1024;

/// Parse a comma-separated deck.
pub fn parse_csv(
    input: &[u8],
    file_name: &str,
    deck_name: &str,
) -> Result<Vec<DeckDraft>, Vec<LineError>> {
    parse_delimited(input, file_name, deck_name, guess_delimiter(input))
}

/// The separator of a `.csv` file: `,` unless the first rows say otherwise. Excel in a locale
/// whose decimal mark is the comma (most of Europe) writes `;`, and some tools write tabs or
/// `|`; Excel also honours a first line `sep=;`, which names it outright. Otherwise a
/// candidate scores one for each of the first rows (up to 10, outside quotes) where it
/// appears as often as in the first row; the best score wins. A tie goes to the candidate
/// less often followed by a space (prose puts one after its commas and semicolons; programs
/// put none after a separator), then to the one met first in the first row (the separator
/// ends the first field), then to the one rarer in prose (tab, `|`, `;`, then `,`, as Anki's
/// own guess orders them): `先生;teacher, instructor` is read at the `;`, `a,b; c` and
/// `URL?,https://x/?a=1;b=2` at the `,`. Rows end at `\n`, `\r\n` or a lone `\r`. A `"` opens a quoted field only at a field's start, as the reader
/// takes it: `12" ruler` is text.
pub fn guess_delimiter(input: &[u8]) -> u8 {
    const CANDIDATES: [u8; 4] = [b'\t', b'|', b';', b','];
    let input = input.strip_prefix(b"\xef\xbb\xbf").unwrap_or(input);
    if let Some(sep) = excel_sep_line(input) {
        return sep;
    }
    let head = &input[..input.len().min(8192)];
    let mut counts: Vec<[usize; 4]> = Vec::new();
    let mut row = [0usize; 4];
    let mut in_quotes = false;
    // The byte before, outside quotes: a quote after a separator, or at a line's start,
    // opens a quoted field; `""` inside one is a quote, not its end.
    let mut field_start = true;
    let mut just_closed = false;
    let mut blank = true;
    // How often each candidate is followed by a space, as punctuation in prose is and a
    // separator written by a program is not: the tie-break.
    let mut spaced = [0usize; 4];
    // Where each candidate first appears in the first row: the separator ends the first
    // field, so of two that tie, the one met first is it (`URL?,https://x/?a=1;b=2`).
    let mut first_at = [usize::MAX; 4];
    for (at, &byte) in head.iter().enumerate() {
        let closed = just_closed;
        just_closed = false;
        match byte {
            b'"' if in_quotes => {
                in_quotes = false;
                just_closed = true;
            }
            b'"' if field_start || closed => in_quotes = true,
            // A row ends at `\n`, `\r\n` or a lone `\r` (Excel for the Mac); the `\n` of a
            // `\r\n` then ends a blank row, which is not counted.
            b'\n' | b'\r' if !in_quotes => {
                if !blank {
                    counts.push(row);
                }
                row = [0; 4];
                blank = true;
                field_start = true;
                if counts.len() == 10 {
                    break;
                }
                continue;
            }
            _ if !in_quotes => {
                if let Some(i) = CANDIDATES.iter().position(|c| *c == byte) {
                    row[i] += 1;
                    if counts.is_empty() {
                        first_at[i] = first_at[i].min(at);
                    }
                    if head.get(at + 1) == Some(&b' ') {
                        spaced[i] += 1;
                    }
                    field_start = true;
                    continue_blank(&mut blank, byte);
                    continue;
                }
            }
            _ => {}
        }
        field_start = false;
        continue_blank(&mut blank, byte);
    }
    if !blank && counts.len() < 10 {
        counts.push(row);
    }
    let Some(first) = counts.first() else {
        return b',';
    };
    // Best: most rows agreeing, then fewest followed by a space, then the first met in the
    // first row (candidates are in order of rarity in prose, which decides what is left).
    let mut best: Option<(usize, usize, usize, u8)> = None;
    for (i, candidate) in CANDIDATES.iter().enumerate() {
        if first[i] == 0 {
            continue;
        }
        let score = counts.iter().filter(|r| r[i] == first[i]).count();
        let key = (score, spaced[i], first_at[i]);
        let better = best.is_none_or(|(s, sp, at, _)| {
            key.0 > s || (key.0 == s && (key.1 < sp || (key.1 == sp && key.2 < at)))
        });
        if better {
            best = Some((key.0, key.1, key.2, *candidate));
        }
    }
    best.map_or(b',', |(_, _, _, c)| c)
}

/// A byte that is not blank makes its row not blank.
fn continue_blank(blank: &mut bool, byte: u8) {
    if !byte.is_ascii_whitespace() {
        *blank = false;
    }
}

/// The separator Excel's hint line names: a first line `sep=X` (X one character; the file
/// may start with a byte-order mark). The line itself is not a row
/// ([`is_excel_sep_row`]).
pub fn excel_sep_line(input: &[u8]) -> Option<u8> {
    let input = input.strip_prefix(b"\xef\xbb\xbf").unwrap_or(input);
    let rest = input.strip_prefix(b"sep=")?;
    let (&sep, after) = rest.split_first()?;
    let ends = after.is_empty() || after.starts_with(b"\n") || after.starts_with(b"\r");
    (ends && sep != b'"' && sep != b'\n' && sep != b'\r' && sep.is_ascii()).then_some(sep)
}

/// Whether a first record is Excel's `sep=X` hint line read with separator X: the fields
/// `sep=` and an empty one.
fn is_excel_sep_row(record: &Row<'_>) -> bool {
    record.len() == 2 && record.get(0) == Some("sep=") && record.get(1) == Some("")
}

/// One row as text: the `csv` crate's byte record, checked as UTF-8 in one pass with
/// `simdutf8`. Reading `StringRecord`s instead checks each field with `std`, a tenth of the
/// time a large import spends reading (mostly Japanese text, where `std` leaves its ASCII
/// fast path). Each field is then a slice of the checked text, cut where the record says
/// (`str::get` refuses a cut inside a character, so nothing is assumed).
struct Row<'r> {
    text: &'r str,
    record: &'r ::csv::ByteRecord,
}

impl<'r> Row<'r> {
    /// `None` when the row is not UTF-8.
    fn new(record: &'r ::csv::ByteRecord) -> Option<Self> {
        let text = simdutf8::basic::from_utf8(record.as_slice()).ok()?;
        // Every field must be whole characters too.
        (0..record.len())
            .all(|i| record.range(i).is_some_and(|r| text.get(r).is_some()))
            .then_some(Row { text, record })
    }

    fn get(&self, i: usize) -> Option<&'r str> {
        self.record.range(i).and_then(|r| self.text.get(r))
    }

    fn len(&self) -> usize {
        self.record.len()
    }

    fn iter(&self) -> impl Iterator<Item = &'r str> + '_ {
        (0..self.len()).filter_map(|i| self.get(i))
    }

    fn position(&self) -> Option<&::csv::Position> {
        self.record.position()
    }
}

/// Parse a tab-separated deck (same quoting rules as CSV).
pub fn parse_tsv(
    input: &[u8],
    file_name: &str,
    deck_name: &str,
) -> Result<Vec<DeckDraft>, Vec<LineError>> {
    parse_delimited(input, file_name, deck_name, b'\t')
}

/// Parse a delimited deck with any single-byte separator. Returns one deck named `deck_name`
/// (or, when that is blank, the stem of `file_name`), whose id is [`deck_id`] of that name.
pub fn parse_delimited(
    input: &[u8],
    file_name: &str,
    deck_name: &str,
    delimiter: u8,
) -> Result<Vec<DeckDraft>, Vec<LineError>> {
    let mut decks = Collect::default();
    parse_delimited_into(input, file_name, deck_name, delimiter, &mut decks)?;
    Ok(decks.0)
}

/// [`parse_csv`] into a sink, card by card.
pub fn parse_csv_into(
    input: &[u8],
    file_name: &str,
    deck_name: &str,
    sink: &mut dyn Sink,
) -> Result<Vec<String>, Vec<LineError>> {
    parse_delimited_into(input, file_name, deck_name, guess_delimiter(input), sink)
}

/// [`parse_tsv`] into a sink, card by card.
pub fn parse_tsv_into(
    input: &[u8],
    file_name: &str,
    deck_name: &str,
    sink: &mut dyn Sink,
) -> Result<Vec<String>, Vec<LineError>> {
    parse_delimited_into(input, file_name, deck_name, b'\t', sink)
}

/// [`parse_delimited`] into a sink: the deck first, then each good card as its row is read.
/// Rows are still checked to the end when one is bad, so every problem is reported; the
/// caller discards what the sink received when this returns errors. Returns notes for the
/// learner about rows read as written but perhaps not as meant.
pub fn parse_delimited_into(
    input: &[u8],
    file_name: &str,
    deck_name: &str,
    delimiter: u8,
    sink: &mut dyn Sink,
) -> Result<Vec<String>, Vec<LineError>> {
    check_size(input.len())?;
    // A deck named by the caller takes every row; otherwise a `deck` column, where it has a
    // name, chooses the row's deck.
    let named = !deck_name.trim().is_empty();
    let deck_name = deck_name_or_stem(deck_name, file_name)?;
    let default_deck = (deck_id(&deck_name), deck_name);
    let (text, mut errors) = decode_text(input);
    let lines = LineIndex::new(&text);
    let unclosed = unclosed_quote_line(&text, delimiter, &lines);
    if let Some(line) = unclosed {
        errors.push(LineError::new(line,
            "a quoted field starting here is never closed; add the closing `\"` (write `\"\"` for a quote inside a quoted field)",
        ));
    }

    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());

    // The deck the last card went to; a deck is begun when its first card comes.
    let mut current_deck: Option<(String, String)> = None;
    let total = text.len().max(1) as f64;
    let mut columns: Option<Columns> = None;
    let mut cards = 0usize;
    let mut seen = IdLines::default();
    // Lines with a field that starts with a space and then `"`: RFC 4180 (and every
    // spreadsheet) reads those quotes as text, so `front, "back, more"` splits at the comma
    // inside them. Legal, so not refused; said, so a hand-written file can be fixed.
    let mut spaced_quotes = Vec::new();
    // Rows with text past the third column, which a file without a header leaves out.
    let mut extra_columns = Vec::new();
    // Header columns no role takes.
    let mut unused_columns: Vec<String> = Vec::new();
    // One record, refilled row after row: a new one per row would cost two allocations each.
    let mut bytes = ::csv::ByteRecord::new();
    loop {
        if stop_collecting(&mut errors) {
            break;
        }
        match reader.read_byte_record(&mut bytes) {
            Ok(true) => {}
            Ok(false) => break,
            Err(err) => {
                let line = err
                    .position()
                    .map_or(0, |p| lines.record_line(p.byte(), false));
                errors.push(LineError::new(
                    line,
                    format!("could not read this row: {err}"),
                ));
                continue;
            }
        };
        let line = bytes
            .position()
            .map_or(0, |p| lines.record_line(p.byte(), false));
        let Some(record) = Row::new(&bytes) else {
            // Not met: the whole text was checked as UTF-8 and fields end at ASCII bytes.
            errors.push(LineError::new(line, "could not read this row: not UTF-8"));
            continue;
        };
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        // From an unclosed quote on, rows are garbled; that one error says it all.
        if unclosed.is_some_and(|u| line >= u) {
            continue;
        }
        if record.iter().any(|f| {
            f.starts_with([' ', '\t']) && f.trim_start_matches([' ', '\t']).starts_with('"')
        }) {
            spaced_quotes.push(line);
        }
        // Excel's `sep=;` hint line, before the first row: not a row.
        if columns.is_none() && is_excel_sep_row(&record) {
            continue;
        }
        let cols = match &columns {
            Some(cols) => cols,
            None => {
                let (cols, is_header) = Columns::detect(&record);
                unused_columns = cols.unused.clone();
                columns = Some(cols);
                if is_header {
                    continue;
                }
                match &columns {
                    Some(cols) => cols,
                    None => continue,
                }
            }
        };
        let field = |idx: Option<usize>| -> String {
            idx.and_then(|i| record.get(i))
                .map(|s| normalize_newlines(s.trim()))
                .unwrap_or_default()
        };
        let side = |idx: usize| -> String {
            record
                .get(idx)
                .map(|s| normalize_newlines(trim_field(s)))
                .unwrap_or_default()
        };
        let front = side(cols.front);
        let back = side(cols.back);
        if !cols.named && record.iter().skip(3).any(|f| !f.trim().is_empty()) {
            extra_columns.push(line);
        }
        let mut row_ok = true;
        if record.len() <= cols.front.max(cols.back) {
            errors.push(LineError::new(line,
                format!(
                    "expected at least {} columns (front{}back), found {}; check the separator is `{}`",
                    cols.front.max(cols.back) + 1,
                    sep_name(delimiter),
                    record.len(),
                    sep_display(delimiter),
                ),
            ));
            continue;
        }
        if front.is_empty() {
            errors.push(LineError::new(line, "the front is empty"));
            row_ok = false;
        }
        if back.is_empty() {
            errors.push(LineError::new(line, "the back is empty"));
            row_ok = false;
        }
        let explicit_id = field(cols.id);
        if !explicit_id.is_empty() && !is_valid_id(&explicit_id) {
            errors.push(LineError::new(
                line,
                format!(
                    "id `{}` may use only letters, digits, `-`, `_`, `.` and `:`",
                    explicit_id.escape_debug()
                ),
            ));
            row_ok = false;
        }
        if !row_ok {
            continue;
        }
        let id = if explicit_id.is_empty() {
            card_id_from_text(&front)
        } else {
            explicit_id
        };
        let column_deck = cols
            .deck
            .filter(|_| !named)
            .and_then(|i| record.get(i))
            .map(super::anki_text::tidy_deck_name)
            .filter(|name| !name.is_empty())
            .map(|name| {
                let key = cols
                    .deck_key
                    .and_then(|i| record.get(i))
                    .map(str::trim)
                    .filter(|key| is_valid_id(key))
                    .map_or_else(|| deck_id(&name), str::to_owned);
                (key, name)
            });
        // Ids are unique within a deck: with several decks, the deck is part of what is seen.
        let seen_id = match &column_deck {
            Some((key, _)) => Cow::Owned(format!("{key}/{id}")),
            None if cols.deck.is_some() => Cow::Owned(format!("{}/{id}", default_deck.0)),
            None => Cow::Borrowed(id.as_str()),
        };
        if let Err(first) = seen.insert(&seen_id, line) {
            errors.push(LineError::new(
                line,
                duplicate_message(&id, &front, first, line, cols.id.is_some()),
            ));
            continue;
        }
        let wanted = column_deck.as_ref().unwrap_or(&default_deck);
        if current_deck.as_ref() != Some(wanted) {
            let deck = wanted.clone();
            sink.deck(&deck.0, &deck.1, "");
            current_deck = Some(deck);
        }
        let mut card = CardDraft::new(id, front, back);
        card.line = line;
        // Straight from the cell: splitting on whitespace already drops what `field` trims.
        card.tags = split_tags(cols.tags.and_then(|i| record.get(i)).unwrap_or(""));
        sink.card(card);
        cards += 1;
        if cards.is_multiple_of(1024) {
            let at = record.position().map_or(0, |p| p.byte());
            sink.progress(at as f64 / total);
        }
    }

    if errors.is_empty() && cards == 0 {
        errors.push(LineError::new(
            1,
            format!(
                "no cards found; expected rows of front{}back{}tags",
                sep_display(delimiter),
                sep_display(delimiter)
            ),
        ));
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.line);
        return Err(errors);
    }
    let mut notes = Vec::new();
    if !spaced_quotes.is_empty() {
        notes.push(spaced_quote_note(&spaced_quotes, delimiter));
    }
    if !unused_columns.is_empty() {
        let names: Vec<String> = unused_columns.iter().map(|n| format!("`{n}`")).collect();
        notes.push(format!(
            "the column{} {} {} not imported: alt-prep reads front, back, tags, id and deck (put what should show into the back)",
            if names.len() == 1 { "" } else { "s" },
            names.join(", "),
            if names.len() == 1 { "was" } else { "were" },
        ));
    }
    if !extra_columns.is_empty() {
        notes.push(format!(
            "{}: text after the third column was left out (without a header row the columns are front, back and tags; a `{}` inside a side needs the side in quotes, or add a header row naming the columns)",
            some_lines(&extra_columns),
            sep_display(delimiter),
        ));
    }
    Ok(notes)
}

/// The note for fields that open with a space before their quote (see `spaced_quotes`).
fn spaced_quote_note(lines: &[usize], delimiter: u8) -> String {
    format!(
        "{}: a field starts with a space before its `\"`, so the quotes were kept as text and any `{}` inside them split the field; if they were meant to group the field, remove the space after the separator",
        some_lines(lines),
        sep_display(delimiter),
    )
}

/// `line 4` or `lines 4, 9, … and 3 more`, for a note.
fn some_lines(lines: &[usize]) -> String {
    const SHOWN: usize = 5;
    let mut shown: Vec<String> = lines.iter().take(SHOWN).map(usize::to_string).collect();
    if lines.len() > SHOWN {
        shown.push(format!("and {} more", lines.len() - SHOWN));
    }
    format!(
        "line{} {}",
        if lines.len() == 1 { "" } else { "s" },
        shown.join(", ")
    )
}

/// Where the front, back, tags and id are.
struct Columns {
    front: usize,
    back: usize,
    tags: Option<usize>,
    id: Option<usize>,
    deck: Option<usize>,
    /// `deck_id`: the deck's own id beside its name (alt-prep's CSV export writes it), so a
    /// deck comes back under the id its TOML file gives it rather than one made from the name.
    deck_key: Option<usize>,
    /// From a header row (which names every column used).
    named: bool,
    /// Header names of the columns no role takes (`Example`, `Notes`): left out, and said.
    unused: Vec<String>,
}

/// Header names of the front column (compared in lower case): English words spreadsheet
/// users write, and the names of Anki's Basic fields and of a question in the languages
/// learners here use most (Japanese first), so a header row exported from a localised Anki
/// or typed in Japanese is not taken for a card.
const FRONT_NAMES: &[&str] = &[
    "front",
    "question",
    "q",
    "term",
    "word",
    "prompt",
    "表面",
    "質問",
    "問題",
    "おもて",
    "vorderseite",
    "frage",
    "recto",
    "anverso",
    "pregunta",
    "frente",
    "正面",
    "问题",
    "앞면",
    "질문",
    "fronte",
    "domanda",
];
/// The same for the back column.
const BACK_NAMES: &[&str] = &[
    "back",
    "answer",
    "a",
    "definition",
    "meaning",
    "裏面",
    "答え",
    "回答",
    "解答",
    "うら",
    "意味",
    "rückseite",
    "antwort",
    "verso",
    "reverso",
    "respuesta",
    "réponse",
    "背面",
    "答案",
    "뒷면",
    "답",
    "retro",
    "risposta",
];
/// The same for the tags column.
const TAG_NAMES: &[&str] = &[
    "tags",
    "tag",
    "タグ",
    "schlagwörter",
    "étiquettes",
    "etiquetas",
    "标签",
    "태그",
];

impl Columns {
    /// Positional columns, or named ones when `first` is a header row (returns `true` then).
    fn detect(first: &Row<'_>) -> (Self, bool) {
        let find = |names: &[&str]| {
            first.iter().position(|cell| {
                let cell = cell.trim().trim_start_matches('\u{feff}').to_lowercase();
                names.contains(&cell.as_str())
            })
        };
        let front = find(FRONT_NAMES);
        let back = find(BACK_NAMES);
        if let (Some(front), Some(back)) = (front, back)
            && front != back
        {
            let mut cols = Self {
                front,
                back,
                tags: find(TAG_NAMES),
                id: find(&["id"]),
                deck: find(&["deck"]),
                deck_key: find(&["deck_id", "deck id"]),
                named: true,
                unused: Vec::new(),
            };
            let used = [
                Some(front),
                Some(back),
                cols.tags,
                cols.id,
                cols.deck,
                cols.deck_key,
            ];
            cols.unused = first
                .iter()
                .enumerate()
                .filter(|(i, name)| !used.contains(&Some(*i)) && !name.trim().is_empty())
                .map(|(_, name)| name.trim().to_string())
                .collect();
            return (cols, true);
        }
        (
            Self {
                front: 0,
                back: 1,
                tags: Some(2),
                id: None,
                deck: None,
                deck_key: None,
                named: false,
                unused: Vec::new(),
            },
            false,
        )
    }
}

fn duplicate_message(id: &str, front: &str, first: usize, line: usize, has_ids: bool) -> String {
    if has_ids {
        format!("card id `{id}` is used twice, on lines {first} and {line}; ids must be unique")
    } else {
        format!(
            "the front \"{}\" appears twice, on lines {first} and {line}; a card's id comes from its front, so fronts must be unique (merge the rows or reword one)",
            preview(front)
        )
    }
}

// ---------------------------------------------------------------------------- shared helpers
//
// Used by the other text parsers (anki_text, markdown) too, so that every format derives ids,
// checks sizes and reads bytes the same way.

/// A stable card id derived from its text (for formats without ids): a readable slug of up to
/// 24 characters plus 8 hex digits of a 64-bit FNV-1a hash, e.g. `what-year-did-jet-start-3f9a0c12`.
///
/// The text's whitespace is normalised first (runs become one space, ends trimmed), so
/// re-wrapping a line keeps the id; any other edit changes it. FNV-1a is spelled out here rather
/// than taken from `std` because `DefaultHasher` may change between Rust releases, and these
/// ids are stored in learners' databases for years. Text with no ASCII letters or digits (a
/// Japanese prompt) gets the slug `card`.
pub fn card_id_from_text(text: &str) -> String {
    // One pass, no intermediate string: the hash is fed the words joined by single spaces
    // (the normalised text), and the slug of the text equals the slug of the normalised text
    // because whitespace is already a separator to `slug`.
    let mut hash = Fnv::new();
    let bytes = text.as_bytes();
    let mut word: Option<usize> = None;
    let mut words = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let space = whitespace_len(bytes, i);
        if space == 0 {
            word.get_or_insert(i);
            i += 1;
            continue;
        }
        if let Some(start) = word.take() {
            if words > 0 {
                hash.feed(b" ");
            }
            hash.feed(&bytes[start..i]);
            words += 1;
        }
        i += space;
    }
    if let Some(start) = word {
        if words > 0 {
            hash.feed(b" ");
        }
        hash.feed(&bytes[start..]);
    }
    let mut id = slug(text, 24);
    if id.is_empty() {
        id.push_str("card");
    }
    id.push('-');
    hash.push_hex(&mut id);
    id
}

/// The length in bytes of the whitespace character (`char::is_whitespace`: Unicode's
/// White_Space) starting at byte `i` of valid UTF-8, or 0 when none starts there.
///
/// Read from the bytes because decoding every character of a large import's fronts (most of
/// them Japanese) cost more than the rest of making their ids. Only six ASCII bytes and the
/// lead bytes `C2`, `E1`, `E2` and `E3` can start a whitespace character; a continuation byte
/// (`80`–`BF`) never matches, so stepping a byte at a time through other characters is safe.
fn whitespace_len(bytes: &[u8], i: usize) -> usize {
    let next = |k: usize| bytes.get(i + k).copied();
    match bytes.get(i) {
        Some(b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r') => 1,
        // U+0085, U+00A0
        Some(0xc2) if matches!(next(1), Some(0x85 | 0xa0)) => 2,
        // U+1680
        Some(0xe1) if next(1) == Some(0x9a) && next(2) == Some(0x80) => 3,
        // U+2000–U+200A, U+2028, U+2029, U+202F; U+205F
        Some(0xe2) => match (next(1), next(2)) {
            (Some(0x80), Some(0x80..=0x8a | 0xa8 | 0xa9 | 0xaf)) | (Some(0x81), Some(0x9f)) => 3,
            _ => 0,
        },
        // U+3000, the ideographic space
        Some(0xe3) if next(1) == Some(0x80) && next(2) == Some(0x80) => 3,
        _ => 0,
    }
}

/// A deck id from a deck name: its slug (up to 40 characters), e.g. `ALT Prep::Interview` →
/// `alt-prep-interview`. A name with no ASCII letters or digits gets `deck-` plus a hash.
pub fn deck_id(name: &str) -> String {
    let slug = slug(name, 40);
    if slug.is_empty() {
        format!("deck-{}", short_hash(name.trim()))
    } else {
        slug
    }
}

/// Lowercase ASCII letters and digits, every other run of characters one `-`, trimmed, cut at
/// a word boundary to at most `max_len` bytes.
pub fn slug(text: &str, max_len: usize) -> String {
    let mut out = String::with_capacity(max_len + 9 + 8);
    let mut dash = false;
    // Bytes, not characters: only ASCII letters and digits are kept, and no byte of a
    // multi-byte character is one, so each of its bytes is a separator as the character was.
    for &byte in text.as_bytes() {
        if byte.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(char::from(byte.to_ascii_lowercase()));
            // Past `max_len` the rest cannot change where the cut falls: stop reading.
            if out.len() > max_len {
                break;
            }
        } else {
            dash = true;
        }
    }
    if out.len() > max_len {
        let cut = &out[..max_len];
        // Prefer ending at a word boundary unless that loses more than half.
        let end = if out.as_bytes().get(max_len) == Some(&b'-') {
            max_len
        } else {
            match cut.rfind('-') {
                Some(pos) if pos >= max_len / 2 => pos,
                _ => max_len,
            }
        };
        out.truncate(end);
        while out.ends_with('-') {
            out.pop();
        }
    }
    out
}

/// 8 lowercase hex digits: FNV-1a 64 of `text`, folded to 32 bits.
pub fn short_hash(text: &str) -> String {
    let mut hash = Fnv::new();
    hash.feed(text.as_bytes());
    let mut out = String::with_capacity(8);
    hash.push_hex(&mut out);
    out
}

/// FNV-1a 64, fed in pieces.
struct Fnv(u64);

impl Fnv {
    fn new() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }

    fn feed(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 ^= u64::from(*byte);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    /// The hash folded to 32 bits, as 8 lowercase hex digits.
    fn push_hex(&self, out: &mut String) {
        let folded = (self.0 ^ (self.0 >> 32)) & 0xffff_ffff;
        for shift in (0..8).rev() {
            let digit = ((folded >> (shift * 4)) & 0xf) as u32;
            out.push(char::from_digit(digit, 16).unwrap_or('0'));
        }
    }
}

/// Ids a learner may choose in an `id` column: letters, digits and `-_.:`, at most 200
/// characters — the same rule as `deck::validate::check_id`, checked here so a bad id is
/// reported with the parser's other errors.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.chars().count() <= 200
        && id
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
}

/// Tags from a space-separated cell (any Unicode whitespace, including the ideographic space
/// Anki also accepts), without repeats, in order.
pub fn split_tags(cell: &str) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for tag in cell.split_whitespace() {
        if !tags.iter().any(|t| t == tag) {
            tags.push(tag.to_string());
        }
    }
    tags
}

/// Refuse inputs over [`MAX_INPUT_BYTES`].
pub fn check_size(len: usize) -> Result<(), Vec<LineError>> {
    if len > MAX_INPUT_BYTES {
        return Err(vec![LineError::new(
            0,
            format!(
                "is {} MiB; the limit is {} MiB",
                len / (1024 * 1024),
                MAX_INPUT_BYTES / (1024 * 1024)
            ),
        )]);
    }
    Ok(())
}

/// `deck_name` trimmed, or when blank the stem of `file_name` (`decks/jlpt-n5.csv` →
/// `jlpt-n5`), for formats whose files carry no deck name.
pub fn deck_name_or_stem(deck_name: &str, file_name: &str) -> Result<String, Vec<LineError>> {
    let name = deck_name.trim();
    if !name.is_empty() {
        return Ok(name.to_string());
    }
    let stem = std::path::Path::new(file_name)
        .file_stem()
        .map(|s| s.to_string_lossy().trim().to_string())
        .unwrap_or_default();
    if stem.is_empty() {
        return Err(vec![LineError::new(
            0,
            "no deck name: pass one (the file name gives none)",
        )]);
    }
    Ok(stem)
}

/// The file as text: the byte-order mark removed, and one error per line that is not valid
/// UTF-8. Invalid bytes become U+FFFD so parsing can go on and report the file's other problems
/// in the same pass.
pub fn decode_text(input: &[u8]) -> (Cow<'_, str>, Vec<LineError>) {
    let input = input.strip_prefix(b"\xef\xbb\xbf").unwrap_or(input);
    // The whole file is checked before its first row can be read, so this check is time
    // every large import waits for: `simdutf8` does it several times faster than `std`.
    match simdutf8::basic::from_utf8(input) {
        Ok(text) => (Cow::Borrowed(text), Vec::new()),
        Err(_) => {
            let mut errors = Vec::new();
            // Lines end as `LineIndex` ends them (a lone `\r` too: Excel for the Mac), so
            // the line named is the one the rest of the import would name.
            let mut lines = Vec::new();
            let mut start = 0;
            for at in memchr::memchr2_iter(b'\n', b'\r', input) {
                if input[at] == b'\r' && input.get(at + 1) == Some(&b'\n') {
                    continue;
                }
                let end = if input[at] == b'\n' && at > start && input[at - 1] == b'\r' {
                    at - 1
                } else {
                    at
                };
                lines.push(&input[start..end]);
                start = at + 1;
            }
            lines.push(&input[start..]);
            for (i, line) in lines.into_iter().enumerate() {
                if errors.len() >= MAX_ERRORS {
                    break;
                }
                if let Err(err) = std::str::from_utf8(line) {
                    errors.push(LineError::new(
                        i + 1,
                        format!(
                            "not valid UTF-8 (byte {} of the line); save the file as UTF-8 (in Excel: \"CSV UTF-8\")",
                            err.valid_up_to() + 1
                        ),
                    ));
                }
            }
            (String::from_utf8_lossy(input), errors)
        }
    }
}

/// Finds the 1-based line of a `csv` record from its byte offset.
///
/// The `csv` crate's own `Position::line` is off by one after CRLF line ends and does not count
/// comment lines, and its byte offset points at the terminator or comment before a record, so
/// this skips those and counts newlines itself.
pub struct LineIndex<'a> {
    bytes: &'a [u8],
    /// Where each line ends, as far as [`LineIndex::scanned`].
    newlines: RefCell<Vec<usize>>,
    scanned: Cell<usize>,
}

impl<'a> LineIndex<'a> {
    /// Lines end at `\n`, `\r\n`, or a lone `\r` (Excel for the Mac's "CSV (Macintosh)"
    /// still writes those, and the `csv` crate reads them as line ends too).
    ///
    /// Line ends are found as far as a line is asked for, not all at once: a pass over the
    /// whole file (3.5 ms for 22 MB) before the first row would hold up the first card of a
    /// large import, while found row by row it is spread over the reading.
    pub fn new(text: &'a str) -> Self {
        Self {
            bytes: text.as_bytes(),
            newlines: RefCell::new(Vec::new()),
            scanned: Cell::new(0),
        }
    }

    /// Finds the line ends before `byte` (and a little further, so the next call has
    /// nothing to do).
    fn scan_to(&self, byte: usize) {
        /// Bytes looked through at once: `memchr` is fast only over long stretches.
        const AHEAD: usize = 64 * 1024;
        let from = self.scanned.get();
        if byte <= from {
            return;
        }
        let bytes = self.bytes;
        let to = byte.max(from.saturating_add(AHEAD)).min(bytes.len());
        self.newlines.borrow_mut().extend(
            memchr::memchr2_iter(b'\n', b'\r', &bytes[from..to])
                .map(|i| i + from)
                .filter(|&i| bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n')),
        );
        self.scanned.set(to);
    }

    /// The 1-based line holding byte `byte`.
    pub fn line_of(&self, byte: usize) -> usize {
        self.scan_to(byte);
        1 + self.newlines.borrow().partition_point(|nl| *nl < byte)
    }

    /// The line of the record whose reported start is `byte`; with `comments`, lines starting
    /// with `#` before it are skipped as the reader skipped them.
    pub fn record_line(&self, byte: u64, comments: bool) -> usize {
        let bytes = self.bytes;
        let mut pos = usize::try_from(byte).unwrap_or(usize::MAX).min(bytes.len());
        loop {
            while pos < bytes.len() && (bytes[pos] == b'\n' || bytes[pos] == b'\r') {
                pos += 1;
            }
            let at_line_start = pos == 0 || bytes[pos - 1] == b'\n' || bytes[pos - 1] == b'\r';
            if comments && at_line_start && bytes.get(pos) == Some(&b'#') {
                match bytes[pos..].iter().position(|b| *b == b'\n') {
                    Some(nl) => pos += nl + 1,
                    None => pos = bytes.len(),
                }
                continue;
            }
            break;
        }
        self.line_of(pos)
    }
}

/// Remembers the line where each id was first used.
///
/// Keyed by a 64-bit hash of the id rather than the id itself: a 100,000-card import then
/// needs 2 MB here instead of 7. Two different ids share a hash with odds of about 1 in
/// 10^9 for a deck of that size (birthday bound, n²/2^65), which would be reported as a
/// duplicate naming both lines, so the learner can see it is not one.
#[derive(Debug, Default)]
pub struct IdLines(HashMap<u64, usize, BuildHasherDefault<PassThrough>>);

/// The keys of [`IdLines`] are already SipHash values: hashing them again would only cost time.
#[derive(Debug, Default)]
pub struct PassThrough(u64);

impl std::hash::Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*byte);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

impl IdLines {
    /// Record `id` at `line`; `Err(first_line)` if it was already used.
    pub fn insert(&mut self, id: &str, line: usize) -> Result<(), usize> {
        match self.0.entry(id_hash(id)) {
            std::collections::hash_map::Entry::Occupied(first) => Err(*first.get()),
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(line);
                Ok(())
            }
        }
    }
}

/// A stable 64-bit hash of an id (SipHash with fixed keys).
pub fn id_hash(id: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::hash::DefaultHasher::new();
    id.hash(&mut hasher);
    hasher.finish()
}

/// The start of a text for an error message: first line, at most 40 characters.
pub fn preview(text: &str) -> String {
    let first = text.lines().next().unwrap_or("");
    let mut out: String = first.chars().take(40).collect();
    if out.len() < first.len() || text.contains('\n') {
        out.push('…');
    }
    out
}

fn normalize_newlines(s: &str) -> String {
    if s.contains('\r') {
        s.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        s.to_string()
    }
}

fn sep_display(delimiter: u8) -> String {
    match delimiter {
        b'\t' => "TAB".to_string(),
        other => char::from(other).to_string(),
    }
}

fn sep_name(delimiter: u8) -> String {
    match delimiter {
        b'\t' => " TAB ".to_string(),
        other => format!("{} ", char::from(other)),
    }
}

/// The line where a quoted field opens and never closes, if any. The `csv` crate reads such a
/// field to the end of the file without complaint, silently swallowing every later row.
///
/// As the `csv` crate reads: a `"` opens a quoted field only at the start of a field (after a
/// separator or a line end), and inside one `""` is a quote and a lone `"` closes it. Jumps
/// from quote to quote (`str::find` on one byte is a fast memchr) rather than visiting every
/// byte.
fn unclosed_quote_line(text: &str, delimiter: u8, lines: &LineIndex) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut pos = 0usize;
    while let Some(open) = memchr::memchr(b'"', &bytes[pos..]).map(|q| q + pos) {
        let at_field_start =
            open == 0 || matches!(bytes[open - 1], b'\n' | b'\r') || bytes[open - 1] == delimiter;
        pos = open + 1;
        if !at_field_start {
            continue;
        }
        loop {
            let Some(close) = memchr::memchr(b'"', &bytes[pos..]).map(|q| q + pos) else {
                return Some(lines.line_of(open));
            };
            if bytes.get(close + 1) == Some(&b'"') {
                pos = close + 2;
            } else {
                pos = close + 1;
                break;
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(input: &str) -> DeckDraft {
        let mut decks =
            parse_csv(input.as_bytes(), "cards.csv", "Classroom English").expect("should parse");
        assert_eq!(decks.len(), 1);
        decks.remove(0)
    }

    fn errors(input: &[u8]) -> Vec<LineError> {
        parse_csv(input, "cards.csv", "Classroom English").expect_err("should fail")
    }

    #[test]
    fn lone_carriage_returns_end_lines_too() {
        let deck = ok("Front,Back\rStand up,kiritsu\r\"Multi\rline\",x\rSit,down\r");
        let lines: Vec<usize> = deck.cards.iter().map(|c| c.line).collect();
        assert_eq!(lines, vec![2, 3, 5]);
        assert_eq!(deck.cards[1].front, "Multi\nline");
        let errs = errors(b"Front,Back\r\nStand up,kiritsu\rSit down,\r");
        assert_eq!(errs[0].line, 3, "{errs:?}");
    }

    /// Invalid UTF-8 is reported at the line the rest of the import counts, whatever the
    /// line ends: `\n`, `\r\n`, or a lone `\r` (Excel for the Mac's "CSV (Macintosh)").
    #[test]
    fn invalid_utf8_lines_count_every_kind_of_line_end() {
        for file in [
            &b"q1,a1\rq2,a2\rq3,caf\xe9\r"[..],
            b"q1,a1\r\nq2,a2\r\nq3,caf\xe9\r\n",
            b"q1,a1\nq2,a2\nq3,caf\xe9\n",
        ] {
            let (_, errors) = decode_text(file);
            assert_eq!(errors.len(), 1, "{errors:?}");
            assert_eq!(errors[0].line, 3, "{errors:?}");
            assert!(
                errors[0].message.contains("byte 7 of the line"),
                "{errors:?}"
            );
        }
    }

    #[test]
    fn the_separator_is_guessed_from_the_first_rows() {
        assert_eq!(
            guess_delimiter(b"Front;Back\r\n\"Pi, roughly\";3,14\r\n"),
            b';'
        );
        assert_eq!(guess_delimiter(b"a\tb\tc\nd\te\tf\n"), b'\t');
        assert_eq!(guess_delimiter(b"a|b\nc|d"), b'|');
        // Commas stay unless another separator does better; quoted text does not count.
        assert_eq!(
            guess_delimiter(b"Stand up,\"kiritsu; rise\"\nSit,down\n"),
            b','
        );
        assert_eq!(guess_delimiter(b"a,b; c\nd,e; f\n"), b',');
        assert_eq!(guess_delimiter(b"one column only\n"), b',');
        // A tie: the separator is the one no space follows, else the one rarer in prose.
        assert_eq!(
            guess_delimiter("先生;teacher, instructor\r\n学校;school, academy\r\n".as_bytes()),
            b';'
        );
        assert_eq!(guess_delimiter(b"a;b,c\nd;e,f\n"), b';');
        // Excel's hint line names it, after a byte-order mark too.
        assert_eq!(guess_delimiter(b"sep=;\r\nFront,Back;x\r\n"), b';');
        assert_eq!(guess_delimiter(b"\xef\xbb\xbfsep=|\na,b|c\n"), b'|');
        assert_eq!(guess_delimiter(b"sep=;x,y\na,b\n"), b',', "not a hint line");
        // Mac line ends (`\r` alone) end rows too; a tie is then the one met first.
        assert_eq!(
            guess_delimiter(b"dog,x\rcat,y\rTab\tinside,a\tb\rbird,z\r"),
            b','
        );
        assert_eq!(
            guess_delimiter(b"Front,Back\rdog,x\rratio,3:4;1:2\rcat,y\r"),
            b','
        );
        assert_eq!(
            guess_delimiter(b"What is the URL?,https://a.b/?x=1;y=2\n"),
            b','
        );
        // A quote inside a field is text, not the start of a quoted field.
        assert_eq!(
            guess_delimiter(b"12\" ruler;Lineal\nHund;dog\nKatze;cat\n"),
            b';'
        );
        assert_eq!(guess_delimiter(b""), b',');
        let deck = ok("Front;Back;Tags\nStaff room;shokuinshitsu;school\n");
        assert_eq!(deck.cards[0].back, "shokuinshitsu");
        assert_eq!(deck.cards[0].tags, vec!["school"]);
    }

    #[test]
    fn plain_rows_with_tags() {
        let deck = ok("Stand up,起立,classroom greetings\nSit down,着席\n");
        assert_eq!(deck.id, "classroom-english");
        assert_eq!(deck.name, "Classroom English");
        assert_eq!(deck.cards.len(), 2);
        assert_eq!(deck.cards[0].front, "Stand up");
        assert_eq!(deck.cards[0].back, "起立");
        assert_eq!(deck.cards[0].tags, vec!["classroom", "greetings"]);
        assert_eq!(deck.cards[0].line, 1);
        assert_eq!(deck.cards[1].tags, Vec::<String>::new());
        assert_eq!(deck.cards[1].line, 2);
        assert!(
            deck.cards
                .iter()
                .all(|c| !c.suspended && c.history.is_empty())
        );
    }

    #[test]
    fn awkward_quoting_bom_and_crlf() {
        let input = "\u{feff}Front,Back,Tags\r\n\"Say \"\"hello\"\", then bow\",\"Line one\r\nline two\",x\r\n\"a, b\",\"c\",\r\nlast,row\r\n";
        let deck = ok(input);
        assert_eq!(deck.cards.len(), 3);
        assert_eq!(deck.cards[0].front, "Say \"hello\", then bow");
        assert_eq!(deck.cards[0].back, "Line one\nline two");
        assert_eq!(deck.cards[0].line, 2);
        assert_eq!(deck.cards[1].front, "a, b");
        // The embedded newline puts the next record on line 4, not 3.
        assert_eq!(deck.cards[1].line, 4);
        assert_eq!(deck.cards[2].line, 5);
    }

    /// A `deck` column spreads rows over decks (ids unique within each); a deck named by the
    /// caller takes every row.
    #[test]
    fn a_deck_column_chooses_each_rows_deck() {
        let input =
            "front,back,id,deck\nq1,a1,c1,Kanji\nq2,a2,c1,Verbs\nq3,a3,c2,Kanji\nq4,a4,c3,\n";
        let decks = parse_csv(input.as_bytes(), "mixed.csv", "").expect("parses");
        let summary: Vec<(String, String, Vec<String>)> = decks
            .iter()
            .map(|d| {
                let ids = d.cards.iter().map(|c| c.id.clone()).collect();
                (d.id.clone(), d.name.clone(), ids)
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("verbs".into(), "Verbs".into(), vec!["c1".into()]),
                (
                    "kanji".into(),
                    "Kanji".into(),
                    vec!["c1".into(), "c2".into()]
                ),
                ("mixed".into(), "mixed".into(), vec!["c3".into()]),
            ]
        );
        let errors = parse_csv(
            b"front,back,id,deck\nq1,a1,c1,Kanji\nq2,a2,c1,Kanji\n",
            "d.csv",
            "",
        )
        .expect_err("same id in one deck");
        assert_eq!(errors[0].line, 3);
        let one = parse_csv(input.as_bytes(), "mixed.csv", "All").expect_err("c1 twice in All");
        assert_eq!(one[0].line, 3);
    }

    #[test]
    fn header_is_detected_in_any_case_and_order() {
        let deck = ok("tags,Answer,Question\njet,1987,When did JET start?\n");
        assert_eq!(deck.cards[0].front, "When did JET start?");
        assert_eq!(deck.cards[0].back, "1987");
        assert_eq!(deck.cards[0].tags, vec!["jet"]);
        assert_eq!(deck.cards[0].line, 2);
        // Localised Anki field names and other common words are headers too.
        for header in [
            "表面,裏面",
            "質問,答え,タグ",
            "Frage,Antwort",
            "Term,Definition",
            "Vorderseite,Rückseite",
        ] {
            let deck = ok(&format!("{header}\n先生,teacher\n"));
            assert_eq!(deck.cards.len(), 1, "{header}");
            assert_eq!(deck.cards[0].front, "先生", "{header}");
        }
    }

    #[test]
    fn an_id_column_gives_chosen_ids() {
        let deck = ok("id,front,back\njet-start,When did JET start?,1987\n,Who runs JET?,CLAIR\n");
        assert_eq!(deck.cards[0].id, "jet-start");
        assert!(deck.cards[1].id.starts_with("who-runs-jet-"));
        let deck = ok("id,front,back\nJET_start.1,When did JET start?,1987\n");
        assert_eq!(deck.cards[0].id, "JET_start.1");
        let errs = errors(b"id,front,back\nBad Id,a,b\nx,c,d\nx,e,f\n");
        assert_eq!(errs.len(), 2);
        assert_eq!(errs[0].line, 2);
        assert!(errs[1].message.contains("lines 3 and 4"), "{errs:?}");
    }

    #[test]
    fn tsv_uses_tabs_and_the_same_quoting() {
        let decks = parse_tsv(
            b"Front\tBack\tTags\n\"tab\there\"\t\"quote \"\"x\"\"\"\tt1 t2\n",
            "cards.tsv",
            "Deck",
        )
        .expect("tsv");
        assert_eq!(decks[0].cards[0].front, "tab\there");
        assert_eq!(decks[0].cards[0].back, "quote \"x\"");
        assert_eq!(decks[0].cards[0].tags, vec!["t1", "t2"]);
    }

    #[test]
    fn ids_are_stable_and_follow_the_front() {
        let a = ok("When did JET start?,1987\n");
        let b = ok("\n\nWhen did JET start?,  It started in 1987.  ,history\n");
        assert_eq!(a.cards[0].id, b.cards[0].id);
        assert!(a.cards[0].id.starts_with("when-did-jet-start-"));
        assert_eq!(a.cards[0].id.len(), "when-did-jet-start-".len() + 8);
        let c = ok("When did JET begin?,1987\n");
        assert_ne!(a.cards[0].id, c.cards[0].id);
        assert!(is_valid_id(&a.cards[0].id));
        // Pinned: these ids live in databases, so the scheme must never drift.
        assert_eq!(
            card_id_from_text("When did JET start?"),
            card_id_from_text(" When  did\nJET start? ")
        );
        assert_eq!(short_hash(""), "4fd0bfc1");
        assert_eq!(
            card_id_from_text("When did JET start?"),
            "when-did-jet-start-ea3fc7d4"
        );
        assert_eq!(
            card_id_from_text("自己紹介をしてください"),
            format!("card-{}", short_hash("自己紹介をしてください"))
        );
    }

    /// The one-pass `card_id_from_text` gives exactly the ids of the straightforward
    /// definition (normalise, slug, hash): ids live in databases and must never drift.
    #[test]
    fn one_pass_ids_match_the_reference_definition() {
        fn reference(text: &str) -> String {
            let normalized = text.split_whitespace().collect::<Vec<_>>().join(" ");
            let mut slug_full = String::new();
            let mut dash = false;
            for ch in normalized.chars() {
                if ch.is_ascii_alphanumeric() {
                    if dash && !slug_full.is_empty() {
                        slug_full.push('-');
                    }
                    dash = false;
                    slug_full.push(ch.to_ascii_lowercase());
                } else {
                    dash = true;
                }
            }
            let mut out = slug_full.clone();
            if out.len() > 24 {
                let end = if out.as_bytes().get(24) == Some(&b'-') {
                    24
                } else {
                    match out[..24].rfind('-') {
                        Some(pos) if pos >= 12 => pos,
                        _ => 24,
                    }
                };
                out.truncate(end);
                while out.ends_with('-') {
                    out.pop();
                }
            }
            let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
            for byte in normalized.as_bytes() {
                hash ^= u64::from(*byte);
                hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
            }
            let folded = (hash ^ (hash >> 32)) & 0xffff_ffff;
            if out.is_empty() {
                format!("card-{folded:08x}")
            } else {
                format!("{out}-{folded:08x}")
            }
        }
        let pieces = [
            "a",
            "Bc",
            "12",
            " ",
            "  ",
            "\t",
            "\n",
            "-",
            "--",
            "é",
            "日本",
            "?",
            "x_y",
            "abcdefghij",
            "0123456789012",
            ", ",
            "\u{3000}",
            // Every other whitespace character (ids are read from bytes, whitespace found
            // from its UTF-8 lead bytes), and characters sharing those lead bytes.
            "\r",
            "\u{b}\u{c}",
            "\u{85}",
            "\u{a0}",
            "\u{a9}",
            "\u{1680}",
            "\u{1681}",
            "\u{2000}",
            "\u{200a}",
            "\u{200b}",
            "\u{2010}",
            "\u{2028}\u{2029}",
            "\u{202f}",
            "\u{205f}",
            "\u{2060}",
            "\u{3001}",
            "あア",
            "😀",
        ];
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..20_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let len = (state % 14) as usize;
            let mut text = String::new();
            let mut s = state;
            for _ in 0..len {
                text.push_str(pieces[(s % pieces.len() as u64) as usize]);
                s /= pieces.len() as u64;
                if s == 0 {
                    s = state.rotate_left(17);
                }
            }
            assert_eq!(card_id_from_text(&text), reference(&text), "{text:?}");
        }
    }

    #[test]
    fn duplicate_fronts_name_both_lines() {
        let errs = errors(b"Stand up,a\nSit down,b\n Stand   up ,c\n");
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].line, 3);
        assert!(
            errs[0].message.contains("lines 1 and 3"),
            "{}",
            errs[0].message
        );
    }

    #[test]
    fn invalid_utf8_is_reported_at_its_line() {
        let errs = errors(b"ok,fine\nalso,fine\nbad \xff byte,x\nok2,fine\n");
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].line, 3);
        assert!(errs[0].message.contains("UTF-8"));
    }

    #[test]
    fn every_problem_is_reported_in_one_pass() {
        let errs = errors(b"only one column\n,empty front\nempty back,\nok,row\nbad \xfe,x\n");
        let lines: Vec<usize> = errs.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![1, 2, 3, 5]);
    }

    #[test]
    fn unclosed_quote_is_reported_where_it_opens() {
        let errs = errors(b"a,b\n\"never closed,x\nc,d\n");
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].line, 2);
        assert!(errs[0].message.contains("never closed"));
    }

    #[test]
    fn empty_files_and_names_are_refused() {
        assert_eq!(errors(b"").len(), 1);
        assert_eq!(errors(b"\n\n  ,  \n").len(), 1);
        assert!(parse_csv(b"a,b", "", "  ").is_err());
        let decks = parse_csv(b"a,b", "decks/jlpt-n5.csv", "  ").expect("stem");
        assert_eq!(decks[0].name, "jlpt-n5");
        assert_eq!(decks[0].id, "jlpt-n5");
    }

    #[test]
    fn slugs_and_deck_ids() {
        assert_eq!(slug("  Hello, World!  ", 40), "hello-world");
        assert_eq!(
            slug("a-very-long-sentence-that-goes-on-and-on", 24),
            "a-very-long-sentence"
        );
        assert_eq!(
            slug("abcdefghijklmnopqrstuvwxyz0123", 24),
            "abcdefghijklmnopqrstuvwx"
        );
        assert_eq!(deck_id("ALT Prep::Interview"), "alt-prep-interview");
        assert!(deck_id("日本語").starts_with("deck-"));
    }

    #[test]
    fn size_limit_is_stated() {
        let errs = check_size(MAX_INPUT_BYTES + 1).expect_err("too big");
        assert!(errs[0].message.contains("256 MiB"));
    }

    #[test]
    fn every_unicode_whitespace_character_is_found_from_its_bytes() {
        for c in (0..=0x10_ffffu32).filter_map(char::from_u32) {
            let mut buf = [0u8; 4];
            let text = c.encode_utf8(&mut buf);
            let want = if c.is_whitespace() { text.len() } else { 0 };
            assert_eq!(
                whitespace_len(text.as_bytes(), 0),
                want,
                "U+{:04X}",
                u32::from(c)
            );
        }
    }
}
