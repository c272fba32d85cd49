//! The journal a large import writes through.
//!
//! alt-prep keeps its database in WAL mode (see `configure`): a review writes a few pages per
//! answer, and another process can read meanwhile. One very large transaction is WAL's worst
//! case: every page is written twice — into the WAL, then again into the database by the
//! checkpoint that follows the commit — and the WAL file, as large as the import, is then
//! deleted. SQLite's own advice ("WAL does not work well for very large transactions … for
//! transactions larger than about 100 megabytes, traditional rollback journal modes will likely
//! be faster", <https://sqlite.org/wal.html>) holds well below 100 MB here: a 100,000-card CSV
//! import writes 37 MB, and its commit and close took 80–110 ms in WAL against ~20 ms with a
//! rollback journal (`benches/insert-floor wal` against `delete-full`, four interleaved runs).
//!
//! A rollback journal copies out only the pages the import changes that held data before
//! (pages added at the end of the file need no copy), so the cards are written once. It is as
//! safe: with `synchronous = FULL` the journal is on disk before the database is touched, and a
//! crash part-way leaves a hot journal that SQLite rolls back on the next open (which switches
//! the file back to WAL as every open does).

use rusqlite::Connection;

/// Input this large (bytes, all files of one import together) is written through a rollback
/// journal. The switch has its own syncs (a rollback-journal commit, and the switch back to
/// WAL, each sync the journal and the database): measured against WAL, 15 interleaved runs
/// each, a 1,000-card CSV (0.2 MB) took 16.6 ms against 16.0, a 10,000-card one (2.3 MB)
/// 62 ms against 69.
pub const LARGE_IMPORT_BYTES: u64 = 1 << 20;

/// The connection switched to a rollback journal for one large transaction; dropping it puts
/// WAL and `synchronous = NORMAL` back. Start the transaction after [`RollbackJournal::take`]
/// and end it (commit or roll back) before the value is dropped: SQLite changes journal modes
/// only outside a transaction.
pub struct RollbackJournal<'c> {
    conn: &'c Connection,
    /// The pages written to disk as the import goes (`None` in memory or off Linux).
    writeback: Option<super::writeback::Writeback>,
}

impl<'c> RollbackJournal<'c> {
    /// Switches `conn` from WAL to a rollback journal, or leaves it as it is (`None`) when the
    /// switch cannot be made: another connection has the file open (leaving WAL needs the file
    /// to itself, and SQLite says so at once rather than waiting), or the database is not in
    /// WAL mode at all (an in-memory one).
    pub fn take(conn: &'c Connection) -> Option<RollbackJournal<'c>> {
        let mode: String = conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .ok()?;
        if !mode.eq_ignore_ascii_case("wal") {
            return None;
        }
        let switched: String = conn
            .query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))
            .ok()?;
        let mut journal = RollbackJournal {
            conn,
            writeback: None,
        };
        if !switched.eq_ignore_ascii_case("delete") {
            // Dropping `journal` puts WAL back, whatever SQLite did instead.
            return None;
        }
        // NORMAL is safe with WAL; with a rollback journal only FULL is (a power cut between
        // the journal's write and the database's could otherwise corrupt the file).
        if conn.pragma_update(None, "synchronous", "FULL").is_err() {
            return None;
        }
        journal.writeback = conn
            .path()
            .filter(|p| !p.is_empty())
            .and_then(|p| super::writeback::Writeback::start(std::path::Path::new(p)));
        Some(journal)
    }
}

impl Drop for RollbackJournal<'_> {
    fn drop(&mut self) {
        // The writeback's own descriptor of the file is closed here, while no transaction
        // holds a lock: closing any descriptor of a file drops all of this process's POSIX
        // locks on it (see `writeback`). Should a transaction still be open, it is kept.
        if let Some(writeback) = self.writeback.take() {
            writeback.stop(self.conn.is_autocommit());
        }
        // Best effort: if another process holds the file now, the next open switches it back.
        let _ = self
            .conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0));
        let _ = self.conn.pragma_update(None, "synchronous", "NORMAL");
    }
}

/// Whether an import of `bytes` of input is large enough for [`RollbackJournal`].
pub fn is_large_import(bytes: u64) -> bool {
    bytes >= LARGE_IMPORT_BYTES
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wal_db(dir: &std::path::Path) -> Connection {
        let conn = Connection::open(dir.join("j.sqlite3")).expect("open");
        conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0))
            .expect("wal");
        conn.execute_batch("PRAGMA synchronous = NORMAL; CREATE TABLE t (x)")
            .expect("table");
        conn
    }

    fn mode(conn: &Connection) -> String {
        conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .expect("mode")
    }

    fn synchronous(conn: &Connection) -> i64 {
        conn.query_row("PRAGMA synchronous", [], |r| r.get(0))
            .expect("synchronous")
    }

    #[test]
    fn a_lone_connection_writes_through_a_rollback_journal_then_goes_back_to_wal() {
        let dir = tempfile::tempdir().expect("tempdir");
        let conn = wal_db(dir.path());
        {
            let journal = RollbackJournal::take(&conn);
            assert!(journal.is_some());
            assert_eq!(
                journal.as_ref().is_some_and(|j| j.writeback.is_some()),
                cfg!(target_os = "linux"),
                "pages written out as the import goes"
            );
            assert_eq!(mode(&conn), "delete");
            assert_eq!(
                synchronous(&conn),
                2,
                "FULL while the journal is a rollback one"
            );
            conn.execute("INSERT INTO t VALUES (1)", [])
                .expect("insert");
        }
        assert_eq!(mode(&conn), "wal");
        assert_eq!(synchronous(&conn), 1, "NORMAL again");
        let rows: i64 = conn
            .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .expect("count");
        assert_eq!(rows, 1);
    }

    #[test]
    fn another_open_connection_keeps_the_file_in_wal() {
        let dir = tempfile::tempdir().expect("tempdir");
        let conn = wal_db(dir.path());
        let other = Connection::open(dir.path().join("j.sqlite3")).expect("second");
        let _: i64 = other
            .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .expect("read");
        let started = std::time::Instant::now();
        assert!(RollbackJournal::take(&conn).is_none());
        assert!(
            started.elapsed() < std::time::Duration::from_secs(1),
            "refused at once, not after a wait"
        );
        assert_eq!(mode(&conn), "wal");
        assert_eq!(synchronous(&conn), 1);
        conn.execute("INSERT INTO t VALUES (1)", [])
            .expect("still writable");
    }

    #[test]
    fn an_in_memory_database_is_left_alone() {
        let conn = Connection::open_in_memory().expect("memory");
        assert!(RollbackJournal::take(&conn).is_none());
        assert_eq!(mode(&conn), "memory");
    }

    #[test]
    fn only_large_imports_switch() {
        assert!(!is_large_import(0));
        assert!(!is_large_import(LARGE_IMPORT_BYTES - 1));
        assert!(is_large_import(LARGE_IMPORT_BYTES));
    }
}
