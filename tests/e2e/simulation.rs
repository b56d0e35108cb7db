//! A simulated staff member who walks the whole KIPP 2025 questionnaire by reading what the bot
//! shows, as a person on a phone would. Shared by the chaos test and the load benchmark.

#![allow(dead_code)]

use std::time::{Duration, Instant};

use kipp_bot::{
    bot::texts::{self, esc},
    dialog::{Dialog, QuestionKind},
    domain::Lang,
};
use serde_json::json;

use crate::fake_telegram::{FakeTelegram, Sent, TgUser};

/// What one walk did.
#[derive(Debug, Clone, Default)]
pub struct Walk {
    pub updates_sent: u64,
    /// Every file sent. Under slow replies a walker may send a file for a question that has
    /// already moved on; the bot refuses it, so not every one of these must be stored.
    pub files: Vec<Vec<u8>>,
    /// Files the bot acknowledged ("📎 File tersimpan"): each of these must be stored.
    pub files_acknowledged: u64,
    pub nudges: u64,
    pub questions_seen: u64,
    pub finished: bool,
}

/// How long to wait for an answer before nudging (the bot may have been killed), and how long
/// the person takes to read a question and answer it.
pub struct Patience {
    pub reply: Duration,
    pub give_up: Duration,
    /// The mean pause before each answer: zero answers at once (the load benchmark's saturation
    /// run, and the tests); otherwise each pause is between half and one and a half times this,
    /// drawn from the person's id and step, so every run pauses alike.
    pub think: Duration,
}

/// Walks from `/new` to "every required question is answered".
pub async fn walk_dialog(
    fake: &FakeTelegram,
    user: &TgUser,
    dialog: &Dialog,
    patience: &Patience,
) -> Walk {
    let mut walk = Walk::default();
    let started = Instant::now();
    let mut metrics_added = 0;
    fake.send_text(user, "/new");
    walk.updates_sent += 1;
    loop {
        if started.elapsed() > patience.give_up {
            return walk;
        }
        let Some(first) = fake.try_next_message(user.id, patience.reply).await else {
            // No answer: the bot may have been down. A sticker is never an answer, so the bot
            // shows the pending question again.
            nudge(fake, user, &mut walk);
            continue;
        };
        // Like a person, answer what is on the screen now: of the messages that arrived while
        // the walker waited, only the newest. Answering every one (a question shown again for
        // each nudge, under slow replies) would multiply the walker's updates without end.
        let mut message = first;
        count_acknowledgement(&message, &mut walk);
        let mut finished = message
            .text
            .contains(texts::all_answered(Lang::Id).as_str());
        while let Some(newer) = fake.try_next_message(user.id, Duration::ZERO).await {
            count_acknowledgement(&newer, &mut walk);
            finished |= newer.text.contains(texts::all_answered(Lang::Id).as_str());
            if is_actionable(&newer) || !is_actionable(&message) {
                message = newer;
            }
        }
        if finished {
            walk.finished = true;
            return walk;
        }
        if message.text == texts::unexpected_input(Lang::Id) && walk.questions_seen == 0 {
            // No conversation: the `/new` has not been handled; ask again.
            fake.send_text(user, "/new");
            walk.updates_sent += 1;
            continue;
        }
        if !is_actionable(&message) {
            continue;
        }
        if !patience.think.is_zero() {
            tokio::time::sleep(pause(patience.think, user.id, walk.updates_sent)).await;
        }
        if message.button("Ya, tambah").is_some() {
            let label = if metrics_added < 1 {
                "Ya, tambah"
            } else {
                "Tidak, lanjut"
            };
            metrics_added += 1;
            press(fake, user, &message, label, &mut walk);
            continue;
        }
        let Some(question) = current_question(dialog, &message) else {
            continue;
        };
        walk.questions_seen += 1;
        act(fake, user, &message, dialog, question, &mut walk);
    }
}

/// A person's pause before their answer at `step`: half to one and a half times `think`, from a
/// fixed hash of the person and the step (SplitMix64), so runs are reproducible.
fn pause(think: Duration, user_id: i64, step: u64) -> Duration {
    let mut x = (user_id as u64)
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add(step.wrapping_mul(0xBF58_476D_1CE4_E5B9));
    x ^= x >> 30;
    x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^= x >> 31;
    think.mul_f64(0.5 + (x % 1_000) as f64 / 1_000.0)
}

fn count_acknowledgement(message: &Sent, walk: &mut Walk) {
    if message.text.contains(FILE_SAVED) {
        walk.files_acknowledged += 1;
    }
}

/// The start of `texts::file_saved` in Indonesian.
const FILE_SAVED: &str = "📎 File tersimpan";

/// Whether a message asks something: not the contact keyboard hint, not an acknowledgement
/// without a question.
fn is_actionable(message: &Sent) -> bool {
    !(message.request_contact || message.buttons.is_empty() && !message.text.contains("<b>"))
}

fn nudge(fake: &FakeTelegram, user: &TgUser, walk: &mut Walk) {
    fake.send_raw_message(
        user,
        json!({ "sticker": { "file_id": "STK", "file_unique_id": "STKU", "type": "regular",
            "width": 512, "height": 512, "is_animated": false, "is_video": false } }),
    );
    walk.updates_sent += 1;
    walk.nudges += 1;
}

fn press(fake: &FakeTelegram, user: &TgUser, on: &Sent, label: &str, walk: &mut Walk) {
    if let Some(button) = on.button(label) {
        fake.press(user, on, &button.data);
        walk.updates_sent += 1;
    }
}

/// The question a message asks: its prompt appears in bold.
fn current_question<'d>(dialog: &'d Dialog, message: &Sent) -> Option<&'d str> {
    dialog
        .sections()
        .iter()
        .flat_map(|section| section.questions.iter())
        .flat_map(|question| std::iter::once(question).chain(question.members().iter()))
        .find(|question| {
            message
                .text
                .contains(&format!("<b>{}</b>", esc(question.prompt.get(Lang::Id))))
        })
        .map(|question| question.id.as_str())
}

fn act(
    fake: &FakeTelegram,
    user: &TgUser,
    message: &Sent,
    dialog: &Dialog,
    id: &str,
    walk: &mut Walk,
) {
    let Some(question) = dialog.question(id) else {
        return;
    };
    let text = |fake: &FakeTelegram, walk: &mut Walk, text: &str| {
        fake.send_text(user, text);
        walk.updates_sent += 1;
    };
    match &question.kind {
        QuestionKind::Text(rules) if rules.multi_message => {
            if message.text.contains("📝") {
                press(fake, user, message, "Selesai", walk);
            } else {
                let answer = format!("Jawaban untuk {id} dari {}.", user.first_name);
                text(fake, walk, &long_enough(dialog, id, &answer));
            }
        }
        QuestionKind::Text(_) => {
            let answer = format!("Jawaban {id} {}", user.id);
            text(fake, walk, &long_enough(dialog, id, &answer));
        }
        QuestionKind::Number(_) => text(fake, walk, "45"),
        QuestionKind::Integer(rules) => {
            let value = rules.min.map_or(1200, |min| min.max(1200));
            let value = rules.max.map_or(value, |max| value.min(max));
            text(fake, walk, &value.to_string());
        }
        QuestionKind::Date(_) => text(fake, walk, "2020-01-15"),
        QuestionKind::Email => text(fake, walk, "pimpinan@perpusnas.go.id"),
        QuestionKind::Phone => text(fake, walk, "0812-3456-7890"),
        QuestionKind::Url(_) => text(fake, walk, "https://youtu.be/dQw4w9WgXcQ"),
        QuestionKind::SingleChoice(_) => press(fake, user, message, "1.", walk),
        QuestionKind::MultiChoice(_) => {
            if message.text.contains("☑️") || message.button("☑️").is_some() {
                press(fake, user, message, "Selesai", walk);
            } else {
                press(fake, user, message, "1.", walk);
            }
        }
        QuestionKind::YesNo => press(fake, user, message, "Ya", walk),
        QuestionKind::Contact => {
            fake.send_raw_message(
                user,
                json!({ "contact": { "phone_number": "+6281311112222", "first_name": "Dewi" } }),
            );
            walk.updates_sent += 1;
        }
        QuestionKind::File(rules) => {
            if message.button("Selesai").is_some() {
                press(fake, user, message, "Selesai", walk);
            } else if !question.required {
                press(fake, user, message, "Lewati", walk);
            } else {
                let bytes = format!("%PDF-1.4 {id} {} {}", user.id, walk.files.len()).into_bytes();
                if rules.kinds.iter().any(|kind| kind.name() == "document") {
                    fake.send_document(user, &bytes, &format!("{id}.pdf"), "application/pdf");
                } else {
                    fake.send_photo(user, &bytes, None);
                }
                walk.files.push(bytes);
                walk.updates_sent += 1;
            }
        }
        QuestionKind::Group(_) => {}
    }
}

/// `answer`, padded with words to the floor of its question and of its box (a box's floor
/// shared among its questions), so that a narrative is never refused as too short.
pub fn long_enough(dialog: &Dialog, id: &str, answer: &str) -> String {
    let own = match dialog.question(id).map(|q| &q.kind) {
        Some(QuestionKind::Text(rules)) => rules.min_words.unwrap_or(0) as usize,
        _ => 0,
    };
    let share = dialog.box_of(id).map_or(0, |b| {
        (b.min_words.unwrap_or(0) as usize).div_ceil(b.questions.len().max(1))
    });
    let need = own.max(share);
    let have = answer.split_whitespace().count();
    if have >= need {
        return answer.to_owned();
    }
    let padding = vec!["isi"; need - have].join(" ");
    format!("{answer} {padding}")
}
