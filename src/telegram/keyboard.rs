//! The bot's own inline keyboard: rows of buttons that each send a payload back
//! ([`crate::actions`] encodes it). Nothing outside the chat and transport layers needs
//! teloxide's types to build one (the scheduler queues reminder buttons with it).
//!
//! It serializes to exactly the JSON the Bot API takes as `reply_markup` and the outbox has
//! always stored (`{"inline_keyboard":[[{"text":…,"callback_data":…}]]}`, what teloxide's
//! `InlineKeyboardMarkup` writes), so rows queued by an older version still read. The bot uses
//! only callback buttons; the "share contact" button is a reply keyboard the client builds from
//! [`super::SendOptions::request_contact`].

use serde::{Deserialize, Serialize};

/// An inline keyboard: rows of buttons under a message.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Keyboard {
    #[serde(rename = "inline_keyboard")]
    pub rows: Vec<Vec<Button>>,
}

/// A button that sends `callback_data` (at most 64 bytes) back to the bot when pressed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Button {
    pub text: String,
    pub callback_data: String,
}

impl Keyboard {
    pub fn new<R, B>(rows: R) -> Self
    where
        R: IntoIterator<Item = B>,
        B: IntoIterator<Item = Button>,
    {
        Self {
            rows: rows
                .into_iter()
                .map(|row| row.into_iter().collect())
                .collect(),
        }
    }
}

impl Button {
    pub fn callback(text: impl Into<String>, callback_data: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            callback_data: callback_data.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};
    use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

    use super::*;

    fn ours() -> Keyboard {
        Keyboard::new([
            vec![
                Button::callback("Lanjutkan #5", "r:5"),
                Button::callback("Ya ✓", "y:1"),
            ],
            vec![Button::callback("English", "lang:en")],
        ])
    }

    fn teloxides() -> InlineKeyboardMarkup {
        InlineKeyboardMarkup::new([
            vec![
                InlineKeyboardButton::callback("Lanjutkan #5", "r:5"),
                InlineKeyboardButton::callback("Ya ✓", "y:1"),
            ],
            vec![InlineKeyboardButton::callback("English", "lang:en")],
        ])
    }

    #[test]
    fn a_stored_teloxide_markup_round_trips() {
        // What an outbox row written before this type holds.
        let stored = serde_json::to_string(&teloxides()).unwrap();
        let read: Keyboard = serde_json::from_str(&stored).unwrap();
        assert_eq!(read, ours());
        let written = serde_json::to_string(&read).unwrap();
        assert_eq!(written, stored);
        let back: InlineKeyboardMarkup = serde_json::from_str(&written).unwrap();
        assert_eq!(back, teloxides());
    }

    #[test]
    fn the_json_is_the_bot_api_shape() {
        let value: Value = serde_json::to_value(ours()).unwrap();
        assert_eq!(
            value,
            json!({ "inline_keyboard": [
                [
                    { "text": "Lanjutkan #5", "callback_data": "r:5" },
                    { "text": "Ya ✓", "callback_data": "y:1" },
                ],
                [{ "text": "English", "callback_data": "lang:en" }],
            ]})
        );
        let stored = r#"{"inline_keyboard":[[{"text":"Lanjutkan #7","callback_data":"r:7"}]]}"#;
        let read: Keyboard = serde_json::from_str(stored).unwrap();
        assert_eq!(
            read,
            Keyboard::new([[Button::callback("Lanjutkan #7", "r:7")]])
        );
    }

    #[test]
    fn an_empty_keyboard() {
        let empty = Keyboard::new(Vec::<Vec<Button>>::new());
        assert_eq!(empty, Keyboard::default());
        assert_eq!(
            serde_json::to_value(&empty).unwrap(),
            serde_json::to_value(InlineKeyboardMarkup::default()).unwrap()
        );
    }
}
