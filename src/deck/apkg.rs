//! Anki packages (`.apkg` deck exports and `.colpkg` collection backups) to decks.
//!
//! A package is a zip (reference/anki-formats.md 4.2). It is read in memory; no entry is ever
//! written to disk under its own name. The collection to read is chosen by the protobuf `meta`
//! entry: version 1 → `collection.anki2`, 2 → `collection.anki21`, 3 → zstd-compressed
//! `collection.anki21b`; without `meta`, `collection.anki21` if present, else
//! `collection.anki2`. There is no fallback: a modern export also carries a `collection.anki2`
//! that only holds a "please update Anki" note, and importing that instead of refusing would
//! hand the learner one nonsense card. That placeholder is recognised and refused too.
//!
//! The chosen collection is streamed into a temporary file this module names itself and opened
//! with SQLite read-only and `immutable=1` (modern collections are in WAL mode, which a
//! read-only connection could not otherwise open without creating side files). Both schema 11
//! (note types and decks as JSON in `col`) and schema 18 (`notetypes`, `fields`, `templates`,
//! `decks` tables, with template text inside protobuf blobs read by the small decoder below)
//! are understood.
//!
//! Cards: one per row of `cards`, as Anki created them. The note's fields go through the
//! card's template (`{{Field}}`, `{{#F}}…{{/F}}`, `{{^F}}…{{/F}}`, `{{cloze:F}}`, `{{hint:F}}`,
//! `{{text:F}}`, `{{type:F}}` (removed), `{{furigana:F}}`/`{{kana:F}}`/`{{kanji:F}}`, `{{Tags}}`,
//! `{{Deck}}`, `{{Subdeck}}`, `{{Card}}`, `{{Type}}`), then HTML becomes text (`html.rs`). The
//! back is the answer side without the question: `{{FrontSide}}` renders as nothing and
//! anything before `<hr id=answer>` is dropped, as Anki's own "Cards in Plain Text" export does.
//! A hint is shown as `(hint: …)`, since a terminal cannot hide it behind a click. Cards that
//! alt-prep's deck checks would refuse — an empty front (Anki's "empty card", including a cloze
//! card whose deletion is gone), an empty back, a side over [`MAX_TEXT_CHARS`], and Image
//! Occlusion cards (shapes on a picture, meaningless as text) — are skipped and
//! listed in [`ApkgImport::skipped`] rather than failing the whole package, which the learner
//! cannot easily edit.
//!
//! Ids and names:
//! - card id = the note's GUID, escaped into the characters card ids allow
//!   (`anki_text::guid_to_id`: `O#4oe6S1,q` → `O_234oe6S1_2cq`), for its first card (template
//!   ord 0, or cloze `c1`), and `<that>-N` for card *N* (ord N−1: the second template is `-2`,
//!   cloze `c3` is `-3`). This is the scheme `anki_text.rs` uses, so a text export and a
//!   package of the same notes give the same ids.
//! - decks keep Anki's names with `::` between levels (`ALT Prep::Interview`; schema 18 stores
//!   the levels separated by 0x1f); deck id = `csv::deck_id` of the name
//!   (`alt-prep-interview`), the same as for a text export (a second name with the same slug
//!   gets `-<hash>` appended). A card in a filtered deck goes to its home deck. Decks without
//!   cards (Anki's `Default`, parents) are not returned.
//! - tags come from the note; a card with queue −1 is `suspended`.
//!
//! History: the `revlog` rows Anki's own FSRS rebuilds a memory state from ([`fsrs_history`])
//! are brought along oldest first (`id` is the time in ms as the review time, `time` the
//! answer duration, clamped at 0): rows with a rating (ease 1–4), without those of type 4
//! (manual: set due date, forget) and 5 (rescheduled), which record no answer (reference
//! 4.2), and type 3 rows with factor 0 (cramming in a filtered deck with rescheduling off),
//! which did not change the schedule. The history starts at the last run of learning answers,
//! so a reset row ("Forget") or a forget that left none drops the answers before it; a card
//! Anki has as new comes in new. A log cut short (no learning answer) starts from SM-2's ease
//! and interval, a studied card with no answer from Anki's stored memory state
//! ([`ImportedStart`]).
//!
//! Refused, each with a message naming the file: files over 256 MiB, more than 1 GiB of
//! decompressed data (a zip bomb is stopped at the limit, not read to the end), anything not
//! a zip, entry names with `..` or an absolute path, a missing or placeholder collection, an
//! unknown `meta` version, a collection that is not SQLite or lacks Anki's tables, one whose
//! tables are views, virtual tables or have generated columns (computed while read, so a tiny
//! file could yield endless rows or huge values), and note types or notes with more than 256
//! fields. Media files are never opened: they are counted in
//! [`ApkgImport::media_skipped`].

use std::collections::{HashMap, HashSet};
use std::io::{Read, Seek, SeekFrom, Write};

use rusqlite::{Connection, OpenFlags, Row, types::ValueRef};

use super::anki_text::{guid_to_id, note_card_id, own_guid, tidy_deck_name};
use super::csv::{MAX_INPUT_BYTES, deck_id, is_valid_id, short_hash};
use super::draft::{
    CardDraft, DeckDraft, ImportedReview, ImportedSchedule, ImportedStart, LineError, Modified,
};
use super::html;

/// Most decompressed bytes read from one package (1 GiB), counting every entry read.
pub const MAX_DECOMPRESSED_BYTES: u64 = 1024 * 1024 * 1024;

/// Most fields a note type or note may have. Real note types have a handful; thousands would
/// only come from a damaged or hostile file.
pub const MAX_FIELDS: usize = 256;

/// Most entries a package may list (the collection, `meta`, `media` and media files: shared
/// decks with audio run to tens of thousands), keeping the zip index under ~35 MB.
pub const MAX_ENTRIES: usize = 100_000;

/// Longest card side kept, in characters: the limit `deck::validate` enforces on every
/// format (`MAX_FIELD_CHARS`), applied here so an over-long card is skipped, not fatal.
pub const MAX_TEXT_CHARS: usize = 100_000;

/// What a package held.
#[derive(Debug, Clone, PartialEq)]
pub struct ApkgImport {
    /// Decks with at least one card, sorted by name.
    pub decks: Vec<DeckDraft>,
    /// Notes that produced at least one card.
    pub notes: usize,
    /// Media files in the package, not imported (alt-prep shows text only).
    pub media_skipped: usize,
    /// `<img>` and `[sound:…]` references removed from card text.
    pub media_refs_removed: usize,
    /// Cards left out, each with the reason (e.g. an empty front).
    pub skipped: Vec<String>,
    /// The presets (Anki's deck options) of the decks the package's cards live in, when one
    /// of them has FSRS parameters of its own (fitted by Anki's optimizer, or typed in), and
    /// only from a package that brings review history, whose parameters are then the
    /// learner's own. Sorted by name.
    pub fsrs_presets: Vec<AnkiPreset>,
}

/// One of Anki's presets, as far as FSRS goes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AnkiPreset {
    pub name: String,
    /// Its own FSRS parameters, in Anki's order of preference: FSRS-6's, else FSRS-5's,
    /// else FSRS-4.5's (21, 19 or 17 numbers, as Anki keeps them); empty: FSRS's defaults.
    pub parameters: Vec<f32>,
    /// "Ignore cards reviewed before" (`YYYY-MM-DD`), empty when not set: Anki leaves out
    /// earlier reviews when it computes memory states.
    pub ignore_before: String,
}

/// Parse an `.apkg` or `.colpkg` held in memory. A refusal is one error at line 0 (the file
/// is binary); `file_name` only tells a `.colpkg` from an `.apkg`, so that advice to export
/// again names the right Anki menu item.
pub fn parse(input: &[u8], file_name: &str) -> Result<ApkgImport, Vec<LineError>> {
    let export = if file_name.to_ascii_lowercase().ends_with(".colpkg") {
        "File > Export > Anki Collection Package"
    } else {
        "File > Export > Anki Deck Package"
    };
    parse_with_limits(input, &Limits::default(), export)
        .map_err(|message| vec![LineError::new(0, message)])
}

/// Size limits, separate so tests can use small ones.
#[derive(Debug, Clone, Copy)]
struct Limits {
    input: usize,
    decompressed: u64,
    entries: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            input: MAX_INPUT_BYTES,
            decompressed: MAX_DECOMPRESSED_BYTES,
            entries: MAX_ENTRIES,
        }
    }
}

const META: &str = "meta";
const MEDIA: &str = "media";
const ANKI2: &str = "collection.anki2";
const ANKI21: &str = "collection.anki21";
const ANKI21B: &str = "collection.anki21b";

/// The work of [`parse`]; `export` names Anki's menu item for advice in messages.
fn parse_with_limits(input: &[u8], limits: &Limits, export: &str) -> Result<ApkgImport, String> {
    if input.len() > limits.input {
        return Err(format!(
            "the file is {} MiB; packages over {} MiB are refused",
            input.len() / (1024 * 1024),
            limits.input / (1024 * 1024)
        ));
    }
    // The zip crate indexes every entry (about 340 bytes each) before returning, so count
    // them first. Each one it can index starts with a central-directory signature, so this
    // count bounds theirs, whatever the end record claims.
    let entries = memchr::memmem::find_iter(input, b"PK\x01\x02").count();
    if entries > limits.entries {
        return Err(format!(
            "the package lists {entries} entries; packages with more than {} are refused",
            limits.entries
        ));
    }
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(input))
        .map_err(|e| format!("not a zip archive, so not an Anki package (.apkg/.colpkg): {e}"))?;
    if archive.has_duplicate_names() {
        return Err("the package lists the same entry twice; it may be damaged".to_string());
    }

    // Index entries by name, refusing unsafe names and counting media.
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut media_skipped = 0usize;
    for i in 0..archive.len() {
        let name = match archive.name_for_index(i) {
            Some(Ok(name)) => name.into_owned(),
            _ => {
                return Err(format!(
                    "entry {i} has an unreadable name; the package may be damaged"
                ));
            }
        };
        if !is_safe_entry_name(&name) {
            return Err(format!(
                "entry `{}` has an absolute path or `..`; refusing a package that tries to reach outside itself",
                name.escape_debug()
            ));
        }
        match name.as_str() {
            META | MEDIA | ANKI2 | ANKI21 | ANKI21B => {}
            _ if name.ends_with('/') => {}
            _ => media_skipped += 1,
        }
        index.insert(name, i);
    }

    let mut budget = limits.decompressed;
    let version = match index.get(META) {
        Some(&i) => {
            let mut meta = Vec::new();
            read_entry(
                &mut archive,
                i,
                false,
                &mut budget,
                limits.decompressed,
                &mut meta,
            )?;
            let version = proto::varint(&meta, 1)
                .map_err(|e| format!("the `meta` entry is not valid package metadata ({e})"))?
                .unwrap_or(0);
            match version {
                1..=3 => version,
                other => {
                    return Err(format!(
                        "the `meta` entry names package version {other}, which alt-prep does not know; in Anki use {export} with \"Support older Anki versions\" ticked"
                    ));
                }
            }
        }
        // No `meta` (packages from before it, or hand-made): the newest collection there.
        // In the packages that hold several, the older ones are placeholders.
        None if index.contains_key(ANKI21B) => 3,
        None if index.contains_key(ANKI21) => 2,
        None => 1,
    };
    let said_by = if index.contains_key(META) {
        "the package's `meta` entry says its cards are in"
    } else {
        "the package has no `meta` entry, so its cards should be in"
    };
    let (collection_name, zstd) = match version {
        3 => (ANKI21B, true),
        2 => (ANKI21, false),
        _ => (ANKI2, false),
    };
    let Some(&collection_index) = index.get(collection_name) else {
        let found = [ANKI2, ANKI21, ANKI21B]
            .into_iter()
            .filter(|n| index.contains_key(*n))
            .collect::<Vec<_>>();
        return Err(if found.is_empty() {
            "no Anki collection inside (expected collection.anki21b, collection.anki21 or collection.anki2); is this an Anki package?".to_string()
        } else {
            format!(
                "{said_by} `{collection_name}`, but that entry is missing (only {} is there{}); the file may be damaged, so export it again ({export})",
                found.join(", "),
                if found == [ANKI2] {
                    ", which in such packages is a placeholder"
                } else {
                    ""
                }
            )
        });
    };

    let mut temp = tempfile::NamedTempFile::new()
        .map_err(|e| format!("could not create a temporary file to read the collection: {e}"))?;
    read_entry(
        &mut archive,
        collection_index,
        zstd,
        &mut budget,
        limits.decompressed,
        temp.as_file_mut(),
    )
    .map_err(|e| format!("{collection_name}: {e}"))?;
    check_sqlite_header(temp.as_file_mut()).map_err(|e| format!("{collection_name}: {e}"))?;
    let conn = open_read_only(temp.path()).map_err(|e| format!("{collection_name}: {e}"))?;

    let collection = Collection::load(&conn).map_err(|e| format!("{collection_name}: {e}"))?;
    if collection.is_placeholder() {
        return Err(format!(
            "{collection_name} only holds Anki's \"please update\" placeholder note; the real cards are missing from this package (export it again: {export})"
        ));
    }
    let mut import = collection.into_decks();
    import.media_skipped = media_skipped;
    // A package whose every card had to be left out imported nothing: say so and why,
    // rather than succeed with an empty result.
    if import.decks.is_empty() && !import.skipped.is_empty() {
        return Err(format!(
            "none of its {} card(s) can be imported; the first: {}",
            import.skipped.len(),
            import.skipped[0]
        ));
    }
    drop(conn);
    drop(temp);
    Ok(import)
}

/// Entry names are only compared, never used as paths, but a package that tries path
/// traversal is not a genuine Anki export, so it is refused rather than trusted.
fn is_safe_entry_name(name: &str) -> bool {
    if name.is_empty() || name.contains('\0') {
        return false;
    }
    if name.starts_with('/') || name.starts_with('\\') {
        return false;
    }
    let bytes = name.as_bytes();
    if bytes.len() >= 2 && bytes[1] == b':' && bytes[0].is_ascii_alphabetic() {
        return false;
    }
    !name.split(['/', '\\']).any(|part| part == "..")
}

/// Stream entry `index` into `sink`, through zstd when `zstd`, stopping with an error once
/// `budget` bytes have been produced. The declared sizes in a zip can lie, so the limit is
/// enforced on the bytes actually read (`Read::take`).
fn read_entry<R: Read + Seek>(
    archive: &mut zip::ZipArchive<R>,
    index: usize,
    zstd: bool,
    budget: &mut u64,
    limit: u64,
    sink: &mut impl Write,
) -> Result<(), String> {
    let entry = archive
        .by_index(index)
        .map_err(|e| format!("could not open this entry: {e}"))?;
    let copied = if zstd {
        let decoder = zstd::stream::read::Decoder::new(entry)
            .map_err(|e| format!("could not start zstd decompression: {e}"))?;
        std::io::copy(&mut decoder.take(*budget + 1), sink)
            .map_err(|e| format!("could not decompress (zstd): {e}"))?
    } else {
        std::io::copy(&mut entry.take(*budget + 1), sink)
            .map_err(|e| format!("could not decompress: {e}"))?
    };
    if copied > *budget {
        return Err(format!(
            "decompresses to more than {} MiB; refusing what looks like a zip bomb",
            limit / (1024 * 1024)
        ));
    }
    *budget -= copied;
    Ok(())
}

fn check_sqlite_header(file: &mut std::fs::File) -> Result<(), String> {
    file.flush().map_err(|e| e.to_string())?;
    file.seek(SeekFrom::Start(0)).map_err(|e| e.to_string())?;
    let mut header = [0u8; 16];
    let mut read = 0;
    while read < header.len() {
        match file.read(&mut header[read..]) {
            Ok(0) => break,
            Ok(n) => read += n,
            Err(e) => return Err(e.to_string()),
        }
    }
    if &header[..read] != b"SQLite format 3\0" {
        return Err(
            "not an SQLite database, so not an Anki collection; the package may be damaged"
                .to_string(),
        );
    }
    Ok(())
}

fn open_read_only(path: &std::path::Path) -> Result<Connection, String> {
    let uri = format!(
        "file:{}?mode=ro&immutable=1",
        uri_escape(&path.to_string_lossy())
    );
    let conn = Connection::open_with_flags(
        uri,
        OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| format!("could not open the collection: {e}"))?;
    // Anki declares its name columns `COLLATE unicase`, a collation only Anki registers;
    // without one SQLite refuses even a plain SELECT on those tables. Any collation a file asks
    // for gets a case-insensitive stand-in, which is all reading needs.
    conn.collation_needed(register_collation)
        .map_err(|e| format!("could not open the collection: {e}"))?;
    Ok(conn)
}

fn register_collation(conn: &Connection, name: &str) -> rusqlite::Result<()> {
    conn.create_collation(name, |a: &str, b: &str| {
        a.to_lowercase().cmp(&b.to_lowercase())
    })
}

/// Percent-encode a path for an SQLite `file:` URI.
fn uri_escape(path: &str) -> String {
    let mut out = String::new();
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"/-_.~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

// ---------------------------------------------------------------------------- collection

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NotetypeKind {
    Normal,
    Cloze,
}

#[derive(Debug, Clone)]
struct Template {
    ord: i64,
    name: String,
    qfmt: String,
    afmt: String,
}

#[derive(Debug, Clone)]
struct Notetype {
    name: String,
    kind: NotetypeKind,
    /// Field names by ord.
    fields: Vec<String>,
    templates: Vec<Template>,
}

struct Note {
    guid: String,
    mid: i64,
    /// `notes.mod`: when its text or tags last changed (Unix seconds).
    modified: i64,
    tags: Vec<String>,
    fields: Vec<String>,
}

struct CardRow {
    id: i64,
    nid: i64,
    deck: i64,
    ord: i64,
    queue: i64,
    /// Anki's card type: 0 new, 1 learning, 2 review, 3 relearning.
    kind: i64,
    /// A day number (days since the collection's `crt`) or, for an intraday (re)learning
    /// card, Unix seconds; the home deck's due date for a card in a filtered deck.
    due: i64,
    ivl: i64,
    reps: i64,
    lapses: i64,
    /// SM-2 ease factor in permille (2500 = 250 %); FSRS writes its difficulty here too.
    factor: i64,
    /// `cards.mod`: when its schedule, suspension or deck last changed (Unix seconds).
    modified: i64,
}

/// One `revlog` row, as Anki's FSRS reads it to rebuild a memory state.
#[derive(Debug, Clone, Copy)]
struct RevlogRow {
    time_ms: i64,
    /// Button, 1–4; 0 for a row that records no answer (manual, rescheduled).
    ease: i64,
    /// 0 learning, 1 review, 2 relearning, 3 filtered, 4 manual, 5 rescheduled.
    kind: i64,
    factor: i64,
    /// Interval after the answer: days when positive, seconds when negative.
    ivl: i64,
    duration_ms: i64,
}

impl RevlogRow {
    fn graded(&self) -> bool {
        (1..=4).contains(&self.ease) && (0..=3).contains(&self.kind)
    }

    /// Cramming in a filtered deck with rescheduling off: changed nothing.
    fn cramming(&self) -> bool {
        self.kind == 3 && self.factor == 0
    }

    /// "Forget"/"Reset" (Anki's `RevlogEntry::is_reset`: manual, ease factor 0; a
    /// set-due-date row keeps the card's factor): the card became new again.
    fn reset(&self) -> bool {
        self.kind == 4 && self.ease == 0 && self.factor == 0
    }
}

/// The answers Anki's FSRS rebuilds a card's memory state from, and where it starts
/// (Anki's `reviews_for_fsrs` for a memory state, then `single_card_revlog_to_item`): walking
/// back from the latest row, the history begins at the last unbroken run of learning
/// answers, so a "Forget" that left no row (older Anki versions) still drops what came
/// before; a reset row does too. With no learning answer left (a log cut short), it begins at
/// the first answer that gave an interval of a day or more, and FSRS starts from SM-2's ease
/// and interval at that answer. Cramming rows and rows without an answer are left out.
fn fsrs_history(
    rows: &[RevlogRow],
    ignore_before_ms: i64,
) -> (Vec<ImportedReview>, Option<ImportedStart>) {
    let mut first_learn = None;
    let mut first_grade = None;
    let mut complete = false;
    for (index, row) in rows.iter().enumerate().rev() {
        if row.cramming() {
            continue;
        }
        let graded = row.graded();
        // An incomplete history starts at the first day-or-more answer after the preset's
        // "Ignore cards reviewed before" date.
        if graded && row.time_ms > ignore_before_ms && (row.ivl >= 1 || row.ivl <= -86_400) {
            first_grade = Some(index);
        }
        if graded && row.kind == 0 {
            first_learn = Some(index);
            complete = true;
        } else if row.reset() {
            if first_learn.is_some() {
                break;
            } else if first_grade.is_some() {
                complete = false;
                break;
            }
            return (Vec::new(), None);
        } else if first_learn.is_some() {
            break;
        }
    }
    // Learning before the cut-off date is ignored: the history then starts at the first
    // answer after it, from SM-2's state there.
    if first_learn.is_some_and(|i| rows[i].time_ms < ignore_before_ms) {
        first_learn = None;
        complete = false;
    }
    let Some(from) = first_learn.or(first_grade) else {
        return (Vec::new(), None);
    };
    let kept: Vec<&RevlogRow> = rows[from..]
        .iter()
        .filter(|r| r.graded() && !r.cramming())
        .collect();
    let start = match kept.first() {
        Some(first) if !complete => Some(ImportedStart::Sm2 {
            ease_factor: if first.factor == 0 {
                2500
            } else {
                first.factor
            } as f32
                / 1000.0,
            interval_days: first.ivl.max(1) as f32,
        }),
        _ => None,
    };
    let history = kept
        .into_iter()
        .map(|r| ImportedReview {
            time_ms: r.time_ms,
            rating: u8::try_from(r.ease).unwrap_or(3),
            duration_ms: r.duration_ms.max(0),
        })
        .collect();
    (history, start)
}

/// Where FSRS starts a studied card with no answer to replay (Anki's
/// `Card::set_memory_state` without a review log): the state Anki keeps on the card, else
/// one inferred from SM-2's ease and interval (as after "Set due date" on a new card).
/// `stored`: the card's `data` column ([`stored_memory`]).
fn start_without_history(card: &CardRow, stored: Option<(f32, f32)>) -> Option<ImportedStart> {
    if card.kind == 0 {
        return None;
    }
    if let Some((stability, difficulty)) = stored {
        return Some(ImportedStart::Stored {
            stability,
            difficulty,
        });
    }
    Some(ImportedStart::Sm2 {
        ease_factor: if card.factor <= 0 { 2500 } else { card.factor } as f32 / 1000.0,
        interval_days: card.ivl.max(1) as f32,
    })
}

/// `{"s": …, "d": …}` from a card's `data` column, when both are sane numbers.
fn stored_memory(data: &str) -> Option<(f32, f32)> {
    let value: serde_json::Value = serde_json::from_str(data).ok()?;
    let number = |key: &str| value.get(key)?.as_f64().map(|n| n as f32);
    let (s, d) = (number("s")?, number("d")?);
    (s.is_finite() && d.is_finite() && s > 0.0 && (1.0..=10.0).contains(&d)).then_some((s, d))
}

struct Collection {
    /// When the collection was created (Unix seconds, at its day rollover): day 0 of the
    /// cards' day numbers.
    crt: Option<i64>,
    notetypes: HashMap<i64, Notetype>,
    decks: HashMap<i64, String>,
    notes: HashMap<i64, Note>,
    cards: Vec<CardRow>,
    history: HashMap<i64, Vec<ImportedReview>>,
    /// [`CardDraft::start`] of the cards that need one, by card id.
    starts: HashMap<i64, ImportedStart>,
    /// Exported with scheduling ([`CardDraft::schedule_known`]).
    schedule_included: bool,
    /// The presets of the decks the cards live in, whatever the package holds.
    fsrs_presets: Vec<AnkiPreset>,
}

/// The schedule Anki gave a studied card ([`ImportedSchedule`]); `None` for a new card, an
/// unknown type, or a due date that cannot be placed (a day number without the collection's
/// creation time, or a time outside 1970–9999).
fn imported_schedule(card: &CardRow, crt: Option<i64>) -> Option<ImportedSchedule> {
    let state = u8::try_from(card.kind)
        .ok()
        .filter(|k| (1..=3).contains(k))?;
    // Anki stores an intraday learning card's due time in seconds and a day-learning or
    // review card's as a day number: numbers this large are only ever seconds.
    let intraday = state != 2 && card.due > 1_000_000_000;
    let due_at = if intraday {
        card.due
    } else {
        crt?.checked_add(card.due.checked_mul(86_400)?)?
            .checked_add(12 * 3600)?
    };
    if !(0..=253_402_300_799).contains(&due_at) {
        return None;
    }
    let count = |n: i64| u32::try_from(n.max(0)).unwrap_or(u32::MAX);
    Some(ImportedSchedule {
        state,
        due_at,
        intraday,
        interval_days: count(card.ivl).min(36_500),
        reps: count(card.reps),
        lapses: count(card.lapses),
    })
}

/// A text column, whatever SQLite type affinity left in it.
fn text(row: &Row<'_>, idx: usize) -> rusqlite::Result<String> {
    Ok(match row.get_ref(idx)? {
        ValueRef::Null => String::new(),
        ValueRef::Integer(i) => i.to_string(),
        ValueRef::Real(f) => f.to_string(),
        ValueRef::Text(t) | ValueRef::Blob(t) => String::from_utf8_lossy(t).into_owned(),
    })
}

/// An integer column, leniently: a damaged file's text or real there reads as a number or 0
/// rather than refusing the package for a scheduling detail.
fn int(row: &Row<'_>, idx: usize) -> rusqlite::Result<i64> {
    Ok(match row.get_ref(idx)? {
        ValueRef::Integer(i) => i,
        ValueRef::Real(f) if f.is_finite() => f as i64,
        ValueRef::Text(t) => std::str::from_utf8(t)
            .ok()
            .and_then(|t| t.trim().parse().ok())
            .unwrap_or(0),
        _ => 0,
    })
}

fn blob(row: &Row<'_>, idx: usize) -> rusqlite::Result<Vec<u8>> {
    Ok(match row.get_ref(idx)? {
        ValueRef::Text(t) | ValueRef::Blob(t) => t.to_vec(),
        _ => Vec::new(),
    })
}

fn query<T>(
    conn: &Connection,
    what: &str,
    sql: &str,
    mut map: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
) -> Result<Vec<T>, String> {
    let fail = |e: rusqlite::Error| {
        format!("could not read {what} ({e}); this is not an Anki collection or it is damaged")
    };
    let mut stmt = conn.prepare(sql).map_err(fail)?;
    let rows = stmt.query_map([], |row| map(row)).map_err(fail)?;
    rows.collect::<Result<Vec<T>, _>>().map_err(fail)
}

/// Whether `table` has every one of `columns`.
fn has_columns(conn: &Connection, table: &str, columns: &[&str]) -> Result<bool, String> {
    let names = query(
        conn,
        "the table layout",
        &format!("SELECT name FROM pragma_table_info('{table}')"),
        |row| text(row, 0),
    )?;
    Ok(columns.iter().all(|c| names.iter().any(|n| n == c)))
}

impl Collection {
    fn load(conn: &Connection) -> Result<Self, String> {
        let schema18 = query(
            conn,
            "the table list",
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'notetypes'",
            |row| row.get::<_, i64>(0),
        )?
        .first()
        .is_some_and(|n| *n > 0);
        for table in COLLECTION_TABLES {
            check_plain_table(conn, table)?;
        }
        let (notetypes, decks) = if schema18 {
            (load_notetypes_18(conn)?, load_decks_18(conn)?)
        } else {
            // Schema 15 and later keep note types in their own table, not in `col.models`.
            // (Hand-made collections may have no `ver`: then `col.models` says what it is.)
            let version = query(
                conn,
                "the collection version",
                "SELECT ver FROM col",
                |row| row.get::<_, i64>(0),
            )
            .unwrap_or_default();
            if let Some(version) = version.first().filter(|v| **v >= 15) {
                return Err(format!(
                    "the collection (Anki schema {version}) has no `notetypes` table, where that schema keeps its note types; the package is damaged or incomplete"
                ));
            }
            load_models_and_decks_11(conn)?
        };

        let mut notes = HashMap::new();
        let note_mod = if has_columns(conn, "notes", &["mod"])? {
            "mod"
        } else {
            "0"
        };
        for (id, guid, mid, tags, flds, modified) in query(
            conn,
            "the notes",
            &format!("SELECT id, guid, mid, tags, flds, {note_mod} FROM notes"),
            |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    text(row, 1)?,
                    row.get::<_, i64>(2)?,
                    text(row, 3)?,
                    text(row, 4)?,
                    int(row, 5)?,
                ))
            },
        )? {
            let fields: Vec<String> = flds.split('\x1f').map(str::to_string).collect();
            if fields.len() > MAX_FIELDS {
                return Err(format!(
                    "note {id} has {} fields; notes with more than {MAX_FIELDS} are refused",
                    fields.len()
                ));
            }
            let mut tag_list: Vec<String> = Vec::new();
            for tag in tags.split(|c: char| c.is_whitespace()) {
                if !tag.is_empty() && !tag_list.iter().any(|t| t == tag) {
                    tag_list.push(tag.to_string());
                }
            }
            notes.insert(
                id,
                Note {
                    guid: guid.trim().to_string(),
                    mid,
                    modified,
                    tags: tag_list,
                    fields,
                },
            );
        }

        // Anki always writes the scheduling columns; a package made by another tool may not,
        // and its cards then come in without Anki's schedule.
        let scheduling = has_columns(
            conn,
            "cards",
            &["type", "due", "odue", "ivl", "reps", "lapses"],
        )?;
        let extra = if has_columns(conn, "cards", &["factor", "mod"])? {
            "factor, mod"
        } else {
            "0, 0"
        };
        // Read only for the few cards without a log to replay ([`start_without_history`]).
        let data_column = has_columns(conn, "cards", &["data"])?;
        let cards = query(
            conn,
            "the cards",
            &if scheduling {
                format!(
                    "SELECT id, nid, did, odid, ord, queue, type, due, odue, ivl, reps, lapses, {extra}
                     FROM cards ORDER BY nid, ord, id"
                )
            } else {
                "SELECT id, nid, did, odid, ord, queue, 0, 0, 0, 0, 0, 0, 0, 0
                 FROM cards ORDER BY nid, ord, id"
                    .to_owned()
            },
            |row| {
                let did: i64 = row.get(2)?;
                let odid: i64 = row.get(3)?;
                let odue = int(row, 8)?;
                Ok(CardRow {
                    id: row.get(0)?,
                    nid: row.get(1)?,
                    // A card in a filtered deck belongs to its home deck, and its due date
                    // there is the original one.
                    deck: if odid != 0 { odid } else { did },
                    ord: row.get(4)?,
                    queue: row.get(5)?,
                    kind: int(row, 6)?,
                    due: if odid != 0 && odue != 0 {
                        odue
                    } else {
                        int(row, 7)?
                    },
                    ivl: int(row, 9)?,
                    reps: int(row, 10)?,
                    lapses: int(row, 11)?,
                    factor: int(row, 12)?,
                    modified: int(row, 13)?,
                })
            },
        )?;
        let crt = if has_columns(conn, "col", &["crt"])? {
            query(conn, "the collection", "SELECT crt FROM col", |row| {
                int(row, 0)
            })?
            .first()
            .copied()
            .filter(|crt| *crt > 0)
        } else {
            None
        };

        // Anki's export without scheduling empties the review log and makes every card new
        // and unsuspended: a log row, a studied card or a suspended or buried one means the
        // package holds each card's whole schedule.
        let mut schedule_included = cards.iter().any(|c| c.kind != 0 || c.queue < 0);
        let mut rows: HashMap<i64, Vec<RevlogRow>> = HashMap::new();
        // (Anki always writes `ivl`; a hand-made log without it counts each answer as giving
        // a day or more.)
        let ivl = if has_columns(conn, "revlog", &["ivl"])? {
            "ivl"
        } else {
            "1"
        };
        for (cid, row) in query(
            conn,
            "the review log",
            &format!("SELECT id, cid, ease, time, type, factor, {ivl} FROM revlog ORDER BY id"),
            |row| {
                Ok((
                    row.get::<_, i64>(1)?,
                    RevlogRow {
                        time_ms: row.get(0)?,
                        ease: int(row, 2)?,
                        duration_ms: int(row, 3)?,
                        kind: int(row, 4)?,
                        factor: int(row, 5)?,
                        ivl: int(row, 6)?,
                    },
                ))
            },
        )? {
            schedule_included = true;
            rows.entry(cid).or_default().push(row);
        }
        // Presets are settings, not content: one that cannot be read costs the learner only
        // what it would have changed (its parameters, its cut-off), never the import.
        let homes: HashSet<i64> = cards.iter().map(|c| c.deck).collect();
        let presets = fsrs_presets(conn, schema18, &homes).unwrap_or_default();
        let mut history = HashMap::new();
        let mut starts = HashMap::new();
        for card in &cards {
            // A card Anki has as new starts afresh here too, whatever its log holds (a
            // "Forget" that left no row). (Without Anki's scheduling columns, a hand-made
            // package, every card reads as new: its log is all there is.)
            if scheduling && card.kind == 0 {
                continue;
            }
            let cutoff = presets.cutoffs.get(&card.deck).copied().unwrap_or(0);
            let (answers, start, all_before_cutoff) = rows
                .remove(&card.id)
                .map(|rows| {
                    let (answers, start) = fsrs_history(&rows, cutoff);
                    let all_before = answers.is_empty() && cutoff > 0 && !rows.is_empty();
                    (answers, start, all_before)
                })
                .unwrap_or_default();
            let start = if answers.is_empty() {
                // Every answer before the preset's cut-off: Anki has no memory state for the
                // card and starts FSRS from SM-2's ease and interval at its next answer, not
                // from the state stored before the cut-off was set.
                let stored = if data_column && !all_before_cutoff {
                    conn.prepare_cached("SELECT data FROM cards WHERE id = ?1")
                        .and_then(|mut stmt| stmt.query_row([card.id], |row| text(row, 0)))
                        .ok()
                        .and_then(|data| stored_memory(&data))
                } else {
                    None
                };
                start_without_history(card, stored)
            } else {
                start
            };
            if let Some(start) = start {
                starts.insert(card.id, start);
            }
            if !answers.is_empty() {
                history.insert(card.id, answers);
            }
        }

        let fsrs_presets = presets.presets;
        Ok(Self {
            crt,
            notetypes,
            decks,
            notes,
            cards,
            history,
            starts,
            schedule_included,
            fsrs_presets,
        })
    }

    /// Anki's `write_dummy_collection`: a single note asking to update Anki.
    fn is_placeholder(&self) -> bool {
        self.notes.len() == 1
            && self.notes.values().any(|n| {
                n.fields
                    .first()
                    .is_some_and(|f| f.contains("Please update to the latest Anki version"))
            })
    }

    fn into_decks(mut self) -> ApkgImport {
        let mut decks: Vec<DeckDraft> = Vec::new();
        let mut deck_index: HashMap<String, usize> = HashMap::new();
        let mut ids_in_deck: Vec<HashSet<String>> = Vec::new();
        let mut notes_used: HashSet<i64> = HashSet::new();
        let mut skipped = Vec::new();
        let mut media_refs = 0usize;

        for card in &self.cards {
            let Some(note) = self.notes.get(&card.nid) else {
                skipped.push(format!(
                    "card {}: its note {} is missing",
                    card.id, card.nid
                ));
                continue;
            };
            let Some(notetype) = self.notetypes.get(&note.mid) else {
                skipped.push(format!(
                    "card {} (note {}): its note type {} is missing",
                    card.id, note.guid, note.mid
                ));
                continue;
            };
            let template = match notetype.kind {
                NotetypeKind::Cloze => notetype.templates.iter().min_by_key(|t| t.ord),
                NotetypeKind::Normal => notetype.templates.iter().find(|t| t.ord == card.ord),
            };
            let Some(template) = template else {
                skipped.push(format!(
                    "card {} (note {}): note type \"{}\" has no template {}",
                    card.id, note.guid, notetype.name, card.ord
                ));
                continue;
            };
            let deck_name = self
                .decks
                .get(&card.deck)
                .cloned()
                .unwrap_or_else(|| "Default".to_string());
            let cloze_number = match notetype.kind {
                NotetypeKind::Cloze => u16::try_from(card.ord.saturating_add(1)).ok(),
                NotetypeKind::Normal => None,
            };
            let ctx = RenderContext {
                notetype,
                note,
                deck: &deck_name,
                template,
                cloze_number,
            };
            let front = html::strip(&ctx.render(&template.qfmt, true));
            let answer = ctx.render(&template.afmt, false);
            let back = html::strip(after_answer_rule(&answer));
            let front_text = front.text.replace('\0', "");
            let back_text = back.text.replace('\0', "");
            // A note first exported by alt-prep keeps its card id (see `own_guid`).
            let own = own_guid(&note.guid);
            let base = own.map_or_else(|| guid_to_id(&note.guid), |(_, card)| card.to_string());
            let number = u32::try_from(card.ord.saturating_add(1)).unwrap_or(u32::MAX);
            let id = note_card_id(&base, number);
            // Cards alt-prep's deck checks (`deck::validate`) would refuse are left out and
            // listed, so one odd card does not block the rest of a deck the learner cannot edit.
            let problem = if is_image_occlusion(note) {
                Some("image occlusion cards are pictures, which alt-prep cannot show".to_string())
            } else if front_text.is_empty() {
                Some("the front is empty".to_string())
            } else if cloze_number.is_some_and(|n| !note_has_cloze(note, n)) {
                Some(format!("no {{{{c{number}::…}}}} deletion is left for it"))
            } else if back_text.is_empty() {
                Some("the back is empty".to_string())
            } else if front_text.chars().count() > MAX_TEXT_CHARS
                || back_text.chars().count() > MAX_TEXT_CHARS
            {
                Some(format!("a side is longer than {MAX_TEXT_CHARS} characters"))
            } else if !is_valid_id(&id) {
                Some("its GUID is too long to make a card id".to_string())
            } else {
                None
            };
            if let Some(problem) = problem {
                skipped.push(format!(
                    "card {number} of note {} (\"{}\", deck \"{deck_name}\"): {problem}",
                    note.guid, notetype.name
                ));
                continue;
            }
            media_refs += front.media_removed + back.media_removed;
            let mut draft = CardDraft::new(id, front_text, back_text);
            draft.tags = note.tags.clone();
            draft.suspended = card.queue == -1;
            draft.global_id = own.is_none();
            draft.moves = draft.global_id;
            draft.schedule_known = self.schedule_included;
            // Hand-made packages without the columns read 0: nothing to compare.
            if note.modified > 0 && card.modified > 0 {
                draft.modified = Some(Modified {
                    note: note.modified,
                    card: card.modified,
                });
            }
            draft.history = self.history.remove(&card.id).unwrap_or_default();
            draft.start = self.starts.remove(&card.id);
            if !draft.history.is_empty() || draft.start.is_some() {
                draft.scheduled = imported_schedule(card, self.crt);
            }
            let index = match deck_index.get(&deck_name) {
                Some(index) => *index,
                None => {
                    let mut id = deck_id(&deck_name);
                    // Two names with one slug (`ALT prep`, `alt-prep`) stay two decks.
                    if decks.iter().any(|d| d.id == id) {
                        id = format!("{id}-{}", short_hash(&deck_name));
                    }
                    decks.push(DeckDraft {
                        id,
                        name: deck_name.clone(),
                        description: String::new(),
                        cards: Vec::new(),
                        prompts: Vec::new(),
                    });
                    ids_in_deck.push(HashSet::new());
                    deck_index.insert(deck_name.clone(), decks.len() - 1);
                    decks.len() - 1
                }
            };
            if let (Some(deck), Some(ids)) = (decks.get_mut(index), ids_in_deck.get_mut(index)) {
                if !ids.insert(draft.id.clone()) {
                    skipped.push(format!(
                        "card {number} of note {}: another card in deck \"{}\" already has the id `{}`",
                        note.guid, deck.name, draft.id
                    ));
                    continue;
                }
                deck.cards.push(draft);
                notes_used.insert(card.nid);
            }
        }
        decks.sort_by(|a, b| a.name.cmp(&b.name));
        // Parameters fitted to someone's reviews fit only that someone: a shared deck's
        // author's are left behind with the author's history.
        let with_history = decks
            .iter()
            .flat_map(|d| &d.cards)
            .any(|c| !c.history.is_empty());
        ApkgImport {
            decks,
            notes: notes_used.len(),
            media_skipped: 0,
            media_refs_removed: media_refs,
            skipped,
            fsrs_presets: if with_history
                && self.fsrs_presets.iter().any(|p| !p.parameters.is_empty())
            {
                std::mem::take(&mut self.fsrs_presets)
            } else {
                Vec::new()
            },
        }
    }
}

/// The presets of the decks in `homes` (the cards' home decks), sorted by name, one each:
/// schema 18 keeps a deck's preset in `decks.kind` (protobuf: normal deck = 1, its
/// `config_id` = 1) and presets in `deck_config.config` (`fsrs_params_6` = 6,
/// `fsrs_params_5` = 5, `fsrs_params_4` = 3, packed floats; `ignore_revlogs_before_date`
/// = 46); earlier schemas keep them as JSON in `col.decks` (`conf`) and `col.dconf`
/// (`fsrsParams6`, `fsrsParams5`, `fsrsWeights`, `ignoreRevlogsBeforeDate`). Presets no such
/// deck uses are left out (a collection package carries every one the learner ever made).
fn fsrs_presets(
    conn: &Connection,
    schema18: bool,
    homes: &HashSet<i64>,
) -> Result<Presets, String> {
    // Home deck → its preset's id.
    let mut used: HashMap<i64, i64> = HashMap::new();
    // Preset id → the preset.
    let mut presets: HashMap<i64, AnkiPreset> = HashMap::new();
    if schema18 {
        for (id, kind) in query(conn, "the decks", "SELECT id, kind FROM decks", |row| {
            Ok((row.get::<_, i64>(0)?, blob(row, 1)?))
        })? {
            if homes.contains(&id)
                && let Some(normal) = proto::bytes(&kind, 1)?
            {
                let config = proto::varint(normal, 1)?.unwrap_or(1);
                used.insert(
                    id,
                    i64::try_from(config).map_err(|_| "preset id too large")?,
                );
            }
        }
        check_plain_table(conn, "deck_config")?;
        for (id, name, config) in query(
            conn,
            "the presets",
            "SELECT id, name, config FROM deck_config",
            |row| Ok((row.get::<_, i64>(0)?, text(row, 1)?, blob(row, 2)?)),
        )? {
            if !used.values().any(|c| *c == id) {
                continue;
            }
            let mut parameters = Vec::new();
            for field in [6, 5, 3] {
                parameters = proto::floats(&config, field)?;
                if !parameters.is_empty() {
                    break;
                }
            }
            let ignore_before = proto::bytes(&config, 46)?
                .map(|b| String::from_utf8_lossy(b).into_owned())
                .unwrap_or_default();
            presets.insert(
                id,
                AnkiPreset {
                    name,
                    parameters,
                    ignore_before,
                },
            );
        }
    } else {
        let rows = query(conn, "the presets", "SELECT decks, dconf FROM col", |row| {
            Ok((text(row, 0)?, text(row, 1)?))
        })?;
        let Some((decks, dconf)) = rows.first() else {
            return Ok(Presets::default());
        };
        let json = |text: &str| -> Result<serde_json::Value, String> {
            serde_json::from_str(text).map_err(|e| format!("presets: {e}"))
        };
        let (decks, dconf) = (json(decks)?, json(dconf)?);
        for deck in decks.as_object().into_iter().flat_map(|o| o.values()) {
            if let Some(id) = json_id(deck.get("id")).filter(|id| homes.contains(id)) {
                used.insert(id, json_id(deck.get("conf")).unwrap_or(1));
            }
        }
        for preset in dconf.as_object().into_iter().flat_map(|o| o.values()) {
            let Some(id) = json_id(preset.get("id")).filter(|id| used.values().any(|c| c == id))
            else {
                continue;
            };
            let numbers = |key: &str| -> Vec<f32> {
                preset
                    .get(key)
                    .and_then(serde_json::Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(serde_json::Value::as_f64)
                            .map(|v| v as f32)
                            .collect()
                    })
                    .unwrap_or_default()
            };
            presets.insert(
                id,
                AnkiPreset {
                    name: json_str(preset, "name"),
                    parameters: ["fsrsParams6", "fsrsParams5", "fsrsWeights"]
                        .into_iter()
                        .map(numbers)
                        .find(|p| !p.is_empty())
                        .unwrap_or_default(),
                    ignore_before: json_str(preset, "ignoreRevlogsBeforeDate"),
                },
            );
        }
    }
    let cutoffs = used
        .iter()
        .filter_map(|(deck, config)| {
            let date = &presets.get(config)?.ignore_before;
            Some((*deck, ignore_before_ms(date)?))
        })
        .collect();
    let mut presets: Vec<AnkiPreset> = presets.into_values().collect();
    presets.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Presets { presets, cutoffs })
}

/// The presets of a package's decks ([`fsrs_presets`]).
#[derive(Debug, Default)]
struct Presets {
    presets: Vec<AnkiPreset>,
    /// Home deck → the time (Unix ms) before which its preset has Anki ignore reviews.
    cutoffs: HashMap<i64, i64>,
}

/// Anki's "Ignore cards reviewed before" date as the Unix milliseconds of that day's start
/// in UTC, as Anki reads it; `None` when not set or not a date.
fn ignore_before_ms(date: &str) -> Option<i64> {
    let date: jiff::civil::Date = date.trim().parse().ok()?;
    let start = jiff::tz::TimeZone::UTC
        .to_timestamp(date.at(0, 0, 0, 0))
        .ok()?;
    Some(start.as_millisecond())
}

/// Every table this module reads from a collection.
const COLLECTION_TABLES: [&str; 8] = [
    "col",
    "notes",
    "cards",
    "revlog",
    "notetypes",
    "fields",
    "templates",
    "decks",
];

/// A table read from a collection must hold its rows: not a view, a virtual table or one with
/// generated columns. Those are computed while reading, so a few bytes of schema could yield
/// endless rows (a recursive view) or gigabyte-long values (`printf('%.*c', 500000000, 'x')`),
/// a bomb the decompressed-bytes budget never sees. Anki uses none of them. A missing table is
/// left for the query that needs it to report.
fn check_plain_table(conn: &Connection, name: &str) -> Result<(), String> {
    let refuse = |what: &str| {
        Err(format!(
            "`{name}` is {what}, not a plain table as in every Anki collection; refusing a collection that computes its rows"
        ))
    };
    let rows = query(
        conn,
        "the table list",
        &format!(
            "SELECT type, coalesce(sql, '') FROM sqlite_master WHERE name = '{name}' COLLATE NOCASE"
        ),
        |row| Ok((text(row, 0)?, text(row, 1)?)),
    )?;
    for (kind, sql) in rows {
        if kind == "view" {
            return refuse("a view");
        }
        if kind == "table"
            && sql
                .trim_start()
                .to_ascii_lowercase()
                .starts_with("create virtual")
        {
            return refuse("a virtual table");
        }
    }
    let generated = query(
        conn,
        "the table columns",
        &format!("SELECT count(*) FROM pragma_table_xinfo('{name}') WHERE hidden IN (2, 3)"),
        |row| row.get::<_, i64>(0),
    )?;
    if generated.first().is_some_and(|n| *n > 0) {
        return refuse("a table with generated columns");
    }
    Ok(())
}

/// Image Occlusion notes are cloze notes whose deletions are shapes on a picture
/// (`{{c1::image-occlusion:rect:left=…}}`); as text they are meaningless.
fn is_image_occlusion(note: &Note) -> bool {
    note.fields.iter().any(|f| f.contains("::image-occlusion:"))
}

/// Whether any of the note's fields still has a deletion numbered `number`; a cloze card
/// without one is what Anki calls an empty card.
fn note_has_cloze(note: &Note, number: u16) -> bool {
    note.fields
        .iter()
        .any(|f| html::cloze_numbers(f).contains(&number))
}

fn check_field_count(name: &str, count: usize) -> Result<(), String> {
    if count > MAX_FIELDS {
        return Err(format!(
            "note type \"{name}\" has {count} fields; more than {MAX_FIELDS} are refused"
        ));
    }
    Ok(())
}

fn load_notetypes_18(conn: &Connection) -> Result<HashMap<i64, Notetype>, String> {
    let mut notetypes = HashMap::new();
    for (id, name, config) in query(
        conn,
        "the note types",
        "SELECT id, name, config FROM notetypes",
        |row| Ok((row.get::<_, i64>(0)?, text(row, 1)?, blob(row, 2)?)),
    )? {
        let kind = match proto::varint(&config, 1)
            .map_err(|e| format!("note type \"{name}\" has a damaged config ({e})"))?
        {
            Some(1) => NotetypeKind::Cloze,
            _ => NotetypeKind::Normal,
        };
        notetypes.insert(
            id,
            Notetype {
                name,
                kind,
                fields: Vec::new(),
                templates: Vec::new(),
            },
        );
    }
    let mut fields: HashMap<i64, Vec<(i64, String)>> = HashMap::new();
    for (ntid, ord, name) in query(
        conn,
        "the note type fields",
        "SELECT ntid, ord, name FROM fields",
        |row| Ok((row.get::<_, i64>(0)?, row.get::<_, i64>(1)?, text(row, 2)?)),
    )? {
        fields.entry(ntid).or_default().push((ord, name));
    }
    for (ntid, ord, name, config) in query(
        conn,
        "the card templates",
        "SELECT ntid, ord, name, config FROM templates",
        |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, i64>(1)?,
                text(row, 2)?,
                blob(row, 3)?,
            ))
        },
    )? {
        let Some(notetype) = notetypes.get_mut(&ntid) else {
            // Anki's exporter leaves rows for note types it did not include.
            continue;
        };
        let damaged = |e: String| {
            format!(
                "template \"{name}\" of \"{}\" is damaged ({e})",
                notetype.name
            )
        };
        let qfmt = proto::bytes(&config, 1)
            .map_err(damaged)?
            .unwrap_or_default();
        let afmt = proto::bytes(&config, 2)
            .map_err(damaged)?
            .unwrap_or_default();
        notetype.templates.push(Template {
            ord,
            name: name.clone(),
            qfmt: String::from_utf8_lossy(qfmt).into_owned(),
            afmt: String::from_utf8_lossy(afmt).into_owned(),
        });
        if notetype.templates.len() > MAX_FIELDS {
            return Err(format!(
                "note type \"{}\" has more than {MAX_FIELDS} templates; refused",
                notetype.name
            ));
        }
    }
    for (ntid, notetype) in &mut notetypes {
        let mut list = fields.remove(ntid).unwrap_or_default();
        check_field_count(&notetype.name, list.len())?;
        list.sort_by_key(|(ord, _)| *ord);
        notetype.fields = list.into_iter().map(|(_, name)| name).collect();
    }
    Ok(notetypes)
}

/// A deck name from the collection, tidied ([`tidy_deck_name`]); Anki's own `Default` when
/// nothing is left of it.
fn deck_name(raw: &str) -> String {
    let name = tidy_deck_name(raw);
    if name.is_empty() {
        "Default".to_string()
    } else {
        name
    }
}

fn load_decks_18(conn: &Connection) -> Result<HashMap<i64, String>, String> {
    Ok(
        query(conn, "the decks", "SELECT id, name FROM decks", |row| {
            Ok((row.get::<_, i64>(0)?, text(row, 1)?))
        })?
        .into_iter()
        .map(|(id, name)| {
            (
                id,
                deck_name(&name.split('\x1f').collect::<Vec<_>>().join("::")),
            )
        })
        .collect(),
    )
}

/// An id in Anki's JSON: a number, or (genanki) a string of digits.
fn json_id(value: Option<&serde_json::Value>) -> Option<i64> {
    match value? {
        serde_json::Value::Number(n) => n.as_i64(),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn json_str(value: &serde_json::Value, key: &str) -> String {
    value
        .get(key)
        .and_then(serde_json::Value::as_str)
        .unwrap_or_default()
        .to_string()
}

type ModelsAndDecks = (HashMap<i64, Notetype>, HashMap<i64, String>);

fn load_models_and_decks_11(conn: &Connection) -> Result<ModelsAndDecks, String> {
    let rows = query(
        conn,
        "the collection settings",
        "SELECT models, decks FROM col",
        |row| Ok((text(row, 0)?, text(row, 1)?)),
    )?;
    let Some((models_json, decks_json)) = rows.into_iter().next() else {
        return Err(
            "the `col` table is empty; this is not an Anki collection or it is damaged".to_string(),
        );
    };
    let models: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&models_json)
        .map_err(|e| format!("the note types (col.models) are not valid JSON ({e})"))?;
    let decks_map: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&decks_json)
            .map_err(|e| format!("the decks (col.decks) are not valid JSON ({e})"))?;

    let mut notetypes = HashMap::new();
    for (key, model) in &models {
        let Some(id) = json_id(model.get("id")).or_else(|| key.parse().ok()) else {
            return Err(format!("note type `{key}` in col.models has no usable id"));
        };
        let name = json_str(model, "name");
        let kind = match model.get("type").and_then(serde_json::Value::as_i64) {
            Some(1) => NotetypeKind::Cloze,
            _ => NotetypeKind::Normal,
        };
        let empty = Vec::new();
        let flds = model
            .get("flds")
            .and_then(serde_json::Value::as_array)
            .unwrap_or(&empty);
        check_field_count(&name, flds.len())?;
        let mut fields: Vec<(i64, String)> = flds
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let ord = f
                    .get("ord")
                    .and_then(serde_json::Value::as_i64)
                    .unwrap_or(i as i64);
                (ord, json_str(f, "name"))
            })
            .collect();
        fields.sort_by_key(|(ord, _)| *ord);
        let tmpls = model
            .get("tmpls")
            .and_then(serde_json::Value::as_array)
            .unwrap_or(&empty);
        if tmpls.len() > MAX_FIELDS {
            return Err(format!(
                "note type \"{name}\" has more than {MAX_FIELDS} templates; refused"
            ));
        }
        let templates = tmpls
            .iter()
            .enumerate()
            .map(|(i, t)| Template {
                ord: t
                    .get("ord")
                    .and_then(serde_json::Value::as_i64)
                    .unwrap_or(i as i64),
                name: json_str(t, "name"),
                qfmt: json_str(t, "qfmt"),
                afmt: json_str(t, "afmt"),
            })
            .collect();
        notetypes.insert(
            id,
            Notetype {
                name,
                kind,
                fields: fields.into_iter().map(|(_, n)| n).collect(),
                templates,
            },
        );
    }
    let mut decks = HashMap::new();
    for (key, deck) in &decks_map {
        if let Some(id) = json_id(deck.get("id")).or_else(|| key.parse().ok()) {
            decks.insert(id, deck_name(&json_str(deck, "name")));
        }
    }
    Ok((notetypes, decks))
}

// ---------------------------------------------------------------------------- templates

/// Everything a template can refer to for one card.
struct RenderContext<'a> {
    notetype: &'a Notetype,
    note: &'a Note,
    deck: &'a str,
    template: &'a Template,
    /// The card's cloze number (ord + 1) for cloze note types.
    cloze_number: Option<u16>,
}

#[derive(Debug)]
enum Node<'t> {
    Text(&'t str),
    Replace(&'t str),
    Section {
        key: &'t str,
        negated: bool,
        children: Vec<Node<'t>>,
    },
}

/// See `parse_template`.
const MAX_SECTION_DEPTH: usize = 32;

/// Parse Anki's Mustache-like template. Unclosed sections run to the end; a stray or
/// mismatched closing tag closes the nearest open section with that name, or is ignored.
fn parse_template(template: &str) -> Vec<Node<'_>> {
    struct Open<'t> {
        key: &'t str,
        negated: bool,
        children: Vec<Node<'t>>,
    }
    let mut root: Vec<Node<'_>> = Vec::new();
    let mut stack: Vec<Open<'_>> = Vec::new();
    let mut rest = template;

    fn push<'t>(root: &mut Vec<Node<'t>>, stack: &mut [Open<'t>], node: Node<'t>) {
        match stack.last_mut() {
            Some(open) => open.children.push(node),
            None => root.push(node),
        }
    }

    while let Some(start) = rest.find("{{") {
        let Some(len) = rest[start + 2..].find("}}") else {
            break;
        };
        if start > 0 {
            push(&mut root, &mut stack, Node::Text(&rest[..start]));
        }
        let inner = rest[start + 2..start + 2 + len].trim();
        rest = &rest[start + 2 + len + 2..];
        let opening = match (inner.strip_prefix('#'), inner.strip_prefix('^')) {
            (Some(key), _) => Some((key, false)),
            (_, Some(key)) => Some((key, true)),
            _ => None,
        };
        if let Some((key, negated)) = opening {
            // Sections nested deeper than any real template are dropped, keeping the
            // recursive rendering from overflowing the stack on a hostile file.
            if stack.len() < MAX_SECTION_DEPTH {
                stack.push(Open {
                    key: key.trim(),
                    negated,
                    children: Vec::new(),
                });
            }
        } else if let Some(key) = inner.strip_prefix('/') {
            let key = key.trim();
            if let Some(pos) = stack.iter().rposition(|o| o.key == key) {
                while stack.len() > pos {
                    let Some(open) = stack.pop() else { break };
                    let node = Node::Section {
                        key: open.key,
                        negated: open.negated,
                        children: open.children,
                    };
                    push(&mut root, &mut stack, node);
                }
            }
        } else {
            push(&mut root, &mut stack, Node::Replace(inner));
        }
    }
    if !rest.is_empty() {
        push(&mut root, &mut stack, Node::Text(rest));
    }
    while let Some(open) = stack.pop() {
        let node = Node::Section {
            key: open.key,
            negated: open.negated,
            children: open.children,
        };
        push(&mut root, &mut stack, node);
    }
    root
}

impl RenderContext<'_> {
    fn render(&self, template: &str, question: bool) -> String {
        let mut out = String::new();
        self.render_nodes(&parse_template(template), question, &mut out);
        out
    }

    fn render_nodes(&self, nodes: &[Node<'_>], question: bool, out: &mut String) {
        for node in nodes {
            match node {
                Node::Text(text) => out.push_str(text),
                Node::Replace(inner) => out.push_str(&self.replacement(inner, question)),
                Node::Section {
                    key,
                    negated,
                    children,
                } => {
                    if self.is_nonempty(key) != *negated {
                        self.render_nodes(children, question, out);
                    }
                }
            }
        }
    }

    fn field(&self, name: &str) -> Option<&str> {
        let position = self
            .notetype
            .fields
            .iter()
            .position(|f| f == name)
            .or_else(|| {
                self.notetype
                    .fields
                    .iter()
                    .position(|f| f.eq_ignore_ascii_case(name))
            })?;
        Some(self.note.fields.get(position).map_or("", String::as_str))
    }

    fn is_nonempty(&self, key: &str) -> bool {
        if let Some(value) = self.field(key) {
            return !html::field_is_empty(value);
        }
        match key {
            "Tags" => !self.note.tags.is_empty(),
            "Deck" | "Subdeck" | "Card" | "Type" => true,
            _ => {
                // `{{#c2}}…{{/c2}}` in a cloze template: whether this is card c2.
                key.strip_prefix('c')
                    .and_then(|n| n.parse::<u16>().ok())
                    .is_some_and(|n| Some(n) == self.cloze_number)
            }
        }
    }

    fn replacement(&self, inner: &str, question: bool) -> String {
        let mut parts: Vec<&str> = inner.split(':').map(str::trim).collect();
        let Some(name) = parts.pop() else {
            return String::new();
        };
        let mut filters = parts;
        // Text-to-speech means nothing in a terminal review.
        if filters
            .iter()
            .any(|f| f.starts_with("tts") || *f == "tts-voices")
        {
            return String::new();
        }
        // `{{type:Back}}` (Basic (type in the answer)) is a typing box on the question and the
        // correct answer on the answer side, which is all a terminal shows of it. Cloze
        // type-in templates also hold `{{cloze:Text}}`, which shows the answer already.
        if let Some(at) = filters.iter().position(|f| *f == "type") {
            if question || filters.contains(&"cloze") {
                return String::new();
            }
            filters.remove(at);
            filters.retain(|f| *f != "nc");
        }
        let mut value = if name == "FrontSide" {
            // The back is shown without the question; see `after_answer_rule`.
            String::new()
        } else if let Some(value) = self.field(name) {
            value.to_string()
        } else {
            match name {
                "Tags" => self.note.tags.join(" "),
                "Deck" => self.deck.to_string(),
                "Subdeck" => self
                    .deck
                    .rsplit("::")
                    .next()
                    .unwrap_or(self.deck)
                    .to_string(),
                "Card" => self.template.name.clone(),
                "Type" => self.notetype.name.clone(),
                _ => String::new(),
            }
        };
        // Filters apply from the one nearest the field name outwards.
        for filter in filters.iter().rev() {
            value = match *filter {
                "cloze" | "cloze-only" => match (self.cloze_number, question) {
                    (Some(n), true) => html::cloze_question(&value, n),
                    _ => html::cloze_answer(&value),
                },
                "hint" => {
                    if html::field_is_empty(&value) {
                        String::new()
                    } else {
                        format!("<div>(hint: {value})</div>")
                    }
                }
                "kanji" => furigana(&value, Reading::Kanji),
                "kana" => furigana(&value, Reading::Kana),
                "furigana" => furigana(&value, Reading::Both),
                // `text`, `nc` and unknown filters: the value as it is (HTML is stripped later).
                _ => value,
            };
        }
        value
    }
}

#[derive(Clone, Copy)]
enum Reading {
    Kanji,
    Kana,
    Both,
}

/// Anki's furigana syntax ` 漢字[かんじ]`: the base runs back to a space (which is only a
/// marker and is dropped) or a tag. Shown as base, reading, or `漢字(かんじ)`.
fn furigana(text: &str, mode: Reading) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let Some(close) = rest[open..].find(']').map(|c| open + c) else {
            break;
        };
        let reading = &rest[open + 1..close];
        if reading.starts_with("sound:") || reading.contains('[') {
            out.push_str(&rest[..=close]);
            rest = &rest[close + 1..];
            continue;
        }
        let before = &rest[..open];
        let base_start = before.rfind([' ', '>']).map_or(0, |i| i + 1);
        let (prefix, base) = before.split_at(base_start);
        out.push_str(prefix.strip_suffix(' ').unwrap_or(prefix));
        match mode {
            Reading::Kanji => out.push_str(base),
            Reading::Kana => out.push_str(reading),
            Reading::Both => {
                out.push_str(base);
                out.push('(');
                out.push_str(reading);
                out.push(')');
            }
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

/// The part of a rendered answer after `<hr id=answer>` (any quoting or case), or all of it.
fn after_answer_rule(answer: &str) -> &str {
    let lower = answer.to_ascii_lowercase();
    let mut from = 0;
    while let Some(pos) = lower[from..].find("<hr").map(|p| p + from) {
        let Some(end) = lower[pos..].find('>').map(|e| pos + e) else {
            break;
        };
        let tag: String = lower[pos..end]
            .chars()
            .filter(|c| !matches!(c, '"' | '\'' | ' '))
            .collect();
        if tag.contains("id=answer") {
            return &answer[end + 1..];
        }
        from = end;
    }
    answer
}

// ---------------------------------------------------------------------------- protobuf

/// Just enough protobuf to read `PackageMetadata.version`, `Notetype.Config.kind` and
/// `Template.Config.q_format`/`a_format`: varint and length-delimited fields, with fixed-width
/// ones skipped. A whole protobuf crate and generated code would be far more than this needs.
mod proto {
    enum Value<'a> {
        Varint(u64),
        Bytes(&'a [u8]),
        Other,
    }

    fn read_varint(buf: &[u8], pos: &mut usize) -> Result<u64, String> {
        let mut value: u64 = 0;
        for shift in (0..70).step_by(7) {
            let Some(&byte) = buf.get(*pos) else {
                return Err("truncated varint".to_string());
            };
            *pos += 1;
            if shift == 63 && byte > 1 {
                return Err("varint too long".to_string());
            }
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err("varint too long".to_string())
    }

    /// The last occurrence of field `number` (protobuf's rule for repeated scalars).
    fn find(buf: &[u8], number: u64) -> Result<Option<Value<'_>>, String> {
        let mut pos = 0;
        let mut found = None;
        while pos < buf.len() {
            let key = read_varint(buf, &mut pos)?;
            let field = key >> 3;
            if field == 0 {
                return Err("field number 0".to_string());
            }
            let value = match key & 7 {
                0 => Value::Varint(read_varint(buf, &mut pos)?),
                1 => {
                    pos = pos
                        .checked_add(8)
                        .filter(|p| *p <= buf.len())
                        .ok_or("truncated fixed64")?;
                    Value::Other
                }
                2 => {
                    let len = usize::try_from(read_varint(buf, &mut pos)?)
                        .map_err(|_| "length too large")?;
                    let end = pos
                        .checked_add(len)
                        .filter(|e| *e <= buf.len())
                        .ok_or("truncated field")?;
                    let bytes = &buf[pos..end];
                    pos = end;
                    Value::Bytes(bytes)
                }
                5 => {
                    pos = pos
                        .checked_add(4)
                        .filter(|p| *p <= buf.len())
                        .ok_or("truncated fixed32")?;
                    Value::Other
                }
                other => return Err(format!("unsupported wire type {other}")),
            };
            if field == number {
                found = Some(value);
            }
        }
        Ok(found)
    }

    /// Varint field `number`, if present.
    pub fn varint(buf: &[u8], number: u64) -> Result<Option<u64>, String> {
        match find(buf, number)? {
            Some(Value::Varint(v)) => Ok(Some(v)),
            Some(_) => Err(format!("field {number} is not a number")),
            None => Ok(None),
        }
    }

    /// Packed repeated `float` field `number` (empty if absent).
    pub fn floats(buf: &[u8], number: u64) -> Result<Vec<f32>, String> {
        let Some(packed) = bytes(buf, number)? else {
            return Ok(Vec::new());
        };
        if packed.len() % 4 != 0 {
            return Err(format!("field {number} is not a list of floats"));
        }
        Ok(packed
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect())
    }

    /// Length-delimited field `number` (a string or bytes), if present.
    pub fn bytes(buf: &[u8], number: u64) -> Result<Option<&[u8]>, String> {
        match find(buf, number)? {
            Some(Value::Bytes(b)) => Ok(Some(b)),
            Some(_) => Err(format!("field {number} is not a string")),
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        let path = format!(
            "{}/tests/fixtures/import/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::read(&path).unwrap_or_else(|e| panic!("read {path}: {e}"))
    }

    fn import(name: &str) -> ApkgImport {
        parse(&fixture(name), name).unwrap_or_else(|e| panic!("{name}: {e:?}"))
    }

    fn refused(name: &str) -> String {
        let errors = parse(&fixture(name), name).expect_err("should be refused");
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 0);
        errors[0].message.clone()
    }

    fn card<'a>(import: &'a ApkgImport, id: &str) -> &'a CardDraft {
        import
            .decks
            .iter()
            .flat_map(|d| &d.cards)
            .find(|c| c.id == id)
            .unwrap_or_else(|| panic!("no card {id} in {:#?}", import.decks))
    }

    fn deck_names(import: &ApkgImport) -> Vec<&str> {
        import.decks.iter().map(|d| d.name.as_str()).collect()
    }

    /// The cloze note's GUID is base91 with punctuation (tools/make_import_fixtures.py).
    fn cloze_id(number: u32) -> String {
        note_card_id(&guid_to_id("Cz#3/x,q!_"), number)
    }

    /// The notes every Anki-made fixture holds (tools/make_import_fixtures.py).
    fn check_anki_content(import: &ApkgImport) {
        assert_eq!(
            deck_names(import),
            vec!["ALT Prep::Classroom English", "ALT Prep::Interview"]
        );
        assert_eq!(import.decks[0].id, "alt-prep-classroom-english");
        assert_eq!(import.decks[1].id, "alt-prep-interview");
        assert_eq!(import.decks[0].cards.len(), 7);
        assert_eq!(import.decks[1].cards.len(), 3);
        assert_eq!(import.notes, 6);
        assert_eq!(import.media_skipped, 2);
        assert!(import.skipped.is_empty(), "{:?}", import.skipped);

        let basic = card(import, "kB1basic01");
        assert_eq!(basic.front, "What does ALT stand for?");
        assert_eq!(basic.back, "Assistant Language Teacher");
        assert_eq!(basic.tags, vec!["basics", "jet"]);
        assert_eq!(basic.line, 0);

        let reverse = card(import, "kB2rev0002-2");
        assert_eq!(reverse.front, "Stand up (start of class)");
        assert_eq!(reverse.back, "起立");

        let c1 = card(import, &cloze_id(1));
        assert_eq!(
            c1.front,
            "The JET Programme began in [...] and is run by CLAIR."
        );
        assert_eq!(
            c1.back,
            "The JET Programme began in 1987 and is run by CLAIR.\nExtra: about 5,000 participants a year."
        );
        let c2 = card(import, &cloze_id(2));
        assert_eq!(
            c2.front,
            "The JET Programme began in 1987 and is run by [an organisation]."
        );

        let recognition = card(import, "kB4vocab04");
        assert_eq!(recognition.front, "先生\n(hint: せんせい)");
        assert_eq!(recognition.back, "teacher");
        let production = card(import, "kB4vocab04-2");
        assert_eq!(production.front, "teacher");
        assert_eq!(production.back, "先生 (せんせい)");
        // The empty Reading hides the hint section and the reading.
        assert_eq!(card(import, "kB5vocab05").front, "黒板");
        assert_eq!(card(import, "kB5vocab05-2").back, "黒板");
        assert_eq!(import.media_refs_removed, 4);
    }

    #[test]
    fn latest_format_export() {
        let import = import("anki_latest.apkg");
        check_anki_content(&import);
        let all: Vec<&CardDraft> = import.decks.iter().flat_map(|d| &d.cards).collect();
        assert!(all.iter().all(|c| c.history.is_empty() && !c.suspended));
    }

    #[test]
    fn legacy_format_export_reads_anki21_not_the_placeholder() {
        check_anki_content(&import("anki_legacy.apkg"));
    }

    fn check_history(import: &ApkgImport) {
        check_anki_content(import);
        const T0: i64 = 1_743_465_600_000;
        let basic = card(import, "kB1basic01");
        // Its manual due-date change (ease 0, type 4) and reschedule (type 5) are left out.
        assert_eq!(
            basic.history,
            vec![ImportedReview {
                time_ms: T0,
                rating: 3,
                duration_ms: 2000
            }]
        );
        let mut all: Vec<&ImportedReview> = import
            .decks
            .iter()
            .flat_map(|d| &d.cards)
            .flat_map(|c| &c.history)
            .collect();
        assert_eq!(all.len(), 5);
        all.sort_by_key(|r| r.time_ms);
        let ratings: Vec<u8> = all.iter().map(|r| r.rating).collect();
        assert_eq!(ratings, vec![3, 1, 3, 4, 2]);
        assert!(
            all.windows(2)
                .all(|w| w[1].time_ms - w[0].time_ms == 86_400_000)
        );
        for card in import.decks.iter().flat_map(|d| &d.cards) {
            assert!(
                card.history
                    .windows(2)
                    .all(|w| w[0].time_ms <= w[1].time_ms)
            );
        }
        assert!(card(import, "kB6basic06").suspended);
        let suspended = import
            .decks
            .iter()
            .flat_map(|d| &d.cards)
            .filter(|c| c.suspended)
            .count();
        assert_eq!(suspended, 1);
    }

    #[test]
    fn latest_format_with_scheduling_brings_history() {
        check_history(&import("anki_latest_sched.apkg"));
    }

    #[test]
    fn legacy_format_with_scheduling_brings_history() {
        check_history(&import("anki_legacy_sched.apkg"));
    }

    #[test]
    fn collection_package() {
        check_history(&import("anki_collection.colpkg"));
    }

    #[test]
    fn genanki_package_with_custom_templates() {
        let import = import("genanki_mixed.apkg");
        assert_eq!(
            deck_names(&import),
            vec!["ALT Prep::Classroom English", "ALT Prep::Interview"]
        );
        assert_eq!(import.notes, 5);
        assert_eq!(import.media_skipped, 2);
        // genanki derived this GUID from the fields: base91, with an `@` to escape.
        let basic = card(&import, "Kfws30_40edc");
        assert_eq!(basic.front, "What does ALT stand for?");
        assert_eq!(basic.back, "Assistant Language Teacher");
        assert_eq!(basic.tags, vec!["jet", "basics"]);
        assert_eq!(
            card(&import, "gA2rev0002").back,
            "Stand up (start of class)"
        );
        assert_eq!(card(&import, "gA2rev0002-2").back, "起立");
        assert_eq!(
            card(&import, "gA3cloze03-2").front,
            "The JET Programme began in 1987 and is run by [an organisation]."
        );

        let recognition = card(&import, "gA4vocab04");
        assert_eq!(recognition.front, "先生\n(hint: せんせい)");
        assert_eq!(
            recognition.back,
            "teacher\nDeck: ALT Prep::Classroom English / Tags: vocab"
        );
        let production = card(&import, "gA4vocab04-2");
        assert_eq!(production.front, "Say in Japanese: teacher");
        assert_eq!(production.back, "先生 (せんせい)");
        assert_eq!(
            card(&import, "gA5vocab05-2").front,
            "Say in Japanese: blackboard (no reading given)"
        );
        assert_eq!(card(&import, "gA5vocab05-2").back, "黒板");
        assert_eq!(import.decks.iter().map(|d| d.cards.len()).sum::<usize>(), 9);
    }

    #[test]
    fn ids_match_the_text_export_of_the_same_notes() {
        let apkg = import("anki_latest.apkg");
        let text = super::super::anki_text::parse(
            &fixture("notes_all_columns_html.txt"),
            "notes.txt",
            "x",
        )
        .expect("text export");
        for (a, t) in apkg.decks.iter().zip(&text.decks) {
            assert_eq!(a.id, t.id);
            let a_ids: Vec<&str> = a.cards.iter().map(|c| c.id.as_str()).collect();
            let t_ids: Vec<&str> = t.cards.iter().map(|c| c.id.as_str()).collect();
            assert!(
                t_ids.iter().all(|id| a_ids.contains(id)),
                "{t_ids:?} vs {a_ids:?}"
            );
            // Only the custom note type's second template is unknowable from a text export.
            let extra: Vec<&&str> = a_ids.iter().filter(|id| !t_ids.contains(id)).collect();
            assert!(
                extra
                    .iter()
                    .all(|id| id.starts_with("kB4") || id.starts_with("kB5")),
                "{extra:?}"
            );
        }
    }

    /// Anki's `reviews_for_fsrs` rules, row by row.
    #[test]
    fn the_history_starts_where_anki_fsrs_starts_it() {
        let row = |time_ms: i64, ease: i64, kind: i64, ivl: i64, factor: i64| RevlogRow {
            time_ms,
            ease,
            kind,
            factor,
            ivl,
            duration_ms: 1,
        };
        let times = |rows: &[RevlogRow]| -> (Vec<i64>, Option<ImportedStart>) {
            let (history, start) = fsrs_history(rows, 0);
            (history.iter().map(|r| r.time_ms).collect(), start)
        };
        // Learning, review, a cram row and a set-due-date row (skipped, nothing dropped).
        let whole = [
            row(1, 3, 0, -600, 0),
            row(2, 3, 0, 1, 2500),
            row(3, 4, 3, 3, 0),
            row(4, 0, 4, 5, 2500),
            row(5, 3, 1, 9, 2500),
        ];
        assert_eq!(times(&whole), (vec![1, 2, 5], None));
        // A reset row, or a forget that left none, drops what came before the last learning.
        let reset = [
            row(1, 3, 0, 1, 2500),
            row(2, 0, 4, 0, 0),
            row(3, 3, 0, 1, 2500),
        ];
        assert_eq!(times(&reset), (vec![3], None));
        let lost_reset = [
            row(1, 3, 0, 1, 2500),
            row(2, 3, 1, 5, 2500),
            row(3, 3, 0, 1, 2500),
        ];
        assert_eq!(times(&lost_reset), (vec![3], None));
        // Reset and nothing answered since: no history.
        assert_eq!(
            times(&[row(1, 3, 0, 1, 2500), row(2, 0, 4, 0, 0)]),
            (vec![], None)
        );
        // Cut short: from the first answer giving a day or more, SM-2 state at it.
        let cut = [
            row(1, 1, 2, -600, 2300),
            row(2, 3, 1, 12, 2300),
            row(3, 3, 1, 30, 2300),
        ];
        assert_eq!(
            times(&cut),
            (
                vec![2, 3],
                Some(ImportedStart::Sm2 {
                    ease_factor: 2.3,
                    interval_days: 12.0
                })
            )
        );
    }

    #[test]
    fn malformed_packages_are_refused_with_a_reason() {
        assert!(refused("bad_truncated.apkg").contains("not a zip"));
        assert!(refused("bad_no_collection.apkg").contains("no Anki collection"));
        let dummy = refused("bad_only_dummy.apkg");
        assert!(
            dummy.contains("collection.anki21b") && dummy.contains("placeholder"),
            "{dummy}"
        );
        assert!(refused("bad_wrong_meta.apkg").contains("version 9"));
        assert!(refused("bad_zip_slip.apkg").contains(".."));
        assert!(refused("bad_missing_tables.apkg").contains("could not read"));
        assert!(refused("bad_not_sqlite.apkg").contains("not an SQLite database"));
        let no_notetypes = refused("bad_no_notetypes.apkg");
        assert!(
            no_notetypes.contains("no `notetypes` table"),
            "{no_notetypes}"
        );
        assert!(parse(b"", "empty.apkg").is_err());
        assert!(parse(b"PK\x03\x04garbage", "junk.apkg").is_err());
    }

    /// Build a zip in memory from (name, bytes), stored uncompressed.
    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = std::io::Cursor::new(Vec::new());
        {
            let mut writer = zip::ZipWriter::new(&mut out);
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Stored);
            for (name, bytes) in entries {
                writer.start_file(*name, options).expect("start entry");
                writer.write_all(bytes).expect("write entry");
            }
            writer.finish().expect("finish zip");
        }
        out.into_inner()
    }

    #[test]
    fn a_placeholder_only_package_is_refused_even_without_meta() {
        let latest = fixture("anki_latest.apkg");
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&latest)).expect("zip");
        let mut dummy = Vec::new();
        archive
            .by_name(ANKI2)
            .expect("dummy")
            .read_to_end(&mut dummy)
            .expect("read dummy");
        let package = zip_of(&[(ANKI2, &dummy)]);
        let errors = parse(&package, "old.apkg").expect_err("placeholder");
        assert!(errors[0].message.contains("placeholder"), "{errors:?}");
    }

    /// Without `meta`, the newest collection in the package is the real one (the older ones
    /// are placeholders when several are there): a package that lost its `meta` entry still
    /// gives its cards, and never the placeholder's note. A `meta` naming a missing entry
    /// says so, and calls what is there a placeholder only when it is the old one.
    #[test]
    fn without_meta_the_newest_collection_is_read() {
        let latest = fixture("anki_latest.apkg");
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&latest)).expect("zip");
        let mut entry = |name: &str| {
            let mut bytes = Vec::new();
            archive
                .by_name(name)
                .expect(name)
                .read_to_end(&mut bytes)
                .expect("read");
            bytes
        };
        let (real, dummy, meta) = (entry(ANKI21B), entry(ANKI2), entry(META));
        let whole = import("anki_latest.apkg");
        let without_meta = parse(&zip_of(&[(ANKI2, &dummy), (ANKI21B, &real)]), "x.apkg")
            .expect("reads collection.anki21b");
        assert_eq!(without_meta.decks, whole.decks);
        let only_real = parse(&zip_of(&[(ANKI21B, &real)]), "x.apkg").expect("reads it");
        assert_eq!(only_real.decks, whole.decks);
        // `meta` says version 3; with only the old entry there, that one is a placeholder.
        let errors =
            parse(&zip_of(&[(META, &meta), (ANKI2, &dummy)]), "x.apkg").expect_err("missing entry");
        assert!(
            errors[0].message.starts_with(
                "the package's `meta` entry says its cards are in `collection.anki21b`"
            ) && errors[0].message.contains("placeholder"),
            "{errors:?}"
        );
    }

    #[test]
    fn decompression_bombs_stop_at_the_limit() {
        // 32 MiB of zeros, zstd-compressed to a few KiB, as a latest-format collection.
        let zeros = vec![0u8; 32 * 1024 * 1024];
        let bomb = zstd::encode_all(&zeros[..], 3).expect("compress");
        assert!(bomb.len() < 64 * 1024);
        let package = zip_of(&[(META, b"\x08\x03"), (ANKI21B, &bomb)]);
        let limits = Limits {
            input: MAX_INPUT_BYTES,
            decompressed: 8 * 1024 * 1024,
            entries: MAX_ENTRIES,
        };
        let message = parse_with_limits(&package, &limits, "x").expect_err("bomb");
        assert!(message.contains("more than 8 MiB"), "{message}");
        let small = Limits {
            input: 1024,
            decompressed: MAX_DECOMPRESSED_BYTES,
            entries: MAX_ENTRIES,
        };
        let message = parse_with_limits(&package, &small, "x").expect_err("too big");
        assert!(
            message.contains("over 0 MiB") || message.contains("MiB"),
            "{message}"
        );
    }

    #[test]
    fn limits_are_stated_in_errors() {
        assert_eq!(MAX_DECOMPRESSED_BYTES, 1 << 30);
        let zeros = vec![0u8; 2 * 1024 * 1024];
        let package = zip_of(&[(ANKI2, &zeros)]);
        let limits = Limits {
            input: MAX_INPUT_BYTES,
            decompressed: 1024 * 1024,
            entries: MAX_ENTRIES,
        };
        let message = parse_with_limits(&package, &limits, "x").expect_err("limit");
        assert!(message.contains("1 MiB"), "{message}");
        let few = Limits {
            entries: 0,
            ..Limits::default()
        };
        let message = parse_with_limits(&package, &few, "x").expect_err("entries");
        assert!(
            message.contains("lists 1 entries; packages with more than 0 are refused"),
            "{message}"
        );
    }

    /// A schema-11 collection built here, for cases no exporter will make on request.
    fn collection11(models: &str, decks: &str, sql: &str) -> Vec<u8> {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("c.db");
        let conn = Connection::open(&path).expect("create");
        conn.execute_batch(
            "CREATE TABLE col (id integer primary key, models text, decks text);
             CREATE TABLE notes (id integer primary key, guid text, mid integer, tags text, flds text);
             CREATE TABLE cards (id integer primary key, nid integer, did integer, odid integer, ord integer, queue integer);
             CREATE TABLE revlog (id integer primary key, cid integer, ease integer, time integer, type integer, factor integer);",
        )
        .expect("schema");
        conn.execute("INSERT INTO col VALUES (1, ?1, ?2)", [models, decks])
            .expect("col");
        conn.execute_batch(sql).expect("rows");
        drop(conn);
        std::fs::read(&path).expect("read back")
    }

    /// A package whose every card is left out (here: note types it does not hold) is an error
    /// naming the first reason, not a quiet success that imports nothing.
    #[test]
    fn a_package_with_no_importable_card_is_refused() {
        let models = r#"{"1": {"name": 5, "flds": "x", "tmpls": null}}"#;
        let decks = r#"{"1": {"id": 1, "name": "Default"}}"#;
        let db = collection11(
            models,
            decks,
            "INSERT INTO notes VALUES (1, 'g1', 10, '', 'Front' || char(31) || 'Back');
             INSERT INTO cards VALUES (100, 1, 1, 0, 0, 0);",
        );
        let message = parse(&zip_of(&[(ANKI2, &db)]), "made.apkg").expect_err("nothing");
        let text = format!("{message:?}");
        assert!(
            text.contains("none of its 1 card(s) can be imported") && text.contains("note type 10"),
            "{text}"
        );
    }

    #[test]
    fn odd_cards_are_skipped_with_reasons() {
        let models = r#"{"10": {"id": 10, "name": "Basic", "type": 0,
              "flds": [{"name": "Front", "ord": 0}, {"name": "Back", "ord": 1}],
              "tmpls": [{"name": "Card 1", "ord": 0, "qfmt": "{{Front}}", "afmt": "{{FrontSide}}<hr id=answer>{{Back}}"}]},
            "11": {"id": "11", "name": "Cloze", "type": 1,
              "flds": [{"name": "Text"}, {"name": "Extra"}],
              "tmpls": [{"name": "Cloze", "qfmt": "{{cloze:Text}}", "afmt": "{{cloze:Text}}<br>{{Extra}}"}]}}"#;
        let decks = r#"{"1": {"id": 1, "name": "Default"}, "2": {"id": 2, "name": "ALT prep"},
            "3": {"id": 3, "name": "alt-prep"}, "4": {"id": 4, "name": "Filtered"}}"#;
        let db = collection11(
            models,
            decks,
            "INSERT INTO notes VALUES (1, 'a/b#1', 10, ' x\u{3000}y ', 'Front 1' || char(31) || 'Back 1');
             INSERT INTO notes VALUES (2, 'g2', 10, '', 'No back' || char(31) || '<br>');
             INSERT INTO notes VALUES (3, 'g3', 11, '', '{{c1::only one}}' || char(31) || '');
             INSERT INTO notes VALUES (4, 'g4', 10, '', 'Other slug' || char(31) || 'B');
             INSERT INTO notes VALUES (5, 'io', 11, '', '{{c1::image-occlusion:rect:left=.1:top=.2:width=.3:height=.4:oi=1}}' || char(31) || '');
             INSERT INTO cards VALUES (106, 5, 2, 0, 0, 0);
             INSERT INTO cards VALUES (100, 1, 4, 2, 0, 2);
             INSERT INTO cards VALUES (101, 2, 2, 0, 0, 0);
             INSERT INTO cards VALUES (102, 3, 2, 0, 0, 0);
             INSERT INTO cards VALUES (103, 3, 2, 0, 1, 0);
             INSERT INTO cards VALUES (104, 4, 3, 0, 0, -1);
             INSERT INTO cards VALUES (105, 99, 2, 0, 0, 0);
             INSERT INTO revlog VALUES (5000, 100, 3, 1500, 1, 2500);
             INSERT INTO revlog VALUES (4000, 100, 1, 900, 0, 0);
             INSERT INTO revlog VALUES (6000, 100, 4, 800, 3, 0);
             INSERT INTO revlog VALUES (7000, 100, 0, 0, 4, 2500);
             INSERT INTO revlog VALUES (1000, 104, 3, 1000, 1, 2500);
             INSERT INTO revlog VALUES (2000, 104, 0, 0, 4, 0);
             INSERT INTO revlog VALUES (3000, 104, 3, 500, 0, 0);
             INSERT INTO revlog VALUES (8000, 100, 2, -5, 2, 2500);",
        );
        let import = parse(&zip_of(&[(ANKI2, &db)]), "made.apkg").expect("imports");
        assert_eq!(deck_names(&import), vec!["ALT prep", "alt-prep"]);
        assert_eq!(import.decks[0].id, "alt-prep");
        assert!(import.decks[1].id.starts_with("alt-prep-"));
        // The filtered-deck card went home to "ALT prep", under its escaped GUID.
        let first = card(&import, "a_2fb_231");
        assert_eq!(first.tags, vec!["x", "y"]);
        let times: Vec<(i64, u8, i64)> = first
            .history
            .iter()
            .map(|r| (r.time_ms, r.rating, r.duration_ms))
            .collect();
        assert_eq!(times, vec![(4000, 1, 900), (5000, 3, 1500), (8000, 2, 0)]);
        assert_eq!(card(&import, "g3").front, "[...]");
        assert!(card(&import, "g4").suspended);
        // A reset ("Forget": manual, factor 0) drops the answers before it; a set-due-date
        // row (manual, the card's factor) is skipped but drops nothing.
        let after_reset: Vec<(i64, u8)> = card(&import, "g4")
            .history
            .iter()
            .map(|r| (r.time_ms, r.rating))
            .collect();
        assert_eq!(after_reset, vec![(3000, 3)]);
        assert_eq!(import.skipped.len(), 4, "{:#?}", import.skipped);
        assert!(
            import
                .skipped
                .iter()
                .any(|s| s.contains("note io") && s.contains("image occlusion"))
        );
        assert!(
            import
                .skipped
                .iter()
                .any(|s| s.contains("g2") && s.contains("back is empty"))
        );
        assert!(
            import
                .skipped
                .iter()
                .any(|s| s.contains("g3") && s.contains("c2"))
        );
        assert!(
            import
                .skipped
                .iter()
                .any(|s| s.contains("note 99 is missing"))
        );
        assert_eq!(import.notes, 3);
    }

    #[test]
    fn computed_tables_are_refused_before_they_are_read() {
        // A recursive view would yield notes forever; a generated column a 500 MB value per row.
        for (schema, what) in [
            (
                "CREATE VIEW notes AS WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r)
                 SELECT i AS id, 'g' || i AS guid, 1 AS mid, '' AS tags, 'x' AS flds FROM r;",
                "a view",
            ),
            (
                "CREATE TABLE notes (id integer primary key, guid text, mid integer, tags text,
                 flds text AS (printf('%.*c', 500000000, 'x')));
                 INSERT INTO notes (id, guid, mid, tags) VALUES (1, 'g', 1, '');",
                "generated columns",
            ),
        ] {
            let dir = tempfile::tempdir().expect("temp dir");
            let path = dir.path().join("c.db");
            let conn = Connection::open(&path).expect("create");
            conn.execute_batch(&format!(
                "CREATE TABLE col (id integer primary key, models text, decks text);
                 INSERT INTO col VALUES (1, '{{}}', '{{}}');
                 CREATE TABLE cards (id integer primary key, nid integer, did integer, odid integer, ord integer, queue integer);
                 CREATE TABLE revlog (id integer primary key, cid integer, ease integer, time integer, type integer, factor integer);
                 {schema}"
            ))
            .expect("schema");
            drop(conn);
            let db = std::fs::read(&path).expect("read back");
            let errors = parse(&zip_of(&[(ANKI2, &db)]), "computed.apkg").expect_err(what);
            assert!(errors[0].message.contains(what), "{errors:?}");
        }
    }

    #[test]
    fn absurd_field_counts_are_refused() {
        let fields: Vec<String> = (0..300)
            .map(|i| format!(r#"{{"name": "F{i}", "ord": {i}}}"#))
            .collect();
        let models = format!(
            r#"{{"1": {{"id": 1, "name": "Wide", "type": 0, "flds": [{}], "tmpls": []}}}}"#,
            fields.join(",")
        );
        let db = collection11(&models, "{}", "");
        let errors = parse(&zip_of(&[(ANKI2, &db)]), "wide.apkg").expect_err("wide");
        assert!(errors[0].message.contains("300 fields"), "{errors:?}");
        let many = "x\u{1f}".repeat(400);
        let db = collection11(
            "{}",
            "{}",
            &format!("INSERT INTO notes VALUES (1, 'g', 1, '', '{many}')"),
        );
        let errors = parse(&zip_of(&[(ANKI2, &db)]), "wide.apkg").expect_err("wide note");
        assert!(errors[0].message.contains("401 fields"), "{errors:?}");
    }

    #[test]
    fn damaged_packages_never_panic() {
        for name in [
            "anki_latest_sched.apkg",
            "anki_legacy.apkg",
            "genanki_mixed.apkg",
        ] {
            let bytes = fixture(name);
            let step = (bytes.len() / 40).max(1);
            for cut in (0..bytes.len()).step_by(step) {
                let _ = parse(&bytes[..cut], name);
                let mut flipped = bytes.clone();
                flipped[cut] ^= 0x5a;
                let _ = parse(&flipped, name);
            }
        }
    }

    #[test]
    fn entry_names() {
        assert!(is_safe_entry_name("collection.anki21b"));
        assert!(is_safe_entry_name("0"));
        assert!(!is_safe_entry_name("../evil"));
        assert!(!is_safe_entry_name("a/../../evil"));
        assert!(!is_safe_entry_name("/etc/passwd"));
        assert!(!is_safe_entry_name("\\windows"));
        assert!(!is_safe_entry_name("C:\\x"));
        assert!(!is_safe_entry_name("a\\..\\b"));
    }

    #[test]
    fn protobuf_reader() {
        assert_eq!(proto::varint(b"\x08\x03", 1), Ok(Some(3)));
        assert_eq!(proto::varint(b"", 1), Ok(None));
        assert_eq!(proto::varint(b"\x08\x96\x01", 1), Ok(Some(150)));
        assert_eq!(
            proto::bytes(b"\x0a\x03abc\x12\x01x", 2),
            Ok(Some(&b"x"[..]))
        );
        assert!(proto::varint(b"\x08", 1).is_err());
        assert!(proto::bytes(b"\x0a\x05ab", 1).is_err());
        assert!(proto::varint(b"\x08\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 1).is_err());
        assert!(proto::varint(b"\x0b", 1).is_err());
        // fixed64 and fixed32 fields are skipped.
        assert_eq!(
            proto::varint(b"\x11abcdefgh\x1dabcd\x08\x02", 1),
            Ok(Some(2))
        );
    }

    fn ctx_render(
        qfmt: &str,
        fields: &[(&str, &str)],
        cloze: Option<u16>,
        question: bool,
    ) -> String {
        let notetype = Notetype {
            name: "T".to_string(),
            kind: if cloze.is_some() {
                NotetypeKind::Cloze
            } else {
                NotetypeKind::Normal
            },
            fields: fields.iter().map(|(n, _)| n.to_string()).collect(),
            templates: Vec::new(),
        };
        let note = Note {
            guid: "g".to_string(),
            mid: 1,
            modified: 0,
            tags: vec!["a".to_string(), "b".to_string()],
            fields: fields.iter().map(|(_, v)| v.to_string()).collect(),
        };
        let template = Template {
            ord: 0,
            name: "Card 1".to_string(),
            qfmt: String::new(),
            afmt: String::new(),
        };
        let ctx = RenderContext {
            notetype: &notetype,
            note: &note,
            deck: "Top::Sub",
            template: &template,
            cloze_number: cloze,
        };
        ctx.render(qfmt, question)
    }

    #[test]
    fn template_features() {
        let f = [("Front", "Q"), ("Back", ""), ("Extra", "<br>")];
        assert_eq!(
            ctx_render("{{Front}}|{{ Front }}|{{front}}", &f, None, true),
            "Q|Q|Q"
        );
        assert_eq!(
            ctx_render(
                "{{#Front}}yes{{/Front}}{{#Back}}no{{/Back}}",
                &f,
                None,
                true
            ),
            "yes"
        );
        assert_eq!(
            ctx_render(
                "{{^Back}}empty{{/Back}}{{^Extra}} too{{/Extra}}",
                &f,
                None,
                true
            ),
            "empty too"
        );
        assert_eq!(
            ctx_render(
                "{{Tags}};{{Deck}};{{Subdeck}};{{Card}};{{Type}}",
                &f,
                None,
                true
            ),
            "a b;Top::Sub;Sub;Card 1;T"
        );
        assert_eq!(
            ctx_render(
                "{{type:Front}}{{tts en_US:Front}}{{Missing}}",
                &f,
                None,
                true
            ),
            ""
        );
        // Type-in cards: the typing box shows nothing; the answer side shows the answer.
        assert_eq!(ctx_render("{{type:Front}}", &f, None, false), "Q");
        assert_eq!(ctx_render("{{type:nc:Front}}", &f, None, false), "Q");
        assert_eq!(ctx_render("{{type:cloze:Front}}", &f, None, false), "");
        assert_eq!(
            ctx_render("{{#Front}}unclosed {{Front}}", &f, None, true),
            "unclosed Q"
        );
        assert_eq!(ctx_render("{{/Nope}}x{{", &f, None, true), "x{{");
        let deep = "{{#Front}}".repeat(100_000) + "deep";
        assert_eq!(ctx_render(&deep, &f, None, true), "deep");
        let kanji = [("Word", " 日本語[にほんご]を 話[はな]す")];
        assert_eq!(
            ctx_render("{{kanji:Word}}", &kanji, None, true),
            "日本語を話す"
        );
        assert_eq!(
            ctx_render("{{kana:Word}}", &kanji, None, true),
            "にほんごをはなす"
        );
        assert_eq!(
            ctx_render("{{furigana:Word}}", &kanji, None, true),
            "日本語(にほんご)を話(はな)す"
        );
        let cloze = [("Text", "{{c1::a}} {{c2::b::hint}}")];
        assert_eq!(
            ctx_render("{{cloze:Text}}", &cloze, Some(2), true),
            "a [hint]"
        );
        assert_eq!(ctx_render("{{cloze:Text}}", &cloze, Some(2), false), "a b");
        assert_eq!(
            ctx_render("{{#c2}}two{{/c2}}{{#c1}}one{{/c1}}", &cloze, Some(2), true),
            "two"
        );
    }

    #[test]
    fn answer_rule_variants() {
        assert_eq!(after_answer_rule("Q\n\n<hr id=answer>\n\nA"), "\n\nA");
        assert_eq!(after_answer_rule("Q<HR ID=\"answer\">A"), "A");
        assert_eq!(after_answer_rule("Q<hr class=x id='answer'/>A"), "A");
        assert_eq!(after_answer_rule("Q<hr>A"), "Q<hr>A");
        assert_eq!(after_answer_rule("no rule"), "no rule");
    }
}
