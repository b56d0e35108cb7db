//! Building and running the bot: database, Telegram client, dispatcher, and a clean shutdown.

use std::{future::Future, sync::Arc, time::Duration};

use teloxide::{dispatching::Dispatcher, error_handlers::ErrorHandler, prelude::*};

use crate::{
    app::App,
    bot::{self, BotContext, BotError},
    clock::Clock,
    config::{ConfigError, Settings},
    dialog::Dialog,
    scheduler::Scheduler,
    storage::{Storage, StorageError},
    telegram::{DurablePolling, TelegramClient, TelegramError},
};

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error(
        "cannot reach the Telegram Bot API at {url} ({source}); check TELOXIDE_TOKEN and TELOXIDE_API_URL"
    )]
    Telegram { url: String, source: TelegramError },
    #[error("the bot account has no @username; set one with @BotFather")]
    NoUsername,
    #[error("DIALOG_FILE: {0}")]
    Dialog(#[from] crate::dialog::LoadError),
    #[error("cannot create EVIDENCE_DIR {path}: {source}")]
    EvidenceDir {
        path: String,
        source: std::io::Error,
    },
}

pub struct Application {
    context: Arc<BotContext>,
    scheduler: Arc<Scheduler>,
    bot: Bot,
}

impl Application {
    /// Opens the database (migrating it), makes the `BUREAU_ADMINS` bureau members, and asks
    /// Telegram who the bot is. Fails with a clear error before anything is sent.
    pub async fn build(settings: &Settings, clock: Arc<dyn Clock>) -> Result<Self, StartupError> {
        let token = settings.token()?.clone();
        // An invalid questionnaire stops the start before anything else happens.
        let dialog = Arc::new(Dialog::load(&settings.dialog_file)?);
        let storage = Storage::connect(&settings.database_url).await?;
        let now = clock.now();
        for telegram_id in &settings.bureau_admins {
            storage.ensure_bureau_admin(*telegram_id, now).await?;
        }
        std::fs::create_dir_all(&settings.evidence_dir).map_err(|source| {
            StartupError::EvidenceDir {
                path: settings.evidence_dir.display().to_string(),
                source,
            }
        })?;

        let telegram = TelegramClient::new(token.clone(), settings.api_url.clone());
        let me = telegram
            .get_me()
            .await
            .map_err(|source| StartupError::Telegram {
                url: telegram.api_url().to_string(),
                source,
            })?;
        let bot_username = me.user.username.clone().ok_or(StartupError::NoUsername)?;
        storage.save_bot_username(&bot_username).await?;

        let mut bot = Bot::new(token.expose_secret());
        if let Some(url) = &settings.api_url {
            bot = bot.set_api_url(url.clone());
        }
        let app = Arc::new(App {
            storage,
            clock,
            timezone: settings.timezone,
            bot_username,
            dialog,
            evidence_dir: settings.evidence_dir.clone(),
            outbox_wake: Arc::new(tokio::sync::Notify::new()),
            stale_days: settings.schedule.stale_days,
            snapshots: Default::default(),
        });
        let context = Arc::new(BotContext {
            app,
            telegram,
            panic_trigger: settings.test_panic_text.clone(),
        });
        let scheduler = Scheduler::new(
            context.app.clone(),
            context.telegram.clone(),
            settings.schedule.clone(),
        );
        if let Err(error) = context.set_public_menu().await {
            tracing::warn!(%error, "could not set the default command menu");
        }
        Ok(Self {
            context,
            scheduler,
            bot,
        })
    }

    pub fn context(&self) -> &Arc<BotContext> {
        &self.context
    }

    /// The scheduler, e.g. for tests to run due work right after moving the clock.
    pub fn scheduler(&self) -> &Arc<Scheduler> {
        &self.scheduler
    }

    /// Runs until Ctrl-C / SIGTERM.
    pub async fn run_until_stopped(self) {
        self.run_until(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await;
    }

    /// Runs until `shutdown` completes; updates in flight are finished first.
    pub async fn run_until(self, shutdown: impl Future<Output = ()> + Send) {
        tracing::info!(bot = %self.context.bot_username, "kipp-bot is running");
        let context = self.context.clone();
        if let Err(error) = context.telegram.delete_webhook().await {
            tracing::warn!(%error, "could not make sure no webhook is set");
        }
        let listener = || {
            DurablePolling::new(
                context.telegram.clone(),
                context.storage.clone(),
                context.clock.clone(),
                Duration::from_secs(10),
            )
        };
        let storage = context.storage.clone();
        let mut dispatcher = Dispatcher::builder(self.bot.clone(), bot::schema())
            .dependencies(dptree::deps![context.clone()])
            .distribution_function(chat_lane)
            .default_handler(move |update| {
                let storage = storage.clone();
                async move {
                    tracing::debug!(update_id = update.id.0, "update of a kind kipp-bot ignores");
                    let _ = storage.finish_update(i64::from(update.id.0)).await;
                }
            })
            .error_handler(Arc::new(LogErrors))
            .build();
        let shutdown_token = dispatcher.shutdown_token();
        let (stop_scheduler, scheduler_stopped) = tokio::sync::oneshot::channel::<()>();
        // Both run inside this one future (not a spawned task), so whoever drops it (a crash
        // test, an abort) stops everything at once.
        let scheduling = self.scheduler.clone().run_until(async {
            let _ = scheduler_stopped.await;
        });
        let dispatching = async {
            let dispatching = dispatch(&mut dispatcher, listener);
            tokio::pin!(dispatching);
            tokio::select! {
                () = &mut dispatching => {}
                () = shutdown => {
                    tracing::info!("shutting down");
                    // The returned future completes when dispatching does, and dispatching is
                    // only driven by the await below: awaiting the former first would deadlock.
                    // An idle dispatcher (still asking Telegram `getMe`, e.g. a stop right after
                    // the start) has nothing in flight: it is dropped instead of awaited, which
                    // would never end. Updates already fetched wait in the inbox.
                    if shutdown_token.shutdown().is_ok() {
                        dispatching.await;
                    }
                }
            }
            let _ = stop_scheduler.send(());
        };
        tokio::join!(dispatching, scheduling);
        self.context.storage.close().await;
    }
}

/// How many updates are handled at once, at most: each chat is in one lane (by its id), a lane
/// handles its updates one after the other, in order, and lanes run side by side.
///
/// teloxide's default is one lane per chat, and each lane's queue holds a block of 32 updates of
/// about 2 KB each once used: 62 KB per chat that wrote recently, 62 MB at 1,000 active staff
/// (BENCHMARKS.md). With 128 lanes that is at most 8 MB. Not fewer: a lane waits for each of its
/// calls to Telegram, so the lanes are also how many calls are in flight at once. With 32 lanes
/// the bot used 15–20 MB less at 1,000 staff in the load benchmark (whose fake Telegram answers
/// at once), but the chaos test (Telegram stalling 2 s on one call in twenty) took 460 s instead
/// of 27: people sharing a lane waited behind each other's stalls. Real Telegram takes tens to
/// hundreds of milliseconds per call.
const CHAT_LANES: i64 = 128;

fn chat_lane(update: &Update) -> Option<i64> {
    update.chat().map(|chat| chat.id.0.rem_euclid(CHAT_LANES))
}

/// Dispatches until stopped. teloxide first asks Telegram `getMe`; if that fails (Telegram
/// down at start), it is asked again instead of giving up.
async fn dispatch(
    dispatcher: &mut Dispatcher<Bot, BotError, i64>,
    listener: impl Fn() -> DurablePolling,
) {
    loop {
        match dispatcher
            .try_dispatch_with_listener(listener(), Arc::new(LogListenerErrors))
            .await
        {
            Ok(()) => return,
            Err(error) => {
                tracing::warn!(%error, "cannot start dispatching yet; retrying");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

struct LogErrors;

impl ErrorHandler<BotError> for LogErrors {
    fn handle_error(self: Arc<Self>, error: BotError) -> futures::future::BoxFuture<'static, ()> {
        tracing::error!(%error, "update handling failed");
        Box::pin(async {})
    }
}

struct LogListenerErrors;

impl ErrorHandler<std::convert::Infallible> for LogListenerErrors {
    fn handle_error(
        self: Arc<Self>,
        error: std::convert::Infallible,
    ) -> futures::future::BoxFuture<'static, ()> {
        match error {}
    }
}
