//! Large TOML decks read one `[[card]]` / `[[prompt]]` table at a time.
//!
//! The `toml` crate builds a spanned document of the whole file before deserialising it: for
//! a 27 MB deck of 100,000 cards that is about 300 MB. A deck file has a fixed shape (the
//! deck's keys, then array tables), so it can be cut at its table headers and each piece read
//! on its own, with the same structs and messages as [`super::native::parse`]. The cuts come
//! from `toml_parser`'s lexer, which knows strings and comments, so a `[[card]]` inside a
//! multi-line string is not mistaken for a header.
//!
//! Anything outside that shape (a `[table]` header, `card = [...]` written inline, a header
//! other than `[[card]]` or `[[prompt]]`) returns `None`, and the caller reads the file whole,
//! as before. Syntax errors are reported per table, so one bad card does not hide the rest.

use super::draft::{DeckLines, LineError, MAX_ERRORS, Sink};
use super::native::{RawCard, RawPrompt, begin_deck, card_from, one_line, prompt_from};
use serde::Deserialize;
use toml_parser::Source;
use toml_parser::lexer::TokenKind;

/// The deck's own keys, before the first table.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Head {
    id: Option<toml::Spanned<String>>,
    name: Option<toml::Spanned<String>>,
    #[serde(default)]
    description: String,
}

/// The deck's keys as whatever they hold, unknown keys ignored: what is left of the head
/// when [`Head`] refuses it.
#[derive(Deserialize)]
struct LooseHead {
    id: Option<toml::Spanned<toml::Value>>,
    name: Option<toml::Spanned<toml::Value>>,
    description: Option<toml::Value>,
    /// Cards or prompts written inline (`card = [...]`): not this reader's shape.
    card: Option<toml::Value>,
    prompt: Option<toml::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CardTable {
    card: Vec<RawCard>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PromptTable {
    prompt: Vec<RawPrompt>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Table {
    Card,
    Prompt,
}

/// Where each `[[card]]` / `[[prompt]]` header starts; `None` if the file has any other
/// table header, so it is not in the shape this reader handles.
pub(super) fn table_starts(text: &str) -> Option<Vec<(usize, Table)>> {
    let source = Source::new(text);
    let tokens = source.lex();
    let mut starts = Vec::new();
    let mut depth = 0usize; // open `[` / `{` of a value
    let mut line_start = true;
    let mut pending: Option<usize> = None; // a `[` at the start of a line
    let mut header: Option<(usize, String, usize)> = None; // start, name, closing brackets seen
    for token in tokens {
        let kind = token.kind();
        let span = token.span();
        if let Some((start, name, closing)) = header.as_mut() {
            match kind {
                TokenKind::RightSquareBracket => {
                    *closing += 1;
                    if *closing == 2 {
                        let table = match name.trim() {
                            "card" => Table::Card,
                            "prompt" => Table::Prompt,
                            _ => return None,
                        };
                        starts.push((*start, table));
                        header = None;
                    }
                }
                TokenKind::Atom | TokenKind::Whitespace if *closing == 0 => {
                    name.push_str(&text[span.start()..span.end()]);
                }
                // `[[card` and the line ends: no TOML reader takes that, so it is a table
                // of its own whose syntax error is reported with the other tables' problems
                // instead of hiding them.
                TokenKind::Newline | TokenKind::Eof => {
                    starts.push((*start, Table::Card));
                    header = None;
                    line_start = true;
                }
                _ => return None,
            }
            continue;
        }
        if let Some(start) = pending.take() {
            if kind == TokenKind::LeftSquareBracket {
                header = Some((start, String::new(), 0));
                continue;
            }
            // `[name]`: a plain table, not part of the deck format's shape.
            return None;
        }
        match kind {
            TokenKind::Whitespace | TokenKind::Comment => {}
            TokenKind::Newline => line_start = true,
            TokenKind::LeftSquareBracket if depth == 0 && line_start => {
                pending = Some(span.start());
                line_start = false;
            }
            TokenKind::LeftSquareBracket | TokenKind::LeftCurlyBracket => {
                depth += 1;
                line_start = false;
            }
            TokenKind::RightSquareBracket | TokenKind::RightCurlyBracket => {
                depth = depth.saturating_sub(1);
                line_start = false;
            }
            _ => line_start = false,
        }
    }
    if pending.is_some() {
        return None;
    }
    if header.is_some() {
        return None;
    }
    Some(starts)
}

/// Reads a TOML deck table by table into `sink`. `None`: not in the usual shape, read it whole.
/// `name` (from `--deck`) replaces the deck's name. Problems come back with their lines.
pub fn parse_into(
    text: &str,
    name: Option<&str>,
    sink: &mut dyn Sink,
) -> Option<Result<(), Vec<LineError>>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let starts = table_starts(text)?;
    let head_end = starts.first().map_or(text.len(), |(at, _)| *at);
    let head_text = &text[..head_end];
    let mut errors = Vec::new();
    let line_at = |at: usize| 1 + count_newlines(&head_text[..at.min(head_text.len())]);
    let (id, deck_name, description, lines) = match toml::from_str::<Head>(head_text) {
        Ok(head) => {
            let line = |k: &Option<toml::Spanned<String>>| {
                k.as_ref().map_or(0, |k| line_at(k.span().start))
            };
            let lines = DeckLines {
                id: line(&head.id),
                name: line(&head.name),
                ..DeckLines::default()
            };
            let text = |k: Option<toml::Spanned<String>>| k.map(toml::Spanned::into_inner);
            (text(head.id), text(head.name), head.description, lines)
        }
        Err(e) => {
            // An unknown key or a wrong type among the deck's own keys is reported, and the
            // tables are still read, so their problems show in the same run. A syntax
            // error: read the file whole, which reports it.
            let loose: LooseHead = toml::from_str(head_text).ok()?;
            if loose.card.is_some() || loose.prompt.is_some() {
                return None;
            }
            let at = e.span().map_or(0, |s| s.start);
            // The message names no key when a deck key has the wrong type: say which.
            let key = [("id", &loose.id), ("name", &loose.name)]
                .into_iter()
                .find(|(_, v)| v.as_ref().is_some_and(|v| v.span().contains(&at)))
                .map_or(String::new(), |(k, _)| format!("`{k}`: "));
            errors.push(LineError::new(
                line_at(at),
                format!("{key}{}", one_line(e.message())),
            ));
            // A key written but not as text is reported (here, or as the next problem once
            // the first is fixed), not as missing.
            let reported = |v: &Option<toml::Spanned<toml::Value>>| {
                v.as_ref().is_some_and(|v| !v.get_ref().is_str())
            };
            let line = |v: &Option<toml::Spanned<toml::Value>>| {
                v.as_ref().map_or(0, |v| line_at(v.span().start))
            };
            let lines = DeckLines {
                id: line(&loose.id),
                name: line(&loose.name),
                id_reported: reported(&loose.id),
                name_reported: reported(&loose.name),
            };
            let text_of = |v: Option<toml::Spanned<toml::Value>>| {
                v.and_then(|v| v.into_inner().as_str().map(str::to_owned))
            };
            let description = loose
                .description
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            (text_of(loose.id), text_of(loose.name), description, lines)
        }
    };
    begin_deck(sink, id, deck_name, lines, name, &description);

    let total = text.len().max(1) as f64;
    let mut line = 1 + count_newlines(&text[..head_end]);
    for (i, (start, table)) in starts.iter().enumerate() {
        if errors.len() >= MAX_ERRORS {
            break;
        }
        let end = starts.get(i + 1).map_or(text.len(), |(at, _)| *at);
        let piece = &text[*start..end];
        let located = |e: toml::de::Error| {
            let at = e
                .span()
                .map_or(0, |s| count_newlines(&piece[..s.start.min(piece.len())]));
            LineError::new(line + at, one_line(e.message()))
        };
        match table {
            Table::Card => match toml::from_str::<CardTable>(piece) {
                Ok(parsed) => {
                    for raw in parsed.card {
                        let before = errors.len();
                        let (card, reversed) = card_from(raw, line, &mut errors);
                        // A card missing a field is reported as such, not checked further
                        // (its empty side would be reported twice).
                        if errors.len() == before {
                            sink.card(card);
                            if let Some(reversed) = reversed {
                                sink.card(reversed);
                            }
                        }
                    }
                }
                Err(e) => errors.push(located(e)),
            },
            Table::Prompt => match toml::from_str::<PromptTable>(piece) {
                Ok(parsed) => {
                    for raw in parsed.prompt {
                        let before = errors.len();
                        let prompt = prompt_from(raw, line, &mut errors);
                        if errors.len() == before {
                            sink.prompt(prompt);
                        }
                    }
                }
                Err(e) => errors.push(located(e)),
            },
        }
        if i % 1024 == 1023 {
            sink.progress(end as f64 / total);
        }
        line += count_newlines(piece);
    }
    Some(if errors.is_empty() {
        Ok(())
    } else {
        errors.sort_by_key(|e| e.line);
        Err(errors)
    })
}

/// How many `\n` are in `text`.
pub(super) fn count_newlines(text: &str) -> usize {
    text.bytes().filter(|b| *b == b'\n').count()
}

#[cfg(test)]
mod tests {
    use super::super::draft::Collect;
    use super::super::native::{Syntax, parse};
    use super::*;

    fn streamed(text: &str) -> Option<Result<Vec<super::super::DeckDraft>, Vec<LineError>>> {
        let mut decks = Collect::default();
        parse_into(text, None, &mut decks).map(|r| r.map(|()| decks.0))
    }

    const GOOD: &str = r#"
# A comment with [[card]] in it
id = "demo"
name = "Demo deck"
description = """
A description with
[[card]]
at the start of a line."""

[[card]]
id = "one"
front = "Front one"
back = """
Back one
[[prompt]]
"""
tags = [
  "a",
  "b",
]

[[ card ]]   # spaced header and a comment
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
    fn the_same_drafts_as_reading_the_file_whole() {
        let whole = parse(GOOD, Syntax::Toml).expect("whole");
        let streamed = streamed(GOOD).expect("usual shape").expect("parses");
        assert_eq!(streamed, vec![whole]);
    }

    #[test]
    fn other_shapes_are_left_to_the_whole_file_reader() {
        assert!(streamed("id = \"d\"\nname = \"D\"\n[card]\nid = \"x\"\n").is_none());
        assert!(streamed("id = \"d\"\nname = \"D\"\n[[cards]]\nid = \"x\"\n").is_none());
        assert!(streamed("id = \"d\"\nname = \"D\"\ncard = [{id = \"x\"}]\n").is_none());
        assert!(streamed("id = \"d\"\nname = \"D\"\n[[card.sub]]\nid = \"x\"\n").is_none());
    }

    /// A header left unclosed is a syntax error of its own table; the other tables' problems
    /// are still reported.
    #[test]
    fn an_unclosed_header_hides_no_other_problem() {
        let text = "id = \"d\"\nname = \"D\"\n\n[[card]]\nid = \"a\"\nfront = \"x\"\n\n[[card\nid = \"b\"\n\n[[card]]\nid = \"c\"\nfront = \"f\"\n\n[[card";
        let errors = streamed(text).expect("usual shape").expect_err("bad");
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![4, 8, 11, 15], "{errors:#?}");
        assert!(errors[1].message.contains("]]"), "{errors:#?}");
    }

    #[test]
    fn every_bad_table_is_reported_at_its_line() {
        let text = "id = \"d\"\nname = \"D\"\n\n[[card]]\nid = \"a\"\nfront = \"x\nback = \"y\"\n\n[[card]]\nid = \"b\"\nfront = \"f\"\nback = \"g\"\ncolour = 1\n\n[[card]]\nfront = \"f\"\nback = \"g\"\n";
        let errors = streamed(text).expect("usual shape").expect_err("bad");
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![6, 13, 15], "{errors:#?}");
        assert!(errors[1].message.contains("colour"), "{errors:#?}");
        assert!(errors[2].message.contains("missing `id`"), "{errors:#?}");
    }
}
