//! `alt-prep export`: decks to TOML, JSON, CSV or Anki's text format.

use crate::cli::{ExportArgs, ExportFormat};
use crate::ctx::Ctx;
use crate::deck::write;
use anyhow::{Context, Result, anyhow, bail};
use std::io::Write;
use std::path::{Path, PathBuf};
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
            if is_database_file(path, &ctx.db_path) {
                bail!(
                    "{} is the database itself (or one of its files); export to another file",
                    path.display()
                );
            }
            write_replacing(path, text.as_bytes())
                .with_context(|| format!("could not write {}", path.display()))?;
            let cards: usize = drafts.iter().map(|d| d.cards.len()).sum();
            // Only TOML and JSON hold interview prompts.
            let prompts: usize = match args.format {
                ExportFormat::Toml | ExportFormat::Json => {
                    drafts.iter().map(|d| d.prompts.len()).sum()
                }
                _ => 0,
            };
            let what = if prompts > 0 {
                format!("{cards} cards and {prompts} interview prompts")
            } else {
                format!("{cards} cards")
            };
            writeln!(ctx.out, "Exported {what} to {}", path.display())?;
        }
        // A pipe or a redirect gets the data byte for byte; a terminal gets it escaped, so a
        // deck's escape sequences are shown, not obeyed.
        None if ctx.stdout_tty => ctx.out.write_all(crate::text::safe(&text).as_bytes())?,
        None => ctx.out.write_all(text.as_bytes())?,
    }
    Ok(ExitCode::SUCCESS)
}

/// Whether `output` is the database or one of SQLite's files beside it (`-wal`, `-shm`,
/// `-journal`), through any symlink or relative path: an export there would overwrite the
/// learner's collection.
fn is_database_file(output: &Path, db: &Path) -> bool {
    let Some(db) = resolve(db) else {
        return false;
    };
    let Some(output) = resolve(output) else {
        return false;
    };
    let db = db.as_os_str().to_owned();
    ["", "-wal", "-shm", "-journal"].iter().any(|suffix| {
        let mut name = db.clone();
        name.push(suffix);
        output.as_os_str() == name
    })
}

/// A path made absolute with symlinks followed; for a file not yet made, its folder resolved
/// and its name appended.
fn resolve(path: &Path) -> Option<PathBuf> {
    if let Ok(found) = std::fs::canonicalize(path) {
        return Some(found);
    }
    let name = path.file_name()?;
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    Some(std::fs::canonicalize(parent).ok()?.join(name))
}

/// Writes a whole file or nothing: the text goes to a temporary file beside it, renamed over
/// the target, so a full disk or a killed process never leaves half an export in place of a
/// good file.
fn write_replacing(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let target = resolve(path).unwrap_or_else(|| path.to_path_buf());
    // A device or pipe (`-o /dev/stdout`) is written to as it is.
    if std::fs::metadata(&target).is_ok_and(|m| !m.is_file()) {
        return std::fs::write(&target, bytes);
    }
    let folder = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut temp = match tempfile::NamedTempFile::new_in(&folder) {
        Ok(temp) => temp,
        // A folder the learner may not create files in, holding a file they may write (a
        // shared or read-only folder): overwrite that file in place, as `>` would.
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied && target.is_file() => {
            return std::fs::write(&target, bytes);
        }
        // Its message names the temporary file, which the learner never asked for.
        Err(e) => return Err(std::io::Error::from(e.kind())),
    };
    temp.write_all(bytes)?;
    // A temporary file is private (0600); the export gets the permissions the file it
    // replaces had, or a new file's usual ones.
    let permissions = match std::fs::metadata(&target) {
        Ok(meta) => meta.permissions(),
        Err(_) => new_file_permissions(temp.as_file())?,
    };
    temp.as_file().set_permissions(permissions)?;
    temp.as_file().sync_all()?;
    temp.persist(&target).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(unix)]
fn new_file_permissions(_: &std::fs::File) -> std::io::Result<std::fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Ok(std::fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn new_file_permissions(file: &std::fs::File) -> std::io::Result<std::fs::Permissions> {
    Ok(file.metadata()?.permissions())
}
