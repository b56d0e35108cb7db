//! Tests of the dialog file checker, the engine and the validation, on the real KIPP 2025 file
//! and on small inline dialogs.

use chrono::NaiveDate;

use super::*;
use crate::domain::{AnswerValue, Lang};

pub(super) const KIPP: &str = include_str!("../../../dialogs/kipp2025.toml");

pub(super) fn kipp() -> Dialog {
    Dialog::from_toml_str(KIPP).unwrap_or_else(|e| panic!("{e}"))
}

pub(super) fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 5, 20).unwrap()
}

pub(super) fn q(id: &str) -> AnswerKey {
    AnswerKey::new(id)
}

pub(super) fn line_of(src: &str, needle: &str) -> usize {
    src.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle}"))
        + 1
}

pub(super) fn errors(src: &str) -> Vec<DialogError> {
    match Dialog::from_toml_str(src) {
        Ok(_) => panic!("expected errors"),
        Err(DialogErrors(errors)) => errors,
    }
}

pub(super) fn has_error(errors: &[DialogError], line: usize, fragment: &str) -> bool {
    errors
        .iter()
        .any(|e| e.line == line && e.message.contains(fragment))
}

mod campaign;
mod checker;
mod engine;
mod file;
mod sinovik;
mod step;
mod validation;

// Helpers of one file used by another.
#[allow(unused_imports)]
use checker::*;
#[allow(unused_imports)]
use engine::*;
