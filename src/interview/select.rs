//! Which interview prompts to practise next.
//!
//! Pure and deterministic: the caller passes the clock (`now`) and a `seed`, so the same
//! inputs always give the same list (design.md rule 2) and tests can pin exact orders. The seed
//! only breaks ties among never-practised prompts, through splitmix64 — no `rand` needed.
//!
//! The rules, in priority order:
//! 1. **Never the same prompt twice** (duplicate ids in the input count once; the first wins).
//! 2. **Only due and new prompts.** A prompt is due when `due <= now` and new when `due` is
//!    `None`. Prompts scheduled for later are left out even when that returns fewer than
//!    `count`: practising a card early wastes the spacing, and an empty list lets the caller
//!    say "nothing due" honestly.
//! 3. **Balance across categories.** Picks go in rounds; each round takes at most one prompt
//!    from every category that still has one, so 6 picks over 3 categories give 2 each.
//! 4. **Due before new.** Within a category, due prompts come first (most overdue first), then
//!    new ones (in seeded order). Within a round, categories whose next prompt is due go before
//!    categories whose next prompt is new.
//! 5. **Weakest category first**, i.e. lowest mean recent self-rating (1 = Again .. 4 = Easy).
//!    A category with no rating (never practised, or a non-finite mean) counts as 0: weaker
//!    than any rated one, because an untried category is an unknown gap and panels ask across
//!    all of them. Equal weakness falls back to the category name, for determinism.

use std::collections::{HashMap, HashSet};

/// A prompt that could be practised, with its scheduling state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub id: i64,
    pub category: String,
    /// When the prompt is next due, in unix seconds; `None` = never practised.
    pub due: Option<i64>,
    /// The learner's last self-rating, 1..=4, if any (not used for ordering yet).
    pub last_rating: Option<u8>,
}

/// How well the learner has been doing in one category lately.
#[derive(Debug, Clone, PartialEq)]
pub struct CategoryScore {
    pub category: String,
    /// Mean of recent self-ratings, 1..=4; `None` = never practised.
    pub mean_recent_rating: Option<f64>,
}

/// One category's eligible prompts before sorting: due as (due, id), new as (seeded key, id).
#[derive(Default)]
struct Queue {
    due: Vec<(i64, i64)>,
    new: Vec<(u64, i64)>,
}

/// Up to `count` prompt ids to practise next, in order. See the module docs for the rules.
/// Returns fewer than `count` when fewer prompts are due or new, and never a prompt that is
/// scheduled after `now`.
pub fn pick(
    cands: &[Candidate],
    scores: &[CategoryScore],
    now: i64,
    count: usize,
    seed: u64,
) -> Vec<i64> {
    if count == 0 {
        return Vec::new();
    }
    // Per category: the queue of eligible prompts, due (most overdue first) then new.
    let mut queues: HashMap<&str, Queue> = HashMap::new();
    let mut seen = HashSet::new();
    for c in cands {
        if !seen.insert(c.id) {
            continue;
        }
        match c.due {
            Some(due) if due <= now => queues
                .entry(c.category.as_str())
                .or_default()
                .due
                .push((due, c.id)),
            None => queues
                .entry(c.category.as_str())
                .or_default()
                .new
                .push((tie_key(seed, c.id), c.id)),
            Some(_) => {}
        }
    }
    let order = weakness_order(queues.keys().copied().collect(), scores);
    let queues: Vec<Vec<(bool, i64)>> = order
        .iter()
        .map(|cat| {
            let Queue { mut due, mut new } = queues.remove(cat).unwrap_or_default();
            due.sort_unstable();
            new.sort_unstable();
            due.iter()
                .map(|&(_, id)| (true, id))
                .chain(new.iter().map(|&(_, id)| (false, id)))
                .collect()
        })
        .collect();

    let mut out = Vec::with_capacity(count.min(seen.len()));
    let mut depth = 0;
    while out.len() < count {
        // This round's heads, as (category rank, is due, id).
        let mut round: Vec<(usize, bool, i64)> = queues
            .iter()
            .enumerate()
            .filter_map(|(rank, q)| q.get(depth).map(|&(due, id)| (rank, due, id)))
            .collect();
        if round.is_empty() {
            break;
        }
        round.sort_by_key(|&(rank, due, _)| (!due, rank));
        out.extend(round.iter().take(count - out.len()).map(|&(_, _, id)| id));
        depth += 1;
    }
    out
}

/// One prompt per category, in the order given, for a full mock interview; a category with no
/// prompts is skipped. A category listed twice gets a second, different prompt if it has one.
///
/// This form has no clock, so it cannot tell due from not-yet-due: it prefers practised
/// prompts with the earliest due date (whatever `now` is, the most overdue one if any is due),
/// then new prompts in seeded order. It is [`panel_at`] with `now` at the end of time; prefer
/// [`panel_at`] when the clock is at hand, which puts new prompts before not-yet-due ones.
pub fn panel(cands: &[Candidate], order: &[&str], seed: u64) -> Vec<i64> {
    panel_at(cands, order, i64::MAX, seed)
}

/// [`panel`] with a clock: within each category, prefer due prompts (most overdue first), then
/// new ones (seeded order), then the rest (soonest due first) — a mock interview should never
/// come up empty just because nothing is due.
pub fn panel_at(cands: &[Candidate], order: &[&str], now: i64, seed: u64) -> Vec<i64> {
    let mut used = HashSet::new();
    let mut out = Vec::with_capacity(order.len());
    for cat in order {
        let best = cands
            .iter()
            .filter(|c| c.category == *cat && !used.contains(&c.id))
            .min_by_key(|c| match c.due {
                Some(due) if due <= now => (0, due as i128, c.id),
                None => (1, i128::from(tie_key(seed, c.id)), c.id),
                Some(due) => (2, due as i128, c.id),
            });
        if let Some(c) = best {
            used.insert(c.id);
            out.push(c.id);
        }
    }
    out
}

/// Categories from weakest to strongest: mean recent rating ascending, with no rating (or a
/// non-finite one) counted as 0, then by name. The first score listed for a category wins.
fn weakness_order<'a>(mut cats: Vec<&'a str>, scores: &[CategoryScore]) -> Vec<&'a str> {
    let mut mean: HashMap<&str, f64> = HashMap::new();
    for s in scores {
        let m = s
            .mean_recent_rating
            .filter(|m| m.is_finite())
            .unwrap_or(0.0);
        mean.entry(s.category.as_str()).or_insert(m);
    }
    let weakness = |c: &str| mean.get(c).copied().unwrap_or(0.0);
    cats.sort_by(|a, b| weakness(a).total_cmp(&weakness(b)).then_with(|| a.cmp(b)));
    cats
}

/// A seeded, well-mixed key for ordering new prompts: the same seed gives the same order, a
/// different seed a different one, and no two ids collide systematically.
fn tie_key(seed: u64, id: i64) -> u64 {
    splitmix64(seed ^ splitmix64(id as u64))
}

/// splitmix64 (Steele, Lea & Flood 2014): one step of the generator, used as a 64-bit mixer.
fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const NOW: i64 = 1_700_000_000;

    fn cand(id: i64, category: &str, due: Option<i64>) -> Candidate {
        Candidate {
            id,
            category: category.to_string(),
            due,
            last_rating: None,
        }
    }

    fn score(category: &str, mean: Option<f64>) -> CategoryScore {
        CategoryScore {
            category: category.to_string(),
            mean_recent_rating: mean,
        }
    }

    #[test]
    fn splitmix64_matches_reference_values() {
        // First outputs of the reference generator seeded with 0 (state advanced by the gamma).
        assert_eq!(splitmix64(0), 0xE220_A839_7B1D_CDAF);
        assert_eq!(splitmix64(0x9E37_79B9_7F4A_7C15), 0x6E78_9E6A_A1B9_65F4);
    }

    #[test]
    fn due_before_new_and_most_overdue_first() {
        let c = [
            cand(1, "teaching", None),
            cand(2, "teaching", Some(NOW - 10)),
            cand(3, "teaching", Some(NOW - 500)),
            cand(4, "teaching", Some(NOW)),
        ];
        assert_eq!(pick(&c, &[], NOW, 10, 7), vec![3, 2, 4, 1]);
    }

    #[test]
    fn not_yet_due_prompts_are_left_out() {
        let c = [
            cand(1, "teaching", Some(NOW + 1)),
            cand(2, "culture", Some(NOW + 86_400)),
            cand(3, "culture", None),
        ];
        assert_eq!(pick(&c, &[], NOW, 5, 0), vec![3]);
        assert!(pick(&c[..2], &[], NOW, 5, 0).is_empty());
    }

    #[test]
    fn weakest_category_first_and_unrated_weakest_of_all() {
        let c = [
            cand(1, "strong", Some(NOW - 1)),
            cand(2, "weak", Some(NOW - 1)),
            cand(3, "fresh", Some(NOW - 1)),
            cand(4, "nan", Some(NOW - 1)),
        ];
        let s = [
            score("strong", Some(3.5)),
            score("weak", Some(1.5)),
            score("fresh", None),
            score("nan", Some(f64::NAN)),
        ];
        // fresh and nan both count as 0 and tie, so the name decides.
        assert_eq!(pick(&c, &s, NOW, 4, 0), vec![3, 4, 2, 1]);
        // A category missing from the scores is never practised too.
        assert_eq!(
            pick(&c[..2], &[score("weak", Some(1.5))], NOW, 1, 0),
            vec![1]
        );
    }

    #[test]
    fn balanced_round_robin_over_categories() {
        let mut c = Vec::new();
        for (k, cat) in ["a", "b", "c"].iter().enumerate() {
            for j in 0..4 {
                c.push(cand((k * 10 + j) as i64, cat, None));
            }
        }
        let s = [
            score("a", Some(3.0)),
            score("b", Some(2.0)),
            score("c", Some(1.0)),
        ];
        let got = pick(&c, &s, NOW, 6, 42);
        let cats: Vec<i64> = got.iter().map(|id| id / 10).collect();
        assert_eq!(cats, vec![2, 1, 0, 2, 1, 0]);
        // An uneven supply: "c" has one prompt, so the others fill in after it runs out.
        let c2 = [
            cand(1, "c", None),
            cand(2, "a", None),
            cand(3, "a", None),
            cand(4, "a", None),
        ];
        assert_eq!(pick(&c2, &s, NOW, 3, 0).len(), 3);
        assert_eq!(pick(&c2, &s, NOW, 3, 0)[0], 1);
    }

    #[test]
    fn within_a_round_due_goes_before_new() {
        let c = [cand(1, "weak", None), cand(2, "strong", Some(NOW - 60))];
        let s = [score("weak", Some(1.0)), score("strong", Some(4.0))];
        assert_eq!(pick(&c, &s, NOW, 2, 0), vec![2, 1]);
        // But balance still wins over due-ness: one from each before a second due one.
        let c = [
            cand(1, "weak", None),
            cand(2, "strong", Some(NOW - 60)),
            cand(3, "strong", Some(NOW - 30)),
        ];
        assert_eq!(pick(&c, &s, NOW, 3, 0), vec![2, 1, 3]);
    }

    #[test]
    fn no_duplicates_and_count_larger_than_available() {
        let c = [
            cand(1, "a", None),
            cand(1, "a", None),
            cand(2, "b", Some(NOW - 5)),
            cand(2, "c", None),
            cand(3, "b", Some(NOW + 5)),
        ];
        assert_eq!(pick(&c, &[], NOW, 100, 9), vec![2, 1]);
        assert!(pick(&c, &[], NOW, 0, 9).is_empty());
        assert!(pick(&[], &[], NOW, 5, 9).is_empty());
    }

    #[test]
    fn seed_breaks_ties_among_new_prompts_deterministically() {
        let c: Vec<Candidate> = (1..=6).map(|id| cand(id, "teaching", None)).collect();
        let first = pick(&c, &[], NOW, 6, 1);
        assert_eq!(first, pick(&c, &[], NOW, 6, 1));
        assert!((2..40).any(|seed| pick(&c, &[], NOW, 6, seed) != first));
        let mut sorted = first.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, vec![1, 2, 3, 4, 5, 6]);
        // Due prompts ignore the seed.
        let due: Vec<Candidate> = (1..=4).map(|id| cand(id, "t", Some(NOW - id))).collect();
        for seed in 0..10 {
            assert_eq!(pick(&due, &[], NOW, 4, seed), vec![4, 3, 2, 1]);
        }
    }

    #[test]
    fn extreme_times_do_not_overflow() {
        let c = [
            cand(1, "a", Some(i64::MIN)),
            cand(2, "a", Some(i64::MAX)),
            cand(3, "a", None),
        ];
        assert_eq!(pick(&c, &[], i64::MAX, 3, u64::MAX), vec![1, 2, 3]);
        assert_eq!(pick(&c, &[], i64::MIN, 3, 0), vec![1, 3]);
        assert_eq!(panel_at(&c, &["a", "a", "a"], 0, 0), vec![1, 3, 2]);
    }

    #[test]
    fn panel_follows_the_given_order_and_skips_empty_categories() {
        let c = [
            cand(1, "closing", None),
            cand(2, "motivation", Some(NOW + 100)),
            cand(3, "motivation", None),
            cand(4, "motivation", Some(NOW - 100)),
            cand(5, "teaching", Some(NOW + 50)),
            cand(6, "teaching", Some(NOW + 10)),
        ];
        let order = ["motivation", "teaching", "japanese", "closing"];
        // With a clock: due, then new, then soonest due.
        assert_eq!(panel_at(&c, &order, NOW, 3), vec![4, 6, 1]);
        assert_eq!(panel_at(&c[1..3], &["motivation"], NOW, 3), vec![3]);
        assert_eq!(
            panel_at(
                &c,
                &["motivation", "motivation", "motivation", "motivation"],
                NOW,
                3
            ),
            vec![4, 3, 2]
        );
        // Without a clock: earliest due date first, then new.
        assert_eq!(panel(&c, &order, 3), vec![4, 6, 1]);
        assert_eq!(panel(&c[1..3], &["motivation"], 3), vec![2]);
        assert!(panel(&c, &[], 3).is_empty());
    }

    #[test]
    fn panel_is_deterministic_for_a_seed() {
        let c: Vec<Candidate> = (1..=8).map(|id| cand(id, "teaching", None)).collect();
        let a = panel(&c, &["teaching"], 11);
        assert_eq!(a, panel(&c, &["teaching"], 11));
        assert!((0..40).any(|seed| panel(&c, &["teaching"], seed) != a));
    }

    proptest! {
        #[test]
        fn pick_never_repeats_and_takes_all_it_can(
            raw in proptest::collection::vec(
                (0i64..30, 0usize..4, proptest::option::of(-50i64..50)),
                0..40,
            ),
            means in proptest::collection::vec(proptest::option::of(0.0f64..5.0), 4),
            count in 0usize..50,
            seed in any::<u64>(),
        ) {
            let cats = ["a", "b", "c", "d"];
            let c: Vec<Candidate> =
                raw.iter().map(|&(id, k, due)| cand(id, cats[k], due)).collect();
            let s: Vec<CategoryScore> =
                cats.iter().zip(&means).map(|(c, m)| score(c, *m)).collect();
            let got = pick(&c, &s, 0, count, seed);
            let unique: HashSet<i64> = got.iter().copied().collect();
            prop_assert_eq!(unique.len(), got.len());
            let mut first_seen = HashSet::new();
            let kept: Vec<&Candidate> = c.iter().filter(|x| first_seen.insert(x.id)).collect();
            let eligible: Vec<&Candidate> =
                kept.iter().copied().filter(|x| x.due.is_none_or(|d| d <= 0)).collect();
            prop_assert_eq!(got.len(), count.min(eligible.len()));
            prop_assert!(got.iter().all(|id| eligible.iter().any(|x| x.id == *id)));
            // Balance: per-category counts differ by at most one unless a category ran out.
            let category_of =
                |id: i64| eligible.iter().find(|x| x.id == id).map(|x| x.category.as_str());
            let per = |cat: &str| got.iter().filter(|id| category_of(**id) == Some(cat)).count();
            let avail = |cat: &str| eligible.iter().filter(|x| x.category == cat).count();
            for a in cats {
                for b in cats {
                    if per(a) + 1 < per(b) {
                        prop_assert_eq!(per(a), avail(a));
                    }
                }
            }
        }
    }
}
