//! Deadlines, reminders, digests and broadcasts, with the clock moved instead of slept.

use std::{collections::HashMap, time::Duration};

use chrono::{TimeZone, Utc};
use chrono_tz::Asia::Jakarta;
use kipp_bot::{
    bot::texts,
    domain::{Lang, Role, Transition},
};

use crate::{
    fake_telegram::{Fault, TgUser},
    helpers::TestApp,
    questionnaire::Staff,
};

/// Sets the test clock to a local (WIB) time.
fn wib(app: &TestApp, month: u32, day: u32, hour: u32, minute: u32) {
    let local = Jakarta
        .with_ymd_and_hms(2026, month, day, hour, minute, 0)
        .unwrap();
    app.clock.set(local.with_timezone(&Utc));
}

fn reminders(app: &TestApp, chat: i64) -> Vec<crate::fake_telegram::Sent> {
    app.fake
        .sent_to(chat)
        .into_iter()
        .filter(|sent| sent.text.contains("Pengingat KIPP"))
        .collect()
}

#[tokio::test]
async fn reminders_fire_once_per_offset_wait_for_the_morning_and_survive_restarts() {
    let mut app = TestApp::spawn_with(&[("DIGEST_TIME", "23:59")]).await;
    let pusdatin = app.add_unit("PUSDATIN", "Pusat Data dan Informasi").await;
    let aceh = app.add_unit("UPT-ACEH", "UPT Aceh").await;
    let mut rina = Staff::register(&app, 2001, "Rina", &pusdatin).await;
    let budi = TgUser::new(2002, "Budi");
    app.register(&budi, Role::Staff, Some(&pusdatin)).await;
    let cut = TgUser::new(2003, "Cut");
    app.register(&cut, Role::Staff, Some(&aceh)).await;
    rina.say("/new").await;
    rina.say("Layanan Referensi Daring").await;
    rina.press("Jeda").await;
    let bureau = app.bureau().await;
    let set = app.say(&bureau, "/deadline 2026-05-20 23:59").await;
    assert!(set.text.contains("20-05-2026 23:59"), "{}", set.text);
    let status = app.say(&budi, "/status").await;
    assert!(status.text.contains("20-05-2026 23:59"), "{}", status.text);

    // Eight days before: nothing yet.
    wib(&app, 5, 12, 10, 0);
    let report = app.run_scheduler().await;
    assert_eq!(report.reminders_queued, 0);

    // Seven days before: each staff member once per innovation; Aceh has nothing started.
    wib(&app, 5, 14, 8, 0);
    let report = app.run_scheduler().await;
    assert_eq!(report.reminders_queued, 3, "{report:?}");
    let for_rina = reminders(&app, rina.user.id);
    assert_eq!(for_rina.len(), 1);
    assert!(
        for_rina[0].text.contains("Layanan Referensi Daring"),
        "{}",
        for_rina[0].text
    );
    assert!(
        for_rina[0].text.contains("belum"),
        "what is missing is named: {}",
        for_rina[0].text
    );
    assert!(for_rina[0].button("Lanjutkan #1").is_some());
    assert_eq!(reminders(&app, budi.id).len(), 1);
    let for_cut = reminders(&app, cut.id);
    assert_eq!(for_cut.len(), 1);
    assert!(
        for_cut[0]
            .text
            .contains(texts::reminder_nothing_started(Lang::Id, "UPT Aceh").as_str())
    );

    // Again, and after a restart: nothing twice.
    assert_eq!(app.run_scheduler().await.reminders_queued, 0);
    app.restart().await;
    app.run_scheduler().await;
    assert_eq!(reminders(&app, rina.user.id).len(), 1);

    // The 3-day reminder falls due at 23:59, inside the quiet hours: it waits for 07:00.
    wib(&app, 5, 18, 2, 0);
    assert_eq!(app.run_scheduler().await.reminders_queued, 0);
    assert_eq!(reminders(&app, rina.user.id).len(), 1);
    wib(&app, 5, 18, 7, 5);
    assert_eq!(app.run_scheduler().await.reminders_queued, 3);
    assert_eq!(reminders(&app, rina.user.id).len(), 2);

    // The reminder's button resumes the dialog at the first missing item.
    rina.fake.wait_until_consumed().await;
    while rina
        .fake
        .try_next_message(rina.user.id, Duration::from_millis(50))
        .await
        .is_some()
    {}
    rina.last = reminders(&app, rina.user.id).pop();
    rina.press("Lanjutkan #1").await;
    rina.expect("kelompok");

    // The bot was down over the 1-day mark and comes back on the last evening: only the latest
    // offset goes out, once.
    app.stop().await;
    wib(&app, 5, 20, 20, 30);
    app.start().await;
    assert_eq!(app.run_scheduler().await.reminders_queued, 3);
    assert_eq!(reminders(&app, rina.user.id).len(), 3);
    assert_eq!(reminders(&app, cut.id).len(), 3);

    // After the deadline: silence.
    wib(&app, 5, 21, 8, 0);
    assert_eq!(app.run_scheduler().await.reminders_queued, 0);
}

#[tokio::test]
async fn the_daily_digest_reaches_each_coordinator_once_with_the_right_counts() {
    let mut app = TestApp::spawn().await;
    let pusdatin = app.add_unit("PUSDATIN", "Pusat Data dan Informasi").await;
    let aceh = app.add_unit("UPT-ACEH", "UPT Aceh").await;
    let koor = TgUser::new(3001, "Koor Pusdatin");
    app.register(&koor, Role::Coordinator, Some(&pusdatin))
        .await;
    let koor_aceh = TgUser::new(3002, "Koor Aceh");
    app.register(&koor_aceh, Role::Coordinator, Some(&aceh))
        .await;
    let mut rina = Staff::register(&app, 3003, "Rina", &pusdatin).await;
    for title in ["Inovasi Satu", "Inovasi Dua", "Inovasi Tiga"] {
        rina.say("/new").await;
        rina.say(title).await;
    }
    let rina_id = app
        .storage
        .user_by_telegram_id(rina.user.id)
        .await
        .unwrap()
        .unwrap()
        .id;
    let now = kipp_bot::clock::Clock::now(&app.clock);
    app.storage
        .change_innovation_state(3, Transition::Submit, rina_id, None, now)
        .await
        .unwrap();
    let bureau = app.bureau().await;
    app.say(&bureau, "/deadline 2026-05-20 23:59").await;

    // 06:00: not yet. 07:00: once for each coordinator and for the bureau.
    assert_eq!(app.run_scheduler().await.digests_queued, 0);
    wib(&app, 5, 9, 7, 0);
    let report = app.run_scheduler().await;
    assert_eq!(report.digests_queued, 3, "{report:?}");
    let digest = app.fake.next_message(koor.id).await;
    assert!(digest.text.contains("Ringkasan KIPP"), "{}", digest.text);
    assert!(
        digest
            .text
            .contains(texts::digest_counts(Lang::Id, 2, 0, 1).as_str()),
        "{}",
        digest.text
    );
    assert!(digest.text.contains("Inovasi Dua"));
    assert!(
        digest.text.contains("12 hari lagi"),
        "days to the deadline: {}",
        digest.text
    );
    // Four days untouched: named.
    assert!(
        digest.text.contains("tidak disentuh 4 hari"),
        "{}",
        digest.text
    );
    let aceh_digest = app.fake.next_message(koor_aceh.id).await;
    assert!(
        aceh_digest
            .text
            .contains(texts::digest_counts(Lang::Id, 0, 0, 0).as_str())
    );
    assert!(
        !aceh_digest.text.contains("Inovasi"),
        "no other unit's data: {}",
        aceh_digest.text
    );
    // The bureau gets the chart as a photo, then the text.
    let chart = app.fake.next_message(bureau.id).await;
    assert_eq!(chart.method, "sendphoto");
    let (_, png) = chart.document.expect("a photo");
    assert!(png.starts_with(b"\x89PNG"));
    let text = app.fake.next_message(bureau.id).await;
    assert!(text.text.contains("PUSDATIN") && text.text.contains("UPT-ACEH"));

    // Once a day, even across a restart.
    wib(&app, 5, 9, 12, 0);
    assert_eq!(app.run_scheduler().await.digests_queued, 0);
    app.restart().await;
    assert_eq!(app.run_scheduler().await.digests_queued, 0);
    app.fake
        .assert_quiet(koor.id, Duration::from_millis(200))
        .await;
    wib(&app, 5, 10, 7, 30);
    assert_eq!(app.run_scheduler().await.digests_queued, 3);

    // On demand, the same digest.
    app.fake.next_message(koor.id).await;
    let now = app.say(&koor, "/digest").await;
    assert!(
        now.text
            .contains(texts::digest_counts(Lang::Id, 2, 0, 1).as_str())
    );
    let refused = rina.say("/digest").await;
    assert_eq!(refused.text, texts::not_allowed(Lang::Id, "digest"));
}

#[tokio::test]
async fn a_broadcast_reaches_everyone_once_through_429s_500s_a_blocked_user_and_a_crash() {
    let mut app = TestApp::spawn_with(&[("SEND_RATE_PER_SECOND", "150")]).await;
    let units = [
        app.add_unit("PUSDATIN", "Pusat Data").await,
        app.add_unit("UPT-ACEH", "UPT Aceh").await,
    ];
    let mut people = app
        .add_people(10_000, 200, Role::Staff, Some(&units[0]))
        .await;
    people.extend(
        app.add_people(20_000, 150, Role::Staff, Some(&units[1]))
            .await,
    );
    people.extend(
        app.add_people(30_000, 10, Role::Coordinator, Some(&units[1]))
            .await,
    );
    let blocked = people[7].id;
    app.fake.block_chat(blocked);
    let bureau = app.bureau().await;

    app.say(&bureau, "/broadcast").await;
    let audience = app
        .say(
            &bureau,
            "Rapat koordinasi KIPP besok pukul 09.00 <Zoom> & luring.",
        )
        .await;
    let everyone = audience.button("Semua").unwrap().data.clone();
    app.fake.press(&bureau, &audience, &everyone);
    let preview = app.fake.next_message(bureau.id).await;
    assert!(
        preview.text.contains("Penerima: 361 orang"),
        "{}",
        preview.text
    );
    let send = preview.button("Kirim").unwrap().data.clone();
    app.fake.inject("sendMessage", Fault::RetryAfter(1), 2);
    app.fake.inject("sendMessage", Fault::ServerError, 3);
    app.fake.press(&bureau, &preview, &send);
    let progress = app.fake.next_message(bureau.id).await;
    assert!(progress.text.contains("Pengumuman #1"), "{}", progress.text);

    // Kill the bot in the middle of the delivery, then start it again.
    tokio::time::sleep(Duration::from_millis(800)).await;
    app.crash().await;
    let delivered_before_crash = broadcast_counts(&app, &people)
        .values()
        .filter(|n| **n > 0)
        .count();
    assert!(
        delivered_before_crash < people.len(),
        "the crash came mid-delivery"
    );
    app.start().await;

    // The final report arrives once everything is processed.
    let report = loop {
        let message = app.fake.next_message(bureau.id).await;
        if message.text.starts_with("✅ Pengumuman #1 selesai") {
            break message;
        }
    };
    let counts = broadcast_counts(&app, &people);
    let duplicates: usize = counts.values().map(|n| n.saturating_sub(1)).sum();
    assert!(
        duplicates <= 1,
        "at most the one message in flight at the crash: {duplicates}"
    );
    for person in &people {
        if person.id != blocked {
            assert!(counts[&person.id] >= 1, "{} got nothing", person.id);
        }
    }
    let expected = texts::broadcast_report(
        Lang::Id,
        1,
        kipp_bot::storage::DeliveryCounts {
            pending: 0,
            sent: 360 + 1, // the bureau member is among "everyone"
            failed: 0,
            blocked: 1,
        },
    );
    let expected_without_bureau = expected.as_str().replace("361 terkirim", "360 terkirim");
    assert!(
        report.text == expected || report.text == expected_without_bureau,
        "{}",
        report.text
    );
    assert!(app.fake.sent_to(blocked).is_empty());
}

/// How many copies of the broadcast each person received.
fn broadcast_counts(app: &TestApp, people: &[TgUser]) -> HashMap<i64, usize> {
    people
        .iter()
        .map(|person| {
            let copies = app
                .fake
                .sent_to(person.id)
                .iter()
                .filter(|sent| sent.text.contains("Rapat koordinasi KIPP"))
                .count();
            (person.id, copies)
        })
        .collect()
}
