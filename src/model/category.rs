//! Interview prompt categories. A closed list, so decks, selection and stats agree on names.

/// (id, what the learner sees). The order is the order of a full mock interview.
pub const CATEGORIES: &[(&str, &str)] = &[
    ("motivation", "Motivation and why Japan"),
    ("teaching", "Teaching and classroom scenarios"),
    ("flexibility", "Flexibility and adaptability"),
    ("professionalism", "Professionalism and workplace conduct"),
    ("culture", "Cultural awareness and exchange"),
    ("resilience", "Difficulty, stress and isolation"),
    ("teamwork", "Teamwork with Japanese teachers"),
    ("demo-lesson", "Self-introduction and demo lessons"),
    ("knowledge", "Knowledge of Japan and home"),
    ("japanese", "The Japanese-language part"),
    ("dispatch", "Dispatch company questions"),
    ("curveball", "Curveballs"),
    ("closing", "Questions for the panel"),
];

pub fn is_category(id: &str) -> bool {
    CATEGORIES.iter().any(|(c, _)| *c == id)
}

pub fn title(id: &str) -> &str {
    CATEGORIES
        .iter()
        .find(|(c, _)| *c == id)
        .map(|(_, t)| *t)
        .unwrap_or(id)
}

pub fn ids() -> Vec<&'static str> {
    CATEGORIES.iter().map(|(c, _)| *c).collect()
}
