//! How long to wait before trying again: one exponential backoff for every retry in the bot.

use std::time::Duration;

/// An exponential backoff: `first` before the first retry, each later delay `factor` times the
/// one before, never more than `max`. Saturating: any attempt number gives a delay in
/// `first.min(max)..=max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    pub first: Duration,
    pub factor: u32,
    pub max: Duration,
}

impl Backoff {
    /// Between tries of one Bot API call (5xx, network errors) and between failed polls:
    /// 0.25 s, 0.5 s, 1 s, then every 2 s. Short, so a person's reply is late by seconds at
    /// most, not by teloxide's fixed 10.
    pub const CALL: Self = Self {
        first: Duration::from_millis(250),
        factor: 2,
        max: Duration::from_secs(2),
    };

    /// The delay before retry number `attempt`: 1 is the first retry (0 counts as 1).
    pub const fn delay(&self, attempt: u32) -> Duration {
        let delay = match self.factor.checked_pow(attempt.saturating_sub(1)) {
            Some(multiplier) => self.first.saturating_mul(multiplier),
            None => self.max,
        };
        // `min`, in a const fn.
        if delay.as_nanos() > self.max.as_nanos() {
            self.max
        } else {
            delay
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn call_backoff_doubles_from_a_quarter_second_up_to_two_seconds() {
        let delays: Vec<Duration> = (1..=6)
            .map(|attempt| Backoff::CALL.delay(attempt))
            .collect();
        let expected = [250, 500, 1000, 2000, 2000, 2000].map(Duration::from_millis);
        assert_eq!(delays, expected);
        assert_eq!(Backoff::CALL.delay(0), Backoff::CALL.delay(1));
    }

    #[test]
    fn matches_the_shifts_it_replaced() {
        for attempt in 1..=100u32 {
            let shifted = Duration::from_millis(250u64 << attempt.saturating_sub(1).min(3));
            assert_eq!(Backoff::CALL.delay(attempt), shifted, "attempt {attempt}");
        }
    }

    #[test]
    fn saturates_instead_of_overflowing() {
        let backoff = Backoff {
            first: Duration::from_secs(1),
            factor: 2,
            max: Duration::from_secs(1024),
        };
        assert_eq!(backoff.delay(11), Duration::from_secs(1024));
        assert_eq!(backoff.delay(33), Duration::from_secs(1024));
        assert_eq!(backoff.delay(u32::MAX), Duration::from_secs(1024));
        let unbounded = Backoff {
            first: Duration::MAX,
            factor: u32::MAX,
            max: Duration::MAX,
        };
        assert_eq!(unbounded.delay(2), Duration::MAX);
        assert_eq!(unbounded.delay(u32::MAX), Duration::MAX);
    }

    #[test]
    fn a_factor_of_one_is_a_constant_delay() {
        let constant = Backoff {
            first: Duration::from_secs(3),
            factor: 1,
            max: Duration::from_secs(60),
        };
        assert_eq!(constant.delay(1), Duration::from_secs(3));
        assert_eq!(constant.delay(u32::MAX), Duration::from_secs(3));
    }
}
