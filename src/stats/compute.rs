//! The figures `alt-prep stats` shows, from summary rows (pure: the time and the day clock are
//! arguments). Days are study days: they start at `day_starts_at` local time (4 am), as the
//! scheduler's do (`reference/scheduling.md` §5). Every field is in the `--json` output.

use crate::db::reviews::DoneToday;
use crate::db::stats::{AnswerSums, CategoryHalves, DueTotals, QuarterTotals, StateCounts};
use crate::scheduler::DayClock;
use crate::scheduler::limits::{DailyLimits, allowance};
use serde::Serialize;

/// The true-retention windows, in days (today and the days before it).
pub const RETENTION_WINDOWS: [u32; 3] = [7, 30, 365];
/// Days in the forecast, today first.
pub const FORECAST_DAYS: u32 = 30;
/// Weeks in the heatmap unless `--days` says otherwise.
pub const DEFAULT_HEATMAP_WEEKS: u32 = 52;
/// The longest history `--days` may ask for (ten years).
pub const MAX_HISTORY_DAYS: u32 = 3653;
/// Weeks in the interview table.
pub const INTERVIEW_WEEKS: u32 = 8;
/// Anki's line between young and mature cards.
pub const MATURE_DAYS: u32 = 21;

/// Where the queries start and stop, from `now` and the day clock (see [`bounds`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bounds {
    pub today: i64,
    /// Start of today (unix seconds): cards due before it are overdue.
    pub today_start: i64,
    /// Start of the first heatmap day.
    pub heatmap_from: i64,
    pub heatmap_weeks: u32,
    /// Start of the first interview week.
    pub interview_from: i64,
    /// Start of the history the figures need in detail (retention and heatmap); before it,
    /// only which days had answers matters (streaks).
    pub detail_from: i64,
}

/// What the database gives `compute`: the settings, and summary rows only.
#[derive(Debug, Clone, Default)]
pub struct StatsInput {
    pub now: i64,
    /// The deck `--deck` asked for, by its name.
    pub deck: Option<String>,
    /// Every deck's id and name, for per-deck retention.
    pub decks: Vec<(i64, String)>,
    pub desired_retention: f32,
    pub limits: DailyLimits,
    /// Flashcard answers since today started, as the daily limits count them.
    pub done_today: DoneToday,
    /// `--days`: how far back the heatmap reaches.
    pub history_days: Option<u32>,
    /// The review summary from [`Bounds::detail_from`] on …
    pub quarters: Vec<QuarterTotals>,
    /// Today's answers, summed (see `Db::totals_between`).
    pub today: QuarterTotals,
    /// … and the quarter hours with answers before it.
    pub earlier_quarters: Vec<i64>,
    pub due: Vec<DueTotals>,
    pub cards: StateCounts,
    pub answer_halves: Vec<CategoryHalves>,
    pub answer_quarters: Vec<(i64, AnswerSums)>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    /// `now`, RFC 3339 in UTC.
    pub generated_at: String,
    /// Today's study day, as a local date.
    pub study_day: String,
    pub deck: Option<String>,
    pub today: Today,
    pub streak: Streak,
    pub retention: Retention,
    pub forecast: Forecast,
    pub heatmap: Heatmap,
    pub cards: Cards,
    pub interview: Interview,
}

/// Today's answers (flashcards and interview prompts).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Today {
    pub reviews: i64,
    pub time_ms: i64,
    /// Cards answered for the first time.
    pub new_learned: i64,
    pub again: i64,
    pub hard: i64,
    pub good: i64,
    pub easy: i64,
    pub due: DueToday,
}

/// What is still to do today (flashcards).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DueToday {
    /// Learning and relearning cards due before the day ends.
    pub learning: i64,
    /// Review cards due today or overdue.
    pub review: i64,
    /// New cards today's limits still allow.
    pub new: i64,
}

/// Days in a row with at least one answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Streak {
    /// The run ending today, or yesterday if nothing is done yet today.
    pub current: i64,
    pub longest: i64,
    pub studied_today: bool,
    /// Days with at least one answer, ever.
    pub days_studied: i64,
}

/// True retention: of flashcard answers given in the review state, the share not Again.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Retention {
    pub desired: f64,
    pub windows: Vec<Window>,
    /// Per deck with review answers in the longest window, by name.
    pub decks: Vec<DeckRetention>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Window {
    pub days: u32,
    pub reviews: i64,
    pub passed: i64,
    /// `passed / reviews`; null without reviews.
    pub rate: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeckRetention {
    pub deck: String,
    pub windows: Vec<Window>,
}

/// Flashcards (learning, relearning and review) falling due on each of the next days.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Forecast {
    /// Due before today: included in the first day.
    pub overdue: i64,
    pub days: Vec<ForecastDay>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ForecastDay {
    pub date: String,
    pub due: i64,
}

/// Answers per day, whole weeks from a Monday to today.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Heatmap {
    pub weeks: u32,
    pub from: String,
    pub to: String,
    pub total: i64,
    pub active_days: i64,
    /// The busiest day's count.
    pub max: i64,
    pub days: Vec<HeatDay>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HeatDay {
    pub date: String,
    pub reviews: i64,
}

/// Flashcards by state (see [`StateCounts`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cards {
    pub total: i64,
    pub new: i64,
    pub learning: i64,
    pub relearning: i64,
    pub young: i64,
    pub mature: i64,
    pub suspended: i64,
    pub leeches: i64,
}

/// Typed interview answers (follow-ups not counted).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Interview {
    pub answers: i64,
    pub rated: i64,
    pub mean_rating: Option<f64>,
    pub categories: Vec<CategoryProgress>,
    /// The last weeks, Monday to Sunday, oldest first.
    pub weeks: Vec<WeekProgress>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CategoryProgress {
    pub category: String,
    #[serde(flatten)]
    pub all: Means,
    /// The category's older half of answers (with the odd one) …
    pub first_half: Means,
    /// … and its newer half.
    pub last_half: Means,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Means {
    pub answers: i64,
    pub rated: i64,
    pub mean_rating: Option<f64>,
    pub mean_words: Option<f64>,
    pub mean_fillers_per_100_words: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeekProgress {
    /// The Monday the week starts on.
    pub start: String,
    #[serde(flatten)]
    pub means: Means,
}

/// The query bounds for `now`.
pub fn bounds(now: i64, clock: &DayClock, history_days: Option<u32>) -> Bounds {
    let today = clock.day_of(now);
    let days = history_days
        .unwrap_or(DEFAULT_HEATMAP_WEEKS * 7)
        .clamp(1, MAX_HISTORY_DAYS);
    let heatmap_weeks = days.div_ceil(7);
    let monday = monday_of(today);
    Bounds {
        today,
        today_start: clock.start_of(today),
        heatmap_from: clock.start_of(monday - 7 * i64::from(heatmap_weeks - 1)),
        heatmap_weeks,
        interview_from: clock.start_of(monday - 7 * i64::from(INTERVIEW_WEEKS - 1)),
        detail_from: clock.start_of(
            (monday - 7 * i64::from(heatmap_weeks - 1))
                .min(today + 1 - i64::from(RETENTION_WINDOWS[RETENTION_WINDOWS.len() - 1])),
        ),
    }
}

/// When each forecast day starts: today first, and the day after the last.
pub fn forecast_starts(today: i64, clock: &DayClock) -> Vec<i64> {
    (0..=i64::from(FORECAST_DAYS))
        .map(|i| clock.start_of(today + i))
        .collect()
}

/// All the figures, from the summary rows.
pub fn compute(input: &StatsInput, clock: &DayClock) -> Stats {
    let b = bounds(input.now, clock, input.history_days);
    let today = b.today;
    let mut days = DayMap::new(clock);

    // One pass over the quarter hours: per day (all decks), and retention per deck.
    let first_window = i64::from(RETENTION_WINDOWS[RETENTION_WINDOWS.len() - 1]);
    let mut per_day: Vec<(i64, QuarterTotals)> = Vec::new();
    let mut deck_windows: Vec<(i64, [Window; 3])> = Vec::new();
    for q in &input.quarters {
        let day = days.day(q.quarter * 900);
        match per_day.last_mut() {
            Some((d, t)) if *d == day => add(t, q),
            _ => {
                let mut t = QuarterTotals::default();
                add(&mut t, q);
                per_day.push((day, t));
            }
        }
        if day <= today && day > today - first_window && q.review_answers > 0 {
            let slot = match deck_windows.iter_mut().position(|(id, _)| *id == q.deck_id) {
                Some(i) => i,
                None => {
                    deck_windows.push((q.deck_id, empty_windows()));
                    deck_windows.len() - 1
                }
            };
            count_windows(&mut deck_windows[slot].1, today - day, q);
        }
    }

    // Today.
    let t = input.today;
    let mut learning_due = 0;
    let mut review_due = 0;
    let mut forecast = vec![0i64; FORECAST_DAYS as usize];
    let mut overdue = 0;
    for d in &input.due {
        if d.day < 0 {
            overdue += d.cards;
        }
        let offset = d.day.max(0);
        if let Some(slot) = forecast.get_mut(offset as usize) {
            *slot += d.cards;
        }
        if offset == 0 {
            if d.review {
                review_due += d.cards;
            } else {
                learning_due += d.cards;
            }
        }
    }
    let clamp = |n: i64| n.clamp(0, i64::from(u32::MAX)) as u32;
    let new_allowed = allowance(
        input.limits,
        input.done_today.new,
        input.done_today.reviews,
        clamp(review_due),
        clamp(input.cards.new),
    )
    .new;

    // Streaks, over every day with an answer.
    let mut studied: Vec<i64> = Vec::new();
    for q in &input.earlier_quarters {
        let day = days.day(q * 900);
        if studied.last() != Some(&day) {
            studied.push(day);
        }
    }
    for (d, t) in &per_day {
        if *d <= today && t.reviews > 0 && studied.last() != Some(d) {
            studied.push(*d);
        }
    }
    let streak = streaks(&studied, today);

    // Retention.
    let mut windows = empty_windows();
    for (day, t) in &per_day {
        if *day <= today && *day > today - first_window {
            count_windows(&mut windows, today - day, t);
        }
    }
    let mut decks: Vec<DeckRetention> = deck_windows
        .into_iter()
        .map(|(id, windows)| DeckRetention {
            deck: input
                .decks
                .iter()
                .find(|(d, _)| *d == id)
                .map(|(_, name)| name.clone())
                .unwrap_or_else(|| format!("deck {id}")),
            windows: windows.into_iter().map(finish_window).collect(),
        })
        .collect();
    decks.sort_by_key(|a| a.deck.to_lowercase());

    // Heatmap.
    let from = days.day(b.heatmap_from);
    let mut heat: Vec<HeatDay> = (from..=today)
        .map(|d| HeatDay {
            date: date_of(d),
            reviews: 0,
        })
        .collect();
    for (day, t) in &per_day {
        if let Some(slot) = usize::try_from(day - from)
            .ok()
            .and_then(|i| heat.get_mut(i))
        {
            slot.reviews += t.reviews;
        }
    }

    Stats {
        generated_at: jiff::Timestamp::from_second(input.now)
            .map(|t| t.to_string())
            .unwrap_or_default(),
        study_day: date_of(today),
        deck: input.deck.clone(),
        today: Today {
            reviews: t.reviews,
            time_ms: t.duration_ms,
            new_learned: t.first_answers,
            again: t.again,
            hard: t.hard,
            good: t.good,
            easy: t.easy,
            due: DueToday {
                learning: learning_due,
                review: review_due,
                new: i64::from(new_allowed),
            },
        },
        streak,
        retention: Retention {
            desired: round4(f64::from(input.desired_retention)),
            windows: windows.into_iter().map(finish_window).collect(),
            decks,
        },
        forecast: Forecast {
            overdue,
            days: forecast
                .iter()
                .enumerate()
                .map(|(i, due)| ForecastDay {
                    date: date_of(today + i as i64),
                    due: *due,
                })
                .collect(),
        },
        heatmap: Heatmap {
            weeks: b.heatmap_weeks,
            from: date_of(from),
            to: date_of(today),
            total: heat.iter().map(|d| d.reviews).sum(),
            active_days: heat.iter().filter(|d| d.reviews > 0).count() as i64,
            max: heat.iter().map(|d| d.reviews).max().unwrap_or(0),
            days: heat,
        },
        cards: Cards {
            total: input.cards.total,
            new: input.cards.new,
            learning: input.cards.learning,
            relearning: input.cards.relearning,
            young: input.cards.young,
            mature: input.cards.mature,
            suspended: input.cards.suspended,
            leeches: input.cards.leeches,
        },
        interview: interview(input, &mut days, &b),
    }
}

fn interview(input: &StatsInput, days: &mut DayMap, b: &Bounds) -> Interview {
    let mut total = AnswerSums::default();
    let categories: Vec<CategoryProgress> = input
        .answer_halves
        .iter()
        .map(|c| {
            let mut all = c.first;
            merge(&mut all, &c.last);
            merge(&mut total, &all);
            CategoryProgress {
                category: c.category.clone(),
                all: means(&all),
                first_half: means(&c.first),
                last_half: means(&c.last),
            }
        })
        .collect();
    let first_monday = days.day(b.interview_from);
    let mut weeks: Vec<AnswerSums> = vec![AnswerSums::default(); INTERVIEW_WEEKS as usize];
    for (quarter, sums) in &input.answer_quarters {
        let week = (days.day(quarter * 900) - first_monday).div_euclid(7);
        if let Some(slot) = usize::try_from(week).ok().and_then(|w| weeks.get_mut(w)) {
            merge(slot, sums);
        }
    }
    Interview {
        answers: total.answers,
        rated: total.rated,
        mean_rating: mean(total.rating_sum as f64, total.rated),
        categories,
        weeks: weeks
            .iter()
            .enumerate()
            .map(|(i, s)| WeekProgress {
                start: date_of(first_monday + 7 * i as i64),
                means: means(s),
            })
            .collect(),
    }
}

/// Current and longest runs of consecutive days in `days` (ascending, none after `today`).
pub fn streaks(days: &[i64], today: i64) -> Streak {
    let mut longest = 0;
    let mut run = 0;
    let mut previous: Option<i64> = None;
    for &d in days {
        run = if previous == Some(d - 1) { run + 1 } else { 1 };
        longest = longest.max(run);
        previous = Some(d);
    }
    let studied_today = previous == Some(today);
    let current = match previous {
        Some(last) if last == today || last == today - 1 => run,
        _ => 0,
    };
    Streak {
        current,
        longest,
        studied_today,
        days_studied: days.len() as i64,
    }
}

fn add(total: &mut QuarterTotals, q: &QuarterTotals) {
    total.reviews += q.reviews;
    total.duration_ms += q.duration_ms;
    total.first_answers += q.first_answers;
    total.again += q.again;
    total.hard += q.hard;
    total.good += q.good;
    total.easy += q.easy;
    total.review_answers += q.review_answers;
    total.review_passed += q.review_passed;
}

fn empty_windows() -> [Window; 3] {
    RETENTION_WINDOWS.map(|days| Window {
        days,
        reviews: 0,
        passed: 0,
        rate: None,
    })
}

/// Adds a day's review answers to every window reaching back `age` days.
fn count_windows(windows: &mut [Window; 3], age: i64, q: &QuarterTotals) {
    for w in windows.iter_mut() {
        if age < i64::from(w.days) {
            w.reviews += q.review_answers;
            w.passed += q.review_passed;
        }
    }
}

fn finish_window(mut w: Window) -> Window {
    w.rate = (w.reviews > 0).then(|| w.passed as f64 / w.reviews as f64);
    w
}

fn merge(total: &mut AnswerSums, s: &AnswerSums) {
    total.answers += s.answers;
    total.rated += s.rated;
    total.rating_sum += s.rating_sum;
    total.with_words += s.with_words;
    total.words_sum += s.words_sum;
    total.with_fillers += s.with_fillers;
    total.fillers_sum += s.fillers_sum;
}

fn means(s: &AnswerSums) -> Means {
    Means {
        answers: s.answers,
        rated: s.rated,
        mean_rating: mean(s.rating_sum as f64, s.rated),
        mean_words: mean(s.words_sum, s.with_words),
        mean_fillers_per_100_words: mean(s.fillers_sum, s.with_fillers),
    }
}

fn mean(sum: f64, n: i64) -> Option<f64> {
    (n > 0).then(|| sum / n as f64)
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// The Monday on or before a day (day 0, 1970-01-01, was a Thursday).
pub fn monday_of(day: i64) -> i64 {
    day - (day + 3).rem_euclid(7)
}

/// A study day as a local date, `2026-05-31`.
pub fn date_of(day: i64) -> String {
    civil(day).map(|d| d.to_string()).unwrap_or_default()
}

pub fn civil(day: i64) -> Option<jiff::civil::Date> {
    let span = jiff::Span::new().try_days(day).ok()?;
    jiff::civil::date(1970, 1, 1).checked_add(span).ok()
}

/// Maps instants to study days, remembering the last day's bounds: rows come in time
/// order, so the time zone is consulted about once per day, not once per row.
struct DayMap<'a> {
    clock: &'a DayClock,
    day: i64,
    start: i64,
    end: i64,
}

impl<'a> DayMap<'a> {
    fn new(clock: &'a DayClock) -> Self {
        DayMap {
            clock,
            day: 0,
            start: 0,
            end: 0,
        }
    }

    fn day(&mut self, unix_secs: i64) -> i64 {
        if unix_secs < self.start || unix_secs >= self.end {
            self.day = self.clock.day_of(unix_secs);
            self.start = self.clock.start_of(self.day);
            self.end = self.clock.start_of(self.day + 1);
            if !(self.start <= unix_secs && unix_secs < self.end) {
                // A day the clock cannot bound (a time-zone oddity): do not cache it.
                self.end = self.start;
            }
        }
        self.day
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::tz::TimeZone;

    const H: i64 = 3600;
    /// 2026-04-01 00:00 UTC, a Wednesday.
    const APR1: i64 = 1_775_001_600;

    fn utc() -> DayClock {
        DayClock::new(TimeZone::UTC, 4)
    }

    fn q(at: i64, deck: i64, reviews: i64, review_answers: i64, passed: i64) -> QuarterTotals {
        QuarterTotals {
            quarter: at / 900,
            deck_id: deck,
            reviews,
            duration_ms: reviews * 1000,
            first_answers: reviews - review_answers,
            again: review_answers - passed,
            good: reviews - (review_answers - passed),
            review_answers,
            review_passed: passed,
            ..QuarterTotals::default()
        }
    }

    #[test]
    fn streaks_count_runs_of_days() {
        let s = streaks(&[1, 2, 3, 7, 8], 8);
        assert_eq!((s.current, s.longest, s.studied_today), (2, 3, true));
        let s = streaks(&[1, 2, 3, 7, 8], 9);
        assert_eq!(
            (s.current, s.studied_today),
            (2, false),
            "alive until today ends"
        );
        let s = streaks(&[1, 2, 3, 7, 8], 10);
        assert_eq!((s.current, s.longest), (0, 3));
        assert_eq!(streaks(&[], 5).longest, 0);
    }

    #[test]
    fn monday_of_is_a_monday() {
        let wednesday = utc().day_of(APR1 + 12 * H);
        assert_eq!(date_of(monday_of(wednesday)), "2026-03-30");
        assert_eq!(monday_of(monday_of(wednesday)), monday_of(wednesday));
    }

    #[test]
    fn days_start_at_four_am_and_windows_include_today() {
        let now = APR1 + 10 * H; // Wed 10:00 → study day Apr 1
        let input = StatsInput {
            now,
            desired_retention: 0.9,
            quarters: vec![
                q(APR1 - 40 * 86_400, 1, 4, 4, 1), // 40 days ago: 365 window only
                q(APR1 - 10 * 86_400, 1, 2, 2, 2), // 30 and 365
                q(APR1 + 3 * H, 1, 5, 3, 3),       // 03:00 belongs to March 31
                q(APR1 + 9 * H, 1, 7, 2, 1),       // today
                q(APR1 + 9 * H, 2, 1, 1, 1),       // today, second deck
            ],
            decks: vec![(1, "Beta".into()), (2, "alpha".into())],
            today: QuarterTotals {
                reviews: 8,
                duration_ms: 8000,
                ..QuarterTotals::default()
            },
            ..StatsInput::default()
        };
        let s = compute(&input, &utc());
        assert_eq!(s.study_day, "2026-04-01");
        assert_eq!((s.today.reviews, s.today.time_ms), (8, 8000));
        assert_eq!(
            (s.streak.current, s.streak.longest, s.streak.days_studied),
            (2, 2, 4)
        );
        let w = &s.retention.windows;
        assert_eq!((w[0].reviews, w[0].passed), (6, 5));
        assert_eq!((w[1].reviews, w[1].passed), (8, 7));
        assert_eq!((w[2].reviews, w[2].passed), (12, 8));
        assert_eq!(w[2].rate, Some(8.0 / 12.0));
        let names: Vec<&str> = s.retention.decks.iter().map(|d| d.deck.as_str()).collect();
        assert_eq!(names, ["alpha", "Beta"]);
        assert_eq!(s.retention.decks[0].windows[0].reviews, 1);
        assert_eq!(s.heatmap.weeks, 52);
        assert_eq!(s.heatmap.to, "2026-04-01");
        assert_eq!(s.heatmap.days.len(), 51 * 7 + 3);
        assert_eq!(s.heatmap.total, 4 + 2 + 5 + 8);
        assert_eq!(s.heatmap.max, 8);
        let last = s.heatmap.days.last().expect("today");
        assert_eq!(last.reviews, 8);
    }

    #[test]
    fn older_history_counts_for_streaks_only() {
        let now = APR1 + 10 * H;
        let clock = utc();
        let b = bounds(now, &clock, Some(7));
        let today = clock.day_of(now);
        // Five days in a row long ago (two answers on the first), then today.
        let old: Vec<i64> = (0..5)
            .map(|i| (clock.start_of(today - 600 + i) + H) / 900)
            .chain([(clock.start_of(today - 600) + 2 * H) / 900])
            .collect();
        let mut sorted = old.clone();
        sorted.sort();
        assert!(sorted.iter().all(|q| q * 900 < b.detail_from));
        let input = StatsInput {
            now,
            history_days: Some(7),
            earlier_quarters: sorted,
            quarters: vec![q(APR1 + 9 * H, 1, 3, 0, 0)],
            ..StatsInput::default()
        };
        let s = compute(&input, &clock);
        assert_eq!(s.streak.longest, 5);
        assert_eq!(s.streak.current, 1);
        assert_eq!(s.streak.days_studied, 6);
        assert_eq!(s.heatmap.total, 3, "older history is not in the heatmap");
        assert_eq!(
            b.detail_from,
            clock.start_of(today - 364),
            "a short heatmap still reads a year for retention"
        );
    }

    #[test]
    fn forecast_puts_overdue_cards_today() {
        let now = APR1 + 10 * H;
        let clock = utc();
        let input = StatsInput {
            now,
            limits: DailyLimits {
                new_per_day: 10,
                reviews_per_day: 100,
            },
            done_today: DoneToday { new: 4, reviews: 0 },
            cards: StateCounts {
                new: 50,
                ..StateCounts::default()
            },
            due: vec![
                DueTotals {
                    day: -1,
                    review: true,
                    cards: 3,
                },
                DueTotals {
                    day: 0,
                    review: false,
                    cards: 2,
                },
                DueTotals {
                    day: 1,
                    review: true,
                    cards: 5,
                },
                DueTotals {
                    day: 29,
                    review: true,
                    cards: 1,
                },
            ],
            ..StatsInput::default()
        };
        let s = compute(&input, &clock);
        assert_eq!(s.forecast.overdue, 3);
        let due: Vec<i64> = s.forecast.days.iter().map(|d| d.due).collect();
        assert_eq!(due.len(), 30);
        assert_eq!((due[0], due[1], due[29]), (5, 5, 1));
        assert_eq!(due.iter().sum::<i64>(), 11);
        assert_eq!(
            (s.today.due.learning, s.today.due.review, s.today.due.new),
            (2, 3, 6)
        );
    }

    #[test]
    fn interview_means_merge_halves_and_weeks() {
        let now = APR1 + 10 * H;
        let sums = |n: i64, rating: i64, words: f64| AnswerSums {
            answers: n,
            rated: n,
            rating_sum: rating * n,
            with_words: n,
            words_sum: words * n as f64,
            with_fillers: 0,
            fillers_sum: 0.0,
        };
        let input = StatsInput {
            now,
            answer_halves: vec![CategoryHalves {
                category: "teaching".into(),
                first: sums(2, 2, 40.0),
                last: sums(2, 4, 80.0),
            }],
            answer_quarters: vec![
                (APR1 / 900, sums(1, 3, 50.0)),
                ((APR1 - 7 * 86_400) / 900, sums(3, 2, 30.0)),
            ],
            ..StatsInput::default()
        };
        let s = compute(&input, &utc());
        let c = &s.interview.categories[0];
        assert_eq!((c.all.answers, c.all.mean_rating), (4, Some(3.0)));
        assert_eq!(c.first_half.mean_words, Some(40.0));
        assert_eq!(c.last_half.mean_words, Some(80.0));
        assert_eq!(c.all.mean_fillers_per_100_words, None);
        let weeks = &s.interview.weeks;
        assert_eq!(weeks.len(), 8);
        assert_eq!(weeks[7].start, "2026-03-30");
        assert_eq!(weeks[7].means.answers, 1);
        assert_eq!(weeks[6].means.mean_rating, Some(2.0));
        assert_eq!(s.interview.mean_rating, Some(3.0));
    }
}
