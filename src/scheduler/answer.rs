//! The card state machine: what one answer does to a card (`reference/scheduling.md` §1.4, §5).
//!
//! New and learning cards walk the learning steps; Good after the last step (or Easy at any
//! step) graduates them to review with the FSRS interval. Review cards answered Again lapse
//! into the relearning steps. Every answer updates the FSRS memory state, with elapsed days
//! counted in study days, so same-day answers use FSRS's short-term formula as Anki does.

use super::config::SchedulerConfig;
use super::day::DayClock;
use super::fuzz::{constrain_interval, fuzz_factor, fuzz_step};
use super::memory::{Memory, MemoryError, MemoryModel};
use crate::model::{CardState, Rating, Schedule};

/// The result of one answer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Answered {
    pub schedule: Schedule,
    /// Seconds from `now` until the card is due again.
    pub delay_secs: i64,
    /// The delay as the button shows it: learning steps without their random extra, as Anki
    /// labels them.
    pub shown_secs: i64,
    /// Study days since the previous answer, as fed to FSRS.
    pub elapsed_days: u32,
    /// This answer made the card a leech (Anki: at the threshold, then every half-threshold).
    pub leech: bool,
}

/// Config, memory model and day clock together: everything an answer needs besides the card.
#[derive(Debug, Clone)]
pub struct Scheduler {
    pub config: SchedulerConfig,
    pub model: MemoryModel,
    pub clock: DayClock,
}

impl Scheduler {
    pub fn new(config: SchedulerConfig, clock: DayClock) -> Result<Self, MemoryError> {
        let model = MemoryModel::new(&config.parameters)?;
        Ok(Scheduler {
            config,
            model,
            clock,
        })
    }

    /// What each of the four buttons would do, for the answer line. Identical to what
    /// [`Scheduler::answer`] then does, because fuzz is seeded by card and review count.
    pub fn preview(
        &self,
        card_id: i64,
        card: &Schedule,
        now: i64,
    ) -> Result<[Answered; 4], MemoryError> {
        let memories = self.memories(card, now)?;
        Ok(Rating::ALL.map(|r| self.apply(card_id, card, r, now, &memories)))
    }

    pub fn answer(
        &self,
        card_id: i64,
        card: &Schedule,
        rating: Rating,
        now: i64,
    ) -> Result<Answered, MemoryError> {
        let memories = self.memories(card, now)?;
        Ok(self.apply(card_id, card, rating, now, &memories))
    }

    fn elapsed_days(&self, card: &Schedule, now: i64) -> u32 {
        card.last_review
            .map(|last| {
                (self.clock.day_of(now) - self.clock.day_of(last)).clamp(0, i64::from(u32::MAX))
                    as u32
            })
            .unwrap_or(0)
    }

    fn memories(&self, card: &Schedule, now: i64) -> Result<(u32, [Memory; 4]), MemoryError> {
        let previous = match (card.state, card.stability, card.difficulty) {
            (CardState::New, _, _) => None,
            (_, Some(s), Some(d)) => Some((s, d)),
            _ => None,
        };
        let elapsed = self.elapsed_days(card, now);
        let next = self
            .model
            .next(previous, self.config.desired_retention, elapsed)?;
        Ok((elapsed, next))
    }

    fn apply(
        &self,
        card_id: i64,
        card: &Schedule,
        rating: Rating,
        now: i64,
        (elapsed, memories): &(u32, [Memory; 4]),
    ) -> Answered {
        let factor = fuzz_factor(card_id, card.reps);
        let memory = memories[usize::from(rating.number() - 1)];
        let mut next = Schedule {
            stability: Some(memory.stability),
            difficulty: Some(memory.difficulty),
            last_review: Some(now),
            reps: card.reps.saturating_add(1),
            ..*card
        };
        let mut leech = false;
        let outcome = match card.state {
            CardState::New => self.step(
                &self.config.learning_steps,
                0,
                rating,
                memories,
                factor,
                false,
            ),
            CardState::Learning { step } => self.step(
                &self.config.learning_steps,
                step,
                rating,
                memories,
                factor,
                false,
            ),
            CardState::Relearning { step } => self.step(
                &self.config.relearning_steps,
                step,
                rating,
                memories,
                factor,
                true,
            ),
            CardState::Review => {
                if rating == Rating::Again {
                    next.lapses = card.lapses.saturating_add(1);
                    leech = is_leech(next.lapses, self.config.leech_threshold);
                    if self.config.relearning_steps.is_empty() {
                        Outcome::Days(self.days(memories[0].interval, 1, factor))
                    } else {
                        Outcome::Step {
                            relearning: true,
                            step: 0,
                            secs: self.config.relearning_steps[0],
                        }
                    }
                } else {
                    let [hard, good, easy] =
                        self.passing_days(memories, factor, card.interval_days);
                    Outcome::Days(match rating {
                        Rating::Hard => hard,
                        Rating::Good => good,
                        _ => easy,
                    })
                }
            }
        };
        let shown_secs;
        let delay_secs = match outcome {
            Outcome::Step {
                relearning,
                step,
                secs,
            } => {
                next.state = if relearning {
                    CardState::Relearning { step }
                } else {
                    CardState::Learning { step }
                };
                shown_secs = i64::from(secs);
                let secs = fuzz_step(secs, factor);
                if secs >= 86_400 {
                    // Steps that cross a day boundary become whole days (Anki).
                    let days = (f64::from(secs) / 86_400.0).round().max(1.0) as i64;
                    next.due = self.clock.start_of(self.clock.day_of(now) + days);
                } else {
                    next.due = now + i64::from(secs);
                }
                next.due - now
            }
            Outcome::Days(days) => {
                next.state = CardState::Review;
                next.interval_days = days;
                next.due = self
                    .clock
                    .start_of(self.clock.day_of(now) + i64::from(days));
                shown_secs = i64::from(days) * 86_400;
                shown_secs
            }
        };
        Answered {
            schedule: next,
            delay_secs,
            shown_secs,
            elapsed_days: *elapsed,
            leech,
        }
    }

    /// Learning and relearning steps (py-fsrs `_learning`, Anki `steps.rs`).
    fn step(
        &self,
        steps: &[u32],
        step: u32,
        rating: Rating,
        memories: &[Memory; 4],
        factor: f64,
        relearning: bool,
    ) -> Outcome {
        let step = (step as usize).min(steps.len().saturating_sub(1));
        // Graduating: FSRS's Good interval as it is (no Hard to stay above); Easy at least a
        // day more than Good (§5 "Learning steps").
        let good_days = self.days(memories[2].interval, 1, factor);
        let easy_days = self.days(memories[3].interval, good_days + 1, factor);
        if steps.is_empty() {
            return Outcome::Days(match rating {
                Rating::Again => self.days(memories[0].interval, 1, factor),
                Rating::Hard => self.days(memories[1].interval, 1, factor),
                Rating::Good => good_days,
                Rating::Easy => easy_days,
            });
        }
        let at = |i: usize, secs: u32| Outcome::Step {
            relearning,
            step: i as u32,
            secs,
        };
        match rating {
            Rating::Again => at(0, steps[0]),
            Rating::Hard => {
                let secs = if step == 0 {
                    match steps.get(1) {
                        Some(&second) => (steps[0] + second) / 2,
                        // One step: 1.5 × the step, but at most a day more.
                        None => (steps[0].saturating_mul(3) / 2).min(steps[0] + 86_400),
                    }
                } else {
                    steps[step]
                };
                at(step, secs)
            }
            Rating::Good => match steps.get(step + 1) {
                Some(&secs) => at(step + 1, secs),
                None => Outcome::Days(good_days),
            },
            Rating::Easy => Outcome::Days(easy_days),
        }
    }

    /// Hard, Good and Easy intervals in days for a review card, fuzzed and strictly
    /// increasing (Anki `passing_fsrs_review_intervals`: good ≥ hard + 1, easy ≥ good + 1).
    /// An interval that grew is never fuzzed back onto or before the previous one (§5,
    /// `minimum_review_fuzz_interval`); that floor stays inside the fuzz range. Anki's other
    /// floor (the previous interval when it lies in the range) is left out: through
    /// good ≥ hard + 1 it can push Good past its own fuzz range.
    fn passing_days(&self, memories: &[Memory; 4], factor: f64, previous: u32) -> [u32; 3] {
        let floor = |interval: f32| -> u32 {
            if previous > 0 && interval.round() as i64 > i64::from(previous) {
                previous + 1
            } else {
                1
            }
        };
        let hard = self.days(memories[1].interval, floor(memories[1].interval), factor);
        let good = self.days(
            memories[2].interval,
            floor(memories[2].interval).max(hard + 1),
            factor,
        );
        let easy = self.days(
            memories[3].interval,
            floor(memories[3].interval).max(good + 1),
            factor,
        );
        [hard, good, easy]
    }

    fn days(&self, interval: f32, minimum: u32, factor: f64) -> u32 {
        constrain_interval(
            interval,
            minimum,
            self.config.maximum_interval,
            Some(factor),
        )
    }
}

enum Outcome {
    Step {
        relearning: bool,
        step: u32,
        secs: u32,
    },
    Days(u32),
}

/// Anki: a leech at the threshold and again every half-threshold after it (8, 12, 16, …).
pub fn is_leech(lapses: u32, threshold: u32) -> bool {
    if threshold == 0 || lapses < threshold {
        return false;
    }
    let every = threshold.div_ceil(2).max(1);
    (lapses - threshold).is_multiple_of(every)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::tz::TimeZone;

    fn scheduler() -> Scheduler {
        Scheduler::new(SchedulerConfig::default(), DayClock::new(TimeZone::UTC, 4))
            .expect("scheduler")
    }

    const NOON: i64 = 1_767_268_800; // 2026-01-01T12:00:00Z

    #[test]
    fn new_card_buttons_follow_the_learning_steps() {
        let s = scheduler();
        let card = Schedule::new_card();
        let p = s.preview(7, &card, NOON).expect("preview");
        assert_eq!(p[0].schedule.state, CardState::Learning { step: 0 });
        assert!((60..=75).contains(&p[0].delay_secs));
        // Hard on the first step: the average of 1m and 10m.
        assert_eq!(p[1].schedule.state, CardState::Learning { step: 0 });
        assert!((330..=412).contains(&p[1].delay_secs));
        assert_eq!(p[2].schedule.state, CardState::Learning { step: 1 });
        assert!((600..=750).contains(&p[2].delay_secs));
        // Easy graduates at once with FSRS's Easy interval (S0 = 8.2956 → about 8 days).
        assert_eq!(p[3].schedule.state, CardState::Review);
        assert!(
            (6..=10).contains(&p[3].schedule.interval_days),
            "{:?}",
            p[3]
        );
        // Preview and answer agree exactly.
        for r in Rating::ALL {
            assert_eq!(
                s.answer(7, &card, r, NOON).expect("answer"),
                p[r.number() as usize - 1]
            );
        }
    }

    #[test]
    fn good_twice_graduates_and_review_intervals_increase() {
        let s = scheduler();
        let mut card = Schedule::new_card();
        let mut now = NOON;
        for _ in 0..2 {
            let a = s.answer(1, &card, Rating::Good, now).expect("answer");
            card = a.schedule;
            now = card.due;
        }
        assert_eq!(card.state, CardState::Review);
        assert!(card.interval_days >= 1);
        let later = card.due + 3600;
        let p = s.preview(1, &card, later).expect("preview");
        let days: Vec<u32> = p[1..].iter().map(|a| a.schedule.interval_days).collect();
        assert!(days[0] < days[1] && days[1] < days[2], "{days:?}");
        assert_eq!(p[0].schedule.state, CardState::Relearning { step: 0 });
        assert_eq!(p[0].schedule.lapses, 1);
    }

    #[test]
    fn graduating_good_takes_the_plain_fsrs_interval() {
        let s = scheduler();
        let first = s
            .answer(11, &Schedule::new_card(), Rating::Good, NOON)
            .expect("a");
        let second = s
            .answer(11, &first.schedule, Rating::Good, first.schedule.due)
            .expect("b");
        // S = 2.3065 after two same-day Goods: round(2.3065) = 2, below the fuzz threshold.
        assert_eq!(second.schedule.interval_days, 2);
        assert_eq!(second.shown_secs, 2 * 86_400);
    }

    #[test]
    fn a_growing_review_interval_never_falls_back_to_the_previous_one() {
        let s = scheduler();
        let card = Schedule {
            state: CardState::Review,
            stability: Some(6.0),
            difficulty: Some(5.0),
            due: NOON,
            last_review: Some(NOON - 6 * 86_400),
            interval_days: 6,
            reps: 5,
            lapses: 0,
        };
        for id in 0..50 {
            let p = s.preview(id, &card, NOON).expect("p");
            let good = p[2].schedule.interval_days;
            assert!(good >= 7, "card {id}: good {good} after a 6-day interval");
        }
    }

    #[test]
    fn review_due_lands_on_the_day_boundary() {
        let s = scheduler();
        let a = s
            .answer(3, &Schedule::new_card(), Rating::Easy, NOON)
            .expect("answer");
        let due = a.schedule.due;
        assert_eq!(due, s.clock.start_of(s.clock.day_of(due)));
        assert_eq!(
            s.clock.day_of(due) - s.clock.day_of(NOON),
            i64::from(a.schedule.interval_days)
        );
    }

    #[test]
    fn relearning_good_returns_to_review() {
        let s = scheduler();
        let mut card = Schedule::new_card();
        card = s.answer(9, &card, Rating::Easy, NOON).expect("a").schedule;
        let lapse_time = card.due + 7200;
        card = s
            .answer(9, &card, Rating::Again, lapse_time)
            .expect("b")
            .schedule;
        assert_eq!(card.state, CardState::Relearning { step: 0 });
        card = s
            .answer(9, &card, Rating::Good, card.due)
            .expect("c")
            .schedule;
        assert_eq!(card.state, CardState::Review);
        assert!(card.interval_days >= 1);
        assert_eq!(card.lapses, 1);
    }

    #[test]
    fn leech_at_threshold_and_every_half_threshold() {
        let hits: Vec<u32> = (0..30).filter(|&l| is_leech(l, 8)).collect();
        assert_eq!(hits, vec![8, 12, 16, 20, 24, 28]);
        assert!(!is_leech(5, 0));
    }

    #[test]
    fn eighth_lapse_flags_a_leech() {
        let s = scheduler();
        let mut card = Schedule::new_card();
        let mut now = NOON;
        let mut leeches = 0;
        for _ in 0..8 {
            card = s.answer(5, &card, Rating::Easy, now).expect("e").schedule;
            now = card.due + 60;
            let a = s.answer(5, &card, Rating::Again, now).expect("a");
            leeches += u32::from(a.leech);
            card = a.schedule;
            now = card.due;
        }
        assert_eq!(card.lapses, 8);
        assert_eq!(leeches, 1);
    }

    #[test]
    fn empty_steps_go_straight_to_review() {
        let config = SchedulerConfig {
            learning_steps: vec![],
            ..SchedulerConfig::default()
        };
        let s = Scheduler::new(config, DayClock::new(TimeZone::UTC, 4)).expect("s");
        let p = s.preview(1, &Schedule::new_card(), NOON).expect("p");
        assert!(p.iter().all(|a| a.schedule.state == CardState::Review));
    }
}
