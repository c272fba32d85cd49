//! The review loop: pick a card, show it, read the answer, commit it, repeat. Each answer is
//! committed in its own transaction before the next card is shown (design.md rule 5).

use super::input::{Action, Stage, parse};
use super::keys::Input;
use super::learning_count::LearningCount;
use super::queue::{LEARN_AHEAD_SECS, Plan, Source};
use super::render;
use crate::ctx::Ctx;
use crate::db::Db;
use crate::db::cards::{AnsweredElsewhere, CardRow, NewReview, Queue, Snapshot};
use crate::db::filter::CardFilter;
use crate::model::{Rating, Schedule};
use crate::scheduler::interval::describe_secs;
use crate::scheduler::{Scheduler, limits};
use crate::settings::Settings;
use crate::text::{one_line, truncate};
use anyhow::Result;
use colored::Colorize;
use serde::Serialize;
use std::io::Write;
use std::time::{Duration, Instant};

/// Anki caps a single answer's recorded time at 60 s (`cap_answer_time_to_secs`).
const ANSWER_TIME_CAP: Duration = Duration::from_secs(60);

const FLASHCARD: i64 = 0;

/// The header counts learning cards up to this many (shown as `1000+`): counting every one of
/// thousands before each card would cost more than the rest of the answer.
const LEARNING_COUNT_CAP: u32 = 1000;

#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub cards: u32,
    pub seconds: u64,
    pub again: u32,
    pub hard: u32,
    pub good: u32,
    pub easy: u32,
    pub leeches: Vec<String>,
    pub next_due: Option<i64>,
    /// The learner quit (or the input ended) while cards were still waiting.
    pub stopped: bool,
}

impl Summary {
    fn count(&mut self, rating: Rating, delta: i32) {
        let slot = match rating {
            Rating::Again => &mut self.again,
            Rating::Hard => &mut self.hard,
            Rating::Good => &mut self.good,
            Rating::Easy => &mut self.easy,
        };
        *slot = slot.saturating_add_signed(delta);
        self.cards = self.cards.saturating_add_signed(delta);
    }
}

/// One undoable answer: the card as it was, where it came from, and the plan before it.
struct Undo {
    snapshot: Snapshot,
    source: Source,
    plan: Plan,
    rating: Rating,
    /// The card after the answer, and whether that suspended it (a leech).
    after: Schedule,
    after_suspended: bool,
}

pub struct Session<'a> {
    pub ctx: &'a mut Ctx,
    pub db: &'a mut Db,
    pub scheduler: &'a Scheduler,
    pub settings: &'a Settings,
    pub filter: CardFilter,
}

impl Session<'_> {
    /// Runs until nothing is left, the learner quits, or the input ends.
    pub fn run(&mut self, input: &mut dyn Input) -> Result<Summary> {
        let started = Instant::now();
        let mut summary = Summary::default();
        let mut plan = self.plan()?;
        let mut undo: Vec<Undo> = Vec::new();
        let mut forced: Option<(i64, Source)> = None;
        let mut learning_count = LearningCount::Unknown;
        'cards: loop {
            let now = self.ctx.now();
            let picked = match forced.take() {
                Some((id, source)) => self.db.card(id)?.map(|card| (card, source)),
                None => self.pick(&plan, now)?,
            };
            let Some((card, source)) = picked else {
                break;
            };
            let plan_before = plan;
            plan.shown(source);
            let learning = self.learning_count(&mut learning_count, now)?;
            let (new_left, due_left) = (plan_before.new_left(), plan_before.reviews_left());
            let out = &mut self.ctx.out;
            writeln!(out)?;
            writeln!(
                out,
                "{}",
                render::header(new_left, learning, LEARNING_COUNT_CAP, due_left)
            )?;
            write!(out, "{}", render::front(&card))?;
            let shown_at = Instant::now();

            // The question side, then (after Enter) the answer side with the four choices.
            let mut stage = Stage::Question;
            let mut preview = None;
            loop {
                match &preview {
                    None => writeln!(
                        self.ctx.out,
                        "{}",
                        "Enter: show answer · u undo · s suspend · q quit".dimmed()
                    )?,
                    Some(p) => writeln!(self.ctx.out, "{}", render::choices(p))?,
                }
                self.ctx.flush()?;
                let Some(line) = input.next(stage)? else {
                    summary.stopped = true;
                    break 'cards;
                };
                if stage == Stage::Answer && !input.echoes() {
                    writeln!(self.ctx.out)?;
                }
                match parse(&line, stage) {
                    Action::Reveal => {
                        preview = Some(self.scheduler.preview(card.id, &card.schedule, now)?);
                        write!(self.ctx.out, "{}", render::back(&card))?;
                        stage = Stage::Answer;
                    }
                    Action::Rate(rating) if stage == Stage::Answer => {
                        let (snapshot, leech, after) = match self.grade(&card, rating, shown_at) {
                            Err(e) if e.is::<AnsweredElsewhere>() => {
                                writeln!(self.ctx.out, "{}", "This card was answered in another session meanwhile; moving on.".yellow())?;
                                plan = plan_before;
                                continue 'cards;
                            }
                            other => other?,
                        };
                        summary.count(rating, 1);
                        if leech {
                            summary.leeches.push(card.key.clone());
                        }
                        learning_count.moved(
                            Some((&card.schedule, card.suspended)),
                            Some((&after, leech)),
                        );
                        undo.push(Undo {
                            snapshot,
                            source,
                            plan: plan_before,
                            rating,
                            after,
                            after_suspended: leech,
                        });
                        continue 'cards;
                    }
                    Action::Rate(_) => writeln!(self.ctx.out, "{}", hint_for(stage).yellow())?,
                    Action::Undo => {
                        match self.undo(&mut undo, &mut summary, &mut learning_count)? {
                            Some(restored) => {
                                plan = restored.0;
                                forced = Some((restored.1, restored.2));
                                continue 'cards;
                            }
                            None => writeln!(self.ctx.out, "nothing to undo")?,
                        }
                    }
                    Action::Suspend => {
                        self.suspend(&card, now)?;
                        learning_count.moved(Some((&card.schedule, card.suspended)), None);
                        plan = plan_before;
                        continue 'cards;
                    }
                    Action::Quit => {
                        summary.stopped = true;
                        break 'cards;
                    }
                    Action::Invalid(hint) => writeln!(self.ctx.out, "{}", hint.yellow())?,
                }
            }
        }
        summary.seconds = started.elapsed().as_secs();
        summary.next_due = self.next_due(&plan)?;
        Ok(summary)
    }

    /// Schedules and commits one answer (card state and review-log row in one transaction);
    /// returns the undo snapshot and whether the card just became a leech.
    fn grade(
        &mut self,
        card: &CardRow,
        rating: Rating,
        shown_at: Instant,
    ) -> Result<(Snapshot, bool, Schedule)> {
        let now = self.ctx.now();
        let duration = shown_at.elapsed().min(ANSWER_TIME_CAP);
        let answered = self
            .scheduler
            .answer(card.id, &card.schedule, rating, now)?;
        let review = NewReview {
            reviewed_at_ms: self.ctx.now_ms(),
            rating: rating.number(),
            state_before: card.schedule.state.code(),
            elapsed_days: answered.elapsed_days,
            duration_ms: duration.as_millis() as i64,
            interval_secs: answered.delay_secs,
            stability: answered.schedule.stability.unwrap_or(0.0),
            difficulty: answered.schedule.difficulty.unwrap_or(0.0),
            source: "review",
        };
        let snapshot =
            self.db
                .record_answer(card, &answered.schedule, &review, answered.leech, now, None)?;
        if answered.leech {
            writeln!(
                self.ctx.out,
                "{} “{}” has lapsed {} times: it is tagged `leech` and suspended. Rewrite it, then `alt-prep unsuspend {}`.",
                "Leech:".red().bold(),
                truncate(&one_line(&card.front), 60),
                answered.schedule.lapses,
                card.id
            )?;
        }
        Ok((snapshot, answered.leech, answered.schedule))
    }

    /// The header's learning count (see [`LearningCount`]): a capped count for the first
    /// card, an exact one before the second, then kept up to date.
    fn learning_count(&self, count: &mut LearningCount, now: i64) -> Result<u32> {
        let horizon = now + LEARN_AHEAD_SECS;
        let learning = Queue::Learning;
        match *count {
            LearningCount::Unknown => {
                *count = LearningCount::Capped;
                return self.db.queue_count(
                    &self.filter,
                    FLASHCARD,
                    learning,
                    horizon,
                    LEARNING_COUNT_CAP,
                );
            }
            LearningCount::Capped => {
                let exact =
                    self.db
                        .queue_count(&self.filter, FLASHCARD, learning, horizon, u32::MAX)?;
                *count = LearningCount::Exact {
                    count: exact,
                    horizon,
                };
            }
            LearningCount::Exact { .. } => {
                if let Some((after, until)) = count.window(horizon) {
                    let added =
                        self.db
                            .learning_due_between(&self.filter, FLASHCARD, after, until)?;
                    count.advance(added, until);
                }
            }
        }
        Ok(match *count {
            LearningCount::Exact { count, .. } => count,
            _ => 0,
        })
    }

    /// Today's allowance under the daily limits, counting what was already done today.
    fn plan(&self) -> Result<Plan> {
        let now = self.ctx.now();
        let clock = &self.scheduler.clock;
        let day_start = clock.start_of(clock.day_of(now));
        let done = self.db.done_since(day_start * 1000, FLASHCARD)?;
        let limits = self.settings.limits;
        let reviews_due = self.db.queue_count(
            &self.filter,
            FLASHCARD,
            Queue::Review,
            now,
            limits.reviews_per_day,
        )?;
        let new_available = self.db.queue_count(
            &self.filter,
            FLASHCARD,
            Queue::New,
            i64::MAX,
            limits.new_per_day,
        )?;
        let allowance =
            limits::allowance(limits, done.new, done.reviews, reviews_due, new_available);
        Ok(Plan {
            reviews_total: allowance.reviews,
            new_total: allowance.new,
            ..Plan::default()
        })
    }

    fn pick(&self, plan: &Plan, now: i64) -> Result<Option<(CardRow, Source)>> {
        if let Some(card) = self.db.next_learning(&self.filter, FLASHCARD, now)? {
            return Ok(Some((card, Source::Learning)));
        }
        let review = if plan.reviews_left() > 0 {
            self.db.next_review(&self.filter, FLASHCARD, now)?
        } else {
            None
        };
        let new = if plan.new_left() > 0 && (review.is_none() || plan.prefer_new()) {
            self.db.next_new(&self.filter, FLASHCARD)?
        } else {
            None
        };
        if let Some(card) = new {
            return Ok(Some((card, Source::New)));
        }
        if let Some(card) = review {
            return Ok(Some((card, Source::Review)));
        }
        Ok(self
            .db
            .next_learning(&self.filter, FLASHCARD, now + LEARN_AHEAD_SECS)?
            .map(|card| (card, Source::Learning)))
    }

    fn suspend(&mut self, card: &CardRow, now: i64) -> Result<()> {
        self.db.set_suspended(card.id, true, now)?;
        writeln!(
            self.ctx.out,
            "Suspended card {} ({}); `alt-prep unsuspend {}` brings it back.",
            card.id,
            crate::text::safe(&card.key),
            card.id
        )?;
        Ok(())
    }

    /// Reverts the last answer; returns the plan to restore and the card to show again.
    fn undo(
        &mut self,
        stack: &mut Vec<Undo>,
        summary: &mut Summary,
        learning_count: &mut LearningCount,
    ) -> Result<Option<(Plan, i64, Source)>> {
        let Some(last) = stack.pop() else {
            return Ok(None);
        };
        self.db.undo_answer(&last.snapshot)?;
        let restored = &last.snapshot.card;
        learning_count.moved(
            Some((&last.after, last.after_suspended)),
            Some((&restored.schedule, restored.suspended)),
        );
        summary.count(last.rating, -1);
        summary.leeches.retain(|k| *k != last.snapshot.card.key);
        writeln!(
            self.ctx.out,
            "Undid {} on {}.",
            last.rating.label(),
            crate::text::safe(&last.snapshot.card.key)
        )?;
        Ok(Some((last.plan, last.snapshot.card.id, last.source)))
    }

    /// When the next card can be studied: the earliest learning or review due date, or the
    /// next study day if new cards are waiting behind today's limit.
    fn next_due(&self, plan: &Plan) -> Result<Option<i64>> {
        let scheduled = self.db.next_due_time(&self.filter, FLASHCARD)?;
        let now = self.ctx.now();
        let new_waiting =
            plan.new_left() == 0 && self.db.next_new(&self.filter, FLASHCARD)?.is_some();
        let tomorrow = new_waiting.then(|| self.scheduler.clock.next_day_start(now));
        Ok(match (scheduled, tomorrow) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        })
    }
}

fn hint_for(stage: Stage) -> &'static str {
    match stage {
        Stage::Question => "press Enter to show the answer (u undo, s suspend, q quit)",
        Stage::Answer => "answer 1-4 or again/hard/good/easy (a/h/g/e); u undo, s suspend, q quit",
    }
}

/// "in 10m", "in 3d": how far off a time is.
pub fn relative(now: i64, at: i64) -> String {
    if at <= now {
        "now".into()
    } else {
        format!("in {}", describe_secs(at - now))
    }
}
