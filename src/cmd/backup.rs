//! `alt-prep check`, `backup [--list]` and `restore FILE`.

use crate::cli::{BackupArgs, RestoreArgs};
use crate::ctx::Ctx;
use crate::db::{Db, backup};
use anyhow::{Result, bail};
use std::io::Write;
use std::process::ExitCode;

pub fn check(ctx: &mut Ctx) -> Result<ExitCode> {
    let db = Db::open(&ctx.db_path, ctx.timestamp())?;
    let problems = db.check()?;
    if problems.is_empty() {
        writeln!(ctx.out, "{}: ok", ctx.db_path.display())?;
        return Ok(ExitCode::SUCCESS);
    }
    for p in &problems {
        writeln!(ctx.out, "{}: {p}", ctx.db_path.display())?;
    }
    writeln!(
        ctx.out,
        "Found {} problem(s). Restore a backup with `alt-prep restore FILE` (see `alt-prep backup --list`).",
        problems.len()
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
    let db = Db::open(&ctx.db_path, ctx.timestamp())?;
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
    let mut db = Db::open(&ctx.db_path, ctx.timestamp())?;
    let saved = db.restore_from(&args.file, ctx.timestamp())?;
    writeln!(
        ctx.out,
        "Restored from {}. The previous database is in {}.",
        args.file.display(),
        saved.display()
    )?;
    Ok(ExitCode::SUCCESS)
}
