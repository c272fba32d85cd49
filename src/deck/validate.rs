//! Checks shared by every format, so a card from CSV and a card from TOML obey the same rules.

use super::draft::{CardDraft, DeckDraft, DeckLines, LineError, PromptDraft};
use crate::model::category;

/// Longest field we accept; far beyond any real card, small enough to keep memory bounded.
pub const MAX_FIELD_CHARS: usize = 100_000;
pub const MAX_ID_CHARS: usize = 200;

/// An id may hold letters, digits and `-_.:`; no `/` (it separates deck and card in keys) and
/// no spaces (ids are typed on the command line).
pub fn check_id(id: &str) -> Result<(), String> {
    if id.is_empty() {
        return Err("id is empty".into());
    }
    // The ids a CSV row is given (slug and hash) are ASCII: checked a byte at a time, as the
    // character rules below would, for every card of a large import.
    if id.len() <= MAX_ID_CHARS
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
    {
        return Ok(());
    }
    if id.chars().count() > MAX_ID_CHARS {
        return Err(format!("id is longer than {MAX_ID_CHARS} characters"));
    }
    if let Some(bad) = id
        .chars()
        .find(|c| !(c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ':')))
    {
        return Err(format!(
            "id `{}` contains `{}`; use letters, digits, `-`, `_`, `.` or `:`",
            id.escape_debug(),
            bad.escape_debug()
        ));
    }
    Ok(())
}

/// Whole-deck checks: ids, empty or oversized fields, duplicates, prompt categories and limits.
pub fn check_deck(deck: &DeckDraft) -> Vec<LineError> {
    let mut checker = Checker::default();
    checker.deck(&deck.id, &deck.name);
    for card in &deck.cards {
        checker.card(card);
    }
    for prompt in &deck.prompts {
        checker.prompt(prompt);
    }
    checker.errors
}

/// The same checks one item at a time, for imports that stream cards into the database as
/// they are read. Duplicate ids are found within each deck.
#[derive(Debug, Default)]
pub struct Checker {
    /// Ids seen in the current deck (as [`super::csv::IdLines`], by hash) and their lines.
    seen: super::csv::IdLines,
    pub errors: Vec<LineError>,
    /// The parser already refuses duplicate ids with a better message (CSV names both rows'
    /// fronts), so this checker need not keep a second set of every id.
    ids_checked: bool,
    /// Where the next deck's `id` and `name` are written ([`super::draft::Sink::deck_lines`]).
    pub lines: DeckLines,
}

impl Checker {
    /// `ids_checked`: the parser refuses duplicate ids itself.
    pub fn new(ids_checked: bool) -> Self {
        Self {
            ids_checked,
            ..Self::default()
        }
    }

    /// A deck's id and name. A missing one reaches here empty (the parsers leave the message
    /// to this check, so it is said once), hence "missing or empty".
    pub fn deck(&mut self, id: &str, name: &str) {
        self.seen = Default::default();
        let lines = std::mem::take(&mut self.lines);
        let id_line = lines.id.max(1);
        let name_line = lines.name.max(1);
        if id.is_empty() {
            if !lines.id_reported {
                self.errors.push(LineError::new(
                    id_line,
                    "the deck is missing `id` (or it is empty)",
                ));
            }
        } else if let Err(e) = check_id(id) {
            self.errors
                .push(LineError::new(id_line, format!("deck {e}")));
        }
        if name.trim().is_empty() && !lines.name_reported {
            self.errors.push(LineError::new(
                name_line,
                "the deck is missing `name` (or it is empty)",
            ));
        }
    }

    fn note(&mut self, id: &str, line: usize) {
        if self.ids_checked {
            return;
        }
        if let Err(seen) = self.seen.insert(id, line) {
            // Items are checked by kind (a JSON deck's prompts after its cards), which need
            // not be file order: the later line is the duplicate.
            let (first, later) = (seen.min(line), seen.max(line));
            self.errors.push(LineError::new(
                later,
                format!("duplicate id `{id}` (first used on line {first})"),
            ));
        }
    }

    pub fn card(&mut self, card: &CardDraft) {
        if let Err(e) = check_id(&card.id) {
            self.errors
                .push(LineError::new(card.line, format!("card {e}")));
        }
        self.note(&card.id, card.line);
        for (name, text) in [("front", &card.front), ("back", &card.back)] {
            check_text(name, text, card.line, &mut self.errors);
        }
        for tag in &card.tags {
            // Tags are printed as they are (`alt-prep card`), so no control characters.
            if tag.is_empty() || tag.chars().any(|c| c.is_whitespace() || c.is_control()) {
                self.errors.push(LineError::new(
                    card.line,
                    format!(
                        "tag `{}` is empty or contains spaces or control characters",
                        tag.escape_debug()
                    ),
                ));
            }
        }
    }

    pub fn prompt(&mut self, prompt: &PromptDraft) {
        if let Err(e) = check_id(&prompt.id) {
            self.errors
                .push(LineError::new(prompt.line, format!("prompt {e}")));
        }
        self.note(&prompt.id, prompt.line);
        let errors = &mut self.errors;
        if !category::is_category(&prompt.category) {
            errors.push(LineError::new(
                prompt.line,
                format!(
                    "unknown category `{}`; use one of: {}",
                    prompt.category.escape_debug(),
                    category::ids().join(", ")
                ),
            ));
        }
        check_text("question", &prompt.question, prompt.line, errors);
        if prompt.talking_points.is_empty() {
            errors.push(LineError::new(
                prompt.line,
                "`talking_points` is empty; list what a strong answer covers",
            ));
        }
        for point in prompt.talking_points.iter().chain(&prompt.follow_ups) {
            check_text("list item", point, prompt.line, errors);
        }
        if !(10..=1800).contains(&prompt.time_limit_secs) {
            errors.push(LineError::new(
                prompt.line,
                format!(
                    "`time_limit_secs` is {}; give between 10 and 1800 seconds",
                    prompt.time_limit_secs
                ),
            ));
        }
    }
}

fn check_text(name: &str, text: &str, line: usize, errors: &mut Vec<LineError>) {
    if text.trim().is_empty() {
        errors.push(LineError::new(line, format!("`{name}` is empty")));
    } else if text.len() > MAX_FIELD_CHARS && text.chars().count() > MAX_FIELD_CHARS {
        errors.push(LineError::new(
            line,
            format!("`{name}` is longer than {MAX_FIELD_CHARS} characters"),
        ));
    } else if text.contains('\0') {
        errors.push(LineError::new(
            line,
            format!("`{name}` contains a NUL byte"),
        ));
    }
}
