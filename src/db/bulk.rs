//! Bulk loading: a large import drops the secondary indexes of `cards` inside its transaction
//! and builds them again just before committing.
//!
//! Why: each new row costs one B-tree descent and page write in every index (four besides the
//! key), which is most of a big import's time; building an index afterwards sorts the finished
//! table once, at about half the cost per row (measured with `benches/insert-floor` and the
//! five secondary indexes of schema 2: 100,000 rows, insert 0.52 s with the indexes against
//! 0.25 s + 0.23 s rebuild without). That
//! only pays when the import adds about as many cards as the collection already holds, since a
//! rebuild covers every row, old and new. Being inside the transaction, a failed or cancelled
//! import rolls the indexes back with everything else, and other connections keep reading
//! the old snapshot, indexes included, until the commit.
//!
//! The decision is made in two steps. At the start, from the size of the files: an import
//! expected to bring at least as many cards as the collection has may go in bulk (see
//! [`worth_it`]). Then the indexes are dropped only once [`ADDED_BEFORE_DROP`] cards have really
//! been added, so re-importing a large unchanged file (nothing added, nothing to maintain)
//! never pays for a rebuild.
//!
//! The file stays in WAL. Leaving WAL for a rollback journal during a bulk import was tried
//! (commit 0.12 → 0.03 s at 100,000 cards) and taken out again: a review started during the
//! import then waited for it to finish, or failed at once with "database is locked" when
//! SQLite saw a possible deadlock, where in WAL it reads the last committed state meanwhile.
//!
//! The index definitions are read from `sqlite_schema` rather than repeated here, so an index a
//! later migration adds is handled without change. Indexes SQLite makes for UNIQUE constraints
//! (`sql` is NULL) stay: the import looks cards up by their key.

use anyhow::{Context, Result};
use rusqlite::Transaction;

/// Fewest expected new cards for which dropping and rebuilding can be worth it: below this the
/// whole import is quick either way.
pub const MIN_CARDS: u64 = 10_000;

/// New cards an armed import adds with the indexes in place before it drops them.
pub const ADDED_BEFORE_DROP: u64 = 1_000;

/// Where an import stands with bulk loading.
#[derive(Debug, Default)]
pub enum Bulk {
    /// Indexes maintained row by row, as usual.
    #[default]
    Off,
    /// Large enough to go in bulk once it has added [`ADDED_BEFORE_DROP`] cards.
    Armed,
    /// Indexes dropped; these are built again by [`Bulk::rebuild`].
    On(Vec<(String, String)>),
}

impl Bulk {
    /// Armed when an import expected to add `expected` cards to about `existing` is worth it,
    /// and is not a dry run (rolled back anyway).
    pub fn plan(expected: u64, existing: u64, dry_run: bool) -> Bulk {
        if !dry_run && worth_it(expected, existing) {
            Bulk::Armed
        } else {
            Bulk::Off
        }
    }

    /// Called as cards are added: drops the indexes once an armed import has added enough.
    pub fn added(&mut self, tx: &Transaction, added_so_far: u64) -> Result<()> {
        if matches!(self, Bulk::Armed) && added_so_far >= ADDED_BEFORE_DROP {
            *self = Bulk::On(drop_card_indexes(tx)?);
        }
        Ok(())
    }

    /// Before the commit: builds the dropped indexes again.
    pub fn rebuild(&mut self, tx: &Transaction) -> Result<()> {
        if let Bulk::On(indexes) = std::mem::take(self) {
            rebuild(tx, &indexes)?;
        }
        Ok(())
    }

    pub fn is_on(&self) -> bool {
        matches!(self, Bulk::On(_))
    }
}

/// Whether an import expected to add `expected` cards to a collection of about `existing`
/// cards should load in bulk.
pub fn worth_it(expected: u64, existing: u64) -> bool {
    expected >= MIN_CARDS && expected >= existing
}

/// Drops every secondary index of `cards` that can be made again from its SQL, and returns
/// that SQL (name, statement) for [`rebuild`].
pub fn drop_card_indexes(tx: &Transaction) -> Result<Vec<(String, String)>> {
    let indexes = {
        let mut stmt = tx.prepare(
            "SELECT name, sql FROM sqlite_schema
             WHERE type = 'index' AND tbl_name = 'cards' AND sql IS NOT NULL
             ORDER BY name",
        )?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<Vec<(String, String)>>>()?
    };
    for (name, _) in &indexes {
        tx.execute_batch(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))
            .with_context(|| format!("could not set aside index {name} for a bulk import"))?;
    }
    Ok(indexes)
}

/// Builds again the indexes [`drop_card_indexes`] dropped.
pub fn rebuild(tx: &Transaction, indexes: &[(String, String)]) -> Result<()> {
    for (name, sql) in indexes {
        tx.execute_batch(sql)
            .with_context(|| format!("could not rebuild index {name} after a bulk import"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Db;

    fn schema(db: &Db) -> Vec<(String, String)> {
        let mut stmt = db
            .conn
            .prepare("SELECT name, coalesce(sql, '') FROM sqlite_schema ORDER BY name")
            .expect("prepare");
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .expect("query")
            .collect::<rusqlite::Result<_>>()
            .expect("rows")
    }

    #[test]
    fn only_large_imports_relative_to_the_collection_go_in_bulk() {
        assert!(!worth_it(MIN_CARDS - 1, 0));
        assert!(worth_it(MIN_CARDS, 0));
        assert!(worth_it(100_000, 100_000));
        assert!(!worth_it(50_000, 100_000));
    }

    #[test]
    fn an_armed_import_drops_the_indexes_only_after_adding_enough_cards() {
        let mut db = Db::open_in_memory().expect("db");
        let tx = db.conn.transaction().expect("tx");
        let mut off = Bulk::plan(MIN_CARDS, 0, true);
        off.added(&tx, ADDED_BEFORE_DROP).expect("added");
        assert!(!off.is_on(), "a dry run never goes in bulk");
        let mut bulk = Bulk::plan(MIN_CARDS, 0, false);
        bulk.added(&tx, ADDED_BEFORE_DROP - 1).expect("added");
        assert!(
            !bulk.is_on(),
            "a re-import adding nothing keeps its indexes"
        );
        bulk.added(&tx, ADDED_BEFORE_DROP).expect("added");
        assert!(bulk.is_on());
        bulk.rebuild(&tx).expect("rebuild");
        assert!(!bulk.is_on());
        let count: i64 = tx
            .query_row(
                "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'cards'",
                [],
                |r| r.get(0),
            )
            .expect("count");
        assert_eq!(count, 5);
    }

    #[test]
    fn dropped_indexes_come_back_exactly_and_a_rollback_restores_them() {
        let mut db = Db::open_in_memory().expect("db");
        let before = schema(&db);
        {
            let tx = db.conn.transaction().expect("tx");
            let dropped = drop_card_indexes(&tx).expect("drop");
            let names: Vec<&str> = dropped.iter().map(|(n, _)| n.as_str()).collect();
            assert!(names.contains(&"cards_queue"), "{names:?}");
            assert!(names.contains(&"cards_leeches"), "{names:?}");
            let left: i64 = tx
                .query_row(
                    "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'cards'",
                    [],
                    |r| r.get(0),
                )
                .expect("count");
            assert_eq!(left, 1, "only the key's own UNIQUE index stays");
            rebuild(&tx, &dropped).expect("rebuild");
            tx.commit().expect("commit");
        }
        assert_eq!(schema(&db), before);
        {
            let tx = db.conn.transaction().expect("tx");
            drop_card_indexes(&tx).expect("drop");
            tx.rollback().expect("rollback");
        }
        assert_eq!(schema(&db), before);
    }
}
