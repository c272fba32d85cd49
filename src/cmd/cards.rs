//! `alt-prep cards`: the flashcards, with their keys and state.

use crate::cli::CardsArgs;
use crate::ctx::Ctx;
use crate::db::filter::CardFilter;
use crate::text::{one_line, truncate};
use anyhow::Result;
use serde::Serialize;
use std::io::Write;
use std::process::ExitCode;

#[derive(Serialize)]
struct CardLine<'a> {
    id: i64,
    key: &'a str,
    deck: &'a str,
    front: &'a str,
    back: &'a str,
    tags: &'a [String],
    state: &'static str,
    suspended: bool,
    due: Option<String>,
}

pub fn run(args: CardsArgs, ctx: &mut Ctx) -> Result<ExitCode> {
    let db = ctx.open_db()?;
    let filter = CardFilter {
        deck_ids: db.resolve_decks(args.deck.as_slice())?,
        tags: vec![],
    };
    let cards = db.list_cards(&filter, 0)?;
    if args.json {
        let lines: Vec<CardLine> = cards
            .iter()
            .map(|c| CardLine {
                id: c.id,
                key: &c.key,
                deck: &c.deck,
                front: &c.front,
                back: &c.back,
                tags: &c.tags,
                state: c.schedule.state.name(),
                suspended: c.suspended,
                due: (c.schedule.state.code() != 0).then(|| super::rfc3339(c.schedule.due)),
            })
            .collect();
        super::print_json(ctx, &lines)?;
        return Ok(ExitCode::SUCCESS);
    }
    for c in &cards {
        let due = if c.schedule.state.code() == 0 {
            "-".to_owned()
        } else {
            ctx.local(c.schedule.due)
        };
        writeln!(
            ctx.out,
            "{:>6}  {:<10}  {:<16}  {}  {}",
            c.id,
            if c.suspended {
                "suspended"
            } else {
                c.schedule.state.name()
            },
            due,
            truncate(&one_line(&c.key), 40),
            truncate(&one_line(&c.front), 60),
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
