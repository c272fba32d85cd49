//! Backups, as Anki keeps them: a copy before every schema migration and once a day on first
//! use, in a `backups/` folder beside the database, keeping the newest ten. Copies are made
//! with SQLite's online backup API, so they are consistent even while another process writes.

use super::Db;
use anyhow::{Context, Result, bail};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How many backups to keep.
pub const KEEP: usize = 10;

/// The backups folder for a database file.
pub fn folder(db_path: &Path) -> PathBuf {
    db_path
        .parent()
        .map(|p| p.join("backups"))
        .unwrap_or_else(|| PathBuf::from("backups"))
}

/// Backups of this database, oldest first. Names sort by time: `<stem>-YYYYmmdd-HHMMSS[-why].sqlite3`.
pub fn list(db_path: &Path) -> Result<Vec<PathBuf>> {
    let dir = folder(db_path);
    if !dir.exists() {
        return Ok(Vec::new());
    }
    let stem = stem(db_path);
    let mut found: Vec<PathBuf> = std::fs::read_dir(&dir)
        .with_context(|| format!("could not list {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(&format!("{stem}-")) && n.ends_with(".sqlite3"))
        })
        .collect();
    found.sort();
    Ok(found)
}

fn stem(db_path: &Path) -> String {
    db_path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("alt-prep")
        .to_owned()
}

/// Copies the open database to a new backup file named for `now`, then prunes old ones.
pub fn create(
    conn: &Connection,
    db_path: &Path,
    now: jiff::Timestamp,
    why: &str,
) -> Result<PathBuf> {
    let dir = folder(db_path);
    std::fs::create_dir_all(&dir)
        .with_context(|| format!("could not create the backup folder {}", dir.display()))?;
    let stamp = now.strftime("%Y%m%d-%H%M%S");
    let mut target = dir.join(format!("{}-{stamp}-{why}.sqlite3", stem(db_path)));
    let mut n = 1;
    while target.exists() {
        n += 1;
        target = dir.join(format!("{}-{stamp}-{why}-{n}.sqlite3", stem(db_path)));
    }
    let mut dst = Connection::open(&target)
        .with_context(|| format!("could not create the backup {}", target.display()))?;
    let copied = rusqlite::backup::Backup::new(conn, &mut dst)
        .and_then(|backup| backup.run_to_completion(256, Duration::from_millis(5), None));
    drop(dst);
    if let Err(e) = copied {
        // A half-written copy must not count as a backup (nor push out a good one).
        let _ = std::fs::remove_file(&target);
        return Err(anyhow::Error::new(e)
            .context(format!("could not write the backup {}", target.display())));
    }
    prune(db_path)?;
    Ok(target)
}

fn prune(db_path: &Path) -> Result<()> {
    let all = list(db_path)?;
    if all.len() > KEEP {
        for old in &all[..all.len() - KEEP] {
            let _ = std::fs::remove_file(old);
        }
    }
    Ok(())
}

/// The study day the newest backup was made, from its name (`YYYYmmdd`).
fn newest_date(db_path: &Path) -> Result<Option<String>> {
    let prefix = format!("{}-", stem(db_path));
    Ok(list(db_path)?.last().and_then(|p| {
        p.file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_prefix(&prefix))
            .map(|rest| rest.chars().take(8).collect())
    }))
}

/// Opens a backup read-only and checks it is a healthy alt-prep database this version reads.
pub fn check_restorable(source: &Path) -> Result<Connection> {
    let src = Connection::open_with_flags(source, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .with_context(|| format!("could not open {}", source.display()))?;
    let check: String = src
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .with_context(|| format!("{} is not an SQLite database", source.display()))?;
    if check != "ok" {
        bail!(
            "{} is damaged ({check}); choose another backup",
            source.display()
        );
    }
    let version = super::migrate::version(&src)?;
    if version == 0 || version > super::migrate::LATEST {
        bail!(
            "{} is not an alt-prep database this version can restore (schema {version})",
            source.display()
        );
    }
    Ok(src)
}

impl Db {
    /// Makes today's backup unless one was already made today (UTC date of `now`).
    pub fn daily_backup(&self, now: jiff::Timestamp) -> Result<Option<PathBuf>> {
        if self.path.as_os_str() == ":memory:" {
            return Ok(None);
        }
        let today = now.strftime("%Y%m%d").to_string();
        if newest_date(&self.path)?.as_deref() >= Some(today.as_str()) {
            return Ok(None);
        }
        // A damaged database must not rotate healthy backups out.
        let health: String = self
            .conn
            .query_row("PRAGMA quick_check", [], |r| r.get(0))
            .unwrap_or_else(|e| e.to_string());
        if health != "ok" {
            bail!(
                "{} looks damaged ({health}), so today's backup was not made; run `alt-prep check`",
                self.path.display()
            );
        }
        // An empty new database has nothing worth keeping.
        let reviews: i64 = self
            .conn
            .query_row("SELECT count(*) FROM reviews", [], |r| r.get(0))?;
        if reviews == 0 {
            return Ok(None);
        }
        create(&self.conn, &self.path, now, "daily").map(Some)
    }

    /// Replaces this database's content with a backup's, after checking the backup is a
    /// healthy alt-prep database this version can read. The current content is backed up first.
    pub fn restore_from(&mut self, source: &Path, now: jiff::Timestamp) -> Result<PathBuf> {
        let src = check_restorable(source)?;
        let saved = create(&self.conn, &self.path, now, "before-restore")?;
        {
            let backup = rusqlite::backup::Backup::new(&src, &mut self.conn)?;
            backup
                .run_to_completion(256, Duration::from_millis(5), None)
                .context("could not restore")?;
        }
        super::migrate::migrate(&mut self.conn)?;
        Ok(saved)
    }

    /// `PRAGMA integrity_check` and `foreign_key_check`, plus alt-prep's own invariants.
    pub fn check(&self) -> Result<Vec<String>> {
        let mut problems = Vec::new();
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        for row in stmt.query_map([], |r| r.get::<_, String>(0))? {
            let row = row?;
            if row != "ok" {
                problems.push(format!("integrity: {row}"));
            }
        }
        let mut stmt = self.conn.prepare("PRAGMA foreign_key_check")?;
        for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
            let (table, rowid) = row?;
            problems.push(format!("{table} row {rowid} points at a missing row"));
        }
        let bad: i64 = self.conn.query_row(
            "SELECT count(*) FROM cards WHERE state != 0 AND (stability IS NULL OR stability <= 0
                 OR difficulty IS NULL OR difficulty < 1 OR difficulty > 10)",
            [],
            |r| r.get(0),
        )?;
        if bad > 0 {
            problems.push(format!("{bad} studied card(s) have no valid memory state"));
        }
        Ok(problems)
    }
}
