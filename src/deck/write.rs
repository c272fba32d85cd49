//! Decks out: the native TOML/JSON format, CSV, and Anki's plain-text notes format. Each
//! writer is pure (drafts in, text out) and its output imports back to the same cards.

use super::draft::{CardDraft, DeckDraft, PromptDraft};
use serde::Serialize;

#[derive(Serialize)]
struct NativeDeck<'a> {
    id: &'a str,
    name: &'a str,
    description: &'a str,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    card: Vec<NativeCard<'a>>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    prompt: Vec<NativePrompt<'a>>,
}

#[derive(Serialize)]
struct NativeCard<'a> {
    id: &'a str,
    front: &'a str,
    back: &'a str,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    tags: &'a [String],
}

#[derive(Serialize)]
struct NativePrompt<'a> {
    id: &'a str,
    category: &'a str,
    question: &'a str,
    talking_points: &'a [String],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    follow_ups: &'a [String],
    time_limit_secs: u32,
    tips: &'a str,
}

fn native(deck: &DeckDraft) -> NativeDeck<'_> {
    NativeDeck {
        id: &deck.id,
        name: &deck.name,
        description: &deck.description,
        card: deck.cards.iter().map(native_card).collect(),
        prompt: deck.prompts.iter().map(native_prompt).collect(),
    }
}

fn native_card(c: &CardDraft) -> NativeCard<'_> {
    NativeCard {
        id: &c.id,
        front: &c.front,
        back: &c.back,
        tags: &c.tags,
    }
}

fn native_prompt(p: &PromptDraft) -> NativePrompt<'_> {
    NativePrompt {
        id: &p.id,
        category: &p.category,
        question: &p.question,
        talking_points: &p.talking_points,
        follow_ups: &p.follow_ups,
        time_limit_secs: p.time_limit_secs,
        tips: &p.tips,
    }
}

pub fn to_toml(deck: &DeckDraft) -> Result<String, String> {
    toml::to_string_pretty(&native(deck)).map_err(|e| e.to_string())
}

pub fn to_json(deck: &DeckDraft) -> Result<String, String> {
    serde_json::to_string_pretty(&native(deck))
        .map(|s| s + "\n")
        .map_err(|e| e.to_string())
}

/// `front,back,tags,id,deck` with a header row; RFC 4180 quoting. Prompts are not included.
/// The `id` and `deck` columns bring the same cards back into the same decks on import (a
/// card's history follows its id), however the fronts were edited meanwhile.
pub fn to_csv(decks: &[DeckDraft]) -> Result<String, String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut write = |row: [&str; 6]| writer.write_record(row).map_err(|e| e.to_string());
    write(["front", "back", "tags", "id", "deck", "deck_id"])?;
    for deck in decks {
        for c in &deck.cards {
            write([
                &c.front,
                &c.back,
                &c.tags.join(" "),
                &c.id,
                &deck.name,
                &deck.id,
            ])?;
        }
    }
    let bytes = writer.into_inner().map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| e.to_string())
}

/// Anki's "Notes in Plain Text" with headers, so Anki's File > Import reads deck, GUID and
/// tags from their columns. Fields are plain text (`#html:false`), quoted where needed.
///
/// The GUID is `alt-prep:<deck id>/<card id>` ([`super::anki_text::own_guid`]): unique across
/// decks as Anki needs, and read back by alt-prep's importer as the same deck and card, so a
/// deck exported, imported (into Anki and out again, or straight back) keeps its cards and
/// their reviews. It comes first, so no line starts with a deck name's `#` (a comment line).
pub fn to_anki_text(decks: &[DeckDraft]) -> Result<String, String> {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b'\t')
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(Vec::new());
    for deck in decks {
        for c in &deck.cards {
            let guid = super::anki_text::make_own_guid(&deck.id, &c.id);
            writer
                .write_record([&guid, &deck.name, &c.front, &c.back, &c.tags.join(" ")])
                .map_err(|e| e.to_string())?;
        }
    }
    let body = String::from_utf8(writer.into_inner().map_err(|e| e.to_string())?)
        .map_err(|e| e.to_string())?;
    Ok(format!(
        "#separator:tab\n#html:false\n#notetype:Basic\n#guid column:1\n#deck column:2\n#tags column:5\n{body}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::native::{Syntax, parse};

    fn deck() -> DeckDraft {
        let mut a = CardDraft::new("a", "Front, with \"quotes\"", "Back\nwith a newline");
        a.tags = vec!["x".into(), "y".into()];
        DeckDraft {
            id: "d".into(),
            name: "Deck".into(),
            description: "about".into(),
            cards: vec![a, CardDraft::new("b", "Tab\there", "plain")],
            prompts: vec![PromptDraft {
                id: "p".into(),
                category: "motivation".into(),
                question: "Why?".into(),
                talking_points: vec!["a".into(), "b".into(), "c".into()],
                follow_ups: vec![],
                time_limit_secs: 90,
                tips: "t".into(),
                line: 0,
            }],
        }
    }

    fn same_content(a: &DeckDraft, b: &DeckDraft) {
        assert_eq!(
            (&a.id, &a.name, &a.description),
            (&b.id, &b.name, &b.description)
        );
        let cards = |d: &DeckDraft| {
            d.cards
                .iter()
                .map(|c| {
                    (
                        c.id.clone(),
                        c.front.clone(),
                        c.back.clone(),
                        c.tags.clone(),
                    )
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(cards(a), cards(b));
        assert_eq!(a.prompts.len(), b.prompts.len());
        assert_eq!(a.prompts[0].question, b.prompts[0].question);
    }

    #[test]
    fn toml_and_json_round_trip() {
        let d = deck();
        let toml = to_toml(&d).expect("toml");
        same_content(&d, &parse(&toml, Syntax::Toml).expect("parse toml"));
        let json = to_json(&d).expect("json");
        same_content(&d, &parse(&json, Syntax::Json).expect("parse json"));
    }

    #[test]
    fn csv_and_anki_text_quote_what_needs_quoting() {
        let csv = to_csv(&[deck()]).expect("csv");
        assert!(csv.starts_with("front,back,tags,id,deck,deck_id\n"));
        assert!(
            csv.contains("\"Front, with \"\"quotes\"\"\",\"Back\nwith a newline\",x y,a,Deck,d\n")
        );
        let anki = to_anki_text(&[deck()]).expect("anki");
        assert!(anki.starts_with("#separator:tab\n#html:false\n"));
        assert!(anki.contains("\nalt-prep:d/b\tDeck\t\"Tab\there\"\tplain\t\n"));
        // Both come back as the same deck and cards, ids included.
        for (text, format) in [(&csv, "csv"), (&anki, "anki")] {
            let decks = match format {
                "csv" => crate::deck::csv::parse_csv(text.as_bytes(), "x.csv", ""),
                _ => crate::deck::anki_text::parse(text.as_bytes(), "x.txt", "")
                    .map(|import| import.decks),
            }
            .expect(format);
            assert_eq!(decks.len(), 1, "{format}");
            assert_eq!(decks[0].name, "Deck", "{format}");
            let ids: Vec<&str> = decks[0].cards.iter().map(|c| c.id.as_str()).collect();
            assert_eq!(ids, ["a", "b"], "{format}");
            assert_eq!(decks[0].cards[0].back, "Back\nwith a newline", "{format}");
        }
        assert_eq!(
            crate::deck::anki_text::parse(anki.as_bytes(), "x.txt", "")
                .map(|i| i.decks[0].id.clone()),
            Ok("d".to_string())
        );
    }
}
