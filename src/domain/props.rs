//! Properties of the validators: they never panic, what they accept validates again to the same
//! value, and normalisation is idempotent.

use chrono::{Datelike, NaiveDate};
use proptest::prelude::*;

use crate::domain::answer::{format_date, format_number};
use crate::domain::{Email, HttpUrl, Lang, Number, PhoneNumber, parse_date, parse_integer};

const HOSTS: [&str; 3] = ["youtube.com", "youtu.be", "drive.google.com"];

fn separator() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["", " ", "-", ".", "  "])
}

proptest! {
    #![proptest_config(crate::test_support::proptest_config(512))]

    #[test]
    fn phone_never_panics_and_is_idempotent(s in "\\PC{0,30}") {
        if let Ok(phone) = PhoneNumber::parse(&s) {
            let again = PhoneNumber::parse(phone.as_str()).unwrap();
            prop_assert_eq!(&again, &phone);
            let digits = &phone.as_str()[3..];
            prop_assert!(phone.as_str().starts_with("+62"));
            prop_assert!(digits.chars().all(|c| c.is_ascii_digit()) && (8..=12).contains(&digits.len()));
            prop_assert!(!digits.starts_with('0'));
        }
    }

    #[test]
    fn phone_like_strings_never_panic(s in "[0-9+() .-]{0,25}") {
        if let Ok(phone) = PhoneNumber::parse(&s) {
            prop_assert_eq!(PhoneNumber::parse(phone.as_str()).unwrap(), phone);
        }
    }

    #[test]
    fn mobile_numbers_in_any_notation_are_accepted(
        rest in "[0-9]{8,10}",
        prefix in prop::sample::select(vec!["08", "+62 8", "628", "+62-8", "0062 8"]),
        sep in separator(),
    ) {
        let typed = format!("{prefix}1{sep}{}{sep}{}", &rest[..4], &rest[4..]);
        let phone = PhoneNumber::parse(&typed).unwrap();
        prop_assert_eq!(phone.as_str(), format!("+6281{rest}"));
    }

    #[test]
    fn email_never_panics_and_revalidates(s in "\\PC{0,40}") {
        if let Ok(email) = Email::parse(&s) {
            prop_assert_eq!(Email::parse(email.as_str()).unwrap(), email);
        }
    }

    #[test]
    fn plausible_emails_revalidate(local in "[a-zA-Z0-9._+-]{1,20}", domain in "[a-zA-Z0-9-]{1,10}\\.(go\\.id|com|ID)") {
        let typed = format!("{local}@{domain}");
        if let Ok(email) = Email::parse(&typed) {
            prop_assert_eq!(Email::parse(email.as_str()).unwrap(), email);
        }
    }

    #[test]
    fn url_never_panics_and_revalidates(s in "\\PC{0,60}") {
        if let Ok(url) = HttpUrl::parse(&s, &HOSTS) {
            prop_assert_eq!(HttpUrl::parse(url.as_str(), &HOSTS).unwrap(), url);
        }
        let any: [&str; 0] = [];
        if let Ok(url) = HttpUrl::parse(&s, &any) {
            prop_assert_eq!(HttpUrl::parse(url.as_str(), &any).unwrap(), url);
        }
    }

    #[test]
    fn allowed_links_are_accepted(
        sub in prop::sample::select(vec!["", "www.", "m."]),
        host in prop::sample::select(HOSTS.to_vec()),
        path in "[a-zA-Z0-9_/?=&-]{0,20}",
    ) {
        let typed = format!("https://{sub}{host}/{path}");
        let url = HttpUrl::parse(&typed, &HOSTS).unwrap();
        prop_assert_eq!(HttpUrl::parse(url.as_str(), &HOSTS).unwrap(), url);
    }

    #[test]
    fn number_never_panics_and_canonical_revalidates(s in "\\PC{0,30}") {
        if let Ok(number) = Number::parse(&s) {
            let again = Number::parse(&number.canonical()).unwrap();
            prop_assert_eq!(again.value(), number.value());
            prop_assert_eq!(again.unit(), number.unit());
        }
        let _ = parse_integer(&s);
    }

    #[test]
    fn number_like_strings_revalidate(s in "-?[0-9.,]{1,20}( ?[a-z%]{1,6})?") {
        if let Ok(number) = Number::parse(&s) {
            let again = Number::parse(&number.canonical()).unwrap();
            prop_assert_eq!(again.value(), number.value());
            prop_assert_eq!(again.unit(), number.unit());
        }
    }

    #[test]
    fn integers_in_both_notations_read_back(n in -999_999_999_999_999i64..=999_999_999_999_999) {
        for lang in [Lang::Id, Lang::En] {
            let typed = format_number(n as f64, lang);
            prop_assert_eq!(parse_integer(&typed), Ok(n), "{}", typed);
        }
    }

    #[test]
    fn two_decimals_in_both_notations_read_back(cents in -99_999_999_999i64..=99_999_999_999) {
        let value = cents as f64 / 100.0;
        for lang in [Lang::Id, Lang::En] {
            let typed = format_number(value, lang);
            prop_assert_eq!(Number::parse(&typed).unwrap().value(), value, "{}", typed);
        }
    }

    #[test]
    fn date_never_panics_and_iso_revalidates(s in "\\PC{0,30}") {
        if let Ok(date) = parse_date(&s) {
            prop_assert_eq!(parse_date(&date.format("%Y-%m-%d").to_string()), Ok(date));
        }
    }

    #[test]
    fn dates_in_every_notation_read_back(days in 0i64..73_000) {
        let date = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap() + chrono::Duration::days(days);
        for typed in [
            date.format("%Y-%m-%d").to_string(),
            date.format("%d/%m/%Y").to_string(),
            format!("{}-{}-{}", date.day(), date.month(), date.year()),
            format_date(date, Lang::Id),
            format_date(date, Lang::En),
            date.format("%d %b %Y").to_string(),
            date.format("%B %-d, %Y").to_string(),
        ] {
            prop_assert_eq!(parse_date(&typed), Ok(date), "{}", typed);
        }
    }
}
