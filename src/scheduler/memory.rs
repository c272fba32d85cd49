//! The FSRS-6 memory model, through the `fsrs` crate (fsrs-rs 6.x), so our stability and
//! difficulty are the ones Anki computes. Formulas: `reference/scheduling.md` §1.1.

use fsrs::{FSRS, MemoryState};

/// A card's memory after an answer, with the unrounded interval FSRS suggests for it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Memory {
    pub stability: f32,
    pub difficulty: f32,
    /// Days until recall probability falls to the desired retention (unrounded).
    pub interval: f32,
}

#[derive(Debug, thiserror::Error)]
pub enum MemoryError {
    #[error("FSRS parameters are invalid: {0}")]
    Parameters(String),
    #[error("the card's memory state is not a number (stability {0}, difficulty {1})")]
    InvalidState(f32, f32),
}

/// The model with its parameters fixed; cheap to copy around.
#[derive(Debug, Clone)]
pub struct MemoryModel {
    fsrs: FSRS,
    decay: f32,
}

impl MemoryModel {
    /// `parameters` empty → the crate's FSRS-6 defaults (§1.2). 17 or 19 values are accepted
    /// and filled as fsrs-rs does (§1.1 "Older parameter counts").
    pub fn new(parameters: &[f32]) -> Result<Self, MemoryError> {
        let fsrs = FSRS::new(parameters).map_err(|e| MemoryError::Parameters(e.to_string()))?;
        let decay = if parameters.len() == 21 {
            parameters[20]
        } else if parameters.is_empty() {
            fsrs::FSRS6_DEFAULT_DECAY
        } else {
            fsrs::FSRS5_DEFAULT_DECAY
        };
        Ok(MemoryModel { fsrs, decay })
    }

    /// The four possible memory states after an answer given `elapsed_days` after the last one
    /// (0 = same day, which uses the short-term formula). `previous` is `None` for a new card.
    pub fn next(
        &self,
        previous: Option<(f32, f32)>,
        desired_retention: f32,
        elapsed_days: u32,
    ) -> Result<[Memory; 4], MemoryError> {
        let previous = match previous {
            Some((s, d)) if s.is_finite() && d.is_finite() && s > 0.0 => Some(MemoryState {
                stability: s,
                difficulty: d,
            }),
            Some((s, d)) if !(s.is_finite() && d.is_finite()) => {
                return Err(MemoryError::InvalidState(s, d));
            }
            _ => None,
        };
        let next = self
            .fsrs
            .next_states(previous, desired_retention, elapsed_days)
            .map_err(|e| MemoryError::Parameters(e.to_string()))?;
        let m = |s: fsrs::ItemState| Memory {
            stability: s.memory.stability,
            difficulty: s.memory.difficulty,
            interval: s.interval,
        };
        Ok([m(next.again), m(next.hard), m(next.good), m(next.easy)])
    }

    /// The memory state FSRS infers from an SM-2 ease factor (2.5 = 250 %) and interval in
    /// days, for a card whose history is unknown: Anki's `memory_state_from_sm2`, with the
    /// retention SM-2 is assumed to have reached (`historical_retention`, 0.9 in Anki). An ease
    /// factor at or below 1.1 is FSRS's own difficulty written as one (Anki's rule).
    pub fn from_sm2(
        &self,
        ease_factor: f32,
        interval_days: f32,
        historical_retention: f32,
    ) -> Result<(f32, f32), MemoryError> {
        let mut state = self
            .fsrs
            .memory_state_from_sm2(ease_factor, interval_days.max(1.0), historical_retention)
            .map_err(|e| MemoryError::Parameters(e.to_string()))?;
        if ease_factor <= 1.1 {
            state.difficulty = (ease_factor - 0.1) * 9.0 + 1.0;
        }
        if !(state.stability.is_finite() && state.difficulty.is_finite()) {
            return Err(MemoryError::InvalidState(state.stability, state.difficulty));
        }
        Ok((state.stability, state.difficulty))
    }

    /// Probability of recall after `days` for a memory of stability `stability`.
    pub fn retrievability(&self, stability: f32, days: f32) -> f32 {
        fsrs::current_retrievability(
            MemoryState {
                stability,
                difficulty: 5.0,
            },
            days,
            self.decay,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f32, b: f32) -> bool {
        (a - b).abs() < 1e-3
    }

    /// `reference/scheduling.md` §1.3, row "new card".
    #[test]
    fn new_card_matches_reference_vectors() {
        let model = MemoryModel::new(&[]).expect("defaults");
        let next = model.next(None, 0.9, 0).expect("next");
        let want = [
            (0.2120, 6.4133),
            (1.2931, 5.1122),
            (2.3065, 2.1181),
            (8.2956, 1.0000),
        ];
        for (got, (s, d)) in next.iter().zip(want) {
            assert!(
                close(got.stability, s) && close(got.difficulty, d),
                "{got:?}"
            );
        }
    }

    /// §1.3 rows "after first Good, same day", "t=3 d" and "S=10, D=5, t=10 d".
    #[test]
    fn later_reviews_match_reference_vectors() {
        let model = MemoryModel::new(&[]).expect("defaults");
        type Case = ((f32, f32), u32, [(f32, f32); 4]);
        let cases: [Case; 3] = [
            (
                (2.3065, 2.1181),
                0,
                [
                    (0.7751, 7.3945),
                    (2.3065, 4.7529),
                    (2.3065, 2.1112),
                    (3.9461, 1.0),
                ],
            ),
            (
                (2.3065, 2.1181),
                3,
                [
                    (0.6369, 7.3945),
                    (9.2349, 4.7529),
                    (13.8269, 2.1112),
                    (23.8831, 1.0),
                ],
            ),
            (
                (10.0, 5.0),
                10,
                [
                    (1.3920, 8.3418),
                    (23.2469, 6.6660),
                    (32.0267, 4.9902),
                    (51.2539, 3.3145),
                ],
            ),
        ];
        for (prev, t, want) in cases {
            let next = model.next(Some(prev), 0.9, t).expect("next");
            for (got, (s, d)) in next.iter().zip(want) {
                assert!(
                    close(got.stability, s) && close(got.difficulty, d),
                    "prev {prev:?} t {t}: got {got:?}, want ({s}, {d})"
                );
            }
        }
    }

    /// §1.3: Good@0, Good@1, Good@3, Again@8, Good@0, Good@2 ends at S=5.3500, D=7.3657.
    #[test]
    fn history_replay_matches_reference() {
        let model = MemoryModel::new(&[]).expect("defaults");
        let mut state = None;
        for (t, rating) in [(0, 3), (1, 3), (3, 3), (8, 1), (0, 3), (2, 3)] {
            let next = model.next(state, 0.9, t).expect("next");
            let m = next[rating - 1];
            state = Some((m.stability, m.difficulty));
        }
        let (s, d) = state.expect("state");
        assert!(close(s, 5.3500) && close(d, 7.3657), "{s} {d}");
    }

    #[test]
    fn retrievability_matches_reference() {
        let model = MemoryModel::new(&[]).expect("defaults");
        for (t, r) in [
            (1.0, 0.9857),
            (10.0, 0.9000),
            (20.0, 0.8459),
            (100.0, 0.6928),
        ] {
            assert!(close(model.retrievability(10.0, t), r), "t={t}");
        }
    }

    #[test]
    fn intervals_follow_desired_retention() {
        let model = MemoryModel::new(&[]).expect("defaults");
        for (dr, want) in [
            (0.80, 33.1596),
            (0.85, 19.0642),
            (0.90, 10.0),
            (0.95, 4.0256),
        ] {
            // A same-day Good keeps S at 10 only approximately, so ask the crate directly via a
            // review whose new stability we know: S = 10 exactly is the Hard of nothing; use
            // the ratio instead: interval / stability is independent of S.
            let next = model.next(Some((10.0, 5.0)), dr, 10).expect("next");
            let ratio = next[2].interval / next[2].stability;
            assert!(
                (ratio * 10.0 - want).abs() < 2e-2,
                "dr {dr}: {}",
                ratio * 10.0
            );
        }
    }

    #[test]
    fn nan_state_is_an_error_not_a_panic() {
        let model = MemoryModel::new(&[]).expect("defaults");
        assert!(model.next(Some((f32::NAN, 5.0)), 0.9, 1).is_err());
    }
}
