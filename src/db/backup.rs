//! Backups, as Anki keeps them: a copy before every schema migration and once a day on first
//! use, in a `backups/` folder beside the database, keeping the newest ten. Copies are made
//! with SQLite's online backup API, so they are consistent even while another process writes.

use super::Db;
use anyhow::{Context, Result, anyhow, bail};
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
    // All pages in one step, no pauses: alt-prep is the only writer at this point, and
    // 256-page steps with 5 ms sleeps made the copy of a 140 MB collection take over 1.3 s
    // (about 0.7 s this way; the health check before it takes most of the rest).
    let copied = rusqlite::backup::Backup::new(conn, &mut dst)
        .and_then(|backup| backup.run_to_completion(i32::MAX, Duration::ZERO, None));
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
/// Its failures are about the backup, not the learner's database, so they are told as text
/// here: `explain` must not take a damaged backup for a damaged database.
pub fn check_restorable(source: &Path) -> Result<Connection> {
    let shown = source.display();
    let choose = "choose another backup (`alt-prep backup --list` lists them)";
    let src = Connection::open_with_flags(source, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| anyhow!("could not open {shown} ({e}); {choose}"))?;
    let check: String = src
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| anyhow!("{shown} is not a healthy SQLite database ({e}); {choose}"))?;
    if check != "ok" {
        bail!("{shown} is damaged ({check}); {choose}");
    }
    let version = super::migrate::version(&src)
        .map_err(|e| anyhow!("could not read {shown} ({e:#}); {choose}"))?;
    if version == 0 || version > super::migrate::LATEST {
        bail!(
            "{shown} is not an alt-prep database this version can restore (schema {version}); {choose}"
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
        // A database with no reviews yet has nothing a backup would keep that its deck files
        // do not (checked first: the health check below reads the whole file).
        let reviewed: bool =
            self.conn
                .query_row("SELECT EXISTS (SELECT 1 FROM reviews)", [], |r| r.get(0))?;
        if !reviewed {
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

    /// `PRAGMA integrity_check` and `foreign_key_check`, plus alt-prep's own invariants. A
    /// damaged file often makes the checks themselves fail ("database disk image is
    /// malformed"): that is a finding, reported as damage, not an error of the command.
    pub fn check(&self) -> Result<Check> {
        let mut check = Check::default();
        let steps: [fn(&Connection, &mut Check) -> rusqlite::Result<()>; 3] =
            [integrity, foreign_keys, memory_states];
        for step in steps {
            if let Err(e) = step(&self.conn, &mut check) {
                let e = anyhow::Error::new(e);
                if super::explain::failure(&e) != Some(super::explain::Failure::Damaged) {
                    return Err(e.context("could not check the database"));
                }
                check.damaged = true;
                check.problems.push(format!("damaged: {e}"));
                break;
            }
        }
        Ok(check)
    }
}

/// What `alt-prep check` found.
#[derive(Debug, Default)]
pub struct Check {
    /// One line per problem, in the checks' words.
    pub problems: Vec<String>,
    /// The file itself is damaged (SQLite's integrity check failed or could not run).
    pub damaged: bool,
}

fn integrity(conn: &Connection, check: &mut Check) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare("PRAGMA integrity_check")?;
    for row in stmt.query_map([], |r| r.get::<_, String>(0))? {
        let row = row?;
        if row != "ok" {
            check.damaged = true;
            // One row can hold many findings, one a line, under a `*** in database main ***`.
            for line in row
                .lines()
                .filter(|l| !l.starts_with("*** ") && !l.is_empty())
            {
                check.problems.push(format!("integrity: {line}"));
            }
        }
    }
    Ok(())
}

fn foreign_keys(conn: &Connection, check: &mut Check) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
    for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
        let (table, rowid) = row?;
        check
            .problems
            .push(format!("{table} row {rowid} points at a missing row"));
    }
    Ok(())
}

fn memory_states(conn: &Connection, check: &mut Check) -> rusqlite::Result<()> {
    let bad: i64 = conn.query_row(
        "SELECT count(*) FROM cards WHERE state != 0 AND (stability IS NULL OR stability <= 0
             OR difficulty IS NULL OR difficulty < 1 OR difficulty > 10)",
        [],
        |r| r.get(0),
    )?;
    if bad > 0 {
        check
            .problems
            .push(format!("{bad} studied card(s) have no valid memory state"));
    }
    Ok(())
}
