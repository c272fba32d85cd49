//! Draws [`Stats`] for a terminal, within 80 columns: a few lines of figures, the forecast as
//! a bar chart, the last weeks as a calendar heatmap (coloured blocks, or shades of block
//! characters when colour is off), the cards by state and interview progress.

use super::compute::{Means, Stats, Window, civil, monday_of};
use crate::text::{one_line, thousands};
use colored::{ColoredString, Colorize};
use std::fmt::Write;

/// The widest line `render` writes, in terminal columns.
pub const WIDTH: usize = 80;
/// Shades for 0 (no answers) and the four quarters of the busiest day, when colour is off.
const SHADES: [char; 5] = ['·', '░', '▒', '▓', '█'];
/// GitHub's greens, lightest to darkest.
const GREENS: [(u8, u8, u8); 4] = [(155, 233, 168), (64, 196, 99), (48, 161, 78), (33, 110, 57)];
const BARS: [char; 9] = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
const FORECAST_ROWS: usize = 6;
const LABEL: usize = 20;

/// The whole report. `color` chooses coloured blocks or shaded characters for the heatmap
/// (the rest uses `colored`, which the context has already switched on or off).
pub fn render(s: &Stats, color: bool) -> String {
    let mut out = String::new();
    let weekday = civil_of(&s.study_day)
        .map(|d| d.strftime("%A").to_string())
        .unwrap_or_default();
    let scope = match &s.deck {
        Some(deck) => fit(&one_line(deck), 30),
        None => "all decks".to_owned(),
    };
    line(
        &mut out,
        format!(
            "{} {weekday} {} ({scope})",
            "Progress on".bold(),
            s.study_day
        ),
    );
    out.push('\n');
    today(&mut out, s);
    out.push('\n');
    retention(&mut out, s);
    out.push('\n');
    forecast(&mut out, s);
    out.push('\n');
    heatmap(&mut out, s, color);
    out.push('\n');
    cards(&mut out, s);
    if s.interview.answers > 0 {
        out.push('\n');
        interview(&mut out, s);
    }
    out
}

fn line(out: &mut String, text: impl std::fmt::Display) {
    let _ = writeln!(out, "{text}");
}

fn today(out: &mut String, s: &Stats) {
    let t = &s.today;
    let new = if t.new_learned == 1 {
        "1 new card".to_owned()
    } else {
        format!("{} new cards", t.new_learned)
    };
    line(
        out,
        format!(
            "{}  {} answer{} in {} · {new}",
            "Today    ".bold(),
            thousands(t.reviews),
            if t.reviews == 1 { "" } else { "s" },
            duration(t.time_ms),
        ),
    );
    if t.reviews > 0 {
        line(
            out,
            format!(
                "           again {} · hard {} · good {} · easy {}",
                t.again, t.hard, t.good, t.easy
            ),
        );
    }
    let d = &t.due;
    line(
        out,
        format!(
            "{}  {} learning · {} review{} · {} new",
            "Still due".bold(),
            thousands(d.learning),
            thousands(d.review),
            if d.review == 1 { "" } else { "s" },
            thousands(d.new)
        ),
    );
    let st = &s.streak;
    let days = |n: i64| {
        if n == 1 {
            "1 day".into()
        } else {
            format!("{} days", thousands(n))
        }
    };
    let mut streak = format!(
        "{}  {} · longest {} · {} studied",
        "Streak   ".bold(),
        days(st.current),
        thousands(st.longest),
        days(st.days_studied)
    );
    if st.current > 0 && !st.studied_today {
        streak.push_str(" · not yet today");
    }
    line(out, streak);
}

fn retention(out: &mut String, s: &Stats) {
    let r = &s.retention;
    line(
        out,
        format!(
            "{} (review answers not Again; desired {})",
            "True retention".bold(),
            percent(r.desired)
        ),
    );
    let mut head = format!("  {:LABEL$}", "");
    for w in &r.windows {
        let _ = write!(head, "  {:>14}", format!("{} days", w.days));
    }
    line(out, head.dimmed());
    let row = |name: &str, windows: &[Window]| {
        let mut text = format!("  {}", pad(&fit(name, LABEL), LABEL));
        for w in windows {
            let rate = match w.rate {
                Some(rate) => {
                    let shown = format!("{:>6}", percent(rate));
                    if rate + 1e-9 >= r.desired {
                        shown.green()
                    } else if rate + 0.05 >= r.desired {
                        shown.yellow()
                    } else {
                        shown.red()
                    }
                }
                None => ColoredString::from(format!("{:>6}", "-")),
            };
            let _ = write!(text, "  {rate} {:>7}", thousands(w.reviews));
        }
        text
    };
    let label = if s.deck.is_some() {
        "this deck"
    } else {
        "all decks"
    };
    line(out, row(label, &r.windows));
    if s.deck.is_none() {
        for d in &r.decks {
            line(out, row(&one_line(&d.deck), &d.windows));
        }
    }
}

fn forecast(out: &mut String, s: &Stats) {
    let f = &s.forecast;
    let total: i64 = f.days.iter().map(|d| d.due).sum();
    let week: i64 = f.days.iter().take(7).map(|d| d.due).sum();
    let mut title = format!(
        "{}  {} in 7 days · {} in {}",
        "Due soon".bold(),
        thousands(week),
        thousands(total),
        f.days.len()
    );
    if f.overdue > 0 {
        let _ = write!(title, " · {} overdue (shown today)", thousands(f.overdue));
    }
    line(out, title);
    let max = f.days.iter().map(|d| d.due).max().unwrap_or(0);
    if max == 0 {
        line(out, "  nothing scheduled".dimmed());
        return;
    }
    let label_width = thousands(max).len().max(1);
    // Heights in eighths of a row.
    let eighths: Vec<i64> = f
        .days
        .iter()
        .map(|d| {
            let h = d.due * (FORECAST_ROWS as i64 * 8) / max;
            if d.due > 0 { h.max(1) } else { 0 }
        })
        .collect();
    for row in (0..FORECAST_ROWS).rev() {
        let label = if row == FORECAST_ROWS - 1 {
            thousands(max)
        } else if row == 0 {
            "0".to_owned()
        } else {
            String::new()
        };
        let mut text = format!("{label:>label_width$} │");
        for h in &eighths {
            let fill = (h - row as i64 * 8).clamp(0, 8) as usize;
            text.push(BARS[fill]);
            text.push(' ');
        }
        line(out, text.trim_end().cyan());
    }
    // Dates under every seventh day.
    let mut axis = format!("{:label_width$}  ", "");
    for (i, d) in f.days.iter().enumerate().step_by(7) {
        let short = d.date.get(5..).unwrap_or(&d.date);
        let at = label_width + 2 + i * 2;
        while axis.chars().count() < at {
            axis.push(' ');
        }
        axis.push_str(short);
    }
    line(out, axis.dimmed());
}

fn heatmap(out: &mut String, s: &Stats, color: bool) {
    let h = &s.heatmap;
    line(
        out,
        format!(
            "{} ({} answer{} on {} day{}; busiest day {})",
            format!("Last {} weeks", h.weeks).bold(),
            thousands(h.total),
            if h.total == 1 { "" } else { "s" },
            thousands(h.active_days),
            if h.active_days == 1 { "" } else { "s" },
            thousands(h.max)
        ),
    );
    let Some(first) = civil_of(&h.from) else {
        return;
    };
    let first_day = first
        .since(jiff::civil::date(1970, 1, 1))
        .map_or(0, |s| i64::from(s.get_days()));
    let first_monday = monday_of(first_day);
    let weeks = h.days.len().div_ceil(7);
    // Blocks of at most 52 weeks, oldest first, so a long history stays within 80 columns.
    for block_start in (0..weeks).step_by(52) {
        let block_weeks = (weeks - block_start).min(52);
        let mut months = String::from("    ");
        let mut last_month = None;
        for w in 0..block_weeks {
            let monday = first_monday + 7 * (block_start + w) as i64;
            // Label the weeks holding the 1st of a month, a space apart.
            let label = (0..7).find_map(|k| civil(monday + k).filter(|d| d.day() == 1));
            let col = 4 + w;
            if let Some(d) = label
                && last_month != Some(d.month())
                && (months.chars().count() < col || col == 4)
                && col + 3 <= 4 + block_weeks
            {
                while months.chars().count() < col {
                    months.push(' ');
                }
                months.push_str(&d.strftime("%b").to_string());
                last_month = Some(d.month());
            }
        }
        line(out, months.dimmed());
        for weekday in 0..7 {
            let name = ["Mon", "", "Wed", "", "Fri", "", "Sun"][weekday];
            let mut text = format!("{name:<3} ");
            for w in 0..block_weeks {
                let index = 7 * (block_start + w) + weekday;
                let cell = match h.days.get(index) {
                    Some(day) => cell(day.reviews, h.max, color),
                    None => ColoredString::from(" "),
                };
                let _ = write!(text, "{cell}");
            }
            line(out, text.trim_end());
        }
    }
    let mut key = String::from("    less ");
    for level in 0..5 {
        let _ = write!(key, "{}", cell_level(level, color));
    }
    key.push_str(" more");
    line(out, key.dimmed());
}

/// Anki's heatmap levels: nothing, then quarters of the busiest day.
fn level(count: i64, max: i64) -> usize {
    if count <= 0 || max <= 0 {
        0
    } else {
        ((count * 4 + max - 1) / max).clamp(1, 4) as usize
    }
}

fn cell(count: i64, max: i64, color: bool) -> ColoredString {
    cell_level(level(count, max), color)
}

fn cell_level(level: usize, color: bool) -> ColoredString {
    if !color {
        return ColoredString::from(SHADES[level].to_string());
    }
    if level == 0 {
        return "·".bright_black();
    }
    let (r, g, b) = GREENS[level - 1];
    "█".truecolor(r, g, b)
}

fn cards(out: &mut String, s: &Stats) {
    let c = &s.cards;
    line(
        out,
        format!(
            "{}  {} flashcards · {} suspended · {} leech{}",
            "Cards    ".bold(),
            thousands(c.total),
            thousands(c.suspended),
            thousands(c.leeches),
            if c.leeches == 1 { "" } else { "es" }
        ),
    );
    line(
        out,
        format!(
            "           {} new · {} learning · {} relearning",
            thousands(c.new),
            thousands(c.learning),
            thousands(c.relearning)
        ),
    );
    line(
        out,
        format!(
            "           {} young · {} mature (interval of 21 days or more)",
            thousands(c.young),
            thousands(c.mature),
        ),
    );
}

fn interview(out: &mut String, s: &Stats) {
    let i = &s.interview;
    line(
        out,
        format!(
            "{} ({} answers, mean self-rating {} of 4)",
            "Interview practice".bold(),
            thousands(i.answers),
            one(i.mean_rating)
        ),
    );
    line(
        out,
        "  per category: older half → newer half of its answers".dimmed(),
    );
    line(
        out,
        format!(
            "  {:<18} {:>7}  {:<12} {:<12} {}",
            "category", "answers", "rating", "words", "fillers/100w"
        )
        .dimmed(),
    );
    for c in &i.categories {
        let f = &c.first_half;
        let l = &c.last_half;
        let text = format!(
            "  {} {:>7}  {:<12} {:<12} {}",
            pad(&fit(&one_line(&c.category), 18), 18),
            c.all.answers,
            trend(f.mean_rating, l.mean_rating, one),
            trend(f.mean_words, l.mean_words, whole),
            trend(
                f.mean_fillers_per_100_words,
                l.mean_fillers_per_100_words,
                one
            ),
        );
        line(out, text.trim_end());
    }
    if i.weeks.iter().all(|w| w.means.answers == 0) {
        return;
    }
    line(
        out,
        format!(
            "  {:<18} {:>7}  {:<12} {:<12} {}",
            "week of", "answers", "rating", "words", "fillers/100w"
        )
        .dimmed(),
    );
    for w in &i.weeks {
        let m: &Means = &w.means;
        line(
            out,
            format!(
                "  {:<18} {:>7}  {:<12} {:<12} {}",
                w.start,
                m.answers,
                one(m.mean_rating),
                whole(m.mean_words),
                one(m.mean_fillers_per_100_words)
            )
            .trim_end(),
        );
    }
}

fn trend(first: Option<f64>, last: Option<f64>, show: fn(Option<f64>) -> String) -> String {
    match (first, last) {
        (Some(_), Some(_)) => format!("{} → {}", show(first), show(last)),
        _ => show(first.or(last)),
    }
}

fn one(x: Option<f64>) -> String {
    x.map_or_else(|| "-".into(), |x| format!("{x:.1}"))
}

fn whole(x: Option<f64>) -> String {
    x.map_or_else(|| "-".into(), |x| format!("{x:.0}"))
}

fn percent(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

fn civil_of(date: &str) -> Option<jiff::civil::Date> {
    date.parse().ok()
}

/// `18m 20s`, `1h 05m`.
pub fn duration(ms: i64) -> String {
    let secs = ms.max(0) / 1000;
    if secs >= 3600 {
        format!("{}h {:02}m", secs / 3600, secs % 3600 / 60)
    } else {
        format!("{}m {:02}s", secs / 60, secs % 60)
    }
}

/// Terminal columns a string takes: East Asian wide and full-width characters take two.
pub fn width(text: &str) -> usize {
    text.chars().map(char_width).sum()
}

fn char_width(c: char) -> usize {
    let c = c as u32;
    let wide = matches!(c,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x1F300..=0x1F64F
        | 0x1F900..=0x1F9FF | 0x20000..=0x3FFFD);
    if wide { 2 } else { 1 }
}

/// Cuts to at most `cols` columns, marking a cut with `…`.
pub fn fit(text: &str, cols: usize) -> String {
    if width(text) <= cols {
        return text.to_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = char_width(c);
        if used + w > cols.saturating_sub(1) {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// Pads with spaces to `cols` columns.
fn pad(text: &str, cols: usize) -> String {
    let mut out = text.to_owned();
    for _ in width(text)..cols {
        out.push(' ');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::stats::{AnswerSums, CategoryHalves, DueTotals, QuarterTotals, StateCounts};
    use crate::scheduler::DayClock;
    use crate::stats::compute::{StatsInput, compute};
    use jiff::tz::TimeZone;

    fn busy_stats(history_days: Option<u32>) -> Stats {
        let now = 1_775_037_600; // 2026-04-01T10:00:00Z
        let mut quarters = Vec::new();
        for d in 0..800 {
            let at = now - d * 86_400;
            quarters.push(QuarterTotals {
                quarter: at / 900,
                deck_id: 1 + d % 3,
                reviews: (d * 37) % 151,
                duration_ms: 12_345_678,
                review_answers: 10,
                review_passed: 9,
                ..QuarterTotals::default()
            });
        }
        quarters.reverse();
        let sums = AnswerSums {
            answers: 9,
            rated: 9,
            rating_sum: 27,
            with_words: 9,
            words_sum: 900.0,
            with_fillers: 9,
            fillers_sum: 40.0,
        };
        let input = StatsInput {
            now,
            deck: None,
            decks: vec![
                (1, "A very long deck name that goes on and on".into()),
                (2, "学校生活と職員室の日本語とても長い名前".into()),
                (3, "Short".into()),
            ],
            desired_retention: 0.9,
            history_days,
            quarters,
            due: (0..30)
                .map(|d| DueTotals {
                    day: d - 1,
                    review: true,
                    cards: 123_456 / (d + 1),
                })
                .collect(),
            cards: StateCounts {
                total: 1_234_567,
                new: 234_567,
                learning: 34_567,
                relearning: 4_567,
                young: 567_890,
                mature: 345_678,
                suspended: 45_678,
                leeches: 5_678,
            },
            answer_halves: vec![CategoryHalves {
                category: "a category with a very long name indeed".into(),
                first: sums,
                last: sums,
            }],
            answer_quarters: vec![(now / 900, sums)],
            ..StatsInput::default()
        };
        compute(&input, &DayClock::new(TimeZone::UTC, 4))
    }

    /// `colored`'s switch is global, so these tests never set it (other tests run at the same
    /// time): they strip escape codes instead. The integration tests check the real binary
    /// with colour off.
    #[test]
    fn every_line_fits_in_80_columns() {
        for color in [false, true] {
            for days in [None, Some(7), Some(400), Some(3000)] {
                let text = render(&busy_stats(days), color);
                for l in text.lines() {
                    let plain = strip_ansi(l);
                    assert!(width(&plain) <= WIDTH, "{} columns: {plain}", width(&plain));
                }
                let plain = strip_ansi(&text);
                assert!(plain.contains("Mon "), "{plain}");
                if !color {
                    assert!(plain.contains("less ·░▒▓█ more"), "{plain}");
                }
            }
        }
        let text = strip_ansi(&render(&busy_stats(None), false));
        println!("{text}");
        // 52 weeks: seven weekday rows of at most 52 cells after a 4-column label.
        let rows: Vec<&str> = text.lines().filter(|l| l.starts_with("Wed ")).collect();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].chars().count(), 4 + 52);
        assert!(
            rows[0].chars().skip(4).all(|c| SHADES.contains(&c)),
            "{}",
            rows[0]
        );
    }

    fn strip_ansi(text: &str) -> String {
        let mut out = String::new();
        let mut in_escape = false;
        for c in text.chars() {
            match (in_escape, c) {
                (false, '\u{1b}') => in_escape = true,
                (true, 'm') => in_escape = false,
                (true, _) => {}
                (false, c) => out.push(c),
            }
        }
        out
    }

    #[test]
    fn helpers() {
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(999), "999");
        assert_eq!(duration(1_100_000), "18m 20s");
        assert_eq!(duration(3_900_000), "1h 05m");
        assert_eq!(width("日本a"), 5);
        assert_eq!(fit("日本語です", 5), "日本…");
        assert_eq!(level(0, 10), 0);
        assert_eq!(level(1, 10), 1);
        assert_eq!(level(10, 10), 4);
    }
}
