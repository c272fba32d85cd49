//! Anki's plain-text exports ("Notes in Plain Text", "Cards in Plain Text") and hand-made files
//! in the same shape, with Anki's `#key:value` header lines (reference/anki-formats.md 4.1).
//!
//! Header: an optional first line `tags:t1 t2` (old syntax), then lines `#key:value` (key
//! trimmed, any case): `separator` (`comma`, `semicolon`, `tab`, `space`, `pipe`, `colon` or the
//! character itself), `html` (`true`/`false`), `tags`, `columns`, `notetype`, `deck`, and the
//! 1-based `guid column`, `notetype column`, `deck column`, `tags column`. `match scope` and
//! `if matches` only steer Anki's duplicate handling and are ignored; any other `#` line is a
//! comment, in the header and between records alike.
//!
//! Without `#separator` the first of tab, `|`, `;`, `:`, `,`, space found in the first 8 KiB of
//! records is used, and without `#html` the fields are HTML when one of the first five records
//! looks like HTML — both as Anki decides. HTML fields become readable text (`html.rs`); with
//! `#html:false` the text is kept as it is.
//!
//! Columns other than guid, notetype, deck and tags are the note's fields, in order (Anki pads
//! every row to the widest note type, so trailing fields may be empty). With `#columns`, the
//! labels `GUID`, `Notetype`, `Deck` and `Tags` mark those columns too. When no tags column is
//! given and the note type is unknown or a stock two-field one, a column after the two fields
//! holds tags, as Anki's importer assumes.
//!
//! Cards made from a note, by note type name (from the notetype column or header):
//! - `Basic (and reversed card)`: two cards, the second with front and back swapped;
//! - `Basic (optional reversed card)`: the second card only when the third field is filled;
//! - `Cloze` (or any name containing "cloze", or no note type at all when the first field has
//!   `{{c1::…}}` deletions): one card per cloze number, the back adding the second field
//!   ("Back Extra");
//! - `Image Occlusion` (or any note whose deletions are `image-occlusion:` shapes): skipped
//!   without an error, since its cards are pictures;
//! - anything else: the first field is the front, the other non-empty fields the back, one per
//!   line.
//!
//! Ids: with a guid column, the note's GUID is the base, so a re-import matches the same cards
//! and a `.apkg` of the same notes gives the same ids (`apkg.rs` uses the same scheme). GUIDs
//! are base91 and hold punctuation card ids may not, so [`guid_to_id`] escapes it, one-to-one:
//! `kB1basic01` stays as it is, `O#4oe6S1,q` becomes `O_234oe6S1_2cq`. The first card of a
//! note is `<base>`; card *N* (the second template, or cloze `cN`) is `<base>-N`
//! ([`note_card_id`]). Without GUIDs the base is derived from the first field's text as in
//! `csv.rs`; a second note with the same first field (two notes in Anki, e.g. a word with two
//! meanings, or two cloze cards of one note in a cards export) keeps its own cards, ids
//! suffixed `.2`, `.3`… in file order, and a note saying so.
//!
//! Left out with a note, as Anki's own notes allow them and a `.apkg` import leaves them out
//! too: a card whose back is empty (an empty field, a back that was only a picture or
//! `&nbsp;`). A note with an empty first field, or a cloze note without deletions, is an error.
//!
//! Decks: the deck column or `#deck` header names the deck (`Parent::Child` kept as written;
//! id = [`deck_id`] of the name, `alt-prep-interview`), else the caller's default deck name. A
//! numeric `#deck` (an Anki deck id, meaningless outside that collection) also means the
//! default deck.

use std::collections::HashMap;

use super::anki_stock_names::STOCK_NAMES;
use super::csv::{
    IdLines, LineIndex, card_id_from_text, check_size, deck_id, deck_name_or_stem, decode_text,
    is_valid_id, preview, split_tags,
};
use super::draft::{CardDraft, DeckDraft, LineError, MAX_ERRORS, stop_collecting, tidy_side};
use super::html;

/// Parse an Anki plain-text export. Cards without a deck column or `#deck` go to a deck named
/// `default_deck_name`, or when that is blank, to one named after the stem of `file_name`.
pub fn parse(
    input: &[u8],
    file_name: &str,
    default_deck_name: &str,
) -> Result<AnkiTextImport, Vec<LineError>> {
    check_size(input.len())?;
    let (text, mut errors) = decode_text(input);
    let (meta, body_offset, body_first_line) = parse_header(&text, &mut errors);
    let body = &text[body_offset..];

    let delimiter = meta.separator.unwrap_or_else(|| detect_separator(body));
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .comment(Some(b'#'))
        .delimiter(delimiter)
        .from_reader(body.as_bytes());
    let lines = LineIndex::new(body);
    let mut records: Vec<(usize, Vec<String>)> = Vec::new();
    for result in reader.records() {
        if stop_collecting(&mut errors) {
            break;
        }
        match result {
            Ok(record) => {
                let line = record
                    .position()
                    .map_or(0, |p| lines.record_line(p.byte(), true))
                    + body_first_line
                    - 1;
                if record.iter().all(|f| f.trim().is_empty()) {
                    continue;
                }
                records.push((line, record.iter().map(str::to_string).collect()));
            }
            Err(err) => {
                let line = err.position().map_or(0, |p| {
                    lines.record_line(p.byte(), true) + body_first_line - 1
                });
                errors.push(LineError::new(
                    line,
                    format!("could not read this record: {err}"),
                ));
            }
        }
    }

    let is_html = meta.html.unwrap_or_else(|| {
        records
            .iter()
            .take(5)
            .any(|(_, fields)| fields.iter().any(|f| html::looks_like_html(f)))
    });
    let columns = ColumnRoles::new(&meta, delimiter);

    let default_deck = deck_name_or_stem(default_deck_name, file_name).unwrap_or_default();
    let mut builder = DeckBuilder::new(&default_deck);
    for (line, fields) in &records {
        if errors.len() + builder.errors.len() >= MAX_ERRORS {
            break;
        }
        note_to_cards(&meta, &columns, is_html, *line, fields, &mut builder);
    }
    errors.append(&mut builder.errors);
    stop_collecting(&mut errors);
    if errors.is_empty() && builder.decks.iter().all(|d| d.cards.is_empty()) {
        let message = match builder.skipped.first() {
            Some(first) => format!(
                "no cards to import: all {} were left out ({first}{})",
                builder.skipped.len(),
                if builder.skipped.len() > 1 {
                    "; …"
                } else {
                    ""
                }
            ),
            None => "no notes found after the header lines".to_string(),
        };
        errors.push(LineError::new(1, message));
    }
    if errors.is_empty() {
        Ok(AnkiTextImport {
            decks: builder
                .decks
                .into_iter()
                .filter(|d| !d.cards.is_empty())
                .collect(),
            skipped: builder.skipped,
            renamed: builder.renamed,
        })
    } else {
        errors.sort_by_key(|e| e.line);
        Err(errors)
    }
}

/// The GUID alt-prep's own Anki export gives a card: its deck id and card id, prefixed so
/// no note GUID Anki makes (ten base91 characters) can be taken for one.
pub fn make_own_guid(deck_id: &str, card_id: &str) -> String {
    format!("{OWN_GUID}{deck_id}/{card_id}")
}

/// The deck id and card id in a GUID from [`make_own_guid`].
pub fn own_guid(guid: &str) -> Option<(&str, &str)> {
    let (deck, card) = guid.strip_prefix(OWN_GUID)?.split_once('/')?;
    (is_valid_id(deck) && is_valid_id(card)).then_some((deck, card))
}

const OWN_GUID: &str = "alt-prep:";

/// What an Anki text export gave.
#[derive(Debug)]
pub struct AnkiTextImport {
    pub decks: Vec<DeckDraft>,
    /// Cards left out, one line each (`line 7: card 2 of the note "…" has an empty back`).
    pub skipped: Vec<String>,
    /// Cards of a second note with the same first field, and the ids they were given.
    pub renamed: Vec<String>,
}

/// A card id from an Anki note GUID, one-to-one.
///
/// GUIDs are base91 strings such as `O#4oe6S1,q`, but card ids may hold only letters, digits
/// and `-_.:` (`deck::validate::check_id`: a `/` would split a `deck/card` key, and ids are
/// typed on the command line). ASCII letters, digits, `-`, `.` and `:` are kept; every other
/// byte, `_` included, becomes `_` and two lowercase hex digits (`#` → `_23`). Because `_`
/// always starts an escape, distinct GUIDs give distinct ids, and the GUID can be read back.
pub fn guid_to_id(guid: &str) -> String {
    let mut out = String::with_capacity(guid.len());
    for byte in guid.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b':') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("_{byte:02x}"));
        }
    }
    out
}

/// The id of card `number` (1-based: template ord + 1, or the cloze number) of a note whose
/// base id is `base`: `base` for the first card, `base-N` for the others.
pub fn note_card_id(base: &str, number: u32) -> String {
    if number <= 1 {
        base.to_string()
    } else {
        format!("{base}-{number}")
    }
}

// ---------------------------------------------------------------------------- header

#[derive(Debug, Default)]
struct Meta {
    separator: Option<u8>,
    html: Option<bool>,
    tags: Vec<String>,
    columns: Option<String>,
    notetype: Option<String>,
    deck: Option<String>,
    /// 0-based column indexes.
    guid_column: Option<usize>,
    notetype_column: Option<usize>,
    deck_column: Option<usize>,
    tags_column: Option<usize>,
}

/// Read the header lines. Returns the metadata, the byte offset where records start and that
/// offset's 1-based line.
fn parse_header(text: &str, errors: &mut Vec<LineError>) -> (Meta, usize, usize) {
    let mut meta = Meta::default();
    let mut offset = 0usize;
    let mut line_no = 1usize;
    let mut first = true;
    while offset < text.len() {
        let rest = &text[offset..];
        let (line, len) = match rest.find('\n') {
            Some(nl) => (&rest[..nl], nl + 1),
            None => (rest, rest.len()),
        };
        let line = line.trim_end_matches('\r');
        if first
            && line.len() >= 5
            && line.is_char_boundary(5)
            && line[..5].eq_ignore_ascii_case("tags:")
        {
            meta.tags.extend(split_tags(&line[5..]));
        } else if let Some(body) = line.strip_prefix('#') {
            if let Some((key, value)) = body.split_once(':') {
                apply_meta(
                    &mut meta,
                    &key.trim().to_lowercase(),
                    value,
                    line_no,
                    errors,
                );
            }
        } else {
            break;
        }
        first = false;
        offset += len;
        line_no += 1;
    }
    (meta, offset, line_no)
}

fn apply_meta(meta: &mut Meta, key: &str, value: &str, line: usize, errors: &mut Vec<LineError>) {
    let trimmed = value.trim();
    let mut column = |slot: &mut Option<usize>| match trimmed.parse::<usize>() {
        Ok(n) if (1..=1000).contains(&n) => *slot = Some(n - 1),
        _ => errors.push(LineError::new(
            line,
            format!("`#{key}` needs a column number from 1, not `{trimmed}`"),
        )),
    };
    match key {
        "separator" => match separator_from(value) {
            Some(sep) => meta.separator = Some(sep),
            None => errors.push(LineError::new(line,
                format!("unknown separator `{trimmed}`; use comma, semicolon, tab, space, pipe, colon or a single character"),
            )),
        },
        "html" => match trimmed.to_lowercase().as_str() {
            "true" => meta.html = Some(true),
            "false" => meta.html = Some(false),
            _ => errors.push(LineError::new(line,
                format!("`#html` must be true or false, not `{trimmed}`"),
            )),
        },
        "tags" => meta.tags.extend(split_tags(value)),
        "columns" => meta.columns = Some(value.to_string()),
        "notetype" => meta.notetype = Some(trimmed.to_string()).filter(|s| !s.is_empty()),
        "deck" => meta.deck = Some(trimmed.to_string()).filter(|s| !s.is_empty()),
        "guid column" => column(&mut meta.guid_column),
        "notetype column" => column(&mut meta.notetype_column),
        "deck column" => column(&mut meta.deck_column),
        "tags column" => column(&mut meta.tags_column),
        // Duplicate handling inside Anki, and comments that happen to hold a colon.
        _ => {}
    }
}

fn separator_from(value: &str) -> Option<u8> {
    // A literal space or tab would be lost to trimming, so look at the raw value first.
    if value == " " || value == "\t" {
        return value.bytes().next();
    }
    let value = value.trim();
    match value.to_lowercase().as_str() {
        "comma" => Some(b','),
        "semicolon" => Some(b';'),
        "tab" => Some(b'\t'),
        "space" => Some(b' '),
        "pipe" => Some(b'|'),
        "colon" => Some(b':'),
        _ if value.len() == 1 && value.is_ascii() && value != "\"" && value != "#" => {
            value.bytes().next()
        }
        _ => None,
    }
}

/// Anki's fallback: the first of these found in the first 8 KiB of records.
fn detect_separator(body: &str) -> u8 {
    let head = &body.as_bytes()[..body.len().min(8 * 1024)];
    [b'\t', b'|', b';', b':', b',', b' ']
        .into_iter()
        .find(|sep| head.contains(sep))
        .unwrap_or(b'\t')
}

// ---------------------------------------------------------------------------- columns

/// Which columns hold metadata; every other column is a field.
struct ColumnRoles {
    guid: Option<usize>,
    notetype: Option<usize>,
    deck: Option<usize>,
    tags: Option<usize>,
    /// Tags column chosen by Anki's "first free column after the fields" rule; only used
    /// when a row has that many columns.
    implicit_tags: bool,
    /// Columns `#columns:` names as the stock fields, in field order (Front, Back; or Text,
    /// Back Extra): Anki maps a text file's columns to fields by these names, so
    /// `#columns:Back<TAB>Front` has the back first.
    named_fields: Vec<usize>,
}

impl ColumnRoles {
    fn new(meta: &Meta, delimiter: u8) -> Self {
        let mut roles = Self {
            guid: meta.guid_column,
            notetype: meta.notetype_column,
            deck: meta.deck_column,
            tags: meta.tags_column,
            implicit_tags: false,
            named_fields: Vec::new(),
        };
        if let Some(labels) = &meta.columns {
            let sep = char::from(delimiter);
            let column = |wanted: &str| {
                labels
                    .split(sep)
                    .position(|label| label.trim().eq_ignore_ascii_case(wanted))
            };
            for (first, second) in [("front", "back"), ("text", "back extra")] {
                if let (Some(a), Some(b)) = (column(first), column(second)) {
                    roles.named_fields = vec![a, b];
                    break;
                }
            }
            for (i, label) in labels.split(sep).enumerate() {
                let slot = match label.trim().to_lowercase().as_str() {
                    "guid" => &mut roles.guid,
                    "notetype" | "note type" => &mut roles.notetype,
                    "deck" => &mut roles.deck,
                    "tags" => &mut roles.tags,
                    _ => continue,
                };
                slot.get_or_insert(i);
            }
        }
        if roles.tags.is_none() && meta.columns.is_none() && roles.notetype.is_none() {
            let two_fields = match &meta.notetype {
                None => true,
                Some(name) => matches!(
                    classify(Some(name), None, &[]),
                    Kind::Standard {
                        known_two_fields: true
                    } | Kind::Reversed
                        | Kind::Cloze
                ),
            };
            if two_fields {
                // Fields 0 and 1, skipping meta columns; the next free column is tags.
                let mut free = (0..).filter(|c| !roles.is_meta(*c));
                let _front = free.next();
                let _back = free.next();
                roles.tags = free.next();
                roles.implicit_tags = true;
            }
        }
        roles
    }

    fn is_meta(&self, column: usize) -> bool {
        [self.guid, self.notetype, self.deck, self.tags].contains(&Some(column))
    }
}

// ---------------------------------------------------------------------------- notes to cards

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Standard { known_two_fields: bool },
    Reversed,
    OptionalReversed,
    Cloze,
    ImageOcclusion,
}

/// One of Anki's stock note types, which a notes export names without its templates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stock {
    /// "Basic" and "Basic (type in the answer)": one card, Front → Back.
    Basic,
    /// "Basic (and reversed card)".
    Reversed,
    /// "Basic (optional reversed card)": the reverse when the third field is filled in.
    OptionalReversed,
    Cloze,
    ImageOcclusion,
}

/// The stock note type `name` is, in any of Anki's languages: Anki names them in the UI
/// language (a Japanese learner's "Basic (and reversed card)" is "基本 (表面と裏面を反転した
/// カードも作成)"). Copies keep the stock name in front: genanki's "Basic (and reversed card)
/// (genanki)", Anki's own "Basic-a1b2c" when an import meets a different note type of the
/// same name.
fn stock_kind(name: &str) -> Option<Stock> {
    let lower = name.trim().to_lowercase();
    // Longest first, so "basic (and reversed card)" is found before "basic".
    STOCK_NAMES.iter().find_map(|(stock, kind)| {
        let rest = lower.strip_prefix(stock)?;
        (rest.is_empty() || rest.starts_with([' ', '-', '+', '(', '（'])).then_some(*kind)
    })
}

/// What cards a note gives. `fields`: the note's fields, when known (the whole note: a
/// type of unknown name with `{{c1::…}}` deletions in any field is a cloze type, perhaps
/// renamed, as "Fill-in").
fn classify(notetype: Option<&str>, stock: Option<Option<Stock>>, fields: &[&str]) -> Kind {
    let has_deletions = || fields.iter().any(|f| !html::cloze_numbers(f).is_empty());
    let Some(name) = notetype else {
        return if fields
            .first()
            .is_some_and(|f| !html::cloze_numbers(f).is_empty())
        {
            Kind::Cloze
        } else {
            Kind::Standard {
                known_two_fields: true,
            }
        };
    };
    match stock.unwrap_or_else(|| stock_kind(name)) {
        Some(Stock::Basic) => Kind::Standard {
            known_two_fields: true,
        },
        Some(Stock::Reversed) => Kind::Reversed,
        Some(Stock::OptionalReversed) => Kind::OptionalReversed,
        Some(Stock::Cloze) => Kind::Cloze,
        Some(Stock::ImageOcclusion) => Kind::ImageOcclusion,
        None if name.to_lowercase().contains("cloze") || has_deletions() => Kind::Cloze,
        None => Kind::Standard {
            known_two_fields: false,
        },
    }
}

fn note_to_cards(
    meta: &Meta,
    roles: &ColumnRoles,
    is_html: bool,
    line: usize,
    row: &[String],
    out: &mut DeckBuilder<'_>,
) {
    let cell = |col: Option<usize>| col.and_then(|c| row.get(c)).map(|s| s.trim());
    // Anki writes every column on every line; a GUID column past the end is a header that
    // does not fit the file, and guessing ids from the text instead would break identity.
    if let Some(column) = roles.guid.filter(|c| *c >= row.len()) {
        out.errors.push(LineError::new(
            line,
            format!(
                "the GUID is in column {} (#guid column), but this line has {} column(s)",
                column + 1,
                row.len()
            ),
        ));
        return;
    }
    let guid = cell(roles.guid).filter(|s| !s.is_empty());
    let notetype = cell(roles.notetype)
        .filter(|s| !s.is_empty())
        .or(meta.notetype.as_deref());
    let deck = cell(roles.deck)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .or_else(|| {
            meta.deck
                .clone()
                .filter(|d| !d.bytes().all(|b| b.is_ascii_digit()))
        });
    let mut tags = meta.tags.clone();
    for tag in split_tags(cell(roles.tags).unwrap_or("")) {
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    let fields: Vec<&str> = roles
        .named_fields
        .iter()
        .map(|c| row.get(*c).map_or("", String::as_str))
        .chain(
            row.iter()
                .enumerate()
                .filter(|(i, _)| !roles.is_meta(*i) && !roles.named_fields.contains(i))
                .map(|(_, f)| f.as_str()),
        )
        .collect();
    let raw = |i: usize| fields.get(i).copied().unwrap_or("");
    let text = |s: &str| -> String {
        if is_html {
            html::to_text(&s.replace("\r\n", "\n"))
        } else {
            tidy_side(s)
        }
    };

    let stock = notetype.map(|name| out.stock_kind(name));
    let mut kind = classify(notetype, stock, &fields);
    // Image Occlusion under a renamed or translated note type: its deletions are shapes.
    if raw(0).contains("::image-occlusion:") {
        kind = Kind::ImageOcclusion;
    }
    // (card number, front, back)
    let mut made: Vec<(u16, String, String)> = Vec::new();
    match kind {
        Kind::ImageOcclusion => return,
        Kind::Cloze => {
            // The field with the deletions: the first in the stock type ("Text", then "Back
            // Extra"), anywhere in a custom one. The other fields go on the back, as the
            // stock back shows Back Extra.
            let Some(at) = fields
                .iter()
                .position(|f| !html::cloze_numbers(f).is_empty())
            else {
                out.skipped.push(format!(
                    "line {line}: the cloze note \"{}\" has no {{{{c1::…}}}} deletions, so it gives no card",
                    preview(&text(raw(0)))
                ));
                return;
            };
            let extra = (0..fields.len())
                .filter(|i| *i != at)
                .map(|i| text(raw(i)))
                .filter(|t| !t.is_empty())
                .collect::<Vec<_>>()
                .join("\n");
            for card in html::cloze_cards(raw(at)) {
                let mut back = text(&card.back);
                if !extra.is_empty() {
                    // As Anki's stock cloze back, `{{cloze:Text}}<br>{{Back Extra}}`, and
                    // so as a `.apkg` of the same note gives it.
                    back.push('\n');
                    back.push_str(&extra);
                }
                made.push((card.number, text(&card.front), back));
            }
        }
        Kind::Reversed | Kind::OptionalReversed => {
            let front = text(raw(0));
            let back = text(raw(1));
            made.push((1, front.clone(), back.clone()));
            let wanted = kind == Kind::Reversed || !text(raw(2)).is_empty();
            if wanted && !back.is_empty() {
                made.push((2, back, front));
            }
        }
        Kind::Standard { .. } => {
            let back: Vec<String> = (1..fields.len())
                .map(|i| text(raw(i)))
                .filter(|t| !t.is_empty())
                .collect();
            made.push((1, text(raw(0)), back.join("\n")));
        }
    }
    let no_front = made.iter().any(|(n, front, _)| *n == 1 && front.is_empty());
    if no_front {
        // Nothing alt-prep shows (a picture, a sound, `&nbsp;`), or nothing at all (Anki
        // drops a picture from a plain-text export): Anki leaves such a note out when it
        // imports the file, and so does alt-prep, saying so. A file of nothing but them is
        // refused for having no cards.
        out.skipped.push(if raw(0).trim().is_empty() {
            format!("line {line}: the note's first field is empty (Anki leaves such a note out too)")
        } else {
            format!(
                "line {line}: the note's first field has no text to show (only an image, a sound or spaces), so there is no front"
            )
        });
        return;
    }
    if made.is_empty() {
        out.errors.push(LineError::new(
            line,
            "the first field is empty; Anki needs it, and it is the card's front",
        ));
        return;
    }
    // alt-prep's own export names its deck and card in the GUID: the same deck and card
    // come back, whatever the deck is called now.
    let own = guid.and_then(own_guid);
    let base = match (own, guid) {
        (Some((_, card)), _) => card.to_string(),
        (None, Some(guid)) => guid_to_id(guid),
        (None, None) => card_id_from_text(&text(raw(0))),
    };
    if !is_valid_id(&base) {
        out.errors.push(LineError::new(
            line,
            "the GUID is too long to make a card id (over 200 characters)",
        ));
        return;
    }
    for (number, front, back) in made {
        if front.is_empty() {
            continue;
        }
        if back.is_empty() {
            out.skipped.push(format!(
                "line {line}: card {number} of the note \"{}\" has an empty back",
                preview(&front)
            ));
            continue;
        }
        let id = note_card_id(&base, u32::from(number));
        let mut card = CardDraft::new(id, front, back);
        card.line = line;
        card.tags = tags.clone();
        // An Anki GUID names one note in the whole collection; alt-prep's own names a card
        // within its deck only.
        card.global_id = guid.is_some() && own.is_none();
        out.add(
            deck.as_deref(),
            own.map(|(deck, _)| deck),
            card,
            guid.is_some(),
        );
    }
}

/// An Anki deck name as a learner would type it: control characters (a tab, a newline, NUL
/// from a damaged or hand-made file) become spaces, each `::` level is trimmed and empty
/// levels are dropped (`::A::::B:: ` → `A::B`), as Anki itself tidies names it is given.
/// Empty when nothing is left.
pub fn tidy_deck_name(raw: &str) -> String {
    raw.split("::")
        .map(|level| {
            level
                .split(|c: char| c.is_control() || c.is_whitespace())
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|level| !level.is_empty())
        .collect::<Vec<_>>()
        .join("::")
}

/// Collects cards into decks by name, checking ids.
struct DeckBuilder<'a> {
    default_deck: &'a str,
    decks: Vec<DeckDraft>,
    seen: Vec<IdLines>,
    by_id: HashMap<String, usize>,
    errors: Vec<LineError>,
    skipped: Vec<String>,
    renamed: Vec<String>,
    /// The last number given to each repeated id (`[`DeckBuilder::add`]).
    repeats: HashMap<String, u32>,
    /// [`stock_kind`] of each note type name met, as a file names one on every line.
    stock: HashMap<String, Option<Stock>>,
}

/// Notes sharing one first field, at most: more is a generated file gone wrong.
const MAX_REPEATS: u32 = 1_000;

impl<'a> DeckBuilder<'a> {
    fn new(default_deck: &'a str) -> Self {
        Self {
            default_deck: default_deck.trim(),
            decks: Vec::new(),
            seen: Vec::new(),
            by_id: HashMap::new(),
            errors: Vec::new(),
            skipped: Vec::new(),
            renamed: Vec::new(),
            repeats: HashMap::new(),
            stock: HashMap::new(),
        }
    }

    fn stock_kind(&mut self, notetype: &str) -> Option<Stock> {
        if let Some(kind) = self.stock.get(notetype) {
            return *kind;
        }
        let kind = stock_kind(notetype);
        self.stock.insert(notetype.to_owned(), kind);
        kind
    }

    /// `key`: the deck's id when the row names it (an alt-prep GUID), else made from the name.
    fn add(&mut self, deck: Option<&str>, key: Option<&str>, mut card: CardDraft, from_guid: bool) {
        let tidied = deck.map(tidy_deck_name);
        let name = tidied.as_deref().unwrap_or(self.default_deck).trim();
        if name.is_empty() {
            self.errors.push(LineError::new(
                card.line,
                "no deck name: the row has none and no default deck name was given",
            ));
            return;
        }
        let id = key.map_or_else(|| deck_id(name), str::to_owned);
        let index = match self.by_id.get(&id) {
            Some(i) => *i,
            None => {
                self.decks.push(DeckDraft {
                    id: id.clone(),
                    name: name.to_string(),
                    description: String::new(),
                    cards: Vec::new(),
                    prompts: Vec::new(),
                });
                self.seen.push(IdLines::default());
                self.by_id.insert(id.clone(), self.decks.len() - 1);
                self.decks.len() - 1
            }
        };
        let (Some(deck), Some(seen)) = (self.decks.get_mut(index), self.seen.get_mut(index)) else {
            return;
        };
        if deck.name != name {
            self.errors.push(LineError::new(card.line,
                format!(
                    "deck \"{name}\" has the same id `{id}` as deck \"{}\"; rename one in Anki and export again",
                    deck.name
                ),
            ));
            return;
        }
        if let Err(first) = seen.insert(&card.id, card.line) {
            if from_guid {
                self.errors.push(LineError::new(
                    card.line,
                    format!(
                        "GUID card id `{}` is used twice in deck \"{name}\", on lines {first} and {}",
                        card.id, card.line
                    ),
                ));
                return;
            }
            // Two notes with one first field: both are kept, the later one numbered.
            let next = self.repeats.entry(card.id.clone()).or_insert(1);
            let id = loop {
                *next += 1;
                if *next > MAX_REPEATS {
                    self.errors.push(LineError::new(
                        card.line,
                        format!(
                            "the front \"{}\" is on more than {MAX_REPEATS} notes",
                            preview(&card.front)
                        ),
                    ));
                    return;
                }
                let id = format!("{}.{next}", card.id);
                if seen.insert(&id, card.line).is_ok() {
                    break id;
                }
            };
            self.renamed.push(format!(
                "line {}: \"{}\" (also on line {first}) is card `{id}`",
                card.line,
                preview(&card.front)
            ));
            card.id = id;
        }
        deck.cards.push(card);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Anki maps a text file's columns to fields by the names `#columns:` gives.
    #[test]
    fn columns_named_back_then_front_are_read_by_name() {
        let decks = parse(
            b"#separator:tab\n#html:false\n#columns:Back\tFront\tTags\nthe back\tthe front\tt1\n",
            "swapped.txt",
            "D",
        )
        .expect("parses");
        let card = &decks[0].cards[0];
        assert_eq!(
            (card.front.as_str(), card.back.as_str()),
            ("the front", "the back")
        );
        assert_eq!(card.tags, ["t1"]);
    }

    #[test]
    fn stock_note_types_are_known_in_any_language_and_as_copies() {
        for (name, kind) in [
            ("Basic", Some(Stock::Basic)),
            ("basic (type in the answer)", Some(Stock::Basic)),
            ("Basic (and reversed card) (genanki)", Some(Stock::Reversed)),
            ("Basic (and reversed card)-8f3a1", Some(Stock::Reversed)),
            (
                "Basic (optional reversed card)",
                Some(Stock::OptionalReversed),
            ),
            (
                "基本 (表面と裏面を反転したカードも作成)",
                Some(Stock::Reversed),
            ),
            ("基本", Some(Stock::Basic)),
            (
                "Einfach (und die umgekehrte Richtung)",
                Some(Stock::Reversed),
            ),
            ("Lückentext", Some(Stock::Cloze)),
            ("穴埋め問題", Some(Stock::Cloze)),
            ("Image Occlusion", Some(Stock::ImageOcclusion)),
            ("Basics of chemistry", None),
            ("Vocabulary", None),
        ] {
            assert_eq!(stock_kind(name), kind, "{name}");
        }
    }

    fn fixture(name: &str) -> Vec<u8> {
        let path = format!(
            "{}/tests/fixtures/import/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::read(&path).unwrap_or_else(|e| panic!("read {path}: {e}"))
    }

    /// The decks of [`super::parse`]; the notes on left-out cards are checked separately.
    fn parse(
        input: &[u8],
        file_name: &str,
        default_deck_name: &str,
    ) -> Result<Vec<DeckDraft>, Vec<LineError>> {
        super::parse(input, file_name, default_deck_name).map(|import| import.decks)
    }

    fn ok(input: &str) -> Vec<DeckDraft> {
        parse(input.as_bytes(), "export.txt", "Imported").expect("should parse")
    }

    fn card<'a>(decks: &'a [DeckDraft], id: &str) -> &'a CardDraft {
        decks
            .iter()
            .flat_map(|d| &d.cards)
            .find(|c| c.id == id)
            .unwrap_or_else(|| panic!("no card {id}"))
    }

    #[test]
    fn anki_notes_export_with_every_column() {
        let decks = parse(
            &fixture("notes_all_columns_html.txt"),
            "notes.txt",
            "Imported",
        )
        .expect("anki export parses");
        let names: Vec<&str> = decks.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(
            names,
            vec!["ALT Prep::Classroom English", "ALT Prep::Interview"]
        );
        assert_eq!(decks[0].id, "alt-prep-classroom-english");
        assert_eq!(decks[1].id, "alt-prep-interview");

        let basic = card(&decks, "kB1basic01");
        assert_eq!(basic.front, "What does ALT stand for?");
        assert_eq!(basic.back, "Assistant Language Teacher");
        assert_eq!(basic.tags, vec!["basics", "jet"]);
        assert_eq!(basic.line, 7);

        // Basic (and reversed card): two cards, the second swapped; the sound is dropped.
        let forward = card(&decks, "kB2rev0002");
        assert_eq!(
            (forward.front.as_str(), forward.back.as_str()),
            ("起立", "Stand up (start of class)")
        );
        let reverse = card(&decks, "kB2rev0002-2");
        assert_eq!(
            (reverse.front.as_str(), reverse.back.as_str()),
            ("Stand up (start of class)", "起立")
        );

        // Cloze: one card per number, hint shown, Back Extra on the back, image dropped.
        // A base91 GUID with punctuation, escaped into a valid id.
        assert_eq!(guid_to_id("Cz#3/x,q!_"), "Cz_233_2fx_2cq_21_5f");
        let c1 = card(&decks, "Cz_233_2fx_2cq_21_5f");
        assert_eq!(
            c1.front,
            "The JET Programme began in [...] and is run by CLAIR."
        );
        assert_eq!(
            c1.back,
            "The JET Programme began in 1987 and is run by CLAIR.\nExtra: about 5,000 participants a year."
        );
        let c2 = card(&decks, "Cz_233_2fx_2cq_21_5f-2");
        assert_eq!(
            c2.front,
            "The JET Programme began in 1987 and is run by [an organisation]."
        );
        assert_eq!(decks[1].cards.len(), 3);

        // A custom 3-field note type: first field front, the rest the back.
        let vocab = card(&decks, "kB4vocab04");
        assert_eq!(vocab.front, "先生");
        assert_eq!(vocab.back, "せんせい\nteacher");
        assert_eq!(card(&decks, "kB5vocab05").back, "blackboard");
        assert_eq!(decks[0].cards.len(), 5);
    }

    #[test]
    fn anki_notes_export_without_html_or_guids() {
        let decks = parse(&fixture("notes_plain_text.txt"), "notes.txt", "From Anki")
            .expect("plain export parses");
        assert_eq!(decks.len(), 1);
        assert_eq!(decks[0].name, "From Anki");
        let cards = &decks[0].cards;
        // No notetype column: a cloze is recognised by its deletions, the rest are basic.
        assert_eq!(cards.len(), 7);
        assert_eq!(cards[0].front, "What does ALT stand for?");
        assert_eq!(cards[0].id, card_id_from_text("What does ALT stand for?"));
        assert_eq!(cards[0].tags, vec!["basics", "jet"]);
        assert_eq!(
            cards[2].front,
            "The JET Programme began in [...] and is run by CLAIR."
        );
        assert_eq!(cards[3].id, format!("{}-2", cards[2].id));
        assert_eq!(cards[4].back, "せんせい\nteacher");
    }

    #[test]
    fn anki_cards_export() {
        let decks = parse(&fixture("cards_plain_text.txt"), "cards.txt", "Cards")
            .expect("cards export parses");
        let cards = &decks[0].cards;
        assert_eq!(cards.len(), 10);
        // Anki orders the rows differently from run to run, so look cards up by front.
        assert!(cards.iter().any(|c| {
            c.front == "The JET Programme began in 1987 and is run by [an organisation]."
                && c.back
                    .starts_with("The JET Programme began in 1987 and is run by CLAIR.")
        }));
        let lines: Vec<usize> = cards.iter().map(|c| c.line).collect();
        assert_eq!(lines, (3..=12).collect::<Vec<_>>());
        assert!(cards.iter().all(|c| !c.back.is_empty()));
    }

    #[test]
    fn the_hand_written_example_from_the_reference() {
        let decks = ok(
            "#separator:tab\n#html:false\n#deck:Interview::Rust\n#tags column:3\nWhat does Box<T> do?\tHeap-allocates T\trust mem\n",
        );
        assert_eq!(decks[0].name, "Interview::Rust");
        assert_eq!(decks[0].id, "interview-rust");
        assert_eq!(decks[0].cards[0].front, "What does Box<T> do?");
        assert_eq!(decks[0].cards[0].tags, vec!["rust", "mem"]);
        assert_eq!(decks[0].cards[0].line, 5);
    }

    #[test]
    fn separators_by_name_and_literal_and_detected() {
        for (header, sep) in [
            ("#separator:Comma\n", ","),
            ("#separator:semicolon\n", ";"),
            ("#separator:pipe\n", "|"),
            ("#separator:colon\n", ":"),
            ("#separator:space\n", " "),
            ("#separator:;\n", ";"),
            ("", "|"),
            ("", ";"),
            ("", "\t"),
        ] {
            let input = format!("{header}#html:false\nfront{sep}back{sep}tag1\n");
            let decks = ok(&input);
            assert_eq!(decks[0].cards[0].front, "front", "{header:?} {sep:?}");
            assert_eq!(decks[0].cards[0].back, "back", "{header:?} {sep:?}");
            assert_eq!(decks[0].cards[0].tags, vec!["tag1"], "{header:?} {sep:?}");
        }
    }

    #[test]
    fn html_is_detected_when_not_declared() {
        let decks = ok("a<br>b\tc &amp; d\n");
        assert_eq!(decks[0].cards[0].front, "a\nb");
        assert_eq!(decks[0].cards[0].back, "c & d");
        let decks = ok("#html:false\na<br>b\tc &amp; d\n");
        assert_eq!(decks[0].cards[0].front, "a<br>b");
    }

    #[test]
    fn notetype_header_and_columns_labels() {
        let decks = ok(
            "#separator:,\n#html:false\n#notetype:Basic (and reversed card)\n#columns:Front,Back,Tags\nyes,はい,a b\n",
        );
        let cards = &decks[0].cards;
        assert_eq!(cards.len(), 2);
        assert_eq!(cards[1].front, "はい");
        assert_eq!(cards[1].tags, vec!["a", "b"]);
        assert_eq!(cards[1].id, format!("{}-2", cards[0].id));

        let decks = ok("#separator:,\n#notetype:Basic (optional reversed card)\nq1,a1,\nq2,a2,y\n");
        assert_eq!(decks[0].cards.len(), 3);

        // Copies of the stock types, as genanki and Anki name them.
        for name in [
            "Basic (and reversed card) (genanki)",
            "Basic (and reversed card)-8f3a1",
        ] {
            let decks = ok(&format!("#separator:,\n#notetype:{name}\nyes,はい\n"));
            assert_eq!(decks[0].cards.len(), 2, "{name}");
        }
        let decks = ok(
            "#separator:,\n#notetype:Basic (optional reversed card) (genanki)\nq1,a1,\nq2,a2,y\n",
        );
        assert_eq!(decks[0].cards.len(), 3);
    }

    #[test]
    fn image_occlusion_notes_are_left_out() {
        let decks = ok(
            "#separator:tab\n#html:true\n#notetype column:1\nImage Occlusion\t{{c1::image-occlusion:rect:left=.1}}\t<img src=x.png>\nBasic\tq\ta\nCloze (mine)\t{{c1::image-occlusion:rect:top=.2}}\t\n",
        );
        assert_eq!(decks[0].cards.len(), 1);
        assert_eq!(decks[0].cards[0].front, "q");
    }

    #[test]
    fn old_tags_line_comments_and_deck_ids() {
        let decks = ok(
            "tags:global\n#separator:tab\n#tags:more\n# a comment\n#deck:123\nq\ta\n# another comment\nq2\ta2\n",
        );
        assert_eq!(decks[0].name, "Imported");
        assert_eq!(decks[0].cards[0].tags, vec!["global", "more"]);
        assert_eq!(decks[0].cards[0].line, 6);
        assert_eq!(decks[0].cards[1].line, 8);
    }

    #[test]
    fn header_mistakes_and_duplicates_are_located() {
        let errors = parse(
            b"#separator:nope\n#html:maybe\n#guid column:0\n#separator:tab\n#guid column:1\ng1\tq\ta\ng1\tq2\ta2\n\tq3\ta3\nnone\t\tz\n",
            "export.txt",
            "D",
        )
        .expect_err("bad header");
        // Line 9's empty first field is not among them: that note is left out, as in Anki.
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![1, 2, 3, 7], "{errors:#?}");
        assert!(errors[3].message.contains("lines 6 and 7"));
    }

    /// Random bytes drawn from the characters these formats care about, through every text
    /// parser: errors are fine, panics are not.
    #[test]
    fn text_parsers_never_panic() {
        const ALPHABET: &[&[u8]] = &[
            b"\"",
            b",",
            b"\t",
            b"\n",
            b"\r\n",
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
            b";",
            b"[",
            b"]",
            b"\\",
            b"Q: ",
            b"A: ",
            b"C: ",
            b"Tags:",
            b"# ",
            b"#separator:",
            b"#html:",
            b"true",
            b"#guid column:",
            b"1",
            b"0",
            b"tags:",
            b"x",
            b" ",
            b"\xff",
            b"\xe3\x81",
            b"\xef\xbb\xbf",
            b"<style>",
            b"[sound:",
            b"#notetype:Cloze\n",
            b"#deck column:2\n",
            b"Basic (and reversed card)",
        ];
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..1000 {
            let len = (next() % 60) as usize;
            let mut input = Vec::new();
            for _ in 0..len {
                input.extend_from_slice(ALPHABET[(next() % ALPHABET.len() as u64) as usize]);
            }
            let _ = parse(&input, "fuzz.txt", "Fuzz");
            let _ = super::super::csv::parse_csv(&input, "fuzz.csv", "Fuzz");
            let _ = super::super::csv::parse_tsv(&input, "fuzz.tsv", "Fuzz");
            let _ = super::super::markdown::parse(&input, "fuzz.md", "Fuzz");
            let text = String::from_utf8_lossy(&input);
            let _ = html::strip(&text);
            let _ = html::cloze_cards(&text);
        }
    }

    /// Anki keeps notes with an empty field, and two notes may share a first field: an
    /// export of them imports, leaving out only the card with nothing on its back.
    #[test]
    fn empty_backs_are_left_out_and_repeated_fronts_numbered() {
        let input = "#separator:tab\n#html:true\n#notetype:Basic (and reversed card)\n\
                     bank\tside of a river\n\
                     bank\tplace for money\n\
                     only a front\t&nbsp;\n\
                     bank\t<br>\n";
        let import = super::parse(input.as_bytes(), "e.txt", "D").expect("imports");
        let cards: Vec<(&str, &str, &str)> = import.decks[0]
            .cards
            .iter()
            .map(|c| (c.id.as_str(), c.front.as_str(), c.back.as_str()))
            .collect();
        let first = card_id_from_text("bank");
        let second = format!("{first}.2");
        let reversed = card_id_from_text("side of a river");
        assert_eq!(
            cards,
            [
                (first.as_str(), "bank", "side of a river"),
                (format!("{first}-2").as_str(), "side of a river", "bank"),
                (second.as_str(), "bank", "place for money"),
                (format!("{first}-2.2").as_str(), "place for money", "bank"),
            ]
        );
        assert_ne!(reversed, first);
        assert_eq!(import.renamed.len(), 2, "{:?}", import.renamed);
        assert!(
            import.renamed[0].starts_with("line 5:"),
            "{:?}",
            import.renamed
        );
        // Line 6: both cards of the note with an empty back; line 7: the card with the empty
        // back, while its reverse (front `<br>`) has no front and makes no card.
        assert_eq!(import.skipped.len(), 2, "{:?}", import.skipped);
        assert!(
            import.skipped[0].starts_with("line 6: card 1"),
            "{:?}",
            import.skipped
        );
        assert!(
            import.skipped[1].starts_with("line 7: card 1"),
            "{:?}",
            import.skipped
        );
    }

    /// A note whose first field is only a picture (or `&nbsp;`) is fine in Anki: it is left
    /// out with a note, as a package of it would be, not refused with the whole file. A
    /// first field with nothing at all is still an error.
    #[test]
    fn a_picture_only_first_field_leaves_its_note_out() {
        let file = "#separator:tab\n#html:true\n#guid column:1\n#notetype column:2\n#deck column:3\nabc123\tBasic\tSigns\t\"<img src=\"\"stop.png\"\">\"\tstop sign\nabc124\tBasic\tSigns\t&nbsp;\tstop\nabc125\tBasic\tSigns\tWhat is 止まれ?\tstop\n";
        let import = super::parse(file.as_bytes(), "s.txt", "D").expect("imports");
        assert_eq!(import.decks[0].cards.len(), 1);
        assert_eq!(import.skipped.len(), 2, "{:?}", import.skipped);
        assert!(
            import.skipped[0].starts_with("line 6:"),
            "{:?}",
            import.skipped
        );
        assert!(
            import.skipped[1].starts_with("line 7:"),
            "{:?}",
            import.skipped
        );
        // An empty first field (Anki drops a picture from a plain-text export) is left out
        // too, as Anki leaves it out; a file of nothing else has no cards.
        let import = super::parse(
            b"#separator:tab\n#html:false\n\tstop sign\nWhat is \xe6\xad\xa2\xe3\x81\xbe\xe3\x82\x8c?\tstop\n",
            "p.txt",
            "D",
        )
        .expect("imports");
        assert_eq!(import.decks[0].cards.len(), 1);
        assert!(import.skipped[0].starts_with("line 3: the note's first field is empty"));
        let errors =
            parse(b"#separator:tab\n#html:true\n\tback\n", "e.txt", "D").expect_err("no cards");
        assert!(
            errors[0].message.starts_with("no cards to import"),
            "{errors:?}"
        );
    }

    #[test]
    fn a_guid_column_past_the_line_is_an_error() {
        let errors = parse(
            b"#separator:tab\n#html:false\n#guid column:9\nq\ta\tg1\n",
            "e.txt",
            "D",
        )
        .expect_err("guid column");
        assert_eq!(errors[0].line, 4, "{errors:?}");
        assert!(errors[0].message.contains("column 9"), "{errors:?}");
    }

    #[test]
    fn guids_become_valid_distinct_ids() {
        assert_eq!(guid_to_id("kB1basic01"), "kB1basic01");
        assert_eq!(guid_to_id("O#4oe6S1,q"), "O_234oe6S1_2cq");
        assert_eq!(guid_to_id("a_b"), "a_5fb");
        assert_ne!(guid_to_id("a_5fb"), guid_to_id("a_b"));
        let base91 = "!#$%&()*+,-./:;<=>?@[]^_`{|}~";
        assert!(is_valid_id(&guid_to_id(base91)));
        assert!(!guid_to_id(base91).contains('/'));
        assert_eq!(note_card_id("g", 1), "g");
        assert_eq!(note_card_id("g", 3), "g-3");
    }

    #[test]
    fn empty_and_invalid_input() {
        assert!(parse(b"", "e.txt", "D").is_err());
        assert!(parse(b"#separator:tab\n#html:false\n", "e.txt", "D").is_err());
        let errors =
            parse(b"#separator:tab\nok\tfine\nbad\xff\tx\n", "e.txt", "D").expect_err("utf8");
        assert_eq!(errors[0].line, 3);
        assert!(parse(b"#notetype:Cloze\nno deletions here\tx\n", "e.txt", "D").is_err());
        let errors = parse(b"#html:false\nfront only\t\n", "e.txt", "D").expect_err("empty back");
        assert!(
            errors[0].message.contains("no cards to import"),
            "{errors:?}"
        );
        // No deck name given: the file's stem names the deck.
        let decks = parse(b"q\ta\n", "exports/my deck.txt", " ").expect("stem");
        assert_eq!(decks[0].name, "my deck");
    }
}
