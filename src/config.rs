//! Settings, read once at start from the environment and an optional `.env` file.
//!
//! Every problem is one sentence that names the setting and says how to fix it. The bot token is
//! held in [`BotToken`], whose `Debug` and `Display` never show it.

use std::{fmt, path::PathBuf, str::FromStr};

use chrono::NaiveTime;
use chrono_tz::Tz;
use url::Url;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/kipp-bot.db";
pub const DEFAULT_EVIDENCE_DIR: &str = "data/evidence";
pub const DEFAULT_TIMEZONE: &str = "Asia/Jakarta";
pub const DEFAULT_DIALOG_FILE: &str = "dialogs/kipp2025.toml";

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error(
        "TELOXIDE_TOKEN is not set: create a bot with @BotFather in Telegram (/newbot), then put the token it gives you in .env as TELOXIDE_TOKEN=123456:ABC..."
    )]
    MissingToken,
    #[error(
        "TELOXIDE_TOKEN does not look like a bot token (digits, a colon, then letters): copy it again from @BotFather (/mybots → API Token)"
    )]
    MalformedToken,
    #[error("{name} is not valid ({problem}): {hint}")]
    Invalid {
        name: &'static str,
        problem: String,
        hint: &'static str,
    },
}

/// The Telegram bot token. Never printed: `{:?}` and `{}` show `***`.
#[derive(Clone)]
pub struct BotToken(String);

impl BotToken {
    pub fn parse(raw: &str) -> Result<Self, ConfigError> {
        let raw = raw.trim();
        let (id, secret) = raw.split_once(':').ok_or(ConfigError::MalformedToken)?;
        let id_ok = !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit());
        let secret_ok = secret.len() >= 20
            && secret
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        if id_ok && secret_ok {
            Ok(Self(raw.to_owned()))
        } else {
            Err(ConfigError::MalformedToken)
        }
    }

    /// The only way to read the secret: to hand it to the Telegram client.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for BotToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BotToken(***)")
    }
}

impl fmt::Display for BotToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

#[derive(Debug, Clone)]
pub struct Settings {
    /// `None` only for commands that do not talk to Telegram (`unit add`, `check-dialog`).
    token: Option<BotToken>,
    /// A local Bot API server or a test server; `None` means api.telegram.org.
    pub api_url: Option<Url>,
    pub database_url: String,
    pub evidence_dir: PathBuf,
    pub timezone: Tz,
    /// Telegram user ids that are bureau staff at every start.
    pub bureau_admins: Vec<i64>,
    pub dialog_file: PathBuf,
    pub schedule: ScheduleSettings,
    /// `KIPP_TEST_PANIC_TEXT`, a test aid: a message with exactly this text makes its handler
    /// panic (the tests prove the panic is contained). Leave unset.
    pub test_panic_text: Option<String>,
}

/// When the bot chases people, and how fast it may write.
#[derive(Debug, Clone, PartialEq)]
pub struct ScheduleSettings {
    /// Reminders go out this long before a deadline (largest first).
    pub reminder_offsets: Vec<chrono::Duration>,
    /// Local times between which no reminder is sent (they wait for the morning).
    pub quiet_hours: Option<(NaiveTime, NaiveTime)>,
    /// Local time of the daily digest.
    pub digest_time: NaiveTime,
    /// A draft untouched this many days is named in the digest.
    pub stale_days: u32,
    /// Messages per second across all chats (Telegram allows about 30).
    pub send_rate_per_second: f64,
    /// Least time between two messages to the same chat (Telegram allows about one a second).
    pub per_chat_interval: std::time::Duration,
    /// Sent messages and replay marks are kept this many days (see `storage::retention`).
    pub retention_days: u32,
}

impl Default for ScheduleSettings {
    fn default() -> Self {
        Self {
            reminder_offsets: DEFAULT_OFFSETS.to_vec(),
            quiet_hours: Some(DEFAULT_QUIET),
            digest_time: DEFAULT_DIGEST_TIME,
            stale_days: 3,
            send_rate_per_second: 30.0,
            per_chat_interval: std::time::Duration::from_millis(1000),
            retention_days: 30,
        }
    }
}

pub const DEFAULT_REMINDER_OFFSETS: &str = "7d,3d,1d,3h";
pub const DEFAULT_QUIET_HOURS: &str = "21:00-07:00";

// The defaults above as values, built at compile time (a test checks that they agree).
const DEFAULT_OFFSETS: [chrono::Duration; 4] = [
    chrono::Duration::days(7),
    chrono::Duration::days(3),
    chrono::Duration::days(1),
    chrono::Duration::hours(3),
];
const DEFAULT_QUIET: (NaiveTime, NaiveTime) = (time_of_day(21, 0), time_of_day(7, 0));
const DEFAULT_DIGEST_TIME: NaiveTime = time_of_day(7, 0);

/// For `const` items only: a wrong constant then stops the build, never the bot.
const fn time_of_day(hour: u32, minute: u32) -> NaiveTime {
    match NaiveTime::from_hms_opt(hour, minute, 0) {
        Some(time) => time,
        None => panic!("not a time of day"),
    }
}

fn parse_offsets(raw: &str) -> Option<Vec<chrono::Duration>> {
    let mut offsets = Vec::new();
    for part in raw
        .split(',')
        .map(str::trim)
        .filter(|part| !part.is_empty())
    {
        offsets.push(crate::domain::parse_span(part)?);
    }
    offsets.sort_by(|a, b| b.cmp(a));
    offsets.dedup();
    Some(offsets)
}

fn parse_time(raw: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(raw.trim(), "%H:%M").ok()
}

/// `21:00-07:00`; empty or `off` means no quiet hours.
fn parse_quiet_hours(raw: &str) -> Option<Option<(NaiveTime, NaiveTime)>> {
    let raw = raw.trim();
    if raw.is_empty() || raw.eq_ignore_ascii_case("off") {
        return Some(None);
    }
    let (start, end) = raw.split_once('-')?;
    Some(Some((parse_time(start)?, parse_time(end)?)))
}

impl Settings {
    /// Reads `.env` (if present) and then the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        // A missing .env is normal (settings may come from the environment alone).
        let _ = dotenvy::dotenv();
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Builds settings from any source of variables: tests pass a map instead of touching the
    /// process environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |name: &str| lookup(name).filter(|value| !value.trim().is_empty());

        let token = get("TELOXIDE_TOKEN")
            .map(|raw| BotToken::parse(&raw))
            .transpose()?;
        let api_url = get("TELOXIDE_API_URL")
            .map(|raw| {
                Url::parse(raw.trim())
                    .ok()
                    .filter(|url| matches!(url.scheme(), "http" | "https"))
                    .ok_or_else(|| ConfigError::Invalid {
                        name: "TELOXIDE_API_URL",
                        problem: format!("{raw:?} is not an http(s) URL"),
                        hint: "use e.g. http://127.0.0.1:8081, or leave it empty for api.telegram.org",
                    })
            })
            .transpose()?;
        let database_url = get("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.into());
        if !database_url.starts_with("sqlite:") {
            return Err(ConfigError::Invalid {
                name: "DATABASE_URL",
                problem: "only SQLite is supported".into(),
                hint: "use e.g. sqlite://data/kipp-bot.db",
            });
        }
        let timezone_name = get("BOT_TIMEZONE").unwrap_or_else(|| DEFAULT_TIMEZONE.into());
        let timezone = Tz::from_str(timezone_name.trim()).map_err(|_| ConfigError::Invalid {
            name: "BOT_TIMEZONE",
            problem: format!("{timezone_name:?} is not an IANA time zone"),
            hint: "use e.g. Asia/Jakarta (WIB), Asia/Makassar (WITA) or Asia/Jayapura (WIT)",
        })?;
        let bureau_admins = get("BUREAU_ADMINS")
            .map(|raw| parse_user_ids(&raw))
            .transpose()?
            .unwrap_or_default();

        let mut schedule = ScheduleSettings::default();
        if let Some(raw) = get("REMINDER_OFFSETS") {
            schedule.reminder_offsets =
                parse_offsets(&raw).ok_or_else(|| ConfigError::Invalid {
                    name: "REMINDER_OFFSETS",
                    problem: format!("{raw:?} is not a list of durations"),
                    hint: "use numbers with d, h or m separated by commas, e.g. 7d,3d,1d,3h",
                })?;
        }
        if let Some(raw) = get("QUIET_HOURS") {
            schedule.quiet_hours = parse_quiet_hours(&raw).ok_or_else(|| ConfigError::Invalid {
                name: "QUIET_HOURS",
                problem: format!("{raw:?} is not a time range"),
                hint: "use HH:MM-HH:MM in local time, e.g. 21:00-07:00, or off",
            })?;
        }
        if let Some(raw) = get("DIGEST_TIME") {
            schedule.digest_time = parse_time(&raw).ok_or_else(|| ConfigError::Invalid {
                name: "DIGEST_TIME",
                problem: format!("{raw:?} is not a time of day"),
                hint: "use HH:MM in local time, e.g. 07:00",
            })?;
        }
        if let Some(raw) = get("DIGEST_STALE_DAYS") {
            schedule.stale_days = raw.trim().parse().map_err(|_| ConfigError::Invalid {
                name: "DIGEST_STALE_DAYS",
                problem: format!("{raw:?} is not a number of days"),
                hint: "use a whole number, e.g. 3",
            })?;
        }
        if let Some(raw) = get("SEND_RATE_PER_SECOND") {
            schedule.send_rate_per_second = raw
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|rate| (0.1..=1000.0).contains(rate))
                .ok_or_else(|| ConfigError::Invalid {
                    name: "SEND_RATE_PER_SECOND",
                    problem: format!("{raw:?} is not a rate between 0.1 and 1000"),
                    hint: "use e.g. 30 (Telegram's limit for bots)",
                })?;
        }
        if let Some(raw) = get("PER_CHAT_INTERVAL_MS") {
            schedule.per_chat_interval = raw
                .trim()
                .parse::<u64>()
                .map(std::time::Duration::from_millis)
                .map_err(|_| ConfigError::Invalid {
                    name: "PER_CHAT_INTERVAL_MS",
                    problem: format!("{raw:?} is not a number of milliseconds"),
                    hint: "use e.g. 1000 (Telegram allows about one message a second per chat)",
                })?;
        }
        if let Some(raw) = get("RETENTION_DAYS") {
            schedule.retention_days = raw
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|days| *days > 0)
                .ok_or_else(|| ConfigError::Invalid {
                    name: "RETENTION_DAYS",
                    problem: format!("{raw:?} is not a positive whole number of days"),
                    hint: "use e.g. 30 (older sent messages and replay marks are deleted)",
                })?;
        }

        Ok(Self {
            token,
            api_url,
            database_url,
            evidence_dir: get("EVIDENCE_DIR")
                .unwrap_or_else(|| DEFAULT_EVIDENCE_DIR.into())
                .into(),
            timezone,
            bureau_admins,
            dialog_file: get("DIALOG_FILE")
                .unwrap_or_else(|| DEFAULT_DIALOG_FILE.into())
                .into(),
            schedule,
            test_panic_text: get("KIPP_TEST_PANIC_TEXT").filter(|text| !text.is_empty()),
        })
    }

    /// The token, required by every command that talks to Telegram.
    pub fn token(&self) -> Result<&BotToken, ConfigError> {
        self.token.as_ref().ok_or(ConfigError::MissingToken)
    }
}

fn parse_user_ids(raw: &str) -> Result<Vec<i64>, ConfigError> {
    raw.split(',')
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .map(|part| {
            part.parse::<i64>()
                .ok()
                .filter(|id| *id > 0)
                .ok_or_else(|| ConfigError::Invalid {
                    name: "BUREAU_ADMINS",
                    problem: format!("{part:?} is not a Telegram user id"),
                    hint: "list numeric user ids separated by commas, e.g. 123456789,987654321 (a person sees theirs with /whoami)",
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    const TOKEN: &str = "123456:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";

    fn settings(pairs: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Settings::from_lookup(|name| map.get(name).cloned())
    }

    #[test]
    fn defaults_apply() {
        let s = settings(&[("TELOXIDE_TOKEN", TOKEN)]).unwrap();
        assert_eq!(s.database_url, DEFAULT_DATABASE_URL);
        assert_eq!(s.timezone, chrono_tz::Asia::Jakarta);
        assert!(s.bureau_admins.is_empty());
        assert_eq!(s.token().unwrap().expose_secret(), TOKEN);
    }

    #[test]
    fn default_values_match_their_text() {
        let schedule = ScheduleSettings::default();
        assert_eq!(
            parse_offsets(DEFAULT_REMINDER_OFFSETS),
            Some(schedule.reminder_offsets)
        );
        assert_eq!(
            parse_quiet_hours(DEFAULT_QUIET_HOURS),
            Some(schedule.quiet_hours)
        );
        assert_eq!(parse_time("07:00"), Some(schedule.digest_time));
    }

    #[test]
    fn token_never_printed() {
        let s = settings(&[("TELOXIDE_TOKEN", TOKEN)]).unwrap();
        assert!(!format!("{s:?}").contains("AAHdq"));
        let err = settings(&[("TELOXIDE_TOKEN", "123456:short")]).unwrap_err();
        assert!(!err.to_string().contains("short"));
    }

    #[test]
    fn missing_token_points_to_botfather() {
        let s = settings(&[]).unwrap();
        let message = s.token().unwrap_err().to_string();
        assert!(message.contains("TELOXIDE_TOKEN") && message.contains("@BotFather"));
    }

    #[test]
    fn schedule_settings() {
        let s = settings(&[("REMINDER_OFFSETS", "3h, 7d,1d"), ("QUIET_HOURS", "off")]).unwrap();
        assert_eq!(
            s.schedule.reminder_offsets,
            vec![
                chrono::Duration::days(7),
                chrono::Duration::days(1),
                chrono::Duration::hours(3)
            ]
        );
        assert_eq!(s.schedule.quiet_hours, None);
        assert!(
            settings(&[("QUIET_HOURS", "late")])
                .unwrap_err()
                .to_string()
                .starts_with("QUIET_HOURS")
        );
        assert!(settings(&[("REMINDER_OFFSETS", "7w")]).is_err());
        assert!(settings(&[("SEND_RATE_PER_SECOND", "0")]).is_err());
        assert_eq!(settings(&[]).unwrap().schedule.retention_days, 30);
        assert_eq!(
            settings(&[("RETENTION_DAYS", " 7 ")])
                .unwrap()
                .schedule
                .retention_days,
            7
        );
        for raw in ["0", "-3", "30d", "1.5", "99999999999"] {
            let err = settings(&[("RETENTION_DAYS", raw)]).unwrap_err();
            assert!(
                err.to_string().starts_with("RETENTION_DAYS"),
                "{raw}: {err}"
            );
        }
    }

    #[test]
    fn malformed_settings_are_named() {
        let err = settings(&[("BUREAU_ADMINS", "12,abc")]).unwrap_err();
        assert!(err.to_string().starts_with("BUREAU_ADMINS"));
        let err = settings(&[("BOT_TIMEZONE", "Mars/Base")]).unwrap_err();
        assert!(err.to_string().starts_with("BOT_TIMEZONE"));
        for raw in ["7é", "999999999999999m", "7d,,x", "-3h"] {
            let err = settings(&[("REMINDER_OFFSETS", raw)]).unwrap_err();
            assert!(
                err.to_string().starts_with("REMINDER_OFFSETS"),
                "{raw}: {err}"
            );
        }
        let err = settings(&[("TELOXIDE_API_URL", "localhost:80")]).unwrap_err();
        assert!(err.to_string().starts_with("TELOXIDE_API_URL"));
        assert_eq!(
            settings(&[("BUREAU_ADMINS", " 1, 2 ,")])
                .unwrap()
                .bureau_admins,
            vec![1, 2]
        );
    }
}
