//! alt-prep: spaced-repetition review and mock-interview practice for future ALTs in Japan.
//! Layers point one way: `cli → cmd → {review, deck, db} → scheduler, model` (design.md).

pub mod cli;
pub mod cmd;
pub mod ctx;
pub mod db;
pub mod deck;
pub mod editor;
pub mod interview;
pub mod model;
pub mod progress;
pub mod review;
pub mod scheduler;
pub mod settings;
pub mod stats;
pub mod text;

use std::process::ExitCode;

/// Runs one command line.
pub fn run(cli: cli::Cli) -> anyhow::Result<ExitCode> {
    let mut ctx = ctx::Ctx::new(cli.db, cli.color)?;
    // A storage failure anywhere (a full disk, a damaged page) is told with the database
    // file and what to do about it.
    let code =
        cmd::run(cli.command, &mut ctx).map_err(|e| db::explain::explain(e, &ctx.db_path))?;
    ctx.flush()?;
    ctx.daily_backup();
    Ok(code)
}

/// A closed stdout (`alt-prep cards | head`) is not an error.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// `could not open …: permission denied`, one line, lowercase causes joined as ripgrep does.
/// A cause already said by an earlier part is left out, and so is SQLite's bare error code
/// under rusqlite's message ("Error code 11: database disk image is malformed").
pub fn error_chain(err: &anyhow::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in err.chain() {
        if !parts.is_empty() && cause.downcast_ref::<rusqlite::ffi::Error>().is_some() {
            continue;
        }
        let text = cause.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
    }
    parts.join(": ")
}
