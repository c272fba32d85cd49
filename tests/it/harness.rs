//! Runs the real `alt-prep` binary in a clean environment: its own HOME, database, time zone
//! (UTC) and clock (`ALT_PREP_NOW`).

#![allow(dead_code)]

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

pub const DAY: i64 = 86_400;

pub struct Env {
    pub dir: TempDir,
    pub db: PathBuf,
}

pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Out {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\n{}", self.stdout, self.stderr))
    }
}

impl Env {
    pub fn new() -> Env {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = dir.path().join("test.sqlite3");
        Env { dir, db }
    }

    /// A command with a clean environment and the clock fixed at `now` (RFC 3339).
    pub fn cmd(&self, now: &str) -> Command {
        let mut cmd = Command::cargo_bin("alt-prep").expect("binary");
        cmd.env_clear()
            .env("HOME", self.dir.path())
            .env("TZ", "UTC")
            .env("NO_COLOR", "1")
            .env("ALT_PREP_DB", &self.db)
            .env("ALT_PREP_NOW", now);
        cmd
    }

    /// Runs with `stdin` piped in; never panics on a non-zero exit.
    pub fn run(&self, now: &str, args: &[&str], stdin: &str) -> Out {
        let output = self
            .cmd(now)
            .args(args)
            .write_stdin(stdin.as_bytes().to_vec())
            .output()
            .expect("run");
        Out {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Runs and insists on exit 0.
    pub fn ok(&self, now: &str, args: &[&str], stdin: &str) -> Out {
        let out = self.run(now, args, stdin);
        assert_eq!(
            out.code, 0,
            "{args:?} failed:\n{}\n{}",
            out.stdout, out.stderr
        );
        out
    }

    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, text).expect("write");
        path
    }

    /// Imports a deck and restricts later reviews to it via `--deck`.
    pub fn import(&self, now: &str, path: &Path) -> Out {
        self.ok(now, &["import", path.to_str().expect("utf-8 path")], "")
    }

    pub fn sql_count(&self, sql: &str) -> i64 {
        let conn = rusqlite::Connection::open(&self.db).expect("open");
        conn.query_row(sql, [], |r| r.get(0)).expect("query")
    }
}

/// RFC 3339 for a Unix time.
pub fn at(unix: i64) -> String {
    jiff::Timestamp::from_second(unix)
        .expect("time")
        .to_string()
}

pub fn unix(rfc3339: &str) -> i64 {
    rfc3339
        .parse::<jiff::Timestamp>()
        .expect("time")
        .as_second()
}

/// A deck of `n` simple cards, id `c1`… in order.
pub fn small_deck(id: &str, name: &str, n: usize) -> String {
    let mut text = format!("id = \"{id}\"\nname = \"{name}\"\ndescription = \"test\"\n");
    for i in 1..=n {
        text.push_str(&format!(
            "\n[[card]]\nid = \"c{i}\"\nfront = \"Question {i}\"\nback = \"Answer {i}\"\n"
        ));
    }
    text
}
