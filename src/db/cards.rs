//! Cards: lookups, listings, the review queue, and the one-transaction answer write.

use super::Db;
use super::filter::CardFilter;
use crate::model::{CardState, Schedule};
use anyhow::{Context, Result, anyhow};
use rusqlite::types::Value;
use rusqlite::{OptionalExtension, Row, params};
use serde::Serialize;

/// A card with its deck and scheduling state.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CardRow {
    pub id: i64,
    pub deck_id: i64,
    pub deck: String,
    /// `deck-key/card-key`: stable across edits and re-imports.
    pub key: String,
    pub kind: i64,
    pub front: String,
    pub back: String,
    pub tags: Vec<String>,
    pub suspended: bool,
    pub schedule: Schedule,
}

/// The columns [`card_from_row`] reads, in order.
pub const CARD_COLUMNS: &str = "cards.id, cards.deck_id, decks.name, decks.key || '/' || cards.key, \
     cards.kind, cards.front, cards.back, cards.tags, cards.suspended, cards.state, cards.step, \
     cards.stability, cards.difficulty, cards.due, cards.last_review, cards.interval_days, \
     cards.reps, cards.lapses";

pub fn card_from_row(r: &Row) -> rusqlite::Result<CardRow> {
    let code: i64 = r.get(9)?;
    let step: i64 = r.get(10)?;
    let state = CardState::from_code(code, step.clamp(0, i64::from(u32::MAX)) as u32)
        .unwrap_or(CardState::New);
    let tags: String = r.get(7)?;
    Ok(CardRow {
        id: r.get(0)?,
        deck_id: r.get(1)?,
        deck: r.get(2)?,
        key: r.get(3)?,
        kind: r.get(4)?,
        front: r.get(5)?,
        back: r.get(6)?,
        tags: tags.split_whitespace().map(str::to_owned).collect(),
        suspended: r.get(8)?,
        schedule: Schedule {
            state,
            stability: r.get::<_, Option<f64>>(11)?.map(|v| v as f32),
            difficulty: r.get::<_, Option<f64>>(12)?.map(|v| v as f32),
            due: r.get(13)?,
            last_review: r.get(14)?,
            interval_days: r.get::<_, i64>(15)?.clamp(0, i64::from(u32::MAX)) as u32,
            reps: r.get::<_, i64>(16)?.clamp(0, i64::from(u32::MAX)) as u32,
            lapses: r.get::<_, i64>(17)?.clamp(0, i64::from(u32::MAX)) as u32,
        },
    })
}

/// One row of the review log, as written by an answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewReview {
    pub reviewed_at_ms: i64,
    pub rating: u8,
    pub state_before: i64,
    pub elapsed_days: u32,
    pub duration_ms: i64,
    pub interval_secs: i64,
    pub stability: f32,
    pub difficulty: f32,
    pub source: &'static str,
}

/// The card changed (another session answered it, or it was deleted) between being shown and
/// being answered here; the answer is not recorded so the two sessions cannot overwrite each
/// other's work.
#[derive(Debug, thiserror::Error)]
#[error("this card was answered in another session meanwhile")]
pub struct AnsweredElsewhere;

/// Everything needed to put a card back exactly as it was before an answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub card: CardRow,
    pub review_id: i64,
}

/// A review queue, for [`Db::queue_count`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Queue {
    /// Learning and relearning cards.
    Learning,
    /// Cards in review.
    Review,
    /// Cards never studied.
    New,
}

impl Queue {
    /// The queue's condition. Studied cards' conditions spell out `state > 0`: SQLite uses a
    /// partial index (`cards_queue`, `cards_deck_stats`, migration 004) only for a query that
    /// states the index's own condition, and does not infer it from `state = 2`.
    fn sql(self) -> &'static str {
        match self {
            Queue::Learning => "state > 0 AND state IN (1, 3)",
            Queue::Review => "state > 0 AND state = 2",
            Queue::New => "state = 0",
        }
    }
}

impl Db {
    fn card_where(&self, cond: &str, params: &[Value]) -> Result<Option<CardRow>> {
        let sql = format!(
            "SELECT {CARD_COLUMNS} FROM cards JOIN decks ON decks.id = cards.deck_id WHERE {cond} LIMIT 1"
        );
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row(rusqlite::params_from_iter(params), card_from_row)
            .optional()?)
    }

    pub fn card(&self, id: i64) -> Result<Option<CardRow>> {
        self.card_where("cards.id = ?1", &[Value::Integer(id)])
    }

    /// A card by numeric id or by `deck-key/card-key`.
    pub fn find_card(&self, id_or_key: &str) -> Result<CardRow> {
        let found = match id_or_key.trim().parse::<i64>() {
            Ok(id) => self.card(id)?,
            Err(_) => match id_or_key.split_once('/') {
                Some((deck, card)) => self.card_where(
                    "decks.key = ?1 AND cards.key = ?2",
                    &[Value::Text(deck.into()), Value::Text(card.into())],
                )?,
                None => None,
            },
        };
        found.ok_or_else(|| {
            anyhow!("no card `{id_or_key}`; give a numeric id or a key like `alt-role/jet-founded` (see `alt-prep cards`)")
        })
    }

    /// Flashcards (not prompts) in key order, for `alt-prep cards`.
    pub fn list_cards(&self, filter: &CardFilter, kind: i64) -> Result<Vec<CardRow>> {
        let (where_sql, mut params) = filter.sql(2);
        params.insert(0, Value::Integer(kind));
        let sql = format!(
            "SELECT {CARD_COLUMNS} FROM cards JOIN decks ON decks.id = cards.deck_id
             WHERE cards.kind = ?1{where_sql} ORDER BY decks.name, cards.position, cards.id"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(params), card_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The first card of a queue in `order`. Each queue's query walks one index in order and
    /// stops at the first row: at 100,000 cards a sort here would cost more than everything
    /// else before the first card.
    ///
    /// Why `kind` is written into the SQL and bounds read `?1 + 0`: the bundled SQLite is built
    /// with STAT4, which ties a cached statement's plan to the values bound to parameters that
    /// meet an index; rusqlite's statement cache clears bindings when a statement is returned,
    /// and that forces a full re-prepare on every use (measured: 125 µs instead of 7 µs per
    /// lookup, most of the answer latency at 100,000 cards).
    fn first_in_queue(
        &self,
        filter: &CardFilter,
        kind: i64,
        condition: &str,
        bound: Option<i64>,
        order: &str,
    ) -> Result<Option<CardRow>> {
        let mut params: Vec<Value> = bound.map(Value::Integer).into_iter().collect();
        let (where_sql, filter_params) = filter.sql(params.len() + 1);
        params.extend(filter_params);
        let sql = format!(
            "SELECT {CARD_COLUMNS} FROM cards JOIN decks ON decks.id = cards.deck_id
             WHERE cards.kind = {kind} AND cards.suspended = 0 AND {condition}{where_sql}
             ORDER BY {order} LIMIT 1"
        );
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row(rusqlite::params_from_iter(params), card_from_row)
            .optional()?)
    }

    /// The learning or relearning card due soonest, if due by `before`. Learning and
    /// relearning are two index ranges; the earlier of their first rows wins.
    pub fn next_learning(
        &self,
        filter: &CardFilter,
        kind: i64,
        before: i64,
    ) -> Result<Option<CardRow>> {
        let mut best: Option<CardRow> = None;
        for state in [1, 3] {
            let condition =
                format!("cards.state > 0 AND cards.state = {state} AND cards.due <= ?1 + 0");
            if let Some(card) = self.first_in_queue(
                filter,
                kind,
                &condition,
                Some(before),
                "cards.due, cards.id",
            )? && best
                .as_ref()
                .is_none_or(|b| (card.schedule.due, card.id) < (b.schedule.due, b.id))
            {
                best = Some(card);
            }
        }
        Ok(best)
    }

    /// The most overdue review card, if any is due by `now`.
    pub fn next_review(&self, filter: &CardFilter, kind: i64, now: i64) -> Result<Option<CardRow>> {
        self.first_in_queue(
            filter,
            kind,
            "cards.state > 0 AND cards.state = 2 AND cards.due <= ?1 + 0",
            Some(now),
            "cards.due, cards.id",
        )
    }

    /// The next new card in the order cards were added.
    pub fn next_new(&self, filter: &CardFilter, kind: i64) -> Result<Option<CardRow>> {
        self.first_in_queue(
            filter,
            kind,
            "cards.state = 0",
            None,
            // `deck_id` between them follows the `cards_new` index, so no sort is needed;
            // positions are unique, so it never changes the order.
            "cards.position, cards.deck_id, cards.id",
        )
    }

    /// When the next not-suspended card of any state other than new falls due: the minimum of
    /// three index lookups, one per state, rather than a scan of every studied card.
    pub fn next_due_time(&self, filter: &CardFilter, kind: i64) -> Result<Option<i64>> {
        let (where_sql, params) = filter.sql(1);
        let mut soonest: Option<i64> = None;
        for state in [1, 2, 3] {
            let sql = format!(
                "SELECT min(due) FROM cards
                 WHERE kind = {kind} AND suspended = 0 AND state > 0 AND state = {state}{where_sql}"
            );
            let due: Option<i64> = self
                .conn
                .prepare_cached(&sql)?
                .query_row(rusqlite::params_from_iter(params.iter()), |r| r.get(0))?;
            soonest = match (soonest, due) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
        }
        Ok(soonest)
    }

    /// Counts of cards in each queue, capped at `cap` so a huge collection stays fast.
    /// (Literals and `?1 + 0` as in [`Db::first_in_queue`].)
    pub fn queue_count(
        &self,
        filter: &CardFilter,
        kind: i64,
        queue: Queue,
        due_before: i64,
        cap: u32,
    ) -> Result<u32> {
        let (where_sql, mut params) = filter.sql(2);
        params.insert(0, Value::Integer(due_before));
        let sql = format!(
            "SELECT count(*) FROM (SELECT 1 FROM cards WHERE kind = {kind} AND suspended = 0
               AND {} AND due <= ?1 + 0{where_sql} LIMIT {cap})",
            queue.sql()
        );
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row(rusqlite::params_from_iter(params), |r| r.get(0))?)
    }

    /// Learning cards (not suspended) due in `(after, until]`: what passing time adds to the
    /// header's learning count. A range of the `cards_queue` index, usually empty.
    pub fn learning_due_between(
        &self,
        filter: &CardFilter,
        kind: i64,
        after: i64,
        until: i64,
    ) -> Result<u32> {
        let (where_sql, mut params) = filter.sql(3);
        params.insert(0, Value::Integer(until));
        params.insert(0, Value::Integer(after));
        let sql = format!(
            "SELECT count(*) FROM cards WHERE kind = {kind} AND suspended = 0
               AND state > 0 AND state IN (1, 3) AND due > ?1 + 0 AND due <= ?2 + 0{where_sql}"
        );
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row(rusqlite::params_from_iter(params), |r| r.get(0))?)
    }

    /// Writes an answer: the card's new state and its review-log row, in one transaction,
    /// committed before this returns (design.md rule 5). A leech is tagged and suspended in
    /// the same transaction.
    pub fn record_answer(
        &mut self,
        before: &CardRow,
        after: &Schedule,
        review: &NewReview,
        leech: bool,
        now: i64,
        answer_id: Option<i64>,
    ) -> Result<Snapshot> {
        // `Immediate` takes the write lock first, so the check below and the write cannot
        // interleave with another session's answer to the same card.
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let reps: Option<i64> = tx
            .prepare_cached("SELECT reps FROM cards WHERE id = ?1")?
            .query_row([before.id], |r| r.get(0))
            .optional()?;
        if reps != Some(i64::from(before.schedule.reps)) {
            return Err(AnsweredElsewhere.into());
        }
        let mut tags = before.tags.clone();
        if leech && !tags.iter().any(|t| t == "leech") {
            tags.push("leech".into());
        }
        write_schedule(
            &tx,
            before.id,
            after,
            before.suspended || leech,
            &tags.join(" "),
            now,
        )?;
        tx.prepare_cached(
            "INSERT INTO reviews (card_id, reviewed_at, rating, state_before, elapsed_days,
                 duration_ms, interval_secs, stability, difficulty, source)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?
        .execute(params![
            before.id,
            review.reviewed_at_ms,
            review.rating,
            review.state_before,
            review.elapsed_days,
            review.duration_ms,
            review.interval_secs,
            f64::from(review.stability),
            f64::from(review.difficulty),
            review.source,
        ])?;
        let review_id = tx.last_insert_rowid();
        if let Some(answer_id) = answer_id {
            tx.execute(
                "UPDATE answers SET review_id = ?2, rating = ?3 WHERE id = ?1",
                params![answer_id, review_id, review.rating],
            )?;
        }
        tx.commit().context("could not save the answer")?;
        Ok(Snapshot {
            card: before.clone(),
            review_id,
        })
    }

    /// Undoes an answer: deletes its log row (and any interview answer tied to it) and puts
    /// the card back exactly as it was, in one transaction.
    pub fn undo_answer(&mut self, snapshot: &Snapshot) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "DELETE FROM answers WHERE review_id = ?1",
            [snapshot.review_id],
        )?;
        tx.execute("DELETE FROM reviews WHERE id = ?1", [snapshot.review_id])?;
        let card = &snapshot.card;
        let updated_at: i64 = tx.query_row(
            "SELECT updated_at FROM cards WHERE id = ?1",
            [card.id],
            |r| r.get(0),
        )?;
        write_schedule(
            &tx,
            card.id,
            &card.schedule,
            card.suspended,
            &card.tags.join(" "),
            updated_at,
        )?;
        tx.commit().context("could not undo the answer")?;
        Ok(())
    }

    pub fn set_suspended(&self, id: i64, suspended: bool, now: i64) -> Result<()> {
        let n = self.conn.execute(
            "UPDATE cards SET suspended = ?2, updated_at = ?3 WHERE id = ?1",
            params![id, suspended, now],
        )?;
        if n == 0 {
            anyhow::bail!("no card with id {id}");
        }
        Ok(())
    }

    pub fn reviews_of(&self, card_id: i64) -> Result<Vec<ReviewRow>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, reviewed_at, rating, state_before, elapsed_days, duration_ms,
                    interval_secs, stability, difficulty, source
             FROM reviews WHERE card_id = ?1 ORDER BY reviewed_at, id",
        )?;
        let rows = stmt.query_map([card_id], |r| {
            Ok(ReviewRow {
                id: r.get(0)?,
                reviewed_at_ms: r.get(1)?,
                rating: r.get(2)?,
                state_before: r.get(3)?,
                elapsed_days: r.get(4)?,
                duration_ms: r.get(5)?,
                interval_secs: r.get(6)?,
                stability: r.get(7)?,
                difficulty: r.get(8)?,
                source: r.get(9)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// A stored review-log row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewRow {
    pub id: i64,
    pub reviewed_at_ms: i64,
    pub rating: i64,
    pub state_before: i64,
    pub elapsed_days: i64,
    pub duration_ms: i64,
    pub interval_secs: i64,
    pub stability: f64,
    pub difficulty: f64,
    pub source: String,
}

fn write_schedule(
    conn: &rusqlite::Connection,
    id: i64,
    s: &Schedule,
    suspended: bool,
    tags: &str,
    now: i64,
) -> Result<()> {
    conn.prepare_cached(
        "UPDATE cards SET state = ?2, step = ?3, stability = ?4, difficulty = ?5, due = ?6,
             last_review = ?7, interval_days = ?8, reps = ?9, lapses = ?10, suspended = ?11,
             tags = ?12, updated_at = ?13
         WHERE id = ?1",
    )?
    .execute(params![
        id,
        s.state.code(),
        s.state.step(),
        s.stability.map(f64::from),
        s.difficulty.map(f64::from),
        s.due,
        s.last_review,
        s.interval_days,
        s.reps,
        s.lapses,
        suspended,
        tags,
        now,
    ])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The time window of the header's learning count: learning cards (state 1 or 3), not
    /// suspended, of the right kind and filter, due after `after` up to `until` inclusive.
    #[test]
    fn learning_due_between_counts_one_slice_of_time() {
        let db = Db::open_in_memory().expect("db");
        db.conn
            .execute_batch(
                "INSERT INTO decks (id, key, name, created_at) VALUES (1, 'a', 'A', 0), (2, 'b', 'B', 0);
                 INSERT INTO cards (deck_id, key, kind, front, back, position, state, due, suspended,
                                    created_at, updated_at) VALUES
                   (1, 'l100', 0, 'q', 'a', 1, 1, 100, 0, 0, 0),
                   (1, 'l200', 0, 'q', 'a', 2, 1, 200, 0, 0, 0),
                   (1, 'r150', 0, 'q', 'a', 3, 3, 150, 0, 0, 0),
                   (1, 'rev150', 0, 'q', 'a', 4, 2, 150, 0, 0, 0),
                   (1, 'sus150', 0, 'q', 'a', 5, 1, 150, 1, 0, 0),
                   (1, 'p150', 1, 'q', 'a', 6, 1, 150, 0, 0, 0),
                   (2, 'b150', 0, 'q', 'a', 7, 1, 150, 0, 0, 0);",
            )
            .expect("setup");
        let all = CardFilter::default();
        let count = |filter: &CardFilter, after, until| {
            db.learning_due_between(filter, 0, after, until)
                .expect("count")
        };
        assert_eq!(count(&all, 100, 200), 3); // r150, b150, l200; not l100 (not after 100)
        assert_eq!(count(&all, 0, 1000), 4);
        assert_eq!(count(&all, 200, 1000), 0);
        let deck_a = CardFilter {
            deck_ids: vec![1],
            ..CardFilter::default()
        };
        assert_eq!(count(&deck_a, 100, 200), 2);
        assert_eq!(
            db.learning_due_between(&all, 1, 0, 1000).expect("prompts"),
            1
        );
    }
}
