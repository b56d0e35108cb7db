//! End-to-end tests: the real dispatcher against a fake Telegram Bot API on 127.0.0.1.

mod capture;
mod fake_telegram;
mod helpers;

mod access;
mod chaos;
mod cli;
mod command_fuzz;
mod hostile;
mod questionnaire;
mod registration;
mod review_export;
mod schedule;
mod simulation;
