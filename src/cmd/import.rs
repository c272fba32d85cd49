//! `alt-prep import FILE...`: every file read into one transaction, card by card, with a
//! progress bar on a terminal; committed only if every file was good.

use crate::cli::{FormatArg, ImportArgs};
use crate::ctx::Ctx;
use crate::db::import::{ImportOptions, Importer};
use crate::deck::draft::{CardDraft, PromptDraft, Sink};
use crate::deck::load::{Format, load_into_in_parallel};
use crate::progress::Progress;
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
    // A typed deck name is checked as `add --deck` checks it (a file's own names are tidied
    // by its reader).
    let deck = args
        .deck
        .as_deref()
        .map(super::manage::deck_name)
        .transpose()?;
    // One transaction for every file; each card goes in as it is read, so a large file is
    // never held whole as drafts. Any problem in any file rolls all of it back.
    let mut db = if args.dry_run {
        ctx.open_db_to_look()?
    } else {
        ctx.open_db()?
    };
    let settings = ctx.settings(&db)?;
    let scheduler = ctx.scheduler(&settings)?;
    // The files' size on disk (an unreadable one counts as nothing: its reader says why).
    let bytes: u64 = args
        .files
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();
    // Text is written at 250,000+ cards a second; an Anki package's review history is
    // replayed card by card (12 s for a million reviews), and through a rollback journal
    // other alt-prep commands wait for the whole import (`db::journal`), so packages keep WAL.
    let packages = args.files.iter().any(|f| is_package(f, forced));
    let options = ImportOptions {
        prune: args.prune,
        dry_run: args.dry_run,
        builtin: false,
        large: crate::db::journal::is_large_import(bytes) && !packages,
    };
    let mut importer = db.importer(options, ctx.now(), &scheduler)?;
    let started = std::time::Instant::now();
    let mut problems = Vec::new();
    let mut notes = Vec::new();
    let mut items = 0u64;
    // The database refused a card (reported once: later files are only read).
    let mut refused = false;
    for file in &args.files {
        importer.begin_file();
        let mut sink = WithProgress {
            importer: &mut importer,
            progress: Progress::new(&file.file_name().map_or_else(
                || file.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            )),
            items: &mut items,
            skip: !problems.is_empty(),
            spent: Vec::new(),
        };
        let loaded = load_into_in_parallel(file, forced, deck.as_deref(), &mut sink);
        sink.progress.finish();
        let read_problems = match loaded {
            Ok((_, file_notes)) => {
                notes.extend(
                    file_notes
                        .into_iter()
                        .map(|n| format!("{}: {n}", file.display())),
                );
                false
            }
            Err(e) => {
                problems.push(e.to_string());
                true
            }
        };
        if !refused && let Some(e) = importer.failure() {
            // Name the file being read when the database refused a card (an id already
            // imported from an earlier file of this command, say). When the file has
            // problems of its own, they are listed too, not hidden behind the refusal.
            let refusal = format!("{}: {e:#}", file.display());
            if !read_problems {
                return Err(anyhow::anyhow!(refusal));
            }
            problems.push(refusal);
            refused = true;
        }
    }
    if !problems.is_empty() {
        drop(importer);
        bail!("nothing was imported:\n{}", problems.join("\n"));
    }
    // The commit writes the whole import to disk: seconds for a large one, so say so.
    let mut saving = Progress::since("", started);
    saving.say(&format!(
        "Saving {} cards…",
        crate::text::thousands(i64::try_from(items).unwrap_or(i64::MAX))
    ));
    let mut report = importer.finish()?;
    saving.finish();
    for note in &notes {
        eprintln!("alt-prep: note: {}", crate::text::safe(note));
    }
    report.notes = notes;
    if args.json {
        super::print_json(ctx, &report)?;
        return Ok(ExitCode::SUCCESS);
    }
    let verb = if report.dry_run {
        "Would import"
    } else {
        "Imported"
    };
    if let Some(taken) = &report.fsrs_parameters {
        writeln!(
            ctx.out,
            "{} the FSRS parameters of your Anki preset \"{}\" (fitted to your reviews there), as Anki would; `alt-prep optimize --reset` goes back to the defaults",
            if report.dry_run { "Would use" } else { "Using" },
            crate::text::safe(&taken.preset)
        )?;
    }
    if let Some(left) = &report.fsrs_parameters_not_adopted {
        writeln!(
            ctx.out,
            "Kept the FSRS parameters in use, not those of your Anki preset \"{}\": {}",
            crate::text::safe(&left.preset),
            left.reason
        )?;
    }
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
        if d.moved_in > 0 {
            writeln!(
                ctx.out,
                "  {} card(s) moved here from another deck, with their reviews (same Anki note)",
                d.moved_in
            )?;
        }
        if d.kept_elsewhere > 0 {
            writeln!(
                ctx.out,
                "  {} card(s) updated in the deck they are in here (an Anki notes export names one deck per note, so it moves no card)",
                d.kept_elsewhere
            )?;
        }
        if d.older > 0 {
            writeln!(
                ctx.out,
                "  {} card(s) left as they are: this package is older than the one imported before (Anki changed them since)",
                d.older
            )?;
        }
        if d.not_kept {
            writeln!(
                ctx.out,
                "  no deck {} made for them",
                if report.dry_run { "would be" } else { "was" }
            )?;
        }
        if d.rescheduled > 0 {
            writeln!(
                ctx.out,
                "  {} card(s) brought up to Anki's newer reviews or schedule (not studied here yet), or to a suspend or unsuspend made in Anki",
                d.rescheduled
            )?;
        }
        if d.recomputed > 0 {
            writeln!(
                ctx.out,
                "  {} card(s) not studied here {} their memory state worked out again from Anki's reviews under the FSRS parameters taken above",
                d.recomputed,
                if report.dry_run { "would have" } else { "had" }
            )?;
        }
        if d.reviews_skipped > 0 {
            writeln!(
                ctx.out,
                "  {} past review(s) left out: dated before 1970 or more than a year from now",
                d.reviews_skipped
            )?;
        }
        if !d.missing.is_empty() {
            writeln!(
                ctx.out,
                "  {} card(s) no longer in the file were kept (use --prune to remove): {}",
                d.missing.len(),
                some_keys(&d.missing)
            )?;
        }
        if !d.removed_keys.is_empty() {
            writeln!(
                ctx.out,
                "  {} card(s) no longer in the file {} removed with their reviews: {}",
                d.removed_keys.len(),
                if report.dry_run { "would be" } else { "were" },
                some_keys(&d.removed_keys)
            )?;
        }
    }
    for name in &report.emptied_decks {
        writeln!(
            ctx.out,
            "Deck {} {} removed: every card in it moved to another deck",
            crate::text::safe(name),
            if report.dry_run { "would be" } else { "was" },
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The first keys of a list, for a line a learner can read; `--json` has them all.
fn some_keys(keys: &[String]) -> String {
    const SHOWN: usize = 10;
    let mut text = crate::text::safe(&keys[..keys.len().min(SHOWN)].join(", ")).into_owned();
    if keys.len() > SHOWN {
        text.push_str(&format!(
            " and {} more (--json lists all)",
            keys.len() - SHOWN
        ));
    }
    text
}

/// Feeds the importer and draws the progress bar. After a bad file (`skip`), later files are
/// still read for their problems but nothing more is written: it would be rolled back anyway.
struct WithProgress<'a, 'b> {
    importer: &'a mut Importer<'b>,
    progress: Progress,
    items: &'a mut u64,
    skip: bool,
    /// Cards written, until [`Sink::spent`] hands them back to the reading thread.
    spent: Vec<CardDraft>,
}

impl Sink for WithProgress<'_, '_> {
    fn deck(&mut self, id: &str, name: &str, description: &str) {
        if !self.skip {
            self.importer.deck(id, name, description);
        }
    }

    fn card(&mut self, card: CardDraft) {
        let hash = card.content_hash();
        self.card_hashed(card, hash);
    }

    fn card_hashed(&mut self, card: CardDraft, hash: i64) {
        *self.items += 1;
        if self.skip {
            self.spent.push(card);
        } else if let Some(card) = self.importer.card_owned(card, hash) {
            self.spent.push(card);
        }
    }

    fn prompt(&mut self, prompt: PromptDraft) {
        *self.items += 1;
        if !self.skip {
            self.importer.prompt(prompt);
        }
    }

    fn progress(&mut self, fraction: f64) {
        self.progress.update(fraction, *self.items);
    }

    fn fsrs_parameters(&mut self, preset: &str, parameters: &[f32]) {
        if !self.skip {
            self.importer.fsrs_parameters(preset, parameters);
        }
    }

    fn spent(&mut self) -> Vec<CardDraft> {
        let mut spent = std::mem::take(&mut self.spent);
        spent.append(&mut self.importer.take_written());
        spent
    }
}

/// Whether `path` will be read as an Anki package: decided as the reader decides
/// (`--format`, the extension, else the zip magic at its start).
fn is_package(path: &std::path::Path, forced: Option<Format>) -> bool {
    use std::io::Read;
    let mut head = Vec::with_capacity(4);
    let _ = std::fs::File::open(path).and_then(|f| f.take(4).read_to_end(&mut head));
    crate::deck::load::detect(path, &head, forced) == Some(Format::Apkg)
}
