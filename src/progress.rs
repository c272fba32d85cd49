//! A one-line progress bar on stderr for long imports.
//!
//! Drawn only when stderr is a terminal (never into a pipe or a log) and only once the work
//! has taken longer than [`SHOW_AFTER`], so a small import prints nothing extra; redrawn at
//! most every [`REDRAW`], so it costs nothing measurable; erased when done, leaving the
//! summary lines as the only output.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

const SHOW_AFTER: Duration = Duration::from_millis(300);

/// [`SHOW_AFTER`], or `ALT_PREP_PROGRESS_AFTER_MS` when set: a test on a fast machine can
/// see the bar on an import too short to reach the usual delay.
fn show_after() -> Duration {
    std::env::var("ALT_PREP_PROGRESS_AFTER_MS")
        .ok()
        .and_then(|ms| ms.trim().parse().ok())
        .map_or(SHOW_AFTER, Duration::from_millis)
}
const REDRAW: Duration = Duration::from_millis(100);
const WIDTH: usize = 30;

pub struct Progress {
    enabled: bool,
    started: Instant,
    show_after: Duration,
    last_draw: Option<Instant>,
    label: String,
}

impl Progress {
    /// A bar for `label` (the file being read); silent unless stderr is a terminal.
    pub fn new(label: &str) -> Self {
        Self::with_terminal(label, std::io::stderr().is_terminal())
    }

    /// A bar for work that began at `started` (shown once that is [`SHOW_AFTER`] ago).
    pub fn since(label: &str, started: Instant) -> Self {
        let mut progress = Self::new(label);
        progress.started = started;
        progress
    }

    fn with_terminal(label: &str, enabled: bool) -> Self {
        Self {
            enabled,
            started: Instant::now(),
            show_after: if enabled { show_after() } else { SHOW_AFTER },
            last_draw: None,
            label: crate::text::safe(label).into_owned(),
        }
    }

    /// Shows `fraction` (0–1) of the file read and `items` cards so far.
    pub fn update(&mut self, fraction: f64, items: u64) {
        if !self.enabled {
            return;
        }
        let now = Instant::now();
        if now.duration_since(self.started) < self.show_after
            || self
                .last_draw
                .is_some_and(|last| now.duration_since(last) < REDRAW)
        {
            return;
        }
        self.last_draw = Some(now);
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[2K{}", line(&self.label, fraction, items));
        let _ = err.flush();
    }

    /// Replaces the bar with a line of text (`Saving 100,000 cards…` while the import
    /// commits), under the same rules: only on a terminal, only for long work.
    pub fn say(&mut self, text: &str) {
        if !self.enabled || self.started.elapsed() < self.show_after {
            return;
        }
        self.last_draw = Some(Instant::now());
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[2K{}", crate::text::safe(text));
        let _ = err.flush();
    }

    /// Erases the bar, if it was drawn.
    pub fn finish(&mut self) {
        if self.last_draw.take().is_some() {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[2K");
            let _ = err.flush();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

/// `Importing deck.csv [#########.....................]  31%  31,744 cards`
fn line(label: &str, fraction: f64, items: u64) -> String {
    let fraction = if fraction.is_finite() {
        fraction.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let filled = (fraction * WIDTH as f64).round() as usize;
    format!(
        "Importing {label} [{}{}] {:>3}%  {} cards",
        "#".repeat(filled),
        ".".repeat(WIDTH - filled),
        (fraction * 100.0).floor() as u32,
        crate::text::thousands(i64::try_from(items).unwrap_or(i64::MAX))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bar_fills_with_the_fraction_read() {
        assert_eq!(
            line("deck.csv", 0.31, 31_744),
            format!(
                "Importing deck.csv [{}{}]  31%  31,744 cards",
                "#".repeat(9),
                ".".repeat(21)
            )
        );
        assert!(
            line("d", 1.0, 100_000).contains(&format!("[{}] 100%  100,000 cards", "#".repeat(30)))
        );
        assert!(line("d", f64::NAN, 0).contains("[..............................]   0%  0 cards"));
        assert!(line("d", 7.0, 5).contains("100%"));
    }

    #[test]
    fn nothing_is_drawn_off_a_terminal() {
        let mut p = Progress::with_terminal("x", false);
        p.started -= Duration::from_secs(5);
        p.update(0.5, 10);
        assert!(p.last_draw.is_none());
    }
}
