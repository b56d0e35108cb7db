//! [`Html`]: markup that is valid Telegram HTML, so that user text is escaped exactly once.
//!
//! Outside this module tree markup can only be made from plain text ([`Html::text`], which
//! escapes) or from other `Html` values ([`Html::push`], [`Html::join`], [`Html::concat`]);
//! literal tags are written only in `src/texts/` ([`Html::markup`] is private to it). The
//! sending side (`BotContext::reply`, the Telegram client) accepts only `Html`.

use std::{borrow::Cow, fmt};

/// Telegram HTML, ready to send. Deliberately no `From<String>`: a string becomes markup only
/// by being escaped, or inside `src/texts/`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Html(Cow<'static, str>);

impl Html {
    /// Plain text (from a person, the dialog file, the database) as markup: `&`, `<` and `>`
    /// are escaped.
    pub fn text(text: &str) -> Html {
        Html(Cow::Owned(super::esc(text)))
    }

    /// Literal markup written in the texts; its plain parts must already be escaped.
    pub(in crate::texts) fn markup(markup: impl Into<Cow<'static, str>>) -> Html {
        Html(markup.into())
    }

    /// Markup read back from the durable outbox, which stored [`Html::as_str`] when the message
    /// was queued (the storage layer keeps it as TEXT), or a part of it cut by
    /// `telegram::split`, which cuts between tags and closes and reopens them. Only the
    /// outbox's sender calls this; anything else builds `Html` through the texts.
    pub fn from_outbox(stored: String) -> Html {
        Html(Cow::Owned(stored))
    }

    /// No text at all.
    pub const fn empty() -> Html {
        Html(Cow::Borrowed(""))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0.into_owned()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Appends markup as it is (never escaped again).
    pub fn push(&mut self, other: &Html) {
        self.0.to_mut().push_str(other.as_str());
    }

    /// Appends plain text, escaped.
    pub fn push_text(&mut self, text: &str) {
        self.0.to_mut().push_str(&super::esc(text));
    }

    /// The parts one after the other, with `separator` (plain text, escaped) between them.
    pub fn join<I>(parts: I, separator: &str) -> Html
    where
        I: IntoIterator,
        I::Item: AsRef<Html>,
    {
        let separator = super::esc(separator);
        let mut joined = String::new();
        for (index, part) in parts.into_iter().enumerate() {
            if index > 0 {
                joined.push_str(&separator);
            }
            joined.push_str(part.as_ref().as_str());
        }
        Html(Cow::Owned(joined))
    }

    /// The parts one after the other.
    pub fn concat<I>(parts: I) -> Html
    where
        I: IntoIterator,
        I::Item: AsRef<Html>,
    {
        Html::join(parts, "")
    }
}

impl AsRef<Html> for Html {
    fn as_ref(&self) -> &Html {
        self
    }
}

// Comparing markup with what went over the wire (tests compare sent texts with the texts).
impl PartialEq<str> for Html {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Html {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Html {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<Html> for String {
    fn eq(&self, other: &Html) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<Html> for &str {
    fn eq(&self, other: &Html) -> bool {
        *self == other.as_str()
    }
}

impl fmt::Display for Html {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_markup_is_not() {
        assert_eq!(Html::text("<b>&").as_str(), "&lt;b&gt;&amp;");
        assert_eq!(Html::markup("<b>x</b>").as_str(), "<b>x</b>");
    }

    #[test]
    fn joining_escapes_only_the_separator() {
        let parts = [Html::markup("<b>a</b>"), Html::text("b&c")];
        assert_eq!(Html::join(&parts, " & ").as_str(), "<b>a</b> &amp; b&amp;c");
        assert_eq!(Html::concat(parts).as_str(), "<b>a</b>b&amp;c");
        let mut html = Html::empty();
        html.push(&Html::markup("<i>x</i>"));
        html.push_text("<");
        assert_eq!(html.to_string(), "<i>x</i>&lt;");
    }
}
