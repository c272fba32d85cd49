//! Where answers come from: single keys on a terminal (raw mode, as in Anki), or one line per
//! action from a pipe (scripts and tests).

use anyhow::{Context, Result};
use std::io::BufRead;

use super::input::Stage;

/// A source of learner input. `None` means the input ended (quit cleanly).
pub trait Input {
    fn next(&mut self, stage: Stage) -> Result<Option<String>>;
    /// Whether what the learner typed is already on screen (line mode) or must be echoed.
    fn echoes(&self) -> bool;
}

/// One line per action.
pub struct Lines<R: BufRead> {
    reader: R,
}

impl<R: BufRead> Lines<R> {
    pub fn new(reader: R) -> Self {
        Lines { reader }
    }
}

impl<R: BufRead> Input for Lines<R> {
    fn next(&mut self, _stage: Stage) -> Result<Option<String>> {
        let mut line = String::new();
        let n = self
            .reader
            .read_line(&mut line)
            .context("could not read input")?;
        Ok((n > 0).then(|| line.trim_end_matches(['\n', '\r']).to_owned()))
    }

    fn echoes(&self) -> bool {
        true
    }
}

/// Single keys, read in raw mode only while waiting, so everything printed uses the
/// terminal's normal line handling. The guard restores the terminal on every exit path,
/// including errors and panics; Ctrl-C arrives as a key and quits.
pub struct Keys;

struct RawGuard;

impl RawGuard {
    fn enable() -> Result<RawGuard> {
        crossterm::terminal::enable_raw_mode().context("could not read single keys")?;
        Ok(RawGuard)
    }
}

impl Drop for RawGuard {
    fn drop(&mut self) {
        let _ = crossterm::terminal::disable_raw_mode();
    }
}

impl Input for Keys {
    fn next(&mut self, stage: Stage) -> Result<Option<String>> {
        use crossterm::event::{Event, KeyCode, KeyEventKind, KeyModifiers, read};
        let _guard = RawGuard::enable()?;
        loop {
            let Event::Key(key) = read().context("could not read a key")? else {
                continue;
            };
            if key.kind == KeyEventKind::Release {
                continue;
            }
            if key.modifiers.contains(KeyModifiers::CONTROL)
                && matches!(key.code, KeyCode::Char('c') | KeyCode::Char('d'))
            {
                return Ok(Some("q".into()));
            }
            return Ok(Some(match (key.code, stage) {
                // Space or Enter reveals; on the answer side they mean Good, as in Anki.
                (KeyCode::Enter | KeyCode::Char(' '), Stage::Question) => String::new(),
                (KeyCode::Enter | KeyCode::Char(' '), Stage::Answer) => "3".into(),
                (KeyCode::Esc, _) => "q".into(),
                (KeyCode::Char(c), _) => c.to_string(),
                _ => continue,
            }));
        }
    }

    fn echoes(&self) -> bool {
        false
    }
}
