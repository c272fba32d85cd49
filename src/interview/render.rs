//! How feedback and history look in the terminal. Pure: data in, text out.

use super::feedback::{Feedback, LengthVerdict, TermCount};
use crate::db::answers::{AnswerRow, PromptRow};
use crate::text::{one_line, safe, truncate};
use colored::Colorize;
use std::fmt::Write as _;
use std::io::Write;

fn mark(ok: bool) -> colored::ColoredString {
    if ok { "✓".green() } else { "✗".red() }
}

fn terms(list: &[TermCount]) -> String {
    list.iter()
        .map(|t| format!("{} ×{}", t.term, t.count))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The full feedback block after an answer.
pub fn feedback(f: &Feedback, timer: bool) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "\n{}", "Feedback".bold().underline());
    let verdict = match f.length_verdict {
        LengthVerdict::TooShort => "too short".yellow(),
        LengthVerdict::Good => "a good length".green(),
        LengthVerdict::TooLong => "too long".yellow(),
    };
    let _ = writeln!(
        s,
        "  Length:   {} words, about {:.0}–{:.0} s spoken: {verdict} for {} s",
        f.word_count, f.speaking_secs_min, f.speaking_secs_max, f.time_limit_secs
    );
    if timer {
        let time = format!("{:.0} s of {} s", f.elapsed_secs, f.time_limit_secs);
        let _ = writeln!(
            s,
            "  Time:     {}",
            if f.over_time {
                format!("{time} — over the limit").red()
            } else {
                time.normal()
            }
        );
    }
    let mut fill = terms(&f.fillers);
    if !f.hedges.is_empty() {
        if !fill.is_empty() {
            fill.push_str("; hedges: ");
        } else {
            fill.push_str("hedges: ");
        }
        fill.push_str(&terms(&f.hedges));
    }
    let _ = writeln!(
        s,
        "  Fillers:  {} ({} per 100 words){}",
        f.filler_count,
        f.fillers_per_100_words,
        if fill.is_empty() {
            String::new()
        } else {
            format!(" — {fill}")
        }
    );
    if !f.top_words.is_empty() {
        let words: Vec<String> = f
            .top_words
            .iter()
            .map(|w| format!("{} ({})", safe(&w.word), w.count))
            .collect();
        let _ = writeln!(s, "  Most used: {}", words.join(", "));
    }
    if !f.talking_points.is_empty() {
        let covered = f.talking_points.iter().filter(|p| p.covered).count();
        let _ = writeln!(
            s,
            "  Talking points covered: {covered} of {}",
            f.talking_points.len()
        );
        for p in &f.talking_points {
            let _ = writeln!(s, "    {} {}", mark(p.covered), safe(&p.point));
        }
    }
    if f.star.applicable {
        let _ = writeln!(
            s,
            "  STAR:     {} situation  {} task  {} action  {} result",
            mark(f.star.situation),
            mark(f.star.task),
            mark(f.star.action),
            mark(f.star.result)
        );
    }
    let _ = writeln!(
        s,
        "  Example:  {}",
        if f.has_example { "yes" } else { "none given" }
    );
    if !f.key_terms.is_empty() {
        let _ = writeln!(s, "  ALT terms: {}", f.key_terms.join(", "));
    }
    if !f.notes.is_empty() {
        let _ = writeln!(s, "{}", "To improve".bold());
        // The checklist above already lists missed points one by one.
        for note in f
            .notes
            .iter()
            .filter(|n| !n.starts_with("Missed:") && !n.starts_with("Covered "))
        {
            let _ = writeln!(s, "  • {}", safe(note));
        }
    }
    s
}

/// A short block for follow-up answers.
pub fn brief(f: &Feedback) -> String {
    format!(
        "  {} words · {} fillers ({} per 100 words){}\n",
        f.word_count,
        f.filler_count,
        f.fillers_per_100_words,
        if f.has_example {
            " · with an example"
        } else {
            ""
        }
    )
}

/// What a strong answer covers, the tips, and (outside a full interview) what a panel might
/// ask next.
pub fn model_answer(p: &PromptRow, show_follow_ups: bool) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{}", "A strong answer covers".bold());
    for point in &p.talking_points {
        let _ = writeln!(s, "  - {}", safe(point));
    }
    if !p.tips.trim().is_empty() {
        let _ = writeln!(s, "{} {}", "Tip:".bold(), safe(&p.tips));
    }
    if show_follow_ups && !p.follow_ups.is_empty() {
        let _ = writeln!(s, "{}", "A panel might follow up with".bold());
        for q in &p.follow_ups {
            let _ = writeln!(s, "  ? {}", safe(q));
        }
    }
    s
}

/// One row of the history table: how to show an answer's figure.
type Cell<'a> = Box<dyn Fn(&AnswerRow) -> String + 'a>;

/// Past answers, one column per attempt, so progress on the same prompt is easy to see.
pub fn history(
    out: &mut dyn Write,
    answers: &[AnswerRow],
    when: impl Fn(i64) -> String,
) -> std::io::Result<()> {
    let mut by_prompt: Vec<(&str, Vec<&AnswerRow>)> = Vec::new();
    for a in answers {
        match by_prompt.iter_mut().find(|(k, _)| *k == a.key) {
            Some((_, list)) => list.push(a),
            None => by_prompt.push((&a.key, vec![a])),
        }
    }
    for (key, list) in by_prompt {
        let first = list[0];
        writeln!(
            out,
            "{} {}",
            safe(key).bold(),
            format!("({})", safe(&first.category)).dimmed()
        )?;
        writeln!(out, "{}", truncate(&one_line(&first.question), 100))?;
        let metric = |a: &AnswerRow, name: &str| -> String {
            let m = a.metrics.get("feedback").unwrap_or(&a.metrics);
            match m.get(name) {
                Some(serde_json::Value::Number(n)) => {
                    let v = n.as_f64().unwrap_or(0.0);
                    if v.fract() == 0.0 {
                        format!("{v:.0}")
                    } else {
                        format!("{v:.2}")
                    }
                }
                Some(serde_json::Value::Bool(b)) => if *b { "yes" } else { "no" }.to_owned(),
                _ => "-".to_owned(),
            }
        };
        let rows: [(&str, Cell); 7] = [
            ("date", Box::new(|a: &AnswerRow| when(a.answered_at_ms))),
            (
                "seconds",
                Box::new(|a: &AnswerRow| format!("{:.0}", a.elapsed_ms as f64 / 1000.0)),
            ),
            (
                "words",
                Box::new(move |a: &AnswerRow| metric(a, "word_count")),
            ),
            (
                "fillers/100",
                Box::new(move |a: &AnswerRow| metric(a, "fillers_per_100_words")),
            ),
            (
                "coverage",
                Box::new(move |a: &AnswerRow| metric(a, "coverage")),
            ),
            (
                "example",
                Box::new(move |a: &AnswerRow| metric(a, "has_example")),
            ),
            (
                "rating",
                Box::new(|a: &AnswerRow| {
                    a.rating.map(|r| r.to_string()).unwrap_or_else(|| {
                        if a.metrics.get("follow_up").is_some() {
                            "follow-up".into()
                        } else {
                            "-".into()
                        }
                    })
                }),
            ),
        ];
        for (label, cell) in &rows {
            let cells: Vec<String> = list.iter().map(|a| format!("{:>16}", cell(a))).collect();
            writeln!(out, "  {label:<12}{}", cells.join(""))?;
        }
        for (i, a) in list.iter().enumerate() {
            writeln!(
                out,
                "  {}. {}",
                i + 1,
                truncate(&one_line(&a.text), 110).dimmed()
            )?;
        }
        writeln!(out)?;
    }
    Ok(())
}
