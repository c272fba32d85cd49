//! Scheduler settings, with Anki's defaults (`reference/scheduling.md` §5).

use serde::Serialize;

/// What the learner can tune. Defaults match Anki's deck-options defaults with FSRS on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SchedulerConfig {
    /// Probability of recall at which a review is scheduled (0.9 = 90 %).
    pub desired_retention: f32,
    /// Learning steps in seconds (Anki: 1m 10m).
    pub learning_steps: Vec<u32>,
    /// Relearning steps in seconds (Anki: 10m).
    pub relearning_steps: Vec<u32>,
    /// Longest interval in days (Anki and FSRS: 36500).
    pub maximum_interval: u32,
    /// Lapses at which a card becomes a leech (Anki: 8).
    pub leech_threshold: u32,
    /// FSRS parameters; empty means the crate's 21 FSRS-6 defaults.
    pub parameters: Vec<f32>,
}

impl Default for SchedulerConfig {
    fn default() -> Self {
        SchedulerConfig {
            desired_retention: 0.9,
            learning_steps: vec![60, 600],
            relearning_steps: vec![600],
            maximum_interval: 36_500,
            leech_threshold: 8,
            parameters: Vec::new(),
        }
    }
}

/// Parses a step list as Anki writes it: `1m 10m`, `30s`, `1h`, `1d`; a bare number is minutes.
pub fn parse_steps(text: &str) -> Result<Vec<u32>, String> {
    let mut steps = Vec::new();
    for word in text.split(|c: char| c.is_whitespace() || c == ',') {
        if word.is_empty() {
            continue;
        }
        let (number, unit) = match word.find(|c: char| !(c.is_ascii_digit() || c == '.')) {
            Some(i) => word.split_at(i),
            None => (word, "m"),
        };
        let value: f64 = number
            .parse()
            .map_err(|_| format!("`{word}` is not a step; write steps like `1m 10m`"))?;
        let scale = match unit {
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            "d" => 86_400.0,
            _ => return Err(format!("`{word}`: unknown unit `{unit}`; use s, m, h or d")),
        };
        let secs = value * scale;
        if !(1.0..=(365.0 * 86_400.0)).contains(&secs) {
            return Err(format!(
                "`{word}` is out of range; a step is between 1s and 365d"
            ));
        }
        steps.push(secs.round() as u32);
    }
    Ok(steps)
}

/// Writes steps back in the shortest unit that is exact, for `config` output.
pub fn format_steps(steps: &[u32]) -> String {
    steps
        .iter()
        .map(|&s| {
            if s % 86_400 == 0 {
                format!("{}d", s / 86_400)
            } else if s % 3600 == 0 {
                format!("{}h", s / 3600)
            } else if s % 60 == 0 {
                format!("{}m", s / 60)
            } else {
                format!("{s}s")
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_round_trip_in_anki_notation() {
        assert_eq!(parse_steps("1m 10m"), Ok(vec![60, 600]));
        assert_eq!(parse_steps("30s,1h 1d"), Ok(vec![30, 3600, 86_400]));
        assert_eq!(parse_steps("5"), Ok(vec![300]));
        assert_eq!(parse_steps(""), Ok(vec![]));
        assert_eq!(
            format_steps(&[60, 600, 30, 7200, 86_400]),
            "1m 10m 30s 2h 1d"
        );
        assert!(parse_steps("10x").is_err());
        assert!(parse_steps("-1m").is_err());
        assert!(parse_steps("0m").is_err());
        assert!(parse_steps("1000d").is_err());
    }
}
