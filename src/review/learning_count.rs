//! The header's learning count, kept up to date instead of recounted before every card (pure).
//!
//! The header shows how many learning cards are due within the learn-ahead window. Counting
//! them with a query before each card steps through every one of them in the index: with
//! thousands of learning cards (a backlog after a break) that was 0.9 ms of a 1.5 ms answer
//! at 100,000 cards, and it grew with the backlog. Instead the count is taken once, then moved
//! by what the session itself does (an answer, an undo, a suspension: the card's state before
//! and after is known) and by the cards that passing time brings into the window (a range
//! count over just the new slice of time, usually empty). Another process answering the same
//! cards at the same moment can make the count drift; it is a display figure and the next
//! session starts afresh.

use crate::model::{CardState, Schedule};

/// Where the count stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LearningCount {
    /// Nothing counted yet: the first card's header uses a capped count, which is cheap.
    Unknown,
    /// The first card was shown with a capped count; count exactly before the next one.
    Capped,
    /// Exactly `count` learning cards are due at or before `horizon`.
    Exact { count: u32, horizon: i64 },
}

/// Whether a card in this state, at this due time and suspension, is in the count whose
/// window ends at `horizon`.
pub fn counted(schedule: &Schedule, suspended: bool, horizon: i64) -> bool {
    matches!(
        schedule.state,
        CardState::Learning { .. } | CardState::Relearning { .. }
    ) && !suspended
        && schedule.due <= horizon
}

impl LearningCount {
    /// The horizon to count up to now, and what to ask the database for: `Some((after,
    /// until))` for the learning cards due in `(after, until]` to add, once exact.
    pub fn window(&self, horizon: i64) -> Option<(i64, i64)> {
        match *self {
            LearningCount::Exact { horizon: old, .. } if horizon > old => Some((old, horizon)),
            _ => None,
        }
    }

    /// Adds the cards counted in the window `window` returned, and moves the horizon.
    pub fn advance(&mut self, added: u32, horizon: i64) {
        if let LearningCount::Exact {
            count,
            horizon: old,
        } = self
            && horizon > *old
        {
            *count = count.saturating_add(added);
            *old = horizon;
        }
    }

    /// A card changed from `before` to `after` (each: schedule and suspended flag); `None`
    /// for a side that does not exist.
    pub fn moved(&mut self, before: Option<(&Schedule, bool)>, after: Option<(&Schedule, bool)>) {
        if let LearningCount::Exact { count, horizon } = self {
            let was = before.is_some_and(|(s, susp)| counted(s, susp, *horizon));
            let is = after.is_some_and(|(s, susp)| counted(s, susp, *horizon));
            match (was, is) {
                (true, false) => *count = count.saturating_sub(1),
                (false, true) => *count = count.saturating_add(1),
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(state: CardState, due: i64) -> Schedule {
        Schedule {
            state,
            due,
            ..Schedule::new_card()
        }
    }

    #[test]
    fn answers_undo_and_time_move_the_count() {
        let mut n = LearningCount::Exact {
            count: 5,
            horizon: 1_000,
        };
        let learning = card(CardState::Learning { step: 0 }, 900);
        let later = card(CardState::Learning { step: 1 }, 1_500);
        let review = card(CardState::Review, 90_000);
        // A learning card graduates: out of the count.
        n.moved(Some((&learning, false)), Some((&review, false)));
        assert_eq!(
            n,
            LearningCount::Exact {
                count: 4,
                horizon: 1_000
            }
        );
        // A new card answered Again, due within the window: in.
        n.moved(
            Some((&card(CardState::New, 0), false)),
            Some((&learning, false)),
        );
        assert_eq!(
            n,
            LearningCount::Exact {
                count: 5,
                horizon: 1_000
            }
        );
        // Due after the window: not yet; the time window brings it in later.
        n.moved(Some((&learning, false)), Some((&later, false)));
        assert_eq!(
            n,
            LearningCount::Exact {
                count: 4,
                horizon: 1_000
            }
        );
        assert_eq!(n.window(2_000), Some((1_000, 2_000)));
        assert_eq!(n.window(1_000), None);
        n.advance(1, 2_000);
        assert_eq!(
            n,
            LearningCount::Exact {
                count: 5,
                horizon: 2_000
            }
        );
        // Undo puts the card back as it was; a suspension takes it out; a leech too.
        n.moved(Some((&later, false)), Some((&learning, false)));
        assert_eq!(
            n,
            LearningCount::Exact {
                count: 5,
                horizon: 2_000
            }
        );
        n.moved(Some((&learning, false)), None);
        assert_eq!(
            n,
            LearningCount::Exact {
                count: 4,
                horizon: 2_000
            }
        );
        n.moved(Some((&learning, false)), Some((&learning, true)));
        assert_eq!(
            n,
            LearningCount::Exact {
                count: 3,
                horizon: 2_000
            }
        );
        // Never below zero, and nothing moves before the count is exact.
        let mut zero = LearningCount::Exact {
            count: 0,
            horizon: 1_000,
        };
        zero.moved(Some((&learning, false)), None);
        assert_eq!(
            zero,
            LearningCount::Exact {
                count: 0,
                horizon: 1_000
            }
        );
        let mut capped = LearningCount::Capped;
        capped.moved(None, Some((&learning, false)));
        capped.advance(3, 5_000);
        assert_eq!(capped, LearningCount::Capped);
        assert_eq!(capped.window(5_000), None);
    }
}
