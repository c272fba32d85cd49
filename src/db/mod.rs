//! Storage: one SQLite file. Opening sets the per-connection PRAGMAs (WAL, foreign keys, busy
//! timeout) and applies migrations; every SQL conversion lives in this module's files.

pub mod answers;
pub mod backup;
pub mod bulk;
pub mod cards;
pub mod decks;
pub mod edit;
pub mod explain;
pub mod filter;
pub mod import;
pub mod journal;
pub mod migrate;
pub mod reviews;
pub mod settings;
pub mod stats;
pub mod writeback;

use anyhow::{Context, Result, bail};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};

/// An open database. Methods are split by table family across this module's files.
pub struct Db {
    pub conn: Connection,
    pub path: PathBuf,
}

impl Db {
    /// Opens (creating the file if needed, never its folder) the database at `path` and brings
    /// its schema up to date, backing it up first if a migration is due. Refuses a missing
    /// folder, and files that are not alt-prep databases, are read-only, or come from a newer
    /// alt-prep, without changing them.
    pub fn open(path: &Path, now: jiff::Timestamp) -> Result<Db> {
        let shown = path.display();
        // A mistyped `--db` must not leave folders behind: the folder has to exist already
        // (the default data folder is made by `Ctx`).
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            match std::fs::metadata(dir) {
                Ok(meta) if !meta.is_dir() => bail!(
                    "{} is not a folder, so the database {shown} cannot be there; pass another --db — nothing was created",
                    dir.display()
                ),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => bail!(
                    "the folder {} for the database {shown} does not exist; create it (`mkdir -p {}`) or pass another --db — nothing was created",
                    dir.display(),
                    dir.display()
                ),
                Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => bail!(
                    "part of {} is a file, not a folder, so the database {shown} cannot be there; pass another --db — nothing was created",
                    dir.display()
                ),
                _ => {}
            }
        }
        if let Ok(meta) = std::fs::metadata(path) {
            if meta.is_dir() {
                bail!(
                    "{shown} is a directory, not a database file; pass a file path with --db (for example {}) — nothing was changed",
                    path.join("alt-prep.sqlite3").display()
                );
            }
            if meta.len() == 0 {
                bail!(
                    "{shown} is empty, not an alt-prep database; nothing was changed. Restore a backup with `alt-prep restore FILE` (backups are in {}) or delete the file to start afresh",
                    backup::folder(path).display()
                );
            }
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_with_flags(path, flags)
            .with_context(|| format!("could not open the database {shown}"))?;
        if conn.is_readonly(rusqlite::MAIN_DB)? {
            bail!(
                "{shown} is read-only; alt-prep needs to write to it (check its permissions and its folder's, and that its disk is not mounted read-only) — nothing was changed"
            );
        }
        // Read what the file is before changing anything (switching to WAL rewrites the
        // header): a newer alt-prep's database or another program's is refused untouched.
        conn.busy_timeout(BUSY_TIMEOUT)?;
        let version = migrate::version(&conn).map_err(|e| not_a_database(path, e))?;
        if version > migrate::LATEST {
            bail!(
                "{shown} has schema version {version}, newer than this alt-prep understands ({}); upgrade alt-prep — nothing was changed",
                migrate::LATEST
            );
        }
        if version == 0 {
            let tables: i64 = conn
                .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
                .map_err(|e| not_a_database(path, e.into()))?;
            if tables > 0 {
                bail!(
                    "{shown} is an SQLite database, but not alt-prep's; nothing was changed. Pass another --db"
                );
            }
            // Set before the first table (WAL then fixes it for good). A new database's own
            // choice; older ones keep theirs, as changing it means rewriting the file.
            conn.pragma_update(None, "page_size", PAGE_SIZE)
                .map_err(|e| not_a_database(path, e.into()))?;
        }
        configure(&conn).map_err(|e| not_a_database(path, e))?;
        if version > 0 && version < migrate::LATEST {
            backup::create(&conn, path, now, "before-upgrade")
                .context("could not back up the database before upgrading it")?;
        }
        migrate::migrate(&mut conn)
            .with_context(|| format!("could not prepare the database {shown}"))?;
        Ok(Db {
            conn,
            path: path.to_path_buf(),
        })
    }

    /// A copy in memory of an older version's database, upgraded there: for a command that
    /// only looks (`import --dry-run`), which must not upgrade the file (nor back it up). A
    /// database that needs no upgrade is opened as usual.
    pub fn open_to_look(path: &Path, now: jiff::Timestamp) -> Result<Db> {
        let version = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(anyhow::Error::from)
        .and_then(|conn| migrate::version(&conn));
        match version {
            Ok(version) if version > 0 && version < migrate::LATEST => {}
            // Current, newer, empty or not a database: the usual open says what it is.
            _ => return Db::open(path, now),
        }
        let source = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        let mut db = copy_to_memory(&source)?;
        migrate::migrate(&mut db.conn)?;
        Ok(db)
    }

    /// A copy of this database in memory, for a look that must change nothing on disk even
    /// where opening would (the built-in decks brought up to a newer alt-prep).
    pub fn in_memory_copy(&self) -> Result<Db> {
        copy_to_memory(&self.conn)
    }

    /// An in-memory database with the current schema, for unit tests.
    pub fn open_in_memory() -> Result<Db> {
        let mut conn = Connection::open_in_memory()?;
        configure(&conn)?;
        migrate::migrate(&mut conn)?;
        Ok(Db {
            conn,
            path: PathBuf::from(":memory:"),
        })
    }
}

/// Explains an SQLite error on open in the learner's terms. A file that is not a database or
/// is damaged gets the restore advice; a full or failing disk, a read-only folder or a busy
/// file gets its own fix instead (the file itself is fine, so restoring would not help).
fn not_a_database(path: &Path, err: anyhow::Error) -> anyhow::Error {
    use explain::Failure;
    let text = crate::error_chain(&err);
    let shown = path.display();
    if let Some(
        failure @ (Failure::Full
        | Failure::Io
        | Failure::ReadOnly
        | Failure::CannotOpen
        | Failure::Busy),
    ) = explain::failure(&err)
    {
        return anyhow::anyhow!(
            "could not open the database {shown} ({text}); nothing was changed — {}",
            explain::advice(failure, path)
        );
    }
    let hint = if text.contains("not a database") {
        "it is not an SQLite database (or is encrypted)"
    } else if text.contains("malformed") || text.contains("corrupt") {
        "it is damaged"
    } else if text.contains("readonly")
        || text.contains("read-only")
        || text.contains("unable to open")
    {
        "it cannot be written (check the file and folder permissions)"
    } else {
        "it could not be read"
    };
    anyhow::anyhow!(
        "{shown} is not a usable alt-prep database: {hint} ({text}); nothing was changed. Restore a backup with `alt-prep restore FILE` (backups are in {}; `alt-prep backup --list` lists them) or pass another --db",
        backup::folder(path).display()
    )
}

/// The page size of a new database: 16 KiB rather than SQLite's 4 KiB. A card row with its
/// text is ~300 bytes, so a page holds four times as many; a 100,000-card import writes a
/// quarter of the WAL frames and splits a quarter as many pages (SQLite floor 0.31 → 0.26 s,
/// `benches/insert-floor wal-page16384`; the import ~14 % faster), while an answer still
/// touches the same number of pages.
const PAGE_SIZE: i64 = 16_384;

/// Per-connection settings (never inside a migration). WAL lets a second process read while a
/// review writes; the busy timeout makes two writers wait for each other instead of failing
/// with "database is locked". `synchronous = NORMAL` is SQLite's recommended setting for WAL:
/// every committed answer survives the process being killed, and the file can never be
/// corrupted; only a power cut or OS crash can roll back the last moments of answers. FULL
/// would add an fsync per answer (about 7 ms on this machine's disk, measured), more than the
/// whole 2 ms answer budget.
fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    let mode = wal_mode(conn)?;
    if !mode.eq_ignore_ascii_case("wal") && !mode.eq_ignore_ascii_case("memory") {
        anyhow::bail!("could not switch to WAL journal mode (got {mode})");
    }
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    Ok(())
}

/// How long a command waits for another one holding the database (an import, a review's
/// answer) before it gives up with "database is locked".
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// `PRAGMA journal_mode = WAL`, waiting while another alt-prep holds the file.
///
/// The file is out of WAL only while a large import writes it through a rollback journal
/// (`journal::RollbackJournal`); switching back needs the write lock that import holds, and
/// SQLite refuses at once rather than waiting (its read of the file has begun, and waiting
/// could deadlock two writers), so the busy timeout does not apply: wait here instead, until
/// the import is committed and the file is back in WAL, or the timeout has passed.
fn wal_mode(conn: &Connection) -> Result<String> {
    let started = std::time::Instant::now();
    loop {
        match conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0)) {
            Err(e)
                if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy)
                    && started.elapsed() < BUSY_TIMEOUT =>
            {
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
            other => return Ok(other?),
        }
    }
}

/// SQLite's online backup of `source` into a new in-memory database.
fn copy_to_memory(source: &Connection) -> Result<Db> {
    let mut conn = Connection::open_in_memory()?;
    {
        let backup = rusqlite::backup::Backup::new(source, &mut conn)?;
        backup.run_to_completion(1024, std::time::Duration::ZERO, None)?;
    }
    configure(&conn)?;
    Ok(Db {
        conn,
        path: PathBuf::from(":memory:"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page_size(db: &Db) -> i64 {
        db.conn
            .query_row("PRAGMA page_size", [], |r| r.get(0))
            .unwrap_or_default()
    }

    /// A new file gets 16 KiB pages; a file an older alt-prep made keeps its own.
    #[test]
    fn new_databases_get_the_larger_page_size_and_old_ones_keep_theirs() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let now = jiff::Timestamp::UNIX_EPOCH;
        let new = dir.path().join("new.sqlite3");
        assert_eq!(page_size(&Db::open(&new, now)?), PAGE_SIZE);
        assert_eq!(page_size(&Db::open(&new, now)?), PAGE_SIZE);

        let old = dir.path().join("old.sqlite3");
        {
            let mut conn = Connection::open(&old)?;
            conn.pragma_update(None, "page_size", 4096)?;
            migrate::migrate(&mut conn)?;
        }
        assert_eq!(page_size(&Db::open(&old, now)?), 4096);
        Ok(())
    }
}
