//! The Telegram Bot API transport: a small client that owns retries, and nothing else.
//!
//! Handlers never call teloxide's `Bot` for replies: teloxide sleeps 10 s after any 5xx and does
//! not retry a 429, so a reply (and the keyboard a person needs to go on) could be lost or late.
//! [`TelegramClient`] retries 429s after `retry_after`, retries 5xx and network errors with a short
//! backoff, and never puts the token into an error or a log line.

mod client;
mod listener;

pub use client::{RetryPolicy, SendOptions, TelegramClient, TelegramError};
pub use listener::DurablePolling;
