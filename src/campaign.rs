//! Campaign-wide facts that several layers need: the deadline that applies to a unit.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::{
    dialog::Dialog,
    storage::{Storage, StorageError, Unit},
};

/// A unit's deadline: its own if the bureau set one, else the campaign deadline set in the bot,
/// else the dialog file's `default_deadline` (read in the bot's time zone).
pub async fn deadline_for(
    storage: &Storage,
    dialog: &Dialog,
    timezone: Tz,
    unit: Option<&Unit>,
) -> Result<Option<DateTime<Utc>>, StorageError> {
    if let Some(own) = unit.and_then(Unit::deadline) {
        return Ok(Some(own));
    }
    if let Some(campaign) = storage.campaign_deadline().await? {
        return Ok(Some(campaign));
    }
    Ok(dialog
        .campaign()
        .default_deadline
        .and_then(|local| local.and_local_timezone(timezone).earliest())
        .map(|at| at.with_timezone(&Utc)))
}

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
