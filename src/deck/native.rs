//! The native deck format: TOML (and JSON with the same schema). See `docs/deck-format.md`
//! and the README. Every problem is reported with its line.

use super::draft::{CardDraft, DeckDraft, LineError, PromptDraft, tidy_side, trim_field};
use super::toml_stream::{Table, count_newlines, table_starts};
use super::validate::check_deck;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDeck {
    id: Option<String>,
    name: Option<String>,
    #[serde(default)]
    description: String,
    #[serde(default)]
    card: Vec<RawCard>,
    #[serde(default)]
    prompt: Vec<RawPrompt>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
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
#[serde(deny_unknown_fields)]
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

/// Which syntax the text is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Toml,
    Json,
}

/// Parses one native deck file.
pub fn parse(text: &str, syntax: Syntax) -> Result<DeckDraft, Vec<LineError>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let raw: RawDeck = match syntax {
        Syntax::Toml => toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| line_of(text, s.start)).unwrap_or(0);
            vec![LineError::new(line, one_line(e.message()))]
        })?,
        Syntax::Json => serde_json::from_str(text)
            .map_err(|e| vec![LineError::new(e.line(), one_line(&e.to_string()))])?,
    };
    let card_lines = item_lines(text, syntax, "card", raw.card.len(), |i| {
        raw.card[i].id.as_deref()
    });
    let prompt_lines = item_lines(text, syntax, "prompt", raw.prompt.len(), |i| {
        raw.prompt[i].id.as_deref()
    });
    let mut errors = Vec::new();
    let mut missing = |line: usize, what: &str, field: &str| {
        errors.push(LineError::new(line, format!("{what} is missing `{field}`")));
        String::new()
    };
    let id = raw
        .id
        .clone()
        .unwrap_or_else(|| missing(1, "the deck", "id"));
    let name = raw
        .name
        .clone()
        .unwrap_or_else(|| missing(1, "the deck", "name"));
    let mut cards = Vec::new();
    for (raw_card, line) in raw.card.into_iter().zip(card_lines) {
        let (card, reversed) = card_from(raw_card, line, &mut errors);
        cards.push(card);
        cards.extend(reversed);
    }
    let mut prompts = Vec::new();
    for (raw_prompt, line) in raw.prompt.into_iter().zip(prompt_lines) {
        prompts.push(prompt_from(raw_prompt, line, &mut errors));
    }
    let deck = DeckDraft {
        id,
        name,
        description: raw.description,
        cards,
        prompts,
    };
    if errors.is_empty() {
        errors = check_deck(&deck);
    }
    if errors.is_empty() {
        Ok(deck)
    } else {
        errors.sort_by_key(|e| e.line);
        Err(errors)
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
        Some(secs) => u32::try_from(secs).unwrap_or(0),
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

/// The line each `[[card]]` / `[[prompt]]` starts on. TOML: the n-th table header; JSON: the
/// line holding the item's id string. 0 where it cannot be found.
fn item_lines<'a>(
    text: &str,
    syntax: Syntax,
    table: &str,
    count: usize,
    id_of: impl Fn(usize) -> Option<&'a str>,
) -> Vec<usize> {
    match syntax {
        Syntax::Toml => {
            // The real headers, as the lexer sees them (not `[[card]]` inside a string).
            let wanted = if table == "card" {
                Table::Card
            } else {
                Table::Prompt
            };
            if let Some(starts) = table_starts(text) {
                let mut lines = Vec::with_capacity(count);
                let mut line = 1;
                let mut from = 0;
                for (at, kind) in starts {
                    line += count_newlines(&text[from..at]);
                    from = at;
                    if kind == wanted {
                        lines.push(line);
                    }
                }
                lines.resize(count, 0);
                return lines;
            }
            let header = format!("[[{table}]]");
            let mut lines: Vec<usize> = text
                .lines()
                .enumerate()
                .filter(|(_, l)| l.trim_start().starts_with(&header))
                .map(|(i, _)| i + 1)
                .collect();
            lines.resize(count, 0);
            lines
        }
        Syntax::Json => {
            let mut from = text.find(&format!("\"{table}\"")).unwrap_or(0);
            (0..count)
                .map(|i| match id_of(i) {
                    Some(id) => {
                        let needle = serde_json::to_string(id).unwrap_or_default();
                        match text[from..].find(&needle) {
                            Some(at) => {
                                from += at + needle.len();
                                line_of(text, from)
                            }
                            None => 0,
                        }
                    }
                    None => 0,
                })
                .collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let errors = parse(bad, Syntax::Toml).expect_err("bad");
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert!(lines.contains(&9), "{errors:?}");
        assert!(errors.iter().any(|e| e.message.contains("missing `front`")));
        // Missing fields are reported first; semantic checks follow once fields are present.
        let bad2 = bad.replace("id = \"one\"\nback", "id = \"one\"\nfront = \"f\"\nback");
        let errors = parse(&bad2, Syntax::Toml).expect_err("bad2");
        let text: Vec<String> = errors
            .iter()
            .map(|e| format!("{}: {}", e.line, e.message))
            .collect();
        assert!(
            text.iter().any(|t| t.starts_with("4: `front` is empty")),
            "{text:?}"
        );
        assert!(
            text.iter().any(|t| t.starts_with("9: duplicate id `one`")),
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
}
