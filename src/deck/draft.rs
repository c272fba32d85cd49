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

impl CardDraft {
    pub fn new(id: impl Into<String>, front: impl Into<String>, back: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            front: front.into(),
            back: back.into(),
            tags: Vec::new(),
            line: 0,
            history: Vec::new(),
            suspended: false,
        }
    }
}
