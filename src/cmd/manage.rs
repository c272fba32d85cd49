//! Changes by hand: `add`, `edit`, `delete`, `deck rename`, `deck delete`.

use crate::cli::{AddArgs, DeckCommand, DeleteArgs, EditArgs};
use crate::ctx::Ctx;
use crate::deck::CardDraft;
use crate::deck::DeckDraft;
use crate::deck::draft::tidy_side;
use crate::deck::validate::check_deck;
use crate::text::safe;
use anyhow::{Context, Result, anyhow, bail};
use std::io::Write;
use std::process::ExitCode;

/// Validates one card with the same rules as an imported deck.
fn validated(card: CardDraft) -> Result<CardDraft> {
    let probe = DeckDraft {
        id: "check".into(),
        name: "check".into(),
        description: String::new(),
        cards: vec![card],
        prompts: vec![],
    };
    let errors = check_deck(&probe);
    if let Some(e) = errors.first() {
        bail!("{}", e.message);
    }
    probe.cards.into_iter().next().context("no card")
}

/// A stable id for a card added by hand: from its front, as CSV (and Markdown) imports make
/// them, so a front already in the deck from a spreadsheet is found, and an exported and
/// re-imported deck keeps matching.
fn card_key(front: &str) -> String {
    crate::deck::csv::card_id_from_text(front)
}

/// A card typed by hand, tidied as every import format tidies one (`draft::tidy_side`), its
/// tags without repeats: what an export of it imports back as.
fn typed_card(key: String, front: &str, back: &str, tags: Vec<String>) -> CardDraft {
    let mut card = CardDraft::new(key, tidy_side(front), tidy_side(back));
    let mut seen = std::collections::HashSet::new();
    card.tags = tags
        .into_iter()
        .filter(|t| seen.insert(t.clone()))
        .collect();
    card
}

/// A deck name typed by the learner: trimmed, and refused when empty or holding a tab, line
/// break or NUL, which would break the deck list's columns and every export format. (Other
/// control characters are shown escaped, like any deck text.)
pub(crate) fn deck_name(raw: &str) -> Result<String> {
    let name = raw.trim();
    if name.is_empty() {
        bail!("a deck name cannot be empty");
    }
    if name.contains(char::is_control) {
        bail!(
            "a deck name cannot hold tabs, line breaks or other control characters: `{}`",
            name.escape_debug()
        );
    }
    // `::` separates the levels of a deck name, as in Anki; an empty level would be dropped
    // by the deck's own export read back in, making it another deck.
    if name.split("::").any(|level| level.trim().is_empty()) {
        bail!("a deck name cannot have an empty level between `::`: `{name}`");
    }
    Ok(name.to_owned())
}

pub fn add(args: AddArgs, ctx: &mut Ctx) -> Result<ExitCode> {
    let db = ctx.open_db()?;
    let front = tidy_side(&args.front);
    let card = validated(typed_card(card_key(&front), &front, &args.back, args.tags))?;
    let now = ctx.now();
    // A deck that exists is found by its name whatever it holds (an imported deck's name
    // may have been made elsewhere); only a new deck's name is checked.
    let deck = match db.find_deck(args.deck.trim())? {
        Some(deck) => deck,
        None => db.ensure_deck(&deck_name(&args.deck)?, now)?,
    };
    let (id, key) = db.add_card(deck.id, &card.id, &card, now)?;
    writeln!(
        ctx.out,
        "Added card {id} ({}/{}) to {}",
        safe(&deck.key),
        safe(&key),
        safe(&deck.name)
    )?;
    Ok(ExitCode::SUCCESS)
}

pub fn edit(args: EditArgs, ctx: &mut Ctx) -> Result<ExitCode> {
    let db = ctx.open_db()?;
    let card = db.find_card(&args.id)?;
    if card.kind != 0 {
        bail!(
            "{} is an interview prompt; edit its deck file and import it again",
            card.key
        );
    }
    let (front, back, tags) = if args.front.is_none() && args.back.is_none() && args.tags.is_empty()
    {
        in_editor(&card.front, &card.back, &card.tags)?
    } else {
        (
            args.front.unwrap_or(card.front.clone()),
            args.back.unwrap_or(card.back.clone()),
            if args.tags.is_empty() {
                card.tags.clone()
            } else {
                args.tags
            },
        )
    };
    let draft = validated(typed_card("edit".into(), &front, &back, tags))?;
    if (draft.front.as_str(), draft.back.as_str(), &draft.tags)
        == (card.front.as_str(), card.back.as_str(), &card.tags)
    {
        writeln!(ctx.out, "No change to {}.", safe(&card.key))?;
        return Ok(ExitCode::SUCCESS);
    }
    db.edit_card(card.id, &draft.front, &draft.back, &draft.tags, ctx.now())?;
    writeln!(
        ctx.out,
        "Updated {} ({}); its schedule and history are kept.",
        card.id,
        safe(&card.key)
    )?;
    Ok(ExitCode::SUCCESS)
}

/// Opens the card in `$EDITOR` as a small TOML document and reads it back.
fn in_editor(front: &str, back: &str, tags: &[String]) -> Result<(String, String, Vec<String>)> {
    // Unknown keys refused: `tag = […]` for `tags` would otherwise drop the card's tags.
    #[derive(serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Doc {
        front: String,
        back: String,
        #[serde(default)]
        tags: Vec<String>,
    }
    let doc = Doc {
        front: front.to_owned(),
        back: back.to_owned(),
        tags: tags.to_vec(),
    };
    let text = crate::editor::edit(&toml::to_string_pretty(&doc)?, ".toml")?;
    let doc: Doc = toml::from_str(&text).map_err(|e| {
        anyhow!(
            "the edited card is not valid: {}; nothing changed",
            e.message()
        )
    })?;
    Ok((doc.front, doc.back, doc.tags))
}

pub fn delete(args: DeleteArgs, ctx: &mut Ctx) -> Result<ExitCode> {
    let mut db = ctx.open_db()?;
    let mut cards = args
        .ids
        .iter()
        .map(|id| db.find_card(id))
        .collect::<Result<Vec<_>>>()?;
    // One card named twice (by id and by key, say) is deleted and reported once.
    let mut seen = std::collections::HashSet::new();
    cards.retain(|c| seen.insert(c.id));
    db.delete_cards(&cards.iter().map(|c| c.id).collect::<Vec<_>>())?;
    for c in &cards {
        writeln!(ctx.out, "Deleted {} ({})", c.id, safe(&c.key))?;
    }
    Ok(ExitCode::SUCCESS)
}

pub fn deck(command: DeckCommand, ctx: &mut Ctx) -> Result<ExitCode> {
    let db = ctx.open_db()?;
    match command {
        DeckCommand::Rename { old, new } => {
            let deck = db
                .find_deck(&old)?
                .ok_or_else(|| anyhow!("no deck named `{old}` (see `alt-prep decks`)"))?;
            let new = deck_name(&new)?;
            db.rename_deck(deck.id, &new)?;
            writeln!(
                ctx.out,
                "Renamed `{}` to `{}`",
                safe(&deck.name),
                safe(&new)
            )?;
        }
        DeckCommand::Delete { name, yes } => {
            let deck = db
                .find_deck(&name)?
                .ok_or_else(|| anyhow!("no deck named `{name}` (see `alt-prep decks`)"))?;
            let counts = db.deck_counts(deck.id, ctx.now())?;
            let question = format!(
                "Delete `{}` with its {} cards, {} prompts and their review history?",
                safe(&deck.name),
                counts.cards,
                counts.prompts
            );
            if !yes && !super::confirm(ctx, &question)? {
                writeln!(ctx.out, "Nothing deleted.")?;
                return Ok(ExitCode::FAILURE);
            }
            db.delete_deck(deck.id)?;
            writeln!(ctx.out, "Deleted deck `{}`", safe(&deck.name))?;
            if deck.builtin {
                db.mark_builtin_removed(&deck.key, true)?;
                writeln!(
                    ctx.out,
                    "It is a built-in deck: it stays deleted when alt-prep's decks are updated; `alt-prep deck restore {}` brings it back.",
                    // Its id: the name may have been changed since it was installed.
                    safe(&deck.key)
                )?;
            }
        }
        DeckCommand::Restore { name } => {
            let wanted = name.trim();
            let drafts = super::install::builtin_decks()?;
            let Some(draft) = drafts
                .into_iter()
                .find(|d| d.name.eq_ignore_ascii_case(wanted) || d.id.eq_ignore_ascii_case(wanted))
            else {
                bail!(
                    "no built-in deck named `{}`; the built-in decks are: {}",
                    safe(wanted),
                    super::install::builtin_decks()?
                        .iter()
                        .map(|d| d.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            };
            if let Some(there) = db.decks()?.into_iter().find(|d| d.key == draft.id) {
                writeln!(ctx.out, "`{}` is already there.", safe(&there.name))?;
                return Ok(ExitCode::SUCCESS);
            }
            let mut db = db;
            super::install::install(&mut db, ctx, std::slice::from_ref(&draft))?;
            db.mark_builtin_removed(&draft.id, false)?;
            writeln!(
                ctx.out,
                "Restored `{}` ({} cards, {} prompts)",
                safe(&draft.name),
                draft.cards.len(),
                draft.prompts.len()
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
