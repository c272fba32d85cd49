//! `alt-prep interview`: practice, and its `history`, `categories` and `prompts` listings.

use crate::cli::{HistoryArgs, InterviewArgs, InterviewSub, JsonArg, PracticeArgs, PromptsArgs};
use crate::ctx::Ctx;
use crate::db::Db;
use crate::db::answers::PromptRow;
use crate::interview::panel;
use crate::interview::select::{Candidate, CategoryScore, panel_at, pick};
use crate::interview::session::{Options, Practice, Question, pick_follow_up};
use crate::model::{CardState, category};
use crate::text::{one_line, truncate};
use anyhow::{Result, bail};
use colored::Colorize;
use serde::Serialize;
use std::collections::HashMap;
use std::io::Write;
use std::process::ExitCode;

/// How many recent self-ratings per category decide which categories are weakest.
const RECENT: usize = 5;

pub fn run(args: InterviewArgs, ctx: &mut Ctx) -> Result<ExitCode> {
    match args.sub {
        Some(InterviewSub::History(a)) => history(a, ctx),
        Some(InterviewSub::Categories(a)) => categories(a, ctx),
        Some(InterviewSub::Prompts(a)) => prompts(a, ctx),
        None => practice(args.practice, ctx),
    }
}

fn check_categories(names: &[String]) -> Result<()> {
    for name in names {
        if !category::is_category(name) {
            bail!(
                "unknown category `{name}`; the categories are: {}",
                category::ids().join(", ")
            );
        }
    }
    Ok(())
}

fn candidates(prompts: &[PromptRow]) -> Vec<Candidate> {
    prompts
        .iter()
        .map(|p| Candidate {
            id: p.card.id,
            category: p.category.clone(),
            due: (p.card.schedule.state != CardState::New).then_some(p.card.schedule.due),
            last_rating: None,
        })
        .collect()
}

fn scores(db: &Db) -> Result<Vec<CategoryScore>> {
    Ok(db
        .recent_ratings(RECENT)?
        .into_iter()
        .map(|(category, ratings)| CategoryScore {
            category,
            mean_recent_rating: Some(ratings.iter().sum::<i64>() as f64 / ratings.len() as f64),
        })
        .collect())
}

fn practice(args: PracticeArgs, ctx: &mut Ctx) -> Result<ExitCode> {
    check_categories(&args.categories)?;
    let mut db = ctx.open_db()?;
    let settings = ctx.settings(&db)?;
    let scheduler = ctx.scheduler(&settings)?;
    let now = ctx.now();
    let seed = scheduler.clock.day_of(now) as u64;
    let all = db.prompts(false)?;
    let by_id: HashMap<i64, &PromptRow> = all.iter().map(|p| (p.card.id, p)).collect();
    let questions: Vec<Question> = if args.full {
        let ids = panel_at(&candidates(&all), &panel::categories(), now, seed);
        ids.iter()
            .filter_map(|id| by_id.get(id))
            .enumerate()
            .map(|(i, p)| Question {
                prompt: (*p).clone(),
                interviewer: Some(panel::interviewer(&p.category)),
                follow_up: pick_follow_up(p, i, seed),
            })
            .collect()
    } else {
        let wanted: Vec<PromptRow> = all
            .iter()
            .filter(|p| args.categories.is_empty() || args.categories.contains(&p.category))
            .cloned()
            .collect();
        let ids = pick(&candidates(&wanted), &scores(&db)?, now, args.count, seed);
        ids.iter()
            .filter_map(|id| by_id.get(id))
            .map(|p| Question {
                prompt: (*p).clone(),
                interviewer: None,
                follow_up: None,
            })
            .collect()
    };
    if questions.is_empty() {
        writeln!(
            ctx.out,
            "No interview prompts to practise{}.",
            if args.categories.is_empty() {
                ""
            } else {
                " in those categories"
            }
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    let clock = ctx.clock();
    let mut stderr = std::io::stderr();
    let json = args.json;
    let out: &mut dyn Write = if json { &mut stderr } else { &mut ctx.out };
    if args.full {
        writeln!(
            out,
            "{}",
            "A full mock interview: a panel of three, about 15–20 minutes. Answer as you would aloud."
                .bold()
        )?;
    }
    let report = Practice {
        db: &mut db,
        scheduler: &scheduler,
        clock,
        out,
        input: std::io::stdin().lock(),
        options: Options {
            timer: !args.no_timer,
            editor: args.editor,
        },
    }
    .run(questions)?;
    if json {
        super::print_json(ctx, &report)?;
    } else {
        let rated = report.answers.iter().filter(|a| a.rating.is_some()).count();
        writeln!(
            ctx.out,
            "\n{} {} answered, {} skipped. `alt-prep interview history` shows your answers side by side.",
            "Done:".bold(),
            rated,
            report.skipped
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Serialize)]
struct CategoryLine {
    category: String,
    title: String,
    prompts: u32,
    practised: u32,
    answers: u32,
    mean_rating: Option<f64>,
    last_practised: Option<String>,
    due: u32,
}

fn categories(args: JsonArg, ctx: &mut Ctx) -> Result<ExitCode> {
    let db = ctx.open_db()?;
    let now = ctx.now();
    let prompts = db.prompts(false)?;
    let answers = db.answers(None, u32::MAX)?;
    let mut lines = Vec::new();
    for (id, title) in category::CATEGORIES {
        let mine: Vec<&PromptRow> = prompts.iter().filter(|p| p.category == *id).collect();
        let theirs: Vec<_> = answers.iter().filter(|a| a.category == *id).collect();
        let ratings: Vec<i64> = theirs.iter().filter_map(|a| a.rating).collect();
        let practised = mine.iter().filter(|p| p.card.schedule.reps > 0).count() as u32;
        lines.push(CategoryLine {
            category: (*id).to_owned(),
            title: (*title).to_owned(),
            prompts: mine.len() as u32,
            practised,
            answers: ratings.len() as u32,
            mean_rating: (!ratings.is_empty())
                .then(|| ratings.iter().sum::<i64>() as f64 / ratings.len() as f64),
            last_practised: theirs
                .iter()
                .map(|a| a.answered_at_ms)
                .max()
                .and_then(|ms| jiff::Timestamp::from_millisecond(ms).ok())
                .map(|t| t.to_string()),
            due: mine
                .iter()
                .filter(|p| p.card.schedule.state != CardState::New && p.card.schedule.due <= now)
                .count() as u32,
        });
    }
    if args.json {
        super::print_json(ctx, &lines)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(
        ctx.out,
        "{}",
        format!(
            "{:<16} {:>7} {:>9} {:>6} {:>4}  {}",
            "category", "prompts", "practised", "rating", "due", "last practised"
        )
        .bold()
    )?;
    for l in &lines {
        writeln!(
            ctx.out,
            "{:<16} {:>7} {:>9} {:>6} {:>4}  {}",
            l.category,
            l.prompts,
            l.practised,
            l.mean_rating
                .map(|m| format!("{m:.1}"))
                .unwrap_or_else(|| "-".into()),
            l.due,
            l.last_practised
                .as_deref()
                .map(|t| &t[..10.min(t.len())])
                .unwrap_or("-")
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Serialize)]
struct PromptLine<'a> {
    id: i64,
    key: &'a str,
    category: &'a str,
    question: &'a str,
    time_limit_secs: u32,
    talking_points: &'a [String],
    follow_ups: &'a [String],
    tips: &'a str,
    state: &'static str,
    due: Option<String>,
}

fn prompts(args: PromptsArgs, ctx: &mut Ctx) -> Result<ExitCode> {
    check_categories(&args.categories)?;
    let db = ctx.open_db()?;
    let prompts: Vec<PromptRow> = db
        .prompts(true)?
        .into_iter()
        .filter(|p| args.categories.is_empty() || args.categories.contains(&p.category))
        .collect();
    if args.json {
        let lines: Vec<PromptLine> = prompts
            .iter()
            .map(|p| PromptLine {
                id: p.card.id,
                key: &p.card.key,
                category: &p.category,
                question: &p.card.front,
                time_limit_secs: p.time_limit_secs,
                talking_points: &p.talking_points,
                follow_ups: &p.follow_ups,
                tips: &p.tips,
                state: p.card.schedule.state.name(),
                due: (p.card.schedule.state != CardState::New)
                    .then(|| super::rfc3339(p.card.schedule.due)),
            })
            .collect();
        super::print_json(ctx, &lines)?;
        return Ok(ExitCode::SUCCESS);
    }
    for p in &prompts {
        writeln!(
            ctx.out,
            "{:>6}  {:<15} {:>4}s  {}",
            p.card.id,
            p.category,
            p.time_limit_secs,
            truncate(&one_line(&p.card.front), 90)
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

fn history(args: HistoryArgs, ctx: &mut Ctx) -> Result<ExitCode> {
    let db = ctx.open_db()?;
    let card = match &args.prompt {
        Some(id) => Some(db.find_card(id)?),
        None => None,
    };
    let answers = db.answers(
        card.as_ref().map(|c| c.id),
        if card.is_some() { u32::MAX } else { 20 },
    )?;
    if args.json {
        super::print_json(ctx, &answers)?;
        return Ok(ExitCode::SUCCESS);
    }
    if answers.is_empty() {
        writeln!(
            ctx.out,
            "No answers yet. Practise with `alt-prep interview`."
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    crate::interview::render::history(&mut ctx.out, &answers, |ms| {
        jiff::Timestamp::from_millisecond(ms)
            .map(|t| {
                t.to_string()
                    .get(..16)
                    .unwrap_or_default()
                    .replace('T', " ")
            })
            .unwrap_or_default()
    })?;
    Ok(ExitCode::SUCCESS)
}
