//! Delivering the outbox within Telegram's limits.
//!
//! Messages go out one at a time, in order, at most `send_rate_per_second` in any second and
//! `per_chat_interval` per chat. A 429 pauses all sending for its `retry_after`; 5xx answers
//! and timeouts are retried (a few times at once by the client, then later with backoff); a
//! person who blocked the bot is marked and not retried. One message in flight at a time means a
//! crash can repeat at most that one message.
//!
//! A text longer than Telegram allows (a broadcast of 4096 characters plus its header, a long
//! digest) stays one outbox row and goes out part by part, cut by [`split`]: each part is one
//! send (within the rate limits, one second apart in its chat, other chats going on meanwhile),
//! and the row records how many parts Telegram accepted (`parts_sent`). A part that fails is
//! retried alone, so no part is sent twice (a crash can repeat at most the part in flight), and
//! the parts stay in order. The keyboard goes under the last part; a photo carries the first
//! part as its caption, the others follow as texts. Broadcast counts stay one per recipient.

use std::{collections::HashMap, time::Duration};

use chrono::{DateTime, Utc};
use tokio::time::Instant;

use super::SchedulerError;
use crate::{
    app::App,
    config::ScheduleSettings,
    storage::{Broadcast, OutboxKeyboard, OutboxMessage},
    telegram::{Backoff, Button, Keyboard, SendOptions, TelegramClient, TelegramError, split},
    texts::{self, Html},
};

/// Give a message up after this many failed rounds (each round already retried by the client).
const MAX_ROUNDS: i64 = 8;
/// Between failed rounds of one message: 1 s, 2 s, 4 s… (at most 1024 s; with `MAX_ROUNDS`
/// rounds the longest wait is 128 s).
const ROUND_BACKOFF: Backoff = Backoff {
    first: Duration::from_secs(1),
    factor: 2,
    max: Duration::from_secs(1024),
};
/// Extra spacing on top of the rate window (1% at 30 messages a second).
const WINDOW_MARGIN: Duration = Duration::from_millis(10);
/// How often a broadcast's progress line is edited.
const PROGRESS_EVERY: Duration = Duration::from_secs(2);

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeliveryReport {
    pub sent: u32,
    pub retried: u32,
    pub failed: u32,
    pub blocked: u32,
}

pub struct Sender {
    client: TelegramClient,
    /// For the broadcast's final report to its author: a reply that waits out a 429 instead of
    /// handing it back (the outbox's own client hands it back to pause all sending).
    replies: TelegramClient,
    /// At most `burst` messages in any `window` (Telegram counts per second, so with 30/s:
    /// 30 in any second, sent as fast as the window allows).
    burst: usize,
    window: Duration,
    recent: std::collections::VecDeque<Instant>,
    per_chat: Duration,
    last_to_chat: HashMap<i64, Instant>,
    paused_until: Option<Instant>,
    progress_edited: HashMap<i64, Instant>,
}

impl Sender {
    pub fn new(
        client: TelegramClient,
        replies: TelegramClient,
        settings: &ScheduleSettings,
    ) -> Self {
        Self {
            client,
            replies,
            burst: settings.send_rate_per_second.floor().max(1.0) as usize,
            window: Duration::from_secs_f64(
                settings.send_rate_per_second.floor().max(1.0) / settings.send_rate_per_second,
            ),
            recent: std::collections::VecDeque::new(),
            per_chat: settings.per_chat_interval,
            last_to_chat: HashMap::new(),
            paused_until: None,
            progress_edited: HashMap::new(),
        }
    }

    /// Sends everything due now; returns when nothing due is left.
    pub async fn deliver_due(&mut self, ctx: &App) -> Result<DeliveryReport, SchedulerError> {
        let mut report = DeliveryReport::default();
        loop {
            let due = ctx.storage.due_messages(ctx.now(), 500).await?;
            if due.is_empty() {
                break;
            }
            let mut sent_any = false;
            let mut soonest_chat_slot: Option<Instant> = None;
            for message in due {
                // Telegram allows about one message a second per chat: others go first.
                if let Some(last) = self.last_to_chat.get(&message.chat_id) {
                    let free_at = last.checked_add(self.per_chat).unwrap_or(*last);
                    if free_at > Instant::now() {
                        soonest_chat_slot =
                            Some(soonest_chat_slot.map_or(free_at, |s| s.min(free_at)));
                        continue;
                    }
                }
                self.wait_for_slot().await;
                if !ctx.storage.claim_message(message.id).await? {
                    continue;
                }
                sent_any = true;
                self.send_one(ctx, &message, &mut report).await?;
                if message.broadcast_id.is_some() {
                    self.report_progress(ctx, false).await?;
                }
            }
            if !sent_any {
                match soonest_chat_slot {
                    Some(at) => tokio::time::sleep_until(at).await,
                    // Everything due was claimed elsewhere.
                    None => break,
                }
            }
        }
        self.report_progress(ctx, true).await?;
        // A chat whose interval has passed needs no mark: the map holds only the chats written
        // to within the last interval, not every chat ever written to.
        let per_chat = self.per_chat;
        self.last_to_chat.retain(|_, at| at.elapsed() < per_chat);
        Ok(report)
    }

    async fn wait_for_slot(&mut self) {
        if let Some(until) = self.paused_until.take() {
            tokio::time::sleep_until(until).await;
        }
        if self.recent.len() >= self.burst
            && let Some(oldest) = self.recent.pop_front()
        {
            let free_at = oldest
                .checked_add(self.window.saturating_add(WINDOW_MARGIN))
                .unwrap_or(oldest);
            tokio::time::sleep_until(free_at).await;
        }
    }

    /// Remembers when a send *finished*: Telegram received it before then, so counting the
    /// window from here keeps it within the limit whatever the delays on the way.
    fn record_send(&mut self) {
        self.recent.push_back(Instant::now());
    }

    async fn send_one(
        &mut self,
        ctx: &App,
        message: &OutboxMessage,
        report: &mut DeliveryReport,
    ) -> Result<(), SchedulerError> {
        let keyboard = message.keyboard.as_ref().map(markup);
        let parts = match &message.photo {
            Some(_) => split::caption_parts(&message.body),
            None => split::text_parts(&message.body),
        };
        let done = usize::try_from(message.parts_sent).unwrap_or(0);
        let Some(part) = parts.get(done) else {
            // Every part went out before (the text was cut differently by an older version).
            ctx.storage.mark_sent(message.id, ctx.now()).await?;
            report.sent = report.sent.saturating_add(1);
            return Ok(());
        };
        let last = done.saturating_add(1) >= parts.len();
        // The row holds what `Html::as_str` gave when it was queued; `split` cuts it between tags.
        let part = Html::from_outbox(part.clone());
        let result = match &message.photo {
            Some(png) if done == 0 => self
                .client
                .send_photo(
                    message.chat_id,
                    "kemajuan-kipp.png",
                    png.clone(),
                    (!part.is_empty()).then_some(&part),
                )
                .await
                .map(drop),
            _ => self
                .client
                .send_text(
                    message.chat_id,
                    &part,
                    SendOptions {
                        keyboard: if last { keyboard } else { None },
                        ..SendOptions::default()
                    },
                )
                .await
                .map(drop),
        };
        self.last_to_chat.insert(message.chat_id, Instant::now());
        self.record_send();
        match result {
            Ok(()) if last => {
                ctx.storage.mark_sent(message.id, ctx.now()).await?;
                report.sent = report.sent.saturating_add(1);
            }
            Ok(()) => {
                let parts_sent = i64::try_from(done.saturating_add(1)).unwrap_or(i64::MAX);
                ctx.storage
                    .mark_parts_sent(message.id, parts_sent, ctx.now())
                    .await?;
            }
            Err(TelegramError::RateLimited { retry_after, .. }) => {
                tracing::warn!(
                    ?retry_after,
                    "Telegram asks to slow down; pausing all sending"
                );
                self.paused_until = Instant::now().checked_add(retry_after);
                ctx.storage
                    .retry_message(message.id, ctx.now(), "429 Too Many Requests")
                    .await?;
                report.retried = report.retried.saturating_add(1);
            }
            Err(error) if error.is_unreachable() => {
                ctx.storage
                    .give_up_message(message.id, true, &error.to_string())
                    .await?;
                report.blocked = report.blocked.saturating_add(1);
            }
            Err(error @ TelegramError::Unavailable { .. }) if message.attempts < MAX_ROUNDS => {
                // `attempts` counts the rounds before this one: this is failed round attempts + 1.
                let round = u32::try_from(message.attempts.max(0))
                    .unwrap_or(u32::MAX)
                    .saturating_add(1);
                let delay = chrono::Duration::from_std(ROUND_BACKOFF.delay(round))
                    .unwrap_or(chrono::Duration::MAX);
                ctx.storage
                    .retry_message(
                        message.id,
                        ctx.now()
                            .checked_add_signed(delay)
                            .unwrap_or(DateTime::<Utc>::MAX_UTC),
                        &error.to_string(),
                    )
                    .await?;
                report.retried = report.retried.saturating_add(1);
            }
            Err(error) => {
                tracing::warn!(%error, id = message.id, "giving a message up");
                ctx.storage
                    .give_up_message(message.id, false, &error.to_string())
                    .await?;
                report.failed = report.failed.saturating_add(1);
            }
        }
        Ok(())
    }

    /// Edits each running broadcast's progress line (at most every 2 s unless `finishing`),
    /// and reports to its author once everything is processed.
    async fn report_progress(&mut self, ctx: &App, finishing: bool) -> Result<(), SchedulerError> {
        let broadcasts = ctx.storage.sending_broadcasts().await?;
        // Only running broadcasts keep their last-edit mark.
        self.progress_edited
            .retain(|id, _| broadcasts.iter().any(|broadcast| broadcast.id == *id));
        for broadcast in broadcasts {
            let due = self
                .progress_edited
                .get(&broadcast.id)
                .is_none_or(|at| at.elapsed() >= PROGRESS_EVERY);
            if !finishing && !due {
                continue;
            }
            let counts = ctx.storage.delivery_counts(broadcast.id).await?;
            self.progress_edited.insert(broadcast.id, Instant::now());
            let Some(author) = ctx.storage.user_by_id(broadcast.author_user_id).await? else {
                continue;
            };
            self.edit_progress(&broadcast, author.telegram_id, author.lang, counts)
                .await;
            if counts.pending == 0
                && ctx
                    .storage
                    .finish_broadcast(broadcast.id, ctx.now())
                    .await?
            {
                let report = texts::broadcast_report(author.lang, broadcast.id, counts);
                if let Err(error) = self
                    .replies
                    .send_text(author.telegram_id, &report, SendOptions::default())
                    .await
                {
                    tracing::warn!(%error, "could not send a broadcast report");
                }
            }
        }
        Ok(())
    }

    async fn edit_progress(
        &self,
        broadcast: &Broadcast,
        chat_id: i64,
        lang: crate::domain::Lang,
        counts: crate::storage::DeliveryCounts,
    ) {
        let Some(message_id) = broadcast
            .progress_message_id
            .and_then(|id| i32::try_from(id).ok())
        else {
            return;
        };
        let text = texts::broadcast_progress(lang, broadcast.id, counts, broadcast.recipients);
        if let Err(error) = self
            .replies
            .edit_text(chat_id, message_id, &text, None)
            .await
        {
            tracing::debug!(%error, "could not edit a broadcast's progress line");
        }
    }
}

/// A queued keyboard as the transport sends it.
fn markup(keyboard: &OutboxKeyboard) -> Keyboard {
    Keyboard::new(keyboard.rows.iter().map(|row| {
        row.iter()
            .map(|button| Button::callback(button.text.clone(), button.callback_data.clone()))
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Keyboards queued before were stored as the Bot API's JSON: the outbox's own type writes
    /// and reads that same text.
    #[test]
    fn a_queued_keyboard_is_stored_as_the_bot_api_writes_it() {
        let ours = OutboxKeyboard {
            rows: vec![
                vec![
                    crate::storage::OutboxButton {
                        text: "▶️ Lanjutkan #7".to_owned(),
                        callback_data: "r:7".to_owned(),
                    },
                    crate::storage::OutboxButton {
                        text: "b".to_owned(),
                        callback_data: "x".to_owned(),
                    },
                ],
                Vec::new(),
            ],
        };
        let theirs = markup(&ours);
        let stored = serde_json::to_string(&theirs).unwrap();
        assert_eq!(serde_json::to_string(&ours).unwrap(), stored);
        assert_eq!(
            serde_json::from_str::<OutboxKeyboard>(&stored).unwrap(),
            ours
        );
    }
}
