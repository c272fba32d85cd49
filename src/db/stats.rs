//! The SQL behind `alt-prep stats` and `alt-prep optimize`. Every query here aggregates in
//! SQLite and returns summary rows: the review log itself is read only through the
//! trigger-maintained `review_totals` (migration 002), a few rows per quarter hour studied, so
//! `stats` costs the same on a million reviews as on a thousand. `optimize` is the exception:
//! the FSRS optimizer needs every card's history, so [`Db::fsrs_history`] streams it.

use super::Db;
use anyhow::{Context, Result};
use rusqlite::types::Value;

/// The review log summed over one UTC quarter hour and one deck (all card kinds), as
/// `review_totals` keeps it; the `review_*` figures count flashcards only.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QuarterTotals {
    /// `reviewed_at / 900000`: the quarter hour starting at `quarter * 900` unix seconds.
    pub quarter: i64,
    pub deck_id: i64,
    pub reviews: i64,
    pub duration_ms: i64,
    /// Answers to cards that were new: each new card counts once, on its first answer.
    pub first_answers: i64,
    pub again: i64,
    pub hard: i64,
    pub good: i64,
    pub easy: i64,
    /// Flashcard answers given in the review state (`state_before = 2`)…
    pub review_answers: i64,
    /// … of which Hard, Good or Easy.
    pub review_passed: i64,
}

/// Flashcards (not suspended, not new) falling due on one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DueTotals {
    /// Days from today (0); -1 for everything overdue.
    pub day: i64,
    /// In the review state (else learning or relearning).
    pub review: bool,
    pub cards: i64,
}

/// Flashcards by state. Suspended cards count only as suspended; leeches (tagged `leech`)
/// are counted whatever their state, so they overlap the others.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StateCounts {
    pub total: i64,
    pub new: i64,
    pub learning: i64,
    pub relearning: i64,
    /// In review with an interval under 21 days.
    pub young: i64,
    pub mature: i64,
    pub suspended: i64,
    pub leeches: i64,
}

/// Sums over a set of typed interview answers (follow-ups excluded), so means can be merged.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct AnswerSums {
    pub answers: i64,
    pub rated: i64,
    pub rating_sum: i64,
    pub with_words: i64,
    pub words_sum: f64,
    pub with_fillers: i64,
    pub fillers_sum: f64,
}

/// One category's answers, split into the older and the newer half (by time).
#[derive(Debug, Clone, PartialEq)]
pub struct CategoryHalves {
    pub category: String,
    pub first: AnswerSums,
    pub last: AnswerSums,
}

/// One card's answer for the optimizer: its card, when, how, and from which state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HistoryRow {
    pub card_id: i64,
    pub reviewed_at_ms: i64,
    pub rating: u8,
    pub state_before: u8,
}

/// Sums of answer figures: the JSON paths the interview feedback stores them under.
const ANSWER_SUMS: &str = "count(*), count(a.rating), coalesce(sum(a.rating), 0),
     count(json_extract(a.metrics, '$.word_count')),
     coalesce(sum(json_extract(a.metrics, '$.word_count')), 0.0),
     count(json_extract(a.metrics, '$.fillers_per_100_words')),
     coalesce(sum(json_extract(a.metrics, '$.fillers_per_100_words')), 0.0)";

fn answer_sums(r: &rusqlite::Row, first: usize) -> rusqlite::Result<AnswerSums> {
    Ok(AnswerSums {
        answers: r.get(first)?,
        rated: r.get(first + 1)?,
        rating_sum: r.get(first + 2)?,
        with_words: r.get(first + 3)?,
        words_sum: r.get(first + 4)?,
        with_fillers: r.get(first + 5)?,
        fillers_sum: r.get(first + 6)?,
    })
}

/// `AND review_totals.deck_id IN (…)` for a deck filter, numbered from `first`.
fn deck_sql(column: &str, deck_ids: &[i64], first: usize) -> (String, Vec<Value>) {
    if deck_ids.is_empty() {
        return (String::new(), Vec::new());
    }
    let marks: Vec<String> = (0..deck_ids.len())
        .map(|i| format!("?{}", first + i))
        .collect();
    (
        format!(" AND {column} IN ({})", marks.join(", ")),
        deck_ids.iter().map(|id| Value::Integer(*id)).collect(),
    )
}

/// The index of studied (not new) cards that serves counts over `deck_ids`: one keyed by
/// deck when decks are chosen.
fn studied_index(deck_ids: &[i64]) -> &'static str {
    if deck_ids.is_empty() {
        "cards_queue"
    } else {
        "cards_deck_stats"
    }
}

impl Db {
    /// Every quarter hour with reviews from `since` (unix seconds) on, per deck, oldest
    /// first, with only what the heatmap and retention need (`reviews`, `review_answers`,
    /// `review_passed`; the other fields stay 0): one pass over the summary, summed here
    /// rather than in SQL (SQLite's aggregates cost more than reading the rows).
    pub fn review_quarters(&self, deck_ids: &[i64], since: i64) -> Result<Vec<QuarterTotals>> {
        let (decks, mut params) = deck_sql("deck_id", deck_ids, 2);
        params.insert(0, Value::Integer(since.div_euclid(900)));
        let sql = format!(
            "SELECT quarter, deck_id, kind, reviews, review_answers, review_passed
             FROM review_totals WHERE quarter >= ?1 AND reviews > 0{decks}
             ORDER BY quarter, deck_id, kind"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
        let mut out: Vec<QuarterTotals> = Vec::new();
        while let Some(r) = rows.next()? {
            let (quarter, deck_id, kind): (i64, i64, i64) = (r.get(0)?, r.get(1)?, r.get(2)?);
            let t = match out.last_mut() {
                Some(t) if t.quarter == quarter && t.deck_id == deck_id => t,
                _ => {
                    out.push(QuarterTotals {
                        quarter,
                        deck_id,
                        ..QuarterTotals::default()
                    });
                    out.last_mut().context("a row was just pushed")?
                }
            };
            t.reviews += r.get::<_, i64>(3)?;
            if kind == 0 {
                t.review_answers += r.get::<_, i64>(4)?;
                t.review_passed += r.get::<_, i64>(5)?;
            }
        }
        Ok(out)
    }

    /// Everything in the summary between two instants (unix seconds, quarter-hour
    /// boundaries such as the start and end of today), summed over decks and kinds; the
    /// `review_*` figures count flashcards only.
    pub fn totals_between(&self, deck_ids: &[i64], from: i64, to: i64) -> Result<QuarterTotals> {
        let (decks, mut params) = deck_sql("deck_id", deck_ids, 3);
        params.insert(0, Value::Integer(from.div_euclid(900)));
        params.insert(1, Value::Integer(to.div_euclid(900)));
        let sql = format!(
            "SELECT count(*), coalesce(sum(reviews), 0), coalesce(sum(duration_ms), 0),
                    coalesce(sum(first_answers), 0), coalesce(sum(again), 0),
                    coalesce(sum(hard), 0), coalesce(sum(good), 0), coalesce(sum(easy), 0),
                    coalesce(sum(review_answers) FILTER (WHERE kind = 0), 0),
                    coalesce(sum(review_passed) FILTER (WHERE kind = 0), 0)
             FROM review_totals WHERE quarter >= ?1 AND quarter < ?2{decks}"
        );
        self.conn
            .query_row(&sql, rusqlite::params_from_iter(params), |r| {
                Ok(QuarterTotals {
                    quarter: from.div_euclid(900),
                    deck_id: 0,
                    reviews: r.get(1)?,
                    duration_ms: r.get(2)?,
                    first_answers: r.get(3)?,
                    again: r.get(4)?,
                    hard: r.get(5)?,
                    good: r.get(6)?,
                    easy: r.get(7)?,
                    review_answers: r.get(8)?,
                    review_passed: r.get(9)?,
                })
            })
            .context("could not read today's totals")
    }

    /// The quarter hours with any review before `before` (unix seconds), oldest first: all
    /// the streaks need of the older history.
    pub fn studied_quarters(&self, deck_ids: &[i64], before: i64) -> Result<Vec<i64>> {
        let (decks, mut params) = deck_sql("deck_id", deck_ids, 2);
        params.insert(0, Value::Integer(before.div_euclid(900)));
        let sql = format!(
            "SELECT DISTINCT quarter FROM review_totals
             WHERE quarter < ?1 AND reviews > 0{decks} ORDER BY quarter"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(params), |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()
            .context("could not read the days studied")
    }

    /// Flashcards (not suspended, not new) falling due on each day: `starts` are the
    /// instants the days start (today first, then one more than the days wanted); cards due
    /// before `starts[0]` are overdue (day -1). One range count per day and state over
    /// `cards_queue` (or `cards_deck_stats`): no sort, and no row is read.
    pub fn due_by_day(&self, deck_ids: &[i64], starts: &[i64]) -> Result<Vec<DueTotals>> {
        let (decks, mut params) = deck_sql("deck_id", deck_ids, 4);
        for _ in 0..3 {
            params.insert(0, Value::Null);
        }
        let sql = format!(
            "SELECT count(*) FROM cards INDEXED BY {}
             WHERE kind = 0 AND suspended = 0 AND state > 0 AND state = ?1
               AND due >= ?2 AND due < ?3{decks}",
            studied_index(deck_ids)
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let mut out = Vec::new();
        for state in [1, 2, 3] {
            let mut lower = i64::MIN;
            for (i, &upper) in starts.iter().enumerate() {
                params[0] = Value::Integer(state);
                params[1] = Value::Integer(lower);
                params[2] = Value::Integer(upper);
                let cards: i64 = stmt
                    .query_row(rusqlite::params_from_iter(params.iter()), |r| r.get(0))
                    .context("could not read the forecast")?;
                if cards > 0 {
                    out.push(DueTotals {
                        day: i as i64 - 1,
                        review: state == 2,
                        cards,
                    });
                }
                lower = upper;
            }
        }
        Ok(out)
    }

    /// Flashcards by state: one count per state over a range of the index named, which
    /// SQLite does far faster than one pass with a filter per state. New cards are only in
    /// `cards_new` and studied ones only in `cards_queue` or `cards_deck_stats` (migration
    /// 004); naming the index keeps SQLite, which has no statistics (alt-prep never runs
    /// ANALYZE), from taking another one and looking up every card (0.3 s at 100,000 cards
    /// instead of 0.1 ms, seen after migration 003).
    pub fn state_counts(&self, deck_ids: &[i64]) -> Result<StateCounts> {
        let (decks, params) = deck_sql("deck_id", deck_ids, 1);
        let studied = studied_index(deck_ids);
        let count = |index: &str, condition: &str| -> Result<i64> {
            let sql = format!(
                "SELECT count(*) FROM cards INDEXED BY {index} WHERE kind = 0 AND {condition}{decks}"
            );
            self.conn
                .query_row(&sql, rusqlite::params_from_iter(params.iter()), |r| {
                    r.get(0)
                })
                .context("could not count the cards")
        };
        let mut c = StateCounts {
            new: count("cards_new", "suspended = 0 AND state = 0")?,
            learning: count(studied, "suspended = 0 AND state > 0 AND state = 1")?,
            relearning: count(studied, "suspended = 0 AND state > 0 AND state = 3")?,
            young: count(
                studied,
                "suspended = 0 AND state > 0 AND state = 2 AND interval_days < 21",
            )?,
            mature: count(
                studied,
                "suspended = 0 AND state > 0 AND state = 2 AND interval_days >= 21",
            )?,
            suspended: count("cards_new", "suspended = 1 AND state = 0")?
                + count(studied, "suspended = 1 AND state > 0")?,
            leeches: self.leech_count(deck_ids)?,
            total: 0,
        };
        c.total = c.new + c.learning + c.relearning + c.young + c.mature + c.suspended;
        Ok(c)
    }

    /// Flashcards tagged `leech` (Anki's `tag:leech`). No index holds tags (migration 008
    /// dropped the partial one, which slowed every import), so this reads the table: ~20 ms
    /// at 100,000 cards, or only a chosen deck's cards through the card-key index. The
    /// plain `LIKE` first (implied by the exact test, and as blind to case) spares most rows
    /// the concatenation: 32–50 → 19–30 ms with the sqlite3 shell on the benchmark's cards.
    fn leech_count(&self, deck_ids: &[i64]) -> Result<i64> {
        let (decks, params) = deck_sql("deck_id", deck_ids, 1);
        let scan = if deck_ids.is_empty() {
            "NOT INDEXED "
        } else {
            ""
        };
        let sql = format!(
            "SELECT count(*) FROM cards {scan}WHERE kind = 0 AND tags LIKE '%leech%'
                AND (' ' || tags || ' ') LIKE '% leech %'{decks}"
        );
        self.conn
            .query_row(&sql, rusqlite::params_from_iter(params.iter()), |r| {
                r.get(0)
            })
            .context("could not count the leeches")
    }

    /// Interview answers per category, split into the older and newer half of each
    /// category's answers (the older half takes the odd one). `CROSS JOIN` keeps SQLite
    /// reading the few answers first rather than every card of a deck.
    pub fn answer_halves(&self, deck_ids: &[i64]) -> Result<Vec<CategoryHalves>> {
        let (decks, params) = deck_sql("c.deck_id", deck_ids, 1);
        let sql = format!(
            "SELECT category, half, {ANSWER_SUMS} FROM (
                 SELECT p.category, a.rating, a.metrics,
                        ntile(2) OVER (PARTITION BY p.category
                                       ORDER BY a.answered_at, a.id) AS half
                 FROM answers a CROSS JOIN prompts p ON p.card_id = a.card_id
                 CROSS JOIN cards c ON c.id = a.card_id
                 WHERE json_extract(a.metrics, '$.follow_up') IS NULL{decks}) AS a
             GROUP BY category, half ORDER BY category, half"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(params), |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                answer_sums(r, 2)?,
            ))
        })?;
        let mut out: Vec<CategoryHalves> = Vec::new();
        for row in rows {
            let (category, half, sums) = row?;
            if out.last().is_none_or(|c| c.category != category) {
                out.push(CategoryHalves {
                    category,
                    first: AnswerSums::default(),
                    last: AnswerSums::default(),
                });
            }
            if let Some(c) = out.last_mut() {
                if half == 1 {
                    c.first = sums;
                } else {
                    c.last = sums;
                }
            }
        }
        Ok(out)
    }

    /// Interview answers since `since_ms`, summed per quarter hour (oldest first).
    pub fn answer_quarters(
        &self,
        deck_ids: &[i64],
        since_ms: i64,
    ) -> Result<Vec<(i64, AnswerSums)>> {
        let (decks, mut params) = deck_sql("c.deck_id", deck_ids, 2);
        params.insert(0, Value::Integer(since_ms));
        let sql = format!(
            "SELECT a.answered_at / 900000, {ANSWER_SUMS}
             FROM answers a CROSS JOIN cards c ON c.id = a.card_id
             WHERE a.answered_at >= ?1 AND json_extract(a.metrics, '$.follow_up') IS NULL{decks}
             GROUP BY 1 ORDER BY 1"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(params), |r| {
            Ok((r.get(0)?, answer_sums(r, 1)?))
        })?;
        rows.collect::<rusqlite::Result<_>>()
            .context("could not read the interview answers")
    }

    /// Every flashcard answer, card by card and in time order, for the FSRS optimizer.
    pub fn fsrs_history(&self, each: &mut dyn FnMut(HistoryRow)) -> Result<u64> {
        let mut stmt = self.conn.prepare(
            "SELECT r.card_id, r.reviewed_at, r.rating, r.state_before
             FROM cards JOIN reviews r ON r.card_id = cards.id
             WHERE cards.kind = 0
             ORDER BY r.card_id, r.reviewed_at, r.id",
        )?;
        let mut rows = stmt.query([])?;
        let mut n = 0;
        while let Some(r) = rows.next()? {
            each(HistoryRow {
                card_id: r.get(0)?,
                reviewed_at_ms: r.get(1)?,
                rating: r.get::<_, i64>(2)?.clamp(1, 4) as u8,
                state_before: r.get::<_, i64>(3)?.clamp(0, 3) as u8,
            });
            n += 1;
        }
        Ok(n)
    }

    /// Rebuilds `review_totals` from the review log (for `check`, and to test the triggers).
    pub fn rebuild_review_totals(&mut self) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute_batch(
            "DELETE FROM review_totals;
             INSERT INTO review_totals
             SELECT r.reviewed_at / 900000, c.deck_id, c.kind, count(*), sum(r.duration_ms),
                    sum(r.state_before = 0), sum(r.rating = 1), sum(r.rating = 2),
                    sum(r.rating = 3), sum(r.rating = 4), sum(r.state_before = 2),
                    sum(r.state_before = 2 AND r.rating >= 2)
             FROM reviews r JOIN cards c ON c.id = r.card_id
             GROUP BY 1, 2, 3;",
        )
        .context("could not rebuild the review totals")?;
        tx.commit()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn totals(db: &Db) -> Vec<(i64, i64, i64, Vec<i64>)> {
        let mut stmt = db
            .conn
            .prepare("SELECT * FROM review_totals ORDER BY 1, 2, 3")
            .expect("prepare");
        stmt.query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                (3..12).map(|i| r.get(i)).collect::<rusqlite::Result<_>>()?,
            ))
        })
        .expect("query")
        .collect::<rusqlite::Result<_>>()
        .expect("rows")
    }

    fn setup() -> Db {
        let db = Db::open_in_memory().expect("db");
        db.conn
            .execute_batch(
                "INSERT INTO decks (id, key, name, created_at) VALUES (1, 'a', 'A', 0), (2, 'b', 'B', 0);
                 INSERT INTO cards (id, deck_id, key, kind, front, back, position, created_at, updated_at)
                 VALUES (10, 1, 'x', 0, 'q', 'a', 1, 0, 0), (11, 1, 'y', 0, 'q', 'a', 2, 0, 0),
                        (12, 2, 'z', 1, 'q', 'a', 3, 0, 0);",
            )
            .expect("setup");
        db
    }

    /// A leech is a flashcard with the tag `leech`, in any case, as Anki's `tag:leech`.
    #[test]
    fn leeches_are_flashcards_tagged_leech_in_any_case() {
        let db = setup();
        db.conn
            .execute_batch(
                "UPDATE cards SET tags = 'leech' WHERE id = 10;
                 UPDATE cards SET tags = 'keigo LEECH jet' WHERE id = 11;
                 UPDATE cards SET tags = 'leech' WHERE id = 12;
                 INSERT INTO cards (id, deck_id, key, kind, front, back, tags, position, created_at, updated_at)
                 VALUES (13, 2, 'w', 0, 'q', 'a', 'leeches', 4, 0, 0),
                        (14, 2, 'v', 0, 'q', 'a', 'myleech', 5, 0, 0),
                        (15, 2, 'u', 0, 'q', 'a', 'school leech', 6, 0, 0);",
            )
            .expect("tags");
        assert_eq!(
            db.leech_count(&[]).expect("all"),
            3,
            "not the prompt, not `leeches`"
        );
        assert_eq!(db.leech_count(&[1]).expect("deck a"), 2);
        assert_eq!(db.leech_count(&[2]).expect("deck b"), 1);
        assert_eq!(db.state_counts(&[]).expect("counts").leeches, 3);
    }

    fn review(db: &Db, card: i64, at_ms: i64, rating: i64, state: i64) -> i64 {
        db.conn
            .execute(
                "INSERT INTO reviews (card_id, reviewed_at, rating, state_before, elapsed_days,
                     duration_ms, interval_secs, stability, difficulty)
                 VALUES (?1, ?2, ?3, ?4, 0, ?5, 60, 1.0, 5.0)",
                rusqlite::params![card, at_ms, rating, state, 1000 + at_ms % 7000],
            )
            .expect("insert");
        db.conn.last_insert_rowid()
    }

    /// Whatever happens to reviews, cards and decks, the triggers keep the summary equal to
    /// a rebuild from the log.
    #[test]
    fn triggers_keep_totals_equal_to_a_rebuild() {
        let mut db = setup();
        let mut ids = Vec::new();
        for i in 0..40 {
            let card = 10 + i % 3;
            ids.push(review(&db, card, i * 400_000, 1 + i % 4, i % 4));
        }
        let check = |db: &mut Db, what: &str| {
            let live = totals(db);
            db.rebuild_review_totals().expect("rebuild");
            assert_eq!(live, totals(db), "after {what}");
        };
        check(&mut db, "inserts");
        db.conn
            .execute("DELETE FROM reviews WHERE id = ?1", [ids[5]])
            .expect("undo");
        check(&mut db, "an undo");
        db.conn
            .execute(
                "UPDATE reviews SET rating = 4, reviewed_at = reviewed_at + 3600000 WHERE id = ?1",
                [ids[7]],
            )
            .expect("edit");
        check(&mut db, "an edited review");
        db.conn
            .execute("UPDATE cards SET deck_id = 2 WHERE id = 11", [])
            .expect("move");
        check(&mut db, "a card moved to another deck");
        db.conn
            .execute("DELETE FROM cards WHERE id = 10", [])
            .expect("delete card");
        check(&mut db, "a deleted card");
        db.conn
            .execute("DELETE FROM decks WHERE id = 2", [])
            .expect("delete deck");
        check(&mut db, "a deleted deck");
        assert!(totals(&db).is_empty(), "nothing left: {:?}", totals(&db));
    }

    #[test]
    fn quarters_sum_over_kinds_and_count_review_answers_of_flashcards_only() {
        let db = setup();
        review(&db, 10, 1_000, 3, 2);
        review(&db, 11, 2_000, 1, 2);
        review(&db, 12, 3_000, 3, 2);
        review(&db, 10, 900_000, 3, 0);
        let q = db.review_quarters(&[], 0).expect("quarters");
        assert_eq!(q.len(), 3);
        assert_eq!((q[0].quarter, q[0].deck_id, q[0].reviews), (0, 1, 2));
        assert_eq!((q[0].review_answers, q[0].review_passed), (2, 1));
        assert_eq!((q[1].deck_id, q[1].reviews, q[1].review_answers), (2, 1, 0));
        assert_eq!((q[2].quarter, q[2].reviews), (1, 1));
        let t = db.totals_between(&[], 0, 900).expect("first quarter");
        assert_eq!((t.reviews, t.again, t.good, t.first_answers), (3, 1, 2, 0));
        assert_eq!((t.review_answers, t.review_passed), (2, 1));
        let t = db.totals_between(&[1], 0, 1800).expect("deck 1");
        assert_eq!((t.reviews, t.first_answers), (3, 1));
        assert_eq!(
            t.duration_ms,
            2000 + 3000 + 5000,
            "1000 + reviewed_at % 7000 each"
        );
        assert_eq!(db.review_quarters(&[2], 0).expect("deck").len(), 1);
        assert_eq!(db.review_quarters(&[], 900).expect("later").len(), 1);
        assert_eq!(db.studied_quarters(&[], 900).expect("earlier"), [0]);
        assert_eq!(db.studied_quarters(&[], 901).expect("earlier"), [0]);
        assert_eq!(db.studied_quarters(&[], 1800).expect("all"), [0, 1]);
    }

    /// New and studied cards live in different indexes since migration 004; every count
    /// served from them (stats, the deck list, the review queue's caps) equals a plain scan
    /// of the table, for every deck choice.
    #[test]
    fn counts_from_the_split_indexes_equal_a_full_scan() {
        use crate::db::cards::Queue;
        use crate::db::filter::CardFilter;
        let db = setup();
        let mut id = 100;
        for deck in [1, 2] {
            for kind in [0, 1] {
                for state in 0..=3 {
                    for suspended in [0, 1] {
                        for (interval, due, tags) in
                            [(3, 40, ""), (30, 400, "leech x"), (0, 4_000, "x")]
                        {
                            id += 1;
                            db.conn
                                .execute(
                                    "INSERT INTO cards (id, deck_id, key, kind, front, back, tags,
                                         position, state, suspended, interval_days, due,
                                         created_at, updated_at)
                                     VALUES (?1, ?2, ?1, ?3, 'q', 'a', ?4, ?1, ?5, ?6, ?7, ?8, 0, 0)",
                                    rusqlite::params![
                                        id,
                                        deck,
                                        kind,
                                        tags,
                                        state,
                                        suspended,
                                        interval,
                                        due
                                    ],
                                )
                                .expect("card");
                        }
                    }
                }
            }
        }
        let scan = |condition: &str, decks: &[i64]| -> i64 {
            let chosen = if decks.is_empty() {
                String::new()
            } else {
                let ids: Vec<String> = decks.iter().map(i64::to_string).collect();
                format!(" AND deck_id IN ({})", ids.join(", "))
            };
            db.conn
                .query_row(
                    &format!("SELECT count(*) FROM cards NOT INDEXED WHERE {condition}{chosen}"),
                    [],
                    |r| r.get(0),
                )
                .expect("scan")
        };
        let now = 400;
        for decks in [vec![], vec![1], vec![2], vec![1, 2]] {
            let c = db.state_counts(&decks).expect("state counts");
            let flash = "kind = 0 AND suspended = 0 AND ";
            assert_eq!(c.new, scan(&format!("{flash}state = 0"), &decks));
            assert_eq!(c.learning, scan(&format!("{flash}state = 1"), &decks));
            assert_eq!(c.relearning, scan(&format!("{flash}state = 3"), &decks));
            let young = format!("{flash}state = 2 AND interval_days < 21");
            assert_eq!(c.young, scan(&young, &decks));
            let mature = format!("{flash}state = 2 AND interval_days >= 21");
            assert_eq!(c.mature, scan(&mature, &decks));
            assert_eq!(c.suspended, scan("kind = 0 AND suspended = 1", &decks));
            let leech = "kind = 0 AND tags LIKE '%leech%'";
            assert_eq!(c.leeches, scan(leech, &decks));

            let filter = CardFilter {
                deck_ids: decks.clone(),
                tags: vec![],
            };
            let d = db.counts(&filter, now).expect("deck counts");
            assert_eq!(d.cards, scan("kind = 0", &decks));
            assert_eq!(d.prompts, scan("kind = 1", &decks));
            assert_eq!(d.new, c.new);
            let learning = format!("{flash}state IN (1, 3) AND due <= {now}");
            assert_eq!(d.learning, scan(&learning, &decks));
            assert_eq!(
                d.due,
                scan(&format!("{flash}state = 2 AND due <= {now}"), &decks)
            );
            assert_eq!(d.suspended, c.suspended);

            for (queue, condition) in [
                (Queue::Learning, "state IN (1, 3)"),
                (Queue::Review, "state = 2"),
                (Queue::New, "state = 0"),
            ] {
                let got = db
                    .queue_count(&filter, 0, queue, now, u32::MAX)
                    .expect("queue");
                let want = scan(&format!("{flash}{condition} AND due <= {now}"), &decks);
                assert_eq!(i64::from(got), want, "{queue:?} {decks:?}");
            }
        }
    }

    #[test]
    fn due_by_day_counts_each_state_between_day_starts() {
        let db = setup();
        db.conn
            .execute_batch(
                "UPDATE cards SET state = 2, due = 50 WHERE id = 10;
                 UPDATE cards SET state = 1, due = 150 WHERE id = 11;
                 INSERT INTO cards (id, deck_id, key, kind, front, back, position, state, due,
                     created_at, updated_at)
                 VALUES (13, 2, 'w', 0, 'q', 'a', 4, 2, 250, 0, 0),
                        (14, 2, 'v', 0, 'q', 'a', 5, 2, 350, 0, 0),
                        (15, 2, 's', 0, 'q', 'a', 6, 2, 150, 0, 0);
                 UPDATE cards SET suspended = 1 WHERE id = 15;",
            )
            .expect("cards");
        let due = db.due_by_day(&[], &[100, 200, 300]).expect("due");
        let got: Vec<(i64, bool, i64)> = due.iter().map(|d| (d.day, d.review, d.cards)).collect();
        assert_eq!(got, [(0, false, 1), (-1, true, 1), (1, true, 1)]);
        let due = db.due_by_day(&[2], &[100, 200, 300]).expect("deck");
        assert_eq!(due.len(), 1);
    }
}
