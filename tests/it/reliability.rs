//! Reliability and security: nothing lost, nothing crashes, no file can hurt the learner.
//!
//! - Crash safety: `import`, `review` and a schema upgrade are killed with SIGKILL at random
//!   moments (`ALT_PREP_KILLS`, default 100, raises the count for a longer run); afterwards the
//!   database passes `PRAGMA integrity_check`, every acknowledged answer is in the log and
//!   every import is complete or absent. Two processes at once never fail with "database is
//!   locked" nor lose an answer.
//! - Bad databases and file systems: not SQLite, empty, truncated, damaged, newer, read-only,
//!   missing folder, a folder or a file in the way, full disk. Each is refused with exit 1, no
//!   panic, the file unchanged byte for byte, and a message naming the file and the fix (also
//!   for SQLite's own failures mid-command: "database or disk is full", "malformed").
//! - Backups: daily, before an upgrade, keep ten, `backup [--list]`, `restore [--yes]`.
//! - Hostile content: control characters never reach the terminal; `.apkg` path traversal,
//!   decompression bombs and computed collections; long fields, invalid UTF-8, NUL bytes,
//!   a million lines; SQL metacharacters stored and shown verbatim; and one sweep of hostile
//!   files in every format held to the same invariants (exit 0 or 1, nothing raw on the
//!   terminal, a failed import changes nothing).
//! - Upgrades: a database made by schema version 1 (tests/fixtures/db/v1.sqlite3, made by the
//!   binary at commit fcaf41a; see tests/fixtures/db/README.md) opens with every card and review.
//!
//! Tests that document a bug still open outside the parsers are `#[ignore]`d with the reason;
//! `cargo test -- --ignored reliability` runs them.

use crate::harness::*;
use crate::month::XorShift;
use std::io::{Read, Write};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

const T0: &str = "2026-04-01T09:00:00Z";
/// Longest any single process in these tests may run before it is killed and the test fails.
const WATCHDOG: Duration = Duration::from_secs(60);

// ---------------------------------------------------------------------------- helpers

fn bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("alt-prep")
}

/// A `std` command for the binary with the harness's clean environment.
fn command(env: &Env, now: &str, db: &Path) -> Command {
    let mut cmd = Command::new(bin());
    cmd.env_clear()
        .env("HOME", env.dir.path())
        .env("TZ", "UTC")
        .env("NO_COLOR", "1")
        .env("ALT_PREP_DB", db)
        .env("ALT_PREP_NOW", now)
        .env("TMPDIR", env.dir.path());
    cmd
}

/// Runs with a database path other than the harness's one.
fn run_on(env: &Env, db: &Path, args: &[&str], stdin: &str) -> Out {
    let mut child = command(env, T0, db)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn alt-prep");
    let mut input = child.stdin.take().expect("stdin");
    input.write_all(stdin.as_bytes()).expect("write stdin");
    drop(input);
    finish(child, WATCHDOG)
}

/// Waits for a child, killing it (and failing) after `limit`; stdout and stderr are drained
/// on threads so a chatty child never blocks.
fn finish(mut child: Child, limit: Duration) -> Out {
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let deadline = Instant::now() + limit;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("watchdog: alt-prep ran longer than {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    Out {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&join(stdout)).into_owned(),
        stderr: String::from_utf8_lossy(&join(stderr)).into_owned(),
    }
}

fn drain<R: Read + Send + 'static>(pipe: Option<R>) -> Option<JoinHandle<Vec<u8>>> {
    pipe.map(|mut pipe| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            bytes
        })
    })
}

fn join(handle: Option<JoinHandle<Vec<u8>>>) -> Vec<u8> {
    handle
        .map(|h| h.join().expect("reader thread"))
        .unwrap_or_default()
}

fn integrity(db: &Path) -> String {
    let conn = rusqlite::Connection::open(db).expect("open");
    conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity_check")
}

fn count(db: &Path, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(db).expect("open");
    conn.query_row(sql, [], |r| r.get(0))
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

fn user_version(db: &Path) -> i64 {
    count(db, "PRAGMA user_version")
}

/// The number of cards in the deck named `name`, or `None` when there is no such deck.
fn deck_cards(db: &Path, name: &str) -> Option<i64> {
    let conn = rusqlite::Connection::open(db).expect("open");
    let id: Option<i64> = conn
        .query_row("SELECT id FROM decks WHERE name = ?1", [name], |r| r.get(0))
        .ok();
    id.map(|id| {
        conn.query_row("SELECT count(*) FROM cards WHERE deck_id = ?1", [id], |r| {
            r.get(0)
        })
        .expect("count cards")
    })
}

/// Cards whose `reps` disagree with their review log: an answer half written or lost.
fn mismatched_reps(db: &Path) -> i64 {
    count(
        db,
        "SELECT count(*) FROM cards c WHERE c.reps != \
         (SELECT count(*) FROM reviews r WHERE r.card_id = c.id)",
    )
}

fn review_rows(db: &Path) -> i64 {
    count(db, "SELECT count(*) FROM reviews WHERE source = 'review'")
}

/// A refusal as the issue wants it: exit 1, a one-line `alt-prep:` message, no panic.
fn assert_refused(out: &Out, what: &str) {
    assert_eq!(
        out.code, 1,
        "{what}: exit code\n{}\n{}",
        out.stdout, out.stderr
    );
    assert!(
        out.stderr.starts_with("alt-prep: "),
        "{what}: message\n{}",
        out.stderr
    );
    assert!(!out.stderr.contains("panicked"), "{what}: {}", out.stderr);
    assert!(
        !out.stderr.contains("RUST_BACKTRACE"),
        "{what}: {}",
        out.stderr
    );
}

/// The file holds exactly `expected` (reported by first difference, not as two dumps).
fn assert_same_bytes(path: impl AsRef<Path>, expected: &[u8], what: &str) {
    let actual = std::fs::read(path.as_ref()).expect("read");
    if actual != expected {
        let at = actual
            .iter()
            .zip(expected)
            .position(|(a, b)| a != b)
            .unwrap_or(actual.len().min(expected.len()));
        panic!(
            "{what}: {} differs at byte {at} ({} bytes, expected {})",
            path.as_ref().display(),
            actual.len(),
            expected.len()
        );
    }
}

/// The directory's entries, for "nothing else was written".
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// A database with the built-in decks installed, made by the binary.
fn fresh_database(env: &Env) {
    env.ok(T0, &["decks"], "");
}

/// `ALT_PREP_KILLS` (default 100): SIGKILLs this module spends, shared as 50 % imports,
/// 40 % reviews, 10 % upgrades.
fn kill_budget() -> usize {
    std::env::var("ALT_PREP_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100)
}

fn killed(status: ExitStatus) -> bool {
    status.signal() == Some(9)
}

fn is_header(line: &str) -> bool {
    line.starts_with("new ") && line.contains(" · learning ") && line.contains(" · due ")
}

/// Answers a review session acknowledged: each rating (given after the choices line) is
/// followed by the next card's header or by the summary, printed only after the answer was
/// committed. (A header or summary after a question left unanswered acknowledges nothing.)
fn acknowledged(stdout: &str) -> i64 {
    let mut acked = 0;
    let mut rated = false;
    for line in stdout.lines() {
        if line.starts_with("1 Again") {
            rated = true;
        } else if line.contains("answered in another session") {
            // Refused on screen, not recorded: not an acknowledged answer.
            rated = false;
        } else if is_header(line) || line.starts_with("Done:") {
            acked += i64::from(rated);
            rated = false;
        }
    }
    acked
}

/// Is this process root? Permission bits do not stop root from writing.
fn running_as_root() -> bool {
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

fn have(tool: &str) -> bool {
    ["/usr/bin", "/bin", "/usr/sbin", "/sbin"]
        .iter()
        .any(|dir| Path::new(dir).join(tool).exists())
}

fn csv_deck(cards: usize) -> String {
    let mut text = String::from("front,back,tags\n");
    for i in 0..cards {
        text.push_str(&format!("Question {i},Answer {i},gen\n"));
    }
    text
}

// ---------------------------------------------------------------------------- crash safety

/// Runs an import and SIGKILLs it after `delay` ms (unless it finished first); it must not
/// have failed on its own.
fn import_killed_after(cmd: &mut Command, delay: u64, i: usize) -> ExitStatus {
    let mut child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn import");
    let stderr = drain(child.stderr.take());
    std::thread::sleep(Duration::from_millis(delay));
    let _ = child.kill();
    let status = child.wait().expect("wait");
    let stderr = String::from_utf8_lossy(&join(stderr)).into_owned();
    assert!(
        killed(status) || status.success(),
        "import {i} failed on its own: {stderr}"
    );
    status
}

/// Imports of a 20,000-card CSV (killed after 0–200 ms, as the issue asks: while it starts,
/// reads and parses) and of a 1,500-card TOML deck (killed from halfway through its measured
/// run time to a bit past its end, so kills land in the transaction and its commit). After each kill the deck has
/// all its cards or does not exist, and the database is intact.
#[test]
fn killed_imports_leave_every_card_or_none() {
    let kills = (kill_budget() / 2).max(1);
    let env = Env::new();
    fresh_database(&env);
    let big = env.write("big.csv", &csv_deck(20_000));
    let toml = |i: usize| {
        let deck = small_deck(&format!("k{i}"), &format!("K{i}"), 1_500);
        env.write(&format!("k{i}.toml"), &deck)
    };

    // How long an uninterrupted small import takes here (debug build, busy CI machine).
    let warm = toml(9_999);
    let started = Instant::now();
    env.import(T0, &warm);
    let small_ms = started.elapsed().as_millis() as u64;

    let mut rng = XorShift::new(0x1A9_0127);
    let (mut complete, mut absent) = (0, 0);
    for i in 0..kills {
        let (path, name, expected, delay) = if i % 2 == 0 {
            let delay = rng.below(201);
            (big.clone(), format!("B{i}"), 20_000, delay)
        } else {
            // From halfway through to a little past the end: the insert and commit phase.
            let delay = small_ms / 2 + rng.below(small_ms * 7 / 10 + 1);
            (toml(i), format!("K{i}"), 1_500, delay)
        };
        let mut cmd = command(&env, T0, &env.db);
        cmd.arg("import").arg(&path);
        if i % 2 == 0 {
            cmd.args(["--deck", &name]);
        }
        let status = import_killed_after(&mut cmd, delay, i);
        assert_eq!(integrity(&env.db), "ok", "after kill {i} ({delay} ms)");
        match deck_cards(&env.db, &name) {
            None if killed(status) => absent += 1,
            Some(n) if n == expected => complete += 1,
            other => panic!("kill {i} after {delay} ms left {other:?} of {expected} cards"),
        }
    }
    assert_eq!(mismatched_reps(&env.db), 0);
    eprintln!(
        "{kills} import kills: {complete} complete, {absent} absent (small import {small_ms} ms)"
    );
    // The database still works for the next import.
    let after = env.write("after.csv", &csv_deck(10));
    env.import(T0, &after);
}

/// A CSV of `cards` cards of realistic length (12,000: 2.4 MB).
fn long_csv(cards: usize) -> String {
    let mut text = String::from("front,back,tags\n");
    for i in 0..cards {
        text.push_str(&format!(
            "\"Bulk question {i}: which of the school's routines does the ALT join on day {i}?\",\"Cleaning time, lunch with the class and the morning meeting: card {i}, long enough to be realistic.\",bulk\n"
        ));
    }
    text
}

/// Indexes by name and SQL, and the journal mode, as a new connection sees them.
fn indexes_and_mode(db: &Path) -> (Vec<(String, String)>, String) {
    let conn = rusqlite::Connection::open(db).expect("open");
    let mut stmt = conn
        .prepare(
            "SELECT name, coalesce(sql, '') FROM sqlite_schema WHERE type = 'index' ORDER BY name",
        )
        .expect("prepare");
    let indexes = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("query")
        .collect::<rusqlite::Result<_>>()
        .expect("rows");
    let mode = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .expect("mode");
    (indexes, mode)
}

/// Large imports killed anywhere from their start to a little past their measured run time:
/// after the next alt-prep command the file is in WAL, and the deck is whole or absent with
/// every index in place.
#[test]
fn killed_large_imports_leave_every_card_or_none_and_every_index() {
    const CARDS: usize = 12_000;
    let kills = (kill_budget() / 12).max(1);
    let env = Env::new();
    fresh_database(&env);
    let template = std::fs::read(&env.db).expect("read template");
    let (fresh_indexes, mode) = indexes_and_mode(&env.db);
    assert_eq!(mode, "wal");
    // Large enough to be written through a rollback journal (`src/db/journal.rs`).
    let csv = long_csv(CARDS);
    assert!(csv.len() as u64 >= alt_prep::db::journal::LARGE_IMPORT_BYTES);
    let path = env.write("long.csv", &csv);
    let reset = || {
        for ext in ["sqlite3-wal", "sqlite3-shm", "sqlite3-journal"] {
            let _ = std::fs::remove_file(env.db.with_extension(ext));
        }
        std::fs::write(&env.db, &template).expect("reset");
    };
    let started = Instant::now();
    env.import(T0, &path);
    let full_ms = started.elapsed().as_millis() as u64;

    let mut rng = XorShift::new(0xB01C);
    let (mut complete, mut absent) = (0, 0);
    for i in 0..kills {
        reset();
        let delay = rng.below(full_ms * 11 / 10 + 1);
        let mut cmd = command(&env, T0, &env.db);
        cmd.arg("import").arg(&path);
        let status = import_killed_after(&mut cmd, delay, i);
        run_on(&env, &env.db, &["decks"], "");
        let (indexes, mode) = indexes_and_mode(&env.db);
        assert_eq!(mode, "wal", "after kill {i} ({delay} ms)");
        assert_eq!(indexes, fresh_indexes, "after kill {i} ({delay} ms)");
        assert_eq!(integrity(&env.db), "ok", "after kill {i} ({delay} ms)");
        match deck_cards(&env.db, "long") {
            None if killed(status) => absent += 1,
            Some(n) if n == CARDS as i64 => complete += 1,
            other => panic!("kill {i} after {delay} ms left {other:?} of {CARDS} cards"),
        }
    }
    eprintln!(
        "{kills} large import kills: {complete} complete, {absent} absent (run {full_ms} ms)"
    );
}

/// `review` with every answer already piped in, killed after 0–200 ms: wherever it dies
/// (opening, backing up, between answers, inside a commit), each answer acknowledged on screen
/// is in the log, at most one more is, and cards agree with their logs.
#[test]
fn killed_reviews_keep_every_acknowledged_answer() {
    let kills = (kill_budget() * 2 / 5).max(1);
    let env = Env::new();
    let deck = env.write("t.toml", &small_deck("t", "Test", 200));
    env.import(T0, &deck);
    let mut rng = XorShift::new(0x5EED_2026);
    let mut saved = 0;
    let mut acked_total = 0;
    for i in 0..kills {
        let now = at(unix(T0) + i as i64 * DAY);
        let mut child = command(&env, &now, &env.db)
            .args(["review", "--deck", "Test"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn review");
        let mut stdin = child.stdin.take().expect("stdin");
        // Kept open: the session never sees the end of its input, only the kill.
        stdin
            .write_all("\n3\n".repeat(40).as_bytes())
            .expect("answers");
        let stdout = drain(child.stdout.take());
        let stderr = drain(child.stderr.take());
        let delay = rng.below(201);
        std::thread::sleep(Duration::from_millis(delay));
        let _ = child.kill();
        let status = child.wait().expect("wait");
        drop(stdin);
        let stdout = String::from_utf8_lossy(&join(stdout)).into_owned();
        let stderr = String::from_utf8_lossy(&join(stderr)).into_owned();
        assert!(
            killed(status) || status.success(),
            "review {i} failed: {stderr}"
        );
        let acked = acknowledged(&stdout);
        acked_total += acked;
        assert_eq!(integrity(&env.db), "ok", "after kill {i}");
        let rows = review_rows(&env.db);
        assert!(
            rows >= saved + acked && rows <= saved + acked + 1,
            "kill {i} after {delay} ms: {rows} review rows, {saved} before, {acked} acknowledged"
        );
        assert_eq!(mismatched_reps(&env.db), 0, "kill {i}: reps vs log");
        saved = rows;
    }
    eprintln!("{kills} review kills: {acked_total} acknowledged answers, {saved} rows");
    assert!(acked_total > 0, "some sessions got to answer");
}

/// The upgrade from schema 1 runs in one transaction: killed at any moment, the database is
/// the old schema or the new one, never between, with every card and review.
#[test]
fn killed_upgrades_leave_the_old_schema_or_the_new() {
    let kills = (kill_budget() / 10).max(1);
    let latest = alt_prep::db::migrate::LATEST;
    let env = Env::new();
    let mut rng = XorShift::new(0x0BAD_F00D);
    let (mut old, mut new) = (0, 0);
    for i in 0..kills {
        let db = env.dir.path().join(format!("v1-{i}.sqlite3"));
        std::fs::copy(V1_FIXTURE(), &db).expect("copy fixture");
        let mut child = command(&env, T0, &db)
            .arg("decks")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        // The backup and the migration come first, within tens of milliseconds of the start.
        std::thread::sleep(Duration::from_millis(rng.below(41)));
        let _ = child.kill();
        let status = child.wait().expect("wait");
        assert!(killed(status) || status.success());
        assert_eq!(integrity(&db), "ok", "kill {i}");
        match user_version(&db) {
            1 => old += 1,
            v if v == latest => new += 1,
            v => panic!("kill {i}: schema version {v}"),
        }
        assert_eq!(count(&db, "SELECT count(*) FROM reviews"), V1_REVIEWS);
        assert_eq!(deck_cards(&db, "V1 fixture"), Some(6));
        // And the next run finishes the job.
        let out = run_on(&env, &db, &["card", "v1-fixture/greeting", "--json"], "");
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert_eq!(user_version(&db), latest);
    }
    eprintln!("{kills} upgrade kills: {old} left at schema 1, {new} upgraded");
}

// ---------------------------------------------------------------------------- concurrency

/// Two sessions on the same deck at the same time, with their answers piped in: neither
/// fails with "database is locked", and every answer each acknowledged is in the log.
#[test]
fn two_reviews_at_once_lose_nothing() {
    let env = Env::new();
    let deck = env.write("t.toml", &small_deck("t", "Test", 100));
    env.import(T0, &deck);
    for day in 0..3 {
        let now = at(unix(T0) + day * DAY);
        let before = review_rows(&env.db);
        let spawn = || {
            let mut child = command(&env, &now, &env.db)
                .args(["review", "--deck", "Test"])
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn review");
            let mut stdin = child.stdin.take().expect("stdin");
            stdin
                .write_all("\n3\n".repeat(15).as_bytes())
                .expect("answers");
            child
        };
        let (a, b) = (spawn(), spawn());
        let (a, b) = (finish(a, WATCHDOG), finish(b, WATCHDOG));
        for out in [&a, &b] {
            assert_eq!(out.code, 0, "day {day}: {}", out.stderr);
            assert!(!out.stderr.contains("locked"), "{}", out.stderr);
        }
        let answered = acknowledged(&a.stdout) + acknowledged(&b.stdout);
        // Each of the 30 answers sent is acknowledged or refused because the other session
        // answered that card first, so at least half are acknowledged, however the two
        // sessions interleave (in lockstep they collide on most cards).
        assert!(answered >= 15, "day {day}: {answered} answers");
        assert_eq!(review_rows(&env.db) - before, answered, "day {day}");
        assert_eq!(integrity(&env.db), "ok");
    }
}

/// The same, and also no lost update: two sessions that show the same card at the same time
/// must not overwrite each other's scheduling, so each card's `reps` matches its log.
#[test]
fn two_reviews_of_the_same_cards_keep_cards_and_logs_in_step() {
    let env = Env::new();
    let deck = env.write("t.toml", &small_deck("t", "Test", 30));
    env.import(T0, &deck);
    for day in 0..3 {
        let now = at(unix(T0) + day * DAY);
        let spawn = || {
            let mut child = command(&env, &now, &env.db)
                .args(["review", "--deck", "Test"])
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn review");
            let mut stdin = child.stdin.take().expect("stdin");
            stdin
                .write_all("\n3\n".repeat(15).as_bytes())
                .expect("answers");
            child
        };
        let (a, b) = (spawn(), spawn());
        let (a, b) = (finish(a, WATCHDOG), finish(b, WATCHDOG));
        assert_eq!((a.code, b.code), (0, 0));
        assert_eq!(mismatched_reps(&env.db), 0, "day {day}");
    }
}

/// A review answering while a 12,000-card import (2.4 MB, so written through a rollback
/// journal: `src/db/journal.rs`) holds the write lock, and two imports at once: each waits its
/// turn, none fails with "database is locked". A command started while the big import has the
/// file out of WAL waits until it is back (`db::wal_mode`; before that wait, 2 runs in 6
/// failed at once here).
#[test]
fn a_review_during_an_import_waits_its_turn() {
    let env = Env::new();
    let deck = env.write("t.toml", &small_deck("t", "Test", 50));
    env.import(T0, &deck);
    let big = env.write("big.csv", &long_csv(12_000));
    let other = env.write("other.csv", &csv_deck(5_000));
    let import = |path: &Path, name: &str| {
        command(&env, T0, &env.db)
            .arg("import")
            .arg(path)
            .args(["--deck", name])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn import")
    };
    let (first, second) = (import(&big, "Big"), import(&other, "Other"));
    let mut review = command(&env, T0, &env.db)
        .args(["review", "--deck", "Test"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn review");
    let mut stdin = review.stdin.take().expect("stdin");
    stdin
        .write_all("\n3\n".repeat(20).as_bytes())
        .expect("answers");
    drop(stdin);
    let outs = [
        finish(first, WATCHDOG),
        finish(second, WATCHDOG),
        finish(review, WATCHDOG),
    ];
    for out in &outs {
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert!(!out.stderr.contains("locked"), "{}", out.stderr);
    }
    assert_eq!(deck_cards(&env.db, "Big"), Some(12_000));
    assert_eq!(deck_cards(&env.db, "Other"), Some(5_000));
    let answered = acknowledged(&outs[2].stdout);
    assert!(answered >= 15, "{}", outs[2].stdout);
    assert_eq!(review_rows(&env.db), answered);
    assert_eq!(integrity(&env.db), "ok");
}

// ---------------------------------------------------------------------------- bad databases

/// Runs `args` against a copy of `bytes` named `name` and checks the refusal: exit 1, the file
/// named in the message, and the file unchanged byte for byte with nothing written beside it.
fn refuses_unchanged(env: &Env, name: &str, bytes: &[u8], args: &[&str]) -> Out {
    let dir = env.dir.path().join(format!("case-{name}"));
    std::fs::create_dir_all(&dir).expect("dir");
    let db = dir.join(name);
    std::fs::write(&db, bytes).expect("write");
    let out = run_on(env, &db, args, "");
    assert_refused(&out, name);
    assert!(
        out.stderr.contains(name),
        "{name}: not named\n{}",
        out.stderr
    );
    assert_same_bytes(&db, bytes, &format!("{name} was changed"));
    assert_eq!(
        listing(&dir),
        vec![name.to_string()],
        "{name}: files written"
    );
    out
}

fn healthy_database_bytes(env: &Env) -> Vec<u8> {
    let deck = env.write("t.toml", &small_deck("t", "Test", 30));
    env.import(T0, &deck);
    env.ok(T0, &["review", "--deck", "Test"], &"\n3\n".repeat(10));
    checkpoint(&env.db);
    std::fs::read(&env.db).expect("read db")
}

/// The page size an SQLite file's header gives (bytes 16–17, big-endian; 1 means 65,536).
fn page_size(db: &[u8]) -> usize {
    match u16::from_be_bytes([db[16], db[17]]) {
        1 => 65_536,
        n => usize::from(n),
    }
}

/// Folds the WAL into the main file so a copy of it is the whole database.
fn checkpoint(db: &Path) {
    let conn = rusqlite::Connection::open(db).expect("open");
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .expect("checkpoint");
}

#[test]
fn files_that_are_not_databases_are_refused_and_left_alone() {
    let env = Env::new();
    let text = b"front,back\nthis is a deck, not a database\n".repeat(100);
    let out = refuses_unchanged(&env, "deck.sqlite3", &text, &["decks"]);
    assert!(
        out.stderr.contains("not an SQLite database"),
        "{}",
        out.stderr
    );
    let mut rng = XorShift::new(7);
    let noise: Vec<u8> = (0..16_384).map(|_| rng.next() as u8).collect();
    refuses_unchanged(&env, "noise.sqlite3", &noise, &["review"]);
    let out = refuses_unchanged(&env, "empty.sqlite3", b"", &["decks"]);
    assert!(out.stderr.contains("is empty"), "{}", out.stderr);
}

#[test]
fn truncated_databases_are_refused_and_left_alone() {
    let env = Env::new();
    let bytes = healthy_database_bytes(&env);
    let page = page_size(&bytes);
    for cut in [100, page, bytes.len() / 2, bytes.len() - page] {
        let out = refuses_unchanged(
            &env,
            &format!("cut-{cut}.sqlite3"),
            &bytes[..cut],
            &["review"],
        );
        assert!(
            out.stderr.contains("damaged") || out.stderr.contains("not an SQLite"),
            "{}",
            out.stderr
        );
        assert!(
            out.stderr.contains("backup"),
            "says what to do: {}",
            out.stderr
        );
    }
}

/// The page numbers of a table's b-tree, found by walking it (`dbstat` may not be compiled in).
fn table_root(db: &[u8], name: &str) -> usize {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("probe.sqlite3");
    std::fs::write(&path, db).expect("write");
    count(
        &path,
        &format!("SELECT rootpage FROM sqlite_schema WHERE name = '{name}'"),
    ) as usize
}

/// `alt-prep check` on a database with a page deliberately overwritten: exit 1 and a message,
/// the file unchanged; on a healthy one, exit 0.
#[test]
fn check_reports_a_damaged_page() {
    let env = Env::new();
    let bytes = healthy_database_bytes(&env);
    let out = env.ok(T0, &["check"], "");
    assert!(out.stdout.contains(": ok"), "{}", out.stdout);
    let page = page_size(&bytes);
    for table in ["cards", "reviews", "cards_queue"] {
        let root = table_root(&bytes, table);
        let mut damaged = bytes.clone();
        let start = (root - 1) * page;
        for (i, b) in damaged[start + 8..start + page].iter_mut().enumerate() {
            *b = (i * 37 % 251) as u8;
        }
        let name = format!("bad-{table}.sqlite3");
        let dir = env.dir.path().join(format!("check-{table}"));
        std::fs::create_dir_all(&dir).expect("dir");
        let db = dir.join(&name);
        std::fs::write(&db, &damaged).expect("write");
        let out = run_on(&env, &db, &["check"], "");
        assert_eq!(out.code, 1, "{table}: {}\n{}", out.stdout, out.stderr);
        assert!(!out.stderr.contains("panicked"));
        let said = format!("{}{}", out.stdout, out.stderr);
        assert!(
            said.contains("malformed") || said.contains("integrity") || said.contains("damaged"),
            "{table}: {said}"
        );
        assert_same_bytes(&db, &damaged, &format!("{table}: changed"));
    }
}

#[test]
fn a_database_from_a_newer_alt_prep_is_refused_and_left_alone() {
    let env = Env::new();
    healthy_database_bytes(&env);
    let newer = env.dir.path().join("newer.sqlite3");
    std::fs::copy(&env.db, &newer).expect("copy");
    {
        let conn = rusqlite::Connection::open(&newer).expect("open");
        conn.pragma_update(None, "user_version", 99).expect("set");
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .expect("checkpoint");
    }
    let bytes = std::fs::read(&newer).expect("read");
    let deck = env.write("x.csv", "front,back\nq,a\n");
    let deck = deck.to_str().expect("path");
    for args in [&["review"][..], &["decks"], &["import", deck], &["check"]] {
        let out = refuses_unchanged(&env, "newer.sqlite3", &bytes, args);
        assert!(out.stderr.contains("schema version 99"), "{}", out.stderr);
        assert!(out.stderr.contains("upgrade alt-prep"), "{}", out.stderr);
    }
}

#[test]
fn a_newer_database_in_rollback_journal_mode_is_not_changed() {
    let env = Env::new();
    healthy_database_bytes(&env);
    let newer = env.dir.path().join("newer.sqlite3");
    std::fs::copy(&env.db, &newer).expect("copy");
    {
        let conn = rusqlite::Connection::open(&newer).expect("open");
        let _: String = conn
            .query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))
            .expect("journal");
        conn.pragma_update(None, "user_version", 99).expect("set");
    }
    let bytes = std::fs::read(&newer).expect("read");
    refuses_unchanged(&env, "newer.sqlite3", &bytes, &["decks"]);
}

#[test]
fn another_programs_sqlite_database_is_refused_and_left_alone() {
    let env = Env::new();
    let path = env.dir.path().join("other.sqlite3");
    {
        let conn = rusqlite::Connection::open(&path).expect("create");
        conn.execute_batch(
            "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT);
             INSERT INTO notes (text) VALUES ('someone else''s data');",
        )
        .expect("schema");
    }
    let bytes = std::fs::read(&path).expect("read");
    refuses_unchanged(&env, "other.sqlite3", &bytes, &["decks"]);
}

/// A command that runs alt-prep as an unprivileged user when the tests run as root, where
/// permission bits do not stop writes; `None` (and a message) when that cannot be arranged.
fn unprivileged(env: &Env, db: &Path) -> Option<Command> {
    if !running_as_root() {
        return Some(command(env, T0, db));
    }
    if !have("setpriv") {
        eprintln!("skipped: running as root and no setpriv to drop privileges");
        return None;
    }
    // The temp folder is root's (0700): let the unprivileged user in.
    let _ = std::fs::set_permissions(env.dir.path(), std::fs::Permissions::from_mode(0o755));
    let probe = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
        .arg(bin())
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    if !probe.is_ok_and(|s| s.success()) {
        eprintln!(
            "skipped: the unprivileged user cannot run {}",
            bin().display()
        );
        return None;
    }
    let mut cmd = Command::new("setpriv");
    cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
        .arg(bin())
        .env_clear()
        .env("HOME", env.dir.path())
        .env("TZ", "UTC")
        .env("NO_COLOR", "1")
        .env("ALT_PREP_DB", db)
        .env("ALT_PREP_NOW", T0);
    Some(cmd)
}

fn output(mut cmd: Command) -> Out {
    let child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    finish(child, WATCHDOG)
}

#[test]
fn a_read_only_file_or_folder_is_refused_and_left_alone() {
    let env = Env::new();
    let bytes = healthy_database_bytes(&env);

    let dir = env.dir.path().join("ro-file");
    std::fs::create_dir(&dir).expect("mkdir");
    let db = dir.join("db.sqlite3");
    std::fs::write(&db, &bytes).expect("write");
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    if let Some(mut cmd) = unprivileged(&env, &db) {
        cmd.arg("review");
        let out = output(cmd);
        assert_refused(&out, "read-only file");
        assert!(out.stderr.contains("db.sqlite3"), "{}", out.stderr);
        assert!(out.stderr.contains("read-only"), "{}", out.stderr);
        assert!(out.stderr.contains("permission"), "{}", out.stderr);
        assert_same_bytes(&db, &bytes, "file changed");
        assert_eq!(listing(&dir), vec!["db.sqlite3"]);
    }

    // A writable file in a folder that is not: SQLite cannot make its WAL beside it.
    let dir = env.dir.path().join("ro-dir");
    std::fs::create_dir(&dir).expect("mkdir");
    let db = dir.join("db.sqlite3");
    std::fs::write(&db, &bytes).expect("write");
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o666)).expect("chmod");
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o555)).expect("chmod");
    if let Some(mut cmd) = unprivileged(&env, &db) {
        cmd.arg("decks");
        let out = output(cmd);
        assert_refused(&out, "read-only folder");
        assert!(out.stderr.contains("db.sqlite3"), "{}", out.stderr);
        assert!(out.stderr.contains("permissions"), "{}", out.stderr);
        assert_same_bytes(&db, &bytes, "file changed");
        assert_eq!(listing(&dir), vec!["db.sqlite3"]);
    }
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).expect("chmod");

    // The default data folder (no --db) under a read-only home cannot be made: refused,
    // naming it and what to do.
    let home = env.dir.path().join("ro-home");
    std::fs::create_dir(&home).expect("mkdir");
    std::fs::set_permissions(&home, std::fs::Permissions::from_mode(0o555)).expect("chmod");
    if let Some(mut cmd) = unprivileged(&env, &db) {
        cmd.env_remove("ALT_PREP_DB")
            .env("HOME", &home)
            .arg("decks");
        let out = output(cmd);
        assert_refused(&out, "uncreatable data folder");
        assert!(
            out.stderr.contains("could not create the folder")
                && out.stderr.contains("ro-home/.local/share/alt-prep"),
            "{}",
            out.stderr
        );
        assert!(out.stderr.contains("--db"), "{}", out.stderr);
        assert!(listing(&home).is_empty());
    }
    std::fs::set_permissions(&home, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

/// A `--db` (or `ALT_PREP_DB`) that cannot hold a database — its folder missing (a typo), a
/// file where a folder should be, a folder where the file should be — is refused with exit 1,
/// the path and what to do, and nothing is created or changed. Only the default data folder
/// is made on first use (`first_run_with_a_fresh_home_shows_a_built_in_card`).
#[test]
fn db_paths_that_cannot_hold_a_database_are_refused_and_nothing_is_created() {
    let env = Env::new();
    let root = env.dir.path();
    let deck = env.write("deck.csv", "front,back\nq,a\n");
    let deck_bytes = std::fs::read(&deck).expect("read");
    let folder = root.join("a-folder.sqlite3");
    std::fs::create_dir(&folder).expect("mkdir");
    let cases: [(PathBuf, &str, &str); 4] = [
        (
            root.join("not/yet/there/alt-prep.sqlite3"),
            "does not exist",
            "mkdir -p",
        ),
        (
            root.join("deck.csv/alt-prep.sqlite3"),
            "is not a folder",
            "another --db",
        ),
        (
            root.join("deck.csv/sub/alt-prep.sqlite3"),
            "is a file, not a folder",
            "another --db",
        ),
        (
            folder.clone(),
            "is a directory",
            "pass a file path with --db",
        ),
    ];
    let before = listing(root);
    for (db, problem, fix) in &cases {
        let shown = db.to_str().expect("path");
        let deck = deck.to_str().expect("path");
        for args in [
            &["decks"][..],
            &["review"],
            &["import", deck],
            &["check"],
            &["backup"],
        ] {
            let out = run_on(&env, db, args, "");
            let what = format!("{shown} {args:?}");
            assert_refused(&out, &what);
            assert!(out.stderr.contains(shown), "{what}: {}", out.stderr);
            assert!(out.stderr.contains(problem), "{what}: {}", out.stderr);
            assert!(out.stderr.contains(fix), "{what}: {}", out.stderr);
            assert_eq!(out.stderr.lines().count(), 1, "{what}: {}", out.stderr);
        }
        // The same through --db.
        let mut cmd = command(&env, T0, &env.db);
        cmd.env_remove("ALT_PREP_DB")
            .arg("--db")
            .arg(db)
            .arg("decks");
        let out = output(cmd);
        assert_refused(&out, shown);
        assert!(out.stderr.contains(problem), "{shown}: {}", out.stderr);
    }
    assert_eq!(listing(root), before, "something was created");
    assert!(listing(&folder).is_empty(), "written inside the folder");
    assert_same_bytes(&deck, &deck_bytes, "the deck file changed");
}

/// Runs `script` with `sh` inside a private mount namespace where `$MNT` is a tmpfs of
/// `size_kb`: a full disk without touching the machine's mounts. `None` (with a message)
/// when this cannot be arranged (not root, no `unshare`, mounting refused).
fn with_tiny_disk(env: &Env, size_kb: u32, script: &str) -> Option<Out> {
    if !running_as_root() || !have("unshare") {
        eprintln!("skipped: simulating a full disk needs root and unshare");
        return None;
    }
    let mnt = env.dir.path().join("tiny");
    std::fs::create_dir_all(&mnt).expect("mkdir");
    let full = format!(
        "mount -t tmpfs -o size={size_kb}k tmpfs \"$MNT\" || exit 97\n{script}\numount \"$MNT\""
    );
    let child = Command::new("unshare")
        .args(["--mount", "--propagation", "private", "sh", "-c", &full])
        .env_clear()
        .env("PATH", "/usr/sbin:/usr/bin:/sbin:/bin")
        .env("MNT", &mnt)
        .env("BIN", bin())
        .env("OUT", env.dir.path())
        .env("HOME", env.dir.path())
        .env("TZ", "UTC")
        .env("NO_COLOR", "1")
        .env("ALT_PREP_NOW", T0)
        .env("TMPDIR", env.dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn unshare");
    let out = finish(child, WATCHDOG);
    if out.code == 97 || out.stderr.contains("unshare failed") {
        eprintln!("skipped: could not mount a tmpfs: {}", out.stderr);
        return None;
    }
    Some(out)
}

fn read_text(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

#[test]
fn a_full_disk_fails_cleanly_and_loses_nothing() {
    let env = Env::new();
    let bytes = healthy_database_bytes(&env);
    let base = env.dir.path().join("base.sqlite3");
    std::fs::write(&base, &bytes).expect("write");
    env.write("big.csv", &csv_deck(5_000));
    // An existing database with a little room left, then an import that needs more.
    let room = bytes.len() as u32 / 1024 + 160;
    let script = r#"
cp "$OUT/base.sqlite3" "$MNT/db.sqlite3"
"$BIN" --db "$MNT/db.sqlite3" import "$OUT/big.csv" >"$OUT/import.out" 2>"$OUT/import.err"
echo $? >"$OUT/import.code"
cp "$MNT/db.sqlite3" "$OUT/after.sqlite3"
"$BIN" --db "$MNT/db.sqlite3" check >"$OUT/check.out" 2>&1
echo $? >"$OUT/check.code"
"#;
    let Some(out) = with_tiny_disk(&env, room, script) else {
        return;
    };
    let dir = env.dir.path();
    assert_eq!(
        read_text(&dir.join("import.code")).trim(),
        "1",
        "{}",
        out.stderr
    );
    let stderr = read_text(&dir.join("import.err"));
    assert!(stderr.contains("disk is full"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_same_bytes(
        dir.join("after.sqlite3"),
        &bytes,
        "the database file changed",
    );
    assert_eq!(read_text(&dir.join("check.code")).trim(), "0");

    // A new database on a disk too small for it: refused; with room again, it works.
    let script = r#"
"$BIN" --db "$MNT/new.sqlite3" decks >"$OUT/new.out" 2>"$OUT/new.err"
echo $? >"$OUT/new.code"
mount -o remount,size=8m "$MNT"
"$BIN" --db "$MNT/new.sqlite3" decks >"$OUT/again.out" 2>"$OUT/again.err"
echo $? >"$OUT/again.code"
"$BIN" --db "$MNT/new.sqlite3" check >"$OUT/check2.out" 2>&1
echo $? >"$OUT/check2.code"
"#;
    let Some(out) = with_tiny_disk(&env, 200, script) else {
        return;
    };
    // Refused, or (since the built-in decks became optional on start-up) a warning; either
    // way the learner is told the disk is full, and nothing panics.
    let code = read_text(&dir.join("new.code"));
    assert!(matches!(code.trim(), "0" | "1"), "{code} {}", out.stderr);
    let stderr = read_text(&dir.join("new.err"));
    assert!(stderr.contains("disk is full"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(
        read_text(&dir.join("again.code")).trim(),
        "0",
        "{}",
        read_text(&dir.join("again.err"))
    );
    assert!(read_text(&dir.join("again.out")).contains("ALT role"));
    assert_eq!(read_text(&dir.join("check2.code")).trim(), "0");
}

#[test]
fn a_failed_backup_leaves_no_partial_file() {
    let env = Env::new();
    let bytes = healthy_database_bytes(&env);
    let base = env.dir.path().join("base.sqlite3");
    std::fs::write(&base, &bytes).expect("write");
    let room = bytes.len() as u32 / 1024 + 60;
    let script = r#"
cp "$OUT/base.sqlite3" "$MNT/db.sqlite3"
ALT_PREP_NOW=2026-05-01T09:00:00Z "$BIN" --db "$MNT/db.sqlite3" decks >"$OUT/d.out" 2>"$OUT/d.err"
ls "$MNT/backups" >"$OUT/backups.txt" 2>/dev/null
"#;
    let Some(_) = with_tiny_disk(&env, room, script) else {
        return;
    };
    let dir = env.dir.path();
    assert!(
        read_text(&dir.join("d.err")).contains("could not make today's backup"),
        "the backup did fail: {}",
        read_text(&dir.join("d.err"))
    );
    assert_eq!(
        read_text(&dir.join("backups.txt")).trim(),
        "",
        "partial backup left"
    );
}

/// SQLite's own words ("database disk image is malformed", "database or disk is full") come
/// with the database file and the fix, whatever the command.
#[test]
fn storage_errors_name_the_file_and_the_fix() {
    let env = Env::new();
    let bytes = healthy_database_bytes(&env);
    let root = table_root(&bytes, "cards");
    let page = page_size(&bytes);
    let mut damaged = bytes.clone();
    for b in &mut damaged[(root - 1) * page + 8..root * page] {
        *b = 0x5a;
    }
    let dir = env.dir.path().join("damage");
    std::fs::create_dir(&dir).expect("mkdir");
    let db = dir.join("damaged.sqlite3");
    std::fs::write(&db, &damaged).expect("write");
    let shown = db.to_str().expect("path");
    let backups = dir.join("backups");
    let backups = backups.to_str().expect("path");

    // `check` reports the damage, the file, the fix and where the backups are; exit 1.
    let out = run_on(&env, &db, &["check"], "");
    assert_eq!(out.code, 1, "{}\n{}", out.stdout, out.stderr);
    let said = format!("{}{}", out.stdout, out.stderr);
    assert!(!said.contains("panicked"), "{said}");
    assert!(said.contains(&format!("{shown} is damaged")), "{said}");
    assert!(said.contains("alt-prep restore FILE"), "{said}");
    assert!(said.contains("alt-prep backup --list"), "{said}");
    assert!(said.contains(backups), "{said}");
    assert!(said.lines().count() <= 25, "a short report: {said}");
    assert_same_bytes(&db, &damaged, "check changed the file");

    // Any other command that reads the damaged page: SQLite's words, the file and the fix.
    for args in [&["cards", "--json"][..], &["review"], &["stats"]] {
        let out = run_on(&env, &db, args, "");
        assert_refused(&out, &format!("{args:?}"));
        assert_eq!(out.stderr.lines().count(), 1, "{args:?}: {}", out.stderr);
        assert!(out.stderr.contains("malformed"), "{args:?}: {}", out.stderr);
        assert!(
            out.stderr.contains(&format!("{shown} is damaged")),
            "{args:?}: {}",
            out.stderr
        );
        assert!(
            out.stderr.contains("alt-prep restore FILE"),
            "{}",
            out.stderr
        );
        assert!(!out.stderr.contains("Error code"), "{}", out.stderr);
        assert_same_bytes(&db, &damaged, &format!("{args:?} changed the file"));
    }

    // A full disk: the import, a manual backup; then the disk made read-only.
    let base = env.dir.path().join("base.sqlite3");
    std::fs::write(&base, &bytes).expect("write");
    env.write("big.csv", &csv_deck(5_000));
    let room = bytes.len() as u32 / 1024 + 160;
    let script = r#"
cp "$OUT/base.sqlite3" "$MNT/db.sqlite3"
"$BIN" --db "$MNT/db.sqlite3" import "$OUT/big.csv" 2>"$OUT/import.err"
echo $? >"$OUT/import.code"
"$BIN" --db "$MNT/db.sqlite3" backup 2>"$OUT/backup.err"
echo $? >"$OUT/backup.code"
mount -o remount,ro "$MNT"
"$BIN" --db "$MNT/db.sqlite3" review 2>"$OUT/ro.err"
echo $? >"$OUT/ro.code"
"#;
    if with_tiny_disk(&env, room, script).is_some() {
        let out = env.dir.path();
        let db = env.dir.path().join("tiny/db.sqlite3");
        let shown = db.to_str().expect("path");
        for step in ["import", "backup"] {
            let stderr = read_text(&out.join(format!("{step}.err")));
            let code = read_text(&out.join(format!("{step}.code")));
            assert_eq!(code.trim(), "1", "{step}: {stderr}");
            assert!(stderr.starts_with("alt-prep: "), "{step}: {stderr}");
            assert!(
                stderr.contains("database or disk is full"),
                "{step}: {stderr}"
            );
            assert!(
                stderr.contains(&format!("the disk holding {shown} is full")),
                "{step}: {stderr}"
            );
            assert!(stderr.contains("free some space"), "{step}: {stderr}");
            assert_eq!(stderr.lines().count(), 1, "{step}: {stderr}");
        }
        let stderr = read_text(&out.join("ro.err"));
        assert_eq!(read_text(&out.join("ro.code")).trim(), "1", "{stderr}");
        assert!(stderr.contains(shown), "{stderr}");
        assert!(stderr.contains("read-only"), "{stderr}");
        assert!(stderr.contains("permissions"), "{stderr}");
    }
}

// ---------------------------------------------------------------------------- backups

fn backups(env: &Env) -> Vec<String> {
    listing(&env.dir.path().join("backups"))
}

/// Once a day on first use (when there is something to keep), newest ten kept.
#[test]
fn daily_backups_are_made_once_a_day_and_ten_are_kept() {
    let env = Env::new();
    let deck = env.write("t.toml", &small_deck("t", "Test", 30));
    env.import(T0, &deck);
    env.ok(T0, &["decks"], "");
    assert!(
        backups(&env).is_empty(),
        "nothing to keep yet: {:?}",
        backups(&env)
    );
    // The backup is made after the command (so nobody waits for it before the first card):
    // the first answer of the day leaves today's backup behind it.
    env.ok(T0, &["review", "--deck", "Test"], "\n3\n");
    assert_eq!(backups(&env).len(), 1, "{:?}", backups(&env));
    let t0 = unix(T0);
    for day in 1..=12 {
        let now = at(t0 + day * DAY);
        env.ok(&now, &["decks"], "");
        env.ok(&at(t0 + day * DAY + 3600), &["decks"], "");
        let list = backups(&env);
        assert_eq!(
            list.len(),
            (day as usize + 1).min(10),
            "day {day}: {list:?}"
        );
        let today = jiff::Timestamp::from_second(t0 + day * DAY)
            .expect("time")
            .strftime("%Y%m%d")
            .to_string();
        assert!(
            list.last()
                .is_some_and(|n| n.contains(&today) && n.ends_with("-daily.sqlite3")),
            "{list:?}"
        );
    }
    let list = backups(&env);
    assert!(
        list[0].contains("20260404"),
        "the oldest two were pruned: {list:?}"
    );
    for name in &list {
        let path = env.dir.path().join("backups").join(name);
        assert_eq!(integrity(&path), "ok", "{name}");
        assert_eq!(count(&path, "SELECT count(*) FROM reviews"), 1, "{name}");
    }
    // `backup --list` shows them all, oldest first.
    let out = env.ok(T0, &["backup", "--list"], "");
    let shown: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(shown.len(), 10, "{}", out.stdout);
    assert!(shown[0].contains(&list[0]) && shown[9].contains(&list[9]));
}

#[test]
fn backup_and_restore_ask_first_and_keep_the_previous_content() {
    let env = Env::new();
    let deck = env.write("t.toml", &small_deck("t", "Test", 30));
    env.import(T0, &deck);
    env.ok(T0, &["review", "--deck", "Test"], &"\n3\n".repeat(3));
    let out = env.ok(T0, &["backup"], "");
    assert!(out.stdout.starts_with("Backed up to "), "{}", out.stdout);
    let manual = out.stdout["Backed up to ".len()..].trim().to_string();
    assert!(manual.ends_with("-manual.sqlite3"), "{manual}");
    assert_eq!(count(Path::new(&manual), "SELECT count(*) FROM reviews"), 3);

    // More work after the backup.
    let later = at(unix(T0) + DAY);
    env.ok(&later, &["review", "--deck", "Test"], &"\n3\n".repeat(5));
    let reviews_now = review_rows(&env.db);
    assert!(reviews_now > 3);
    checkpoint(&env.db);
    let before = std::fs::read(&env.db).expect("read");

    // "n" (or anything but y/yes, or no input at all): nothing changes.
    for answer in ["n\n", "\n", "", "nope\n"] {
        let out = env.run(&later, &["restore", &manual], answer);
        assert_eq!(out.code, 1, "{answer:?}: {}", out.stdout);
        assert!(out.stdout.contains("[y/N]"), "asks first: {}", out.stdout);
        assert!(out.stdout.contains("Nothing changed."), "{}", out.stdout);
        assert_same_bytes(&env.db, &before, &format!("{answer:?}"));
    }
    // "y" restores, after saving the current content.
    let out = env.ok(&later, &["restore", &manual], "y\n");
    assert!(out.stdout.contains("Restored from"), "{}", out.stdout);
    assert_eq!(review_rows(&env.db), 3);
    let saved = out
        .stdout
        .split("The previous database is in ")
        .nth(1)
        .map(|s| s.trim().trim_end_matches('.').to_string())
        .expect("names the saved copy");
    assert!(saved.contains("before-restore"), "{saved}");
    assert_eq!(
        count(
            Path::new(&saved),
            "SELECT count(*) FROM reviews WHERE source = 'review'"
        ),
        reviews_now
    );
    // --yes does not ask, and restoring the saved copy brings the later work back.
    let out = env.ok(&later, &["restore", "--yes", &saved], "");
    assert!(!out.stdout.contains("[y/N]"));
    assert_eq!(review_rows(&env.db), reviews_now);
    assert_eq!(integrity(&env.db), "ok");

    // A damaged or foreign file is not restored, and nothing changes.
    checkpoint(&env.db);
    let before = std::fs::read(&env.db).expect("read");
    let junk = env.write("junk.sqlite3", "not a database at all");
    let out = env.run(
        &later,
        &["restore", "--yes", junk.to_str().expect("path")],
        "",
    );
    assert_refused(&out, "junk backup");
    assert!(out.stderr.contains("junk.sqlite3"), "{}", out.stderr);
    let missing = env.dir.path().join("missing.sqlite3");
    let out = env.run(
        &later,
        &["restore", "--yes", missing.to_str().expect("path")],
        "",
    );
    assert_refused(&out, "missing backup");
    checkpoint(&env.db);
    assert_same_bytes(&env.db, &before, "file changed");
}

#[test]
fn restore_works_when_the_current_database_is_damaged() {
    let env = Env::new();
    let bytes = healthy_database_bytes(&env);
    let out = env.ok(T0, &["backup"], "");
    let manual = out.stdout["Backed up to ".len()..].trim().to_string();
    std::fs::write(&env.db, &bytes[..bytes.len() / 2]).expect("damage");
    let out = env.run(T0, &["restore", "--yes", &manual], "");
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(integrity(&env.db), "ok");
}

#[test]
fn a_damaged_database_is_not_backed_up_over_healthy_backups() {
    let env = Env::new();
    let bytes = healthy_database_bytes(&env);
    let root = table_root(&bytes, "cards_queue");
    let page = page_size(&bytes);
    let mut damaged = bytes.clone();
    for b in &mut damaged[(root - 1) * page + 8..root * page] {
        *b = 0x5a;
    }
    std::fs::write(&env.db, &damaged).expect("damage");
    let before = backups(&env);
    env.run(&at(unix(T0) + 5 * DAY), &["decks"], "");
    assert_eq!(backups(&env), before, "a damaged copy was added");
}

// ---------------------------------------------------------------------------- upgrades

#[allow(non_snake_case)]
fn V1_FIXTURE() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/db/v1.sqlite3")
}

/// Review-log rows in the v1 fixture: 14 from reviews, 1 from an interview answer.
const V1_REVIEWS: i64 = 15;

/// `import --dry-run` only looks: an older version's database is upgraded in memory for the
/// report, and the file is left as it was, with no backup made.
#[test]
fn a_dry_run_leaves_an_older_database_as_it_was() {
    let fixture = V1_FIXTURE();
    let env = Env::new();
    std::fs::copy(&fixture, &env.db).expect("copy");
    let original = std::fs::read(&env.db).expect("read");
    dry_run_one_new_card(&env);
    assert_same_bytes(&env.db, &original, "dry run");
    assert!(!env.dir.path().join("backups").exists());
    assert_eq!(user_version(&env.db), 1);
}

/// A dry run on a database whose built-in decks are an older alt-prep's does not bring them
/// up to date on disk (the next real command does): it looks at a copy.
#[test]
fn a_dry_run_leaves_older_built_in_decks_on_disk_as_they_were() {
    let env = Env::new();
    env.ok(T0, &["decks"], "");
    let edit = rusqlite::Connection::open(&env.db).expect("open");
    edit.execute(
        "UPDATE settings SET value = 'older' WHERE key = 'builtin_decks_version'",
        [],
    )
    .expect("version");
    edit.execute(
        "UPDATE cards SET front = 'an older wording', content_hash = 0 WHERE id = (SELECT min(c.id) FROM cards c
           JOIN decks d ON d.id = c.deck_id WHERE d.builtin = 1)",
        [],
    )
    .expect("card");
    drop(edit);
    dry_run_one_new_card(&env);
    assert_eq!(
        count(
            &env.db,
            "SELECT count(*) FROM settings WHERE value = 'older' AND key = 'builtin_decks_version'"
        ),
        1
    );
    assert_eq!(
        count(
            &env.db,
            "SELECT count(*) FROM cards WHERE front = 'an older wording'"
        ),
        1
    );
    env.ok(T0, &["decks"], "");
    assert_eq!(
        count(
            &env.db,
            "SELECT count(*) FROM cards WHERE front = 'an older wording'"
        ),
        0,
        "a real command updates them"
    );
}

/// `import --dry-run` of a one-card CSV, which would add it.
fn dry_run_one_new_card(env: &Env) {
    let csv = env.write("new.csv", "front,back\nq,a\n");
    let out = env
        .ok(
            T0,
            &["import", "--dry-run", "--json", csv.to_str().expect("path")],
            "",
        )
        .json();
    assert_eq!(out["added"], 1, "{out}");
}

/// A copy of the schema-1 database opens with the current binary: backed up first (as schema
/// 1), upgraded to the latest version, every card, review, answer and setting kept.
#[test]
fn a_schema_1_database_upgrades_with_everything_in_it() {
    let fixture = V1_FIXTURE();
    let original = std::fs::read(&fixture).expect("fixture");
    assert!(
        !fixture.with_extension("sqlite3-wal").exists(),
        "the fixture needs no WAL file"
    );
    assert_eq!(user_version(&fixture), 1, "fixture is schema 1");
    let env = Env::new();
    std::fs::copy(&fixture, &env.db).expect("copy");
    let counts = |db: &Path| {
        [
            "SELECT count(*) FROM decks",
            "SELECT count(*) FROM cards",
            "SELECT count(*) FROM prompts",
            "SELECT count(*) FROM reviews",
            "SELECT count(*) FROM answers",
            "SELECT count(*) FROM cards WHERE suspended = 1",
        ]
        .map(|sql| count(db, sql))
    };
    let before = counts(&env.db);
    assert_eq!(before[3], V1_REVIEWS);

    let card = env
        .ok(T0, &["card", "v1-fixture/greeting", "--json"], "")
        .json();
    assert_eq!(user_version(&env.db), alt_prep::db::migrate::LATEST);
    assert_eq!(integrity(&env.db), "ok");
    assert_same_bytes(&fixture, &original, "fixture untouched");

    // The before-upgrade backup is the schema-1 database as it was.
    let list = backups(&env);
    let upgrade: Vec<&String> = list
        .iter()
        .filter(|n| n.contains("before-upgrade"))
        .collect();
    assert_eq!(upgrade.len(), 1, "{list:?}");
    let backup = env.dir.path().join("backups").join(upgrade[0]);
    assert_eq!(user_version(&backup), 1);
    assert_eq!(counts(&backup), before);

    // Every card and review is still there (the built-in decks may have grown since v1).
    let after = counts(&env.db);
    assert!(
        after[1] >= before[1] && after[2] >= before[2],
        "{before:?} {after:?}"
    );
    assert_eq!(after[3..], before[3..], "{before:?} {after:?}");
    assert_eq!(deck_cards(&env.db, "V1 fixture"), Some(6));

    // Values recorded from `alt-prep card --json` of the v1 binary.
    assert_eq!(card["state"], "review");
    assert_eq!(card["reps"], 2);
    assert_eq!(card["lapses"], 0);
    assert_eq!(card["due"], "2026-03-10T04:00:00Z");
    assert_eq!(card["last_review"], "2026-03-02T09:00:00Z");
    assert_eq!(card["tags"], serde_json::json!(["staff", "greetings"]));
    assert!((card["stability"].as_f64().expect("s") - 7.3153).abs() < 1e-3);
    assert!((card["difficulty"].as_f64().expect("d") - 2.1112142).abs() < 1e-4);
    assert_eq!(card["back"], "おはようございます (ohayō gozaimasu)");
    let ratings: Vec<i64> = card["reviews"]
        .as_array()
        .expect("reviews")
        .iter()
        .map(|r| r["rating"].as_i64().expect("rating"))
        .collect();
    assert_eq!(ratings, [3, 3]);
    let reverse = env
        .ok(T0, &["card", "v1-fixture/principal-rev", "--json"], "")
        .json();
    assert_eq!(reverse["front"], "校長先生 (kōchō-sensei)");
    assert_eq!(reverse["reps"], 1);
    assert!((reverse["stability"].as_f64().expect("s") - 8.2956).abs() < 1e-3);
    let quote = env
        .ok(T0, &["card", "v1-fixture/quote", "--json"], "")
        .json();
    assert_eq!(
        quote["front"],
        "It's 'quoted' -- and \"double\"; DROP TABLE cards; 100% _x_"
    );
    let suspended = env
        .ok(T0, &["card", "v1-fixture/enkai", "--json"], "")
        .json();
    assert_eq!(suspended["suspended"], true);
    assert_eq!(suspended["reviews"].as_array().map(Vec::len), Some(2));
    // The interview answer and the setting changed under v1.
    let history = env.ok(T0, &["interview", "history", "--json"], "").json();
    assert_eq!(history.as_array().map(Vec::len), Some(1), "{history}");
    let config = env.ok(T0, &["config", "new_per_day"], "");
    assert!(config.stdout.contains("15"), "{}", config.stdout);
    // And it keeps working: a review on the upgraded database.
    let out = env.ok(
        "2026-04-02T09:00:00Z",
        &["review", "--deck", "V1 fixture"],
        "\n3\n",
    );
    assert!(out.stdout.contains("Done: 1 card"), "{}", out.stdout);
    assert_eq!(mismatched_reps(&env.db), 0);
}

// ---------------------------------------------------------------------------- hostile content

const ESC: &str = "\\u001b";

/// A deck whose every displayed field carries terminal escape sequences and other controls:
/// clear screen, OSC title and clipboard writes, alternate screen, cursor moves, 8-bit CSI,
/// bidi overrides, carriage return, backspace and bell.
fn hostile_deck() -> String {
    format!(
        r#"id = "evil"
name = "Evil{ESC}[2J deck{ESC}]0;title\u0007"
description = "desc {ESC}[31mred{ESC}[0m \u009b31m csi8 \u202e rtl"

[[card]]
id = "c1"
front = "Front {ESC}[31mred{ESC}[0m \r overwritten \b\u0007 bell"
back = "Back {ESC}]52;c;ZXZpbA==\u0007 clipboard {ESC}[?1049h"
tags = ["ok", "t2"]

[[card]]
id = "c2"
front = "Second {ESC}c reset"
back = "line1\nline2 {ESC}[A up \u009d osc8"

[[prompt]]
id = "p1"
category = "motivation"
question = "Why {ESC}[2J Japan?"
talking_points = ["point {ESC}[31m one", "two"]
follow_ups = ["follow {ESC}[5m up"]
time_limit_secs = 60
tips = "tip {ESC}[8m hidden"
"#
    )
}

/// Control characters (other than newline and tab) in text meant for a terminal.
fn controls(stdout: &str) -> Vec<char> {
    stdout
        .chars()
        .filter(|c| c.is_control() && *c != '\n' && *c != '\t')
        .collect()
}

#[test]
fn deck_text_never_sends_control_characters_to_the_terminal() {
    let env = Env::new();
    let deck = env.write("evil.toml", &hostile_deck());
    env.import(T0, &deck);
    // Only the hostile prompt, so the interview asks it.
    for name in [
        "Interview: core questions",
        "Interview: scenarios, Japan and curveballs",
    ] {
        env.ok(T0, &["deck", "delete", name, "--yes"], "");
    }
    let deck_name = "Evil\u{1b}[2J deck\u{1b}]0;title\u{7}";
    let runs: Vec<(Vec<&str>, &str)> = vec![
        (vec!["decks"], ""),
        (vec!["cards"], ""),
        (vec!["cards", "--deck", deck_name], ""),
        (vec!["card", "evil/c1"], ""),
        (vec!["card", "evil/c2"], ""),
        (vec!["review", "--deck", deck_name], "\n3\n\n3\n\n1\n"),
        (
            vec!["interview", "--count", "1", "--no-timer"],
            "My answer \u{1b}[31m with escapes \u{7}\n\n3\n",
        ),
        (vec!["interview", "history"], ""),
        (vec!["interview", "categories"], ""),
        (vec!["interview", "prompts"], ""),
    ];
    for (args, stdin) in runs {
        let out = env.ok(T0, &args, stdin);
        assert!(
            out.stdout.len() > 20,
            "{args:?} printed little: {}",
            out.stdout
        );
        assert_eq!(
            controls(&out.stdout),
            Vec::<char>::new(),
            "{args:?}:\n{}",
            out.stdout
        );
        assert!(!out.stdout.as_bytes().contains(&0x1b), "{args:?}");
    }
    // What was shown escaped is stored verbatim.
    let card = env.ok(T0, &["card", "evil/c1", "--json"], "").json();
    assert!(
        card["front"]
            .as_str()
            .expect("front")
            .contains("\u{1b}[31mred")
    );
    assert!(
        card["deck"]
            .as_str()
            .expect("deck")
            .contains("\u{1b}]0;title\u{7}")
    );
    let review = env.ok(T0, &["card", "evil/c1"], "").stdout;
    assert!(review.contains("\\u{1b}[31mred"), "{review}");
}

#[test]
fn confirmations_escape_deck_names() {
    let env = Env::new();
    let deck = env.write("evil.toml", &hostile_deck());
    let name = "Evil\u{1b}[2J deck\u{1b}]0;title\u{7}";
    let renamed = "Renamed \u{1b}[31m";
    let outs = [
        env.ok(T0, &["import", deck.to_str().expect("path")], ""),
        env.ok(
            T0,
            &["add", "--deck", name, "--front", "f", "--back", "b"],
            "",
        ),
        env.ok(T0, &["deck", "rename", name, "Renamed"], ""),
        env.ok(T0, &["deck", "delete", "Renamed", "--yes"], ""),
    ];
    for out in outs {
        assert_eq!(controls(&out.stdout), Vec::<char>::new(), "{}", out.stdout);
    }
    // A typed new name may not hold them, and the refusal shows them escaped.
    env.ok(T0, &["import", deck.to_str().expect("path")], "");
    let out = env.run(T0, &["deck", "rename", name, renamed], "");
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(out.stderr.contains("control characters"), "{}", out.stderr);
    assert_eq!(controls(&out.stderr), Vec::<char>::new(), "{}", out.stderr);
}

/// Tags are printed as they are by `alt-prep card`, so a tag with a control character is
/// refused at import, and by `add`.
#[test]
fn tags_with_control_characters_are_refused() {
    let env = Env::new();
    let deck = hostile_deck().replace(r#""ok", "t2""#, &format!(r#""ok", "t{ESC}[1m""#));
    let path = env.write("evil.toml", &deck);
    let out = env.run(T0, &["import", path.to_str().expect("path")], "");
    assert_refused(&out, "tag with ESC");
    assert!(out.stderr.contains("evil.toml:5:"), "{}", out.stderr);
    assert!(out.stderr.contains("control characters"), "{}", out.stderr);
    assert_eq!(controls(&out.stderr), Vec::<char>::new(), "{}", out.stderr);
    let out = env.run(
        T0,
        &[
            "add",
            "--deck",
            "D",
            "--front",
            "f",
            "--back",
            "b",
            "--tag",
            "x\u{1b}[1m",
        ],
        "",
    );
    assert_refused(&out, "add --tag");
}

/// A zip with the given entries, stored.
fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut writer = zip::ZipWriter::new(&mut out);
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        for (name, bytes) in entries {
            writer.start_file(*name, stored).expect("entry");
            writer.write_all(bytes).expect("write");
        }
        writer.finish().expect("finish");
    }
    out.into_inner()
}

/// A schema-11 Anki collection: `schema` creates the tables, `rows` fills them.
fn collection(schema: &str, rows: &str) -> Vec<u8> {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("c.anki2");
    let conn = rusqlite::Connection::open(&path).expect("create");
    conn.execute_batch(schema).expect("schema");
    conn.execute_batch(rows).expect("rows");
    drop(conn);
    std::fs::read(&path).expect("read")
}

const ANKI11: &str = "
CREATE TABLE col (id integer primary key, models text, decks text);
CREATE TABLE notes (id integer primary key, guid text, mid integer, tags text, flds text);
CREATE TABLE cards (id integer primary key, nid integer, did integer, odid integer, ord integer, queue integer);
CREATE TABLE revlog (id integer primary key, cid integer, ease integer, time integer, type integer, factor integer);";

const BASIC_MODEL: &str = r#"{"10": {"id": 10, "name": "Basic", "type": 0,
    "flds": [{"name": "Front", "ord": 0}, {"name": "Back", "ord": 1}],
    "tmpls": [{"name": "Card 1", "ord": 0, "qfmt": "{{Front}}", "afmt": "{{Back}}"}]}}"#;

fn col_row(models: &str) -> String {
    format!(
        "INSERT INTO col VALUES (1, '{}', '{{\"1\": {{\"id\": 1, \"name\": \"Imported\"}}}}');",
        models.replace('\'', "''")
    )
}

/// Imports `package` as `name`; must be refused, quickly and with bounded memory, with the
/// database unchanged. Returns the message.
fn apkg_refused(env: &Env, name: &str, package: &[u8]) -> String {
    let path = env.dir.path().join(name);
    std::fs::write(&path, package).expect("write");
    let cards = count(&env.db, "SELECT count(*) FROM cards");
    let started = Instant::now();
    let out = env.run(T0, &["import", path.to_str().expect("path")], "");
    assert_refused(&out, name);
    assert!(out.stderr.contains(name), "{name}: {}", out.stderr);
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{name} took {:?}",
        started.elapsed()
    );
    assert_eq!(count(&env.db, "SELECT count(*) FROM cards"), cards);
    out.stderr
}

#[test]
fn apkg_entries_never_reach_outside_and_bad_collections_are_refused() {
    let env = Env::new();
    fresh_database(&env);
    let good = collection(
        ANKI11,
        &format!(
            "{}
             INSERT INTO notes VALUES (1, 'g1', 10, '', 'Front' || char(31) || 'Back');
             INSERT INTO cards VALUES (1, 1, 1, 0, 0, 0);",
            col_row(BASIC_MODEL)
        ),
    );
    // A well-formed package imports, so the refusals below are about what they change.
    let path = env.dir.path().join("good.apkg");
    std::fs::write(&path, zip_of(&[("collection.anki2", &good)])).expect("write");
    env.import(T0, &path);

    // Path traversal and absolute names: refused, and nothing is written anywhere.
    let work = env.dir.path().join("work/inner");
    std::fs::create_dir_all(&work).expect("mkdir");
    let absolute = env.dir.path().join("absolute-escape.txt");
    let absolute_name = absolute.to_str().expect("path").to_string();
    for evil in [
        "../../escaped.txt",
        "media/../../../escaped.txt",
        absolute_name.as_str(),
        "..\\..\\escaped.txt",
        "C:\\escaped.txt",
    ] {
        let package = zip_of(&[
            ("collection.anki2", &good),
            (evil, b"written outside the package"),
        ]);
        let path = env.dir.path().join("slip.apkg");
        std::fs::write(&path, &package).expect("write");
        let before = listing(env.dir.path());
        let mut cmd = command(&env, T0, &env.db);
        cmd.current_dir(&work).arg("import").arg(&path);
        let out = output(cmd);
        assert_refused(&out, evil);
        assert!(out.stderr.contains("slip.apkg"), "{}", out.stderr);
        assert!(
            out.stderr.contains("absolute path or `..`"),
            "{}",
            out.stderr
        );
        assert!(!env.dir.path().join("escaped.txt").exists());
        assert!(!absolute.exists());
        assert!(listing(&work).is_empty());
        assert_eq!(listing(env.dir.path()), before, "{evil}");
    }

    let model = |fields: usize| {
        let flds: Vec<String> = (0..fields)
            .map(|i| format!(r#"{{"name": "F{i}", "ord": {i}}}"#))
            .collect();
        format!(
            r#"{{"10": {{"id": 10, "name": "Wide", "type": 0, "flds": [{}],
                "tmpls": [{{"name": "C", "ord": 0, "qfmt": "{{{{F0}}}}", "afmt": "{{{{F1}}}}"}}]}}}}"#,
            flds.join(",")
        )
    };
    let note = "INSERT INTO notes VALUES (1, 'g', 10, '', 'a' || char(31) || 'b');
                INSERT INTO cards VALUES (1, 1, 1, 0, 0, 0);";
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "missing-tables.apkg",
            collection("CREATE TABLE col (id integer primary key, models text, decks text);", &col_row(BASIC_MODEL)),
            "could not read",
        ),
        (
            "bad-json.apkg",
            collection(ANKI11, &format!("{}{note}", col_row("{not json"))),
            "not valid JSON",
        ),
        (
            "wide-model.apkg",
            collection(ANKI11, &format!("{}{note}", col_row(&model(5000)))),
            "5000 fields",
        ),
        (
            "wide-note.apkg",
            collection(
                ANKI11,
                &format!(
                    "{}INSERT INTO notes VALUES (1, 'g', 10, '', '{}');",
                    col_row(BASIC_MODEL),
                    "x\u{1f}".repeat(100_000)
                ),
            ),
            "100001 fields",
        ),
        (
            "text-ids.apkg",
            collection(
                ANKI11,
                &format!(
                    "{}INSERT INTO notes VALUES (1, 'g', 10, '', 'a'); INSERT INTO cards VALUES (1, 'one', 'x', 0, 0, 0);",
                    col_row(BASIC_MODEL)
                ),
            ),
            "could not read the cards",
        ),
        (
            "recursive-view.apkg",
            collection(
                &ANKI11.replace(
                    "CREATE TABLE notes (id integer primary key, guid text, mid integer, tags text, flds text);",
                    "CREATE VIEW notes AS WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r)
                     SELECT i AS id, 'g' || i AS guid, 10 AS mid, '' AS tags, 'a' || char(31) || 'b' AS flds FROM r;",
                ),
                &col_row(BASIC_MODEL),
            ),
            "is a view",
        ),
        (
            "generated-column.apkg",
            collection(
                &ANKI11.replace(
                    "flds text);",
                    "x text, flds text AS (printf('%.*c', 500000000, 'x')));",
                ),
                &format!(
                    "{}INSERT INTO notes (id, guid, mid, tags) VALUES (1, 'g', 10, '');",
                    col_row(BASIC_MODEL)
                ),
            ),
            "generated columns",
        ),
        (
            "not-sqlite.apkg",
            b"SQLite format 2 and then some".to_vec(),
            "not an SQLite database",
        ),
    ];
    for (name, db, expect) in cases {
        let message = apkg_refused(&env, name, &zip_of(&[("collection.anki2", &db)]));
        assert!(message.contains(expect), "{name}: {message}");
    }
    assert_eq!(integrity(&env.db), "ok");
}

/// A zstd frame of RLE blocks that inflates to `size` bytes from a few bytes per 128 KiB:
/// a decompression bomb made by hand, cheaply.
fn zstd_bomb(size: u64) -> Vec<u8> {
    const BLOCK: u64 = 128 * 1024;
    let mut out = vec![0x28, 0xb5, 0x2f, 0xfd];
    out.push(0x00); // frame header: no content size, a window descriptor follows
    out.push(7 << 3); // window 2^17 = 128 KiB
    let blocks = size.div_ceil(BLOCK);
    for i in 0..blocks {
        let last = u32::from(i + 1 == blocks);
        let header: u32 = (BLOCK as u32) << 3 | 1 << 1 | last; // RLE block of 128 KiB
        out.extend_from_slice(&header.to_le_bytes()[..3]);
        out.push(b'A');
    }
    out
}

/// A package whose collection inflates past the real limit (1 GiB) is stopped at the limit:
/// exit 1 naming the limit, memory bounded, no temporary file left behind. (The unit test
/// `apkg::tests::decompression_bombs_stop_at_the_limit` does the same with an 8 MiB limit
/// through `parse_with_limits`.)
#[test]
fn a_decompression_bomb_stops_at_the_limit() {
    let env = Env::new();
    fresh_database(&env);
    let limit = alt_prep::deck::apkg::MAX_DECOMPRESSED_BYTES;
    let bomb = zstd_bomb(limit + 1024 * 1024);
    assert!(bomb.len() < 64 * 1024, "{} bytes", bomb.len());
    let package = zip_of(&[("meta", b"\x08\x03"), ("collection.anki21b", &bomb)]);
    let path = env.dir.path().join("bomb.apkg");
    std::fs::write(&path, &package).expect("write");
    let temp = env.dir.path().join("tmp");
    std::fs::create_dir(&temp).expect("mkdir");
    let time = Path::new("/usr/bin/time");
    let mut cmd = if time.exists() {
        let mut cmd = Command::new(time);
        cmd.args(["-f", "maxrss-kb=%M"]).arg(bin());
        cmd
    } else {
        Command::new(bin())
    };
    cmd.env_clear()
        .env("HOME", env.dir.path())
        .env("TZ", "UTC")
        .env("NO_COLOR", "1")
        .env("ALT_PREP_DB", &env.db)
        .env("ALT_PREP_NOW", T0)
        .env("TMPDIR", &temp)
        .arg("import")
        .arg(&path);
    let out = output(cmd);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("bomb.apkg"), "{}", out.stderr);
    assert!(out.stderr.contains("more than 1024 MiB"), "{}", out.stderr);
    assert!(
        listing(&temp).is_empty(),
        "temporary files left: {:?}",
        listing(&temp)
    );
    match out
        .stderr
        .lines()
        .find_map(|l| l.strip_prefix("maxrss-kb="))
        .and_then(|kb| kb.trim().parse::<u64>().ok())
    {
        Some(kb) => assert!(kb < 200 * 1024, "max RSS {kb} KiB"),
        None => eprintln!("skipped: no /usr/bin/time to measure memory"),
    }
}

#[test]
fn long_fields_invalid_utf8_and_nul_bytes_get_located_errors() {
    let env = Env::new();
    fresh_database(&env);
    let cards = count(&env.db, "SELECT count(*) FROM cards");
    let long = "x".repeat(200_000);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "long.csv",
            format!("front,back\nshort,fine\nq,{long}\n").into_bytes(),
            "long.csv:3: `back` is longer than 100000 characters",
        ),
        (
            "long.toml",
            format!("id = \"d\"\nname = \"D\"\n\n[[card]]\nid = \"c\"\nfront = \"{long}\"\nback = \"b\"\n")
                .into_bytes(),
            "long.toml:4: `front` is longer than 100000 characters",
        ),
        (
            "bad-utf8.csv",
            b"front,back\nok,fine\nbad \xff\xfe,x\n".to_vec(),
            "bad-utf8.csv:3: not valid UTF-8",
        ),
        (
            "bad-utf8.toml",
            b"id = \"d\"\nname = \"D \xc3\x28\"\n".to_vec(),
            "bad-utf8.toml:2: is not valid UTF-8",
        ),
        (
            "nul.csv",
            b"front,back\nnul \x00 here,x\n".to_vec(),
            "nul.csv:2: `front` contains a NUL byte",
        ),
        (
            "nul.toml",
            b"id = \"d\"\nname = \"D\"\n[[card]]\nid = \"c\"\nfront = \"a\\u0000b\"\nback = \"b\"\n"
                .to_vec(),
            "nul.toml:3: `front` contains a NUL byte",
        ),
        (
            "nul.md",
            b"Q: what\x00\nA: that\n".to_vec(),
            "nul.md:1: `front` contains a NUL byte",
        ),
    ];
    for (name, bytes, expect) in cases {
        let path = env.dir.path().join(name);
        std::fs::write(&path, &bytes).expect("write");
        let out = env.run(T0, &["import", path.to_str().expect("path")], "");
        assert_refused(&out, name);
        assert!(out.stderr.contains(expect), "{name}: {}", out.stderr);
        assert!(
            out.stderr.len() < 2_000,
            "{name}: the field is not echoed back"
        );
    }
    assert_eq!(count(&env.db, "SELECT count(*) FROM cards"), cards);

    // The longest field accepted is stored and shown whole.
    let longest = "y".repeat(100_000);
    let path = env.write("longest.csv", &format!("front,back\nlongest,{longest}\n"));
    env.import(T0, &path);
    let card = env
        .ok(T0, &["cards", "--deck", "longest", "--json"], "")
        .json();
    assert_eq!(card[0]["back"].as_str().map(str::len), Some(100_000));
}

/// Max RSS in KiB of running alt-prep with `args`, when /usr/bin/time is there.
fn max_rss_kb(env: &Env, args: &[&str]) -> (Out, Option<u64>) {
    let time = Path::new("/usr/bin/time");
    let mut cmd = if time.exists() {
        let mut cmd = Command::new(time);
        cmd.args(["-f", "maxrss-kb=%M"]).arg(bin());
        cmd
    } else {
        Command::new(bin())
    };
    cmd.env_clear()
        .env("HOME", env.dir.path())
        .env("TZ", "UTC")
        .env("NO_COLOR", "1")
        .env("ALT_PREP_DB", &env.db)
        .env("ALT_PREP_NOW", T0)
        .args(args);
    let out = output(cmd);
    let kb = out
        .stderr
        .lines()
        .find_map(|l| l.strip_prefix("maxrss-kb="))
        .and_then(|kb| kb.trim().parse().ok());
    if kb.is_none() {
        eprintln!("skipped: no /usr/bin/time to measure memory");
    }
    (out, kb)
}

/// A million-line CSV whose every row is a mistake (the same front again and again): the
/// learner gets the first 100 problems and a note, quickly, in bounded memory — not a 160 MB
/// list. And a million lines that are mostly blank, with one bad row at the very end, get
/// that row's true line number.
#[test]
fn a_million_line_csv_gets_a_short_answer_in_bounded_memory() {
    let env = Env::new();
    fresh_database(&env);
    env.write("dup.csv", &"same,answer\n".repeat(1_000_000));
    let path = env.dir.path().join("dup.csv");
    let started = Instant::now();
    let (out, kb) = max_rss_kb(&env, &["import", path.to_str().expect("path")]);
    assert_refused(&out, "dup.csv");
    assert!(
        out.stderr.len() < 40_000,
        "{} bytes of errors",
        out.stderr.len()
    );
    assert!(
        out.stderr.contains("stopped after 100 problems"),
        "{}",
        &out.stderr[..out.stderr.len().min(2000)]
    );
    assert!(
        out.stderr
            .contains("dup.csv:2: the front \"same\" appears twice")
    );
    if let Some(kb) = kb {
        assert!(kb < 200 * 1024, "max RSS {kb} KiB");
    }
    eprintln!(
        "million duplicate rows: {:?}, {kb:?} KiB",
        started.elapsed()
    );

    let mut blank = "\n".repeat(999_999);
    blank.insert_str(0, "front,back\nfirst,card\n");
    blank.push_str("no back here\n");
    let path = env.write("blank.csv", &blank);
    let out = env.run(T0, &["import", path.to_str().expect("path")], "");
    assert_refused(&out, "blank.csv");
    assert!(
        out.stderr
            .contains("blank.csv:1000002: expected at least 2 columns"),
        "{}",
        out.stderr
    );
}

/// The whole million-row import, with its time and memory (about 200 s and 390 MB in a debug
/// build): `cargo test --test it -- --ignored --nocapture a_million_valid_rows_import`.
#[test]
#[ignore = "long: imports a million cards"]
fn a_million_valid_rows_import() {
    let env = Env::new();
    fresh_database(&env);
    let mut text = String::with_capacity(20_000_000);
    for i in 0..1_000_000 {
        text.push_str(&format!("q{i},a{i}\n"));
    }
    let path = env.write("million.csv", &text);
    let started = Instant::now();
    let (out, kb) = max_rss_kb(&env, &["import", path.to_str().expect("path")]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(deck_cards(&env.db, "million"), Some(1_000_000));
    eprintln!(
        "a million rows: {:?}, max RSS {kb:?} KiB",
        started.elapsed()
    );
}

/// Quotes, comment markers, LIKE wildcards and parameter markers are data: stored and shown
/// verbatim, matched literally, and never run.
#[test]
fn sql_metacharacters_are_stored_and_shown_verbatim() {
    let env = Env::new();
    let nasty = [
        "Robert'); DROP TABLE cards; --",
        "\" OR \"1\"=\"1",
        "100% of _all_ \\ cards; ?1 :name $x @y",
        "'' || (SELECT sql FROM sqlite_schema) || ''",
    ];
    let mut deck = String::from("id = \"sql\"\nname = \"It's; DROP TABLE decks; --\"\n");
    for (i, text) in nasty.iter().enumerate() {
        deck.push_str(&format!(
            "\n[[card]]\nid = \"c{i}\"\nfront = {front}\nback = {back}\ntags = [\"%\", \"a_b\", \"it's\"]\n",
            front = toml_string(text),
            back = toml_string(&format!("back {text}")),
        ));
    }
    let path = env.write("sql.toml", &deck);
    env.import(T0, &path);
    let tables = count(
        &env.db,
        "SELECT count(*) FROM sqlite_schema WHERE type = 'table'",
    );
    for (i, text) in nasty.iter().enumerate() {
        let card = env
            .ok(T0, &["card", &format!("sql/c{i}"), "--json"], "")
            .json();
        assert_eq!(card["front"], *text);
        assert_eq!(card["back"], format!("back {text}"));
        assert_eq!(card["deck"], "It's; DROP TABLE decks; --");
        assert_eq!(card["tags"], serde_json::json!(["%", "a_b", "it's"]));
        let shown = env.ok(T0, &["card", &format!("sql/c{i}")], "").stdout;
        assert!(shown.contains(&format!("front: {text}")), "{shown}");
    }
    // Listings by deck name and by tag match literally.
    let listed = env
        .ok(
            T0,
            &["cards", "--deck", "It's; DROP TABLE decks; --", "--json"],
            "",
        )
        .json();
    assert_eq!(listed.as_array().map(Vec::len), Some(nasty.len()));
    let out = env.run(T0, &["cards", "--deck", "' OR '1'='1", "--json"], "");
    assert!(
        out.code != 0 || out.json().as_array().is_some_and(Vec::is_empty),
        "{}",
        out.stdout
    );
    // Someone else's cards are tagged "abc" and "a-b": `%` and `_` must not match them.
    env.ok(
        T0,
        &[
            "add", "--deck", "Other", "--front", "f1", "--back", "b", "--tag", "abc",
        ],
        "",
    );
    env.ok(
        T0,
        &[
            "add", "--deck", "Other", "--front", "f2", "--back", "b", "--tag", "a-b",
        ],
        "",
    );
    for (k, tag) in ["%", "a_b"].into_iter().enumerate() {
        let now = at(unix(T0) + (1 + 5 * k as i64) * DAY);
        let session = env.ok(&now, &["review", "--tag", tag], &"\n3\n".repeat(20));
        assert!(
            !session.stdout.contains("[Other]"),
            "--tag {tag}: {}",
            session.stdout
        );
        assert!(session.stdout.contains("[It's; DROP TABLE decks; --]"));
    }
    // add and edit take the same text verbatim.
    let added = env.ok(
        T0,
        &[
            "add", "--deck", "Other", "--front", nasty[0], "--back", nasty[2], "--tag", "it's",
        ],
        "",
    );
    assert!(added.stdout.contains("Added"), "{}", added.stdout);
    let all = env
        .ok(T0, &["cards", "--deck", "Other", "--json"], "")
        .json();
    let added = all
        .as_array()
        .expect("cards")
        .iter()
        .find(|c| c["front"] == nasty[0])
        .expect("added card");
    assert_eq!(added["back"], nasty[2]);
    let id = added["id"].to_string();
    env.ok(T0, &["edit", &id, "--back", nasty[3]], "");
    let edited = env.ok(T0, &["card", &id, "--json"], "").json();
    assert_eq!(edited["back"], nasty[3]);
    assert_eq!(
        count(
            &env.db,
            "SELECT count(*) FROM sqlite_schema WHERE type = 'table'"
        ),
        tables
    );
    assert_eq!(integrity(&env.db), "ok");
    // Exported and imported again, nothing changes.
    let export = env.ok(T0, &["export", "--deck", "It's; DROP TABLE decks; --"], "");
    let again = env.write("again.toml", &export.stdout);
    let out = env.import(T0, &again);
    assert!(
        out.stdout.contains("0 added, 0 updated, 4 unchanged"),
        "{}",
        out.stdout
    );
}

fn toml_string(text: &str) -> String {
    serde_json::to_string(text).expect("quote")
}

// ---------------------------------------------------------------------------- hostile sweep

/// Every row of every table, hashed: "the database is unchanged" without caring whether
/// SQLite rewrote a page.
fn fingerprint(db: &Path) -> u64 {
    use std::hash::{Hash, Hasher};
    let conn = rusqlite::Connection::open(db).expect("open");
    let mut tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        .and_then(|mut stmt| stmt.query_map([], |r| r.get(0))?.collect())
        .expect("tables");
    tables.retain(|t| !t.starts_with("sqlite_"));
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for table in tables {
        table.hash(&mut hasher);
        // Sorted here: some tables are WITHOUT ROWID.
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM \"{table}\""))
            .expect("select");
        let columns = stmt.column_count();
        let mut rows = stmt.query([]).expect("query");
        let mut all = Vec::new();
        while let Some(row) = rows.next().expect("row") {
            let values: Vec<String> = (0..columns)
                .map(|i| format!("{:?}", row.get_ref(i).expect("value")))
                .collect();
            all.push(values);
        }
        all.sort();
        all.hash(&mut hasher);
    }
    hasher.finish()
}

/// A stored zip whose entries are given as (name, bytes), built by hand so the test controls
/// every byte (no check on names, `..` included).
fn raw_zip(entries: &[(&[u8], &[u8])]) -> Vec<u8> {
    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &b in bytes {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in entries {
        let offset = out.len() as u32;
        let crc = crc32(data);
        let (size, name_len) = (data.len() as u32, name.len() as u16);
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        for v in [20u16, 0, 0, 0, 0x21] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        for v in [crc, size, size] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&name_len.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(name);
        out.extend_from_slice(data);
        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        for v in [20u16, 20, 0, 0, 0, 0x21] {
            central.extend_from_slice(&v.to_le_bytes());
        }
        for v in [crc, size, size] {
            central.extend_from_slice(&v.to_le_bytes());
        }
        for v in [name_len, 0, 0, 0, 0] {
            central.extend_from_slice(&v.to_le_bytes());
        }
        central.extend_from_slice(&0u32.to_le_bytes());
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name);
    }
    let start = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    let count = entries.len() as u16;
    for v in [0u16, 0, count, count] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&start.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

/// A note after a successful import ("N media files skipped") quotes the file name: a name
/// with an escape sequence must reach the terminal escaped, like every error message does.
#[test]
fn import_notes_escape_the_file_name() {
    let env = Env::new();
    fresh_database(&env);
    let good = collection(
        ANKI11,
        &format!(
            "{}INSERT INTO notes VALUES (1, 'g1', 10, '', 'F' || char(31) || 'B');
             INSERT INTO cards VALUES (1, 1, 1, 0, 0, 0);",
            col_row(BASIC_MODEL)
        ),
    );
    let path = env.dir.path().join("evil\u{1b}[31mmedia.apkg");
    std::fs::write(&path, zip_of(&[("collection.anki2", &good), ("0", b"img")])).expect("write");
    let mut cmd = command(&env, T0, &env.db);
    cmd.arg("import").arg(&path);
    let out = output(cmd);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("media file(s) skipped"),
        "{}",
        out.stderr
    );
    assert_eq!(controls(&out.stderr), Vec::<char>::new(), "{}", out.stderr);
}

/// A package with a real collection and `extra` empty entries whose central-directory records
/// all point at one local header: about 53 bytes per entry, so a file under the 256 MiB input
/// limit can list five million of them (ZIP64 end records, as real zips with that many do).
fn zip_with_many_entries(collection: &[u8], extra: usize) -> Vec<u8> {
    let base = raw_zip(&[(b"m", b""), (b"collection.anki2", collection)]);
    let eocd = base.len() - 22;
    let word = |at: usize| u32::from_le_bytes([base[at], base[at + 1], base[at + 2], base[at + 3]]);
    let (cd_size, cd_start) = (u64::from(word(eocd + 12)), u64::from(word(eocd + 16)));
    let mut out = base[..eocd].to_vec();
    for i in 0..extra {
        out.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        for v in [20u16, 20, 0, 0, 0, 0x21] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&[0; 12]); // crc, sizes: an empty file
        for v in [7u16, 0, 0, 0, 0] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&[0; 8]); // attributes, local header at offset 0 (`m`)
        out.extend_from_slice(format!("{i:07}").as_bytes());
    }
    let entries = extra as u64 + 2;
    let cd_size = cd_size + extra as u64 * 53;
    let zip64_end = out.len() as u64;
    out.extend_from_slice(&0x0606_4b50u32.to_le_bytes());
    out.extend_from_slice(&44u64.to_le_bytes());
    out.extend_from_slice(&45u16.to_le_bytes());
    out.extend_from_slice(&45u16.to_le_bytes());
    out.extend_from_slice(&[0; 8]);
    for v in [entries, entries, cd_size, cd_start] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(&0x0706_4b50u32.to_le_bytes());
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(&zip64_end.to_le_bytes());
    out.extend_from_slice(&1u32.to_le_bytes());
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    for v in [0u16, 0, 0xFFFF, 0xFFFF] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(&u32::try_from(cd_size).unwrap_or(u32::MAX).to_le_bytes());
    out.extend_from_slice(&u32::try_from(cd_start).unwrap_or(u32::MAX).to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

/// The zip crate reads a package's whole central directory into memory (`ZipArchive::new`)
/// before alt-prep sees a single entry, at about 340 bytes per entry: a 52 MB package listing a
/// million empty entries took 394 MB of RSS (release build, 3 s), a 248 MiB one with five
/// million 1.79 GB and 18.5 s (48 s in a debug build) — under the 256 MiB input limit, past
/// every memory bound the other limits keep (the decompression bomb stays under 200 MB).
/// `deck::apkg` now counts central-directory signatures first and refuses more than
/// `MAX_ENTRIES` (100,000) before the zip crate indexes anything.
#[test]
fn a_package_listing_a_million_entries_is_refused_in_bounded_memory() {
    let env = Env::new();
    fresh_database(&env);
    let good = collection(
        ANKI11,
        &format!(
            "{}INSERT INTO notes VALUES (1, 'g1', 10, '', 'F' || char(31) || 'B');
             INSERT INTO cards VALUES (1, 1, 1, 0, 0, 0);",
            col_row(BASIC_MODEL)
        ),
    );
    let package = zip_with_many_entries(&good, 1_000_000);
    let path = env.dir.path().join("entries.apkg");
    std::fs::write(&path, &package).expect("write");
    let before = fingerprint(&env.db);
    let started = Instant::now();
    let (out, kb) = max_rss_kb(&env, &["import", path.to_str().expect("path")]);
    eprintln!(
        "{} MB package, a million entries: exit {}, {:?}, max RSS {kb:?} KiB",
        package.len() / 1_000_000,
        out.code,
        started.elapsed()
    );
    assert_refused(&out, "entries.apkg");
    assert!(out.stderr.contains("entries.apkg"), "{}", out.stderr);
    assert!(out.stderr.contains("entries"), "{}", out.stderr);
    assert_eq!(fingerprint(&env.db), before);
    if let Some(kb) = kb {
        assert!(kb < 100 * 1024, "max RSS {kb} KiB");
    }
}

/// The issue's "hostile inputs run against the binary", as one table: whatever the file, an
/// import ends with exit 0 or 1 (never a panic, an abort or a signal), says nothing raw to the
/// terminal, and when it fails it leaves the database exactly as it was. Cases with a more
/// precise expectation (the message, the line) have their own tests above; this one holds
/// every format to the same invariants.
#[test]
fn hostile_files_never_crash_nor_half_change_the_database() {
    let env = Env::new();
    fresh_database(&env);
    let mut rng = XorShift::new(0xBAD_F11E);
    let mut noise = |n: usize| -> Vec<u8> { (0..n).map(|_| rng.next() as u8).collect() };
    let nest = |open: &str, close: &str, depth: usize| open.repeat(depth) + &close.repeat(depth);
    // `line` is for line-based formats, where a carriage return would end the line.
    let line = "\u{1b}[2J\u{1b}]0;pwned\u{7}\u{1b}[31m red \u{9b}1m \u{202e} \u{8}";
    let ansi = format!("{line} \r overwritten");
    let sql = "'); DROP TABLE cards;--";
    let good = collection(
        ANKI11,
        &format!(
            "{}INSERT INTO notes VALUES (1, 'g1', 10, '', 'F' || char(31) || 'B');
             INSERT INTO cards VALUES (1, 1, 1, 0, 0, 0);",
            col_row(BASIC_MODEL)
        ),
    );
    let mut wide_row = String::from("front,back\n");
    wide_row.push_str(&"x,".repeat(100_000));
    wide_row.push('\n');
    let mut huge_array = String::from(
        "id = \"arr\"\nname = \"Arr\"\n\n[[card]]\nid = \"c\"\nfront = \"f\"\nback = \"b\"\ntags = [",
    );
    huge_array.push_str(&"\"t\",".repeat(100_000));
    huge_array.push_str("]\n");
    let cases: Vec<(String, Vec<u8>)> = vec![
        // Terminal escapes in every format's fields, deck names and file names.
        (
            "ansi.csv".into(),
            format!("front,back\n\"{ansi} front\",\"back {ansi}\"\n").into_bytes(),
        ),
        ("ansi.tsv".into(), format!("{line}\tback\nq2\t{line}\n").into_bytes()),
        (
            "ansi.json".into(),
            serde_json::json!({"id": "ansi", "name": format!("Deck {ansi}"), "card": [
                {"id": "c1", "front": format!("f {ansi}"), "back": format!("b {ansi}")}]})
            .to_string()
            .into_bytes(),
        ),
        ("ansi.md".into(), format!("# MD {line}\n\nQ: {line}?\nA: {line}\n").into_bytes()),
        (
            "ansi.txt".into(),
            format!("#separator:tab\n#html:false\n#deck:Text {line}\n{line}\tback\n").into_bytes(),
        ),
        (
            "evil\u{1b}[31mname.csv".into(),
            b"front,back\nfile name,with an escape\n".to_vec(),
        ),
        (
            "evil\u{1b}]0;x\u{7}bad.toml".into(),
            b"this is = not [toml".to_vec(),
        ),
        (
            "apkg-ansi.apkg".into(),
            zip_of(&[(
                "collection.anki2",
                &collection(
                    ANKI11,
                    &format!(
                        "{}INSERT INTO notes VALUES (1, 'g1', 10, '', '{ansi}' || char(31) || 'B {ansi}');
                         INSERT INTO cards VALUES (1, 1, 1, 0, 0, 0);",
                        col_row(BASIC_MODEL)
                    ),
                ),
            )]),
        ),
        // NUL bytes and invalid UTF-8 where the other tests do not put them.
        ("nul.tsv".into(), b"front\tback\nq\x00\ta\n".to_vec()),
        ("nul.json".into(), b"{\"id\": \"n\", \"name\": \"N\x00\"}".to_vec()),
        ("nul.txt".into(), b"#separator:tab\nq\x00\ta\n".to_vec()),
        ("bad-utf8.md".into(), b"Q: caf\xe9?\nA: \xff\xfe\n".to_vec()),
        ("bad-utf8.json".into(), b"{\"id\": \"u\", \"name\": \"\xc3\x28\"}".to_vec()),
        ("bad-utf8.txt".into(), b"#separator:tab\n\xf0\x28\x8c\x28\tback\n".to_vec()),
        ("utf16-garbage.csv".into(), b"\xff\xfef\x00r\x00\x00\xd8".to_vec()),
        // Sizes and shapes.
        (
            "ten-mb-field.csv".into(),
            format!("front,back\nq,{}\n", "y".repeat(10 * 1024 * 1024)).into_bytes(),
        ),
        ("wide-row.csv".into(), wide_row.into_bytes()),
        (
            "wide-header.txt".into(),
            format!("#separator:tab\n#columns:{}\nq\ta\n", "c\t".repeat(100_000)).into_bytes(),
        ),
        ("deep-array.json".into(), nest("[", "]", 100_000).into_bytes()),
        ("deep-object.json".into(), nest("{\"a\":", "}", 100_000).into_bytes()),
        ("deep-array.toml".into(), format!("x = {}\n", nest("[", "]", 100_000)).into_bytes()),
        ("deep-table.toml".into(), format!("x = {}\n", nest("{a=", "}", 50_000)).into_bytes()),
        ("dotted-keys.toml".into(), format!("{} = 1\n", vec!["a"; 100_000].join(".")).into_bytes()),
        ("huge-array.toml".into(), huge_array.into_bytes()),
        ("huge-number.json".into(), br#"{"id": "n", "name": 1e999999, "card": []}"#.to_vec()),
        ("unclosed-quote.csv".into(), format!("front,back\n\"{}", "q".repeat(1_000_000)).into_bytes()),
        ("questions-only.md".into(), "Q: why?\n".repeat(100_000).into_bytes()),
        ("only-cr.csv".into(), b"front,back\rq,a\r\r\r".to_vec()),
        // SQL metacharacters everywhere a name or id goes.
        (
            "sql.csv".into(),
            format!("front,back,tags\n{sql},{sql},x\n\"a\"\"; --\",%_\\,y\n").into_bytes(),
        ),
        (
            "sql.toml".into(),
            format!(
                "id = \"sql\"\nname = {}\n\n[[card]]\nid = \"c1\"\nfront = {}\nback = \"b\"\n",
                toml_string(sql),
                toml_string(sql)
            )
            .into_bytes(),
        ),
        ("sql-id.toml".into(), format!("id = {}\nname = \"x\"\n", toml_string(sql)).into_bytes()),
        // Nothing, or next to nothing.
        ("empty.csv".into(), Vec::new()),
        ("empty.toml".into(), Vec::new()),
        ("empty.json".into(), Vec::new()),
        ("empty.md".into(), Vec::new()),
        ("empty.apkg".into(), Vec::new()),
        ("bom-only.csv".into(), b"\xef\xbb\xbf".to_vec()),
        ("bom-only.toml".into(), b"\xef\xbb\xbf".to_vec()),
        ("bom-only.txt".into(), b"\xef\xbb\xbf".to_vec()),
        ("bom-only.json".into(), b"\xef\xbb\xbf".to_vec()),
        ("no-extension".into(), noise(4096)),
        // Packages: random bytes, a zip's magic and nothing else, path traversal, a zip
        // inside a zip, a directory entry, a truncated good package.
        ("random.apkg".into(), noise(65_536)),
        ("random.colpkg".into(), noise(1_000)),
        ("magic-only.apkg".into(), b"PK\x03\x04".to_vec()),
        ("eocd-only.apkg".into(), b"PK\x05\x06\0\0\0\0\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\0\0".to_vec()),
        (
            "dotdot.apkg".into(),
            raw_zip(&[(b"collection.anki2", &good), (b"../evil", b"outside")]),
        ),
        (
            "dotdot-collection.apkg".into(),
            raw_zip(&[(b"../collection.anki2", &good)]),
        ),
        (
            "nul-name.apkg".into(),
            raw_zip(&[(b"collection.anki2", &good), (b"media\x00/../../x", b"x")]),
        ),
        (
            "nested.apkg".into(),
            zip_of(&[("collection.anki2", &zip_of(&[("collection.anki2", &good)]))]),
        ),
        ("dir-entry.apkg".into(), zip_of(&[("collection.anki2/", b"")])),
        (
            "truncated.apkg".into(),
            zip_of(&[("collection.anki2", &good)])[..good.len() / 2].to_vec(),
        ),
        ("random-collection.apkg".into(), zip_of(&[("collection.anki2", &noise(8192))])),
    ];
    let started = Instant::now();
    let mut outcomes = Vec::new();
    for (name, bytes) in &cases {
        let path = env.dir.path().join(name);
        std::fs::write(&path, bytes).expect("write");
        let before = fingerprint(&env.db);
        let listed_before = listing(env.dir.path());
        let mut cmd = command(&env, T0, &env.db);
        cmd.arg("import").arg(&path);
        let out = output(cmd);
        let what = name.escape_debug().to_string();
        assert!(
            matches!(out.code, 0 | 1),
            "{what}: exit {} (a signal or a panic)\n{}",
            out.code,
            out.stderr
        );
        assert!(!out.stderr.contains("panicked"), "{what}: {}", out.stderr);
        assert!(!out.stdout.contains('\u{1b}'), "{what}: raw ESC on stdout");
        assert!(!out.stderr.contains('\u{1b}'), "{what}: raw ESC on stderr");
        assert!(
            out.stderr.len() < 40_000,
            "{what}: {} bytes of errors",
            out.stderr.len()
        );
        if out.code == 1 {
            assert!(
                out.stderr.starts_with("alt-prep: "),
                "{what}: {}",
                out.stderr
            );
            assert_eq!(
                fingerprint(&env.db),
                before,
                "{what}: a failed import changed the database"
            );
        }
        // Nothing written beside the deck (an entry named `../evil` included).
        assert_eq!(
            listing(env.dir.path()),
            listed_before,
            "{what}: files written"
        );
        let must_import = name.starts_with("ansi.")
            || name.starts_with("apkg-ansi")
            || name.starts_with("evil\u{1b}[31m")
            || name.starts_with("sql.");
        if must_import {
            assert_eq!(out.code, 0, "{what} is a valid deck: {}", out.stderr);
            assert!(!out.stdout.is_empty(), "{what}");
        }
        outcomes.push(format!("{what}: {}", out.code));
    }
    assert!(!env.dir.path().join("evil").exists());
    assert_eq!(integrity(&env.db), "ok");
    assert_eq!(
        count(
            &env.db,
            "SELECT count(*) FROM sqlite_schema WHERE name = 'cards'"
        ),
        1
    );
    // What was imported is listed without raw escapes.
    for args in [&["decks"][..], &["cards"]] {
        let out = env.ok(T0, args, "");
        assert_eq!(controls(&out.stdout), Vec::<char>::new(), "{args:?}");
        assert!(
            out.stdout.contains("\\u{1b}[2J"),
            "{args:?} shows the escapes escaped"
        );
    }
    let elapsed = started.elapsed();
    eprintln!(
        "{} hostile files in {elapsed:?}: {}",
        cases.len(),
        outcomes.join(", ")
    );
}
