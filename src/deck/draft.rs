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
            suspended: false,
        }
    }
}
