//! How a card looks. Deck text passes through `text::safe` before it reaches the terminal.

use crate::db::cards::CardRow;
use crate::model::Rating;
use crate::scheduler::Answered;
use crate::scheduler::interval::describe_secs;
use crate::text::safe;
use colored::Colorize;

/// `new 12 · learning 3 · due 40`
pub fn header(new: u32, learning: u32, learning_cap: u32, due: u32) -> String {
    let learning = if learning >= learning_cap {
        format!("{learning_cap}+")
    } else {
        learning.to_string()
    };
    format!(
        "{} · {} · {}",
        format!("new {new}").blue(),
        format!("learning {learning}").red(),
        format!("due {due}").green()
    )
}

pub fn front(card: &CardRow) -> String {
    format!(
        "{}\n\n{}\n",
        format!("[{}]", safe(&card.deck)).dimmed(),
        safe(&card.front).bold()
    )
}

pub fn back(card: &CardRow) -> String {
    format!("{}\n{}\n", "─".repeat(40).dimmed(), safe(&card.back))
}

/// `1 Again 10m  2 Hard 1d  3 Good 3d  4 Easy 8d`
pub fn choices(preview: &[Answered; 4]) -> String {
    Rating::ALL
        .iter()
        .zip(preview)
        .map(|(rating, answered)| {
            let label = format!("{} {}", rating.number(), rating.label());
            let label = match rating {
                Rating::Again => label.red(),
                Rating::Hard => label.yellow(),
                Rating::Good => label.green(),
                Rating::Easy => label.blue(),
            };
            format!("{label} {}", describe_secs(answered.shown_secs))
        })
        .collect::<Vec<_>>()
        .join("  ")
}
