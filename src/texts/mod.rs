//! Every reply text, in Indonesian (the default) and English, in one module tree: one file per
//! feature, all re-exported here, so a caller writes `texts::submitted(lang, id)`. Tests assert
//! against these same functions. Texts are [`Html`]: user-supplied parts are taken as `&str` and
//! escaped (through [`esc`]) by the function that puts them in; parts already rendered are taken
//! as `&Html` and never escaped again. Button labels are plain text (Telegram does not parse
//! markup in them) and stay `&str`/`String`.

/// `format!` giving [`Html`]: literal markup with its parts already escaped (only in the texts).
macro_rules! html {
    ($($arg:tt)*) => {
        Html::markup(format!($($arg)*))
    };
}

mod access;
mod everyone;
mod exports;
mod html;
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
pub use html::Html;
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

/// Literal markup in the reader's language.
fn pick(lang: Lang, id: &'static str, en: &'static str) -> Html {
    Html::markup(pick_static(lang, id, en))
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
fn comment_line(comment: &str) -> Html {
    Html::text(&shorten(&one_line(comment), MAX_COMMENT_CHARS))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::InnovationState;

    const HOSTILE: &str = "<b>&";
    const ONCE: &str = "&lt;b&gt;&amp;";

    fn escaped_once(html: &Html) {
        let text = html.as_str();
        assert!(text.contains(ONCE), "{text}");
        assert!(
            !text.contains("&amp;lt;") && !text.contains("&amp;amp;"),
            "{text}"
        );
    }

    #[test]
    fn user_text_is_escaped_exactly_once() {
        for lang in [Lang::Id, Lang::En] {
            escaped_once(&whoami(
                lang,
                HOSTILE,
                1,
                Role::Staff,
                Some((HOSTILE, HOSTILE)),
            ));
            escaped_once(&list_line(
                lang,
                1,
                HOSTILE,
                HOSTILE,
                InnovationState::Draft,
                50,
            ));
            escaped_once(&submitted_notice(lang, 1, HOSTILE, HOSTILE));
            escaped_once(&broadcast_message(lang, HOSTILE));
            escaped_once(&saved_notice(lang, HOSTILE, &[HOSTILE.to_owned()]));
            escaped_once(&reviewer_comment(lang, HOSTILE, HOSTILE));
            escaped_once(&question_prompt(lang, Some((HOSTILE, 2)), HOSTILE, false));
            // Parts already rendered are put in as they are.
            let line = user_line(lang, HOSTILE, 1, Role::Staff, Some(HOSTILE), true);
            escaped_once(&line);
            escaped_once(&users_list(lang, std::slice::from_ref(&line)));
            escaped_once(&problem(&Html::text(HOSTILE)));
            escaped_once(&scoped_deadline(HOSTILE, &deadline_line(lang, None, None)));
        }
    }

    /// A group item's label ("Anggota & mitra 2") is plain text: the texts that show it escape
    /// it once, and a button shows it as it is.
    #[test]
    fn group_item_labels_are_escaped_once() {
        let heading = item_heading("Anggota & <mitra>", 2);
        assert_eq!(heading, "Anggota & <mitra> 2");
        let label = format!("Nama ({heading})");
        let compose = send_back_compose(Lang::Id, 7, &[(label.clone(), "cek".to_owned())]);
        assert!(
            compose
                .as_str()
                .contains("<b>Nama (Anggota &amp; &lt;mitra&gt; 2)</b>: cek"),
            "{compose}"
        );
        assert!(!compose.as_str().contains("&amp;amp;"), "{compose}");
        let entry = review_entry("✅", &label, &review_answer("ya"));
        assert_eq!(entry, "✅ Nama (Anggota &amp; &lt;mitra&gt; 2): ya");
        let prompt = question_prompt(Lang::Id, Some(("Anggota & <mitra>", 2)), "Nama?", true);
        assert_eq!(prompt, "<i>Anggota &amp; &lt;mitra&gt; 2</i>\n<b>Nama?</b>");
        assert_eq!(button_comment(&label), "💬 Nama (Anggota & <mitra> 2)");
    }
}
