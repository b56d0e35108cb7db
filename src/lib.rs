//! kipp-bot: gathers Perpusnas' KIPP innovation proposals by guided Telegram conversation.
//!
//! Layers: [`config`] (settings) → [`startup`] (wiring) → [`bot`] (thin Telegram handlers) over
//! [`storage`] (all SQL) and [`domain`] (validated types). [`telegram`] is the Bot API transport.

pub mod actions;
pub mod app;
pub mod backup;
pub mod bot;
pub mod campaign;
pub mod clock;
pub mod config;
pub mod dialog;
pub mod digest;
pub mod domain;
pub mod evidence;
pub mod export;
pub mod exporting;
pub mod people;
pub mod policy;
pub mod scheduler;
pub mod startup;
pub mod storage;
pub mod telegram;
pub mod texts;

#[cfg(test)]
mod test_support;
