//! The decks shipped inside the binary (design.md rule 10): installed on first run, updated by
//! key when a new version changes them, never touching anyone's progress.

/// (file name, contents). A test parses every one of them.
pub const BUILTIN: &[(&str, &str)] = &[
    ("alt-role.toml", include_str!("../../decks/alt-role.toml")),
    (
        "jet-vs-dispatch.toml",
        include_str!("../../decks/jet-vs-dispatch.toml"),
    ),
    (
        "school-life.toml",
        include_str!("../../decks/school-life.toml"),
    ),
    (
        "workplace-japanese.toml",
        include_str!("../../decks/workplace-japanese.toml"),
    ),
    (
        "classroom-english.toml",
        include_str!("../../decks/classroom-english.toml"),
    ),
    (
        "community-life.toml",
        include_str!("../../decks/community-life.toml"),
    ),
    (
        "interview-core.toml",
        include_str!("../../decks/interview-core.toml"),
    ),
    (
        "interview-more.toml",
        include_str!("../../decks/interview-more.toml"),
    ),
];

/// A fingerprint of the shipped content, computed by `build.rs` over `decks/*.toml`: when it
/// changes, the decks are re-installed. Free at run time (hashing 500 KB at every start cost
/// about 1 ms, measured with callgrind).
pub fn content_version() -> &'static str {
    env!("ALT_PREP_DECKS_VERSION")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::native::{Syntax, parse};
    use std::collections::{HashMap, HashSet};

    fn decks() -> Vec<crate::deck::DeckDraft> {
        BUILTIN
            .iter()
            .map(|(name, text)| {
                parse(text, Syntax::Toml).unwrap_or_else(|e| panic!("{name}: {e:?}"))
            })
            .collect()
    }

    #[test]
    fn every_file_in_decks_is_shipped() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/decks");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .expect("decks/")
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter(|n| n.ends_with(".toml"))
            .collect();
        files.sort();
        let mut shipped: Vec<String> = BUILTIN.iter().map(|(n, _)| (*n).to_owned()).collect();
        shipped.sort();
        assert_eq!(files, shipped);
        assert_eq!(content_version().len(), 16);
    }

    #[test]
    fn every_built_in_deck_parses_with_unique_ids_and_clear_names() {
        let decks = decks();
        let mut ids = HashSet::new();
        let mut names = HashSet::new();
        for d in &decks {
            assert!(ids.insert(d.id.clone()), "duplicate deck id {}", d.id);
            assert!(
                names.insert(d.name.to_lowercase()),
                "duplicate deck name {}",
                d.name
            );
            assert!(
                d.description.len() >= 40,
                "{} needs a real description",
                d.id
            );
            assert!(
                d.name.len() <= 48,
                "{} name too long for the deck list",
                d.id
            );
        }
    }

    #[test]
    fn cards_have_sane_lengths_and_no_duplicates() {
        let mut fronts = HashMap::new();
        let mut total = 0;
        for d in decks() {
            for c in &d.cards {
                total += 1;
                let front = c.front.trim();
                let back = c.back.trim();
                assert!(
                    (8..=300).contains(&front.chars().count()),
                    "{}/{} front",
                    d.id,
                    c.id
                );
                assert!(
                    (1..=600).contains(&back.chars().count()),
                    "{}/{} back",
                    d.id,
                    c.id
                );
                assert!(front != back, "{}/{} front equals back", d.id, c.id);
                if let Some(other) =
                    fronts.insert(front.to_lowercase(), format!("{}/{}", d.id, c.id))
                {
                    panic!("{}/{} repeats the front of {other}", d.id, c.id);
                }
            }
        }
        assert!(total >= 200, "at least 200 cards, found {total}");
    }

    #[test]
    fn prompts_cover_every_category_with_talking_points_and_limits() {
        let mut per_category: HashMap<String, usize> = HashMap::new();
        let mut questions = HashSet::new();
        let mut total = 0;
        for d in decks() {
            for p in &d.prompts {
                total += 1;
                *per_category.entry(p.category.clone()).or_default() += 1;
                assert!(
                    p.talking_points.len() >= 3,
                    "{}/{} needs 3 talking points",
                    d.id,
                    p.id
                );
                assert!(!p.tips.trim().is_empty(), "{}/{} needs tips", d.id, p.id);
                let limits = if p.category == "demo-lesson" {
                    60..=420
                } else {
                    60..=120
                };
                assert!(
                    limits.contains(&p.time_limit_secs),
                    "{}/{} time limit",
                    d.id,
                    p.id
                );
                assert!(
                    (10..=400).contains(&p.question.trim().len()),
                    "{}/{} question",
                    d.id,
                    p.id
                );
                assert!(
                    questions.insert(p.question.to_lowercase()),
                    "{}/{} repeated",
                    d.id,
                    p.id
                );
            }
        }
        assert!(total >= 120, "at least 120 prompts, found {total}");
        for (category, _) in crate::model::category::CATEGORIES {
            assert!(
                per_category.get(*category).copied().unwrap_or(0) >= 4,
                "category {category} has too few prompts: {per_category:?}"
            );
        }
    }
}
