//! The learner's settings (`alt-prep config`): names, validation and defaults in one place.
//! Stored as text in the `settings` table; anything missing takes Anki's default.

use crate::scheduler::SchedulerConfig;
use crate::scheduler::config::{format_steps, parse_steps};
use crate::scheduler::limits::DailyLimits;

/// Every key `config` accepts, with what it means (shown by `alt-prep config`).
pub const KEYS: &[(&str, &str)] = &[
    (
        "desired_retention",
        "target chance of remembering a card when it is shown (0.70–0.99)",
    ),
    ("new_per_day", "new cards introduced per day"),
    (
        "reviews_per_day",
        "reviews per day (new cards count against it, as in Anki)",
    ),
    (
        "day_starts_at",
        "hour (0–23, local time) when a new study day begins",
    ),
    (
        "learning_steps",
        "delays for new cards before they graduate, e.g. `1m 10m`",
    ),
    ("relearning_steps", "delays for forgotten cards, e.g. `10m`"),
    ("maximum_interval", "longest interval in days"),
    (
        "leech_threshold",
        "lapses after which a card is tagged `leech` and suspended",
    ),
];

/// Settings as the commands use them.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub scheduler: SchedulerConfig,
    pub limits: DailyLimits,
    pub day_starts_at: u8,
}

/// The settings key of the FSRS parameters in use, as JSON (absent: FSRS-6's defaults). Set
/// by `alt-prep optimize` and by an import that takes an Anki collection's.
pub const PARAMETERS_KEY: &str = "fsrs_parameters";

impl Default for Settings {
    fn default() -> Self {
        Settings {
            scheduler: SchedulerConfig::default(),
            limits: DailyLimits::default(),
            day_starts_at: 4,
        }
    }
}

impl Settings {
    /// Builds settings from stored key/value pairs. A stored value that no longer validates is
    /// an error naming the key, rather than a silent fallback.
    pub fn from_pairs<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Settings, String> {
        let mut s = Settings::default();
        for (key, value) in pairs {
            if KEYS.iter().any(|(k, _)| *k == key) {
                s.set(key, value)
                    .map_err(|e| format!("stored setting {key} is invalid: {e}"))?;
            } else if key == PARAMETERS_KEY {
                let params: Vec<f32> = serde_json::from_str(value)
                    .map_err(|e| format!("stored FSRS parameters are invalid: {e}"))?;
                s.scheduler.parameters = params;
            }
        }
        Ok(s)
    }

    /// Validates and applies one setting; the error says what a good value looks like.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), String> {
        let value = value.trim();
        match key {
            "desired_retention" => {
                let v: f32 = value
                    .parse()
                    .map_err(|_| format!("`{value}` is not a number; try 0.9"))?;
                if !(0.7..=0.99).contains(&v) {
                    return Err(format!(
                        "{value} is out of range; choose between 0.70 and 0.99"
                    ));
                }
                self.scheduler.desired_retention = v;
            }
            "new_per_day" => self.limits.new_per_day = count(value, 9999)?,
            "reviews_per_day" => self.limits.reviews_per_day = count(value, 99_999)?,
            "day_starts_at" => self.day_starts_at = count(value, 23)? as u8,
            "learning_steps" => self.scheduler.learning_steps = parse_steps(value)?,
            "relearning_steps" => self.scheduler.relearning_steps = parse_steps(value)?,
            "maximum_interval" => {
                let v = count(value, 36_500)?;
                if v == 0 {
                    return Err("the maximum interval is at least 1 day".into());
                }
                self.scheduler.maximum_interval = v;
            }
            "leech_threshold" => self.scheduler.leech_threshold = count(value, 999)?,
            _ => {
                let names: Vec<&str> = KEYS.iter().map(|(k, _)| *k).collect();
                return Err(format!(
                    "unknown setting `{key}`; the settings are: {}",
                    names.join(", ")
                ));
            }
        }
        Ok(())
    }

    /// The value of a setting as `config` prints it (and as it is stored).
    pub fn get(&self, key: &str) -> Option<String> {
        Some(match key {
            "desired_retention" => format!("{}", self.scheduler.desired_retention),
            "new_per_day" => self.limits.new_per_day.to_string(),
            "reviews_per_day" => self.limits.reviews_per_day.to_string(),
            "day_starts_at" => self.day_starts_at.to_string(),
            "learning_steps" => format_steps(&self.scheduler.learning_steps),
            "relearning_steps" => format_steps(&self.scheduler.relearning_steps),
            "maximum_interval" => self.scheduler.maximum_interval.to_string(),
            "leech_threshold" => self.scheduler.leech_threshold.to_string(),
            _ => return None,
        })
    }
}

fn count(value: &str, max: u32) -> Result<u32, String> {
    let v: u32 = value
        .parse()
        .map_err(|_| format!("`{value}` is not a whole number"))?;
    if v > max {
        return Err(format!("{v} is too large; the most is {max}"));
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_ankis() {
        let s = Settings::default();
        assert_eq!(s.get("desired_retention").as_deref(), Some("0.9"));
        assert_eq!(s.get("learning_steps").as_deref(), Some("1m 10m"));
        assert_eq!(s.get("relearning_steps").as_deref(), Some("10m"));
        assert_eq!(s.get("new_per_day").as_deref(), Some("20"));
        assert_eq!(s.get("reviews_per_day").as_deref(), Some("200"));
        assert_eq!(s.get("day_starts_at").as_deref(), Some("4"));
    }

    #[test]
    fn bad_values_are_refused_with_a_reason() {
        let mut s = Settings::default();
        assert!(
            s.set("desired_retention", "1.5")
                .expect_err("invalid")
                .contains("between")
        );
        assert!(s.set("desired_retention", "lots").is_err());
        assert!(s.set("day_starts_at", "24").is_err());
        assert!(s.set("new_per_day", "-1").is_err());
        assert!(s.set("learning_steps", "1x").is_err());
        assert!(
            s.set("colour", "red")
                .expect_err("invalid")
                .contains("unknown setting")
        );
        assert_eq!(s, Settings::default(), "nothing changed");
        s.set("learning_steps", "30s 5m 1h").expect("ok");
        assert_eq!(s.scheduler.learning_steps, vec![30, 300, 3600]);
    }

    #[test]
    fn stored_pairs_round_trip() {
        let mut s = Settings::default();
        s.set("desired_retention", "0.85").expect("ok");
        s.set("new_per_day", "5").expect("ok");
        let pairs: Vec<(String, String)> = KEYS
            .iter()
            .map(|(k, _)| (k.to_string(), s.get(k).unwrap_or_default()))
            .collect();
        let back = Settings::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .expect("parse");
        assert_eq!(back, s);
    }
}
