//! `alt-prep review`: today's cards.

use crate::cli::ReviewArgs;
use crate::ctx::Ctx;
use crate::db::filter::CardFilter;
use crate::review::keys::{Input, Keys, Lines};
use crate::review::session::{Session, Summary, relative};
use anyhow::Result;
use colored::Colorize;
use std::io::Write;
use std::process::ExitCode;

pub fn run(args: ReviewArgs, ctx: &mut Ctx) -> Result<ExitCode> {
    let mut db = ctx.open_db()?;
    let settings = ctx.settings(&db)?;
    let scheduler = ctx.scheduler(&settings)?;
    let filter = CardFilter {
        deck_ids: db.resolve_decks(&args.decks)?,
        tags: args.tags,
    };
    let mut input: Box<dyn Input> = if ctx.interactive {
        Box::new(Keys)
    } else {
        Box::new(Lines::new(std::io::stdin().lock()))
    };
    let summary = Session {
        ctx,
        db: &mut db,
        scheduler: &scheduler,
        settings: &settings,
        filter,
    }
    .run(input.as_mut())?;
    print_summary(ctx, &summary)?;
    Ok(ExitCode::SUCCESS)
}

fn print_summary(ctx: &mut Ctx, s: &Summary) -> Result<()> {
    let now = ctx.now();
    let next = match s.next_due {
        Some(at) => format!("Next card due {} ({}).", ctx.local(at), relative(now, at)),
        None => "No cards are scheduled.".to_owned(),
    };
    let out = &mut ctx.out;
    writeln!(out)?;
    if s.cards == 0 {
        let said = if s.stopped {
            "Stopped before any answer."
        } else {
            "Nothing due now."
        };
        writeln!(out, "{} {next}", said.bold())?;
        return Ok(());
    }
    let minutes = s.seconds / 60;
    let seconds = s.seconds % 60;
    writeln!(
        out,
        "{} {} card{} in {minutes}m {seconds:02}s — again {}, hard {}, good {}, easy {}.",
        "Done:".bold(),
        s.cards,
        if s.cards == 1 { "" } else { "s" },
        s.again,
        s.hard,
        s.good,
        s.easy
    )?;
    if !s.leeches.is_empty() {
        writeln!(
            out,
            "Leeches suspended: {}",
            crate::text::one_line(&s.leeches.join(", "))
        )?;
    }
    writeln!(out, "{next}")?;
    Ok(())
}
