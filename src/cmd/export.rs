//! `alt-prep export`: decks to TOML, JSON, CSV or Anki's text format.

use crate::cli::{ExportArgs, ExportFormat};
use crate::ctx::Ctx;
use crate::deck::write;
use anyhow::{Context, Result, anyhow, bail};
use std::io::Write;
use std::process::ExitCode;

pub fn run(args: ExportArgs, ctx: &mut Ctx) -> Result<ExitCode> {
    let db = ctx.open_db()?;
    let decks = match &args.deck {
        Some(name) => vec![
            db.find_deck(name)?
                .ok_or_else(|| anyhow!("no deck named `{name}` (see `alt-prep decks`)"))?,
        ],
        None => db.decks()?,
    };
    let drafts = decks
        .iter()
        .map(|d| db.deck_draft(d))
        .collect::<Result<Vec<_>>>()?;
    let text = match args.format {
        ExportFormat::Toml | ExportFormat::Json if drafts.len() != 1 => bail!(
            "a TOML or JSON file holds one deck; pass --deck NAME, or use --format csv or anki for several"
        ),
        ExportFormat::Toml => write::to_toml(&drafts[0]),
        ExportFormat::Json => write::to_json(&drafts[0]),
        ExportFormat::Csv => write::to_csv(&drafts),
        ExportFormat::Anki => write::to_anki_text(&drafts),
    }
    .map_err(|e| anyhow!("could not write the export: {e}"))?;
    match &args.output {
        Some(path) => {
            std::fs::write(path, &text)
                .with_context(|| format!("could not write {}", path.display()))?;
            let cards: usize = drafts.iter().map(|d| d.cards.len()).sum();
            writeln!(ctx.out, "Exported {cards} cards to {}", path.display())?;
        }
        // A pipe or a redirect gets the data byte for byte; a terminal gets it escaped, so a
        // deck's escape sequences are shown, not obeyed.
        None if ctx.stdout_tty => ctx.out.write_all(crate::text::safe(&text).as_bytes())?,
        None => ctx.out.write_all(text.as_bytes())?,
    }
    Ok(ExitCode::SUCCESS)
}
