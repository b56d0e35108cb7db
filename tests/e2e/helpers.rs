//! `TestApp`: the real bot, in-process, on its own temporary database, polling a fake Telegram.

#![allow(dead_code)]

use std::{collections::HashMap, path::PathBuf, sync::Arc, time::Duration};

use chrono::{TimeZone, Utc};
use kipp_bot::{
    clock::{Clock, ManualClock},
    config::Settings,
    domain::{Lifetime, Role, UnitCode, UnitName},
    people,
    scheduler::{Scheduler, TickReport},
    startup::Application,
    storage::{Storage, Unit},
};
use tokio::{sync::oneshot, task::JoinHandle};

use crate::fake_telegram::{BOT_USERNAME, FakeTelegram, Sent, TgUser};

pub const TOKEN: &str = "123456789:TEST-token_abcdefghijklmnopqrstuvwxyz";
pub const BUREAU_ID: i64 = 5001;

pub struct TestApp {
    pub fake: FakeTelegram,
    pub clock: ManualClock,
    pub storage: Storage,
    dir: tempfile::TempDir,
    env: HashMap<String, String>,
    running: Option<(oneshot::Sender<()>, JoinHandle<()>)>,
    scheduler: Option<Arc<Scheduler>>,
}

impl TestApp {
    /// A running bot with one bureau admin (`BUREAU_ID`) and no units.
    pub async fn spawn() -> Self {
        Self::spawn_with(&[]).await
    }

    pub async fn spawn_with(extra_env: &[(&str, &str)]) -> Self {
        // RUST_LOG=debug cargo test ... shows the bot's logs for a failing test.
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
            .with_test_writer()
            .try_init();
        let fake = FakeTelegram::start(TOKEN).await;
        let dir = tempfile::tempdir().expect("temp dir");
        let mut env: HashMap<String, String> = HashMap::from([
            ("TELOXIDE_TOKEN".into(), TOKEN.into()),
            ("TELOXIDE_API_URL".into(), fake.url.clone()),
            (
                "DATABASE_URL".into(),
                format!("sqlite://{}", dir.path().join("kipp.db").display()),
            ),
            (
                "EVIDENCE_DIR".into(),
                dir.path().join("evidence").display().to_string(),
            ),
            ("BUREAU_ADMINS".into(), BUREAU_ID.to_string()),
            (
                "DIALOG_FILE".into(),
                repo_path("dialogs/kipp2025.toml").display().to_string(),
            ),
        ]);
        for (key, value) in extra_env {
            env.insert((*key).into(), (*value).into());
        }
        // Early on a Tuesday in Jakarta (23:00 UTC = 06:00 WIB), before the 07:00 digest.
        let clock = ManualClock::new(Utc.with_ymd_and_hms(2026, 5, 4, 23, 0, 0).unwrap());
        let settings = settings_from(&env);
        let storage = Storage::connect(&settings.database_url)
            .await
            .expect("test database");
        let mut app = Self {
            fake,
            clock,
            storage,
            dir,
            env,
            running: None,
            scheduler: None,
        };
        app.start().await;
        app
    }

    /// Changes a setting for the next start, e.g. another `DIALOG_FILE`.
    pub fn set_env(&mut self, key: &str, value: &str) {
        self.env.insert(key.into(), value.into());
    }

    pub fn settings(&self) -> Settings {
        settings_from(&self.env)
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().to_path_buf()
    }

    pub async fn start(&mut self) {
        assert!(self.running.is_none(), "already running");
        let clock: Arc<dyn Clock> = Arc::new(self.clock.clone());
        let app = Application::build(&self.settings(), clock)
            .await
            .expect("the bot starts");
        self.scheduler = Some(app.scheduler().clone());
        let (stop, stopped) = oneshot::channel::<()>();
        let handle = tokio::spawn(async move {
            app.run_until(async {
                let _ = stopped.await;
            })
            .await;
        });
        self.running = Some((stop, handle));
    }

    /// A graceful stop: updates in flight are finished, then polling ends.
    pub async fn stop(&mut self) {
        if let Some((stop, handle)) = self.running.take() {
            let _ = stop.send(());
            tokio::time::timeout(Duration::from_secs(60), handle)
                .await
                .expect("the bot stops within a minute")
                .expect("the bot task did not panic");
        }
    }

    /// Stops abruptly: the task is aborted wherever it is, as a crash would.
    pub async fn crash(&mut self) {
        if let Some((_, handle)) = self.running.take() {
            handle.abort();
            let _ = handle.await;
        }
    }

    pub async fn restart(&mut self) {
        self.stop().await;
        self.start().await;
    }

    /// Runs the scheduler's due work now (at the test clock's time) and waits for it.
    pub async fn run_scheduler(&self) -> TickReport {
        self.scheduler
            .as_ref()
            .expect("the bot is running")
            .run_once()
            .await
            .expect("scheduled work runs")
    }

    /// Registers `count` people directly in the database (no Telegram round trip), with ids
    /// from `first_id` on.
    pub async fn add_people(
        &self,
        first_id: i64,
        count: usize,
        role: Role,
        unit: Option<&Unit>,
    ) -> Vec<TgUser> {
        let link = self.invitation(role, unit, count as u32, "7d").await;
        let token = kipp_bot::domain::InviteToken::parse(token_of(&link)).unwrap();
        let mut people = Vec::new();
        for n in 0..count {
            let user = TgUser::new(first_id + n as i64, &format!("Orang {n}"));
            self.storage
                .register_with_invitation(
                    &token,
                    &kipp_bot::storage::UserProfile {
                        telegram_id: user.id,
                        display_name: user.first_name.clone(),
                        username: user.username.clone(),
                    },
                    kipp_bot::domain::Lang::Id,
                    kipp_bot::clock::Clock::now(&self.clock),
                )
                .await
                .expect("storage works")
                .expect("the invitation has room");
            people.push(user);
        }
        people
    }

    pub async fn add_unit(&self, code: &str, name: &str) -> Unit {
        self.storage
            .add_unit(
                &UnitCode::parse(code).unwrap(),
                &UnitName::parse(name).unwrap(),
                None,
                kipp_bot::clock::Clock::now(&self.clock),
            )
            .await
            .expect("unit added")
    }

    /// An invitation link made the way `kipp-bot invite` makes it.
    pub async fn invitation(
        &self,
        role: Role,
        unit: Option<&Unit>,
        uses: u32,
        lifetime: &str,
    ) -> String {
        people::create_invitation(
            &self.storage,
            BOT_USERNAME,
            role,
            unit.cloned(),
            uses,
            Lifetime::parse(lifetime).unwrap(),
            None,
            kipp_bot::clock::Clock::now(&self.clock),
        )
        .await
        .expect("invitation created")
        .link
    }

    /// Sends a text and returns the bot's first reply.
    pub async fn say(&self, user: &TgUser, text: &str) -> Sent {
        self.fake.send_text(user, text);
        self.fake.next_message(user.id).await
    }

    /// Registers `user` through a fresh invitation; returns the welcome message.
    pub async fn register(&self, user: &TgUser, role: Role, unit: Option<&Unit>) -> Sent {
        let link = self.invitation(role, unit, 1, "7d").await;
        self.say(user, &format!("/start {}", token_of(&link))).await
    }

    pub async fn bureau(&self) -> TgUser {
        let user = TgUser::new(BUREAU_ID, "Bu Rina");
        self.say(&user, "/start").await;
        user
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some((_, handle)) = self.running.take() {
            handle.abort();
        }
    }
}

/// Messages to `chat` not read before.
pub async fn drain(app: &TestApp, chat: i64) -> Vec<Sent> {
    let mut new = Vec::new();
    while let Some(sent) = app.fake.try_next_message(chat, Duration::ZERO).await {
        new.push(sent);
    }
    new
}

/// A text in both languages, for assertions that accept either.
pub fn both(text: fn(kipp_bot::domain::Lang) -> kipp_bot::texts::Html) -> [String; 2] {
    [
        text(kipp_bot::domain::Lang::Id).into_string(),
        text(kipp_bot::domain::Lang::En).into_string(),
    ]
}

pub fn token_of(link: &str) -> &str {
    link.rsplit_once("?start=").expect("a deep link").1
}

fn settings_from(env: &HashMap<String, String>) -> Settings {
    Settings::from_lookup(|name| env.get(name).cloned()).expect("valid test settings")
}

pub fn repo_path(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(relative)
}
