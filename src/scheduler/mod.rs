//! The one scheduler for all timed work: deadline reminders, daily digests and the outbox that
//! delivers them (and broadcasts). Its state lives in the database, so a restart neither loses
//! nor repeats anything; time comes from the injected clock, so tests move time instead of
//! sleeping. Sending speed is paced in real time (Telegram's limits are about real seconds).
//! Once a day it also prunes what the bot no longer needs (`retention`).

mod outbox;
mod planning;
mod retention;

use std::{future::Future, panic::AssertUnwindSafe, sync::Arc, time::Duration};

use futures::FutureExt;
use tokio::sync::Mutex;

pub use outbox::DeliveryReport;
pub use planning::{due_offset, in_quiet_hours};

use crate::{
    app::{App, AppError},
    config::ScheduleSettings,
    storage::Pruned,
    telegram::{RetryPolicy, TelegramClient},
};

/// What can stop one tick (the loop logs it and tries again).
#[derive(Debug, thiserror::Error)]
pub enum SchedulerError {
    #[error(transparent)]
    Storage(#[from] crate::storage::StorageError),
    #[error(transparent)]
    App(#[from] AppError),
    #[error(transparent)]
    Telegram(#[from] crate::telegram::TelegramError),
}

/// How often the loop looks for due work when nothing wakes it.
const TICK: Duration = Duration::from_secs(1);
/// The loop plans reminders and digests at most this often, in real time. What is due is read
/// from the bot's clock; how often the loop looks is pacing, like [`TICK`]. Measured in real
/// time, a test that moves the injected clock and then calls [`Scheduler::run_once`] cannot have
/// the loop plan the same work in between (and report it as its own).
const PLANNING_INTERVAL: Duration = Duration::from_secs(60);

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TickReport {
    pub reminders_queued: u32,
    pub digests_queued: u32,
    pub delivery: DeliveryReport,
    /// What the day's pruning deleted, when it ran in this tick.
    pub pruned: Option<Pruned>,
}

pub struct Scheduler {
    ctx: Arc<App>,
    settings: ScheduleSettings,
    /// One tick at a time, whether from the loop or from `run_once`.
    state: Mutex<State>,
}

struct State {
    sender: outbox::Sender,
    /// When the loop (or `run_once`) last planned, in real time.
    last_planned: std::time::Instant,
}

impl Scheduler {
    /// `telegram` is the transport the outbox sends with (the scheduler knows no chat handlers).
    pub fn new(ctx: Arc<App>, telegram: TelegramClient, settings: ScheduleSettings) -> Arc<Self> {
        // The outbox handles 429s itself (pausing everything), and a stalled call counts as a
        // failure after 10 s instead of holding the queue.
        let client = telegram
            .clone()
            .with_timeout(Duration::from_secs(10))
            .with_retry_policy(RetryPolicy {
                max_attempts: 3,
                max_retry_after: Duration::from_secs(60),
                wait_on_rate_limit: false,
            });
        let sender = outbox::Sender::new(client, telegram, &settings);
        Arc::new(Self {
            ctx,
            settings,
            state: Mutex::new(State {
                sender,
                // The first planning comes one interval after the start: a restart delays
                // reminders by at most a minute, never sends them twice (marks are stored).
                last_planned: std::time::Instant::now(),
            }),
        })
    }

    /// Plans what is due at the clock's "now", delivers every due message, and prunes old rows
    /// if today's pruning has not run yet. Tests call this after moving the clock; the loop
    /// calls it every tick.
    pub async fn run_once(&self) -> Result<TickReport, SchedulerError> {
        self.tick(true).await
    }

    async fn tick(&self, force_planning: bool) -> Result<TickReport, SchedulerError> {
        let mut state = self.state.lock().await;
        let now = self.ctx.now();
        let mut report = TickReport::default();
        let plan = force_planning || state.last_planned.elapsed() >= PLANNING_INTERVAL;
        if plan {
            report.reminders_queued =
                planning::plan_reminders(&self.ctx, &self.settings, now).await?;
            report.digests_queued = planning::plan_digests(&self.ctx, &self.settings, now).await?;
            state.last_planned = std::time::Instant::now();
        }
        report.delivery = state.sender.deliver_due(&self.ctx).await?;
        // After sending, so that pruning never holds a message back.
        if plan {
            report.pruned = retention::prune_if_due(&self.ctx, &self.settings, now).await?;
        }
        Ok(report)
    }

    /// Runs until `shutdown` completes.
    pub async fn run_until(self: Arc<Self>, shutdown: impl Future<Output = ()>) {
        match self.ctx.storage.release_claimed_messages().await {
            Ok(0) => {}
            Ok(released) => {
                tracing::info!(released, "messages in flight at the last stop go out again")
            }
            Err(error) => tracing::error!(%error, "cannot release claimed messages"),
        }
        tokio::pin!(shutdown);
        loop {
            let work = async {
                // A panic in one tick (a digest, a reminder) must not end the loop: every
                // later reminder, digest and broadcast would silently stop.
                match AssertUnwindSafe(self.tick(false)).catch_unwind().await {
                    Ok(Ok(_)) => {}
                    Ok(Err(error)) => {
                        tracing::error!(%error, "scheduled work failed; trying again shortly");
                    }
                    Err(_) => {
                        tracing::error!("scheduled work panicked; trying again shortly");
                    }
                }
                tokio::select! {
                    () = self.ctx.outbox_wake.notified() => {}
                    () = tokio::time::sleep(TICK) => {}
                }
            };
            tokio::select! {
                () = &mut shutdown => break,
                () = work => {}
            }
        }
    }
}
