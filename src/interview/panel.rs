//! The shape of a full mock interview, as JET panels run it: three interviewers, 15–20
//! minutes, introduction and motivation first and "any questions for us?" last.

/// (category, who asks). Order is the order of the interview.
pub const PANEL: &[(&str, &str)] = &[
    ("motivation", "Interviewer A (consulate)"),
    ("teaching", "Interviewer C (teacher)"),
    ("flexibility", "Interviewer B (former ALT)"),
    ("professionalism", "Interviewer B (former ALT)"),
    ("culture", "Interviewer A (consulate)"),
    ("teamwork", "Interviewer C (teacher)"),
    ("resilience", "Interviewer B (former ALT)"),
    ("japanese", "Interviewer C (teacher)"),
    ("closing", "Interviewer A (consulate)"),
];

/// Follow-ups are asked after every other answer that has one, starting with the first,
/// so a full interview has three or four, as real panels probe.
pub fn asks_follow_up(position: usize) -> bool {
    position.is_multiple_of(2)
}

pub fn categories() -> Vec<&'static str> {
    PANEL.iter().map(|(c, _)| *c).collect()
}

pub fn interviewer(category: &str) -> &'static str {
    PANEL
        .iter()
        .find(|(c, _)| *c == category)
        .map(|(_, who)| *who)
        .unwrap_or("Interviewer")
}
