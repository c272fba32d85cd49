//! Storage: one SQLite file. Opening sets the per-connection PRAGMAs (WAL, foreign keys, busy
//! timeout) and applies migrations; every SQL conversion lives in this module's files.

pub mod cards;
pub mod decks;
pub mod filter;
pub mod import;
pub mod migrate;
pub mod reviews;
pub mod settings;

use anyhow::{Context, Result};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};

/// An open database. Methods are split by table family across this module's files.
pub struct Db {
    pub conn: Connection,
    pub path: PathBuf,
}

impl Db {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Db> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
            && !dir.exists()
        {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("could not create the directory {}", dir.display()))?;
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_with_flags(path, flags)
            .with_context(|| format!("could not open the database {}", path.display()))?;
        configure(&conn).with_context(|| {
            format!(
                "{} is not a usable alt-prep database (is it an SQLite file?)",
                path.display()
            )
        })?;
        migrate::migrate(&mut conn)
            .with_context(|| format!("could not prepare the database {}", path.display()))?;
        Ok(Db {
            conn,
            path: path.to_path_buf(),
        })
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

/// Per-connection settings (never inside a migration). WAL lets a second process read while a
/// review writes; the busy timeout makes two writers wait for each other instead of failing
/// with "database is locked"; FULL sync makes each committed answer survive a power cut.
fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") && !mode.eq_ignore_ascii_case("memory") {
        anyhow::bail!("could not switch to WAL journal mode (got {mode})");
    }
    conn.pragma_update(None, "synchronous", "FULL")?;
    Ok(())
}
