//! The cap on what goes forward (issue 11, point 1) and the two deadlines (point 2): units draft
//! as many innovations as they like, the bureau selects at most the cap (and a group's share),
//! the units' deadline and SINOVIK's national close are set and counted down apart, reminders aim
//! at the units' deadline, and a draft handed in after it is flagged late to the bureau.

use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::Asia::Jakarta;
use kipp_bot::{
    bot::texts,
    campaign::days_left,
    clock::Clock,
    domain::{AnswerValue, Lang, Role, Transition},
    storage::{ConversationWrite, Unit},
};

use crate::{
    fake_telegram::{Sent, TgUser},
    helpers::{TestApp, drain, repo_path},
    questionnaire::{Staff, kipp2025},
    review_export::complete_innovation,
};

/// A local (WIB) time in 2026.
fn wib(month: u32, day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    Jakarta
        .with_ymd_and_hms(2026, month, day, hour, minute, 0)
        .unwrap()
        .with_timezone(&Utc)
}

fn local(at: DateTime<Utc>) -> String {
    texts::local_time(at, Jakarta)
}

/// Reads the bot's messages to `user` until one contains `needle`.
async fn until_text(app: &TestApp, user: &TgUser, needle: &str) -> Sent {
    for _ in 0..60 {
        let sent = app.fake.next_message(user.id).await;
        if sent.text.contains(needle) {
            return sent;
        }
    }
    panic!("no message containing {needle:?}");
}

/// The bureau sets SINOVIK's close on 3 June and the units' deadline on `units`, through the bot.
async fn set_both(app: &TestApp, bureau: &TgUser, units: &str) {
    let close = app.say(bureau, "/deadline close 2026-06-03 23:59").await;
    assert_eq!(
        close.text,
        texts::campaign_date_set(
            Lang::Id,
            texts::national_close_name(Lang::Id),
            Some(&local(wib(6, 3, 23, 59))),
            false
        )
    );
    let set = app.say(bureau, &format!("/deadline units {units}")).await;
    assert!(
        set.text.starts_with(&format!(
            "{} ditetapkan",
            texts::units_deadline_name(Lang::Id)
        )),
        "{}",
        set.text
    );
}

/// An approved innovation of `unit` in group `kelompok`, made straight through the storage.
async fn approved(app: &TestApp, unit: &Unit, author: i64, bureau: i64, kelompok: &str) -> i64 {
    let now = app.clock.now();
    let dialog = kipp2025();
    let created = app
        .storage
        .create_innovation(
            unit.id,
            author,
            dialog.version(),
            None,
            |id| {
                kipp_bot::dialog::Conversation::at(
                    id,
                    dialog.first_missing(&kipp_bot::dialog::Progress::default()),
                )
            },
            now,
        )
        .await
        .unwrap();
    let kipp_bot::storage::Created::Innovation(id) = created else {
        panic!("created");
    };
    let choice = AnswerValue::Choice {
        option: kelompok.to_owned(),
    };
    let nobody = ConversationWrite {
        user_id: author,
        state: None,
        update_id: None,
    };
    app.storage
        .save_answer(id, "kelompok", 0, &choice, nobody, now)
        .await
        .unwrap();
    for transition in [Transition::Submit, Transition::Approve] {
        assert!(
            app.storage
                .change_innovation_state(id, transition, bureau, None, now)
                .await
                .unwrap()
        );
    }
    id
}

async fn user_id(app: &TestApp, user: &TgUser) -> i64 {
    app.storage
        .user_by_telegram_id(user.id)
        .await
        .unwrap()
        .unwrap()
        .id
}

#[tokio::test]
async fn the_sixteenth_staff_member_starts_a_draft() {
    let app = TestApp::spawn().await;
    let unit = app.add_unit("PUSDATIN", "Pusat Data dan Informasi").await;
    // 20 staff in the unit; the cap of 15 is on the selection, not on drafts.
    let staff = app.add_people(9000, 20, Role::Staff, Some(&unit)).await;
    for (n, person) in staff.iter().enumerate() {
        let started = app.say(person, "/new").await;
        let id = i64::try_from(n).unwrap() + 1;
        assert!(
            started
                .text
                .contains(texts::innovation_started(Lang::Id, id).as_str()),
            "staff member {}: {}",
            n + 1,
            started.text
        );
    }
    assert_eq!(app.storage.innovations(None).await.unwrap().len(), 20);
}

#[tokio::test]
async fn the_selection_is_capped_per_group_and_the_digest_counts_the_slots() {
    // The KIPP 2025 file with the 2021 kind of split, made small: one Umum, one Replikasi.
    let dir = tempfile::tempdir().unwrap();
    let split = std::fs::read_to_string(repo_path("dialogs/kipp2025.toml"))
        .unwrap()
        .replacen(
            "max_innovations = 15",
            "max_innovations = 15\nmax_selected_per_group = { umum = 1, replikasi = 1 }",
            1,
        );
    let path = dir.path().join("split.toml");
    std::fs::write(&path, split).unwrap();
    let app = TestApp::spawn_with(&[("DIALOG_FILE", path.to_str().unwrap())]).await;
    let unit = app.add_unit("PUSDATIN", "Pusat Data dan Informasi").await;
    let rina = TgUser::new(2501, "Rina");
    app.register(&rina, Role::Staff, Some(&unit)).await;
    let bureau = app.bureau().await;
    let (author, bureau_id) = (user_id(&app, &rina).await, user_id(&app, &bureau).await);
    let umum = approved(&app, &unit, author, bureau_id, "umum").await;
    let umum_too = approved(&app, &unit, author, bureau_id, "umum").await;
    let replikasi = approved(&app, &unit, author, bureau_id, "replikasi").await;

    // The file's national close (2025) has passed: the bureau moves it first.
    let closed = app.say(&bureau, &format!("/select {umum}")).await;
    assert!(closed.text.starts_with("Batas waktu"), "{}", closed.text);
    set_both(&app, &bureau, "2026-05-24 23:59").await;

    let selected = app.say(&bureau, &format!("/select {umum}")).await;
    assert_eq!(selected.text, texts::selected_ok(Lang::Id, umum, 1, 15));
    let refused = app.say(&bureau, &format!("/select {umum_too}")).await;
    assert_eq!(refused.text, texts::select_group_full(Lang::Id, "Umum", 1));
    let selected = app.say(&bureau, &format!("/select {replikasi}")).await;
    assert_eq!(
        selected.text,
        texts::selected_ok(Lang::Id, replikasi, 2, 15)
    );

    // The digest: 2 of 15 slots, per group, and one approved innovation waiting.
    drain(&app, bureau.id).await;
    app.fake.send_text(&bureau, "/digest");
    let digest = until_text(&app, &bureau, "Slot KIPP").await;
    let slots = texts::selection_slots(
        Lang::Id,
        2,
        15,
        &[("Umum".into(), 1, 1), ("Replikasi".into(), 1, 1)],
        1,
    );
    assert!(digest.text.contains(slots.as_str()), "{}", digest.text);
    // Both dates are counted down.
    let now = app.clock.now();
    for (name, at) in [
        (texts::units_deadline_name(Lang::Id), wib(5, 24, 23, 59)),
        (texts::national_close_name(Lang::Id), wib(6, 3, 23, 59)),
    ] {
        let line =
            texts::countdown_line(Lang::Id, name, Some(&local(at)), Some(days_left(now, at)));
        assert!(
            digest.text.contains(line.as_str()),
            "{line}\n{}",
            digest.text
        );
    }
}

#[tokio::test]
async fn deadline_sets_both_dates_a_units_own_and_status_counts_down_to_both() {
    let app = TestApp::spawn().await;
    let unit = app.add_unit("PUSDATIN", "Pusat Data dan Informasi").await;
    let budi = TgUser::new(2601, "Budi");
    app.register(&budi, Role::Staff, Some(&unit)).await;
    let bureau = app.bureau().await;
    set_both(&app, &bureau, "2026-05-24 23:59").await;
    let units = wib(5, 24, 23, 59);
    let close = wib(6, 3, 23, 59);

    // A units' deadline after the close, or a close before the units' deadline, is refused.
    let after = app.say(&bureau, "/deadline units 2026-06-10 12:00").await;
    assert_eq!(
        after.text,
        texts::deadline_after_close(Lang::Id, &local(close))
    );
    let before = app.say(&bureau, "/deadline close 2026-05-22 23:59").await;
    assert_eq!(
        before.text,
        texts::close_before_units(Lang::Id, &local(units))
    );
    let unknown = app.say(&bureau, "/deadline someday").await;
    assert_eq!(unknown.text, texts::deadline_usage(Lang::Id));

    // A unit's own deadline overrides the units' one; /status shows it and the close.
    let own = wib(5, 20, 16, 0);
    let set = app
        .say(&bureau, "/deadline PUSDATIN 2026-05-20 16:00")
        .await;
    assert_eq!(
        set.text,
        texts::deadline_set(Lang::Id, "Pusat Data dan Informasi", &local(own))
    );
    let now = app.clock.now();
    let status = app.say(&budi, "/status").await;
    let own_line = texts::deadline_line(Lang::Id, Some(&local(own)), Some(days_left(now, own)));
    let close_line = texts::countdown_line(
        Lang::Id,
        texts::national_close_name(Lang::Id),
        Some(&local(close)),
        Some(days_left(now, close)),
    );
    assert!(status.text.contains(own_line.as_str()), "{}", status.text);
    assert!(status.text.contains(close_line.as_str()), "{}", status.text);
    let overview = app.say(&bureau, "/status").await;
    let units_line = texts::countdown_line(
        Lang::Id,
        texts::units_deadline_name(Lang::Id),
        Some(&local(units)),
        Some(days_left(now, units)),
    );
    assert!(
        overview.text.contains(units_line.as_str()),
        "{}",
        overview.text
    );
    assert!(
        overview.text.contains(close_line.as_str()),
        "{}",
        overview.text
    );
    assert!(overview.text.contains("PUSDATIN"), "{}", overview.text);

    // The unit follows the units' deadline again; the units' deadline goes back to the file's.
    let cleared = app.say(&bureau, "/deadline PUSDATIN hapus").await;
    assert_eq!(
        cleared.text,
        texts::deadline_cleared(Lang::Id, "Pusat Data dan Informasi")
    );
    let reset = app.say(&bureau, "/deadline units hapus").await;
    let file_units = Jakarta
        .with_ymd_and_hms(2025, 5, 24, 23, 59, 0)
        .unwrap()
        .with_timezone(&Utc);
    assert_eq!(
        reset.text,
        texts::campaign_date_set(
            Lang::Id,
            texts::units_deadline_name(Lang::Id),
            Some(&local(file_units)),
            true
        )
    );
    // A date alone still means the units' deadline.
    let plain = app.say(&bureau, "/deadline 2026-05-25 23:59").await;
    assert_eq!(
        plain.text,
        texts::campaign_date_set(
            Lang::Id,
            texts::units_deadline_name(Lang::Id),
            Some(&local(wib(5, 25, 23, 59))),
            false
        )
    );
}

#[tokio::test]
async fn reminders_aim_at_the_units_deadline_not_the_national_close() {
    let app = TestApp::spawn_with(&[("DIGEST_TIME", "23:59")]).await;
    let unit = app.add_unit("PUSDATIN", "Pusat Data dan Informasi").await;
    let mut rina = Staff::register(&app, 2701, "Rina", &unit).await;
    rina.say("/new").await;
    rina.say("Layanan Referensi Daring").await;
    let bureau = app.bureau().await;
    set_both(&app, &bureau, "2026-05-24 23:59").await;
    let reminders = |app: &TestApp| {
        app.fake
            .sent_to(rina.user.id)
            .into_iter()
            .filter(|sent| sent.text.contains("Pengingat KIPP"))
            .collect::<Vec<_>>()
    };

    // Eight days before the units' deadline: nothing; under seven days before: one reminder,
    // naming the units' deadline (the close is 16 days away).
    app.clock.set(wib(5, 16, 8, 0));
    assert_eq!(app.run_scheduler().await.reminders_queued, 0);
    app.clock.set(wib(5, 18, 8, 0));
    assert_eq!(app.run_scheduler().await.reminders_queued, 1);
    let sent = reminders(&app);
    assert_eq!(sent.len(), 1);
    assert!(
        sent[0].text.contains(&local(wib(5, 24, 23, 59))),
        "{}",
        sent[0].text
    );
    assert!(!sent[0].text.contains(&local(wib(6, 3, 23, 59))));

    // Past the units' deadline: no more reminders, not even a week before the close.
    app.clock.set(wib(5, 28, 8, 0));
    assert_eq!(app.run_scheduler().await.reminders_queued, 0);
}

#[tokio::test]
async fn a_draft_handed_in_after_the_units_deadline_is_flagged_late_to_the_bureau() {
    let app = TestApp::spawn().await;
    let unit = app.add_unit("PUSDATIN", "Pusat Data dan Informasi").await;
    let bureau = app.bureau().await;
    set_both(&app, &bureau, "2026-05-10 23:59").await;
    let mut staff = Staff::register(&app, 2801, "Rina", &unit).await;
    complete_innovation(&mut staff, "Layanan Referensi Daring").await;

    // After the units' deadline the draft can still be handed in, as before.
    app.clock.set(wib(5, 11, 9, 0));
    let submitted = staff.say("/submit 1").await;
    assert_eq!(submitted.text, texts::submitted(Lang::Id, 1));
    let stored = app.storage.innovation(1).await.unwrap().unwrap();
    assert_eq!(stored.late_submitted_at, Some(wib(5, 11, 9, 0)));

    // The bureau sees it flagged: in /list, in the review panel and in the digest.
    drain(&app, bureau.id).await;
    let list = app.say(&bureau, "/list").await;
    assert!(
        list.text.contains(texts::late_mark(Lang::Id)),
        "{}",
        list.text
    );
    app.fake.send_text(&bureau, "/review 1");
    let panel = until_text(&app, &bureau, "Terlambat").await;
    assert!(
        panel
            .text
            .contains(texts::late_note(Lang::Id, &local(wib(5, 11, 9, 0))).as_str()),
        "{}",
        panel.text
    );
    drain(&app, bureau.id).await;
    app.fake.send_text(&bureau, "/digest");
    let digest = until_text(&app, &bureau, "Slot KIPP").await;
    assert!(
        digest
            .text
            .contains(texts::digest_late(Lang::Id, &[1]).as_str()),
        "{}",
        digest.text
    );

    // Reopened and handed in again, it stays flagged as it was first handed in.
    let bureau_id = user_id(&app, &bureau).await;
    let now = app.clock.now();
    app.storage
        .change_innovation_state(1, Transition::Reopen, bureau_id, None, now)
        .await
        .unwrap();
    app.clock.set(wib(5, 12, 9, 0));
    staff.say("/submit 1").await;
    let stored = app.storage.innovation(1).await.unwrap().unwrap();
    assert_eq!(stored.late_submitted_at, Some(wib(5, 11, 9, 0)));
}
