//! `alt-prep stats` after two scripted months, every figure recomputed here from the review
//! log (raw SQL) and `cards --json`; and `alt-prep optimize` on a real Anki history.

use crate::harness::*;
use rusqlite::Connection;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// The default `day_starts_at` (4 am; the harness runs in UTC).
const ROLLOVER: i64 = 4 * 3600;
const NEW_PER_DAY: i64 = 4;
const REVIEWS_PER_DAY: i64 = 200;
const DAYS: i64 = 60;

/// A tiny seeded generator (64-bit LCG), so the two months are the same on every run.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }

    /// 15 % Again, 10 % Hard, 65 % Good, 10 % Easy, as piped review input.
    fn answers(&mut self, count: usize) -> String {
        (0..count)
            .map(|_| {
                let r = match self.below(100) {
                    0..15 => 1,
                    15..25 => 2,
                    25..90 => 3,
                    _ => 4,
                };
                format!("\n{r}\n")
            })
            .collect()
    }
}

fn study_day(unix_secs: i64) -> i64 {
    (unix_secs - ROLLOVER).div_euclid(DAY)
}

fn day_start(day: i64) -> i64 {
    day * DAY + ROLLOVER
}

fn date(day: i64) -> String {
    jiff::civil::date(1970, 1, 1)
        .checked_add(jiff::Span::new().days(day))
        .expect("date")
        .to_string()
}

fn monday(day: i64) -> i64 {
    day - (day + 3).rem_euclid(7)
}

/// One row of the review log with its card's kind and deck.
struct Row {
    day: i64,
    kind: i64,
    deck: String,
    rating: i64,
    state_before: i64,
    duration_ms: i64,
}

fn log(env: &Env) -> Vec<Row> {
    let conn = Connection::open(&env.db).expect("open");
    let mut stmt = conn
        .prepare(
            "SELECT r.reviewed_at, c.kind, d.name, r.rating, r.state_before, r.duration_ms
             FROM reviews r JOIN cards c ON c.id = r.card_id JOIN decks d ON d.id = c.deck_id",
        )
        .expect("prepare");
    stmt.query_map([], |r| {
        Ok(Row {
            day: study_day(r.get::<_, i64>(0)?.div_euclid(1000)),
            kind: r.get(1)?,
            deck: r.get(2)?,
            rating: r.get(3)?,
            state_before: r.get(4)?,
            duration_ms: r.get(5)?,
        })
    })
    .expect("query")
    .collect::<rusqlite::Result<_>>()
    .expect("rows")
}

fn close(a: &Value, b: Option<f64>, what: &str) {
    match (a.as_f64(), b) {
        (None, None) => assert!(a.is_null(), "{what}: {a}"),
        (Some(x), Some(y)) => assert!((x - y).abs() < 1e-9, "{what}: {x} != {y}"),
        _ => panic!("{what}: {a} vs {b:?}"),
    }
}

fn windows(rows: &[&Row], today: i64) -> Vec<(i64, i64)> {
    [7, 30, 365]
        .iter()
        .map(|w| {
            let inside = rows
                .iter()
                .filter(|r| r.kind == 0 && r.state_before == 2)
                .filter(|r| r.day <= today && r.day > today - w);
            let all: Vec<_> = inside.collect();
            (
                all.len() as i64,
                all.iter().filter(|r| r.rating >= 2).count() as i64,
            )
        })
        .collect()
}

fn check_windows(got: &Value, want: &[(i64, i64)], what: &str) {
    let got = got.as_array().expect("windows");
    assert_eq!(got.len(), 3, "{what}");
    for (g, (n, passed)) in got.iter().zip(want) {
        assert_eq!(g["reviews"], *n, "{what}: {g}");
        assert_eq!(g["passed"], *passed, "{what}: {g}");
        let rate = (*n > 0).then(|| *passed as f64 / *n as f64);
        close(&g["rate"], rate, what);
    }
}

/// Two months: two decks, a daily session (sometimes a second one after midnight, which
/// still belongs to the study day before), gaps that break the streak, a few interview
/// answers, and a last session on the final morning.
fn two_months() -> (Env, i64) {
    let env = Env::new();
    let t0 = unix("2026-03-02T09:00:00Z");
    let now_str = at(t0);
    let test = env.write("t.toml", &small_deck("t", "Test", 24));
    let other = env.write("u.toml", &small_deck("u", "Other", 12));
    env.import(&now_str, &test);
    env.import(&now_str, &other);
    env.ok(
        &now_str,
        &["config", "new_per_day", &NEW_PER_DAY.to_string()],
        "",
    );
    env.ok(&now_str, &["config", "leech_threshold", "3"], "");
    let mut rng = Lcg(42);
    let decks = ["review", "--deck", "Test", "--deck", "Other"];
    for d in 0..DAYS {
        if d % 9 == 5 || (20..=22).contains(&d) {
            continue;
        }
        let morning = t0 + d * DAY + (d % 5) * 3600;
        env.ok(&at(morning), &decks, &rng.answers(60));
        if d % 4 == 1 {
            // 02:30 the next calendar day: still this study day.
            let late = t0 + (d + 1) * DAY - 6 * 3600 - 1800;
            env.ok(&at(late), &decks, &rng.answers(10));
        }
        if d % 10 == 3 {
            let evening = at(t0 + d * DAY + 11 * 3600);
            let words = ["I would, um, greet the class in English and Japanese."; 1]
                .repeat(1 + (d as usize) / 10)
                .join(" ");
            env.ok(
                &evening,
                &["interview", "--count", "1"],
                &format!("{words}\n\n{}\n", 2 + d % 3),
            );
        }
    }
    let now = t0 + DAYS * DAY + 6 * 3600; // 15:00 on the last day
    env.ok(&at(now - 5 * 3600), &decks, &rng.answers(8));
    (env, now)
}

#[test]
fn every_figure_agrees_with_the_review_log() {
    let (env, now) = two_months();
    let now_str = at(now);
    let stats = env.ok(&now_str, &["stats", "--json"], "").json();
    let rows = log(&env);
    let today = study_day(now);
    assert_eq!(stats["study_day"], date(today));
    assert_eq!(stats["deck"], Value::Null);

    // Today.
    let t: Vec<&Row> = rows.iter().filter(|r| r.day == today).collect();
    let s = &stats["today"];
    assert!(!t.is_empty(), "the last morning's session counts today");
    assert_eq!(s["reviews"], t.len() as i64);
    assert_eq!(s["time_ms"], t.iter().map(|r| r.duration_ms).sum::<i64>());
    assert_eq!(
        s["new_learned"],
        t.iter().filter(|r| r.state_before == 0).count() as i64
    );
    for (key, rating) in [("again", 1), ("hard", 2), ("good", 3), ("easy", 4)] {
        assert_eq!(
            s[key],
            t.iter().filter(|r| r.rating == rating).count() as i64,
            "{key}"
        );
    }

    // What is still due, from the card list.
    let cards = env.ok(&now_str, &["cards", "--json"], "").json();
    let cards = cards.as_array().expect("cards");
    let due_day = |c: &Value| c["due"].as_str().map(|d| study_day(unix(d)));
    let active = |c: &&Value| c["suspended"] == false && c["state"] != "new";
    let due_today = |states: &[&str]| {
        cards
            .iter()
            .filter(active)
            .filter(|c| states.iter().any(|s| c["state"] == *s))
            .filter(|c| due_day(c).is_some_and(|d| d <= today))
            .count() as i64
    };
    let learning = due_today(&["learning", "relearning"]);
    let review = due_today(&["review"]);
    assert_eq!(s["due"]["learning"], learning);
    assert_eq!(s["due"]["review"], review);
    let new_done = t
        .iter()
        .filter(|r| r.kind == 0 && r.state_before == 0)
        .count() as i64;
    let reviews_done = t
        .iter()
        .filter(|r| r.kind == 0 && r.state_before == 2)
        .count() as i64;
    let new_cards = cards
        .iter()
        .filter(|c| c["state"] == "new" && c["suspended"] == false)
        .count() as i64;
    let review_left = (REVIEWS_PER_DAY - reviews_done - new_done).max(0);
    let new_left = (NEW_PER_DAY - new_done)
        .max(0)
        .min(review_left - review.min(review_left));
    assert_eq!(s["due"]["new"], new_cards.min(new_left));

    // Streaks over the days with any answer (cards and interview prompts).
    let days: BTreeSet<i64> = rows.iter().map(|r| r.day).filter(|d| *d <= today).collect();
    let (mut longest, mut run, mut prev) = (0, 0, None);
    for &d in &days {
        run = if prev == Some(d - 1) { run + 1 } else { 1 };
        longest = longest.max(run);
        prev = Some(d);
    }
    let st = &stats["streak"];
    assert_eq!(st["longest"], longest);
    assert_eq!(
        st["current"], run,
        "studied today, so the last run is current"
    );
    assert_eq!(st["studied_today"], true);
    assert_eq!(st["days_studied"], days.len() as i64);
    assert!(
        (8..DAYS).contains(&longest),
        "gaps break the streak: {longest}"
    );

    // True retention, overall and per deck.
    let all: Vec<&Row> = rows.iter().collect();
    let r = &stats["retention"];
    close(&r["desired"], Some(0.9), "desired");
    check_windows(&r["windows"], &windows(&all, today), "all decks");
    let mut names: Vec<String> = rows
        .iter()
        .filter(|r| r.kind == 0 && r.state_before == 2 && r.day > today - 365)
        .map(|r| r.deck.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    names.sort_by_key(|n| n.to_lowercase());
    assert_eq!(names, ["Other", "Test"]);
    let per_deck = r["decks"].as_array().expect("decks");
    assert_eq!(per_deck.len(), names.len());
    for (got, name) in per_deck.iter().zip(&names) {
        assert_eq!(got["deck"], name.as_str());
        let mine: Vec<&Row> = rows.iter().filter(|r| &r.deck == name).collect();
        check_windows(&got["windows"], &windows(&mine, today), name);
    }

    // Forecast: cards due per study day for 30 days, overdue ones today.
    let mut forecast = vec![0i64; 30];
    let mut overdue = 0;
    for c in cards.iter().filter(active) {
        let due = unix(c["due"].as_str().expect("due"));
        if due < day_start(today) {
            overdue += 1;
        }
        let offset = (study_day(due) - today).max(0) as usize;
        if offset < 30 {
            forecast[offset] += 1;
        }
    }
    let f = &stats["forecast"];
    assert_eq!(f["overdue"], overdue);
    let got: Vec<(String, i64)> = f["days"]
        .as_array()
        .expect("days")
        .iter()
        .map(|d| {
            (
                d["date"].as_str().unwrap_or("").to_owned(),
                d["due"].as_i64().unwrap_or(-1),
            )
        })
        .collect();
    let want: Vec<(String, i64)> = (0..30)
        .map(|i| (date(today + i), forecast[i as usize]))
        .collect();
    assert_eq!(got, want);
    assert!(forecast.iter().sum::<i64>() > 0);

    // Heatmap: 52 whole weeks from a Monday to today.
    let h = &stats["heatmap"];
    let from = monday(today) - 51 * 7;
    let mut per_day: BTreeMap<i64, i64> = BTreeMap::new();
    for r in &rows {
        *per_day.entry(r.day).or_default() += 1;
    }
    let want: Vec<(String, i64)> = (from..=today)
        .map(|d| (date(d), per_day.get(&d).copied().unwrap_or(0)))
        .collect();
    let got: Vec<(String, i64)> = h["days"]
        .as_array()
        .expect("days")
        .iter()
        .map(|d| {
            (
                d["date"].as_str().unwrap_or("").to_owned(),
                d["reviews"].as_i64().unwrap_or(-1),
            )
        })
        .collect();
    assert_eq!(got, want);
    assert_eq!(h["weeks"], 52);
    assert_eq!(h["from"], date(from));
    assert_eq!(h["to"], date(today));
    assert_eq!(h["total"], rows.len() as i64);
    assert_eq!(h["active_days"], days.len() as i64);
    assert_eq!(h["max"], per_day.values().copied().max().unwrap_or(0));

    // Card counts.
    let conn = Connection::open(&env.db).expect("open");
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).expect(sql) };
    let c = &stats["cards"];
    let state = |s: &str| {
        cards
            .iter()
            .filter(|c| c["suspended"] == false && c["state"] == s)
            .count() as i64
    };
    assert_eq!(c["total"], cards.len() as i64);
    assert_eq!(c["new"], state("new"));
    assert_eq!(c["learning"], state("learning"));
    assert_eq!(c["relearning"], state("relearning"));
    assert_eq!(
        c["young"],
        count(
            "SELECT count(*) FROM cards WHERE kind = 0 AND suspended = 0 AND state = 2 AND interval_days < 21"
        )
    );
    assert_eq!(
        c["mature"],
        count(
            "SELECT count(*) FROM cards WHERE kind = 0 AND suspended = 0 AND state = 2 AND interval_days >= 21"
        )
    );
    assert_eq!(
        c["suspended"],
        cards.iter().filter(|c| c["suspended"] == true).count() as i64
    );
    let leeches = cards
        .iter()
        .filter(|c| {
            c["tags"]
                .as_array()
                .is_some_and(|t| t.iter().any(|x| x == "leech"))
        })
        .count() as i64;
    assert_eq!(c["leeches"], leeches);
    assert!(leeches > 0, "three lapses make a leech here");
    assert!(c["young"].as_i64() > Some(0) && c["mature"].as_i64() > Some(0));

    // Interview progress, per category (older half → newer half) and per week.
    let mut stmt = conn
        .prepare(
            "SELECT p.category, a.answered_at, a.rating, a.metrics FROM answers a
             JOIN prompts p ON p.card_id = a.card_id ORDER BY a.answered_at, a.id",
        )
        .expect("answers");
    let answers: Vec<(String, i64, Option<i64>, Value)> = stmt
        .query_map([], |r| {
            let metrics: String = r.get(3)?;
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                serde_json::from_str(&metrics).unwrap_or(Value::Null),
            ))
        })
        .expect("query")
        .collect::<rusqlite::Result<_>>()
        .expect("rows");
    let answers: Vec<_> = answers
        .into_iter()
        .filter(|a| a.3.get("follow_up").is_none())
        .collect();
    assert!(answers.len() >= 5, "{}", answers.len());
    let i = &stats["interview"];
    assert_eq!(i["answers"], answers.len() as i64);
    let mean = |xs: &[f64]| (!xs.is_empty()).then(|| xs.iter().sum::<f64>() / xs.len() as f64);
    let figures = |group: &[&(String, i64, Option<i64>, Value)]| {
        let ratings: Vec<f64> = group.iter().filter_map(|a| a.2).map(|r| r as f64).collect();
        let words: Vec<f64> = group
            .iter()
            .filter_map(|a| a.3["word_count"].as_f64())
            .collect();
        let fillers: Vec<f64> = group
            .iter()
            .filter_map(|a| a.3["fillers_per_100_words"].as_f64())
            .collect();
        (
            group.len() as i64,
            mean(&ratings),
            mean(&words),
            mean(&fillers),
        )
    };
    let check = |got: &Value, want: (i64, Option<f64>, Option<f64>, Option<f64>), what: &str| {
        assert_eq!(got["answers"], want.0, "{what}: {got}");
        close(&got["mean_rating"], want.1, what);
        close(&got["mean_words"], want.2, what);
        close(&got["mean_fillers_per_100_words"], want.3, what);
    };
    let categories: BTreeSet<&str> = answers.iter().map(|a| a.0.as_str()).collect();
    let got = i["categories"].as_array().expect("categories");
    assert_eq!(got.len(), categories.len());
    for (g, name) in got.iter().zip(&categories) {
        assert_eq!(g["category"], *name);
        let mine: Vec<_> = answers.iter().filter(|a| a.0 == *name).collect();
        let half = mine.len().div_ceil(2);
        check(g, figures(&mine), name);
        check(&g["first_half"], figures(&mine[..half]), name);
        check(&g["last_half"], figures(&mine[half..]), name);
    }
    let first_week = monday(today) - 7 * 7;
    let weeks = i["weeks"].as_array().expect("weeks");
    assert_eq!(weeks.len(), 8);
    for (w, got) in weeks.iter().enumerate() {
        let start = first_week + 7 * w as i64;
        assert_eq!(got["start"], date(start));
        let mine: Vec<_> = answers
            .iter()
            .filter(|a| {
                let d = study_day(a.1.div_euclid(1000));
                d >= start && d < start + 7
            })
            .collect();
        check(got, figures(&mine), &format!("week {w}"));
    }

    // One deck: its own retention and cards.
    let one = env
        .ok(&now_str, &["stats", "--deck", "test", "--json"], "")
        .json();
    assert_eq!(one["deck"], "Test");
    let mine: Vec<&Row> = rows.iter().filter(|r| r.deck == "Test").collect();
    check_windows(
        &one["retention"]["windows"],
        &windows(&mine, today),
        "--deck",
    );
    assert_eq!(
        one["cards"]["total"],
        cards.iter().filter(|c| c["deck"] == "Test").count() as i64
    );
    assert_eq!(
        one["today"]["reviews"],
        mine.iter().filter(|r| r.day == today).count() as i64
    );

    // A shorter heatmap.
    let short = env
        .ok(&now_str, &["stats", "--days", "14", "--json"], "")
        .json();
    assert_eq!(short["heatmap"]["weeks"], 2);
    assert_eq!(short["heatmap"]["from"], date(monday(today) - 7));

    // The picture: 80 columns, no escape codes with colour off.
    let text = env.ok(&now_str, &["stats"], "").stdout;
    for l in text.lines() {
        assert!(
            l.chars().count() <= 80,
            "{} columns: {l}",
            l.chars().count()
        );
        assert!(!l.contains('\u{1b}'), "{l:?}");
    }
    assert!(text.contains("Last 52 weeks"), "{text}");
    assert!(text.contains("True retention"), "{text}");
    assert_eq!(text.lines().filter(|l| l.starts_with("Mon ")).count(), 1);

    let bad = env.run(&now_str, &["stats", "--deck", "Nope"], "");
    assert_eq!(bad.code, 1);
    assert!(
        bad.stderr.contains("no deck named `Nope`"),
        "{}",
        bad.stderr
    );
}

#[test]
fn an_empty_collection_has_zeros_and_nulls() {
    let env = Env::new();
    let now = "2026-04-01T09:00:00Z";
    let s = env.ok(now, &["stats", "--json"], "").json();
    assert_eq!(s["today"]["reviews"], 0);
    assert_eq!(s["streak"]["current"], 0);
    assert_eq!(s["retention"]["windows"][0]["rate"], Value::Null);
    assert_eq!(s["heatmap"]["total"], 0);
    assert_eq!(s["interview"]["answers"], 0);
    assert!(s["cards"]["new"].as_i64() > Some(0), "the built-in decks");
    let text = env.ok(now, &["stats"], "").stdout;
    assert!(text.contains("0 answers"), "{text}");
}

// ---- optimize ----

const REVLOG: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/revlog/review_logs_josh_1711744352250_to_1728234780857.csv"
);

/// The parameters py-fsrs's optimizer finds on the file (its `tests/test_optimizer.py`).
const PUBLISHED: [f32; 21] = [
    0.123_403_57,
    1.2931,
    2.397_673_6,
    8.2956,
    6.686_820_3,
    0.450_216_8,
    3.077_875,
    0.053_520_396,
    1.653_999_2,
    0.146_620_68,
    0.630_077_25,
    1.611_965,
    0.012_840_137,
    0.348_537_63,
    1.887_895_8,
    0.854_637_6,
    1.8729,
    0.674_853_7,
    0.204_512_66,
    0.226_228_15,
    0.460_306_03,
];

/// The file's reviews: (card, unix ms, rating, duration ms), sorted by card, then time.
fn revlog() -> Vec<(i64, i64, u8, i64)> {
    let mut reader = csv::Reader::from_path(REVLOG).expect("fixture");
    let mut rows: Vec<(i64, i64, u8, i64)> = reader
        .records()
        .map(|r| {
            let r = r.expect("record");
            let time: jiff::Timestamp = r[2].parse().expect("time");
            (
                r[0].parse().expect("card"),
                time.as_millisecond(),
                r[1].parse().expect("rating"),
                r[3].parse().expect("duration"),
            )
        })
        .collect();
    rows.sort();
    rows
}

/// The file as optimizer input, from its first `cards` cards: days are UTC dates (the file
/// has no time zone), and each card's first review is its first sight (state new).
fn revlog_items(cards: usize) -> alt_prep::stats::optimize::Items {
    use alt_prep::stats::optimize::{Answer, items_from};
    let mut answers = Vec::new();
    let mut seen = 0;
    let mut previous = None;
    for (card, ms, rating, _) in revlog() {
        let first = previous != Some(card);
        if first {
            seen += 1;
        }
        if seen > cards {
            break;
        }
        previous = Some(card);
        answers.push(Answer {
            card_id: card,
            time: ms,
            day: ms.div_euclid(86_400_000),
            rating,
            state_before: if first { 0 } else { 2 },
        });
    }
    items_from(answers)
}

/// The whole file through the optimizer: better log loss than the defaults, and most
/// parameters near py-fsrs's. The two optimizers differ (fsrs-rs drops outliers, weights
/// recent reviews, clamps differently; the day boundary is assumed), so the tolerance is
/// loose: at least 15 of 21 parameters within 30 % (or 0.05 absolute for small ones).
#[test]
fn optimize_fits_the_real_anki_history() {
    use alt_prep::stats::optimize::optimize;
    let started = std::time::Instant::now();
    let items = revlog_items(usize::MAX);
    assert_eq!(items.answers, 12_580);
    assert_eq!(items.cards, 1_205);
    let out = optimize(&items, &[]).expect("optimize");
    let default = out.default.as_ref().expect("default");
    let fitted = out.fitted.as_ref().expect("fitted");
    eprintln!(
        "{} items; default log loss {:.4} RMSE {:.4}; fitted log loss {:.4} RMSE {:.4}; {:?}",
        out.items,
        default.log_loss,
        default.rmse_bins,
        fitted.log_loss,
        fitted.rmse_bins,
        started.elapsed()
    );
    eprintln!("fitted {:?}", fitted.parameters);
    let published = alt_prep::stats::optimize::evaluate(&PUBLISHED, &items).expect("evaluate");
    eprintln!(
        "published log loss {:.4} RMSE {:.4}",
        published.log_loss, published.rmse_bins
    );
    assert!(fitted.log_loss < default.log_loss);
    assert!(
        fitted.log_loss <= published.log_loss + 0.005,
        "as good a fit as py-fsrs's parameters, scored the same way"
    );
    assert!(fitted.rmse_bins < default.rmse_bins);
    assert!(out.improved);
    let near: Vec<bool> = fitted
        .parameters
        .iter()
        .zip(PUBLISHED)
        .map(|(got, want)| (got - want).abs() <= (0.3 * want.abs()).max(0.05))
        .collect();
    let off: Vec<usize> = (0..21).filter(|i| !near[*i]).collect();
    eprintln!("parameters off by more than 30 %: {off:?}");
    assert!(near.iter().filter(|n| **n).count() >= 15, "{off:?}");
}

/// Loads the Anki history into the database as a deck of its own, with SQL.
fn load_revlog(env: &Env, now: &str) {
    env.ok(now, &["decks"], ""); // creates the database
    let mut conn = Connection::open(&env.db).expect("open");
    let tx = conn.transaction().expect("tx");
    tx.execute(
        "INSERT INTO decks (key, name, created_at) VALUES ('josh', 'Josh', 0)",
        [],
    )
    .expect("deck");
    let deck = tx.last_insert_rowid();
    let mut previous = None;
    let mut card_id = 0;
    for (card, ms, rating, duration) in revlog() {
        let first = previous != Some(card);
        if first {
            tx.execute(
                "INSERT INTO cards (deck_id, key, front, back, position, state, created_at, updated_at)
                 VALUES (?1, ?2, 'q', 'a', ?3, 2, 0, 0)",
                rusqlite::params![deck, card.to_string(), card],
            )
            .expect("card");
            card_id = tx.last_insert_rowid();
            previous = Some(card);
        }
        tx.execute(
            "INSERT INTO reviews (card_id, reviewed_at, rating, state_before, elapsed_days,
                 duration_ms, interval_secs, stability, difficulty, source)
             VALUES (?1, ?2, ?3, ?4, 0, ?5, 0, 1.0, 5.0, 'import')",
            rusqlite::params![card_id, ms, rating, if first { 0 } else { 2 }, duration],
        )
        .expect("review");
    }
    tx.commit().expect("commit");
}

#[test]
fn optimize_stores_the_fit_the_scheduler_then_uses_and_reset_removes_it() {
    let env = Env::new();
    let now = "2024-10-07T09:00:00Z";
    load_revlog(&env, now);
    let out = env.ok(now, &["optimize", "--json"], "").json();
    assert_eq!(out["answers"], 12_580);
    assert_eq!(out["needed"], 0);
    assert_eq!(out["improved"], true);
    let fitted = &out["fitted"];
    assert!(fitted["log_loss"].as_f64() < out["default"]["log_loss"].as_f64());
    let params: Vec<f64> = out["parameters"]
        .as_array()
        .expect("parameters")
        .iter()
        .filter_map(Value::as_f64)
        .collect();
    assert_eq!(params.len(), 21);
    assert_eq!(out["parameters"], fitted["parameters"]);
    let stored = env.sql_count("SELECT count(*) FROM settings WHERE key = 'fsrs_parameters'");
    assert_eq!(stored, 1);

    // The scheduler uses them: a new card answered Good starts at stability w2.
    let deck = env.write("t.toml", &small_deck("t", "Test", 1));
    env.import(now, &deck);
    env.ok(now, &["review", "--deck", "Test"], "\n3\n");
    let card = env.ok(now, &["card", "t/c1", "--json"], "").json();
    let s = card["stability"].as_f64().expect("stability");
    assert!((s - params[2]).abs() < 1e-3, "{s} vs w2 = {}", params[2]);

    // Optimizing again: the stored fit is the one to beat, and it is shown as `current`.
    let again = env.ok(now, &["optimize", "--json"], "").json();
    assert!(again["current"]["log_loss"].is_number(), "{again}");

    let text = env.ok(now, &["optimize"], "").stdout;
    assert!(text.contains("log loss"), "{text}");
    assert!(text.lines().all(|l| l.chars().count() <= 80), "{text}");
    let reset = env.ok(now, &["optimize", "--reset", "--json"], "").json();
    assert_eq!(reset["reset"], true);
    assert_eq!(
        env.sql_count("SELECT count(*) FROM settings WHERE key = 'fsrs_parameters'"),
        0
    );
    let text = env.ok(now, &["optimize", "--reset"], "").stdout;
    assert!(text.contains("default"), "{text}");
}

#[test]
fn optimize_with_little_history_says_how_much_more_it_needs() {
    let env = Env::new();
    let deck = env.write("t.toml", &small_deck("t", "Test", 5));
    let t0 = unix("2026-04-01T09:00:00Z");
    env.import(&at(t0), &deck);
    // Good twice (learning, then graduated), then Good again five days later.
    env.ok(&at(t0), &["review", "--deck", "Test"], &"\n3\n".repeat(10));
    let later = at(t0 + 5 * DAY);
    env.ok(&later, &["review", "--deck", "Test"], &"\n3\n".repeat(5));
    let out = env.ok(&later, &["optimize", "--json"], "").json();
    assert_eq!(out["items"], 5);
    assert_eq!(out["needed"], 59);
    assert_eq!(out["fitted"], Value::Null);
    assert_eq!(out["improved"], false);
    assert_eq!(
        env.sql_count("SELECT count(*) FROM settings WHERE key = 'fsrs_parameters'"),
        0
    );
    let text = env.ok(&later, &["optimize"], "").stdout;
    assert!(text.contains("59 more such reviews are needed"), "{text}");
    assert!(text.lines().all(|l| l.chars().count() <= 80), "{text}");
}
