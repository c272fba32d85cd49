//! The four answer buttons, as in Anki and FSRS.

use serde::Serialize;
use std::fmt;

/// How well the learner recalled a card. The numbers are FSRS's grades
/// (`reference/scheduling.md` §1.1: 1 = Again … 4 = Easy).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Rating {
    Again = 1,
    Hard = 2,
    Good = 3,
    Easy = 4,
}

impl Rating {
    pub const ALL: [Rating; 4] = [Rating::Again, Rating::Hard, Rating::Good, Rating::Easy];

    pub fn from_number(n: i64) -> Option<Rating> {
        match n {
            1 => Some(Rating::Again),
            2 => Some(Rating::Hard),
            3 => Some(Rating::Good),
            4 => Some(Rating::Easy),
            _ => None,
        }
    }

    /// Reads what a learner types: `1`–`4`, the word or its first letter, any case.
    pub fn parse(input: &str) -> Option<Rating> {
        match input.trim().to_ascii_lowercase().as_str() {
            "1" | "a" | "again" => Some(Rating::Again),
            "2" | "h" | "hard" => Some(Rating::Hard),
            "3" | "g" | "good" => Some(Rating::Good),
            "4" | "e" | "easy" => Some(Rating::Easy),
            _ => None,
        }
    }

    pub fn number(self) -> u8 {
        self as u8
    }

    pub fn label(self) -> &'static str {
        match self {
            Rating::Again => "Again",
            Rating::Hard => "Hard",
            Rating::Good => "Good",
            Rating::Easy => "Easy",
        }
    }
}

impl fmt::Display for Rating {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_numbers_words_and_letters_in_any_case() {
        for (text, want) in [
            ("1", Rating::Again),
            ("AGAIN", Rating::Again),
            ("h", Rating::Hard),
            (" Good ", Rating::Good),
            ("E", Rating::Easy),
            ("4", Rating::Easy),
        ] {
            assert_eq!(Rating::parse(text), Some(want), "{text}");
        }
        for bad in ["", "5", "0", "goo", "x", "1 2"] {
            assert_eq!(Rating::parse(bad), None, "{bad}");
        }
    }
}
