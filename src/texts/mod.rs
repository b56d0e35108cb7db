//! Every reply text, in Indonesian (the default) and English, in one module tree: one file per
//! feature, all re-exported here, so a caller writes `texts::submitted(lang, id)`. Tests assert
//! against these same functions. Texts are HTML: user-supplied parts are escaped through [`esc`]
//! by the function that puts them in.

mod access;
mod everyone;
mod exports;
mod invitations;
mod outreach;
mod people;
mod questionnaire;
mod readiness;
mod registration;
mod review;
mod sinovik;
mod units;

pub use access::*;
pub use everyone::*;
pub use exports::*;
pub use invitations::*;
pub use outreach::*;
pub use people::*;
pub use questionnaire::*;
pub use readiness::*;
pub use registration::*;
pub use review::*;
pub use sinovik::*;
pub use units::*;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::{
    domain::{Lang, Role},
    policy::{Act, Refusal},
};

/// Escapes user-supplied text for Telegram's HTML parse mode (`&`, `<`, `>`).
pub fn esc(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            c => escaped.push(c),
        }
    }
    escaped
}

fn pick(lang: Lang, id: &str, en: &str) -> String {
    match lang {
        Lang::Id => id.to_owned(),
        Lang::En => en.to_owned(),
    }
}

/// The language Telegram reports for someone not registered yet.
pub fn lang_of_stranger(language_code: Option<&str>) -> Lang {
    match language_code {
        Some(code) if code.starts_with("en") => Lang::En,
        _ => Lang::Id,
    }
}

pub fn role_name(lang: Lang, role: Role) -> &'static str {
    match (lang, role) {
        (Lang::Id, Role::Staff) => "Staf unit",
        (Lang::Id, Role::Coordinator) => "Koordinator unit",
        (Lang::Id, Role::Bureau) => "Biro HOKH",
        (Lang::En, Role::Staff) => "Unit staff",
        (Lang::En, Role::Coordinator) => "Unit coordinator",
        (Lang::En, Role::Bureau) => "Bureau (Biro HOKH)",
    }
}

pub fn local_time(at: DateTime<Utc>, tz: Tz) -> String {
    at.with_timezone(&tz)
        .format("%d-%m-%Y %H:%M %Z")
        .to_string()
}

/// Every run of whitespace, line breaks included, as one space.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn pick_static(lang: Lang, id: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Id => id,
        Lang::En => en,
    }
}

/// A reviewer's comment on one line (long listings are split at line ends, never inside a
/// tag) and never longer than a comment may be typed.
fn comment_line(comment: &str) -> String {
    esc(&shorten(&one_line(comment), MAX_COMMENT_CHARS))
}
