//! `alt-prep decks`: every deck with its counts, as `review` would see them now.

use crate::cli::JsonArg;
use crate::ctx::Ctx;
use crate::text::one_line;
use anyhow::Result;
use colored::Colorize;
use serde::Serialize;
use std::io::Write;
use std::process::ExitCode;

#[derive(Serialize)]
struct DeckLine {
    id: String,
    name: String,
    description: String,
    builtin: bool,
    cards: i64,
    prompts: i64,
    new: i64,
    learning: i64,
    due: i64,
    suspended: i64,
}

pub fn run(args: JsonArg, ctx: &mut Ctx) -> Result<ExitCode> {
    let db = ctx.open_db()?;
    let now = ctx.now();
    let mut lines = Vec::new();
    for deck in db.decks()? {
        let c = db.deck_counts(deck.id, now)?;
        lines.push(DeckLine {
            id: deck.key,
            name: deck.name,
            description: deck.description,
            builtin: deck.builtin,
            cards: c.cards,
            prompts: c.prompts,
            new: c.new,
            learning: c.learning,
            due: c.due,
            suspended: c.suspended,
        });
    }
    if args.json {
        super::print_json(ctx, &lines)?;
        return Ok(ExitCode::SUCCESS);
    }
    let width = lines
        .iter()
        .map(|l| l.name.chars().count())
        .max()
        .unwrap_or(4)
        .max(4);
    let out = &mut ctx.out;
    writeln!(
        out,
        "{}",
        format!(
            "{:<width$}  {:>6}  {:>5}  {:>5}  {:>5}  {:>9}",
            "deck", "cards", "new", "learn", "due", "suspended"
        )
        .bold()
    )?;
    for l in &lines {
        writeln!(
            out,
            "{:<width$}  {:>6}  {:>5}  {:>5}  {:>5}  {:>9}",
            one_line(&l.name),
            if l.cards == 0 && l.prompts > 0 {
                format!("{}p", l.prompts)
            } else {
                l.cards.to_string()
            },
            l.new,
            l.learning,
            l.due,
            l.suspended
        )?;
        if !l.description.is_empty() {
            writeln!(out, "  {}", one_line(&l.description).dimmed())?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
