//! Chaos: many staff walk the dialog while the real `kipp-bot` process is killed with SIGKILL
//! and restarted on the same database, and the fake Telegram answers a share of calls with 429,
//! 500 or a stall. A broadcast goes out in the middle of it. Nothing acknowledged may be lost,
//! everyone must finish, and nothing may arrive twice beyond one message in flight per kill.
//!
//! CI size: `CHAOS_STAFF` (default 200) staff, at least 5 kills. The benchmark variant is the
//! same test with more staff: `CHAOS_STAFF=1000 cargo test --release --test e2e chaos -- --nocapture`.

use std::{
    collections::HashMap,
    path::Path,
    process::{Child, Command, Stdio},
    sync::Arc,
    time::{Duration, Instant},
};

use chrono::Utc;
use kipp_bot::{
    domain::{Audience, Lang, Role, UnitCode, UnitName},
    storage::{BroadcastStatus, NewMessage, OutboxSource, Storage},
};
use sha2::{Digest, Sha256};

use crate::{
    fake_telegram::{FakeTelegram, TgUser},
    helpers::{TOKEN, repo_path},
    questionnaire::kipp2025,
    simulation::{Patience, walk_dialog},
};

const BROADCAST_TEXT: &str = "Pengumuman uji kekacauan";

fn start_bot(dir: &Path, fake: &FakeTelegram) -> Child {
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join("bot.log"))
        .unwrap();
    Command::new(env!("CARGO_BIN_EXE_kipp-bot"))
        .env_clear()
        .current_dir(dir)
        .env("TELOXIDE_TOKEN", TOKEN)
        .env("TELOXIDE_API_URL", &fake.url)
        .env(
            "DATABASE_URL",
            format!("sqlite://{}", dir.join("kipp.db").display()),
        )
        .env("EVIDENCE_DIR", dir.join("evidence"))
        .env("DIALOG_FILE", dir.join("kipp2025-uncapped.toml"))
        .env("BUREAU_ADMINS", "9")
        // No digests or reminders in the way: this test is about answers and a broadcast.
        .env("DIGEST_TIME", "23:59")
        .env("QUIET_HOURS", "off")
        .env("SEND_RATE_PER_SECOND", "200")
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("kipp-bot starts")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_finish_and_nothing_is_lost_or_doubled_while_the_bot_is_killed() {
    let staff_count: usize = std::env::var("CHAOS_STAFF")
        .ok()
        .and_then(|raw| raw.parse().ok())
        .unwrap_or(200);
    let fake = FakeTelegram::start(TOKEN).await;
    let dir = tempfile::tempdir().unwrap();
    // The real questionnaire, without the agency-wide cap of 15 (every simulated person starts
    // an innovation).
    let dialog_text = std::fs::read_to_string(repo_path("dialogs/kipp2025.toml"))
        .unwrap()
        .replace("max_innovations = 15", "max_innovations = 100000");
    std::fs::write(dir.path().join("kipp2025-uncapped.toml"), dialog_text).unwrap();
    let db_url = format!("sqlite://{}", dir.path().join("kipp.db").display());

    // People are registered straight in the database, as `kipp-bot invite` + /start would.
    let storage = Storage::connect(&db_url).await.unwrap();
    let now = Utc::now();
    let unit = storage
        .add_unit(
            &UnitCode::parse("PUSDATIN").unwrap(),
            &UnitName::parse("Pusat Data dan Informasi").unwrap(),
            None,
            now,
        )
        .await
        .unwrap();
    let created = kipp_bot::people::create_invitation(
        &storage,
        "kipp_test_bot",
        Role::Staff,
        Some(unit),
        staff_count as u32,
        kipp_bot::domain::Lifetime::parse("1d").unwrap(),
        None,
        now,
    )
    .await
    .unwrap();
    let token =
        kipp_bot::domain::InviteToken::parse(created.link.rsplit('=').next().unwrap()).unwrap();
    let mut staff = Vec::new();
    for n in 0..staff_count {
        let user = TgUser::new(100_000 + n as i64, &format!("Staf{n}"));
        storage
            .register_with_invitation(
                &token,
                &kipp_bot::storage::UserProfile {
                    telegram_id: user.id,
                    display_name: user.first_name.clone(),
                    username: None,
                },
                Lang::Id,
                now,
            )
            .await
            .unwrap()
            .unwrap();
        staff.push(user);
    }

    let mut bot = start_bot(dir.path(), &fake);
    fake.set_chaos(0.05, 0x5EED);
    let started = Instant::now();
    let dialog = Arc::new(kipp2025());
    let walkers: Vec<_> = staff
        .iter()
        .cloned()
        .map(|user| {
            let fake = fake.clone();
            let dialog = dialog.clone();
            tokio::spawn(async move {
                let patience = Patience {
                    reply: Duration::from_secs(4),
                    give_up: Duration::from_secs(1200),
                    think: Duration::ZERO,
                };
                let walk = walk_dialog(&fake, &user, &dialog, &patience).await;
                (user, walk)
            })
        })
        .collect();

    // The killer: SIGKILL at irregular moments while people are walking, six times.
    const KILLS: usize = 6;
    let mut kills = 0;
    let mut rng_state: u64 = 0xC0FFEE;
    while kills < KILLS && !walkers.iter().all(|walker| walker.is_finished()) {
        rng_state ^= rng_state << 13;
        rng_state ^= rng_state >> 7;
        rng_state ^= rng_state << 17;
        tokio::time::sleep(Duration::from_millis(1000 + rng_state % 2000)).await;
        if kills == 2 {
            queue_broadcast(&storage, &staff).await;
        }
        bot.kill().unwrap(); // SIGKILL
        bot.wait().unwrap();
        kills += 1;
        bot = start_bot(dir.path(), &fake);
    }
    assert!(
        kills >= 5,
        "the walk ended before five kills; use more staff"
    );
    fake.stop_chaos();
    let mut walks = Vec::new();
    for walker in walkers {
        walks.push(walker.await.unwrap());
    }

    // Wait for the broadcast to be fully delivered.
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let counts = storage.delivery_counts(1).await.unwrap();
        if counts.pending == 0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the broadcast never finished: {counts:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    bot.kill().unwrap();
    bot.wait().unwrap();

    let unfinished: Vec<i64> = walks
        .iter()
        .filter(|(_, walk)| !walk.finished)
        .map(|(u, _)| u.id)
        .collect();
    let updates: u64 = walks.iter().map(|(_, walk)| walk.updates_sent).sum();
    let nudges: u64 = walks.iter().map(|(_, walk)| walk.nudges).sum();

    // Every innovation is complete in the database, and every upload is there byte for byte.
    let mut incomplete = 0;
    let mut files_missing = 0;
    let mut files_checked = 0;
    let innovations = storage.innovations(None).await.unwrap();
    let mut evidence_by_sha: HashMap<String, String> = HashMap::new();
    for innovation in &innovations {
        let answers = storage.answers(innovation.id).await.unwrap();
        let evidence = storage.evidence(innovation.id).await.unwrap();
        let progress = dialog.progress_from(
            answers
                .iter()
                .map(|row| {
                    (
                        kipp_bot::dialog::AnswerKey::item(row.question_id.clone(), row.item),
                        row.value.clone(),
                    )
                })
                .collect(),
            evidence.iter().fold(HashMap::new(), |mut counts, file| {
                *counts
                    .entry(kipp_bot::dialog::AnswerKey::item(
                        file.question_id.clone(),
                        file.item,
                    ))
                    .or_insert(0) += 1;
                counts
            }),
        );
        if !dialog.missing(&progress).is_empty() {
            incomplete += 1;
        }
        for file in evidence {
            evidence_by_sha.insert(file.sha256.clone(), file.stored_path.clone());
        }
    }
    // Every file the bot acknowledged is stored, byte for byte as some walker sent it (a
    // walker may also send a file for a question that moved on while it waited: the bot
    // refuses that one, and it need not be stored).
    let sent: HashMap<String, &Vec<u8>> = walks
        .iter()
        .flat_map(|(_, walk)| walk.files.iter())
        .map(|bytes| (hex::encode(Sha256::digest(bytes)), bytes))
        .collect();
    let acknowledged: u64 = walks.iter().map(|(_, walk)| walk.files_acknowledged).sum();
    for (sha, path) in &evidence_by_sha {
        files_checked += 1;
        let on_disk = std::fs::read(dir.path().join("evidence").join(path)).unwrap();
        match sent.get(sha) {
            Some(bytes) => assert_eq!(&on_disk, *bytes, "stored byte for byte"),
            None => panic!("a stored file no walker sent: {path}"),
        }
    }
    let stored = evidence_by_sha.len() as u64;
    if stored < acknowledged {
        files_missing = acknowledged - stored;
    }

    // The broadcast: everyone once, at most one extra copy per kill (the one in flight).
    let mut copies: HashMap<i64, usize> = HashMap::new();
    for person in &staff {
        let count = fake
            .sent_to(person.id)
            .iter()
            .filter(|sent| sent.text.contains(BROADCAST_TEXT))
            .count();
        copies.insert(person.id, count);
    }
    let not_reached = copies.values().filter(|count| **count == 0).count();
    let duplicates: usize = copies.values().map(|count| count.saturating_sub(1)).sum();

    let log = std::fs::read_to_string(dir.path().join("bot.log")).unwrap_or_default();
    println!(
        "chaos: staff={staff_count} kills={kills} updates={updates} nudges={nudges} \
         faults_injected={} innovations={} incomplete={incomplete} unfinished={} \
         files_checked={files_checked} files_missing={files_missing} broadcast_not_reached={not_reached} \
         broadcast_duplicates={duplicates} seconds={:.1}",
        fake.chaos_injected(),
        innovations.len(),
        unfinished.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(kills >= 5);
    assert!(
        unfinished.is_empty(),
        "staff who could not finish: {unfinished:?}"
    );
    assert_eq!(
        innovations.len(),
        staff_count,
        "one innovation each, none lost, none doubled"
    );
    assert_eq!(incomplete, 0);
    assert_eq!(files_missing, 0);
    assert_eq!(not_reached, 0);
    assert!(
        duplicates <= kills,
        "{duplicates} duplicates for {kills} kills"
    );
    assert!(
        !log.contains(TOKEN.split_once(':').unwrap().1),
        "the token leaked into the log"
    );
    assert!(!log.contains("panicked"), "the bot panicked:\n{log}");
}

/// Queues a broadcast to every staff member straight in the database (as the bureau's
/// "Send" does), while the bot is running and being killed.
async fn queue_broadcast(storage: &Storage, staff: &[TgUser]) {
    let now = Utc::now();
    let bureau = storage
        .user_by_telegram_id(9)
        .await
        .unwrap()
        .expect("the bureau admin exists");
    let id = storage.start_broadcast(bureau.id, now).await.unwrap();
    storage
        .update_broadcast_draft(
            id,
            BroadcastStatus::Preview,
            Some(BROADCAST_TEXT),
            Some(&Audience::Everyone),
        )
        .await
        .unwrap();
    let messages: Vec<NewMessage> = staff
        .iter()
        .map(|person| NewMessage {
            chat_id: person.id,
            body: kipp_bot::bot::texts::broadcast_message(Lang::Id, BROADCAST_TEXT).into_string(),
            photo: None,
            keyboard: None,
            source: OutboxSource::Broadcast,
            broadcast_id: Some(id),
        })
        .collect();
    assert!(
        storage
            .queue_broadcast(id, bureau.id, &messages, now)
            .await
            .unwrap()
    );
}
