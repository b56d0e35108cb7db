//! End-to-end tests: the real dispatcher against a fake Telegram Bot API on 127.0.0.1.

// Tests and benchmarks may panic: a failed expectation is how they report.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::string_slice,
    clippy::arithmetic_side_effects
)]

mod capture;
mod fake_telegram;
mod helpers;

mod access;
mod backup;
mod chaos;
mod cli;
mod command_fuzz;
mod deadlines;
mod hostile;
mod long_messages;
mod panic_guard;
mod questionnaire;
mod questionnaire_update;
mod registration;
mod retention;
mod review_export;
mod schedule;
mod simulation;
