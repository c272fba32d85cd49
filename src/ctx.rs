//! The context every command runs in: the clock, where the database is, how to print.
//! Only this file reads the system clock (design.md rule 2); `ALT_PREP_NOW` fixes it.

use crate::cli::ColorWhen;
use crate::db::Db;
use crate::scheduler::{DayClock, Scheduler};
use crate::settings::Settings;
use anyhow::{Context, Result, anyhow};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

pub struct Ctx {
    /// Fixed by `ALT_PREP_NOW`; otherwise the system clock is read on every call.
    fixed_now: Option<Timestamp>,
    pub tz: TimeZone,
    pub db_path: PathBuf,
    /// The platform's data folder was chosen (no `--db`, no `ALT_PREP_DB`): alt-prep makes
    /// that folder on first use, where a `--db` in a missing folder is refused (a typo).
    default_db: bool,
    pub color: bool,
    /// Both stdin and stdout are terminals: keys act at once (raw mode).
    pub interactive: bool,
    /// Stdout is a terminal: even data meant for files (an export) is shown escaped.
    pub stdout_tty: bool,
    pub out: std::io::BufWriter<std::io::Stdout>,
    /// Set when a command opened the database, so today's backup is made once it is done.
    opened_db: std::cell::Cell<bool>,
}

impl Ctx {
    pub fn new(db: Option<PathBuf>, color: ColorWhen) -> Result<Ctx> {
        let fixed_now = match std::env::var("ALT_PREP_NOW") {
            Ok(text) if !text.trim().is_empty() => Some(parse_now(text.trim())?),
            _ => None,
        };
        let tz = local_time_zone();
        let (db_path, default_db) = match db {
            Some(path) => (path, false),
            None => (default_db_path()?, true),
        };
        let stdout_tty = std::io::stdout().is_terminal();
        let color = match color {
            ColorWhen::Always => true,
            ColorWhen::Never => false,
            ColorWhen::Auto => {
                stdout_tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        };
        colored::control::set_override(color);
        Ok(Ctx {
            fixed_now,
            tz,
            db_path,
            default_db,
            color,
            interactive: stdout_tty && std::io::stdin().is_terminal(),
            stdout_tty,
            out: std::io::BufWriter::new(std::io::stdout()),
            opened_db: std::cell::Cell::new(false),
        })
    }

    pub fn timestamp(&self) -> Timestamp {
        self.clock().timestamp()
    }

    /// A copy of the clock, for code that holds `out` mutably while it reads the time.
    pub fn clock(&self) -> Clock {
        Clock {
            fixed_now: self.fixed_now,
        }
    }

    /// Now, in Unix seconds.
    pub fn now(&self) -> i64 {
        self.timestamp().as_second()
    }

    pub fn now_ms(&self) -> i64 {
        self.timestamp().as_millisecond()
    }

    /// Opens the database, creating it and installing the built-in decks on first use.
    pub fn open_db(&self) -> Result<Db> {
        let mut db = self.open_db_file()?;
        // The built-in decks failing to update (say, a deck of the learner's already has a
        // built-in deck's name) must not lock the learner out of their own collection.
        if let Err(e) = crate::cmd::install::ensure_builtin(&mut db, self) {
            let e = crate::db::explain::explain(e, &self.db_path);
            eprintln!(
                "alt-prep: warning: could not update the built-in decks: {}",
                crate::text::safe(&crate::error_chain(&e))
            );
        }
        self.opened_db.set(true);
        Ok(db)
    }

    /// For a command that only looks (`import --dry-run`): the database, or when there is
    /// none yet, a fresh one in memory with the built-in decks, so that looking never
    /// creates a file (or the data folder).
    pub fn open_db_to_look(&self) -> Result<Db> {
        let mut db = if self.db_path.exists() {
            Db::open_to_look(&self.db_path, self.timestamp())?
        } else {
            // Where the real command would refuse the folder, so does the look (`Db::open`
            // says why, and creates nothing when the folder is missing).
            if !self.default_db
                && let Some(dir) = self.db_path.parent()
                && !dir.as_os_str().is_empty()
                && !dir.is_dir()
            {
                return Db::open(&self.db_path, self.timestamp());
            }
            Db::open_in_memory()?
        };
        // Bringing the built-in decks up to this version is a write: do it on a copy.
        if db.path.as_os_str() != ":memory:" && !crate::cmd::install::builtin_current(&db)? {
            db = db.in_memory_copy()?;
        }
        if let Err(e) = crate::cmd::install::ensure_builtin(&mut db, self) {
            eprintln!(
                "alt-prep: warning: could not update the built-in decks: {}",
                crate::text::safe(&crate::error_chain(&e))
            );
        }
        Ok(db)
    }

    /// Opens the database without touching the built-in decks (`check`, `backup`, `restore`).
    /// The default data folder is made on first use; any other folder must exist.
    pub fn open_db_file(&self) -> Result<Db> {
        if self.default_db
            && let Some(dir) = self.db_path.parent()
            && !dir.is_dir()
        {
            std::fs::create_dir_all(dir).with_context(|| {
                format!(
                    "could not create the folder {} for the database; check the permissions of its parent folder, or pass --db PATH (or set ALT_PREP_DB)",
                    dir.display()
                )
            })?;
        }
        Db::open(&self.db_path, self.timestamp())
    }

    /// Today's backup, made after the command rather than before it: copying a large
    /// collection takes seconds, and the learner should not wait for it to see the first card.
    /// A failed backup is reported and never fails the command.
    pub fn daily_backup(&self) {
        if !self.opened_db.get() {
            return;
        }
        let made = Db::open(&self.db_path, self.timestamp())
            .and_then(|db| db.daily_backup(self.timestamp()));
        if let Err(e) = made {
            let e = crate::db::explain::explain(e, &self.db_path);
            eprintln!(
                "alt-prep: warning: could not make today's backup: {}",
                crate::text::safe(&crate::error_chain(&e))
            );
        }
    }

    pub fn settings(&self, db: &Db) -> Result<Settings> {
        let pairs = db.all_settings()?;
        Settings::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .map_err(|e| anyhow!("{e}; fix it with `alt-prep config KEY VALUE`"))
    }

    pub fn day_clock(&self, settings: &Settings) -> DayClock {
        DayClock::new(self.tz.clone(), settings.day_starts_at)
    }

    pub fn scheduler(&self, settings: &Settings) -> Result<Scheduler> {
        Scheduler::new(settings.scheduler.clone(), self.day_clock(settings))
            .context("could not set up the scheduler")
    }

    /// Local wall-clock time of an instant, for messages (`2026-11-29 04:00`).
    pub fn local(&self, unix_secs: i64) -> String {
        match Timestamp::from_second(unix_secs) {
            Ok(ts) => ts
                .to_zoned_datetime(self.tz.clone())
                .strftime("%Y-%m-%d %H:%M")
                .to_string(),
            Err(_) => unix_secs.to_string(),
        }
    }

    pub fn flush(&mut self) -> Result<()> {
        self.out.flush().context("could not write to stdout")
    }
}

/// The clock: `ALT_PREP_NOW` if set, else the system time.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    fixed_now: Option<Timestamp>,
}

impl Clock {
    #[allow(clippy::disallowed_methods)] // the one place the system clock is read
    pub fn timestamp(&self) -> Timestamp {
        self.fixed_now.unwrap_or_else(Timestamp::now)
    }

    pub fn now(&self) -> i64 {
        self.timestamp().as_second()
    }

    pub fn now_ms(&self) -> i64 {
        self.timestamp().as_millisecond()
    }
}

/// `ALT_PREP_NOW` takes RFC 3339 (`2026-04-01T09:00:00+09:00` or `…Z`).
fn parse_now(text: &str) -> Result<Timestamp> {
    text.parse::<Timestamp>().map_err(|e| {
        anyhow!(
            "ALT_PREP_NOW=`{text}` is not an RFC 3339 time like 2026-04-01T09:00:00+09:00 ({e})"
        )
    })
}

/// The learner's time zone, read the cheap way: `TZ` (a zoneinfo name, a path or a POSIX
/// string), else `/etc/localtime`. jiff's `TimeZone::try_system` is the fallback; on Linux it
/// first indexes all of `/usr/share/zoneinfo`, which cost a third of the start-up time at
/// 100,000 cards (measured with callgrind).
fn local_time_zone() -> TimeZone {
    const ZONEINFO: [&str; 3] = [
        "/usr/share/zoneinfo",
        "/usr/lib/zoneinfo",
        "/usr/share/lib/zoneinfo",
    ];
    if let Ok(tz) = std::env::var("TZ") {
        let tz = tz.trim_start_matches(':');
        if tz.is_empty() || tz == "UTC" || tz == "UTC0" {
            return TimeZone::UTC;
        }
        let path = std::path::Path::new(tz);
        let candidates: Vec<PathBuf> = if path.is_absolute() {
            vec![path.to_path_buf()]
        } else if tz.split('/').all(|part| part != ".." && !part.is_empty()) {
            ZONEINFO
                .iter()
                .map(|dir| std::path::Path::new(dir).join(tz))
                .collect()
        } else {
            Vec::new()
        };
        for file in candidates {
            if let Ok(data) = std::fs::read(&file)
                && let Ok(zone) = TimeZone::tzif(tz, &data)
            {
                return zone;
            }
        }
        if let Ok(zone) = TimeZone::posix(tz) {
            return zone;
        }
    }
    if let Ok(data) = std::fs::read("/etc/localtime")
        && let Ok(zone) = TimeZone::tzif("Local", &data)
    {
        return zone;
    }
    TimeZone::try_system().unwrap_or(TimeZone::UTC)
}

/// The platform data directory (`~/.local/share/alt-prep/alt-prep.sqlite3` on Linux).
fn default_db_path() -> Result<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "alt-prep").ok_or_else(|| {
        anyhow!(
            "could not find a home directory for the database; pass --db PATH or set ALT_PREP_DB"
        )
    })?;
    Ok(dirs.data_dir().join("alt-prep.sqlite3"))
}
