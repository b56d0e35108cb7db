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
            turns: Arc::default(),
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
                context.turns.clone(),
                Duration::from_secs(10),
            )
        };
        let storage = context.storage.clone();
        let turns = context.turns.clone();
        let mut dispatcher = Dispatcher::builder(self.bot.clone(), bot::schema())
            .dependencies(dptree::deps![context.clone()])
            // All in teloxide's one worker, side by side: the listener keeps each chat's
            // updates in order (`Turns`).
            .distribution_function(|_| None::<()>)
            .default_handler(move |update| {
                let storage = storage.clone();
                let turn = turns.take(&update);
                async move {
                    let _turn = turn;
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

/// Dispatches until stopped. teloxide first asks Telegram `getMe`; if that fails (Telegram
/// down at start), it is asked again instead of giving up.
async fn dispatch(
    dispatcher: &mut Dispatcher<Bot, BotError, ()>,
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
