//! Bounded storage: two weeks of activity (answers, digests with charts, reminders,
//! broadcasts), the clock moved a day at a time. The tables the bot prunes stop growing at
//! `RETENTION_DAYS` days of activity, while nothing recent or pending goes, the audit log stays
//! whole, and a replayed update is still recognised.

use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::Asia::Jakarta;
use kipp_bot::{
    domain::{Role, Transition},
    storage::{CampaignDate, NewMessage, OutboxSource, RowCounts},
};
use serde_json::json;

use crate::{fake_telegram::TgUser, helpers::TestApp, questionnaire::Staff};

const RETENTION_DAYS: usize = 3;
/// Day 0 is Tuesday 2026-05-05 (the test clock starts there at 06:00 WIB).
const DAYS: u32 = 13;

/// A local (WIB) time on day `day` of the simulation.
fn wib(day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    Jakarta
        .with_ymd_and_hms(2026, 5, 5 + day, hour, minute, 0)
        .unwrap()
        .with_timezone(&Utc)
}

/// Sets the test clock to a local (WIB) time on day `day` of the simulation.
fn at(app: &TestApp, day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    let utc = wib(day, hour, minute);
    app.clock.set(utc);
    utc
}

/// Reads away what the bot already sent to a chat; returns the texts.
async fn drain(app: &TestApp, chat: i64) -> Vec<String> {
    crate::helpers::drain(app, chat)
        .await
        .into_iter()
        .map(|sent| sent.text)
        .collect()
}

/// The rows a pruning at day `day` keeps: the last `RETENTION_DAYS` days' rows, plus `pinned`
/// rows of day 0 that must outlive the window.
fn kept(created: &[i64], day: usize, pinned: i64) -> i64 {
    let first = day.saturating_sub(RETENTION_DAYS);
    let window: i64 = created[first..day].iter().sum();
    if first > 0 { window + pinned } else { window }
}

/// A `/new` from `user` as Telegram sends it, with a given update id.
fn new_command(update_id: i64, user: &TgUser) -> String {
    json!({
        "update_id": update_id,
        "message": {
            "message_id": 900_000 + update_id,
            "date": 1_778_000_000,
            "chat": { "id": user.id, "type": "private", "first_name": user.first_name },
            "from": { "id": user.id, "is_bot": false, "first_name": user.first_name,
                      "username": user.username, "language_code": "id" },
            "text": "/new",
            "entities": [{ "type": "bot_command", "offset": 0, "length": 4 }],
        },
    })
    .to_string()
}

#[tokio::test]
async fn two_weeks_of_activity_keep_the_tables_bounded_and_lose_nothing_recent() {
    let mut app = TestApp::spawn_with(&[
        ("RETENTION_DAYS", "3"),
        ("REMINDER_OFFSETS", "2d,1d"),
        // Reminders only in the 07:30 run: the pruning at 00:30 and the 09:00 activity are
        // each counted on their own.
        ("QUIET_HOURS", "08:00-07:00"),
        ("PER_CHAT_INTERVAL_MS", "50"),
    ])
    .await;
    let start = app.storage.row_counts().await.unwrap();
    let pusdatin = app.add_unit("PUSDATIN", "Pusat Data dan Informasi").await;
    let koor = TgUser::new(6001, "Koor");
    app.register(&koor, Role::Coordinator, Some(&pusdatin))
        .await;
    let mut rina = Staff::register(&app, 6002, "Rina", &pusdatin).await;
    let bureau = app.bureau().await;
    let setup_time = at(&app, 0, 6, 0);
    // The first deadline: its reminders go out on days 0 and 1.
    app.storage
        .set_campaign_date(
            CampaignDate::UnitsDeadline,
            Some(wib(2, 7, 15)),
            None,
            setup_time,
        )
        .await
        .unwrap();

    // A message Telegram keeps failing: it waits for a retry a year away, and must stay.
    app.stop().await;
    app.storage
        .enqueue_messages(
            &[NewMessage {
                chat_id: rina.user.id,
                body: "menunggu percobaan ulang".into(),
                photo: None,
                keyboard: None,
                source: OutboxSource::Broadcast,
                broadcast_id: None,
            }],
            setup_time,
        )
        .await
        .unwrap();
    let retrying = app.storage.due_messages(setup_time, 10).await.unwrap();
    assert_eq!(retrying.len(), 1);
    assert!(app.storage.claim_message(retrying[0].id).await.unwrap());
    app.storage
        .retry_message(
            retrying[0].id,
            setup_time + chrono::Duration::days(365),
            "500 Internal Server Error",
        )
        .await
        .unwrap();
    app.start().await;

    let mut created: Vec<RowCounts> = Vec::new();
    let mut ends: Vec<RowCounts> = Vec::new();
    let mut new_updates: Vec<i64> = Vec::new();
    // Day 0's rows are counted from the start, the people's registrations included.
    let mut after_prune = start;
    assert_eq!(
        (start.handled_updates, start.outbox, start.digests_sent),
        (0, 0, 0)
    );
    let mut audit_before = start.audit_log;
    let rina_id = app
        .storage
        .user_by_telegram_id(rina.user.id)
        .await
        .unwrap()
        .unwrap()
        .id;

    println!("day  handled  outbox  reminders  digests  inbox  audit");
    for day in 0..DAYS {
        let index = day as usize;
        if day > 0 {
            // Just after midnight, the first planning of the day prunes.
            at(&app, day, 0, 30);
            app.run_scheduler().await;
            let today = chrono::NaiveDate::from_ymd_opt(2026, 5, 5 + day).unwrap();
            assert_eq!(app.storage.pruned_on().await.unwrap(), Some(today));
            after_prune = app.storage.row_counts().await.unwrap();
            let handled: Vec<i64> = created.iter().map(|c| c.handled_updates).collect();
            let outbox: Vec<i64> = created.iter().map(|c| c.outbox).collect();
            let digests: Vec<i64> = created.iter().map(|c| c.digests_sent).collect();
            // Exactly the last RETENTION_DAYS days are kept; also, from day 0, the handled
            // mark of an update still waiting in the inbox and the message waiting for a retry.
            assert_eq!(
                after_prune.handled_updates,
                kept(&handled, index, 1),
                "day {day}"
            );
            assert_eq!(after_prune.outbox, kept(&outbox, index, 1), "day {day}");
            assert_eq!(
                after_prune.digests_sent,
                kept(&digests, index, 0),
                "day {day}"
            );
            // Reminder marks go once their deadline is RETENTION_DAYS days past.
            let reminders = match day {
                1 => 1,
                2..=5 => 2,
                6 => 0,
                7 => 6,
                8..=11 => 6 + 7,
                _ => 0,
            };
            assert_eq!(after_prune.reminders_sent, reminders, "day {day}");
            // Never pruned: the pending update and the campaign's record.
            assert_eq!(after_prune.inbox, 1, "day {day}");
            assert!(after_prune.audit_log >= audit_before, "day {day}");
            audit_before = after_prune.audit_log;
        }

        // 07:30: the digests (the bureau's with its chart) and any reminder.
        at(&app, day, 7, 30);
        let report = app.run_scheduler().await;
        // Day 0 starts at 06:00: its first planning is this one, and prunes (nothing yet).
        if day > 0 {
            assert_eq!(report.pruned, None, "once a day");
        }
        drain(&app, rina.user.id).await;
        assert_eq!(drain(&app, koor.id).await.len(), 1, "day {day}");
        let digest = drain(&app, bureau.id).await;
        assert_eq!(digest.len(), 2, "chart and text, day {day}: {digest:?}");

        // 09:00: a new innovation with its title, and an announcement to everyone.
        let now = at(&app, day, 9, 0);
        let update_id = app.fake.send_text(&rina.user, "/new");
        rina.next().await;
        new_updates.push(update_id);
        rina.say(&format!("Inovasi Hari Ke-{day}")).await;
        if day == 0 {
            // As after a crash between the change and the update's removal from the inbox:
            // the already handled `/new` waits to be handled again after a restart.
            app.storage
                .store_inbox(&[(update_id, new_command(update_id, &rina.user))], now)
                .await
                .unwrap();
        }
        if day == 3 {
            // The first deadline has passed; the bureau sets a new one (reminders on days 6, 7).
            app.storage
                .set_campaign_date(CampaignDate::UnitsDeadline, Some(wib(8, 7, 15)), None, now)
                .await
                .unwrap();
        }
        if day == 8 {
            app.storage
                .change_innovation_state(1, Transition::Submit, rina_id, None, now)
                .await
                .unwrap();
        }
        drain(&app, bureau.id).await;
        app.say(&bureau, "/broadcast").await;
        let audience = app.say(&bureau, &format!("Pengumuman hari ke-{day}")).await;
        let everyone = audience.button("Semua").unwrap().data.clone();
        app.fake.press(&bureau, &audience, &everyone);
        let preview = app.fake.next_message(bureau.id).await;
        let send = preview.button("Kirim").unwrap().data.clone();
        app.fake.press(&bureau, &preview, &send);
        let finished = format!("✅ Pengumuman #{} selesai", day + 1);
        while !app
            .fake
            .next_message(bureau.id)
            .await
            .text
            .starts_with(&finished)
        {}
        let announcement = format!("Pengumuman hari ke-{day}");
        for chat in [rina.user.id, koor.id] {
            let read = drain(&app, chat).await;
            assert!(
                read.len() == 1 && read[0].contains(&announcement),
                "day {day}: {read:?}"
            );
        }
        assert_eq!(app.run_scheduler().await.pruned, None, "once a day");

        let end = app.storage.row_counts().await.unwrap();
        println!(
            "{day:>3}  {:>7}  {:>6}  {:>9}  {:>7}  {:>5}  {:>5}",
            end.handled_updates,
            end.outbox,
            end.reminders_sent,
            end.digests_sent,
            end.inbox,
            end.audit_log
        );
        ends.push(end);
        created.push(RowCounts {
            handled_updates: end.handled_updates - after_prune.handled_updates,
            outbox: end.outbox - after_prune.outbox,
            digests_sent: end.digests_sent - after_prune.digests_sent,
            ..RowCounts::default()
        });
    }

    // Each day after the first brought the same activity...
    for day in 2..created.len() {
        assert_eq!(
            created[day].handled_updates, created[1].handled_updates,
            "day {day}"
        );
        assert_eq!(created[day].digests_sent, 2, "day {day}");
    }
    assert!(created[1].handled_updates > 0);
    // ... and, once the window was full, the tables stopped growing.
    assert_eq!(
        after_prune.handled_updates,
        RETENTION_DAYS as i64 * created[1].handled_updates + 1
    );
    assert_eq!(after_prune.digests_sent, RETENTION_DAYS as i64 * 2);
    let (last, before_last) = (ends[ends.len() - 1], ends[ends.len() - 2]);
    assert_eq!(last.handled_updates, before_last.handled_updates);
    assert_eq!(last.outbox, before_last.outbox);
    assert_eq!(last.digests_sent, before_last.digests_sent);
    let busiest_day = created.iter().map(|c| c.outbox).max().unwrap_or(0);
    for (day, end) in ends.iter().enumerate() {
        assert!(
            end.outbox <= (RETENTION_DAYS as i64 + 1) * busiest_day + 1,
            "day {day}: {end:?}"
        );
    }
    // Still waiting for its retry, a year later.
    assert_eq!(
        app.storage
            .due_messages(setup_time + chrono::Duration::days(366), 10)
            .await
            .unwrap()
            .len(),
        1
    );

    // The audit log is whole, from the first day on, and so is the innovations' history.
    assert_eq!(last.innovation_events, 1);
    let audit = app.storage.recent_audit(u32::MAX).await.unwrap();
    assert_eq!(audit.len() as i64, last.audit_log);
    assert!(
        audit.iter().any(|entry| entry.at <= setup_time),
        "the first day's entries are kept"
    );

    // Yesterday's `/new` arrives again too; after a restart both waiting updates are handled,
    // and neither creates an innovation twice: day 0's mark outlived the window because its
    // update waited in the inbox, yesterday's is within it.
    let innovations = app.storage.innovations(None).await.unwrap().len();
    assert_eq!(innovations, DAYS as usize);
    let yesterday = new_updates[new_updates.len() - 2];
    let now = kipp_bot::clock::Clock::now(&app.clock);
    app.storage
        .store_inbox(&[(yesterday, new_command(yesterday, &rina.user))], now)
        .await
        .unwrap();
    app.restart().await;
    rina.next().await;
    rina.next().await;
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while app.storage.row_counts().await.unwrap().inbox > 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "the inbox is replayed"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(
        app.storage.innovations(None).await.unwrap().len(),
        innovations
    );
    // A restart on the same day does not prune again.
    assert_eq!(app.run_scheduler().await.pruned, None);
}
