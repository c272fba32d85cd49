//! `alt-prep import FILE...`: every file parsed first, then all of them in one transaction.

use crate::cli::{FormatArg, ImportArgs};
use crate::ctx::Ctx;
use crate::db::import::ImportOptions;
use crate::deck::load::{Format, load};
use anyhow::{Result, bail};
use std::io::Write;
use std::process::ExitCode;

pub fn run(args: ImportArgs, ctx: &mut Ctx) -> Result<ExitCode> {
    let forced = args.format.map(|f| match f {
        FormatArg::Toml => Format::Toml,
        FormatArg::Json => Format::Json,
        FormatArg::Csv => Format::Csv,
        FormatArg::Tsv => Format::Tsv,
        FormatArg::Anki => Format::AnkiText,
        FormatArg::Markdown => Format::Markdown,
        FormatArg::Apkg => Format::Apkg,
    });
    // Parse everything before opening a transaction: a bad file leaves the database untouched.
    let mut drafts = Vec::new();
    let mut problems = Vec::new();
    let mut notes = Vec::new();
    for file in &args.files {
        match load(file, forced, args.deck.as_deref()) {
            Ok(loaded) => {
                drafts.extend(loaded.decks);
                notes.extend(
                    loaded
                        .notes
                        .into_iter()
                        .map(|n| format!("{}: {n}", file.display())),
                );
            }
            Err(e) => problems.push(e.to_string()),
        }
    }
    if !problems.is_empty() {
        bail!("nothing was imported:\n{}", problems.join("\n"));
    }
    let mut db = ctx.open_db()?;
    let settings = ctx.settings(&db)?;
    let scheduler = ctx.scheduler(&settings)?;
    let options = ImportOptions {
        prune: args.prune,
        dry_run: args.dry_run,
        builtin: false,
    };
    let report = db.import(&drafts, options, ctx.now(), &scheduler)?;
    for note in &notes {
        eprintln!("alt-prep: note: {note}");
    }
    if args.json {
        super::print_json(ctx, &report)?;
        return Ok(ExitCode::SUCCESS);
    }
    let verb = if report.dry_run {
        "Would import"
    } else {
        "Imported"
    };
    for d in &report.decks {
        writeln!(
            ctx.out,
            "{verb} {}: {} added, {} updated, {} unchanged{}{}",
            crate::text::safe(&d.deck),
            d.added,
            d.updated,
            d.unchanged,
            if d.removed > 0 {
                format!(", {} removed", d.removed)
            } else {
                String::new()
            },
            if d.reviews_imported > 0 {
                format!(", {} past reviews", d.reviews_imported)
            } else {
                String::new()
            }
        )?;
        if !d.missing.is_empty() {
            writeln!(
                ctx.out,
                "  {} card(s) no longer in the file were kept (use --prune to remove): {}",
                d.missing.len(),
                crate::text::safe(&d.missing.join(", "))
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
