//! Drafts survive a new questionnaire file (issue 11, point 13): a draft made with the previous
//! KIPP 2025 file (kept in tests/fixtures/kipp2025-v1.toml) keeps every answer whose question
//! still exists when the bot restarts on the new file, is told once what is newly missing, and
//! is then asked it.

use std::collections::HashMap;

use kipp_bot::{
    bot::texts::{self, esc},
    dialog::Dialog,
    domain::{AnswerValue, Lang},
};

use crate::{
    helpers::{TestApp, repo_path},
    questionnaire::{Staff, kipp2025, sticker, words},
};

fn answers_by_key(
    rows: Vec<kipp_bot::storage::StoredAnswer>,
) -> HashMap<(String, u16), AnswerValue> {
    rows.into_iter()
        .map(|row| ((row.question_id, row.item), row.value))
        .collect()
}

#[tokio::test]
async fn a_draft_made_with_the_previous_file_survives_the_new_one() {
    let old_file = repo_path("tests/fixtures/kipp2025-v1.toml");
    let old_dialog = Dialog::load(&old_file).expect("the previous file still loads");
    let mut app = TestApp::spawn_with(&[("DIALOG_FILE", old_file.to_str().unwrap())]).await;
    let unit = app.add_unit("PUSDATIN", "Pusat Data dan Informasi").await;
    let mut staff = Staff::register(&app, 1301, "Rina", &unit).await;
    staff.dialog = old_dialog.clone();

    // With today's file: the description, every narrative (kolaborasi among them, and a
    // Ringkasan far below the new floor), and the first member of the first metric.
    staff.say("/new").await;
    staff.say("Pojok Baca Digital").await;
    staff.press("Umum").await;
    staff.press("8.").await;
    staff.press("4.").await;
    staff.press("Selesai").await;
    staff.say("2020-01-15").await;
    staff.long_text("ringkasan", "Ringkasan singkat.").await;
    for question in [
        "latar_belakang",
        "kebaruan",
        "implementasi",
        "signifikansi",
        "sudah_direplikasi",
        "potensi_replikasi",
        "sumber_daya",
        "keberlanjutan_institusional",
        "keberlanjutan_manajerial",
        "keberlanjutan_sosial",
        "kolaborasi",
        "kontribusi_tpb",
    ] {
        staff.long_text(question, &words(12)).await;
    }
    staff.expect("nama_metrik");
    staff.say("Waktu layanan").await;
    staff.expect("satuan");
    let before = answers_by_key(app.storage.answers(1).await.unwrap());
    assert!(before.contains_key(&("kolaborasi".to_owned(), 0)));

    // The bureau installs the new file and restarts the bot.
    app.stop().await;
    app.set_env(
        "DIALOG_FILE",
        repo_path("dialogs/kipp2025.toml").to_str().unwrap(),
    );
    app.start().await;
    let dialog = kipp2025();
    staff.dialog = dialog.clone();

    // The pending question still exists: the person goes on there, told once what the draft
    // now lacks, the new questions among it.
    let resumed = staff.send(sticker()).await;
    let intro = texts::questionnaire_updated(Lang::Id, &[]);
    let intro = intro.as_str().lines().next().unwrap();
    assert!(resumed.text.contains(intro), "{}", resumed.text);
    for newly_missing in [
        "Aplikasi web/seluler (SPBE) belum diisi",
        "Belum ada testimoni",
    ] {
        assert!(
            resumed.text.contains(&esc(newly_missing)),
            "{newly_missing}: {}",
            resumed.text
        );
    }
    assert!(
        !resumed.text.contains("Ringkasan belum diisi"),
        "a kept answer is not missing: {}",
        resumed.text
    );
    staff.expect("satuan");
    let again = staff.send(sticker()).await;
    assert!(!again.text.contains(intro), "said once: {}", again.text);
    staff.expect("satuan");

    // Every answer is still there (kolaborasi too, though no question asks it any more), and
    // the innovation is now up to date with the new file.
    let after = answers_by_key(app.storage.answers(1).await.unwrap());
    assert_eq!(after, before);
    let innovation = app.storage.innovation(1).await.unwrap().unwrap();
    assert_eq!(innovation.dialog_version, dialog.version());

    // Resuming from the list goes to the first newly missing question; the kept answers show
    // in the review.
    staff.say("/list").await;
    staff.press("Lanjutkan").await;
    staff.expect("aplikasi_spbe");
    staff.press("Tidak").await;
    // The walk goes on in file order: the kept Ringkasan is shown as the current answer.
    staff.expect("ringkasan");
    assert!(
        staff
            .last
            .as_ref()
            .unwrap()
            .text
            .contains(texts::current_answer(Lang::Id, "Ringkasan singkat.").as_str()),
        "{}",
        staff.last.as_ref().unwrap().text
    );
    staff.press("Jeda").await;
    staff.say("/review 1").await;
    let mut summary = String::new();
    loop {
        let message = staff.next().await;
        summary.push_str(&message.text);
        if message.text.starts_with("Yang belum lengkap:") {
            break;
        }
    }
    assert!(summary.contains("Ringkasan singkat."), "{summary}");
    assert!(summary.contains("Pojok Baca Digital"), "{summary}");
}
