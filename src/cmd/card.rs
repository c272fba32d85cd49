//! `alt-prep card ID|KEY`: one card, its memory state and its review log.

use crate::cli::CardArgs;
use crate::ctx::Ctx;
use crate::model::{CardState, Rating};
use crate::scheduler::interval::describe_secs;
use crate::text::safe;
use anyhow::Result;
use serde::Serialize;
use std::io::Write;
use std::process::ExitCode;

#[derive(Serialize)]
struct ReviewLine {
    time: String,
    rating: i64,
    state_before: &'static str,
    elapsed_days: i64,
    duration_ms: i64,
    interval_secs: i64,
    stability: f64,
    difficulty: f64,
    source: String,
}

#[derive(Serialize)]
struct CardView {
    id: i64,
    key: String,
    deck: String,
    front: String,
    back: String,
    tags: Vec<String>,
    state: &'static str,
    suspended: bool,
    stability: Option<f32>,
    difficulty: Option<f32>,
    due: Option<String>,
    last_review: Option<String>,
    interval_days: u32,
    reps: u32,
    lapses: u32,
    reviews: Vec<ReviewLine>,
}

pub fn run(args: CardArgs, ctx: &mut Ctx) -> Result<ExitCode> {
    let db = ctx.open_db()?;
    let card = db.find_card(&args.id)?;
    let reviews = db.reviews_of(card.id)?;
    let s = card.schedule;
    let view = CardView {
        id: card.id,
        key: card.key.clone(),
        deck: card.deck.clone(),
        front: card.front.clone(),
        back: card.back.clone(),
        tags: card.tags.clone(),
        state: s.state.name(),
        suspended: card.suspended,
        stability: s.stability,
        difficulty: s.difficulty,
        due: (s.state != CardState::New).then(|| super::rfc3339(s.due)),
        last_review: s.last_review.map(super::rfc3339),
        interval_days: s.interval_days,
        reps: s.reps,
        lapses: s.lapses,
        reviews: reviews
            .iter()
            .map(|r| ReviewLine {
                time: jiff::Timestamp::from_millisecond(r.reviewed_at_ms)
                    .map(|t| t.to_string())
                    .unwrap_or_default(),
                rating: r.rating,
                state_before: CardState::from_code(r.state_before, 0)
                    .map(CardState::name)
                    .unwrap_or("?"),
                elapsed_days: r.elapsed_days,
                duration_ms: r.duration_ms,
                interval_secs: r.interval_secs,
                stability: r.stability,
                difficulty: r.difficulty,
                source: r.source.clone(),
            })
            .collect(),
    };
    if args.json {
        super::print_json(ctx, &view)?;
        return Ok(ExitCode::SUCCESS);
    }
    let due = view
        .due
        .as_ref()
        .map(|_| ctx.local(s.due))
        .unwrap_or_else(|| "-".into());
    let out = &mut ctx.out;
    writeln!(
        out,
        "{} ({}) in {}",
        safe(&view.key),
        view.id,
        safe(&view.deck)
    )?;
    writeln!(out, "front: {}", safe(&view.front))?;
    writeln!(out, "back:  {}", safe(&view.back))?;
    if !view.tags.is_empty() {
        // Tags with control characters are refused at import; bidi overrides are not.
        writeln!(out, "tags:  {}", safe(&view.tags.join(" ")))?;
    }
    writeln!(
        out,
        "state: {}{}  due: {due}  reps: {}  lapses: {}",
        view.state,
        if view.suspended { " (suspended)" } else { "" },
        view.reps,
        view.lapses
    )?;
    if let (Some(st), Some(d)) = (s.stability, s.difficulty) {
        writeln!(out, "stability: {st:.2} days  difficulty: {d:.2}")?;
    }
    for r in &view.reviews {
        let rating = Rating::from_number(r.rating)
            .map(Rating::label)
            .unwrap_or("?");
        writeln!(
            out,
            "  {}  {:<5} from {:<10} after {:>3}d → {:<6} S {:.2} D {:.2}",
            r.time,
            rating,
            r.state_before,
            r.elapsed_days,
            describe_secs(r.interval_secs),
            r.stability,
            r.difficulty
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
