//! What a parser produces: decks, cards and prompts as plain data, with the line each came
//! from. Parsers never touch the database (design.md: `deck/` returns drafts and located
//! errors); `db::import` turns drafts into rows in one transaction.

use serde::Serialize;

/// One deck read from a file. `id` is the stable identity used in card keys
/// (`deck-id/card-id`); `name` is what the learner sees and may change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeckDraft {
    pub id: String,
    pub name: String,
    pub description: String,
    pub cards: Vec<CardDraft>,
    pub prompts: Vec<PromptDraft>,
}

/// A flashcard. `id` is unique within its deck and survives edits of the text
/// (design.md rule 6: identity is never a content hash).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CardDraft {
    pub id: String,
    pub front: String,
    pub back: String,
    pub tags: Vec<String>,
    /// 1-based line in the source file, for error messages.
    pub line: usize,
    /// Review history brought along by an import (Anki `revlog`), oldest first.
    pub history: Vec<ImportedReview>,
    /// Set by importers that carry a suspended flag (Anki queue -1).
    pub suspended: bool,
    /// Where the card stood in the app it came from (Anki's card row), applied over the
    /// replayed [`CardDraft::history`]: see [`ImportedSchedule`].
    pub scheduled: Option<ImportedSchedule>,
    /// The id is unique across decks (from an Anki note GUID), so a card with it in another
    /// deck is this card, moved there in Anki: the import moves it rather than copying it.
    pub global_id: bool,
    /// With [`CardDraft::global_id`]: the deck given is this card's own (an Anki package,
    /// each card with its home deck), so a card found in another deck moves here. A notes
    /// text export gives one deck per note (possibly a filtered deck), so its cards are
    /// updated where they are, as Anki does.
    pub moves: bool,
    /// The file holds the card's whole schedule (an Anki package exported with scheduling):
    /// an empty [`CardDraft::history`] then means "never studied" or "forgotten", not
    /// "unknown", and a card imported before is brought up to the file's state on re-import.
    pub schedule_known: bool,
    /// Where FSRS starts when Anki does not hold the card's history from its first learning
    /// step: see [`ImportedStart`]. `None`: from a new card, as usual.
    pub start: Option<ImportedStart>,
    /// When the app it came from last changed the card's note (text, tags) and the card
    /// itself (schedule, suspension, deck), Unix seconds: Anki's `notes.mod` and
    /// `cards.mod`. A file older than the one imported last changes neither.
    pub modified: Option<Modified>,
}

/// [`CardDraft::modified`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Modified {
    pub note: i64,
    pub card: i64,
}

/// Anki's own fallback for a studied card whose review log does not begin with learning (cut
/// short, or holding no answer at all, as after "Set due date" on a new card): FSRS starts
/// from a memory state instead of from a new card (Anki's `single_card_revlog_to_item` and
/// `Card::set_memory_state`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub enum ImportedStart {
    /// SM-2's ease factor (2.5 = 250 %) and interval in days, turned into a memory state by
    /// FSRS (`memory_state_from_sm2`). With answers to replay, the first of them is where
    /// this state was reached.
    Sm2 {
        ease_factor: f32,
        interval_days: f32,
    },
    /// The memory state Anki keeps on the card (`cards.data`), for a card with no answer
    /// to replay.
    Stored { stability: f32, difficulty: f32 },
}

/// An Anki card's own schedule, as exported with it. The FSRS memory state is rebuilt from the
/// review log, but the due date, interval, state and counts are Anki's, as when FSRS is
/// switched on in Anki itself: a learner's cards fall due when Anki said they would (Anki's
/// due dates carry its fuzz, load balancing, SM-2 intervals and any "set due date"), not when
/// a replay through alt-prep's settings would put them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ImportedSchedule {
    /// 1 = learning, 2 = review, 3 = relearning (Anki's card type).
    pub state: u8,
    /// Unix seconds: the exact time for an intraday (re)learning card, else noon (UTC) of the
    /// due day, which the importer turns into the start of that study day.
    pub due_at: i64,
    pub intraday: bool,
    pub interval_days: u32,
    pub reps: u32,
    pub lapses: u32,
}

impl CardDraft {
    /// What the database stores to tell an edited card on re-import: [`content_hash`] of
    /// its text and its tags joined by spaces.
    pub fn content_hash(&self) -> i64 {
        // As `content_hash(front, back, tags joined by spaces, None)`, without making the
        // joined string: this runs for every card of an import.
        let mut h = ContentHasher::new();
        h.field(&self.front);
        h.field(&self.back);
        for (i, tag) in self.tags.iter().enumerate() {
            if i > 0 {
                h.bytes(b" ");
            }
            h.bytes(tag.as_bytes());
        }
        h.end_field();
        h.finish()
    }
}

/// A card side as every format stores it: trailing whitespace and leading blank lines go,
/// and so does the first line's indentation, unless more lines follow (code, whose first
/// line is indented like the rest). A side exported and imported again, in any format,
/// then comes back the same.
pub fn trim_field(text: &str) -> &str {
    let text = text.trim_end();
    let body = text.trim_start();
    if !body.contains('\n') {
        return body;
    }
    let lead = &text[..text.len() - body.len()];
    match lead.rfind('\n') {
        Some(newline) => &text[newline + 1..],
        None => text,
    }
}

/// [`trim_field`] of `text` with its line breaks as line feeds (CR LF and a lone CR, as
/// Windows and old Mac files write them): a side as every format stores it.
pub fn tidy_side(text: &str) -> String {
    if text.contains('\r') {
        trim_field(&text.replace("\r\n", "\n").replace('\r', "\n")).to_owned()
    } else {
        trim_field(text).to_owned()
    }
}

/// FNV-1a over a card's text: detects edits on re-import. Never used as identity.
pub fn content_hash(front: &str, back: &str, tags: &str, prompt: Option<&PromptDraft>) -> i64 {
    let mut h = ContentHasher::new();
    h.field(front);
    h.field(back);
    h.field(tags);
    if let Some(p) = prompt {
        h.field(&p.category);
        for t in p
            .talking_points
            .iter()
            .chain([&String::new()])
            .chain(&p.follow_ups)
        {
            h.field(t);
        }
        h.field(&p.time_limit_secs.to_string());
        h.field(&p.tips);
    }
    h.finish()
}

/// FNV-1a 64 over fields, each followed by a zero byte: [`content_hash`]'s stored format, so it
/// must never change.
struct ContentHasher(u64);

impl ContentHasher {
    fn new() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }

    fn bytes(&mut self, bytes: &[u8]) {
        // A plain loop over a slice: through `bytes().chain(..)` it took twice as long.
        let mut h = self.0;
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }

    fn end_field(&mut self) {
        self.bytes(&[0]);
    }

    fn field(&mut self, text: &str) {
        self.bytes(text.as_bytes());
        self.end_field();
    }

    fn finish(&self) -> i64 {
        self.0 as i64
    }
}

/// A mock-interview prompt.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PromptDraft {
    pub id: String,
    pub category: String,
    pub question: String,
    pub talking_points: Vec<String>,
    pub follow_ups: Vec<String>,
    pub time_limit_secs: u32,
    pub tips: String,
    pub line: usize,
}

/// One past answer carried in by an importer, used to rebuild the FSRS memory state.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportedReview {
    /// Unix time of the answer in milliseconds.
    pub time_ms: i64,
    /// 1 = Again .. 4 = Easy.
    pub rating: u8,
    /// Time taken to answer, in milliseconds.
    pub duration_ms: i64,
}

/// A problem found at a place in a file. A parser collects every one it can find rather than
/// stopping at the first, so a learner can fix a file in one pass.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineError {
    pub line: usize,
    pub message: String,
}

impl LineError {
    pub fn new(line: usize, message: impl Into<String>) -> Self {
        Self {
            line,
            message: message.into(),
        }
    }
}

/// Most problems a parser reports for one file: enough to fix it in a few passes, while a file
/// with a mistake on each of a million lines neither fills memory nor floods the terminal.
pub const MAX_ERRORS: usize = 100;

const STOPPED: &str = "stopped after";

/// For parsers' loops: once `errors` holds [`MAX_ERRORS`] problems, adds a note saying so
/// (once) and returns true, so the loop stops reading.
pub fn stop_collecting(errors: &mut Vec<LineError>) -> bool {
    if errors.len() < MAX_ERRORS {
        return false;
    }
    if !errors.iter().any(|e| e.message.starts_with(STOPPED)) {
        let line = errors.iter().map(|e| e.line).max().unwrap_or(0);
        errors.push(LineError::new(
            line,
            format!("{STOPPED} {MAX_ERRORS} problems; fix these and import again"),
        ));
    }
    true
}

/// The first [`MAX_ERRORS`] problems by line, and a note counting the rest.
pub fn cap_errors(mut errors: Vec<LineError>) -> Vec<LineError> {
    if errors.len() <= MAX_ERRORS + 1 {
        return errors;
    }
    errors.sort_by_key(|e| e.line);
    let more = errors.len() - MAX_ERRORS;
    errors.truncate(MAX_ERRORS);
    let line = errors.last().map_or(0, |e| e.line);
    errors.push(LineError::new(
        line,
        format!("… and {more} more problems; fix these and import again"),
    ));
    errors
}

impl CardDraft {
    pub fn new(id: impl Into<String>, front: impl Into<String>, back: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            front: front.into(),
            back: back.into(),
            tags: Vec::new(),
            line: 0,
            history: Vec::new(),
            start: None,
            modified: None,
            suspended: false,
            scheduled: None,
            global_id: false,
            moves: false,
            schedule_known: false,
        }
    }
}

/// Where a parser sends what it reads, one item at a time, so that a large file goes into the
/// database as it is read instead of being held whole as drafts first (an import's memory then
/// stays near the size of the file, not several times it). Every card and prompt belongs to the
/// deck of the last [`Sink::deck`] call.
pub trait Sink {
    /// A deck begins.
    fn deck(&mut self, id: &str, name: &str, description: &str);
    /// Where the deck about to begin wrote its own `id` and `name` (formats that have them
    /// call this just before [`Sink::deck`]), so that a problem with either names its line.
    fn deck_lines(&mut self, _lines: DeckLines) {}
    /// FSRS parameters the file brings (an Anki package's preset, fitted to the reviews that
    /// come with it), before its decks; `preset` names where they come from.
    fn fsrs_parameters(&mut self, _preset: &str, _parameters: &[f32]) {}
    fn card(&mut self, card: CardDraft);
    fn prompt(&mut self, prompt: PromptDraft);
    /// How far through its file the parser is, from 0 to 1; for a progress bar.
    fn progress(&mut self, _fraction: f64) {}
    /// Cards this sink has finished with and did not keep, handed back so that a caller
    /// feeding it from another thread can free them on the thread that made them
    /// ([`crate::deck::load::load_into_in_parallel`]). Why: glibc frees memory from another
    /// thread's arena under that arena's lock, and that contention cost a 100,000-card import
    /// about a fifth of its insert phase. Sinks that keep their cards return none.
    fn spent(&mut self) -> Vec<CardDraft> {
        Vec::new()
    }
    /// A card whose [`CardDraft::content_hash`] was worked out already (by the reading thread
    /// of [`crate::deck::load::load_into_in_parallel`], so the writing thread need not).
    fn card_hashed(&mut self, card: CardDraft, _hash: i64) {
        self.card(card);
    }
}

/// Where a deck file writes its own `id` and `name`, for the lines of their problems; and
/// whether the reader already reported one (written, but not as text), so that it is not
/// also called missing. A line of 0 (not written) is reported at the top of the file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeckLines {
    pub id: usize,
    pub name: usize,
    pub id_reported: bool,
    pub name_reported: bool,
}

/// Collects into whole decks: the parsers' plain `Vec<DeckDraft>` results.
#[derive(Debug, Default)]
pub struct Collect(pub Vec<DeckDraft>);

impl Collect {
    fn current(&mut self) -> &mut DeckDraft {
        if self.0.is_empty() {
            self.deck("", "", "");
        }
        let last = self.0.len() - 1;
        &mut self.0[last]
    }
}

impl Sink for Collect {
    fn deck(&mut self, id: &str, name: &str, description: &str) {
        // A deck met again (rows of a CSV `deck` column taking turns) carries on.
        if let Some(i) = self.0.iter().position(|d| d.id == id) {
            let deck = self.0.remove(i);
            self.0.push(deck);
            return;
        }
        self.0.push(DeckDraft {
            id: id.to_owned(),
            name: name.to_owned(),
            description: description.to_owned(),
            cards: Vec::new(),
            prompts: Vec::new(),
        });
    }

    fn card(&mut self, card: CardDraft) {
        self.current().cards.push(card);
    }

    fn prompt(&mut self, prompt: PromptDraft) {
        self.current().prompts.push(prompt);
    }
}

/// Sends whole decks to a sink, card by card, for formats parsed in one piece.
pub fn replay(decks: Vec<DeckDraft>, sink: &mut dyn Sink) {
    let total: usize = decks.iter().map(|d| d.cards.len() + d.prompts.len()).sum();
    let mut done = 0usize;
    for deck in decks {
        sink.deck(&deck.id, &deck.name, &deck.description);
        for card in deck.cards {
            sink.card(card);
            done += 1;
            if done.is_multiple_of(1024) {
                sink.progress(done as f64 / total as f64);
            }
        }
        for prompt in deck.prompts {
            sink.prompt(prompt);
            done += 1;
        }
    }
}

#[cfg(test)]
mod trim_tests {
    use super::trim_field;

    #[test]
    fn sides_lose_outer_blank_space_but_code_keeps_its_indentation() {
        assert_eq!(trim_field("  plain  "), "plain");
        assert_eq!(trim_field("line one\nline two\n"), "line one\nline two");
        assert_eq!(
            trim_field("  for x in xs:\n      print(x)\n"),
            "  for x in xs:\n      print(x)"
        );
        assert_eq!(
            trim_field("\n\n    indented\n    more"),
            "    indented\n    more"
        );
        assert_eq!(trim_field(" \t\n "), "");
    }
}

#[cfg(test)]
mod hash_tests {
    use super::*;
    use proptest::prelude::*;

    /// [`content_hash`] as first written: the stored format the faster one must keep.
    fn reference(front: &str, back: &str, tags: &str, prompt: Option<&PromptDraft>) -> i64 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        let mut feed = |s: &str| {
            for b in s.bytes().chain([0u8]) {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x0100_0000_01b3);
            }
        };
        feed(front);
        feed(back);
        feed(tags);
        if let Some(p) = prompt {
            feed(&p.category);
            for t in p
                .talking_points
                .iter()
                .chain([&String::new()])
                .chain(&p.follow_ups)
            {
                feed(t);
            }
            feed(&p.time_limit_secs.to_string());
            feed(&p.tips);
        }
        h as i64
    }

    #[test]
    fn a_known_card_hashes_as_it_always_has() {
        // Worked out by hand from FNV-1a's definition for a one-byte front and back.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in [b'q', 0, b'a', 0, 0] {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        assert_eq!(content_hash("q", "a", "", None), h as i64);
        assert_eq!(CardDraft::new("x", "q", "a").content_hash(), h as i64);
    }

    proptest! {
        #[test]
        fn hashes_equal_the_stored_format(
            front in ".{0,40}",
            back in ".{0,40}",
            tags in prop::collection::vec("[a-z:あ]{1,6}", 0..4),
            points in prop::collection::vec(".{0,10}", 0..3),
            tips in ".{0,10}",
        ) {
            let joined = tags.join(" ");
            prop_assert_eq!(content_hash(&front, &back, &joined, None), reference(&front, &back, &joined, None));
            let mut card = CardDraft::new("x", front.clone(), back.clone());
            card.tags = tags;
            prop_assert_eq!(card.content_hash(), reference(&front, &back, &joined, None));
            let prompt = PromptDraft {
                id: "p".into(),
                category: "c".into(),
                question: front.clone(),
                talking_points: points.clone(),
                follow_ups: points,
                time_limit_secs: 90,
                tips,
                line: 1,
            };
            prop_assert_eq!(
                content_hash(&front, &back, "", Some(&prompt)),
                reference(&front, &back, "", Some(&prompt))
            );
        }
    }
}
