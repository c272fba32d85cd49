//! `alt-prep stats`: today, streaks, true retention, the forecast, a heatmap, card counts and
//! interview progress. The database sums (src/db/stats.rs), `stats::compute` works the figures
//! out, and they are printed as JSON or drawn (design.md rule 7).

use crate::cli::StatsArgs;
use crate::ctx::Ctx;
use crate::stats::compute::{StatsInput, bounds, compute, forecast_starts};
use crate::stats::render::render;
use anyhow::Result;
use serde::Serialize;
use std::io::Write;
use std::process::ExitCode;

pub fn run(args: StatsArgs, ctx: &mut Ctx) -> Result<ExitCode> {
    let db = ctx.open_db()?;
    let settings = ctx.settings(&db)?;
    let clock = ctx.day_clock(&settings);
    let now = ctx.now();
    let (deck, deck_ids) = match &args.deck {
        Some(name) => {
            let ids = db.resolve_decks(std::slice::from_ref(name))?;
            let name = db
                .decks()?
                .into_iter()
                .find(|d| ids.contains(&d.id))
                .map_or_else(|| name.clone(), |d| d.name);
            (Some(name), ids)
        }
        None => (None, Vec::new()),
    };
    let b = bounds(now, &clock, args.days);
    let input = StatsInput {
        now,
        deck,
        decks: db.decks()?.into_iter().map(|d| (d.id, d.name)).collect(),
        desired_retention: settings.scheduler.desired_retention,
        limits: settings.limits,
        done_today: db.done_since(b.today_start * 1000, 0)?,
        history_days: args.days,
        quarters: db.review_quarters(&deck_ids, b.detail_from)?,
        today: db.totals_between(&deck_ids, b.today_start, clock.start_of(b.today + 1))?,
        earlier_quarters: db.studied_quarters(&deck_ids, b.detail_from)?,
        due: db.due_by_day(&deck_ids, &forecast_starts(b.today, &clock))?,
        cards: db.state_counts(&deck_ids)?,
        answer_halves: db.answer_halves(&deck_ids)?,
        answer_quarters: db.answer_quarters(&deck_ids, b.interview_from * 1000)?,
    };
    let stats = compute(&input, &clock);
    if args.json {
        json(ctx, &stats)?;
    } else {
        let text = render(&stats, ctx.color);
        ctx.out.write_all(text.as_bytes())?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Pretty JSON through an `io::Write`, so a closed pipe stays an `io::Error` (exit 0).
fn json(ctx: &mut Ctx, value: &impl Serialize) -> Result<()> {
    let mut text = serde_json::to_string_pretty(value)?;
    text.push('\n');
    ctx.out.write_all(text.as_bytes())?;
    Ok(())
}
