//! Campaign-wide arithmetic several layers need: the days left until a deadline. (Which
//! deadline applies to a unit is `Storage::deadline_for`.)

use chrono::{DateTime, Utc};

/// Whole days left until `deadline` (rounded up; 0 on the last day, negative once past).
pub fn days_left(now: DateTime<Utc>, deadline: DateTime<Utc>) -> i64 {
    const DAY: i64 = 86_400;
    // Any two `DateTime`s are far less than i64::MAX seconds apart: the saturating steps never
    // saturate, they only keep the arithmetic visibly panic-free.
    let seconds = deadline.signed_duration_since(now).num_seconds();
    if seconds >= 0 {
        seconds.saturating_add(DAY - 1) / DAY
    } else {
        (seconds.saturating_neg() / DAY)
            .saturating_neg()
            .saturating_sub(1)
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn days_left_rounds_up() {
        let deadline = Utc.with_ymd_and_hms(2026, 6, 3, 16, 59, 0).unwrap();
        assert_eq!(
            days_left(deadline - chrono::Duration::hours(1), deadline),
            1
        );
        assert_eq!(days_left(deadline - chrono::Duration::days(3), deadline), 3);
        assert_eq!(days_left(deadline, deadline), 0);
        assert_eq!(
            days_left(deadline + chrono::Duration::hours(1), deadline),
            -1
        );
    }
}
