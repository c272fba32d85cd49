//! Crash safety of `review`: the real binary is killed (SIGKILL) in the middle of a session,
//! over and over on the same database. Every answer the session acknowledged (by showing the
//! next card) must be on disk, the database must pass `PRAGMA integrity_check`, and each card
//! and its review log must agree (README: "Each answer is saved before the next card
//! appears").

use crate::harness::*;
use crate::month::XorShift;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

const T0: &str = "2026-04-01T09:00:00Z";
/// No single session may take longer than this; the child is killed and the test fails.
const WATCHDOG: Duration = Duration::from_secs(10);

fn env_with_deck(n: usize) -> Env {
    let env = Env::new();
    let deck = env.write("t.toml", &small_deck("t", "Test", n));
    env.import(T0, &deck);
    env
}

fn is_header(line: &str) -> bool {
    line.starts_with("new ") && line.contains(" · learning ") && line.contains(" · due ")
}

/// A running `alt-prep review --deck Test` with piped stdin and stdout. A reader thread
/// forwards stdout line by line over a channel, so every wait has a deadline: if the child
/// stops talking, it is killed and the test fails instead of hanging.
struct Session {
    child: Child,
    stdin: ChildStdin,
    lines: Receiver<String>,
    reader: Option<JoinHandle<()>>,
    deadline: Instant,
    transcript: String,
}

impl Session {
    fn spawn(env: &Env, now: &str) -> Session {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("alt-prep"))
            .args(["review", "--deck", "Test"])
            .env_clear()
            .env("HOME", env.dir.path())
            .env("TZ", "UTC")
            .env("NO_COLOR", "1")
            .env("ALT_PREP_DB", &env.db)
            .env("ALT_PREP_NOW", now)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn alt-prep");
        let stdin = child.stdin.take().expect("piped stdin");
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, lines) = channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Session {
            child,
            stdin,
            lines,
            reader: Some(reader),
            deadline: Instant::now() + WATCHDOG,
            transcript: String::new(),
        }
    }

    /// The next line matching `want`, or `None` if stdout ended first. Kills the child and
    /// panics when the watchdog deadline passes.
    fn wait_for(&mut self, want: impl Fn(&str) -> bool) -> Option<String> {
        loop {
            let left = self.deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.transcript.push_str(&line);
                    self.transcript.push('\n');
                    if want(&line) {
                        return Some(line);
                    }
                }
                Err(RecvTimeoutError::Disconnected) => return None,
                Err(RecvTimeoutError::Timeout) => {
                    self.kill();
                    panic!("watchdog: no progress in {WATCHDOG:?}\n{}", self.transcript);
                }
            }
        }
    }

    fn send(&mut self, text: &str) {
        self.stdin
            .write_all(text.as_bytes())
            .and_then(|()| self.stdin.flush())
            .unwrap_or_else(|e| panic!("write to alt-prep: {e}\n{}", self.transcript));
    }

    /// SIGKILL (what `Child::kill` sends on Unix), then reap the child and the reader.
    fn kill(&mut self) {
        // The child may have exited on its own already (end of session): that is fine.
        let _ = self.child.kill();
        self.child.wait().expect("wait for alt-prep");
        if let Some(reader) = self.reader.take() {
            reader.join().expect("reader thread");
        }
    }
}

impl Drop for Session {
    /// A failing test still leaves no process behind.
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One killed session: `k` answers are acknowledged, then the child is killed at the question,
/// at the answer, or right after sending an answer (in flight). Returns (acknowledged,
/// whether an answer was in flight).
fn killed_session(env: &Env, now: &str, k: usize, mode: u64) -> (i64, bool) {
    let mut s = Session::spawn(env, now);
    if s.wait_for(is_header).is_none() {
        s.kill();
        panic!("nothing to review at {now}:\n{}", s.transcript);
    }
    let mut acked = 0;
    let mut ended = false;
    for _ in 0..k {
        s.wait_for(|l| l.starts_with("Enter: show answer"))
            .unwrap_or_else(|| panic!("no question prompt\n{}", s.transcript));
        s.send("\n");
        s.wait_for(|l| l.starts_with("1 Again"))
            .unwrap_or_else(|| panic!("no choices line\n{}", s.transcript));
        s.send("3\n");
        // Acknowledged: the next card's header (or the summary, if that was the last card).
        let next = s
            .wait_for(|l| is_header(l) || l.starts_with("Done:"))
            .unwrap_or_else(|| panic!("no acknowledgement\n{}", s.transcript));
        acked += 1;
        if next.starts_with("Done:") {
            ended = true;
            break;
        }
    }
    let mut in_flight = false;
    if !ended {
        match mode {
            // Killed while the question is shown (or about to be).
            0 => {}
            // Killed while the answer side waits for a rating.
            1 => {
                s.wait_for(|l| l.starts_with("Enter: show answer"));
                s.send("\n");
                s.wait_for(|l| l.starts_with("1 Again"));
            }
            // Killed right after a rating was sent: it may or may not be saved.
            _ => {
                s.wait_for(|l| l.starts_with("Enter: show answer"));
                s.send("\n");
                s.wait_for(|l| l.starts_with("1 Again"));
                s.send("3\n");
                in_flight = true;
            }
        }
    }
    s.kill();
    (acked, in_flight)
}

fn check_database(env: &Env) -> i64 {
    let conn = rusqlite::Connection::open(&env.db).expect("open the database");
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity_check");
    assert_eq!(check, "ok");
    let mismatched: i64 = conn
        .query_row(
            "SELECT count(*) FROM cards c WHERE c.reps != \
             (SELECT count(*) FROM reviews r WHERE r.card_id = c.id)",
            [],
            |r| r.get(0),
        )
        .expect("reps query");
    assert_eq!(
        mismatched, 0,
        "cards whose reps disagree with their review log"
    );
    conn.query_row(
        "SELECT count(*) FROM reviews WHERE source = 'review'",
        [],
        |r| r.get(0),
    )
    .expect("count reviews")
}

/// `iterations` killed sessions, one study day apart, on the same database. Returns the
/// number of review rows at the end.
fn kill_repeatedly(env: &Env, iterations: i64, seed: u64) -> i64 {
    let mut rng = XorShift::new(seed);
    // What is on disk after the previous iteration: every acknowledged answer, plus possibly
    // an answer that was in flight. Each iteration's bounds start from the actual count, so an
    // in-flight answer that did land is not counted twice against the upper bound.
    let mut saved = 0;
    let mut acked_total = 0;
    let t0 = unix(T0);
    for i in 0..iterations {
        let now = at(t0 + i * DAY);
        let k = rng.below(8) as usize + 1;
        let mode = rng.below(3);
        let (acked, in_flight) = killed_session(env, &now, k, mode);
        acked_total += acked;
        let rows = check_database(env);
        assert!(
            rows >= saved + acked && rows <= saved + acked + i64::from(in_flight),
            "iteration {i} (k {k}, mode {mode}): {rows} review rows, {saved} before, {acked} \
             acknowledged, in flight {in_flight}"
        );
        saved = rows;
    }
    assert!(
        acked_total >= iterations,
        "every session acknowledged an answer"
    );
    saved
}

#[test]
fn killed_sessions_keep_every_acknowledged_answer() {
    let env = env_with_deck(40);
    kill_repeatedly(&env, 20, 0xC0FF_EE00_2026);
}

#[test]
fn after_kills_a_normal_session_works_and_logs_match_reps() {
    let env = env_with_deck(30);
    let before = kill_repeatedly(&env, 6, 0xBAD_5EED);
    // A normal piped session on the day after the last kill, answering Good to everything.
    let now = at(unix(T0) + 6 * DAY);
    let out = env.ok(&now, &["review", "--deck", "Test"], &"\n3\n".repeat(200));
    assert!(out.stdout.contains("Done: "), "{}", out.stdout);
    let after = check_database(&env);
    assert!(after > before, "the session answered cards");
    let cards = env
        .ok(&now, &["cards", "--deck", "Test", "--json"], "")
        .json();
    let mut answered = 0;
    for c in cards.as_array().expect("array") {
        if c["state"] == "new" {
            continue;
        }
        let key = c["key"].as_str().expect("key");
        let card = env.ok(&now, &["card", key, "--json"], "").json();
        let reviews = card["reviews"].as_array().expect("reviews");
        assert_eq!(
            card["reps"].as_u64(),
            Some(reviews.len() as u64),
            "{key}: reps vs review rows"
        );
        answered += reviews.len() as i64;
    }
    assert_eq!(
        answered, after,
        "every review row belongs to an answered card"
    );
}
