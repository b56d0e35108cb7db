//! Properties of the dialog file checker and of every answer validator, on hostile input: the
//! checker never panics on any text (random, or a damaged copy of the real KIPP 2025 file), and
//! no question of KIPP 2025 panics on any typed text; what a question accepts is accepted again,
//! as the same value, when the person types back what the bot showed them.

use chrono::NaiveDate;
use proptest::prelude::*;

use super::{Dialog, Input, Progress, Question, QuestionKind};
use crate::domain::{AnswerValue, Lang};

const KIPP: &str = include_str!("../../dialogs/kipp2025.toml");

fn kipp() -> Dialog {
    Dialog::from_toml_str(KIPP).unwrap_or_else(|e| panic!("{e}"))
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 5, 20).expect("a date")
}

/// Every question a person can be asked: top-level questions and group members.
fn answerable(dialog: &Dialog) -> Vec<&Question> {
    dialog
        .sections()
        .iter()
        .flat_map(|section| &section.questions)
        .flat_map(|question| std::iter::once(question).chain(question.members().iter()))
        .filter(|question| !question.is_group())
        .collect()
}

/// A dialog that passed the checker must also be usable: walk it a little.
fn exercise(dialog: &Dialog) {
    let progress = Progress::new();
    let cursor = dialog.first_missing(&progress);
    let _ = dialog.position(&cursor, &progress);
    let _ = dialog.next(&cursor, &progress);
    let _ = dialog.previous(&cursor, &progress);
    let _ = dialog.missing(&progress);
    let _ = dialog.completion(&progress);
    let _ = dialog.review(&progress);
    for question in answerable(dialog) {
        for typed in ["", "1", "ya", "1 Januari 2024", "a@b.id", "0812 3456 7890"] {
            if let Err(rejection) =
                dialog.validate(question, &Input::Text(typed), &Progress::new(), today())
            {
                let _ = rejection.message(Lang::Id);
            }
        }
    }
}

#[derive(Debug, Clone)]
enum Mutation {
    DeleteLine(prop::sample::Index),
    DuplicateLine(prop::sample::Index),
    SwapValues(prop::sample::Index, prop::sample::Index),
    ReplaceByte(prop::sample::Index, u8),
    InsertBytes(prop::sample::Index, Vec<u8>),
    Truncate(prop::sample::Index),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => any::<prop::sample::Index>().prop_map(Mutation::DeleteLine),
        1 => any::<prop::sample::Index>().prop_map(Mutation::DuplicateLine),
        3 => (any::<prop::sample::Index>(), any::<prop::sample::Index>())
            .prop_map(|(a, b)| Mutation::SwapValues(a, b)),
        2 => (any::<prop::sample::Index>(), any::<u8>())
            .prop_map(|(at, byte)| Mutation::ReplaceByte(at, byte)),
        2 => (
            any::<prop::sample::Index>(),
            prop::collection::vec(
                prop_oneof![
                    any::<u8>(),
                    prop::sample::select(b"[]{}=\"',.#\n\\0-9".to_vec())
                ],
                1..8
            )
        )
            .prop_map(|(at, bytes)| Mutation::InsertBytes(at, bytes)),
        1 => any::<prop::sample::Index>().prop_map(Mutation::Truncate),
    ]
}

/// Applies the mutations to the bytes of the file; the result is read as (lossy) UTF-8, as a
/// file with a damaged encoding would be by anyone who gets as far as a `&str`.
fn mutate(src: &str, mutations: &[Mutation]) -> String {
    let mut lines: Vec<Vec<u8>> = src.lines().map(|l| l.as_bytes().to_vec()).collect();
    for mutation in mutations {
        if lines.is_empty() {
            break;
        }
        match mutation {
            Mutation::DeleteLine(at) => {
                lines.remove(at.index(lines.len()));
            }
            Mutation::DuplicateLine(at) => {
                let line = lines[at.index(lines.len())].clone();
                lines.insert(at.index(lines.len()), line);
            }
            Mutation::SwapValues(a, b) => {
                let with_values: Vec<usize> = (0..lines.len())
                    .filter(|&i| lines[i].contains(&b'='))
                    .collect();
                if with_values.is_empty() {
                    continue;
                }
                let a = with_values[a.index(with_values.len())];
                let b = with_values[b.index(with_values.len())];
                let split = |line: &[u8]| {
                    let eq = line.iter().position(|&c| c == b'=').unwrap_or(0);
                    (line[..eq].to_vec(), line[eq..].to_vec())
                };
                let (key_a, value_a) = split(&lines[a]);
                let (key_b, value_b) = split(&lines[b]);
                lines[a] = [key_a, value_b].concat();
                lines[b] = [key_b, value_a].concat();
            }
            Mutation::ReplaceByte(at, byte) => {
                let line = at.index(lines.len());
                if !lines[line].is_empty() {
                    let len = lines[line].len();
                    lines[line][at.index(len)] = *byte;
                }
            }
            Mutation::InsertBytes(at, bytes) => {
                let line = at.index(lines.len());
                let position = at.index(lines[line].len() + 1);
                lines[line].splice(position..position, bytes.iter().copied());
            }
            Mutation::Truncate(at) => {
                let keep = at.index(lines.len());
                lines.truncate(keep.max(1));
            }
        }
    }
    String::from_utf8_lossy(&lines.join(&b'\n')).into_owned()
}

/// Text a person could type: anything, and things shaped like each kind of answer.
fn typed_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "\\PC{0,60}",
        "[-+]?[0-9]{0,16}([.,][0-9]{0,6}){0,3}( ?%| menit| orang)?",
        "[0-9]{1,2}[ /.-](0?[1-9]|1[0-2]|[A-Za-z]{3,9})[ /.-][0-9]{1,5}",
        "(Januari|februari|Mar|Agu|December|sept) [0-9]{1,2},? [0-9]{2,5}",
        "[a-z0-9._+-]{0,12}@[a-z0-9.-]{0,12}(\\.go\\.id|\\.com|\\.)?",
        "(\\+62|62|0|0062)[ -]?[0-9() .-]{0,16}",
        "(https?://)?(www\\.)?(youtube\\.com|youtu\\.be|drive\\.google\\.com|evil\\.com)(/[a-zA-Z0-9?=&_-]{0,20})?",
        "[0-9 ,;.)]{1,20}",
        "(ya|Tidak|YES|no|oke|belum|sudah!|n|t)[.!]?",
        "[\u{0}-\u{1f}\u{7f}\u{200b}-\u{200f}\u{202a}-\u{202e}\u{fe0f} ]{0,20}",
        "(\u{0627}\u{0644}|\u{05e9}|e\u{301}\u{302}\u{303}|\u{1f468}\u{200d}\u{1f469}\u{200d}\u{1f467}){1,20}",
    ]
}

/// The bot's confirmation of an answer, read back as typed text (without a number's unit).
fn shown(value: &AnswerValue, question: &Question, lang: Lang) -> String {
    let display = value.display(lang, question);
    let unit = match &question.kind {
        QuestionKind::Number(rules) => rules.unit.as_ref(),
        QuestionKind::Integer(rules) => rules.unit.as_ref(),
        _ => None,
    };
    match unit {
        Some(unit) => display
            .strip_suffix(unit.get(lang))
            .map_or(display.clone(), |rest| rest.trim_end().to_owned()),
        None => display,
    }
}

/// Whether the confirmation can be typed back as one answer: a multi-choice confirmation joins
/// labels with ", ", so a label that itself holds a separator ("9. Industri, Inovasi dan
/// Infrastruktur") reads back as several parts.
fn typeable(value: &AnswerValue, question: &Question, lang: Lang) -> bool {
    match value {
        AnswerValue::Choices { options } => options.iter().all(|option| {
            !question
                .option_label(option, lang)
                .contains([',', ';', '\n'])
        }),
        _ => true,
    }
}

fn same_answer(a: &AnswerValue, b: &AnswerValue) -> bool {
    match (a, b) {
        (AnswerValue::Number { value: x }, AnswerValue::Number { value: y }) => {
            (x - y).abs() <= f64::EPSILON * x.abs().max(y.abs()).max(1.0) * 4.0
        }
        _ => a == b,
    }
}

proptest! {
    #![proptest_config(crate::test_support::proptest_config(256))]

    #[test]
    fn the_checker_never_panics_on_any_text(src in any::<String>()) {
        if let Ok(dialog) = Dialog::from_toml_str(&src) {
            exercise(&dialog);
        }
    }

    #[test]
    fn the_checker_never_panics_on_toml_shaped_text(
        src in "(\\[{1,2}[a-z.]{0,20}\\]{1,2}\n|[a-z_]{1,12} = (\"[^\"\n]{0,12}\"|[0-9.-]{1,5}|true|\\{ [a-z]{1,4} = \"x\" \\}|\\[\\])\n){0,30}"
    ) {
        if let Ok(dialog) = Dialog::from_toml_str(&src) {
            exercise(&dialog);
        }
    }

    #[test]
    fn the_checker_never_panics_on_a_damaged_kipp2025(
        mutations in prop::collection::vec(mutation(), 1..6)
    ) {
        let damaged = mutate(KIPP, &mutations);
        match Dialog::from_toml_str(&damaged) {
            Ok(dialog) => exercise(&dialog),
            Err(errors) => {
                // Every problem names a line of the damaged file.
                let lines = damaged.lines().count().max(1);
                for error in &errors.0 {
                    prop_assert!(error.line >= 1 && error.line <= lines + 1, "{error}");
                }
                prop_assert!(!errors.0.is_empty());
            }
        }
    }

    #[test]
    fn every_kipp2025_question_survives_any_typed_text(typed in typed_text()) {
        let dialog = kipp();
        for question in answerable(&dialog) {
            match dialog.validate(question, &Input::Text(&typed), &Progress::new(), today()) {
                Err(rejection) => {
                    let _ = rejection.message(Lang::Id);
                    let _ = rejection.message(Lang::En);
                }
                Ok(accepted) => {
                    for warning in &accepted.warnings {
                        let _ = warning.message(Lang::Id);
                    }
                    let Some(value) = accepted.value else { continue };
                    for lang in [Lang::Id, Lang::En] {
                        if !typeable(&value, question, lang) {
                            continue;
                        }
                        let again = shown(&value, question, lang);
                        let revalidated = dialog
                            .validate(question, &Input::Text(&again), &Progress::new(), today())
                            .map_err(|rejection| rejection.message(Lang::En));
                        prop_assert!(
                            matches!(&revalidated, Ok(a) if a.value.as_ref().is_some_and(|v| same_answer(v, &value))),
                            "question {}: {typed:?} was accepted as {value:?}, shown as {again:?}, \
                             which validates as {revalidated:?}",
                            question.id
                        );
                    }
                }
            }
        }
    }
}
