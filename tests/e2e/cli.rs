//! The real `kipp-bot` binary, as an operator runs it: `unit add`, `invite`, then the bot itself.

use std::{
    path::Path,
    process::{Child, Command, Output, Stdio},
};

use kipp_bot::{
    bot::texts,
    domain::{Lang, Role},
};

use crate::{
    fake_telegram::{FakeTelegram, TgUser},
    helpers::{TOKEN, repo_path, token_of},
};

fn kipp_bot(dir: &Path, fake_url: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kipp-bot"));
    command
        .env_clear()
        .current_dir(dir)
        .env("TELOXIDE_TOKEN", TOKEN)
        .env("TELOXIDE_API_URL", fake_url)
        .env(
            "DATABASE_URL",
            format!("sqlite://{}", dir.join("db/kipp.db").display()),
        )
        .env("EVIDENCE_DIR", dir.join("evidence"))
        .env("DIALOG_FILE", repo_path("dialogs/kipp2025.toml"))
        .env("RUST_LOG", "debug");
    command
}

fn run(mut command: Command) -> Output {
    let output = command.output().expect("kipp-bot runs");
    assert!(
        output.status.success(),
        "kipp-bot failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The next message to `chat`, skipping the daily digest (the real clock decides when it comes).
async fn next_reply(fake: &FakeTelegram, chat: i64) -> crate::fake_telegram::Sent {
    loop {
        let sent = fake.next_message(chat).await;
        if !sent.text.starts_with("📊") {
            return sent;
        }
    }
}

/// Waits until the running bot has finished every update it fetched.
async fn wait_until_inbox_is_empty(dir: &Path) {
    let url = format!("sqlite://{}", dir.join("db/kipp.db").display());
    let storage = kipp_bot::storage::Storage::connect(&url)
        .await
        .expect("the bot's database");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while storage.row_counts().await.expect("counts").inbox > 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "updates still unfinished after 30 s"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    storage.close().await;
}

fn start_bot(dir: &Path, fake_url: &str) -> Running {
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join("bot.log"))
        .unwrap();
    let child = kipp_bot(dir, fake_url)
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("the bot starts");
    Running(child)
}

// Multi-threaded: the CLI runs block this thread while the fake server must keep answering.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operator_invites_from_the_command_line_and_the_bot_keeps_people_across_restarts() {
    let fake = FakeTelegram::start(TOKEN).await;
    let dir = tempfile::tempdir().unwrap();
    let mut add = kipp_bot(dir.path(), &fake.url);
    add.args([
        "unit",
        "add",
        "--code",
        "UPT-ACEH",
        "--name",
        "UPT Perpustakaan Aceh",
    ]);
    run(add);
    let mut invite = kipp_bot(dir.path(), &fake.url);
    invite.args([
        "invite",
        "--role",
        "coordinator",
        "--unit",
        "upt-aceh",
        "--uses",
        "2",
        "--expires",
        "3d",
    ]);
    let output = run(invite);
    let link = String::from_utf8(output.stdout).unwrap().trim().to_owned();
    assert!(
        link.starts_with("https://t.me/kipp_test_bot?start="),
        "{link}"
    );

    let bot = start_bot(dir.path(), &fake.url);
    let cut = TgUser::new(7001, "Cut");
    fake.send_text(&cut, &format!("/start {}", token_of(&link)));
    let welcome = next_reply(&fake, cut.id).await;
    assert_eq!(
        welcome.text,
        texts::registered(
            Lang::Id,
            "Cut",
            Role::Coordinator,
            Some("UPT Perpustakaan Aceh")
        )
    );
    let stranger = TgUser::new(7002, "Orang");
    fake.send_text(&stranger, "halo");
    assert_eq!(
        fake.next_message(stranger.id).await.text,
        texts::stranger(Lang::Id)
    );
    // Both updates are finished (left the inbox) before the kill; otherwise the restarted bot
    // rightly handles the unfinished one again (a second "welcome back" for Cut).
    wait_until_inbox_is_empty(dir.path()).await;
    drop(bot); // SIGKILL

    let _bot = start_bot(dir.path(), &fake.url);
    fake.send_text(&cut, "/whoami");
    let whoami = next_reply(&fake, cut.id).await;
    assert_eq!(
        whoami.text,
        texts::whoami(
            Lang::Id,
            "Cut",
            7001,
            Role::Coordinator,
            Some(("UPT-ACEH", "UPT Perpustakaan Aceh"))
        )
    );
    fake.send_text(&stranger, "/start");
    assert_eq!(
        fake.next_message(stranger.id).await.text,
        texts::stranger(Lang::Id)
    );

    let log = std::fs::read_to_string(dir.path().join("bot.log")).unwrap();
    assert!(
        !log.contains(TOKEN.split_once(':').unwrap().1),
        "the token leaked into the log"
    );
}

#[test]
fn a_missing_or_malformed_setting_stops_the_start_with_one_clear_sentence() {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_kipp-bot"))
        .env_clear()
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("TELOXIDE_TOKEN") && stderr.contains("@BotFather"),
        "{stderr}"
    );
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");

    let secret = "123456:THIS_IS_SECRET_but_the_tz_is_wrong";
    let output = Command::new(env!("CARGO_BIN_EXE_kipp-bot"))
        .env_clear()
        .current_dir(dir.path())
        .env("TELOXIDE_TOKEN", secret)
        .env("BOT_TIMEZONE", "Jakarta")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("BOT_TIMEZONE") && stderr.contains("Asia/Jakarta"),
        "{stderr}"
    );
    assert!(!stderr.contains("SECRET"));

    let output = Command::new(env!("CARGO_BIN_EXE_kipp-bot"))
        .env_clear()
        .current_dir(dir.path())
        .env("TELOXIDE_TOKEN", "not-a-token-SECRET")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("TELOXIDE_TOKEN") && !stderr.contains("SECRET"),
        "{stderr}"
    );
}

#[test]
fn check_dialog_passes_the_real_file_and_names_every_line_of_a_broken_copy() {
    let dir = tempfile::tempdir().unwrap();
    let run = |file: &std::path::Path| {
        Command::new(env!("CARGO_BIN_EXE_kipp-bot"))
            .env_clear()
            .current_dir(dir.path())
            .args(["check-dialog", file.to_str().unwrap()])
            .output()
            .unwrap()
    };
    let good = run(&repo_path("dialogs/kipp2025.toml"));
    assert!(
        good.status.success(),
        "{}",
        String::from_utf8_lossy(&good.stderr)
    );
    let broken = std::fs::read_to_string(repo_path("dialogs/kipp2025.toml"))
        .unwrap()
        .replacen("max_chars = 150", "max_chars = \"many\"", 1)
        .replacen("type = \"single_choice\"", "type = \"dropdown\"", 1)
        .replacen("max_innovations = 15", "max_innovations = 0", 1);
    let path = dir.path().join("broken.toml");
    std::fs::write(&path, broken).unwrap();
    let output = run(&path);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    let lines = stderr
        .lines()
        .filter(|line| line.starts_with("line "))
        .count();
    assert!(lines >= 3, "every problem, each with its line:\n{stderr}");
}
