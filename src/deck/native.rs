//! The native deck format: TOML (and JSON with the same schema). See `docs/deck-format.md`
//! and the README. Every problem is reported with its line.

use super::draft::{
    CardDraft, DeckDraft, DeckLines, LineError, PromptDraft, Sink, tidy_side, trim_field,
};
use super::toml_stream::count_newlines;
use super::validate::Checker;
use serde::Deserialize;
use serde_json::value::RawValue;

#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a deck: `id`, `name`, `card` and `prompt`"
)]
struct RawDeck {
    id: Option<toml::Spanned<String>>,
    name: Option<toml::Spanned<String>>,
    #[serde(default)]
    description: String,
    #[serde(default)]
    card: Vec<toml::Spanned<RawCard>>,
    #[serde(default)]
    prompt: Vec<toml::Spanned<RawPrompt>>,
}

#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a card: an object with `id`, `front` and `back`"
)]
pub(super) struct RawCard {
    id: Option<String>,
    front: Option<String>,
    back: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    reverse: bool,
}

#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a prompt: an object with `id`, `category`, `question`, `talking_points` and `time_limit_secs`"
)]
pub(super) struct RawPrompt {
    id: Option<String>,
    category: Option<String>,
    question: Option<String>,
    #[serde(default)]
    talking_points: Vec<String>,
    #[serde(default)]
    follow_ups: Vec<String>,
    time_limit_secs: Option<i64>,
    #[serde(default)]
    tips: String,
}

/// What a card and a prompt are, for messages (as the `expecting` attributes above say).
const CARD: &str = "a card: an object with `id`, `front` and `back`";
const PROMPT: &str =
    "a prompt: an object with `id`, `category`, `question`, `talking_points` and `time_limit_secs`";

/// The same in TOML's words.
const CARD_TABLE: &str = "a card: a table with `id`, `front` and `back`";
const PROMPT_TABLE: &str =
    "a prompt: a table with `id`, `category`, `question`, `talking_points` and `time_limit_secs`";

/// Which syntax the text is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Toml,
    Json,
}

/// A JSON deck with each card and prompt kept as its own text, read one by one: a problem in
/// one card (a missing or unknown field) then hides none in the others, as in TOML.
#[derive(Default)]
struct JsonDeck<'a> {
    id: Option<String>,
    name: Option<String>,
    lines: DeckLines,
    description: String,
    card: Vec<&'a RawValue>,
    prompt: Vec<&'a RawValue>,
}

/// The top-level object's entries in file order, values unread: each deck key is then read
/// on its own, so an unknown key or a wrong type among them hides nothing else.
struct Entries<'a>(Vec<(String, &'a RawValue)>);

impl<'de> Deserialize<'de> for Entries<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Entries<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a deck: an object with `id`, `name` and a `card` array")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry::<String, &'de RawValue>()? {
                    entries.push(entry);
                }
                Ok(Entries(entries))
            }
        }
        deserializer.deserialize_map(Visit)
    }
}

/// A deck file read field by field: the items that could be read, each with its line, and
/// the problems met on the way.
struct Read {
    id: Option<String>,
    name: Option<String>,
    lines: DeckLines,
    description: String,
    cards: Vec<(RawCard, usize)>,
    prompts: Vec<(RawPrompt, usize)>,
    errors: Vec<LineError>,
}

/// Parses one native deck file, reporting every problem in one pass: a missing or unknown
/// field in one card does not hide the checks (empty sides, repeated ids…) of the others.
/// Only a syntax error stops the reading.
pub fn parse(text: &str, syntax: Syntax) -> Result<DeckDraft, Vec<LineError>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let read = match syntax {
        Syntax::Toml => read_toml(text)?,
        Syntax::Json => read_json(text)?,
    };
    let mut errors = read.errors;
    let mut checker = Checker::default();
    let id = read.id.unwrap_or_default();
    let name = read.name.unwrap_or_default();
    checker.lines = read.lines;
    checker.deck(&id, &name);
    let mut cards = Vec::new();
    for (raw_card, line) in read.cards {
        let before = errors.len();
        let (card, reversed) = card_from(raw_card, line, &mut errors);
        // A card missing a field is reported as such and not checked further (its empty
        // side would be reported twice).
        if errors.len() == before {
            checker.card(&card);
            if let Some(reversed) = &reversed {
                checker.card(reversed);
            }
        }
        cards.push(card);
        cards.extend(reversed);
    }
    let mut prompts = Vec::new();
    for (raw_prompt, line) in read.prompts {
        let before = errors.len();
        let prompt = prompt_from(raw_prompt, line, &mut errors);
        if errors.len() == before {
            checker.prompt(&prompt);
        }
        prompts.push(prompt);
    }
    errors.append(&mut checker.errors);
    if errors.is_empty() {
        Ok(DeckDraft {
            id,
            name,
            description: read.description,
            cards,
            prompts,
        })
    } else {
        errors.sort_by_key(|e| e.line);
        Err(errors)
    }
}

fn read_toml(text: &str) -> Result<Read, Vec<LineError>> {
    let raw: RawDeck = toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| line_of(text, s.start)).unwrap_or(0);
        vec![LineError::new(line, one_line(e.message()))]
    })?;
    // Each item's line: its `[[card]]` header, or for an inline table (`card = [{…}]`) where
    // the table itself starts. An inline array in its place (`card = [["a", "F", "B"]]`),
    // which serde reads as the fields in order, is refused: the format names its fields.
    let mut lines = Lines::new(text);
    let mut errors = Vec::new();
    let mut located = |item: &std::ops::Range<usize>, what: &str, errors: &mut Vec<LineError>| {
        let line = lines.at(item.start);
        let at = text.get(item.start..).unwrap_or("");
        let positional = at.starts_with('[') && !at.starts_with("[[");
        if positional {
            errors.push(LineError::new(
                line,
                format!("expected {what}, found an array"),
            ));
        }
        (!positional).then_some(line)
    };
    let mut cards = Vec::new();
    for item in raw.card {
        if let Some(line) = located(&item.span(), CARD_TABLE, &mut errors) {
            cards.push((item.into_inner(), line));
        }
    }
    let mut prompts = Vec::new();
    for item in raw.prompt {
        if let Some(line) = located(&item.span(), PROMPT_TABLE, &mut errors) {
            prompts.push((item.into_inner(), line));
        }
    }
    let line_of_key = |key: &Option<toml::Spanned<String>>| {
        key.as_ref().map_or(0, |k| line_of(text, k.span().start))
    };
    Ok(Read {
        lines: DeckLines {
            id: line_of_key(&raw.id),
            name: line_of_key(&raw.name),
            ..DeckLines::default()
        },
        id: raw.id.map(toml::Spanned::into_inner),
        name: raw.name.map(toml::Spanned::into_inner),
        description: raw.description,
        cards,
        prompts,
        errors,
    })
}

/// The top level of a JSON deck, which must be an object: serde would also take an array
/// as the deck's fields in order, and then report the first card as a misplaced `id`.
fn read_json_deck(text: &str) -> Result<(JsonDeck<'_>, Vec<LineError>), Vec<LineError>> {
    const SHAPE: &str = "a JSON deck is one object, {\"id\": …, \"name\": …, \"card\": [ … ]}";
    let body = text.trim_start();
    match body.chars().next() {
        None => {
            return Err(vec![LineError::new(
                1,
                format!("the file is empty; {SHAPE}"),
            )]);
        }
        Some(first) if first != '{' => {
            let shown = if first.is_control() {
                first.escape_debug().to_string()
            } else {
                first.to_string()
            };
            return Err(vec![LineError::new(
                line_of(text, text.len() - body.len()),
                format!("{SHAPE}, but this starts with `{shown}`"),
            )]);
        }
        Some(_) => {}
    }
    let entries: Entries =
        serde_json::from_str(text).map_err(|e| vec![json_syntax_error(text, &e)])?;
    let mut deck = JsonDeck::default();
    let mut errors = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for (key, value) in &entries.0 {
        let line = || line_of(text, offset_in(text, value.get()));
        if seen.contains(&key.as_str()) {
            errors.push(LineError::new(line(), format!("duplicate field `{key}`")));
            continue;
        }
        match key.as_str() {
            "id" => deck.lines.id = line(),
            "name" => deck.lines.name = line(),
            _ => {}
        }
        let read = match key.as_str() {
            "id" => serde_json::from_str(value.get()).map(|v| deck.id = v),
            "name" => serde_json::from_str(value.get()).map(|v| deck.name = v),
            "description" => serde_json::from_str(value.get()).map(|v| deck.description = v),
            "card" => serde_json::from_str(value.get()).map(|v| deck.card = v),
            "prompt" => serde_json::from_str(value.get()).map(|v| deck.prompt = v),
            _ => {
                errors.push(LineError::new(
                    line(),
                    format!(
                        "unknown field `{key}`, expected one of `id`, `name`, `description`, `card`, `prompt`"
                    ),
                ));
                continue;
            }
        };
        seen.push(key);
        if let Err(e) = read {
            // Written, but not as text: reported here, not also as missing.
            match key.as_str() {
                "id" => deck.lines.id_reported = true,
                "name" => deck.lines.name_reported = true,
                _ => {}
            }
            errors.push(LineError::new(
                line() + e.line().saturating_sub(1),
                format!("`{key}`: {}", json_message(&e)),
            ));
        }
    }
    Ok((deck, errors))
}

fn read_json(text: &str) -> Result<Read, Vec<LineError>> {
    let (raw, mut errors) = read_json_deck(text)?;
    let mut lines = Lines::new(text);
    let cards = json_items(text, raw.card, CARD, &mut lines, &mut errors);
    let prompts = json_items(text, raw.prompt, PROMPT, &mut lines, &mut errors);
    Ok(Read {
        id: raw.id,
        name: raw.name,
        lines: raw.lines,
        description: raw.description,
        cards,
        prompts,
        errors,
    })
}

/// Each card or prompt of a JSON deck read on its own, with the line it starts on; one that
/// cannot be read is reported and left out.
fn json_items<T: serde::de::DeserializeOwned>(
    text: &str,
    items: Vec<&RawValue>,
    what: &str,
    lines: &mut Lines,
    errors: &mut Vec<LineError>,
) -> Vec<(T, usize)> {
    let mut read = Vec::with_capacity(items.len());
    for_each_json_item(text, items, what, lines, errors, |item, line, _| {
        read.push((item, line))
    });
    read
}

/// Calls `each` with every item of `items` that can be read (and its line, and the byte it
/// ends at), reporting the others in `errors`.
fn for_each_json_item<T: serde::de::DeserializeOwned>(
    text: &str,
    items: Vec<&RawValue>,
    what: &str,
    lines: &mut Lines,
    errors: &mut Vec<LineError>,
    mut each: impl FnMut(T, usize, usize),
) {
    for item in items {
        let at = offset_in(text, item.get());
        let line = lines.at(at);
        // serde would read an array as the fields in order; the format names them.
        if !item.get().starts_with('{') {
            let found = match item.get().chars().next() {
                Some('[') => "an array",
                Some('"') => "a string",
                Some('t' | 'f') => "true or false",
                Some('n') => "null",
                _ => "a number",
            };
            errors.push(LineError::new(
                line,
                format!("expected {what}, found {found}"),
            ));
            continue;
        }
        match serde_json::from_str(item.get()) {
            Ok(parsed) => each(parsed, line, at + item.get().len()),
            // The error's line counts from the item's first line.
            Err(e) => errors.push(LineError::new(
                line + e.line().saturating_sub(1),
                json_message(&e),
            )),
        }
    }
}

/// A JSON deck fed to `sink` card by card, as `toml_stream::parse_into` feeds a TOML one:
/// the file is held as text and each card's fields only while it is read, so a large deck
/// needs little more memory than its file. `name` (`--deck`) replaces the deck's name.
/// Problems found here are returned; the sink's checks (empty sides, ids) are the caller's.
pub fn parse_json_into(
    text: &str,
    name: Option<&str>,
    sink: &mut dyn Sink,
) -> Result<(), Vec<LineError>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (raw, mut errors) = read_json_deck(text)?;
    begin_deck(sink, raw.id, raw.name, raw.lines, name, &raw.description);
    let total = text.len().max(1) as f64;
    let mut lines = Lines::new(text);
    let mut problems = Vec::new();
    let mut count = 0usize;
    for_each_json_item(
        text,
        raw.card,
        CARD,
        &mut lines,
        &mut errors,
        |raw: RawCard, line, end| {
            let before = problems.len();
            let (card, reversed) = card_from(raw, line, &mut problems);
            // A card missing a field is reported as such, not checked further.
            if problems.len() == before {
                sink.card(card);
                if let Some(reversed) = reversed {
                    sink.card(reversed);
                }
            }
            count += 1;
            if count.is_multiple_of(1024) {
                sink.progress(end as f64 / total);
            }
        },
    );
    for_each_json_item(
        text,
        raw.prompt,
        PROMPT,
        &mut lines,
        &mut errors,
        |raw: RawPrompt, line, _| {
            let before = problems.len();
            let prompt = prompt_from(raw, line, &mut problems);
            if problems.len() == before {
                sink.prompt(prompt);
            }
        },
    );
    errors.append(&mut problems);
    if errors.is_empty() {
        Ok(())
    } else {
        errors.sort_by_key(|e| e.line);
        Err(errors)
    }
}

/// serde_json's message without its "at line L column C" (the line is given separately, and
/// within an item it would count from the item's start).
fn json_message(e: &serde_json::Error) -> String {
    let message = e.to_string();
    let message = match message.rfind(" at line ") {
        Some(at) => &message[..at],
        None => &message,
    };
    one_line(message)
}

/// A JSON syntax error with its line. A comma before a closing `]` or `}` (which JSON allows
/// nowhere, and which people leave after the last card) is named at the comma's own line:
/// serde_json reports the bracket after it as "expected value".
fn json_syntax_error(text: &str, e: &serde_json::Error) -> LineError {
    let message = json_message(e);
    if message.starts_with("expected value") || message.starts_with("trailing comma") {
        // serde_json's line and column (1-based, in characters) back to a byte offset.
        let line_start = text
            .split_inclusive('\n')
            .take(e.line().saturating_sub(1))
            .map(str::len)
            .sum::<usize>();
        let at = text[line_start..]
            .char_indices()
            .nth(e.column().saturating_sub(1))
            .map_or(text.len(), |(i, _)| line_start + i);
        let before = text[..at].trim_end();
        let closing = text[at..].trim_start().chars().next();
        if before.ends_with(',') && matches!(closing, Some(']' | '}')) {
            let comma = before.len() - 1;
            return LineError::new(
                line_of(text, comma),
                format!(
                    "a comma before the closing `{}`; JSON allows none after the last item, so remove it",
                    closing.unwrap_or(']')
                ),
            );
        }
    }
    LineError::new(e.line(), message)
}

/// Where `part`, a slice of `text`, starts in it (0 if it is not one).
fn offset_in(text: &str, part: &str) -> usize {
    let at = (part.as_ptr() as usize).wrapping_sub(text.as_ptr() as usize);
    if at <= text.len() { at } else { 0 }
}

/// Line numbers of increasing byte offsets, counting each newline once (a deck of 100,000
/// cards must not be rescanned from the start for each).
struct Lines<'a> {
    text: &'a str,
    offset: usize,
    line: usize,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            text,
            offset: 0,
            line: 1,
        }
    }

    fn at(&mut self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        if offset < self.offset {
            return line_of(self.text, offset);
        }
        self.line += count_newlines(&self.text[self.offset..offset]);
        self.offset = offset;
        self.line
    }
}

fn missing(errors: &mut Vec<LineError>, line: usize, what: &str, field: &str) -> String {
    errors.push(LineError::new(line, format!("{what} is missing `{field}`")));
    String::new()
}

/// A `[[card]]` table as a draft, and its reverse when it asks for one (`reverse = true`
/// adds `<id>-rev` with front and back swapped).
pub(super) fn card_from(
    raw: RawCard,
    line: usize,
    errors: &mut Vec<LineError>,
) -> (CardDraft, Option<CardDraft>) {
    let card_id = raw
        .id
        .unwrap_or_else(|| missing(errors, line, "card", "id"));
    let front = raw
        .front
        .unwrap_or_else(|| missing(errors, line, "card", "front"));
    let back = raw
        .back
        .unwrap_or_else(|| missing(errors, line, "card", "back"));
    let (front, back) = (tidy(front), tidy(back));
    let reversed = raw.reverse.then(|| {
        let mut reversed = CardDraft::new(format!("{card_id}-rev"), back.clone(), front.clone());
        reversed.tags = raw.tags.clone();
        reversed.line = line;
        reversed
    });
    let mut card = CardDraft::new(card_id, front, back);
    card.tags = raw.tags;
    card.line = line;
    (card, reversed)
}

/// [`trim_field`], keeping the string when nothing is trimmed.
fn tidy(text: String) -> String {
    match trim_field(&text) {
        trimmed if trimmed.len() == text.len() && !text.contains('\r') => text,
        _ => tidy_side(&text),
    }
}

pub(super) fn prompt_from(raw: RawPrompt, line: usize, errors: &mut Vec<LineError>) -> PromptDraft {
    let time_limit = match raw.time_limit_secs {
        Some(secs) => u32::try_from(secs).unwrap_or_else(|_| {
            // Said here with the value written (the range check would see a stand-in).
            errors.push(LineError::new(
                line,
                format!("`time_limit_secs` is {secs}; give between 10 and 1800 seconds"),
            ));
            90
        }),
        None => {
            missing(errors, line, "prompt", "time_limit_secs");
            90
        }
    };
    PromptDraft {
        id: raw
            .id
            .unwrap_or_else(|| missing(errors, line, "prompt", "id")),
        category: raw
            .category
            .unwrap_or_else(|| missing(errors, line, "prompt", "category")),
        question: raw
            .question
            .unwrap_or_else(|| missing(errors, line, "prompt", "question")),
        talking_points: raw.talking_points,
        follow_ups: raw.follow_ups,
        time_limit_secs: time_limit,
        tips: raw.tips,
        line,
    }
}

/// Starts a native deck in `sink`: `name` (from `--deck`) replaces the file's name. A missing
/// id or name goes on empty: the sink's checks say it is missing.
pub(super) fn begin_deck(
    sink: &mut dyn Sink,
    id: Option<String>,
    file_name: Option<String>,
    lines: DeckLines,
    name: Option<&str>,
    description: &str,
) {
    // `--deck NAME` stands for the file's name: nothing of the file's to point at.
    let lines = match name {
        Some(_) => DeckLines {
            name: 0,
            name_reported: false,
            ..lines
        },
        None => lines,
    };
    sink.deck_lines(lines);
    let deck_name = match name {
        Some(name) => name.trim().to_owned(),
        None => file_name.unwrap_or_default(),
    };
    sink.deck(&id.unwrap_or_default(), &deck_name, description);
}

/// 1-based line of a byte offset.
pub fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

pub(super) fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Problems as `line: message`, to compare whole lists at once.
    fn as_text(errors: &[LineError]) -> Vec<String> {
        errors
            .iter()
            .map(|e| format!("{}: {}", e.line, e.message))
            .collect()
    }

    const GOOD: &str = r#"
id = "demo"
name = "Demo deck"
description = "For tests."

[[card]]
id = "one"
front = "Front one"
back = "Back one"
tags = ["a", "b"]

[[card]]
id = "two"
front = "Front two"
back = "Back two"
reverse = true

[[prompt]]
id = "why"
category = "motivation"
question = "Why Japan?"
talking_points = ["x", "y", "z"]
time_limit_secs = 90
"#;

    #[test]
    fn parses_cards_reverses_and_prompts() {
        let deck = parse(GOOD, Syntax::Toml).expect("parse");
        assert_eq!(deck.id, "demo");
        let ids: Vec<&str> = deck.cards.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["one", "two", "two-rev"]);
        assert_eq!(deck.cards[2].front, "Back two");
        assert_eq!(deck.cards[0].line, 6);
        assert_eq!(deck.prompts[0].time_limit_secs, 90);
        assert_eq!(deck.prompts[0].line, 18);
    }

    #[test]
    fn every_problem_is_reported_with_its_line() {
        let bad = r#"id = "demo"
name = "Demo"

[[card]]
id = "one"
front = ""
back = "b"

[[card]]
id = "one"
back = "b"

[[prompt]]
id = "p"
category = "nonsense"
question = "q"
talking_points = ["a"]
time_limit_secs = 5
"#;
        // One pass finds them all: the missing field of one card hides no check of another.
        let errors = parse(bad, Syntax::Toml).expect_err("bad");
        let text = as_text(&errors);
        assert!(
            text.iter().any(|t| t.starts_with("4: `front` is empty")),
            "{text:?}"
        );
        assert!(
            text.iter()
                .any(|t| t.starts_with("9: card is missing `front`")),
            "{text:?}"
        );
        assert!(
            text.iter().any(|t| t.contains("unknown category")),
            "{text:?}"
        );
        assert!(
            text.iter().any(|t| t.contains("time_limit_secs")),
            "{text:?}"
        );
        // The card missing a field is not also said to have an empty one.
        assert_eq!(errors.iter().filter(|e| e.line == 9).count(), 1, "{text:?}");
        // With every field present, the repeated id is found too.
        let bad2 = bad.replace("id = \"one\"\nback", "id = \"one\"\nfront = \"f\"\nback");
        let errors = parse(&bad2, Syntax::Toml).expect_err("bad2");
        assert!(
            errors
                .iter()
                .any(|e| e.line == 9 && e.message.starts_with("duplicate id `one`")),
            "{errors:?}"
        );
    }

    #[test]
    fn syntax_errors_and_unknown_keys_have_lines() {
        let errors = parse(
            "id = \"x\"\nname = \"y\"\n[[card]]\nfrnt = \"a\"\n",
            Syntax::Toml,
        )
        .expect_err("unknown key");
        assert_eq!(errors[0].line, 4, "{errors:?}");
        assert!(errors[0].message.contains("frnt"));
        let errors = parse("id = \"x\"\nname = = \n", Syntax::Toml).expect_err("syntax");
        assert_eq!(errors[0].line, 2);
    }

    #[test]
    fn json_has_the_same_schema() {
        let json = r#"{
  "id": "demo", "name": "Demo",
  "card": [
    {"id": "one", "front": "F", "back": "B"},
    {"id": "two", "front": "F2", "back": ""}
  ]
}"#;
        let errors = parse(json, Syntax::Json).expect_err("empty back");
        assert_eq!(errors[0].line, 5, "{errors:?}");
        let ok = json.replace("\"back\": \"\"", "\"back\": \"x\"");
        assert_eq!(parse(&ok, Syntax::Json).expect("ok").cards.len(), 2);
    }

    /// What `import` streams from a JSON deck is what the whole-file reader gives, and a
    /// `--deck` name replaces the file's.
    #[test]
    fn streamed_json_reads_as_the_whole_file_does() {
        use super::super::draft::Collect;
        let json = r#"{"description": "d", "name": "Demo", "id": "demo",
  "prompt": [{"id": "why", "category": "motivation", "question": "Why Japan?",
              "talking_points": ["x"], "time_limit_secs": 90}],
  "card": [
    {"id": "one", "front": "F1", "back": "B1", "tags": ["a"]},
    {"id": "two", "front": "F2", "back": "B2", "reverse": true}
  ]}"#;
        let whole = parse(json, Syntax::Json).expect("whole");
        let mut streamed = Collect::default();
        parse_json_into(json, None, &mut streamed).expect("streamed");
        assert_eq!(streamed.0, vec![whole.clone()]);
        let mut renamed = Collect::default();
        parse_json_into(json, Some(" Mine "), &mut renamed).expect("renamed");
        assert_eq!(renamed.0[0].name, "Mine");
        assert_eq!(renamed.0[0].id, "demo");
        assert_eq!(renamed.0[0].cards, whole.cards);
    }

    /// A comma left after the last card is named at its own line.
    #[test]
    fn a_trailing_comma_is_named_where_it_is() {
        for (json, line) in [
            (
                "{\"id\": \"d\", \"name\": \"D\", \"card\": [\n  {\"id\": \"a\", \"front\": \"F\", \"back\": \"B\"},\n  \n]\n}",
                2,
            ),
            ("{\"id\": \"d\",\n \"name\": \"D\",\n}", 2),
        ] {
            let errors = parse(json, Syntax::Json).expect_err(json);
            assert_eq!(errors[0].line, line, "{errors:?}");
            assert!(
                errors[0].message.starts_with("a comma before the closing"),
                "{errors:?}"
            );
        }
    }

    /// A JSON deck is one object: an array, a string or nothing at all is refused as such,
    /// and serde's own type names never reach the learner.
    #[test]
    fn a_json_deck_must_be_one_object() {
        for (text, line, says) in [
            ("[{\"id\": \"a\"}]", 1, "starts with `[`"),
            ("\n\n  \"deck\"", 3, "starts with `\"`"),
            ("  \n", 1, "the file is empty"),
            (
                "{\"id\": \"d\", \"name\": \"D\", \"card\": [1]}",
                1,
                "expected a card: an object",
            ),
        ] {
            let errors = parse(text, Syntax::Json).expect_err(text);
            assert_eq!(errors[0].line, line, "{text}: {errors:?}");
            assert!(errors[0].message.contains(says), "{text}: {errors:?}");
            assert!(!errors[0].message.contains("struct"), "{text}: {errors:?}");
        }
    }

    /// Inline tables (`card = [{…}]`) are reported at their own lines, as `[[card]]` tables
    /// are; a JSON card written as an array (read by serde as fields in order) is refused.
    #[test]
    fn inline_cards_have_lines_and_json_cards_are_objects() {
        let toml = "id = \"i\"\nname = \"I\"\ncard = [\n  {id = \"a\", front = \"A\", back = \"a\"},\n  {id = \"b\", front = \"\", back = \"b\"},\n  {id = \"d\", front = \"D\"},\n]\n";
        let errors = parse(toml, Syntax::Toml).expect_err("bad");
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [5, 6], "{errors:?}");
        let json = "{\"id\": \"p\", \"name\": \"P\", \"card\": [\n  [\"a\", \"F\", \"B\"]\n]}";
        let errors = parse(json, Syntax::Json).expect_err("positional");
        assert_eq!(errors[0].line, 2, "{errors:?}");
        assert!(errors[0].message.ends_with("found an array"), "{errors:?}");
        let toml = "id = \"p\"\nname = \"P\"\ncard = [\n  [\"a\", \"F\", \"B\"],\n]\n";
        let errors = parse(toml, Syntax::Toml).expect_err("positional");
        assert_eq!(errors[0].line, 4, "{errors:?}");
        assert!(errors[0].message.ends_with("found an array"), "{errors:?}");
    }

    /// A time limit too large or negative for the field is reported as written.
    #[test]
    fn out_of_range_time_limits_are_quoted_as_written() {
        for secs in ["-5", "5000000000", "5"] {
            let text = format!(
                "id = \"d\"\nname = \"D\"\n\n[[prompt]]\nid = \"p\"\ncategory = \"motivation\"\nquestion = \"Why?\"\ntalking_points = [\"x\"]\ntime_limit_secs = {secs}\n"
            );
            let errors = parse(&text, Syntax::Toml).expect_err(secs);
            assert_eq!(errors.len(), 1, "{errors:?}");
            assert_eq!(errors[0].line, 4);
            assert!(
                errors[0]
                    .message
                    .starts_with(&format!("`time_limit_secs` is {secs};")),
                "{errors:?}"
            );
        }
    }

    /// A problem among the deck's own keys (unknown, repeated, of the wrong type) is reported
    /// beside the cards' problems, in JSON as in TOML.
    #[test]
    fn deck_key_problems_hide_no_card_problem() {
        let json = "{\"id\": \"d\", \"name\": \"D\",\n \"colour\": 1,\n \"description\": 5,\n \"card\": [{\"id\": \"a\", \"front\": \"\", \"back\": \"b\"}],\n \"card\": []}";
        let errors = parse(json, Syntax::Json).expect_err("bad");
        let text = as_text(&errors);
        assert_eq!(
            text,
            [
                "2: unknown field `colour`, expected one of `id`, `name`, `description`, `card`, `prompt`",
                "3: `description`: invalid type: integer `5`, expected a string",
                "4: `front` is empty",
                "5: duplicate field `card`",
            ]
        );
        let toml = "id = \"d\"\nname = \"D\"\ncolour = 1\n\n[[card]]\nid = \"a\"\nfront = \"\"\nback = \"b\"\n";
        let mut sink = super::super::draft::Collect::default();
        let errors = super::super::toml_stream::parse_into(toml, None, &mut sink)
            .expect("streamed")
            .expect_err("bad");
        assert_eq!(errors[0].line, 3, "{errors:?}");
        assert_eq!(sink.0[0].cards.len(), 1, "the tables are still read");
    }

    /// A problem with the deck's own `id` or `name` is reported at the line it is written on,
    /// by every reader (TOML whole and streamed, JSON whole and streamed); one written but not
    /// as text is reported once, as such, not also as missing.
    #[test]
    fn deck_id_and_name_problems_are_at_their_own_lines() {
        use super::super::draft::Collect;
        use super::super::validate::Checker;
        /// What `import` reports: the reader's own problems and the shared checks.
        fn streamed(read: impl FnOnce(&mut Checked) -> Result<(), Vec<LineError>>) -> Vec<String> {
            let mut checked = Checked(Checker::default(), Collect::default());
            let mut errors = read(&mut checked).err().unwrap_or_default();
            errors.append(&mut checked.0.errors);
            errors.sort_by_key(|e| e.line);
            as_text(&errors)
        }
        struct Checked(Checker, Collect);
        impl Sink for Checked {
            fn deck_lines(&mut self, lines: DeckLines) {
                self.0.lines = lines;
            }
            fn deck(&mut self, id: &str, name: &str, description: &str) {
                self.0.deck(id, name);
                self.1.deck(id, name, description);
            }
            fn card(&mut self, card: CardDraft) {
                self.0.card(&card);
            }
            fn prompt(&mut self, prompt: PromptDraft) {
                self.0.prompt(&prompt);
            }
        }
        let whole = |text: &str, syntax| as_text(&parse(text, syntax).expect_err(text));
        let card = "[[card]]\nid = \"a\"\nfront = \"F\"\nback = \"B\"\n";
        let bad_id = format!("# deck\n\nname = \"D\"\nid = \"bad id\"\n{card}");
        let said = "4: deck id `bad id` contains ` `; use letters, digits, `-`, `_`, `.` or `:`";
        assert_eq!(whole(&bad_id, Syntax::Toml), [said]);
        let from_stream = streamed(|s| {
            super::super::toml_stream::parse_into(&bad_id, None, s).expect("usual shape")
        });
        assert_eq!(from_stream, [said]);
        let typed = format!("# deck\nid = 5\n\nname = \"\"\n{card}");
        let said = [
            "2: `id`: invalid type: integer `5`, expected a string",
            "4: the deck is missing `name` (or it is empty)",
        ];
        let from_stream = streamed(|s| {
            super::super::toml_stream::parse_into(&typed, None, s).expect("usual shape")
        });
        assert_eq!(from_stream, said);
        let json = "{\n \"name\": \"\",\n \"id\": 5,\n \"card\": [{\"id\": \"a\", \"front\": \"F\", \"back\": \"B\"}]\n}";
        let said = [
            "2: the deck is missing `name` (or it is empty)",
            "3: `id`: invalid type: integer `5`, expected a string",
        ];
        assert_eq!(whole(json, Syntax::Json), said);
        assert_eq!(streamed(|s| parse_json_into(json, None, s)), said);
        // `--deck NAME` stands for the file's name, so its empty name is no problem.
        assert_eq!(
            streamed(|s| parse_json_into(json, Some("Mine"), s)),
            [said[1]]
        );
    }

    /// A JSON deck's prompts are read after its cards whatever their order in the file: an
    /// id used by both is reported at the later line, the earlier named as the first.
    #[test]
    fn a_repeated_id_names_the_earlier_line_first() {
        let json = "{\"id\": \"d\", \"name\": \"D\",\n \"prompt\": [{\"id\": \"x\", \"category\": \"motivation\", \"question\": \"Why?\", \"talking_points\": [\"a\"], \"time_limit_secs\": 60}],\n \"card\": [{\"id\": \"x\", \"front\": \"F\", \"back\": \"B\"}]}";
        let errors = parse(json, Syntax::Json).expect_err("repeated");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].line, 3);
        assert_eq!(errors[0].message, "duplicate id `x` (first used on line 2)");
    }

    /// Each JSON card is read on its own: an unknown or missing field in one hides nothing
    /// in the others, and every problem has its own line.
    #[test]
    fn json_reports_every_card_problem_in_one_pass() {
        let json = r#"{
  "id": "demo",
  "card": [
    {"id": "a", "front": "A"},
    {"id": "b", "front": "B", "back": "b", "colour": "red"},
    {
      "id": "c",
      "front": "",
      "back": "c",
      "tags": "one"
    },
    {"id": "d", "front": "", "back": "d"}
  ],
  "prompt": [{"id": "p", "category": "nonsense", "question": "q", "talking_points": ["x"], "time_limit_secs": 60}]
}"#;
        let errors = parse(json, Syntax::Json).expect_err("bad");
        let text = as_text(&errors);
        assert_eq!(
            text,
            [
                "1: the deck is missing `name` (or it is empty)",
                "4: card is missing `back`",
                "5: unknown field `colour`, expected one of `id`, `front`, `back`, `tags`, `reverse`",
                "10: invalid type: string \"one\", expected a sequence",
                "12: `front` is empty",
                &format!(
                    "14: unknown category `nonsense`; use one of: {}",
                    crate::model::category::ids().join(", ")
                ),
            ],
        );
    }
}
