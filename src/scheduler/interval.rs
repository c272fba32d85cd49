//! How long until a card comes back, written the way Anki's buttons write it.

/// `45s`, `10m`, `3h`, `4d`, `1.5mo`, `2.1y`.
pub fn describe_secs(secs: i64) -> String {
    let secs = secs.max(0);
    if secs < 60 {
        format!("{secs}s")
    } else if secs < 3600 {
        format!("{}m", (secs as f64 / 60.0).round() as i64)
    } else if secs < 86_400 {
        format!("{}h", trim(secs as f64 / 3600.0))
    } else {
        describe_days(secs as f64 / 86_400.0)
    }
}

/// Days as `4d`, `1.5mo` (30 days a month) or `2.1y` (365 days a year).
pub fn describe_days(days: f64) -> String {
    if days < 30.0 {
        format!("{}d", days.round() as i64)
    } else if days < 365.0 {
        format!("{}mo", trim(days / 30.0))
    } else {
        format!("{}y", trim(days / 365.0))
    }
}

/// One decimal, without a trailing `.0`.
fn trim(value: f64) -> String {
    let text = format!("{value:.1}");
    text.strip_suffix(".0").map(str::to_owned).unwrap_or(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_like_anki_buttons() {
        assert_eq!(describe_secs(30), "30s");
        assert_eq!(describe_secs(60), "1m");
        assert_eq!(describe_secs(600), "10m");
        assert_eq!(describe_secs(5400), "1.5h");
        assert_eq!(describe_secs(3 * 86_400), "3d");
        assert_eq!(describe_days(45.0), "1.5mo");
        assert_eq!(describe_days(730.0), "2y");
    }
}
