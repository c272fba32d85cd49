//! Interval fuzz, as Anki and py-fsrs do it (`reference/scheduling.md` §1.4 and §5): cards
//! learned together spread out over nearby days instead of always coming back together. The
//! random factor is seeded from the card id and its review count, so a replay is deterministic.

use rand::{RngExt, SeedableRng, rngs::StdRng};

/// Fuzz ranges: (start, end, factor). Intervals under 2.5 days are never fuzzed.
const FUZZ_RANGES: [(f64, f64, f64); 3] =
    [(2.5, 7.0, 0.15), (7.0, 20.0, 0.10), (20.0, f64::MAX, 0.05)];

/// A number in [0, 1) fixed by the card and how many times it has been answered.
pub fn fuzz_factor(card_id: i64, reps: u32) -> f64 {
    let seed = (card_id as u64).wrapping_add(u64::from(reps));
    StdRng::seed_from_u64(seed).random::<f64>()
}

/// The whole-day range an interval may be fuzzed into, before any minimum is applied.
pub fn fuzz_bounds(interval: f64, maximum: u32) -> (u32, u32) {
    let max = f64::from(maximum);
    if interval < 2.5 {
        let days = interval.round().clamp(1.0, max) as u32;
        return (days, days);
    }
    let delta = 1.0
        + FUZZ_RANGES
            .iter()
            .map(|&(start, end, factor)| factor * (interval.min(end) - start).max(0.0))
            .sum::<f64>();
    let lower = (interval - delta).round().max(2.0).min(max);
    let upper = (interval + delta).round().min(max).max(lower);
    (lower as u32, upper as u32)
}

/// Rounds an FSRS interval to days, keeps it within [minimum, maximum] and, when `factor` is
/// given, picks a day inside the fuzz range (Anki `constrain_passing_interval`).
pub fn constrain_interval(interval: f32, minimum: u32, maximum: u32, factor: Option<f64>) -> u32 {
    let minimum = minimum.clamp(1, maximum.max(1));
    let interval = if interval.is_finite() {
        f64::from(interval)
    } else {
        f64::from(maximum)
    };
    match factor {
        None => (interval.round() as i64).clamp(i64::from(minimum), i64::from(maximum)) as u32,
        Some(factor) => {
            let (lower, upper) = fuzz_bounds(interval, maximum);
            let lower = lower.max(minimum).min(maximum);
            let mut upper = upper.max(minimum).min(maximum);
            if upper == lower && upper > 2 && upper < maximum {
                upper = lower + 1;
            }
            let span = f64::from(upper - lower + 1);
            let picked = (f64::from(lower) + factor * span).floor() as u32;
            picked.clamp(lower, upper)
        }
    }
}

/// Learning steps get up to 25 % extra delay, at most 5 minutes, so cards failed together do
/// not return in lockstep (Anki `learning_ivl_with_fuzz`).
pub fn fuzz_step(secs: u32, factor: f64) -> u32 {
    let extra = (f64::from(secs) * 0.25).min(300.0);
    secs + (extra * factor).floor() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_match_reference_examples() {
        assert_eq!(fuzz_bounds(3.0, 36_500), (2, 4));
        assert_eq!(fuzz_bounds(10.0, 36_500), (8, 12));
        assert_eq!(fuzz_bounds(100.0, 36_500), (93, 107));
        assert_eq!(fuzz_bounds(2.0, 36_500), (2, 2));
        assert_eq!(fuzz_bounds(36_500.0, 36_500).1, 36_500);
    }

    #[test]
    fn fuzz_is_deterministic_and_inside_the_range() {
        for card in 0..200 {
            let f = fuzz_factor(card, 3);
            assert_eq!(f, fuzz_factor(card, 3));
            assert!((0.0..1.0).contains(&f));
            let days = constrain_interval(10.0, 1, 36_500, Some(f));
            assert!((8..=12).contains(&days), "{days}");
        }
    }

    #[test]
    fn minimum_and_maximum_win() {
        assert_eq!(constrain_interval(0.2, 1, 36_500, None), 1);
        assert_eq!(constrain_interval(5.0, 9, 36_500, Some(0.0)), 9);
        assert_eq!(constrain_interval(90_000.0, 1, 36_500, Some(0.99)), 36_500);
        assert_eq!(constrain_interval(f32::NAN, 1, 100, None), 100);
    }

    #[test]
    fn step_fuzz_is_capped() {
        assert_eq!(fuzz_step(60, 0.0), 60);
        assert!(fuzz_step(60, 0.99) <= 75);
        assert!(fuzz_step(86_400, 0.99) <= 86_400 + 300);
    }
}
