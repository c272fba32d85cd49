//! Numbered, append-only migrations tracked in `PRAGMA user_version` (design.md rule 4, after
//! rusqlite_migration): all pending ones run in one transaction, so a crash mid-upgrade leaves
//! the old schema intact.

use anyhow::{Context, Result, bail};
use rusqlite::Connection;

/// Every migration ever shipped, in order. Index + 1 is the schema version it produces.
pub const MIGRATIONS: &[&str] = &[
    include_str!("migrations/001_initial.sql"),
    include_str!("migrations/002_review_totals.sql"),
    include_str!("migrations/003_fewer_card_indexes.sql"),
    include_str!("migrations/004_new_cards_out_of_due_indexes.sql"),
    include_str!("migrations/005_global_card_keys.sql"),
    include_str!("migrations/006_anki_suspended.sql"),
    include_str!("migrations/007_anki_modified.sql"),
    include_str!("migrations/008_no_leech_index.sql"),
];

/// The schema version this binary writes.
pub const LATEST: i64 = MIGRATIONS.len() as i64;

pub fn version(conn: &Connection) -> Result<i64> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
        .context("could not read the schema version")
}

/// Brings the schema up to [`LATEST`]. Refuses a database from a newer alt-prep rather than
/// guessing at its schema.
pub fn migrate(conn: &mut Connection) -> Result<Migrated> {
    let from = version(conn)?;
    if from > LATEST {
        bail!(
            "this database has schema version {from}, newer than this alt-prep understands ({LATEST}); upgrade alt-prep"
        );
    }
    if from == LATEST {
        return Ok(Migrated { from, to: from });
    }
    let tx = conn
        .transaction()
        .context("could not start the migration")?;
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(from as usize) {
        tx.execute_batch(sql)
            .with_context(|| format!("migration {} failed", i + 1))?;
    }
    tx.pragma_update(None, "user_version", LATEST)
        .context("could not record the schema version")?;
    tx.commit().context("could not commit the migration")?;
    Ok(Migrated { from, to: LATEST })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Migrated {
    pub from: i64,
    pub to: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_apply_to_an_empty_database_and_are_idempotent() {
        let mut conn = Connection::open_in_memory().expect("open");
        let first = migrate(&mut conn).expect("migrate");
        assert_eq!(
            first,
            Migrated {
                from: 0,
                to: LATEST
            }
        );
        let again = migrate(&mut conn).expect("again");
        assert_eq!(
            again,
            Migrated {
                from: LATEST,
                to: LATEST
            }
        );
        let strict: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND sql LIKE '%STRICT'",
                [],
                |r| r.get(0),
            )
            .expect("count");
        assert_eq!(strict, 7, "every table is STRICT");
    }

    #[test]
    fn a_newer_schema_is_refused() {
        let mut conn = Connection::open_in_memory().expect("open");
        conn.pragma_update(None, "user_version", LATEST + 1)
            .expect("set");
        let err = migrate(&mut conn).expect_err("newer");
        assert!(err.to_string().contains("newer"), "{err}");
    }
}
