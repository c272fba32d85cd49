//! Fitting the FSRS-6 parameters to the learner's own answers, as Anki's "Optimize" does,
//! with the `fsrs` crate's optimizer (pure: answers in, parameters and scores out).
//!
//! Training data, as Anki and fsrs-rs's own converter build it: per card, the answers since
//! it was last new, each with `delta_t`, the study days since the previous answer (0 for the
//! same day). Every answer after the first gives one item holding the history up to it; only
//! items whose last answer came a day or more after the one before are kept as targets (the
//! same-day answers still shape the memory state through the history).

use fsrs::{
    ComputeParametersInput, DEFAULT_PARAMETERS, FSRS, FSRSError, FSRSItem, FSRSReview,
    TrainingConfig, compute_parameters,
};
use serde::Serialize;

/// fsrs-rs fits all 21 parameters only from 64 training items on (fewer give the defaults,
/// or just the four initial stabilities), so that is the least we ask for.
pub const MIN_ITEMS: usize = 64;

/// One answer of a card, on its study day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Answer {
    pub card_id: i64,
    /// When, in any increasing unit (only the order matters).
    pub time: i64,
    /// The study day (see `DayClock::day_of`).
    pub day: i64,
    pub rating: u8,
    /// The card's state before the answer: 0 new, 1 learning, 2 review, 3 relearning.
    pub state_before: u8,
}

/// Training items in the order their last answers were given, with their cards.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Items {
    pub items: Vec<FSRSItem>,
    pub card_ids: Vec<i64>,
    /// Answers read, cards with a usable history, and cards skipped because their history
    /// does not start from the new state.
    pub answers: usize,
    pub cards: usize,
    pub skipped_cards: usize,
}

/// Collects answers card by card (each card's answers together, in time order) into items.
#[derive(Debug, Default)]
pub struct ItemsBuilder {
    timed: Vec<(i64, i64, FSRSItem)>,
    card: Vec<Answer>,
    answers: usize,
    cards: usize,
    skipped_cards: usize,
}

impl ItemsBuilder {
    pub fn push(&mut self, answer: Answer) {
        if self
            .card
            .last()
            .is_some_and(|a| a.card_id != answer.card_id)
        {
            self.flush();
        }
        self.answers += 1;
        self.card.push(answer);
    }

    pub fn finish(mut self) -> Items {
        self.flush();
        self.timed.sort_by_key(|(time, card, _)| (*time, *card));
        let mut items = Items {
            answers: self.answers,
            cards: self.cards,
            skipped_cards: self.skipped_cards,
            ..Items::default()
        };
        for (_, card, item) in self.timed {
            items.items.push(item);
            items.card_ids.push(card);
        }
        items
    }

    fn flush(&mut self) {
        let answers = std::mem::take(&mut self.card);
        // Start from the last time the card was new (a reset card starts over, as in Anki).
        let Some(start) = answers.iter().rposition(|a| a.state_before == 0) else {
            if !answers.is_empty() {
                self.skipped_cards += 1;
            }
            return;
        };
        let history = &answers[start..];
        self.cards += 1;
        let mut reviews: Vec<FSRSReview> = Vec::with_capacity(history.len());
        for (i, a) in history.iter().enumerate() {
            let delta_t = match i {
                0 => 0,
                _ => (a.day - history[i - 1].day).clamp(0, i64::from(u32::MAX)) as u32,
            };
            reviews.push(FSRSReview {
                rating: u32::from(a.rating.clamp(1, 4)),
                delta_t,
            });
            if i > 0 && delta_t > 0 {
                self.timed.push((
                    a.time,
                    a.card_id,
                    FSRSItem {
                        reviews: reviews.clone(),
                    },
                ));
            }
        }
    }
}

/// Builds the items from answers sorted by card, then time.
pub fn items_from(answers: impl IntoIterator<Item = Answer>) -> Items {
    let mut builder = ItemsBuilder::default();
    for a in answers {
        builder.push(a);
    }
    builder.finish()
}

/// How well a set of parameters predicts the answers (lower is better for both).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scored {
    pub parameters: Vec<f32>,
    /// Mean binary cross-entropy of the predicted recall against pass/fail.
    pub log_loss: f32,
    /// RMSE between predicted and actual recall over fsrs-rs's bins.
    pub rmse_bins: f32,
}

/// What `optimize` found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    /// Flashcard answers in the log, the cards they train on, and training items.
    pub answers: usize,
    pub cards: usize,
    pub items: usize,
    pub min_items: usize,
    /// More items (answers a day or more after the card's previous answer) still needed.
    pub needed: usize,
    /// The FSRS-6 defaults, scored on the same items.
    pub default: Option<Scored>,
    /// Parameters stored by an earlier `optimize`, scored on the same items.
    pub current: Option<Scored>,
    pub fitted: Option<Scored>,
    /// Whether the fitted parameters predict better than those in use and replace them.
    pub improved: bool,
    /// The parameters in use from now on.
    pub parameters: Vec<f32>,
}

/// Scores `parameters` on the items.
pub fn evaluate(parameters: &[f32], items: &Items) -> Result<Scored, FSRSError> {
    let model = FSRS::new(parameters)?;
    let eval =
        model.evaluate_with_card_ids(items.items.clone(), items.card_ids.clone(), |_| true)?;
    Ok(Scored {
        parameters: if parameters.is_empty() {
            DEFAULT_PARAMETERS.to_vec()
        } else {
            parameters.to_vec()
        },
        log_loss: eval.log_loss,
        rmse_bins: eval.rmse_bins,
    })
}

/// Runs the optimizer (fsrs-rs defaults: 5 epochs, batch 512, short-term parameters on).
pub fn fit_parameters(
    items: &Items,
    config: Option<TrainingConfig>,
) -> Result<Vec<f32>, FSRSError> {
    compute_parameters(ComputeParametersInput {
        train_set: items.items.clone(),
        card_ids: Some(items.card_ids.clone()),
        training_config: config,
        ..ComputeParametersInput::default()
    })
}

/// Fits and compares: `current` is the stored parameters (empty for the defaults). The fit
/// replaces them only if its log loss on the same items is lower, as in Anki.
pub fn optimize(items: &Items, current: &[f32]) -> Result<Outcome, FSRSError> {
    let mut outcome = Outcome {
        answers: items.answers,
        cards: items.cards,
        items: items.items.len(),
        min_items: MIN_ITEMS,
        needed: MIN_ITEMS.saturating_sub(items.items.len()),
        default: None,
        current: None,
        fitted: None,
        improved: false,
        parameters: if current.is_empty() {
            DEFAULT_PARAMETERS.to_vec()
        } else {
            current.to_vec()
        },
    };
    if items.items.is_empty() {
        return Ok(outcome);
    }
    let default = evaluate(&DEFAULT_PARAMETERS, items)?;
    let current_scored = if current.is_empty() || current == DEFAULT_PARAMETERS {
        None
    } else {
        Some(evaluate(current, items)?)
    };
    if outcome.needed == 0 {
        let fitted = evaluate(&fit_parameters(items, None)?, items)?;
        let baseline = current_scored.as_ref().unwrap_or(&default).log_loss;
        if fitted.log_loss < baseline && fitted.parameters != outcome.parameters {
            outcome.improved = true;
            outcome.parameters = fitted.parameters.clone();
        }
        outcome.fitted = Some(fitted);
    }
    outcome.default = Some(default);
    outcome.current = current_scored;
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(card_id: i64, time: i64, day: i64, rating: u8, state_before: u8) -> Answer {
        Answer {
            card_id,
            time,
            day,
            rating,
            state_before,
        }
    }

    fn r(rating: u32, delta_t: u32) -> FSRSReview {
        FSRSReview { rating, delta_t }
    }

    #[test]
    fn items_hold_the_history_and_skip_same_day_targets() {
        let items = items_from([
            a(1, 10, 100, 3, 0),
            a(1, 11, 100, 3, 1), // same day: history only
            a(1, 50, 103, 1, 2),
            a(1, 51, 103, 3, 3),
            a(1, 90, 105, 3, 2),
            a(2, 20, 101, 4, 0),
            a(2, 60, 111, 3, 2),
            a(3, 30, 100, 3, 2), // never seen new here (imported half-way): skipped
        ]);
        assert_eq!((items.answers, items.cards, items.skipped_cards), (8, 2, 1));
        assert_eq!(items.card_ids, [1, 2, 1]);
        assert_eq!(
            items.items[0].reviews,
            [r(3, 0), r(3, 0), r(1, 3)],
            "card 1 at its third answer"
        );
        assert_eq!(items.items[1].reviews, [r(4, 0), r(3, 10)]);
        assert_eq!(
            items.items[2].reviews,
            [r(3, 0), r(3, 0), r(1, 3), r(3, 0), r(3, 2)]
        );
    }

    #[test]
    fn a_reset_card_starts_over() {
        let items = items_from([
            a(1, 1, 10, 3, 0),
            a(1, 2, 12, 3, 2),
            a(1, 3, 20, 3, 0),
            a(1, 4, 25, 1, 2),
        ]);
        assert_eq!(items.items.len(), 1);
        assert_eq!(items.items[0].reviews, [r(3, 0), r(1, 5)]);
    }

    #[test]
    fn too_little_history_keeps_the_parameters_and_says_how_much_more() {
        let items = items_from((0..10).flat_map(|c| [a(c, 1, 1, 3, 0), a(c, 2, 3, 3, 2)]));
        let out = optimize(&items, &[]).expect("optimize");
        assert_eq!(out.items, 10);
        assert_eq!(out.needed, MIN_ITEMS - 10);
        assert!(out.fitted.is_none() && !out.improved);
        assert_eq!(out.parameters, DEFAULT_PARAMETERS.to_vec());
        assert!(out.default.is_some(), "the defaults are still scored");
    }
}
