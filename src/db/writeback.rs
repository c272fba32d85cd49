//! Writing a large import's pages to disk while it runs, so that its commit waits for less.
//!
//! Through a rollback journal ([`super::journal`]) SQLite writes the import's pages into the
//! database file as its page cache fills, but the kernel keeps them in memory until the
//! commit's `fsync`, which then writes the whole import at once (~20 ms for the 37 MB of a
//! 100,000-card CSV import, the largest part of its commit). A helper thread asks the kernel
//! every few milliseconds to start writing what is there (`sync_file_range` with
//! `SYNC_FILE_RANGE_WRITE`: start writeback, wait for nothing), so the disk works while the
//! cards are still being inserted and the final `fsync` has only the last pages left.
//!
//! It changes nothing about safety: the pages are already in the file, and SQLite's own
//! syncs (the journal before any database page, the database at the commit) still happen.
//! Elsewhere than Linux this does nothing.
//!
//! One care: the helper has its own descriptor of the database file, and on Unix closing any
//! descriptor of a file releases every POSIX lock this process holds on it — SQLite's
//! included. So it is closed only when the connection holds none ([`Writeback::stop`] is told
//! whether that is so, and otherwise keeps the descriptor open until the process ends).

use std::path::Path;
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// How often the pages written so far are sent to disk.
const EVERY: Duration = Duration::from_millis(10);

/// The helper thread; [`Writeback::stop`] ends it.
pub struct Writeback {
    stop: Arc<(Mutex<bool>, Condvar)>,
    thread: Option<JoinHandle<std::fs::File>>,
}

impl Writeback {
    /// Starts writing back `path` (the database file) in the background, or `None` where
    /// that cannot be done (not Linux, or the file cannot be opened).
    pub fn start(path: &Path) -> Option<Writeback> {
        let file = open(path)?;
        let stop = Arc::new((Mutex::new(false), Condvar::new()));
        let flag = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name("writeback".into())
            .spawn(move || {
                let (lock, wake) = &*flag;
                // The lock is held only to wait, never while writing, so `stop` is not kept
                // waiting behind a write.
                loop {
                    let Ok(stopped) = lock.lock() else { break };
                    match wake.wait_timeout_while(stopped, EVERY, |stopped| !*stopped) {
                        Ok((stopped, timeout)) if !*stopped && timeout.timed_out() => {}
                        _ => break,
                    }
                    write_out(&file);
                }
                file
            })
            .ok()?;
        Some(Writeback {
            stop,
            thread: Some(thread),
        })
    }

    /// Stops the helper. `unlocked`: the connection holds no lock on the file now, so the
    /// helper's descriptor can be closed; otherwise it stays open until the process ends.
    pub fn stop(mut self, unlocked: bool) {
        if let Some(file) = self.halt()
            && !unlocked
        {
            std::mem::forget(file);
        }
    }

    /// Stops the helper and hands back its descriptor.
    fn halt(&mut self) -> Option<std::fs::File> {
        let (lock, wake) = &*self.stop;
        if let Ok(mut stopped) = lock.lock() {
            *stopped = true;
        }
        wake.notify_all();
        self.thread.take().and_then(|t| t.join().ok())
    }
}

impl Drop for Writeback {
    /// Without [`Writeback::stop`] (a panic unwinding): the descriptor is kept open, as
    /// nothing says the file is unlocked.
    fn drop(&mut self) {
        if let Some(file) = self.halt() {
            std::mem::forget(file);
        }
    }
}

#[cfg(target_os = "linux")]
fn open(path: &Path) -> Option<std::fs::File> {
    std::fs::File::open(path).ok()
}

#[cfg(not(target_os = "linux"))]
fn open(_path: &Path) -> Option<std::fs::File> {
    None
}

/// Writes the file's dirty pages to disk, on this helper thread: the import's own thread
/// carries on meanwhile. (`sync_file_range`, which only starts the writing, needs `unsafe`,
/// which this crate forbids; `fdatasync` waits for it here instead, which is the same to the
/// thread that matters.)
fn write_out(file: &std::fs::File) {
    let _ = file.sync_data();
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    /// This process's descriptors of `path` (other tests open files of their own meanwhile).
    fn descriptors_of(path: &Path) -> usize {
        std::fs::read_dir("/proc/self/fd")
            .expect("fds")
            .filter_map(|e| std::fs::read_link(e.ok()?.path()).ok())
            .filter(|target| target == path)
            .count()
    }

    fn file_with_pages(dir: &Path) -> std::path::PathBuf {
        let path = dir.canonicalize().expect("path").join("db");
        std::fs::write(&path, vec![7u8; 1 << 20]).expect("write");
        path
    }

    #[test]
    fn the_descriptor_is_closed_only_when_the_file_is_unlocked() {
        let dir = tempfile::tempdir().expect("dir");
        let path = file_with_pages(dir.path());

        let writeback = Writeback::start(&path).expect("started");
        std::thread::sleep(EVERY * 3);
        assert_eq!(descriptors_of(&path), 1);
        let started = std::time::Instant::now();
        writeback.stop(true);
        assert!(started.elapsed() < Duration::from_secs(2), "stop waited");
        assert_eq!(descriptors_of(&path), 0, "closed once unlocked");

        let writeback = Writeback::start(&path).expect("started");
        writeback.stop(false);
        assert_eq!(descriptors_of(&path), 1, "kept while locked");
    }

    #[test]
    fn a_missing_file_starts_nothing() {
        let dir = tempfile::tempdir().expect("dir");
        assert!(Writeback::start(&dir.path().join("none")).is_none());
    }
}
