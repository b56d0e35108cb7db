//! Validated answer values ("parse, don't validate").
//!
//! Each type here has private fields and a `parse` constructor: a `PhoneNumber`, an `Email`,
//! an `HttpUrl` or a `Number` that exists is valid. Raw strings stop at this edge.
//! The error enums carry developer-facing `Display` texts only; the friendly sentences a person
//! sees are built in the dialog layer (`Rejection::message` in `src/dialog/validate.rs`).

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::domain::Lang;

// ---------------------------------------------------------------------------------------------
// Phone numbers
// ---------------------------------------------------------------------------------------------

/// An Indonesian phone number (mobile or landline), normalised to `+62` followed by digits only,
/// e.g. `+6281234567890` or `+62211234567`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PhoneNumber(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    #[error("phone number is empty")]
    Empty,
    #[error("phone number contains characters other than digits, spaces, + - . ( )")]
    InvalidCharacters,
    #[error("phone number must start with 0, 62 or +62")]
    MissingPrefix,
    #[error("phone number is not an Indonesian (+62) number")]
    NotIndonesian,
    #[error("phone number is too short")]
    TooShort,
    #[error("phone number is too long")]
    TooLong,
}

/// Digits after `+62`: 8 for the shortest landlines (3-digit area code + 5 digits),
/// 12 for the longest mobile numbers (0812-3456-78901).
const PHONE_MIN_DIGITS: usize = 8;
const PHONE_MIN_MOBILE_DIGITS: usize = 9;
const PHONE_MAX_DIGITS: usize = 12;

impl PhoneNumber {
    /// Accepts `0812-3456-7890`, `+62 812 3456 7890`, `62812…`, `(021) 1234567`,
    /// `+62 (0)21 1234567`, `0062 812…`; spaces, dashes, dots and parentheses are ignored.
    pub fn parse(s: &str) -> Result<Self, PhoneError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(PhoneError::Empty);
        }
        let mut digits = String::new();
        let mut plus = false;
        for c in s.chars() {
            match c {
                '0'..='9' => digits.push(c),
                '+' if !plus && digits.is_empty() => plus = true,
                '-' | '.' | '(' | ')' | '/' => {}
                c if c.is_whitespace() => {}
                _ => return Err(PhoneError::InvalidCharacters),
            }
        }
        if digits.is_empty() {
            return Err(PhoneError::InvalidCharacters);
        }
        let national = if plus {
            digits.strip_prefix("62").ok_or(PhoneError::NotIndonesian)?
        } else if let Some(rest) = digits.strip_prefix("00") {
            rest.strip_prefix("62").ok_or(PhoneError::NotIndonesian)?
        } else if let Some(rest) = digits.strip_prefix('0') {
            rest
        } else if let Some(rest) = digits.strip_prefix("62") {
            rest
        } else {
            return Err(PhoneError::MissingPrefix);
        };
        // "+62 (0)21 …": the trunk 0 written after the country code.
        let national = national.strip_prefix('0').unwrap_or(national);
        if national.starts_with('0') || national.len() < PHONE_MIN_DIGITS {
            return Err(PhoneError::TooShort);
        }
        if national.starts_with('8') && national.len() < PHONE_MIN_MOBILE_DIGITS {
            return Err(PhoneError::TooShort);
        }
        if national.len() > PHONE_MAX_DIGITS {
            return Err(PhoneError::TooLong);
        }
        Ok(Self(format!("+62{national}")))
    }

    /// The normalised form, `+62…`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl std::fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

// ---------------------------------------------------------------------------------------------
// E-mail
// ---------------------------------------------------------------------------------------------

/// An e-mail address: one `@`, a plain ASCII local part, a domain with at least two labels and an
/// alphabetic top-level domain. The domain is lower-cased; the local part is kept as typed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("e-mail address is empty")]
    Empty,
    #[error("e-mail address has no @")]
    MissingAt,
    #[error("e-mail address is malformed")]
    Invalid,
}

impl Email {
    pub fn parse(s: &str) -> Result<Self, EmailError> {
        let s = s.trim();
        let s = s.strip_prefix("mailto:").unwrap_or(s);
        if s.is_empty() {
            return Err(EmailError::Empty);
        }
        let (local, domain) = s.rsplit_once('@').ok_or(EmailError::MissingAt)?;
        let domain = domain.to_ascii_lowercase();
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~-.".contains(c));
        if !local_ok
            || !is_domain_name(&domain)
            || local.len().saturating_add(1).saturating_add(domain.len()) > 254
        {
            return Err(EmailError::Invalid);
        }
        Ok(Self(format!("{local}@{domain}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// A lower-case DNS name with at least two labels and an alphabetic TLD.
fn is_domain_name(domain: &str) -> bool {
    if domain.is_empty() || domain.len() > 253 {
        return false;
    }
    let labels: Vec<&str> = domain.split('.').collect();
    let labels_ok = labels.iter().all(|l| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    });
    let tld = labels.last().copied().unwrap_or_default();
    labels.len() >= 2 && labels_ok && tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_lowercase())
}

// ---------------------------------------------------------------------------------------------
// URLs
// ---------------------------------------------------------------------------------------------

/// An `http`/`https` link to a named host (not an IP address), optionally restricted to an
/// allow-list of host suffixes. Stored in the normalised form the `url` crate produces.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct HttpUrl(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UrlError {
    #[error("link is empty")]
    Empty,
    #[error("link is malformed")]
    Invalid,
    #[error("link is not http or https")]
    NotHttp,
    #[error("link host {host} is not on the allow-list")]
    HostNotAllowed { host: String },
}

impl HttpUrl {
    /// `allowed_hosts` holds host suffixes such as `youtube.com`: the host must equal one of them
    /// or be a subdomain of it (`www.youtube.com`, `m.youtube.com`). An empty list allows any
    /// host. A link typed without a scheme (`youtu.be/abc`) is read as `https://`.
    pub fn parse<S>(s: &str, allowed_hosts: &[S]) -> Result<Self, UrlError>
    where
        S: AsRef<str>,
    {
        let s = s.trim();
        if s.is_empty() {
            return Err(UrlError::Empty);
        }
        if s.chars().any(char::is_whitespace) {
            return Err(UrlError::Invalid);
        }
        let candidate = if s.contains("://") {
            s.to_owned()
        } else if s.contains(':') && !s.contains('.') {
            // "mailto:x", "javascript:x" and the like: a scheme without a host.
            return Err(UrlError::NotHttp);
        } else {
            format!("https://{s}")
        };
        let url = url::Url::parse(&candidate).map_err(|_| UrlError::Invalid)?;
        if url.scheme() != "http" && url.scheme() != "https" {
            return Err(UrlError::NotHttp);
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(UrlError::Invalid);
        }
        let host = match url.host() {
            Some(url::Host::Domain(host)) => host.to_ascii_lowercase(),
            _ => return Err(UrlError::Invalid),
        };
        if !host.contains('.') || host.ends_with('.') {
            return Err(UrlError::Invalid);
        }
        if !allowed_hosts.is_empty() && !host_allowed(&host, allowed_hosts) {
            return Err(UrlError::HostNotAllowed { host });
        }
        Ok(Self(url.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

fn host_allowed<S>(host: &str, allowed: &[S]) -> bool
where
    S: AsRef<str>,
{
    allowed.iter().any(|suffix| {
        let suffix = suffix
            .as_ref()
            .trim()
            .trim_start_matches('.')
            .to_ascii_lowercase();
        host == suffix || host.ends_with(&format!(".{suffix}"))
    })
}

// ---------------------------------------------------------------------------------------------
// Numbers
// ---------------------------------------------------------------------------------------------

/// A number typed in Indonesian or English notation, with an optional unit after it.
///
/// Accepted: `45`, `-3`, `45,5`, `12.5`, `1.234`, `1.234,5`, `1,234.5`, `1.234.567`,
/// `45 menit`, `87,5%`, `Rp 1.500.000`, `Rp 1.500.000,-`.
///
/// **How `.` and `,` are read** (the same rule for both languages):
/// 1. Both `.` and `,` appear: the one that appears last is the decimal mark and may appear only
///    once; the other one groups thousands (`1.234,5` = `1,234.5` = 1234.5).
/// 2. Only one of them appears, more than once: it groups thousands (`1.234.567` = 1234567).
/// 3. Only one of them appears, once:
///    - followed by exactly three digits, with one to three digits before it that are not just
///      `0`: it groups thousands (`1.234` = `1,234` = 1234, the common reading of both
///      notations for counts of people, rupiah and the like), and [`Number::read_as_thousands`]
///      is true so the bot can say how it read the number;
///    - otherwise it is the decimal mark (`45,5`, `12.5`, `0,125`, `1234.5`, `1,2345`).
/// 4. Thousands groups must be well formed: one to three digits, then groups of exactly three.
///
/// At most 15 significant digits are accepted (f64 holds them exactly). The unit is the text
/// after the number (at most 30 characters, none of its words starting with a digit); `Rp` or
/// `IDR` before the number is taken as the unit `Rp`.
#[derive(Debug, Clone, PartialEq)]
pub struct Number {
    value: f64,
    unit: Option<String>,
    read_as_thousands: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NumberError {
    #[error("number is empty")]
    Empty,
    #[error("not a number")]
    NotANumber,
    #[error("thousands separators are misplaced")]
    BadGrouping,
    #[error("number has too many digits")]
    TooManyDigits,
    #[error("number is not a whole number")]
    NotWhole,
}

const NUMBER_MAX_DIGITS: usize = 15;
const UNIT_MAX_CHARS: usize = 30;

impl Number {
    pub fn parse(s: &str) -> Result<Self, NumberError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(NumberError::Empty);
        }
        let (s, prefix_unit) = strip_currency_prefix(s);
        let (negative, s) = if let Some(rest) = s.strip_prefix(['-', '\u{2212}']) {
            (true, rest)
        } else if let Some(rest) = s.strip_prefix('+') {
            (false, rest)
        } else {
            (false, s)
        };
        let numeric_len = s
            .char_indices()
            .find(|(_, c)| !(c.is_ascii_digit() || *c == '.' || *c == ','))
            .map_or(s.len(), |(i, _)| i);
        let (mut numeric, mut rest) = s.split_at(numeric_len);
        // "Rp 1.500.000,-": the ",-" means "no cents".
        if let Some(r) = rest.strip_prefix('-')
            && let Some(n) = numeric.strip_suffix([',', '.'])
        {
            numeric = n;
            rest = r;
        }
        if !numeric.chars().any(|c| c.is_ascii_digit()) {
            return Err(NumberError::NotANumber);
        }
        let (int_part, frac_part, read_as_thousands) = split_number(numeric)?;
        let significant = int_part
            .trim_start_matches('0')
            .len()
            .saturating_add(frac_part.len());
        if significant > NUMBER_MAX_DIGITS {
            return Err(NumberError::TooManyDigits);
        }
        let unit = parse_unit(rest)?.or(prefix_unit);
        let int_part = if int_part.is_empty() { "0" } else { &int_part };
        let text = if frac_part.is_empty() {
            int_part.to_owned()
        } else {
            format!("{int_part}.{frac_part}")
        };
        let magnitude: f64 = text.parse().map_err(|_| NumberError::NotANumber)?;
        let value = if negative { -magnitude } else { magnitude };
        Ok(Self {
            value,
            unit,
            read_as_thousands,
        })
    }

    pub fn value(&self) -> f64 {
        self.value
    }

    pub fn unit(&self) -> Option<&str> {
        self.unit.as_deref()
    }

    /// True when a single `.` or `,` followed by three digits was read as a thousands separator
    /// (rule 3 above): the bot may echo the value so the person can correct it.
    pub fn read_as_thousands(&self) -> bool {
        self.read_as_thousands
    }

    /// The value as an `i64` when it is a whole number within ±2^53.
    pub fn as_integer(&self) -> Option<i64> {
        const LIMIT: f64 = 9_007_199_254_740_992.0;
        (self.value.fract() == 0.0 && self.value.abs() <= LIMIT).then_some(self.value as i64)
    }

    /// An unambiguous text that parses back to the same value and unit.
    pub fn canonical(&self) -> String {
        let mut text = canonical_number(self.value);
        if let Some(unit) = &self.unit {
            text.push(' ');
            text.push_str(unit);
        }
        text
    }
}

/// Rust's shortest round-trip form, with a trailing 0 added where rule 3 would otherwise read
/// `123.456` as thousands.
fn canonical_number(value: f64) -> String {
    let mut text = value.to_string();
    if let Some((int, frac)) = text.split_once('.') {
        let int_digits = int.trim_start_matches('-');
        if frac.len() == 3 && (1..=3).contains(&int_digits.len()) && int_digits != "0" {
            text.push('0');
        }
    }
    text
}

fn strip_currency_prefix(s: &str) -> (&str, Option<String>) {
    for prefix in ["rp.", "rp", "idr"] {
        if let Some((head, rest)) = s.split_at_checked(prefix.len())
            && head.eq_ignore_ascii_case(prefix)
        {
            let rest = rest.trim_start();
            if rest.starts_with(|c: char| c.is_ascii_digit()) {
                return (rest, Some("Rp".to_owned()));
            }
        }
    }
    (s, None)
}

fn parse_unit(rest: &str) -> Result<Option<String>, NumberError> {
    let unit = rest.trim();
    if unit.is_empty() {
        return Ok(None);
    }
    let word_starts_with_digit = unit
        .split_whitespace()
        .any(|w| w.starts_with(|c: char| c.is_ascii_digit() || c == '.' || c == ','));
    if word_starts_with_digit || unit.chars().count() > UNIT_MAX_CHARS {
        return Err(NumberError::NotANumber);
    }
    Ok(Some(unit.split_whitespace().collect::<Vec<_>>().join(" ")))
}

/// Splits the digits-and-separators part into (integer digits, fraction digits, read-as-thousands).
fn split_number(numeric: &str) -> Result<(String, String, bool), NumberError> {
    let dots = numeric.matches('.').count();
    let commas = numeric.matches(',').count();
    match (dots, commas) {
        (0, 0) => Ok((numeric.to_owned(), String::new(), false)),
        (d, c) if d > 0 && c > 0 => {
            // The last mark is the decimal one, and it may appear only once.
            let (decimal, group) = if numeric.rfind('.') > numeric.rfind(',') {
                ('.', ',')
            } else {
                (',', '.')
            };
            let (int, frac) = numeric.split_once(decimal).ok_or(NumberError::NotANumber)?;
            if frac.contains(decimal) {
                return Err(NumberError::BadGrouping);
            }
            if frac.is_empty() {
                return Err(NumberError::NotANumber);
            }
            Ok((ungroup(int, group)?, frac.to_owned(), false))
        }
        (d, c) if d.saturating_add(c) > 1 => {
            let group = if d > 0 { '.' } else { ',' };
            Ok((ungroup(numeric, group)?, String::new(), false))
        }
        _ => {
            let (int, frac) = numeric
                .split_once(['.', ','])
                .ok_or(NumberError::NotANumber)?;
            if frac.is_empty() {
                return Err(NumberError::NotANumber);
            }
            if frac.len() == 3 && (1..=3).contains(&int.len()) && int != "0" {
                return Ok((format!("{int}{frac}"), String::new(), true));
            }
            Ok((int.to_owned(), frac.to_owned(), false))
        }
    }
}

fn ungroup(int: &str, separator: char) -> Result<String, NumberError> {
    let mut groups = int.split(separator);
    let first_ok = groups.next().is_some_and(|g| (1..=3).contains(&g.len()));
    if !first_ok || groups.any(|g| g.len() != 3) {
        return Err(NumberError::BadGrouping);
    }
    Ok(int.replace(separator, ""))
}

/// A whole number (`120`, `1.234`, `1,234`, `120 orang`); `45,5` is rejected as `NotWhole`.
pub fn parse_integer(s: &str) -> Result<i64, NumberError> {
    Number::parse(s)?.as_integer().ok_or(NumberError::NotWhole)
}

/// Formats a number for a person: `1.234,5` in Indonesian, `1,234.5` in English.
pub fn format_number(value: f64, lang: Lang) -> String {
    let plain = value.abs().to_string();
    let (int, frac) = plain.split_once('.').unwrap_or((&plain, ""));
    let (group, decimal) = match lang {
        Lang::Id => ('.', ','),
        Lang::En => (',', '.'),
    };
    let mut out = String::new();
    if value.is_sign_negative() && value != 0.0 {
        out.push('-');
    }
    for (i, c) in int.char_indices() {
        if i > 0 && int.len().saturating_sub(i) % 3 == 0 {
            out.push(group);
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push(decimal);
        out.push_str(frac);
        // `1,001` would read back as one thousand and one (a lone mark before three digits
        // groups thousands): `1,0010` reads back as itself.
        if frac.len() == 3 && (1..=3).contains(&int.len()) && int != "0" {
            out.push('0');
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("date is empty")]
    Empty,
    #[error("date format not recognised")]
    Unrecognised,
    #[error("year must have four digits")]
    TwoDigitYear,
    #[error("year out of range 1900-2100")]
    YearOutOfRange,
    #[error("no such day in the calendar")]
    InvalidDate,
}

const MONTHS: [(&str, u32); 40] = [
    ("januari", 1),
    ("january", 1),
    ("jan", 1),
    ("februari", 2),
    ("february", 2),
    ("pebruari", 2),
    ("feb", 2),
    ("maret", 3),
    ("march", 3),
    ("mar", 3),
    ("april", 4),
    ("apr", 4),
    ("mei", 5),
    ("may", 5),
    ("juni", 6),
    ("june", 6),
    ("jun", 6),
    ("juli", 7),
    ("july", 7),
    ("jul", 7),
    ("agustus", 8),
    ("august", 8),
    ("agu", 8),
    ("agt", 8),
    ("agus", 8),
    ("aug", 8),
    ("september", 9),
    ("sept", 9),
    ("sep", 9),
    ("oktober", 10),
    ("october", 10),
    ("okt", 10),
    ("oct", 10),
    ("november", 11),
    ("nopember", 11),
    ("nov", 11),
    ("desember", 12),
    ("december", 12),
    ("des", 12),
    ("dec", 12),
];

const MONTH_NAMES_ID: [&str; 12] = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
];
const MONTH_NAMES_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn month_from_name(word: &str) -> Option<u32> {
    let word = word.trim_end_matches('.');
    MONTHS
        .iter()
        .find(|(name, _)| *name == word)
        .map(|(_, m)| *m)
}

/// Parses a calendar date.
///
/// Accepted: `2024-03-01`, `2024/03/01`, `01/03/2024`, `1-3-2024`, `1.3.2024` (numeric dates
/// are day first, as in Indonesia, unless they start with the four-digit year), `1 Maret 2024`,
/// `1 Mar 2024`, `1 March 2024`, `March 1, 2024`, and a month with a year (`Maret 2024`, read
/// as the first of the month). Month names and abbreviations in Indonesian and English, any case.
/// Years must have four digits, between 1900 and 2100.
pub fn parse_date(s: &str) -> Result<NaiveDate, DateError> {
    let text = s.trim().to_lowercase();
    if text.is_empty() {
        return Err(DateError::Empty);
    }
    if let Some(parts) = numeric_date_parts(&text) {
        let [a, b, c] = parts;
        let (y, m, d) = if a.len() == 4 {
            (a, b, c)
        } else if c.len() == 4 {
            (c, b, a)
        } else if c.len() <= 2 {
            return Err(DateError::TwoDigitYear);
        } else {
            return Err(DateError::Unrecognised);
        };
        return build_date(y, month_number(m)?, d);
    }
    let cleaned = text.replace(',', " ");
    let words: Vec<&str> = cleaned.split_whitespace().collect();
    match words.as_slice() {
        [d, m, y] if is_digits(d) => {
            build_date(y, month_from_name(m).ok_or(DateError::Unrecognised)?, d)
        }
        [m, d, y] if is_digits(d) => {
            build_date(y, month_from_name(m).ok_or(DateError::Unrecognised)?, d)
        }
        [m, y] if is_digits(y) => {
            build_date(y, month_from_name(m).ok_or(DateError::Unrecognised)?, "1")
        }
        _ => Err(DateError::Unrecognised),
    }
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.len() <= 4 && s.chars().all(|c| c.is_ascii_digit())
}

fn numeric_date_parts(text: &str) -> Option<[&str; 3]> {
    let separator = ['-', '/', '.'].into_iter().find(|c| text.contains(*c))?;
    let parts: Vec<&str> = text.split(separator).collect();
    match parts.as_slice() {
        [a, b, c] if [a, b, c].iter().all(|p| is_digits(p)) => Some([a, b, c]),
        _ => None,
    }
}

fn month_number(m: &str) -> Result<u32, DateError> {
    if m.len() > 2 {
        return Err(DateError::Unrecognised);
    }
    m.parse().map_err(|_| DateError::Unrecognised)
}

fn build_date(year: &str, month: u32, day: &str) -> Result<NaiveDate, DateError> {
    if !is_digits(year) || !is_digits(day) || day.len() > 2 {
        return Err(DateError::Unrecognised);
    }
    if year.len() != 4 {
        return Err(DateError::TwoDigitYear);
    }
    let year: i32 = year.parse().map_err(|_| DateError::Unrecognised)?;
    if !(1900..=2100).contains(&year) {
        return Err(DateError::YearOutOfRange);
    }
    let day: u32 = day.parse().map_err(|_| DateError::Unrecognised)?;
    NaiveDate::from_ymd_opt(year, month, day).ok_or(DateError::InvalidDate)
}

/// `1 Maret 2024` / `1 March 2024`.
pub fn format_date(date: NaiveDate, lang: Lang) -> String {
    let names = match lang {
        Lang::Id => &MONTH_NAMES_ID,
        Lang::En => &MONTH_NAMES_EN,
    };
    // `month0` is always below 12; the number is only a fallback the type system asks for.
    let month = names
        .get(date.month0() as usize)
        .map_or_else(|| date.month().to_string(), |name| (*name).to_owned());
    format!("{} {month} {}", date.day(), date.year())
}

// ---------------------------------------------------------------------------------------------
// The stored answer
// ---------------------------------------------------------------------------------------------

/// One stored answer, as JSON in the database. The shape is stable: `{"type": "...", ...}`.
/// Files are not answers: the caller stores them and counts them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AnswerValue {
    Text { text: String },
    Number { value: f64 },
    Integer { value: i64 },
    Choice { option: String },
    Choices { options: Vec<String> },
    YesNo { value: bool },
    Date { date: NaiveDate },
    Email { email: String },
    Phone { phone: String },
    Url { url: String },
    Contact { name: String, phone: Option<String> },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_formats_normalise_to_plus_62() {
        for (input, expected) in [
            ("0812-3456-7890", "+6281234567890"),
            ("+62 812 3456 7890", "+6281234567890"),
            ("6281234567890", "+6281234567890"),
            ("0062 812 3456 7890", "+6281234567890"),
            ("(021) 1234567", "+62211234567"),
            ("+62 (0)21 1234567", "+62211234567"),
            ("0812.3456.789", "+628123456789"),
            ("0361 123456", "+62361123456"),
            (" +6281234567890 ", "+6281234567890"),
        ] {
            assert_eq!(
                PhoneNumber::parse(input).unwrap().as_str(),
                expected,
                "{input}"
            );
        }
    }

    #[test]
    fn phone_rejections() {
        assert_eq!(PhoneNumber::parse(""), Err(PhoneError::Empty));
        assert_eq!(
            PhoneNumber::parse("0812 abc"),
            Err(PhoneError::InvalidCharacters)
        );
        assert_eq!(
            PhoneNumber::parse("+1 415 555 0100"),
            Err(PhoneError::NotIndonesian)
        );
        assert_eq!(
            PhoneNumber::parse("812345678"),
            Err(PhoneError::MissingPrefix)
        );
        assert_eq!(PhoneNumber::parse("0812345"), Err(PhoneError::TooShort));
        assert_eq!(PhoneNumber::parse("08123456"), Err(PhoneError::TooShort));
        assert_eq!(
            PhoneNumber::parse("0812345678901234"),
            Err(PhoneError::TooLong)
        );
        assert_eq!(
            PhoneNumber::parse("0812+3456789"),
            Err(PhoneError::InvalidCharacters)
        );
        assert_eq!(
            PhoneNumber::parse("---"),
            Err(PhoneError::InvalidCharacters)
        );
    }

    #[test]
    fn email_parsing() {
        assert_eq!(
            Email::parse(" Budi.S@Perpusnas.GO.ID ").unwrap().as_str(),
            "Budi.S@perpusnas.go.id"
        );
        assert!(Email::parse("mailto:a+b@x.co").is_ok());
        assert_eq!(Email::parse(""), Err(EmailError::Empty));
        assert_eq!(
            Email::parse("budi.perpusnas.go.id"),
            Err(EmailError::MissingAt)
        );
        for bad in [
            "a@b",
            "a@@b.com",
            ".a@b.com",
            "a..b@c.com",
            "a b@c.com",
            "a@-b.com",
            "a@b.c1",
            "@b.com",
        ] {
            assert_eq!(Email::parse(bad), Err(EmailError::Invalid), "{bad}");
        }
    }

    #[test]
    fn url_allow_list() {
        let hosts = ["youtube.com", "youtu.be", "drive.google.com"];
        assert!(HttpUrl::parse("https://www.youtube.com/watch?v=abc", &hosts).is_ok());
        assert!(HttpUrl::parse("https://m.youtube.com/watch?v=abc", &hosts).is_ok());
        assert_eq!(
            HttpUrl::parse("youtu.be/abc", &hosts).unwrap().as_str(),
            "https://youtu.be/abc"
        );
        assert!(HttpUrl::parse("https://drive.google.com/file/d/x", &hosts).is_ok());
        assert_eq!(
            HttpUrl::parse("https://evilyoutube.com/x", &hosts),
            Err(UrlError::HostNotAllowed {
                host: "evilyoutube.com".into()
            })
        );
        assert_eq!(
            HttpUrl::parse("https://docs.google.com/x", &hosts),
            Err(UrlError::HostNotAllowed {
                host: "docs.google.com".into()
            })
        );
        assert_eq!(
            HttpUrl::parse("ftp://youtube.com/x", &hosts),
            Err(UrlError::NotHttp)
        );
        assert_eq!(
            HttpUrl::parse("javascript:alert(1)", &hosts),
            Err(UrlError::NotHttp)
        );
        assert_eq!(
            HttpUrl::parse("https://1.2.3.4/x", &hosts),
            Err(UrlError::Invalid)
        );
        assert_eq!(
            HttpUrl::parse("https://u:p@youtube.com/", &hosts),
            Err(UrlError::Invalid)
        );
        assert_eq!(HttpUrl::parse("", &hosts), Err(UrlError::Empty));
        let none: [&str; 0] = [];
        assert!(HttpUrl::parse("http://example.org", &none).is_ok());
        assert_eq!(
            HttpUrl::parse("https://localhost/", &none),
            Err(UrlError::Invalid)
        );
    }

    fn num(s: &str) -> f64 {
        Number::parse(s).unwrap().value()
    }

    #[test]
    fn number_notations() {
        assert_eq!(num("45"), 45.0);
        assert_eq!(num("45,5"), 45.5);
        assert_eq!(num("12.5"), 12.5);
        assert_eq!(num("1.234"), 1234.0);
        assert_eq!(num("1,234"), 1234.0);
        assert_eq!(num("1.234,5"), 1234.5);
        assert_eq!(num("1,234.5"), 1234.5);
        assert_eq!(num("1.234.567"), 1_234_567.0);
        assert_eq!(num("1,234,567.25"), 1_234_567.25);
        assert_eq!(num("0,125"), 0.125);
        assert_eq!(num("1234.567"), 1234.567);
        assert_eq!(num("1,2345"), 1.2345);
        assert_eq!(num(",5"), 0.5);
        assert_eq!(num("-3"), -3.0);
        assert_eq!(num("−3,5"), -3.5);
    }

    #[test]
    fn number_ambiguity_rule_is_flagged() {
        assert!(Number::parse("1.234").unwrap().read_as_thousands());
        assert!(!Number::parse("1.23").unwrap().read_as_thousands());
        assert!(!Number::parse("0.123").unwrap().read_as_thousands());
        assert!(!Number::parse("1.234.567").unwrap().read_as_thousands());
    }

    #[test]
    fn number_units() {
        let n = Number::parse("45 menit").unwrap();
        assert_eq!((n.value(), n.unit()), (45.0, Some("menit")));
        let n = Number::parse("87,5%").unwrap();
        assert_eq!((n.value(), n.unit()), (87.5, Some("%")));
        let n = Number::parse("Rp 1.500.000,-").unwrap();
        assert_eq!((n.value(), n.unit()), (1_500_000.0, Some("Rp")));
        let n = Number::parse("rp1.500.000").unwrap();
        assert_eq!((n.value(), n.unit()), (1_500_000.0, Some("Rp")));
    }

    #[test]
    fn number_rejections() {
        assert_eq!(Number::parse(""), Err(NumberError::Empty));
        assert_eq!(Number::parse("empat lima"), Err(NumberError::NotANumber));
        assert_eq!(Number::parse("45 atau 50"), Err(NumberError::NotANumber));
        assert_eq!(Number::parse("1.2.3"), Err(NumberError::BadGrouping));
        assert_eq!(Number::parse("1.234.5"), Err(NumberError::BadGrouping));
        assert_eq!(Number::parse("1.234,5,6"), Err(NumberError::BadGrouping));
        assert_eq!(Number::parse("12,34.5"), Err(NumberError::BadGrouping));
        assert_eq!(Number::parse("45."), Err(NumberError::NotANumber));
        assert_eq!(
            Number::parse("1234567890123456"),
            Err(NumberError::TooManyDigits)
        );
        assert_eq!(Number::parse("."), Err(NumberError::NotANumber));
    }

    #[test]
    fn number_canonical_is_unambiguous() {
        for s in ["123,456", "1,5", "123.4560", "0,001", "-12.345,678 kg"] {
            let n = Number::parse(s).unwrap();
            let again = Number::parse(&n.canonical()).unwrap();
            assert_eq!(again.value(), n.value(), "{s} -> {}", n.canonical());
            assert_eq!(again.unit(), n.unit());
        }
    }

    #[test]
    fn integers() {
        assert_eq!(parse_integer("120"), Ok(120));
        assert_eq!(parse_integer("1.234 orang"), Ok(1234));
        assert_eq!(parse_integer("45,5"), Err(NumberError::NotWhole));
        assert_eq!(parse_integer("x"), Err(NumberError::NotANumber));
    }

    #[test]
    fn number_formatting() {
        assert_eq!(format_number(1234.5, Lang::Id), "1.234,5");
        // Shown numbers read back as themselves (once `1,0010` was shown as `1,001` = 1001).
        for (value, id, en) in [
            (1.001, "1,0010", "1.0010"),
            (-12.345, "-12,3450", "-12.3450"),
            (0.125, "0,125", "0.125"),
            (1234.567, "1.234,567", "1,234.567"),
        ] {
            assert_eq!(format_number(value, Lang::Id), id);
            assert_eq!(format_number(value, Lang::En), en);
            assert_eq!(Number::parse(id).unwrap().value(), value);
            assert_eq!(Number::parse(en).unwrap().value(), value);
        }
        assert_eq!(Number::parse("1,0010").unwrap().value(), 1.001);
        assert_eq!(format_number(1234.5, Lang::En), "1,234.5");
        assert_eq!(format_number(-1_234_567.0, Lang::Id), "-1.234.567");
        assert_eq!(format_number(12.0, Lang::En), "12");
        assert_eq!(format_number(0.0, Lang::Id), "0");
    }

    #[test]
    fn dates() {
        let d = NaiveDate::from_ymd_opt(2024, 3, 1).unwrap();
        for s in [
            "2024-03-01",
            "2024/3/1",
            "01/03/2024",
            "1-3-2024",
            "1.3.2024",
            "1 Maret 2024",
            "1 MARET 2024",
            "1 Mar 2024",
            "1 Mar. 2024",
            "1 March 2024",
            "March 1, 2024",
            "Maret 2024",
            "01 maret 2024",
        ] {
            assert_eq!(parse_date(s), Ok(d), "{s}");
        }
        assert_eq!(parse_date("17 Agustus 2023").unwrap().month(), 8);
        assert_eq!(parse_date("5 Okt 2022").unwrap().month(), 10);
        assert_eq!(parse_date("5 Des 2022").unwrap().month(), 12);
        assert_eq!(parse_date("5 Mei 2022").unwrap().month(), 5);
    }

    #[test]
    fn date_rejections() {
        assert_eq!(parse_date(""), Err(DateError::Empty));
        assert_eq!(parse_date("kemarin"), Err(DateError::Unrecognised));
        assert_eq!(parse_date("1/3/24"), Err(DateError::TwoDigitYear));
        assert_eq!(parse_date("31 Februari 2024"), Err(DateError::InvalidDate));
        assert_eq!(parse_date("2024-13-01"), Err(DateError::InvalidDate));
        assert_eq!(parse_date("1 Maret 1800"), Err(DateError::YearOutOfRange));
        assert_eq!(parse_date("1 Foo 2024"), Err(DateError::Unrecognised));
        assert_eq!(parse_date("2024"), Err(DateError::Unrecognised));
    }

    #[test]
    fn date_formatting() {
        let d = NaiveDate::from_ymd_opt(2024, 3, 1).unwrap();
        assert_eq!(format_date(d, Lang::Id), "1 Maret 2024");
        assert_eq!(format_date(d, Lang::En), "1 March 2024");
    }

    #[test]
    fn answer_value_json_shape_is_stable() {
        let cases = [
            (
                AnswerValue::Text { text: "a".into() },
                r#"{"type":"text","text":"a"}"#,
            ),
            (
                AnswerValue::Number { value: 4.5 },
                r#"{"type":"number","value":4.5}"#,
            ),
            (
                AnswerValue::Integer { value: 3 },
                r#"{"type":"integer","value":3}"#,
            ),
            (
                AnswerValue::Choice {
                    option: "umum".into(),
                },
                r#"{"type":"choice","option":"umum"}"#,
            ),
            (
                AnswerValue::Choices {
                    options: vec!["a".into(), "b".into()],
                },
                r#"{"type":"choices","options":["a","b"]}"#,
            ),
            (
                AnswerValue::YesNo { value: true },
                r#"{"type":"yes_no","value":true}"#,
            ),
            (
                AnswerValue::Date {
                    date: NaiveDate::from_ymd_opt(2024, 3, 1).unwrap(),
                },
                r#"{"type":"date","date":"2024-03-01"}"#,
            ),
            (
                AnswerValue::Email {
                    email: "a@b.id".into(),
                },
                r#"{"type":"email","email":"a@b.id"}"#,
            ),
            (
                AnswerValue::Phone {
                    phone: "+6281".into(),
                },
                r#"{"type":"phone","phone":"+6281"}"#,
            ),
            (
                AnswerValue::Url {
                    url: "https://x.id/".into(),
                },
                r#"{"type":"url","url":"https://x.id/"}"#,
            ),
            (
                AnswerValue::Contact {
                    name: "Budi".into(),
                    phone: None,
                },
                r#"{"type":"contact","name":"Budi","phone":null}"#,
            ),
        ];
        for (value, json) in cases {
            assert_eq!(serde_json::to_string(&value).unwrap(), json);
            assert_eq!(serde_json::from_str::<AnswerValue>(json).unwrap(), value);
        }
    }
}
