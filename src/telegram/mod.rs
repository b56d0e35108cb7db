//! The Telegram Bot API transport: a small client that owns retries, and nothing else.
//!
//! [`TelegramClient`] is the one client for everything the bot sends; teloxide's `Bot` only
//! drives the dispatcher (why: see the `client` module). Replies never go through teloxide's
//! `Bot`: it sleeps 10 s after any 5xx and does not retry a 429, so a reply (and the keyboard a
//! person needs to go on) could be lost or late. [`TelegramClient`] retries 429s after
//! `retry_after` (or hands them back to the outbox), retries 5xx and network errors with a short
//! backoff, and never puts the token into an error or a log line. It also keeps every call within
//! Telegram's length limits: [`split`] decides how a long text is cut, and the client sends the
//! parts in order (see [`TelegramClient::send_text`]). Every wait before a retry, here and in
//! the outbox, comes from one [`Backoff`].

mod backoff;
mod client;
mod keyboard;
mod listener;
pub mod split;
mod turns;

pub use backoff::Backoff;
pub use client::{RetryPolicy, SendOptions, TelegramClient, TelegramError};
pub use keyboard::{Button, Keyboard};
pub use listener::DurablePolling;
pub use turns::{Turn, Turns};
