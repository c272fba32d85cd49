//! What a learner's input means at each point of a card.

use crate::model::Rating;

/// Where in a card the learner is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// The front is shown.
    Question,
    /// The back and the four choices are shown.
    Answer,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Reveal,
    Rate(Rating),
    Undo,
    Suspend,
    Quit,
    /// Not understood: the hint to print before asking again.
    Invalid(&'static str),
}

/// One line (or one key, mapped to text) at a stage.
pub fn parse(line: &str, stage: Stage) -> Action {
    let word = line.trim();
    match word.to_ascii_lowercase().as_str() {
        "u" | "undo" => return Action::Undo,
        "s" | "suspend" => return Action::Suspend,
        "q" | "quit" | "exit" => return Action::Quit,
        _ => {}
    }
    match stage {
        Stage::Question => {
            if word.is_empty() {
                Action::Reveal
            } else {
                Action::Invalid("press Enter to show the answer (u undo, s suspend, q quit)")
            }
        }
        Stage::Answer => match Rating::parse(word) {
            Some(rating) => Action::Rate(rating),
            None => Action::Invalid(
                "answer 1-4 or again/hard/good/easy (a/h/g/e); u undo, s suspend, q quit",
            ),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn question_stage() {
        assert_eq!(parse("", Stage::Question), Action::Reveal);
        assert_eq!(parse("  ", Stage::Question), Action::Reveal);
        assert_eq!(parse("Q", Stage::Question), Action::Quit);
        assert_eq!(parse("u", Stage::Question), Action::Undo);
        assert!(matches!(parse("3", Stage::Question), Action::Invalid(_)));
    }

    #[test]
    fn answer_stage() {
        assert_eq!(parse("3", Stage::Answer), Action::Rate(Rating::Good));
        assert_eq!(parse("Easy", Stage::Answer), Action::Rate(Rating::Easy));
        assert_eq!(parse("a", Stage::Answer), Action::Rate(Rating::Again));
        assert_eq!(parse("s", Stage::Answer), Action::Suspend);
        assert!(matches!(parse("", Stage::Answer), Action::Invalid(_)));
        assert!(matches!(parse("7", Stage::Answer), Action::Invalid(_)));
    }
}
