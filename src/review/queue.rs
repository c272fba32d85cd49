//! Which queue the next card comes from (pure). Anki's order: intraday learning first, then
//! reviews with new cards spread evenly among them, then learning cards that are not yet due
//! but fall within the learn-ahead limit.

/// Anki's default learn-ahead limit: learning cards due within 20 minutes may be shown early
/// when nothing else is left.
pub const LEARN_AHEAD_SECS: i64 = 20 * 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Learning,
    Review,
    New,
}

/// Today's plan: how many reviews and new cards the limits allow, and how many were shown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Plan {
    pub reviews_total: u32,
    pub new_total: u32,
    pub reviews_shown: u32,
    pub new_shown: u32,
}

impl Plan {
    pub fn reviews_left(&self) -> u32 {
        self.reviews_total.saturating_sub(self.reviews_shown)
    }

    pub fn new_left(&self) -> u32 {
        self.new_total.saturating_sub(self.new_shown)
    }

    /// Between a due review and a new card, which comes next: new cards are spaced so that
    /// after `n` cards, about `n × new_total / (reviews_total + new_total)` were new.
    pub fn prefer_new(&self) -> bool {
        let total = u64::from(self.reviews_total) + u64::from(self.new_total);
        if total == 0 {
            return false;
        }
        let shown = u64::from(self.reviews_shown) + u64::from(self.new_shown);
        // Would showing a new card now keep us at or below the even share?
        (u64::from(self.new_shown) + 1) * total <= (shown + 1) * u64::from(self.new_total)
    }

    pub fn shown(&mut self, source: Source) {
        match source {
            Source::Review => self.reviews_shown += 1,
            Source::New => self.new_shown += 1,
            Source::Learning => {}
        }
    }

    pub fn unshown(&mut self, source: Source) {
        match source {
            Source::Review => self.reviews_shown = self.reviews_shown.saturating_sub(1),
            Source::New => self.new_shown = self.new_shown.saturating_sub(1),
            Source::Learning => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_cards_are_spread_evenly_among_reviews() {
        let mut plan = Plan {
            reviews_total: 6,
            new_total: 2,
            ..Plan::default()
        };
        let mut order = String::new();
        while plan.reviews_left() + plan.new_left() > 0 {
            let source = if plan.new_left() > 0 && (plan.reviews_left() == 0 || plan.prefer_new()) {
                Source::New
            } else {
                Source::Review
            };
            order.push(if source == Source::New { 'N' } else { 'R' });
            plan.shown(source);
        }
        assert_eq!(order, "RRRNRRRN");
    }

    #[test]
    fn only_new_cards() {
        let plan = Plan {
            new_total: 3,
            ..Plan::default()
        };
        assert!(plan.prefer_new());
    }
}
