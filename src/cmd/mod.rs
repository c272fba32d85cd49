//! One file per subcommand, each a thin layer between the CLI and the library.

pub mod backup;
pub mod card;
pub mod cards;
pub mod completions;
pub mod config;
pub mod decks;
pub mod export;
pub mod import;
pub mod install;
pub mod interview;
pub mod manage;
pub mod optimize;
pub mod review;
pub mod stats;
pub mod suspend;

use crate::cli::Command;
use crate::ctx::Ctx;
use anyhow::Result;
use std::process::ExitCode;

pub fn run(command: Command, ctx: &mut Ctx) -> Result<ExitCode> {
    match command {
        Command::Review(args) => review::run(args, ctx),
        Command::Import(args) => import::run(args, ctx),
        Command::Decks(args) => decks::run(args, ctx),
        Command::Cards(args) => cards::run(args, ctx),
        Command::Card(args) => card::run(args, ctx),
        Command::Suspend(args) => suspend::run(args, ctx, true),
        Command::Unsuspend(args) => suspend::run(args, ctx, false),
        Command::Config(args) => config::run(args, ctx),
        Command::Completions(args) => completions::run(args, ctx),
        Command::Export(args) => export::run(args, ctx),
        Command::Add(args) => manage::add(args, ctx),
        Command::Edit(args) => manage::edit(args, ctx),
        Command::Delete(args) => manage::delete(args, ctx),
        Command::Deck(args) => manage::deck(args, ctx),
        Command::Check => backup::check(ctx),
        Command::Backup(args) => backup::backup(args, ctx),
        Command::Restore(args) => backup::restore(args, ctx),
        Command::Interview(args) => interview::run(args, ctx),
        Command::Stats(args) => stats::run(args, ctx),
        Command::Optimize(args) => optimize::run(args, ctx),
    }
}

/// Prints a value as pretty JSON followed by a newline.
pub fn print_json(ctx: &mut Ctx, value: &impl serde::Serialize) -> Result<()> {
    use std::io::Write;
    // Serialise first, then write: serde_json would hide a closed pipe inside its own error
    // type, and `alt-prep cards --json | head` must exit quietly.
    let text = serde_json::to_string_pretty(value)?;
    ctx.out.write_all(text.as_bytes())?;
    writeln!(ctx.out)?;
    Ok(())
}

/// RFC 3339 in UTC, for JSON.
pub fn rfc3339(unix_secs: i64) -> String {
    jiff::Timestamp::from_second(unix_secs)
        .map(|t| t.to_string())
        .unwrap_or_default()
}

/// Asks a yes/no question on stdin; anything but `y`/`yes` (or end of input) is no.
pub fn confirm(ctx: &mut Ctx, question: &str) -> Result<bool> {
    use std::io::{BufRead, Write};
    write!(ctx.out, "{question} [y/N] ")?;
    ctx.flush()?;
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(matches!(
        line.trim().to_ascii_lowercase().as_str(),
        "y" | "yes"
    ))
}
