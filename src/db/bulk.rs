//! New cards written many to an `INSERT`, for large imports.
//!
//! Writing one card per `INSERT` costs SQLite about as much in running the statement as in
//! storing the row: cursors on the table and each of its indexes opened and closed, the
//! program started and halted, every parameter bound. One statement for [`ROWS`] cards does
//! that once for all of them, and keeps its cursors where the last row went, so the rows and
//! the new-card index, both written in order, are appended without a search from the root.
//!
//! That holds only if SQLite needs no statement journal for it. An `INSERT` of several rows
//! keeps one (a copy of every page it changes, to undo the statement alone) whenever
//! anything in its program may stop it part-way (`sqlite3MayAbort`): a constraint resolved
//! by `ABORT` (the default), an immediate foreign key, any function call (an index condition
//! such as `LIKE`). With a random card-key index that copy is most of the index for every
//! statement, and made the batches slower than single rows. So the batched `INSERT`:
//! - is `INSERT OR IGNORE`: a clash skips its row, and the number of rows written tells;
//!   the card that clashed is then found and reported (the import fails as before);
//! - runs with foreign keys off ([`ForeignKeysOff`]), which only a large import without
//!   `--prune` takes: it deletes no card, and the deck ids it writes are its own;
//! - meets no function in the indexes of `cards` (migration 008 dropped the one that had).
//!
//! Measured with `benches/insert-floor` on the 100,000-card CSV's rows (10 interleaved runs,
//! medians): the insert 0.244 s one row at a time, 0.173 s 16 rows at a time (64: 0.175 s);
//! 16 rows with a statement journal, 0.42 s.

use rusqlite::{CachedStatement, Connection, Statement};

use crate::deck::draft::CardDraft;

/// Cards per `INSERT` (7 parameters each, well under SQLite's 32,766).
pub const ROWS: usize = 64;

/// A new card waiting for its `INSERT`.
pub struct PendingCard {
    pub card: CardDraft,
    /// The card's tags as stored (space-separated).
    pub tags: String,
    pub hash: i64,
    pub position: i64,
}

/// Why a batch was not written whole.
#[derive(Debug)]
pub enum Refused {
    /// A card with this key is in the deck already (put there earlier in this import).
    Clash(String),
    /// A row was not written for another reason (a check the card failed).
    Skipped(String),
    Sql(rusqlite::Error),
}

impl From<rusqlite::Error> for Refused {
    fn from(e: rusqlite::Error) -> Self {
        Refused::Sql(e)
    }
}

/// New cards of one deck, written [`ROWS`] at a time.
pub struct BulkCards<'c> {
    deck_id: i64,
    rows: Vec<PendingCard>,
    /// The `INSERT` of a full batch, prepared once.
    full: Option<Statement<'c>>,
    /// Drafts written, to hand back to the thread that made them (see `Sink::spent`).
    written: Vec<CardDraft>,
}

impl Default for BulkCards<'_> {
    fn default() -> Self {
        BulkCards {
            deck_id: 0,
            rows: Vec::with_capacity(ROWS),
            full: None,
            written: Vec::new(),
        }
    }
}

impl<'c> BulkCards<'c> {
    /// Queues a card for deck `deck_id`; a full batch (or one for another deck) is written
    /// first.
    pub fn push(
        &mut self,
        conn: &'c Connection,
        deck_id: i64,
        row: PendingCard,
        now: i64,
    ) -> Result<(), Refused> {
        if self.deck_id != deck_id {
            self.flush(conn, now)?;
            self.deck_id = deck_id;
        }
        self.rows.push(row);
        if self.rows.len() >= ROWS {
            self.flush(conn, now)?;
        }
        Ok(())
    }

    /// The deck of the cards waiting.
    pub fn deck_id(&self) -> i64 {
        self.deck_id
    }

    /// Whether no card waits.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Writes the cards waiting, in the order they came.
    pub fn flush(&mut self, conn: &'c Connection, now: i64) -> Result<(), Refused> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let mut rows = std::mem::take(&mut self.rows);
        let written = if rows.len() == ROWS {
            let statement = match &mut self.full {
                Some(statement) => statement,
                None => self.full.insert(conn.prepare(&insert_sql(ROWS))?),
            };
            run(statement, self.deck_id, &rows, now)?
        } else {
            let mut statement: CachedStatement<'_> =
                conn.prepare_cached(&insert_sql(rows.len()))?;
            run(&mut statement, self.deck_id, &rows, now)?
        };
        if written != rows.len() {
            return Err(refused(conn, self.deck_id, &rows));
        }
        self.written.extend(rows.drain(..).map(|row| row.card));
        self.rows = rows;
        Ok(())
    }

    /// The drafts written so far, taken.
    pub fn take_written(&mut self) -> Vec<CardDraft> {
        std::mem::take(&mut self.written)
    }
}

/// `INSERT OR IGNORE` of `n` cards: `?1` the deck, `?2` the time, then six per card.
fn insert_sql(n: usize) -> String {
    let mut sql = String::from(
        "INSERT OR IGNORE INTO cards (deck_id, key, kind, front, back, tags, content_hash,
                                      position, due, created_at, updated_at) VALUES ",
    );
    for i in 0..n {
        let p = 3 + i * 6;
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push_str(&format!(
            "(?1, ?{}, 0, ?{}, ?{}, ?{}, ?{}, ?{}, 0, ?2, ?2)",
            p,
            p + 1,
            p + 2,
            p + 3,
            p + 4,
            p + 5
        ));
    }
    sql
}

/// Binds and runs one batch; the number of rows written.
fn run(
    statement: &mut Statement<'_>,
    deck_id: i64,
    rows: &[PendingCard],
    now: i64,
) -> rusqlite::Result<usize> {
    statement.raw_bind_parameter(1, deck_id)?;
    statement.raw_bind_parameter(2, now)?;
    for (i, row) in rows.iter().enumerate() {
        let p = 3 + i * 6;
        statement.raw_bind_parameter(p, row.card.id.as_str())?;
        statement.raw_bind_parameter(p + 1, row.card.front.as_str())?;
        statement.raw_bind_parameter(p + 2, row.card.back.as_str())?;
        statement.raw_bind_parameter(p + 3, row.tags.as_str())?;
        statement.raw_bind_parameter(p + 4, row.hash)?;
        statement.raw_bind_parameter(p + 5, row.position)?;
    }
    statement.raw_execute()
}

/// Which card of a batch was not written: one whose key now holds another position (a card
/// put there before it), else one not there at all.
fn refused(conn: &Connection, deck_id: i64, rows: &[PendingCard]) -> Refused {
    let mut find =
        match conn.prepare_cached("SELECT position FROM cards WHERE deck_id = ?1 AND key = ?2") {
            Ok(statement) => statement,
            Err(e) => return Refused::Sql(e),
        };
    for row in rows {
        let stored: rusqlite::Result<i64> =
            find.query_row(rusqlite::params![deck_id, row.card.id], |r| r.get(0));
        match stored {
            Ok(position) if position == row.position => {}
            Ok(_) => return Refused::Clash(row.card.id.clone()),
            Err(rusqlite::Error::QueryReturnedNoRows) => {
                return Refused::Skipped(row.card.id.clone());
            }
            Err(e) => return Refused::Sql(e),
        }
    }
    Refused::Skipped(String::new())
}

/// Foreign keys off for one large import's transaction (see the module's notes); dropping
/// this turns them on again. Take it before the transaction begins and drop it after the
/// transaction ends: SQLite changes the setting only outside one.
pub struct ForeignKeysOff<'c> {
    conn: &'c Connection,
}

impl<'c> ForeignKeysOff<'c> {
    /// `None` when they could not be turned off (inside a transaction).
    pub fn take(conn: &'c Connection) -> Option<ForeignKeysOff<'c>> {
        conn.pragma_update(None, "foreign_keys", false).ok()?;
        let guard = ForeignKeysOff { conn };
        let on: bool = conn
            .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
            .ok()?;
        (!on).then_some(guard)
    }
}

impl Drop for ForeignKeysOff<'_> {
    fn drop(&mut self) {
        let _ = self.conn.pragma_update(None, "foreign_keys", true);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sql_numbers_each_cards_parameters_after_the_shared_two() {
        let sql = insert_sql(2);
        assert!(sql.contains("(?1, ?3, 0, ?4, ?5, ?6, ?7, ?8, 0, ?2, ?2), (?1, ?9, 0, ?10, ?11, ?12, ?13, ?14, 0, ?2, ?2)"));
        assert!(sql.starts_with("INSERT OR IGNORE INTO cards"));
    }

    #[test]
    fn foreign_keys_come_back_on() {
        let conn = Connection::open_in_memory().expect("memory");
        conn.pragma_update(None, "foreign_keys", true).expect("on");
        let on = |conn: &Connection| -> bool {
            conn.query_row("PRAGMA foreign_keys", [], |r| r.get(0))
                .expect("read")
        };
        {
            let off = ForeignKeysOff::take(&conn);
            assert!(off.is_some());
            assert!(!on(&conn));
        }
        assert!(on(&conn));
        conn.execute_batch("BEGIN").expect("begin");
        assert!(
            ForeignKeysOff::take(&conn).is_none(),
            "not inside a transaction"
        );
        assert!(on(&conn));
    }
}
