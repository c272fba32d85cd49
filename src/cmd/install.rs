//! First run and upgrades: install or update the built-in decks when their content changed.

use crate::ctx::Ctx;
use crate::db::Db;
use crate::db::import::ImportOptions;
use crate::deck::DeckDraft;
use crate::deck::builtin::{BUILTIN, content_version};
use crate::deck::native::{self, Syntax};
use anyhow::{Context, Result, anyhow};

const VERSION_KEY: &str = "builtin_decks_version";

/// Whether the built-in decks in `db` are this alt-prep's, so [`ensure_builtin`] would
/// write nothing.
pub fn builtin_current(db: &Db) -> Result<bool> {
    Ok(db.setting(VERSION_KEY)?.as_deref() == Some(content_version()))
}

/// Cheap when nothing changed (one settings read), so it runs on every start.
pub fn ensure_builtin(db: &mut Db, ctx: &Ctx) -> Result<()> {
    let version = content_version();
    if builtin_current(db)? {
        return Ok(());
    }
    // A built-in deck the learner deleted stays deleted (`deck restore` brings it back).
    let removed = db.removed_builtins()?;
    let drafts: Vec<DeckDraft> = builtin_decks()?
        .into_iter()
        .filter(|d| !removed.contains(&d.id))
        .collect();
    install(db, ctx, &drafts)?;
    db.set_setting(VERSION_KEY, version)?;
    Ok(())
}

/// Every built-in deck, parsed.
pub fn builtin_decks() -> Result<Vec<DeckDraft>> {
    BUILTIN
        .iter()
        .map(|(name, text)| {
            native::parse(text, Syntax::Toml).map_err(|errors| {
                anyhow!(
                    "built-in deck is broken:\n{}",
                    crate::deck::format_errors(name, &errors)
                )
            })
        })
        .collect()
}

/// Installs or updates `drafts` as built-in decks.
pub fn install(db: &mut Db, ctx: &Ctx, drafts: &[DeckDraft]) -> Result<()> {
    let settings = ctx.settings(db)?;
    let scheduler = ctx.scheduler(&settings)?;
    let options = ImportOptions {
        builtin: true,
        ..ImportOptions::default()
    };
    db.import(drafts, options, ctx.now(), &scheduler)
        .context("could not install the built-in decks")?;
    Ok(())
}
