//! A card's scheduling state: what the scheduler reads and writes, nothing about its text.

use serde::Serialize;
use std::fmt;

/// Anki's four card states (`reference/scheduling.md` §1.4). Steps index into the learning or
/// relearning step list, so changing the list in `config` never strands a card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase", tag = "kind")]
pub enum CardState {
    New,
    Learning { step: u32 },
    Review,
    Relearning { step: u32 },
}

impl CardState {
    /// The number stored in the `state` column (and the review log's `state_before`).
    pub fn code(self) -> i64 {
        match self {
            CardState::New => 0,
            CardState::Learning { .. } => 1,
            CardState::Review => 2,
            CardState::Relearning { .. } => 3,
        }
    }

    pub fn step(self) -> u32 {
        match self {
            CardState::Learning { step } | CardState::Relearning { step } => step,
            _ => 0,
        }
    }

    pub fn from_code(code: i64, step: u32) -> Option<CardState> {
        match code {
            0 => Some(CardState::New),
            1 => Some(CardState::Learning { step }),
            2 => Some(CardState::Review),
            3 => Some(CardState::Relearning { step }),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            CardState::New => "new",
            CardState::Learning { .. } => "learning",
            CardState::Review => "review",
            CardState::Relearning { .. } => "relearning",
        }
    }

    /// Learning and relearning cards are due at a time of day, not on a day.
    pub fn is_intraday(self) -> bool {
        matches!(
            self,
            CardState::Learning { .. } | CardState::Relearning { .. }
        )
    }
}

impl fmt::Display for CardState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Everything the scheduler needs about a card. Times are Unix seconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Schedule {
    pub state: CardState,
    /// FSRS memory state; `None` until the first answer.
    pub stability: Option<f32>,
    pub difficulty: Option<f32>,
    /// When the card is next shown. Review cards fall due at the start of a day (the day
    /// boundary), learning cards at an exact time.
    pub due: i64,
    pub last_review: Option<i64>,
    /// Interval in days given at the last review-state answer (0 while learning).
    pub interval_days: u32,
    pub reps: u32,
    pub lapses: u32,
}

impl Schedule {
    pub fn new_card() -> Self {
        Schedule {
            state: CardState::New,
            stability: None,
            difficulty: None,
            due: 0,
            last_review: None,
            interval_days: 0,
            reps: 0,
            lapses: 0,
        }
    }
}
