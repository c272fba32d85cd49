//! Daily limits, as Anki's v3 scheduler applies them (`reference/scheduling.md` §5): new cards
//! count against the review limit, so a heavy review day leaves less room for new cards.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DailyLimits {
    pub new_per_day: u32,
    pub reviews_per_day: u32,
}

impl Default for DailyLimits {
    fn default() -> Self {
        DailyLimits {
            new_per_day: 20,
            reviews_per_day: 200,
        }
    }
}

/// What today's session may still show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Allowance {
    pub reviews: u32,
    pub new: u32,
}

/// `new_done` and `reviews_done` are today's answers to new and to review cards. Reviews are
/// gathered first, up to what is left of the review limit; new cards then take at most what
/// remains of both limits.
pub fn allowance(
    limits: DailyLimits,
    new_done: u32,
    reviews_done: u32,
    reviews_due: u32,
    new_available: u32,
) -> Allowance {
    let review_left = limits
        .reviews_per_day
        .saturating_sub(reviews_done)
        .saturating_sub(new_done);
    let reviews = reviews_due.min(review_left);
    let new_left = limits
        .new_per_day
        .saturating_sub(new_done)
        .min(review_left - reviews);
    Allowance {
        reviews,
        new: new_available.min(new_left),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_day_gets_both_limits() {
        let a = allowance(DailyLimits::default(), 0, 0, 50, 100);
        assert_eq!(
            a,
            Allowance {
                reviews: 50,
                new: 20
            }
        );
    }

    #[test]
    fn new_cards_count_against_the_review_limit() {
        // 190 reviews due, 5 new already learned: 195 left of 200, 190 reviews, 5 new at most.
        let a = allowance(DailyLimits::default(), 5, 0, 190, 100);
        assert_eq!(
            a,
            Allowance {
                reviews: 190,
                new: 5
            }
        );
        // The review limit is reached: no new cards at all.
        let a = allowance(DailyLimits::default(), 0, 0, 500, 100);
        assert_eq!(
            a,
            Allowance {
                reviews: 200,
                new: 0
            }
        );
    }

    #[test]
    fn done_today_is_subtracted() {
        let a = allowance(DailyLimits::default(), 20, 30, 10, 100);
        assert_eq!(
            a,
            Allowance {
                reviews: 10,
                new: 0
            }
        );
        let a = allowance(DailyLimits::default(), 3, 0, 0, 2);
        assert_eq!(a, Allowance { reviews: 0, new: 2 });
    }
}
