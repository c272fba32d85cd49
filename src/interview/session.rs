//! The practice loop: ask, read the typed answer, give feedback, take a self-rating that
//! schedules the prompt with the same FSRS scheduler and review log as cards. The answer is
//! saved as soon as it is typed, and its rating with the review-log row, in one transaction,
//! before the next prompt (design.md rule 5).

use super::feedback::{Feedback, PromptView, analyse};
use super::panel;
use super::render;
use crate::ctx::Clock;
use crate::db::Db;
use crate::db::answers::{NewAnswer, PromptRow};
use crate::db::cards::NewReview;
use crate::model::Rating;
use crate::scheduler::Scheduler;
use crate::scheduler::interval::describe_secs;
use crate::text::safe;
use anyhow::{Context, Result};
use colored::Colorize;
use serde::Serialize;
use std::io::{BufRead, Write};
use std::time::Instant;

/// One prompt of the session, with who asks it and a follow-up to ask after it.
pub struct Question {
    pub prompt: PromptRow,
    pub interviewer: Option<&'static str>,
    pub follow_up: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct AnswerReport {
    pub key: String,
    pub category: String,
    pub question: String,
    pub text: String,
    pub elapsed_secs: f64,
    pub feedback: Feedback,
    pub rating: Option<u8>,
    pub follow_up: Option<FollowUpReport>,
}

#[derive(Debug, Serialize)]
pub struct FollowUpReport {
    pub question: String,
    pub text: String,
    pub elapsed_secs: f64,
    pub feedback: Feedback,
}

#[derive(Debug, Default, Serialize)]
pub struct SessionReport {
    pub answers: Vec<AnswerReport>,
    pub skipped: u32,
    pub quit: bool,
}

pub struct Options {
    pub timer: bool,
    pub editor: bool,
}

/// What the learner did at a prompt.
enum Typed {
    Answer(String, f64),
    Skip,
    Quit,
}

pub struct Practice<'a, R: BufRead> {
    pub db: &'a mut Db,
    pub scheduler: &'a Scheduler,
    pub clock: Clock,
    pub out: &'a mut dyn Write,
    pub input: R,
    pub options: Options,
}

impl<R: BufRead> Practice<'_, R> {
    pub fn run(&mut self, questions: Vec<Question>) -> Result<SessionReport> {
        let mut report = SessionReport::default();
        let total = questions.len();
        for (i, q) in questions.into_iter().enumerate() {
            let p = &q.prompt;
            writeln!(self.out)?;
            let who = q.interviewer.map(|w| format!("{w} · ")).unwrap_or_default();
            let limit = if self.options.timer {
                format!(" · {} s", p.time_limit_secs)
            } else {
                String::new()
            };
            writeln!(
                self.out,
                "{}",
                format!(
                    "── {}/{total} · {who}{}{limit} ──",
                    i + 1,
                    crate::model::category::title(&p.category)
                )
                .dimmed()
            )?;
            writeln!(self.out, "{}", safe(&p.card.front).bold())?;
            let typed = self.read_answer(p.category == "japanese")?;
            let (text, elapsed) = match typed {
                Typed::Quit => {
                    report.quit = true;
                    break;
                }
                Typed::Skip => {
                    report.skipped += 1;
                    writeln!(self.out, "Skipped.")?;
                    continue;
                }
                Typed::Answer(text, elapsed) => (text, elapsed),
            };
            let view = PromptView {
                category: &p.category,
                question: &p.card.front,
                talking_points: &p.talking_points,
                time_limit_secs: p.time_limit_secs,
            };
            let feedback = analyse(&text, &view, elapsed);
            let metrics = serde_json::to_value(&feedback)?;
            let answer_id = self.db.save_answer(&NewAnswer {
                card_id: p.card.id,
                answered_at_ms: self.clock.now_ms(),
                text: &text,
                elapsed_ms: (elapsed * 1000.0) as i64,
                metrics: &metrics,
            })?;
            write!(
                self.out,
                "{}",
                render::feedback(&feedback, self.options.timer)
            )?;
            write!(
                self.out,
                "{}",
                render::model_answer(p, q.follow_up.is_none())
            )?;

            let follow_up = match &q.follow_up {
                Some(question) => self.follow_up(p, question)?,
                None => None,
            };
            let mut answer = AnswerReport {
                key: p.card.key.clone(),
                category: p.category.clone(),
                question: p.card.front.clone(),
                text,
                elapsed_secs: elapsed,
                feedback,
                rating: None,
                follow_up,
            };
            match self.rate(p, answer_id)? {
                Some(rating) => answer.rating = Some(rating.number()),
                None => {
                    report.answers.push(answer);
                    report.quit = true;
                    break;
                }
            }
            report.answers.push(answer);
        }
        Ok(report)
    }

    /// Reads an answer: lines until an empty line (or $EDITOR), timed from the question.
    fn read_answer(&mut self, skippable: bool) -> Result<Typed> {
        let started = Instant::now();
        if self.options.editor {
            let text = edit_in_editor()?;
            return Ok(match text.trim() {
                "" => Typed::Skip,
                "/quit" => Typed::Quit,
                "/skip" => Typed::Skip,
                t => Typed::Answer(t.to_owned(), self.elapsed(started)),
            });
        }
        writeln!(
            self.out,
            "{}",
            format!(
                "Type your answer; an empty line ends it. /skip{} · /quit",
                if skippable {
                    " (this part is optional)"
                } else {
                    ""
                }
            )
            .dimmed()
        )?;
        let mut lines: Vec<String> = Vec::new();
        loop {
            self.out.flush()?;
            let mut line = String::new();
            let n = self
                .input
                .read_line(&mut line)
                .context("could not read input")?;
            let line = line.trim_end_matches(['\n', '\r']);
            if n == 0 {
                // End of input: keep what was typed, then stop.
                return Ok(if lines.is_empty() {
                    Typed::Quit
                } else {
                    Typed::Answer(lines.join("\n"), self.elapsed(started))
                });
            }
            match line.trim() {
                "/quit" => return Ok(Typed::Quit),
                "/skip" => return Ok(Typed::Skip),
                "" if lines.is_empty() => continue,
                "" => return Ok(Typed::Answer(lines.join("\n"), self.elapsed(started))),
                _ => lines.push(line.to_owned()),
            }
        }
    }

    fn elapsed(&self, started: Instant) -> f64 {
        if self.options.timer {
            (started.elapsed().as_secs_f64() * 10.0).round() / 10.0
        } else {
            0.0
        }
    }

    fn follow_up(&mut self, p: &PromptRow, question: &str) -> Result<Option<FollowUpReport>> {
        writeln!(self.out)?;
        writeln!(
            self.out,
            "{} {}",
            "Follow-up:".bold(),
            safe(question).bold()
        )?;
        let (text, elapsed) = match self.read_answer(false)? {
            Typed::Answer(text, elapsed) => (text, elapsed),
            Typed::Skip | Typed::Quit => return Ok(None),
        };
        let view = PromptView {
            category: &p.category,
            question,
            talking_points: &[],
            time_limit_secs: 60,
        };
        let feedback = analyse(&text, &view, elapsed);
        self.db.save_answer(&NewAnswer {
            card_id: p.card.id,
            answered_at_ms: self.clock.now_ms(),
            text: &text,
            elapsed_ms: (elapsed * 1000.0) as i64,
            metrics: &serde_json::json!({ "follow_up": question, "feedback": &feedback }),
        })?;
        write!(self.out, "{}", render::brief(&feedback))?;
        write!(self.out, "{}", render::model_answer(p, true))?;
        Ok(Some(FollowUpReport {
            question: question.to_owned(),
            text,
            elapsed_secs: elapsed,
            feedback,
        }))
    }

    /// Asks for a self-rating and schedules the prompt with it. `None` when the learner quits.
    fn rate(&mut self, p: &PromptRow, answer_id: i64) -> Result<Option<Rating>> {
        let now = self.clock.now();
        let preview = self.scheduler.preview(p.card.id, &p.card.schedule, now)?;
        let choices: Vec<String> = Rating::ALL
            .iter()
            .zip(&preview)
            .map(|(r, a)| {
                format!(
                    "{} {} {}",
                    r.number(),
                    r.label(),
                    describe_secs(a.shown_secs)
                )
            })
            .collect();
        loop {
            writeln!(self.out, "How did it go? {}", choices.join("  "))?;
            self.out.flush()?;
            let mut line = String::new();
            if self
                .input
                .read_line(&mut line)
                .context("could not read input")?
                == 0
            {
                return Ok(None);
            }
            let line = line.trim();
            if line == "/quit" || line == "q" {
                return Ok(None);
            }
            let Some(rating) = Rating::parse(line) else {
                writeln!(
                    self.out,
                    "{}",
                    "rate 1-4 or again/hard/good/easy; /quit stops".yellow()
                )?;
                continue;
            };
            let answered = self
                .scheduler
                .answer(p.card.id, &p.card.schedule, rating, now)?;
            let review = NewReview {
                reviewed_at_ms: self.clock.now_ms(),
                rating: rating.number(),
                state_before: p.card.schedule.state.code(),
                elapsed_days: answered.elapsed_days,
                duration_ms: 0,
                interval_secs: answered.delay_secs,
                stability: answered.schedule.stability.unwrap_or(0.0),
                difficulty: answered.schedule.difficulty.unwrap_or(0.0),
                source: "interview",
            };
            self.db.record_answer(
                &p.card,
                &answered.schedule,
                &review,
                false,
                now,
                Some(answer_id),
            )?;
            writeln!(
                self.out,
                "Saved. This question comes back in {}.",
                describe_secs(answered.shown_secs)
            )?;
            return Ok(Some(rating));
        }
    }
}

/// Opens the editor for an answer; lines starting with `#` are instructions and are dropped.
fn edit_in_editor() -> Result<String> {
    let text = crate::editor::edit(
        "\n# Write your answer above. Lines starting with # are ignored.\n# Save an empty file to skip; write /quit to stop.\n",
        ".txt",
    )?;
    Ok(text
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n"))
}

/// Follow-up for the `n`-th panel question: deterministic for a seed.
pub fn pick_follow_up(p: &PromptRow, position: usize, seed: u64) -> Option<String> {
    if !panel::asks_follow_up(position) || p.follow_ups.is_empty() {
        return None;
    }
    let index = (seed as usize).wrapping_add(position) % p.follow_ups.len();
    p.follow_ups.get(index).cloned()
}
