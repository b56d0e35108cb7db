use std::fmt;

use chrono::Duration;
use rand::{Rng, distr::Alphanumeric};
use sha2::{Digest, Sha256};

/// The secret carried by an invitation deep link (`t.me/<bot>?start=<token>`).
///
/// Only its SHA-256 is stored, so a copy of the database cannot be used to join the bot.
/// 24 characters of `[A-Za-z0-9]`: about 143 bits, within Telegram's 64-character `start` limit.
#[derive(Clone, PartialEq, Eq)]
pub struct InviteToken(String);

const TOKEN_LEN: usize = 24;

impl InviteToken {
    pub fn generate() -> Self {
        // `Alphanumeric` draws uniformly from `[A-Za-z0-9]`.
        let token = rand::rng()
            .sample_iter(Alphanumeric)
            .take(TOKEN_LEN)
            .map(char::from)
            .collect();
        Self(token)
    }

    /// A token as it arrives in `/start <token>`; anything else is not an invitation.
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        (raw.len() == TOKEN_LEN && raw.bytes().all(|b| b.is_ascii_alphanumeric()))
            .then(|| Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn hash(&self) -> String {
        hex::encode(Sha256::digest(self.0.as_bytes()))
    }
}

impl fmt::Debug for InviteToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("InviteToken(***)")
    }
}

/// A lifetime typed as `7d`, `12h` or `30m` (days, hours, minutes), at most a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lifetime(Duration);

impl Lifetime {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        let duration = super::parse_span(raw).ok_or_else(|| {
            format!("{raw:?} is not a lifetime: use a whole number with d, h or m, e.g. 7d")
        })?;
        if duration > Duration::days(366) {
            return Err(format!("{raw:?} is too long: at most 366d"));
        }
        Ok(Self(duration))
    }

    pub fn duration(self) -> Duration {
        self.0
    }
}

impl Default for Lifetime {
    fn default() -> Self {
        Self(Duration::days(7))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_tokens_parse_back_and_differ() {
        let a = InviteToken::generate();
        let b = InviteToken::generate();
        assert_ne!(a, b);
        assert_eq!(InviteToken::parse(a.as_str()), Some(a.clone()));
        assert_eq!(a.hash().len(), 64);
    }

    #[test]
    fn rejects_foreign_payloads() {
        assert!(InviteToken::parse("").is_none());
        assert!(InviteToken::parse("../../etc/passwd").is_none());
        assert!(InviteToken::parse("abc").is_none());
    }

    #[test]
    fn lifetimes() {
        assert_eq!(Lifetime::parse("7d").unwrap().duration(), Duration::days(7));
        assert_eq!(
            Lifetime::parse("12h").unwrap().duration(),
            Duration::hours(12)
        );
        assert!(Lifetime::parse("0d").is_err());
        assert!(Lifetime::parse("7w").is_err());
        assert!(Lifetime::parse("").is_err());
        assert!(Lifetime::parse("999d").is_err());
        // Once a panic inside a handler: a multi-byte last letter, an amount past chrono's range.
        assert!(Lifetime::parse("7é").is_err());
        assert!(Lifetime::parse("999999999999999m").is_err());
    }
}
