//! Spans of time typed by people: `7d`, `12h`, `30m` (days, hours, minutes).
//!
//! Used by invitation lifetimes (`/invite`, the CLI) and `REMINDER_OFFSETS`. Parsed without
//! byte-index slicing and with checked arithmetic, so no input (a stray `é`, twenty digits) can
//! panic: anything that is not a positive whole number followed by `d`, `h` or `m` is `None`.

use chrono::Duration;

/// Reads `7d`, `12h` or `30m` (any case, surrounding spaces ignored). `None` for anything else,
/// including zero, signs, decimals, and amounts too large for a `Duration`.
pub fn parse_span(raw: &str) -> Option<Duration> {
    let raw = raw.trim();
    let unit = raw.chars().last()?;
    let digits = raw.strip_suffix(unit)?;
    if digits.is_empty() || !digits.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    let amount: i64 = digits.parse().ok().filter(|amount| *amount > 0)?;
    match unit.to_ascii_lowercase() {
        'd' => Duration::try_days(amount),
        'h' => Duration::try_hours(amount),
        'm' => Duration::try_minutes(amount),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_days_hours_minutes() {
        assert_eq!(parse_span("7d"), Some(Duration::days(7)));
        assert_eq!(parse_span(" 12H "), Some(Duration::hours(12)));
        assert_eq!(parse_span("30m"), Some(Duration::minutes(30)));
    }

    #[test]
    fn refuses_without_panicking() {
        for raw in [
            "",
            "d",
            "0d",
            "-1d",
            "+1d",
            "1.5d",
            "7w",
            "7é",
            "é",
            "7dé",
            "١d",
            "7 d",
            "999999999999999m",
            "99999999999999999999d",
            "9223372036854775807d",
        ] {
            assert_eq!(parse_span(raw), None, "{raw:?}");
        }
    }
}
