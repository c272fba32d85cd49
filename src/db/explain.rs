//! Storage failures in the learner's terms. SQLite says "database or disk is full" or
//! "database disk image is malformed" without saying which file nor what to do; every command
//! reports its error through [`explain`], which finds the SQLite failure in the error's cause
//! chain and adds the database file and the fix, keeping SQLite's own words. One place, so no
//! call site can forget it (design.md rule 8).

use super::backup;
use rusqlite::ffi::ErrorCode;
use std::path::Path;

/// The kinds of storage failure a learner can act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// The disk (or quota) is full.
    Full,
    /// The file is damaged or is not an SQLite database.
    Damaged,
    /// The file, its folder or the file system cannot be written.
    ReadOnly,
    /// The file cannot be opened at all (missing folder, no permission, not a file).
    CannotOpen,
    /// The operating system reported an I/O error.
    Io,
    /// Another process holds the database longer than the busy timeout.
    Busy,
}

/// The SQLite failure in `err`'s cause chain, if it is one the learner can act on.
pub fn failure(err: &anyhow::Error) -> Option<Failure> {
    err.chain().find_map(|cause| {
        let code = if let Some(rusqlite::Error::SqliteFailure(e, _)) =
            cause.downcast_ref::<rusqlite::Error>()
        {
            e.code
        } else {
            cause.downcast_ref::<rusqlite::ffi::Error>()?.code
        };
        classify(code)
    })
}

fn classify(code: ErrorCode) -> Option<Failure> {
    Some(match code {
        ErrorCode::DiskFull => Failure::Full,
        ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase => Failure::Damaged,
        ErrorCode::ReadOnly | ErrorCode::PermissionDenied => Failure::ReadOnly,
        ErrorCode::CannotOpen => Failure::CannotOpen,
        ErrorCode::SystemIoFailure | ErrorCode::FileLockingProtocolFailed => Failure::Io,
        ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => Failure::Busy,
        _ => return None,
    })
}

/// What to tell the learner about `failure` of the database at `db_path`.
pub fn advice(failure: Failure, db_path: &Path) -> String {
    let db = db_path.display();
    let backups = backup::folder(db_path);
    let backups = backups.display();
    match failure {
        Failure::Full => format!(
            "the disk holding {db} is full; free some space on it and run the command again \
             (the change that failed was not saved; what was saved before is intact)"
        ),
        Failure::Damaged => format!(
            "{db} is damaged; run `alt-prep check`, then restore a backup with \
             `alt-prep restore FILE` (backups are in {backups}; list them with \
             `alt-prep backup --list`)"
        ),
        Failure::ReadOnly => format!(
            "{db} cannot be written; check the permissions of the file and of its folder (SQLite \
             writes {db}-wal and {db}-shm beside it), or pass another --db"
        ),
        Failure::CannotOpen => format!(
            "could not open {db}; check that its folder exists, that it is a file, and the \
             permissions of the file and of its folder, or pass another --db"
        ),
        Failure::Io => format!(
            "the disk holding {db} failed to read or write (is it full, removed or failing?); \
             free some space or check the disk, then run the command again; `alt-prep check` \
             tells whether the database is intact (backups are in {backups})"
        ),
        Failure::Busy => format!(
            "{db} is in use by another program (another alt-prep?); close it and run the \
             command again"
        ),
    }
}

/// Adds the database file and the fix to an error caused by a storage failure; leaves other
/// errors as they are. The original messages stay, first, and the cause chain is kept.
pub fn explain(err: anyhow::Error, db_path: &Path) -> anyhow::Error {
    let Some(failure) = failure(&err) else {
        return err;
    };
    let said = crate::error_chain(&err);
    let advice = advice(failure, db_path);
    // `error_chain` prints a cause only when no earlier part already contains it, so this
    // one context, holding the whole chain, is printed alone.
    err.context(format!("{said} — {advice}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;

    /// An error as rusqlite returns it from a statement: the code and SQLite's message.
    fn sqlite(code: i32) -> rusqlite::Error {
        let message = rusqlite::ffi::code_to_str(code).to_lowercase();
        rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(code), Some(message))
    }

    #[test]
    fn a_full_disk_names_the_file_and_keeps_the_message() {
        let err = Err::<(), _>(sqlite(rusqlite::ffi::SQLITE_FULL))
            .context("could not commit the import")
            .unwrap_err();
        let err = explain(err, Path::new("/data/db.sqlite3"));
        let text = crate::error_chain(&err);
        assert!(
            text.starts_with("could not commit the import: database or disk is full — "),
            "{text}"
        );
        assert!(text.contains("/data/db.sqlite3 is full"), "{text}");
        assert!(text.contains("free some space"), "{text}");
        assert_eq!(text.matches("could not commit").count(), 1, "{text}");
        assert_eq!(failure(&err), Some(Failure::Full));
    }

    #[test]
    fn damage_suggests_restore_and_the_backups_folder() {
        let err = anyhow::Error::new(sqlite(rusqlite::ffi::SQLITE_CORRUPT));
        let text = crate::error_chain(&explain(err, Path::new("/d/x.sqlite3")));
        assert!(text.contains("/d/x.sqlite3 is damaged"), "{text}");
        assert!(text.contains("alt-prep restore FILE"), "{text}");
        assert!(text.contains("/d/backups"), "{text}");
    }

    #[test]
    fn other_errors_are_left_alone() {
        let err = explain(
            anyhow::anyhow!("no deck named `x`"),
            Path::new("/d/x.sqlite3"),
        );
        assert_eq!(crate::error_chain(&err), "no deck named `x`");
        let err = explain(
            anyhow::Error::new(sqlite(rusqlite::ffi::SQLITE_CONSTRAINT)),
            Path::new("/d/x.sqlite3"),
        );
        assert!(!crate::error_chain(&err).contains("x.sqlite3"));
    }
}
