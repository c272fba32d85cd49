//! `alt-prep optimize`: fits the FSRS-6 parameters to your own flashcard history and keeps
//! them (setting `fsrs_parameters`, which the scheduler reads) if they predict your answers
//! better than the ones in use; `--reset` goes back to the defaults.

use crate::cli::OptimizeArgs;
use crate::ctx::Ctx;
use crate::stats::optimize::{Answer, ItemsBuilder, Outcome, Scored, optimize};
use anyhow::{Context, Result};
use colored::Colorize;
use serde::Serialize;
use std::collections::HashMap;
use std::io::Write;
use std::process::ExitCode;

/// The setting the scheduler loads its parameters from (src/settings.rs).
pub use crate::settings::PARAMETERS_KEY;

#[derive(Serialize)]
struct Reset {
    reset: bool,
    parameters: Vec<f32>,
}

pub fn run(args: OptimizeArgs, ctx: &mut Ctx) -> Result<ExitCode> {
    let db = ctx.open_db()?;
    if args.reset {
        db.delete_setting(PARAMETERS_KEY)?;
        let reset = Reset {
            reset: true,
            parameters: fsrs::DEFAULT_PARAMETERS.to_vec(),
        };
        if args.json {
            json(ctx, &reset)?;
        } else {
            writeln!(ctx.out, "Back to the default FSRS-6 parameters.")?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let settings = ctx.settings(&db)?;
    let clock = ctx.day_clock(&settings);
    // Study days per quarter hour: the time zone is consulted once per quarter, not per answer.
    let mut days: HashMap<i64, i64> = HashMap::new();
    let mut builder = ItemsBuilder::default();
    db.fsrs_history(&mut |row| {
        let quarter = row.reviewed_at_ms.div_euclid(900_000);
        let day = *days
            .entry(quarter)
            .or_insert_with(|| clock.day_of(quarter * 900));
        builder.push(Answer {
            card_id: row.card_id,
            time: row.reviewed_at_ms,
            day,
            rating: row.rating,
            state_before: row.state_before,
        });
    })?;
    let items = builder.finish();
    if !args.json && items.items.len() >= crate::stats::optimize::MIN_ITEMS {
        writeln!(
            ctx.out,
            "Fitting FSRS-6 to {} training items (a million reviews take about 20 s)…",
            items.items.len()
        )?;
        ctx.flush()?;
    }
    let outcome = optimize(&items, &settings.scheduler.parameters)
        .map_err(|e| anyhow::anyhow!("{e}"))
        .context("could not fit the FSRS parameters")?;
    if outcome.improved {
        let json = serde_json::to_string(&outcome.parameters)?;
        db.set_setting(PARAMETERS_KEY, &json)?;
    }
    if args.json {
        json(ctx, &outcome)?;
    } else {
        report(ctx, &outcome)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn report(ctx: &mut Ctx, o: &Outcome) -> Result<()> {
    let out = &mut ctx.out;
    writeln!(
        out,
        "{} flashcard answers on {} cards: {} training items",
        o.answers, o.cards, o.items
    )?;
    writeln!(
        out,
        "(answers given a day or more after the card's previous answer)."
    )?;
    if o.needed > 0 {
        writeln!(
            out,
            "Not enough history to fit yet: {} more such review{} needed (at least {}).",
            o.needed,
            if o.needed == 1 { " is" } else { "s are" },
            o.min_items
        )?;
        writeln!(out, "Keeping the current parameters.")?;
    }
    let row = |name: &str, s: &Scored| {
        format!(
            "  {name:<10} log loss {:.4}   RMSE (bins) {:.4}",
            s.log_loss, s.rmse_bins
        )
    };
    if let Some(s) = &o.default {
        writeln!(out, "{}", row("default", s))?;
    }
    if let Some(s) = &o.current {
        writeln!(out, "{}", row("current", s))?;
    }
    if let Some(s) = &o.fitted {
        writeln!(out, "{}", row("fitted", s))?;
    }
    if o.fitted.is_some() {
        if o.improved {
            writeln!(
                out,
                "{} The fitted parameters predict your answers better and are used",
                "Saved.".green().bold()
            )?;
            writeln!(
                out,
                "from now on; `alt-prep optimize --reset` goes back to the defaults."
            )?;
        } else {
            writeln!(
                out,
                "The fitted parameters predict no better; keeping the current ones."
            )?;
        }
    }
    writeln!(out, "Parameters in use:")?;
    for row in o.parameters.chunks(7) {
        let shown: Vec<String> = row.iter().map(|p| format!("{p:>8.4}")).collect();
        writeln!(out, "  {}", shown.join(" "))?;
    }
    Ok(())
}

/// Pretty JSON through an `io::Write`, so a closed pipe stays an `io::Error` (exit 0).
fn json(ctx: &mut Ctx, value: &impl Serialize) -> Result<()> {
    let mut text = serde_json::to_string_pretty(value)?;
    text.push('\n');
    ctx.out.write_all(text.as_bytes())?;
    Ok(())
}
