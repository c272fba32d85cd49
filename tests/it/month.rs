//! A scripted month of daily sessions: 40 cards, 10 new a day, 30 days of `review` driven by
//! seeded pseudo-random answers. Every day the deck counts are checked against the card list,
//! and at the end every card's review log is replayed through an independent f64
//! transcription of FSRS-6 (`reference/scheduling.md` §1.1, §1.2) and its intervals are
//! checked against the fuzz ranges (§1.4) and Anki's ordering rules (§5).

use crate::harness::*;
use fsrs6::{Mem, candidates, fuzz_range, interval};
use serde_json::Value;

const DAY0: &str = "2026-04-01T09:00:00Z";
const CARDS: usize = 40;
const NEW_PER_DAY: i64 = 10;
const REVIEWS_PER_DAY: i64 = 200;
const DAYS: i64 = 30;
/// Answers supplied to each day's main session: far more than a day can use, so every
/// session ends by itself (the summary line), never through end of input.
const ANSWERS_PER_SESSION: usize = 400;
/// The default `day_starts_at` (4 am, local time = UTC here).
const ROLLOVER_SECS: i64 = 4 * 3600;
/// Anki's learn-ahead limit: learning cards due this soon count in the session header.
const LEARN_AHEAD_SECS: i64 = 20 * 60;

/// xorshift64: a tiny seeded generator, so the month is the same on every run.
pub struct XorShift(u64);

impl XorShift {
    pub fn new(seed: u64) -> XorShift {
        XorShift(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// Uniform-ish in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// 15 % Again, 10 % Hard, 60 % Good, 15 % Easy.
    fn rating(&mut self) -> u8 {
        match self.below(100) {
            0..15 => 1,
            15..25 => 2,
            25..85 => 3,
            _ => 4,
        }
    }

    /// `count` answers as piped input: Enter (reveal), then the rating.
    fn answers(&mut self, count: usize) -> String {
        (0..count)
            .map(|_| format!("\n{}\n", self.rating()))
            .collect()
    }
}

/// An independent transcription of FSRS-6 in f64, from `reference/scheduling.md` §1.1 with
/// the 21 default parameters of §1.2. It deliberately shares no code with `src/`.
pub mod fsrs6 {
    pub const W: [f64; 21] = [
        0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796,
        1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542,
    ];
    const S_MIN: f64 = 0.001;
    const S_MAX: f64 = 36_500.0;

    #[derive(Debug, Clone, Copy, PartialEq)]
    pub struct Mem {
        pub s: f64,
        pub d: f64,
    }

    /// D0(G), unclamped (the mean-reversion target uses D0(4) unclamped).
    fn d0(g: u8) -> f64 {
        W[4] - (W[5] * (f64::from(g) - 1.0)).exp() + 1.0
    }

    /// R(t, S) with the trainable decay w20.
    pub fn retrievability(t: f64, s: f64) -> f64 {
        let decay = -W[20];
        let factor = 0.9_f64.powf(1.0 / decay) - 1.0;
        (1.0 + factor * t / s).powf(decay)
    }

    /// The memory state after the first answer of a new card.
    pub fn first(g: u8) -> Mem {
        Mem {
            s: W[usize::from(g) - 1].clamp(S_MIN, S_MAX),
            d: d0(g).clamp(1.0, 10.0),
        }
    }

    /// The memory state after answering `g` `t` study days after the previous answer.
    pub fn next(m: Mem, t: f64, g: u8) -> Mem {
        let (s, d) = (m.s.clamp(S_MIN, S_MAX), m.d.clamp(1.0, 10.0));
        let gf = f64::from(g);
        let r = retrievability(t, s);
        let new_s = if t == 0.0 {
            let sinc = (W[17] * (gf - 3.0 + W[18])).exp() * s.powf(-W[19]);
            s * if g >= 2 { sinc.max(1.0) } else { sinc }
        } else if g == 1 {
            let long =
                W[11] * d.powf(-W[12]) * ((s + 1.0).powf(W[13]) - 1.0) * (W[14] * (1.0 - r)).exp();
            long.min(s / (W[17] * W[18]).exp())
        } else {
            let hard = if g == 2 { W[15] } else { 1.0 };
            let easy = if g == 4 { W[16] } else { 1.0 };
            s * (1.0
                + W[8].exp()
                    * (11.0 - d)
                    * s.powf(-W[9])
                    * ((W[10] * (1.0 - r)).exp() - 1.0)
                    * hard
                    * easy)
        };
        let damped = d + (-W[6] * (gf - 3.0)) * (10.0 - d) / 9.0;
        let reverted = W[7] * d0(4) + (1.0 - W[7]) * damped;
        Mem {
            s: new_s.clamp(S_MIN, S_MAX),
            d: reverted.clamp(1.0, 10.0),
        }
    }

    /// The four possible states after an answer: `prev` is `None` for a new card.
    pub fn candidates(prev: Option<Mem>, t: f64) -> [Mem; 4] {
        [1, 2, 3, 4].map(|g| match prev {
            None => first(g),
            Some(m) => next(m, t, g),
        })
    }

    /// The interval for desired retention `dr` (unrounded days).
    pub fn interval(s: f64, dr: f64) -> f64 {
        let decay = -W[20];
        let factor = 0.9_f64.powf(1.0 / decay) - 1.0;
        s / factor * (dr.powf(1.0 / decay) - 1.0)
    }

    /// §1.4: the whole-day range an interval may be fuzzed into (maximum 36500 days).
    pub fn fuzz_range(i: f64) -> (i64, i64) {
        if i < 2.5 {
            let days = (i.round() as i64).clamp(1, 36_500);
            return (days, days);
        }
        let delta = 1.0
            + [
                (2.5, 7.0, 0.15),
                (7.0, 20.0, 0.10),
                (20.0, f64::INFINITY, 0.05),
            ]
            .iter()
            .map(|&(start, end, f): &(f64, f64, f64)| f * (i.min(end) - start).max(0.0))
            .sum::<f64>();
        (
            ((i - delta).round() as i64).max(2),
            ((i + delta).round() as i64).min(36_500),
        )
    }
}

/// Relative closeness for S > 1, absolute below.
fn close(got: f64, want: f64) -> bool {
    (got - want).abs() <= 1e-3 * want.abs().max(1.0)
}

/// The fuzz range of the FSRS interval for stability `s` at DR 0.9, widened by a hair at
/// both ends so an f32-versus-f64 difference right at a rounding edge cannot flip a bound.
fn tolerant_range(s: f64) -> (i64, i64) {
    let i = interval(s, 0.9);
    (
        fuzz_range(i * (1.0 - 1e-4)).0,
        fuzz_range(i * (1.0 + 1e-4)).1,
    )
}

/// The allowed days for a passing answer that lands in review (Hard = 2, Good = 3, Easy = 4),
/// given the four candidate memory states.
///
/// Choice: instead of skipping small intervals, the bounds follow the ordering rule the
/// scheduler applies to all passing intervals (Anki `passing_fsrs_review_intervals`, §5):
/// Hard is its own fuzz range; Good is at least Hard + 1, and when that minimum exceeds
/// Good's own range the range collapses to [Hard + 1, Hard + 2] (Anki's `upper == lower`
/// widening), so Good ≤ max(hi_good, hi_hard + 2); likewise Easy ≤ max(hi_easy, max_good + 2).
/// The lower bounds are the own range's lower bound raised by the same ordering. So every
/// Good/Easy row is checked, small intervals included. Graduating learning and relearning
/// rows follow [`graduating_bounds`] instead.
fn passing_bounds(c: &[Mem; 4], rating: u8) -> (i64, i64) {
    let (lo_h, hi_h) = tolerant_range(c[1].s);
    let (lo_g, hi_g) = tolerant_range(c[2].s);
    let (lo_e, hi_e) = tolerant_range(c[3].s);
    let hard = (lo_h, hi_h);
    let good = (lo_g.max(hard.0 + 1), hi_g.max(hard.1 + 2));
    let easy = (lo_e.max(good.0 + 1), hi_e.max(good.1 + 2));
    match rating {
        2 => hard,
        3 => good,
        _ => easy,
    }
}

/// A learning or relearning card that graduates: Good is FSRS's Good interval in its own fuzz
/// range (no Hard to stay above); Easy is at least Good + 1 (§5 "Learning steps").
fn graduating_bounds(c: &[Mem; 4], rating: u8) -> (i64, i64) {
    let good = tolerant_range(c[2].s);
    let (lo_e, hi_e) = tolerant_range(c[3].s);
    match rating {
        3 => good,
        _ => (lo_e.max(good.0 + 1), hi_e.max(good.1 + 2)),
    }
}

/// The study day (4 am rollover, UTC) of a Unix time.
fn study_day(unix_secs: i64) -> i64 {
    (unix_secs - ROLLOVER_SECS).div_euclid(DAY)
}

fn str_of<'a>(v: &'a Value, field: &str) -> &'a str {
    v[field]
        .as_str()
        .unwrap_or_else(|| panic!("`{field}` is not a string in {v}"))
}

fn i64_of(v: &Value, field: &str) -> i64 {
    v[field]
        .as_i64()
        .unwrap_or_else(|| panic!("`{field}` is not an integer in {v}"))
}

fn f64_of(v: &Value, field: &str) -> f64 {
    v[field]
        .as_f64()
        .unwrap_or_else(|| panic!("`{field}` is not a number in {v}"))
}

/// Counts of the deck as `decks --json` reports them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Counts {
    new: i64,
    learning: i64,
    due: i64,
}

fn deck_counts(env: &Env, now: i64) -> Counts {
    let decks = env.ok(&at(now), &["decks", "--json"], "").json();
    let deck = decks
        .as_array()
        .and_then(|d| d.iter().find(|x| x["id"] == "t"))
        .unwrap_or_else(|| panic!("deck t missing from {decks}"));
    Counts {
        new: i64_of(deck, "new"),
        learning: i64_of(deck, "learning"),
        due: i64_of(deck, "due"),
    }
}

/// The same counts worked out from `cards --json` (state and due of each card), plus the
/// learning cards due within the learn-ahead limit (what the session header shows).
fn counts_from_cards(env: &Env, now: i64) -> (Counts, i64) {
    let cards = env
        .ok(&at(now), &["cards", "--deck", "Test", "--json"], "")
        .json();
    let cards = cards.as_array().expect("cards --json is an array");
    assert_eq!(cards.len(), CARDS);
    let mut counts = Counts::default();
    let mut learning_soon = 0;
    for c in cards.iter().filter(|c| c["suspended"] == false) {
        let state = str_of(c, "state");
        let due = (state != "new").then(|| unix(str_of(c, "due")));
        match (state, due) {
            ("new", _) => counts.new += 1,
            ("review", Some(due)) if due <= now => counts.due += 1,
            ("learning" | "relearning", Some(due)) => {
                counts.learning += i64::from(due <= now);
                learning_soon += i64::from(due <= now + LEARN_AHEAD_SECS);
            }
            _ => {}
        }
    }
    (counts, learning_soon)
}

/// `new N · learning N · due N`, the first card's header of a session.
fn first_header(stdout: &str) -> Option<(i64, i64, i64)> {
    let line = stdout.lines().find(|l| l.starts_with("new "))?;
    let nums: Vec<i64> = line
        .split(" · ")
        .filter_map(|part| part.rsplit(' ').next()?.parse().ok())
        .collect();
    match nums[..] {
        [new, learning, due] => Some((new, learning, due)),
        _ => panic!("unexpected header {line:?}"),
    }
}

/// `Done: N cards …`, or 0 when the session had nothing to show.
fn done_count(stdout: &str) -> i64 {
    if stdout.contains("Nothing due now.") {
        return 0;
    }
    let line = stdout
        .lines()
        .find(|l| l.starts_with("Done: "))
        .unwrap_or_else(|| panic!("no summary line in\n{stdout}"));
    line["Done: ".len()..]
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("unreadable summary {line:?}"))
}

/// Today's answers to new cards and to review cards, straight from the review log.
fn done_today(env: &Env, now: i64) -> (i64, i64) {
    let since_ms = (study_day(now) * DAY + ROLLOVER_SECS) * 1000;
    let count = |state: i64| {
        env.sql_count(&format!(
            "SELECT count(*) FROM reviews WHERE source = 'review' AND state_before = {state} \
             AND reviewed_at >= {since_ms}"
        ))
    };
    (count(0), count(2))
}

fn review_rows(env: &Env) -> i64 {
    env.sql_count("SELECT count(*) FROM reviews WHERE source = 'review'")
}

#[test]
fn the_fsrs_transcription_reproduces_the_reference_vectors() {
    use fsrs6::{first, next, retrievability};
    // §1.3 "new card".
    let want = [
        (0.2120, 6.4133),
        (1.2931, 5.1122),
        (2.3065, 2.1181),
        (8.2956, 1.0000),
    ];
    for (g, (s, d)) in (1..=4).zip(want) {
        let m = first(g);
        assert!(
            (m.s - s).abs() < 1e-4 && (m.d - d).abs() < 1e-4,
            "G{g}: {m:?}"
        );
    }
    // §1.3 rows "after first Good, same day", "t=3 d", "S=10, D=5, t=10 d".
    type Row = (Mem, f64, [(f64, f64); 4]);
    let good = first(3);
    let rows: [Row; 3] = [
        (
            good,
            0.0,
            [
                (0.7751, 7.3945),
                (2.3065, 4.7529),
                (2.3065, 2.1112),
                (3.9461, 1.0),
            ],
        ),
        (
            good,
            3.0,
            [
                (0.6369, 7.3945),
                (9.2349, 4.7529),
                (13.8269, 2.1112),
                (23.8831, 1.0),
            ],
        ),
        (
            Mem { s: 10.0, d: 5.0 },
            10.0,
            [
                (1.3920, 8.3418),
                (23.2469, 6.6660),
                (32.0267, 4.9902),
                (51.2539, 3.3145),
            ],
        ),
    ];
    for (prev, t, want) in rows {
        for (g, (s, d)) in (1..=4).zip(want) {
            let m = next(prev, t, g);
            assert!(
                (m.s - s).abs() < 1e-4 && (m.d - d).abs() < 1e-4,
                "{prev:?} t={t} G{g}: {m:?}, want ({s}, {d})"
            );
        }
    }
    // §1.3 history Good@0, Good@1, Good@3, Again@8, Good@0, Good@2 → S=5.3500, D=7.3657.
    let mut m = first(3);
    for (t, g) in [(1.0, 3), (3.0, 3), (8.0, 1), (0.0, 3), (2.0, 3)] {
        m = next(m, t, g);
    }
    assert!(
        (m.s - 5.3500).abs() < 1e-4 && (m.d - 7.3657).abs() < 1e-4,
        "{m:?}"
    );
    // §1.3 intervals and retrievability for S = 10.
    for (dr, want) in [
        (0.80, 33.1596),
        (0.85, 19.0642),
        (0.90, 10.0),
        (0.95, 4.0256),
    ] {
        assert!((interval(10.0, dr) - want).abs() < 1e-3, "DR {dr}");
    }
    for (t, r) in [(1.0, 0.9857), (10.0, 0.9), (20.0, 0.8459), (100.0, 0.6928)] {
        assert!((retrievability(t, 10.0) - r).abs() < 1e-4, "t={t}");
    }
    // §1.4 fuzz examples.
    assert_eq!(fuzz_range(3.0), (2, 4));
    assert_eq!(fuzz_range(10.0), (8, 12));
    assert_eq!(fuzz_range(100.0), (93, 107));
    assert_eq!(fuzz_range(2.3065), (2, 2));
    assert_eq!(fuzz_range(0.3), (1, 1));
}

#[test]
fn a_scripted_month_of_daily_sessions() {
    let env = Env::new();
    let t0 = unix(DAY0);
    let deck = env.write("t.toml", &small_deck("t", "Test", CARDS));
    env.import(DAY0, &deck);
    env.ok(
        DAY0,
        &["config", "new_per_day", &NEW_PER_DAY.to_string()],
        "",
    );
    let mut rng = XorShift::new(0x5EED_2026_0401);
    let mut saw_learning = false;

    for day in 0..DAYS {
        let now = t0 + day * DAY;
        // About one day in three starts with a short session half an hour earlier that ends
        // (end of input) after a few answers, leaving learning cards due by the main session.
        if day > 0 && rng.below(3) == 0 {
            let early = now - 1800;
            let answers = rng.below(6) as usize + 1;
            let input = rng.answers(answers);
            let before = review_rows(&env);
            let out = env.ok(&at(early), &["review", "--deck", "Test"], &input);
            let done = done_count(&out.stdout);
            assert_eq!(review_rows(&env) - before, done, "{}", out.stdout);
            assert!(done <= answers as i64, "{}", out.stdout);
        }

        // Counts, worked out independently from the card list, against `decks --json`.
        let (counts, learning_soon) = counts_from_cards(&env, now);
        let reported = deck_counts(&env, now);
        assert_eq!(reported, counts, "day {day}: decks --json vs cards --json");
        saw_learning |= counts.learning > 0;

        // The session's first header: today's allowance under the limits (§5).
        let (new_done, reviews_done) = done_today(&env, now);
        let review_left = (REVIEWS_PER_DAY - reviews_done - new_done).max(0);
        let reviews_planned = counts.due.min(review_left);
        let new_planned = (NEW_PER_DAY - new_done)
            .min(review_left - reviews_planned)
            .min(counts.new)
            .max(0);

        let before = review_rows(&env);
        let input = rng.answers(ANSWERS_PER_SESSION);
        let out = env.ok(&at(now), &["review", "--deck", "Test"], &input);
        let answered = review_rows(&env) - before;
        assert_eq!(
            done_count(&out.stdout),
            answered,
            "day {day}:\n{}",
            out.stdout
        );
        assert!(
            answered < ANSWERS_PER_SESSION as i64,
            "day {day}: the session ran out of input"
        );
        if answered > 0 {
            assert_eq!(
                first_header(&out.stdout),
                Some((new_planned, learning_soon, reviews_planned)),
                "day {day}: header (new, learning, due)\n{}",
                out.stdout
            );
        } else {
            assert_eq!(
                new_planned + reviews_planned + learning_soon,
                0,
                "day {day}"
            );
        }

        // Afterwards nothing is left for today: no review due (the review limit never binds
        // with 40 cards, but the expectation is written for the general case), no learning
        // card due, and exactly the day's allowance of new cards was introduced.
        let after = deck_counts(&env, now);
        assert_eq!(
            after,
            Counts {
                new: counts.new - new_planned,
                learning: 0,
                due: counts.due - reviews_planned,
            },
            "day {day}: counts after the session"
        );
    }
    assert!(
        saw_learning,
        "the script never had learning cards due at the start of a session"
    );

    // The month replayed card by card.
    let end = t0 + DAYS * DAY;
    let list = env
        .ok(&at(end), &["cards", "--deck", "Test", "--json"], "")
        .json();
    let mut rows_checked = 0;
    let mut intervals_checked = 0;
    for item in list.as_array().expect("array") {
        let key = str_of(item, "key");
        let card = env.ok(&at(end), &["card", key, "--json"], "").json();
        let (ivl, rows) = replay(key, &card);
        rows_checked += rows;
        intervals_checked += ivl;
    }
    // Sanity: the script exercised the scheduler broadly.
    eprintln!("replayed {rows_checked} review rows, {intervals_checked} intervals");
    assert!(rows_checked > 200, "only {rows_checked} review rows");
    assert!(
        intervals_checked > 100,
        "only {intervals_checked} intervals"
    );
}

/// Replays one card's review log; returns (intervals checked, rows).
fn replay(key: &str, card: &Value) -> (usize, usize) {
    let reviews = card["reviews"].as_array().expect("reviews");
    assert!(!reviews.is_empty(), "{key}: every card was introduced");
    assert_eq!(i64_of(card, "reps"), reviews.len() as i64, "{key}: reps");
    let mut mem: Option<Mem> = None;
    let mut prev_time: Option<i64> = None;
    let mut lapses = 0;
    let mut intervals = 0;
    let mut last_due = 0;
    let mut last_days = None;
    for (i, row) in reviews.iter().enumerate() {
        let ctx = format!("{key} review #{i}: {row}");
        assert_eq!(row["source"], "review", "{ctx}");
        let time = unix(str_of(row, "time"));
        let rating = u8::try_from(i64_of(row, "rating")).expect("rating");
        assert!((1..=4).contains(&rating), "{ctx}");
        let before = str_of(row, "state_before");
        let elapsed = i64_of(row, "elapsed_days");
        let secs = i64_of(row, "interval_secs");
        let after = reviews
            .get(i + 1)
            .map(|next| str_of(next, "state_before"))
            .unwrap_or_else(|| str_of(card, "state"));

        // Elapsed days are study days between this answer and the previous one.
        match prev_time {
            None => assert_eq!(before, "new", "{ctx}"),
            Some(p) => {
                assert_ne!(before, "new", "{ctx}");
                assert_eq!(elapsed, study_day(time) - study_day(p), "{ctx}");
            }
        }

        // FSRS: the first answer starts from S0/D0; later ones step with delta_t = elapsed.
        let cands = candidates(mem, elapsed as f64);
        let m = cands[usize::from(rating) - 1];
        let (s, d) = (f64_of(row, "stability"), f64_of(row, "difficulty"));
        assert!(
            close(s, m.s) && close(d, m.d),
            "{ctx}: app S={s} D={d}, transcription S={} D={}",
            m.s,
            m.d
        );

        // The state machine (§1.4, §5), with learning steps 1m 10m and relearning 10m.
        let allowed: &[&str] = match (before, rating) {
            ("new" | "learning", 1 | 2) => &["learning"],
            ("new" | "learning", 3) => &["learning", "review"],
            ("new" | "learning", _) => &["review"],
            ("review", 1) => &["relearning"],
            ("review", _) => &["review"],
            ("relearning", 1 | 2) => &["relearning"],
            ("relearning", _) => &["review"],
            _ => panic!("{ctx}: unknown state"),
        };
        assert!(allowed.contains(&after), "{ctx}: went to {after}");
        if before == "review" && rating == 1 {
            lapses += 1;
        }

        if after == "review" {
            // Review outcomes are whole days from today's study day.
            assert_eq!(secs % DAY, 0, "{ctx}: not whole days");
            let days = secs / DAY;
            let (lo, hi) = if before == "review" {
                passing_bounds(&cands, rating)
            } else {
                graduating_bounds(&cands, rating)
            };
            assert!(
                (lo..=hi).contains(&days),
                "{ctx}: {days} days outside [{lo}, {hi}] (S hard/good/easy {:.4}/{:.4}/{:.4})",
                cands[1].s,
                cands[2].s,
                cands[3].s
            );
            intervals += 1;
            last_due = (study_day(time) + days) * DAY + ROLLOVER_SECS;
            last_days = Some(days);
        } else {
            // A learning or relearning step: 1m, 6m (Hard on the first of two steps), 10m or
            // 15m (Hard on a single step), each plus at most 25 % (≤ 5 min) of jitter, and
            // always within the learn-ahead limit so the session finishes it.
            let base = match (before, rating) {
                ("new" | "learning", 1) => Some(60),
                ("new", 2) => Some(330),
                ("new" | "learning", 3) => Some(600),
                ("review" | "relearning", 1) => Some(600),
                ("relearning", 2) => Some(900),
                // Hard on a learning card: 6m on the first step, 10m on the second.
                _ => None,
            };
            let within = |base: i64| (base..=base + (base / 4).min(300)).contains(&secs);
            match base {
                Some(base) => assert!(
                    within(base),
                    "{ctx}: step of {secs}s, expected {base}s + jitter"
                ),
                None => assert!(within(330) || within(600), "{ctx}: step of {secs}s"),
            }
            last_due = time + secs;
        }

        mem = Some(m);
        prev_time = Some(time);
    }

    // The card's final state is the last row's.
    let m = mem.expect("at least one review");
    let (s, d) = (f64_of(card, "stability"), f64_of(card, "difficulty"));
    assert!(
        close(s, m.s) && close(d, m.d),
        "{key}: final S={s} D={d}, replay {m:?}"
    );
    assert_eq!(i64_of(card, "lapses"), lapses, "{key}: lapses");
    assert_eq!(unix(str_of(card, "due")), last_due, "{key}: due");
    if let Some(days) = last_days.filter(|_| card["state"] == "review") {
        assert_eq!(i64_of(card, "interval_days"), days, "{key}: interval_days");
    }
    if lapses >= 8 {
        assert_eq!(card["suspended"], true, "{key}: a leech is suspended");
    }
    (intervals, reviews.len())
}

/// `reference/scheduling.md` §5 (and py-fsrs §1.4): a learning card answered Good on its last
/// step graduates with FSRS's Good interval, rounded and fuzzed, at least 1 day; only Easy is
/// forced above Good. The Good ≥ Hard + 1 rule belongs to review cards
/// (`passing_fsrs_review_intervals`). New card, Good, Good in one session: S = 2.3065 (the
/// same-day SInc is floored at 1), so the interval is round(2.3065) = 2 days, not fuzzed
/// (< 2.5 days).
#[test]
fn graduating_good_gets_the_plain_fsrs_good_interval() {
    let env = Env::new();
    let deck = env.write("t.toml", &small_deck("t", "Test", 5));
    env.import(DAY0, &deck);
    env.ok(DAY0, &["review", "--deck", "Test"], &"\n3\n".repeat(10));
    for i in 1..=5 {
        let card = env
            .ok(DAY0, &["card", &format!("t/c{i}"), "--json"], "")
            .json();
        assert_eq!(card["state"], "review");
        assert!(close(f64_of(&card, "stability"), 2.3065));
        assert_eq!(card["interval_days"], 2, "t/c{i}: {card}");
    }
}
