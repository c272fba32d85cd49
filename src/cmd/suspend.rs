//! `alt-prep suspend` / `unsuspend`.

use crate::cli::IdsArg;
use crate::ctx::Ctx;
use anyhow::Result;
use std::io::Write;
use std::process::ExitCode;

pub fn run(args: IdsArg, ctx: &mut Ctx, suspend: bool) -> Result<ExitCode> {
    let db = ctx.open_db()?;
    // Resolve every id first, so a typo changes nothing.
    let cards = args
        .ids
        .iter()
        .map(|id| db.find_card(id))
        .collect::<Result<Vec<_>>>()?;
    let now = ctx.now();
    for card in &cards {
        db.set_suspended(card.id, suspend, now)?;
        writeln!(
            ctx.out,
            "{} {} ({})",
            if suspend { "Suspended" } else { "Unsuspended" },
            card.id,
            crate::text::safe(&card.key)
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
