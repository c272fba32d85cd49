//! Anki's day: it starts at a fixed local hour (4 am by default), not at midnight, so a late
//! night session counts towards the day before (`reference/scheduling.md` §5).

use jiff::{Timestamp, tz::TimeZone};

/// Converts between instants and day numbers in the learner's time zone.
#[derive(Debug, Clone)]
pub struct DayClock {
    tz: TimeZone,
    rollover_hour: i8,
}

impl DayClock {
    pub fn new(tz: TimeZone, rollover_hour: u8) -> Self {
        DayClock {
            tz,
            rollover_hour: rollover_hour.min(23) as i8,
        }
    }

    /// The day an instant belongs to, as days since 1970-01-01 in local "study days".
    pub fn day_of(&self, unix_secs: i64) -> i64 {
        let Ok(ts) = Timestamp::from_second(unix_secs) else {
            return unix_secs.div_euclid(86_400);
        };
        let local = ts.to_zoned_datetime(self.tz.clone()).datetime();
        let shifted = local
            .checked_sub(jiff::Span::new().hours(self.rollover_hour))
            .unwrap_or(local);
        let date = shifted.date();
        let epoch = jiff::civil::date(1970, 1, 1);
        date.since(epoch)
            .map(|span| i64::from(span.get_days()))
            .unwrap_or_else(|_| unix_secs.div_euclid(86_400))
    }

    /// The instant a study day starts (its rollover hour, local time).
    pub fn start_of(&self, day: i64) -> i64 {
        let epoch = jiff::civil::date(1970, 1, 1);
        // Day numbers come from stored times, which an imported file may put far outside
        // jiff's range (year ±9999): fall back to UTC arithmetic rather than panic.
        let Some(date) = jiff::Span::new()
            .try_days(day)
            .ok()
            .and_then(|span| epoch.checked_add(span).ok())
        else {
            return day.saturating_mul(86_400);
        };
        let start = date.at(self.rollover_hour, 0, 0, 0);
        start
            .to_zoned_datetime(self.tz.clone())
            .map(|z| z.timestamp().as_second())
            .unwrap_or(day * 86_400)
    }

    /// When the study day after the one containing `unix_secs` starts.
    pub fn next_day_start(&self, unix_secs: i64) -> i64 {
        self.start_of(self.day_of(unix_secs) + 1)
    }

    pub fn time_zone(&self) -> &TimeZone {
        &self.tz
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> i64 {
        s.parse::<Timestamp>().map(|t| t.as_second()).unwrap_or(0)
    }

    /// Day numbers from stored times outside jiff's years (±9999), as a damaged import can
    /// leave: answered by plain arithmetic, never a panic.
    #[test]
    fn days_beyond_the_calendar_do_not_panic() {
        let clock = DayClock::new(TimeZone::UTC, 4);
        let far = 9_999_999_999_999_i64; // seconds: the year 318,857
        let day = clock.day_of(far);
        assert_eq!(day, far.div_euclid(86_400));
        assert_eq!(clock.start_of(day), day * 86_400);
        assert_eq!(clock.start_of(i64::MAX), i64::MAX);
        assert_eq!(clock.start_of(-5_000_000), -5_000_000 * 86_400);
    }

    #[test]
    fn the_day_rolls_over_at_four_am_local() {
        let tz = TimeZone::fixed(jiff::tz::offset(9));
        let clock = DayClock::new(tz, 4);
        // 03:59 JST on the 2nd still belongs to the 1st; 04:00 starts the 2nd.
        let late = clock.day_of(ts("2026-04-01T18:59:00Z"));
        let early = clock.day_of(ts("2026-04-01T19:00:00Z"));
        assert_eq!(early, late + 1);
        assert_eq!(clock.start_of(early), ts("2026-04-01T19:00:00Z"));
        assert_eq!(
            clock.next_day_start(ts("2026-04-01T18:59:00Z")),
            ts("2026-04-01T19:00:00Z")
        );
    }

    #[test]
    fn utc_midnight_rollover_is_plain_days() {
        let clock = DayClock::new(TimeZone::UTC, 0);
        assert_eq!(clock.day_of(0), 0);
        assert_eq!(clock.day_of(86_399), 0);
        assert_eq!(clock.day_of(86_400), 1);
        assert_eq!(clock.start_of(3), 3 * 86_400);
    }
}
