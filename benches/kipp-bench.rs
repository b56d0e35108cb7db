//! kipp-bench: load and broadcast benchmarks against the real `kipp-bot` binary.
//!
//!     cargo bench --bench kipp-bench -- load --users 1000
//!     cargo bench --bench kipp-bench -- load --users 500 --think-ms 1000
//!     cargo bench --bench kipp-bench -- broadcast --recipients 10000 --rate 30
//!
//! The bot runs as its own process (the release binary) against a fake Bot API server in this
//! process on 127.0.0.1, so the bot's CPU and memory are measured apart from the simulated
//! users'. Without `--think-ms` every simulated person answers the moment a question arrives:
//! the bot is saturated, which measures its CPU per update and its throughput, and the reply
//! latency is then just the queue (Little's law: staff / throughput). With `--think-ms T` each
//! pauses about T ms before each answer, as people do, which measures latency below saturation.
//! Figures and the machine they came from go into BENCHMARKS.md.

// Tests and benchmarks may panic: a failed expectation is how they report.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::string_slice,
    clippy::arithmetic_side_effects
)]

#[path = "../tests/e2e/fake_telegram.rs"]
mod fake_telegram;
#[path = "../tests/e2e/simulation.rs"]
mod simulation;

use std::{
    path::Path,
    process::{Child, Command, Stdio},
    sync::Arc,
    time::{Duration, Instant},
};

use chrono::Utc;
use fake_telegram::{FakeTelegram, TgUser};
use kipp_bot::{
    dialog::Dialog,
    domain::{Audience, InviteToken, Lang, Lifetime, Role, UnitCode, UnitName},
    storage::{BroadcastStatus, NewMessage, OutboxSource, Storage, UserProfile},
};
use simulation::{Patience, walk_dialog};

const TOKEN: &str = "123456789:BENCH-token_abcdefghijklmnopqrstuvwxyz";
const BUREAU_ID: i64 = 9;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let flag = |name: &str, default: u64| -> u64 {
        args.iter()
            .position(|arg| arg == name)
            .and_then(|at| args.get(at + 1))
            .and_then(|value| value.parse().ok())
            .unwrap_or(default)
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a runtime");
    match args.first().map(String::as_str) {
        Some("load") => runtime.block_on(load(
            flag("--users", 100) as usize,
            Duration::from_millis(flag("--think-ms", 0)),
        )),
        Some("broadcast") => runtime.block_on(broadcast(
            flag("--recipients", 10_000) as usize,
            flag("--rate", 30),
        )),
        _ => eprintln!(
            "usage: cargo bench --bench kipp-bench -- load --users N [--think-ms T]\n       cargo bench --bench kipp-bench -- broadcast --recipients N --rate R"
        ),
    }
}

/// A temporary data folder with the questionnaire (uncapped: every simulated person starts an
/// innovation) and `count` registered staff of one unit.
async fn prepare(dir: &Path, count: usize, first_id: i64) -> (Storage, Vec<TgUser>) {
    let dialog = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/dialogs/kipp2025.toml"
    ))
    .unwrap()
    .replace("max_innovations = 15", "max_innovations = 100000");
    std::fs::write(dir.join("dialog.toml"), dialog).unwrap();
    let storage = Storage::connect(&format!("sqlite://{}", dir.join("kipp.db").display()))
        .await
        .unwrap();
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
    let token = InviteToken::generate();
    storage
        .create_invitation(
            kipp_bot::storage::NewInvitation {
                token: &token,
                role: Role::Staff,
                unit_id: Some(unit.id),
                max_uses: count.max(1) as u32,
                expires_at: now + Lifetime::default().duration(),
                created_by: None,
            },
            now,
        )
        .await
        .unwrap();
    let mut people = Vec::new();
    for n in 0..count {
        let user = TgUser::new(first_id + n as i64, &format!("Staf{n}"));
        let profile = UserProfile {
            telegram_id: user.id,
            display_name: user.first_name.clone(),
            username: None,
        };
        storage
            .register_with_invitation(&token, &profile, Lang::Id, now)
            .await
            .unwrap()
            .unwrap();
        people.push(user);
    }
    (storage, people)
}

fn start_bot(dir: &Path, fake: &FakeTelegram, extra: &[(&str, &str)]) -> Child {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kipp-bot"));
    command
        .env_clear()
        .current_dir(dir)
        .env("TELOXIDE_TOKEN", TOKEN)
        .env("TELOXIDE_API_URL", &fake.url)
        .env(
            "DATABASE_URL",
            format!("sqlite://{}", dir.join("kipp.db").display()),
        )
        .env("EVIDENCE_DIR", dir.join("evidence"))
        .env("DIALOG_FILE", dir.join("dialog.toml"))
        .env("BUREAU_ADMINS", BUREAU_ID.to_string())
        .env("DIGEST_TIME", "23:59")
        .env("QUIET_HOURS", "off")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
    for (key, value) in extra {
        command.env(key, value);
    }
    // `BENCH_BOT_ENV="MALLOC_ARENA_MAX=2 RUST_LOG=debug"` passes settings to the bot under
    // test, to measure one knob at a time without editing this file.
    if let Ok(settings) = std::env::var("BENCH_BOT_ENV") {
        for (key, value) in settings
            .split_whitespace()
            .filter_map(|pair| pair.split_once('='))
        {
            command.env(key, value);
        }
    }
    command
        .spawn()
        .expect("kipp-bot starts (cargo bench builds it)")
}

/// CPU seconds (user + system) of a process, from /proc.
fn cpu_seconds(pid: &str) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap_or_default();
    let ticks: f64 = fields.get(11).and_then(|f| f.parse().ok()).unwrap_or(0.0)
        + fields.get(12).and_then(|f| f.parse().ok()).unwrap_or(0.0);
    ticks / 100.0
}

/// Peak resident memory (VmHWM) in MB.
fn peak_rss_mb(pid: &str) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| {
            rest.trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<f64>()
                .ok()
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

fn file_mb(path: &Path) -> f64 {
    std::fs::metadata(path)
        .map(|m| m.len() as f64 / 1_048_576.0)
        .unwrap_or(0.0)
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index].as_secs_f64() * 1000.0
}

async fn wait_until_polling(fake: &FakeTelegram) {
    let started = Instant::now();
    while fake.get_updates_calls() == 0 {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the bot did not start"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn load(users: usize, think: Duration) {
    let dir = tempfile::tempdir().unwrap();
    let (storage, staff) = prepare(dir.path(), users, 100_000).await;
    storage.close().await;
    let fake = FakeTelegram::start(TOKEN).await;
    let mut bot = start_bot(dir.path(), &fake, &[]);
    let pid = bot.id().to_string();
    wait_until_polling(&fake).await;
    let _ = fake.take_latencies();

    let dialog = Arc::new(Dialog::load(dir.path().join("dialog.toml")).unwrap());
    let bot_cpu_before = cpu_seconds(&pid);
    let own_cpu_before = cpu_seconds("self");
    let started = Instant::now();
    let walkers: Vec<_> = staff
        .into_iter()
        .map(|user| {
            let fake = fake.clone();
            let dialog = dialog.clone();
            tokio::spawn(async move {
                let patience = Patience {
                    reply: Duration::from_secs(30),
                    give_up: Duration::from_secs(3600),
                    think,
                };
                walk_dialog(&fake, &user, &dialog, &patience).await
            })
        })
        .collect();
    let mut updates = 0;
    let mut finished = 0;
    let mut files = 0;
    for walker in walkers {
        let walk = walker.await.unwrap();
        updates += walk.updates_sent;
        files += walk.files.len();
        finished += usize::from(walk.finished);
    }
    let wall = started.elapsed().as_secs_f64();
    let bot_cpu = cpu_seconds(&pid) - bot_cpu_before;
    let own_cpu = cpu_seconds("self") - own_cpu_before;
    let peak = peak_rss_mb(&pid);
    let mut latencies = fake.take_latencies();
    latencies.sort();
    let db = file_mb(&dir.path().join("kipp.db")) + file_mb(&dir.path().join("kipp.db-wal"));
    bot.kill().ok();
    bot.wait().ok();
    println!(
        "load users={users} think_ms={} finished={finished} updates={updates} files={files} wall_s={wall:.1} \
         updates_per_s={:.0} latency_ms p50={:.1} p95={:.1} p99={:.1} \
         bot_cpu_ms_per_update={:.3} bot_cpu_s_per_1000={:.3} users_cpu_s_per_1000={:.3} \
         bot_peak_rss_mb={peak:.1} db_mb={db:.1}",
        think.as_millis(),
        updates as f64 / wall,
        percentile(&latencies, 0.50),
        percentile(&latencies, 0.95),
        percentile(&latencies, 0.99),
        bot_cpu * 1000.0 / updates as f64,
        bot_cpu * 1000.0 / updates as f64,
        own_cpu * 1000.0 / updates as f64,
    );
}

async fn broadcast(recipients: usize, rate: u64) {
    let dir = tempfile::tempdir().unwrap();
    let (storage, people) = prepare(dir.path(), recipients, 1_000_000).await;
    let fake = FakeTelegram::start(TOKEN).await;
    // The fake enforces Telegram's limits: over them, a 429.
    fake.enforce_limits(rate as usize, Duration::from_secs(1));
    let rate_text = rate.to_string();
    let mut bot = start_bot(dir.path(), &fake, &[("SEND_RATE_PER_SECOND", &rate_text)]);
    let pid = bot.id().to_string();
    wait_until_polling(&fake).await;

    let now = Utc::now();
    let bureau = loop {
        if let Some(user) = storage.user_by_telegram_id(BUREAU_ID).await.unwrap() {
            break user;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let id = storage.start_broadcast(bureau.id, now).await.unwrap();
    let text = "Pengumuman benchmark";
    storage
        .update_broadcast_draft(
            id,
            BroadcastStatus::Preview,
            Some(text),
            Some(&Audience::Everyone),
        )
        .await
        .unwrap();
    let messages: Vec<NewMessage> = people
        .iter()
        .map(|person| NewMessage {
            chat_id: person.id,
            body: kipp_bot::bot::texts::broadcast_message(Lang::Id, text).into_string(),
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
    let queued_at = Instant::now();
    loop {
        let counts = storage.delivery_counts(id).await.unwrap();
        if counts.pending == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    // Accepted deliveries only (a refused 429 attempt is not a delivery).
    let mut calls: Vec<Instant> = fake
        .all_sent()
        .into_iter()
        .filter(|sent| sent.text.contains(text))
        .map(|sent| sent.at)
        .collect();
    calls.sort();
    let delivered_per_chat = people
        .iter()
        .map(|person| {
            fake.sent_to(person.id)
                .iter()
                .filter(|sent| sent.text.contains(text))
                .count()
        })
        .collect::<Vec<_>>();
    let duplicates: usize = delivered_per_chat.iter().map(|n| n.saturating_sub(1)).sum();
    let missing = delivered_per_chat.iter().filter(|n| **n == 0).count();
    let span = match (calls.first(), calls.last()) {
        (Some(first), Some(last)) => last.duration_since(*first).as_secs_f64(),
        _ => 0.0,
    };
    let throughput = if span > 0.0 {
        (calls.len() - 1) as f64 / span
    } else {
        0.0
    };
    let bot_cpu = cpu_seconds(&pid);
    let peak = peak_rss_mb(&pid);
    bot.kill().ok();
    bot.wait().ok();
    println!(
        "broadcast recipients={recipients} rate_limit={rate}/s delivered={} missing={missing} \
         duplicates={duplicates} span_s={span:.1} total_s={:.1} throughput={throughput:.2}/s \
         fraction_of_limit={:.1}% provoked_429={} bot_cpu_s={bot_cpu:.2} bot_peak_rss_mb={peak:.1}",
        calls.len(),
        queued_at.elapsed().as_secs_f64(),
        throughput / rate as f64 * 100.0,
        fake.limit_violations(),
    );
}
