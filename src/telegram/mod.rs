//! The Telegram Bot API transport: a small client that owns retries, and nothing else.
//!
//! Handlers never call teloxide's `Bot` for replies: teloxide sleeps 10 s after any 5xx and does
//! not retry a 429, so a reply (and the keyboard a person needs to go on) could be lost or late.
//! [`TelegramClient`] retries 429s after `retry_after`, retries 5xx and network errors with a short
//! backoff, and never puts the token into an error or a log line. It also keeps every call within
//! Telegram's length limits: [`split`] decides how a long text is cut, and the client sends the
//! parts in order (see [`TelegramClient::send_text`]).

mod client;
mod listener;
pub mod split;

pub use client::{RetryPolicy, SendOptions, TelegramClient, TelegramError};
pub use listener::DurablePolling;
