//! `alt-prep check`, `backup [--list]` and `restore FILE`.

use crate::cli::{BackupArgs, RestoreArgs};
use crate::ctx::Ctx;
use crate::db::backup;
use anyhow::{Context, Result, bail};
use std::io::Write;
use std::process::ExitCode;

pub fn check(ctx: &mut Ctx) -> Result<ExitCode> {
    let db = ctx.open_db_file()?;
    let check = db.check()?;
    let shown = ctx.db_path.display();
    if check.problems.is_empty() {
        writeln!(ctx.out, "{shown}: ok")?;
        return Ok(ExitCode::SUCCESS);
    }
    // A damaged page can yield thousands of lines; the first ones tell the story.
    const SHOWN: usize = 20;
    for p in check.problems.iter().take(SHOWN) {
        writeln!(ctx.out, "{shown}: {}", crate::text::safe(p))?;
    }
    if check.problems.len() > SHOWN {
        writeln!(
            ctx.out,
            "{shown}: … and {} more",
            check.problems.len() - SHOWN
        )?;
    }
    let what = if check.damaged {
        format!("{shown} is damaged")
    } else {
        format!("{shown} has inconsistent data")
    };
    writeln!(
        ctx.out,
        "Found {} problem(s): {what}; nothing was changed. Restore a backup with `alt-prep restore FILE` (backups are in {}; `alt-prep backup --list` lists them).",
        check.problems.len(),
        backup::folder(&ctx.db_path).display()
    )?;
    Ok(ExitCode::FAILURE)
}

pub fn backup(args: BackupArgs, ctx: &mut Ctx) -> Result<ExitCode> {
    if args.list {
        let all = backup::list(&ctx.db_path)?;
        if all.is_empty() {
            writeln!(
                ctx.out,
                "No backups yet in {}.",
                backup::folder(&ctx.db_path).display()
            )?;
        }
        for path in all {
            let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
            writeln!(ctx.out, "{}  {} KB", path.display(), size.div_ceil(1024))?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let db = ctx.open_db_file()?;
    let path = backup::create(&db.conn, &db.path, ctx.timestamp(), "manual")?;
    writeln!(ctx.out, "Backed up to {}", path.display())?;
    Ok(ExitCode::SUCCESS)
}

pub fn restore(args: RestoreArgs, ctx: &mut Ctx) -> Result<ExitCode> {
    if !args.file.is_file() {
        bail!(
            "{} is not a file; see `alt-prep backup --list`",
            args.file.display()
        );
    }
    let question = format!(
        "Replace {} with {}? The current database is backed up first.",
        ctx.db_path.display(),
        args.file.display()
    );
    if !args.yes && !super::confirm(ctx, &question)? {
        writeln!(ctx.out, "Nothing changed.")?;
        return Ok(ExitCode::FAILURE);
    }
    let saved = match ctx.open_db_file() {
        Ok(mut db) => db.restore_from(&args.file, ctx.timestamp())?,
        // Nothing there to set aside (say, its folder is missing): say why it cannot open.
        Err(open_error) if !ctx.db_path.is_file() => return Err(open_error),
        // The current file cannot be opened (damaged, not SQLite): the very case a learner
        // restores for. Check the backup, keep the broken file beside it, copy the backup in.
        Err(open_error) => {
            backup::check_restorable(&args.file)?;
            let aside = ctx.db_path.with_extension(format!(
                "damaged-{}.sqlite3",
                ctx.timestamp().strftime("%Y%m%d-%H%M%S")
            ));
            std::fs::rename(&ctx.db_path, &aside).with_context(|| {
                format!("could not move the damaged database aside ({open_error:#})")
            })?;
            for suffix in ["-wal", "-shm"] {
                let mut side = ctx.db_path.clone().into_os_string();
                side.push(suffix);
                let _ = std::fs::remove_file(side);
            }
            std::fs::copy(&args.file, &ctx.db_path)
                .with_context(|| format!("could not copy {}", args.file.display()))?;
            ctx.open_db_file()?;
            aside
        }
    };
    writeln!(
        ctx.out,
        "Restored from {}. The previous database is in {}.",
        args.file.display(),
        saved.display()
    )?;
    Ok(ExitCode::SUCCESS)
}
