//! The durable outbox (reminders, digests, broadcasts) and the records that keep each
//! reminder and digest to one per person.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{FromRow, Sqlite, Transaction};

use super::{
    Result, Storage, begin_write, from_db_time, from_stored_json, to_db_time, to_stored_json,
};

/// What queued a message. Stored as its snake_case name, like every enum here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[sqlx(rename_all = "snake_case")]
pub enum OutboxSource {
    Reminder,
    Digest,
    Broadcast,
}

/// A text, or a photo with the text as its caption.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[sqlx(rename_all = "snake_case")]
pub enum MessageKind {
    Text,
    Photo,
}

/// Where a queued message stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[sqlx(rename_all = "snake_case")]
pub enum OutboxStatus {
    /// Waiting for its turn (or for its next part, or a retry).
    Pending,
    /// Claimed by the sender; back to pending at start if a crash left it here.
    Sending,
    Sent,
    /// Given up after errors.
    Failed,
    /// The person blocked the bot (or left the chat): not retried.
    Blocked,
}

/// Why a reminder was recorded: queued, or passed over because a later one was due already.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[sqlx(rename_all = "snake_case")]
enum ReminderOutcome {
    Queued,
    Superseded,
}

/// Buttons under a queued message, each carrying callback data. Stored as JSON in the shape of
/// the Bot API's `InlineKeyboardMarkup` (`{"inline_keyboard":[[{"text":…,"callback_data":…}]]}`),
/// so the storage needs no Telegram types and rows written before read the same.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxKeyboard {
    #[serde(rename = "inline_keyboard")]
    pub rows: Vec<Vec<OutboxButton>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxButton {
    pub text: String,
    pub callback_data: String,
}

impl OutboxKeyboard {
    /// One button on one row.
    pub fn button(text: impl Into<String>, callback_data: impl Into<String>) -> Self {
        Self {
            rows: vec![vec![OutboxButton {
                text: text.into(),
                callback_data: callback_data.into(),
            }]],
        }
    }
}

/// A message to queue. `photo` makes it a photo with `body` as its caption.
#[derive(Debug, Clone)]
pub struct NewMessage {
    pub chat_id: i64,
    pub body: String,
    pub photo: Option<Vec<u8>>,
    pub keyboard: Option<OutboxKeyboard>,
    pub source: OutboxSource,
    pub broadcast_id: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct OutboxMessage {
    pub id: i64,
    pub chat_id: i64,
    pub kind: MessageKind,
    pub body: String,
    pub photo: Option<Vec<u8>>,
    /// `None` also when the stored keyboard no longer reads: the text still goes out.
    pub keyboard: Option<OutboxKeyboard>,
    pub source: OutboxSource,
    pub broadcast_id: Option<i64>,
    pub attempts: i64,
    /// Parts of a long message already accepted by Telegram.
    pub parts_sent: i64,
}

#[derive(FromRow)]
struct OutboxRow {
    id: i64,
    chat_id: i64,
    kind: MessageKind,
    body: String,
    photo: Option<Vec<u8>>,
    keyboard: Option<String>,
    source: OutboxSource,
    broadcast_id: Option<i64>,
    attempts: i64,
    parts_sent: i64,
}

impl From<OutboxRow> for OutboxMessage {
    fn from(row: OutboxRow) -> Self {
        Self {
            id: row.id,
            chat_id: row.chat_id,
            kind: row.kind,
            body: row.body,
            photo: row.photo,
            keyboard: row
                .keyboard
                .as_deref()
                .and_then(|raw| from_stored_json(raw, "keyboard", &row.id.to_string())),
            source: row.source,
            broadcast_id: row.broadcast_id,
            attempts: row.attempts,
            parts_sent: row.parts_sent,
        }
    }
}

/// How a broadcast's messages stand.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeliveryCounts {
    pub pending: u32,
    pub sent: u32,
    pub failed: u32,
    pub blocked: u32,
}

pub(crate) async fn enqueue(
    tx: &mut Transaction<'_, Sqlite>,
    message: &NewMessage,
    now: DateTime<Utc>,
) -> Result<()> {
    let keyboard = message.keyboard.as_ref().map(to_stored_json).transpose()?;
    sqlx::query(
        "INSERT INTO outbox (chat_id, kind, body, photo, keyboard, source, broadcast_id,
             next_attempt_at, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
    )
    .bind(message.chat_id)
    .bind(if message.photo.is_some() {
        MessageKind::Photo
    } else {
        MessageKind::Text
    })
    .bind(&message.body)
    .bind(message.photo.as_deref())
    .bind(keyboard)
    .bind(message.source)
    .bind(message.broadcast_id)
    .bind(to_db_time(now))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Storage {
    pub async fn enqueue_messages(
        &self,
        messages: &[NewMessage],
        now: DateTime<Utc>,
    ) -> Result<()> {
        let mut writer = self.writer().await?;
        let mut tx = begin_write(&mut writer).await?;
        for message in messages {
            enqueue(&mut tx, message, now).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Records that a reminder is due and queues it, once: returns false when this person
    /// already had this reminder (for this innovation, offset and deadline).
    #[allow(clippy::too_many_arguments)]
    pub async fn queue_reminder(
        &self,
        user_id: i64,
        innovation_key: i64,
        offset_minutes: i64,
        deadline: DateTime<Utc>,
        message: Option<&NewMessage>,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let mut writer = self.writer().await?;
        let mut tx = begin_write(&mut writer).await?;
        let first_time = sqlx::query(
            "INSERT INTO reminders_sent (user_id, innovation_key, offset_minutes, deadline_at,
                 outcome, at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING",
        )
        .bind(user_id)
        .bind(innovation_key)
        .bind(offset_minutes)
        .bind(to_db_time(deadline))
        .bind(if message.is_some() {
            ReminderOutcome::Queued
        } else {
            ReminderOutcome::Superseded
        })
        .bind(to_db_time(now))
        .execute(&mut *tx)
        .await?
        .rows_affected()
            > 0;
        if !first_time {
            return Ok(false);
        }
        if let Some(message) = message {
            enqueue(&mut tx, message, now).await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Queues a person's digest for a local day, once.
    pub async fn queue_digest(
        &self,
        user_id: i64,
        day: &str,
        messages: &[NewMessage],
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let mut writer = self.writer().await?;
        let mut tx = begin_write(&mut writer).await?;
        let first_time = sqlx::query(
            "INSERT INTO digests_sent (user_id, day, at) VALUES (?1, ?2, ?3)
             ON CONFLICT DO NOTHING",
        )
        .bind(user_id)
        .bind(day)
        .bind(to_db_time(now))
        .execute(&mut *tx)
        .await?
        .rows_affected()
            > 0;
        if !first_time {
            return Ok(false);
        }
        for message in messages {
            enqueue(&mut tx, message, now).await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    pub async fn digest_queued(&self, user_id: i64, day: &str) -> Result<bool> {
        let found: Option<i64> =
            sqlx::query_scalar("SELECT 1 FROM digests_sent WHERE user_id = ?1 AND day = ?2")
                .bind(user_id)
                .bind(day)
                .fetch_optional(&mut *self.reader().await?)
                .await?;
        Ok(found.is_some())
    }

    /// Messages due now, oldest first.
    pub async fn due_messages(&self, now: DateTime<Utc>, limit: u32) -> Result<Vec<OutboxMessage>> {
        let rows: Vec<OutboxRow> = sqlx::query_as(
            "SELECT id, chat_id, kind, body, photo, keyboard, source, broadcast_id, attempts,
                 parts_sent
             FROM outbox WHERE status = 'pending' AND next_attempt_at <= ?1
             ORDER BY id LIMIT ?2",
        )
        .bind(to_db_time(now))
        .bind(limit)
        .fetch_all(&mut *self.reader().await?)
        .await?;
        Ok(rows.into_iter().map(OutboxMessage::from).collect())
    }

    /// When the next pending message becomes due, if any is waiting.
    pub async fn next_message_due(&self) -> Result<Option<DateTime<Utc>>> {
        let at: Option<i64> =
            sqlx::query_scalar("SELECT MIN(next_attempt_at) FROM outbox WHERE status = 'pending'")
                .fetch_one(&mut *self.reader().await?)
                .await?;
        Ok(at.map(from_db_time))
    }

    /// Takes a message for sending; false if someone else took it first.
    pub async fn claim_message(&self, id: i64) -> Result<bool> {
        Ok(sqlx::query(
            "UPDATE outbox SET status = 'sending', attempts = attempts + 1
             WHERE id = ?1 AND status = 'pending'",
        )
        .bind(id)
        .execute(&mut *self.writer().await?)
        .await?
        .rows_affected()
            > 0)
    }

    pub async fn mark_sent(&self, id: i64, now: DateTime<Utc>) -> Result<()> {
        sqlx::query(
            "UPDATE outbox SET status = 'sent', sent_at = ?2, last_error = NULL WHERE id = ?1",
        )
        .bind(id)
        .bind(to_db_time(now))
        .execute(&mut *self.writer().await?)
        .await?;
        Ok(())
    }

    /// Records that Telegram accepted the first `parts_sent` parts of a long message and puts it
    /// back in the queue for the next part, due at once, with fresh attempts for that part.
    pub async fn mark_parts_sent(
        &self,
        id: i64,
        parts_sent: i64,
        now: DateTime<Utc>,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE outbox SET status = 'pending', parts_sent = ?2, attempts = 0,
                 next_attempt_at = ?3, last_error = NULL
             WHERE id = ?1",
        )
        .bind(id)
        .bind(parts_sent)
        .bind(to_db_time(now))
        .execute(&mut *self.writer().await?)
        .await?;
        Ok(())
    }

    /// Puts a claimed message back, to be tried again at `at`.
    pub async fn retry_message(&self, id: i64, at: DateTime<Utc>, error: &str) -> Result<()> {
        sqlx::query(
            "UPDATE outbox SET status = 'pending', next_attempt_at = ?2, last_error = ?3
             WHERE id = ?1",
        )
        .bind(id)
        .bind(to_db_time(at))
        .bind(error)
        .execute(&mut *self.writer().await?)
        .await?;
        Ok(())
    }

    /// Gives a message up: `blocked` (the person blocked the bot) or `failed`.
    pub async fn give_up_message(&self, id: i64, blocked: bool, error: &str) -> Result<()> {
        sqlx::query("UPDATE outbox SET status = ?2, last_error = ?3 WHERE id = ?1")
            .bind(id)
            .bind(if blocked {
                OutboxStatus::Blocked
            } else {
                OutboxStatus::Failed
            })
            .bind(error)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(())
    }

    /// At start: messages claimed by a run that crashed mid-send go back to the queue.
    pub async fn release_claimed_messages(&self) -> Result<u64> {
        Ok(
            sqlx::query("UPDATE outbox SET status = 'pending' WHERE status = 'sending'")
                .execute(&mut *self.writer().await?)
                .await?
                .rows_affected(),
        )
    }

    pub async fn delivery_counts(&self, broadcast_id: i64) -> Result<DeliveryCounts> {
        let rows: Vec<(OutboxStatus, i64)> = sqlx::query_as(
            "SELECT status, COUNT(*) FROM outbox WHERE broadcast_id = ?1 GROUP BY status",
        )
        .bind(broadcast_id)
        .fetch_all(&mut *self.reader().await?)
        .await?;
        let mut counts = DeliveryCounts::default();
        for (status, count) in rows {
            let count = u32::try_from(count).unwrap_or(u32::MAX);
            let counter = match status {
                OutboxStatus::Pending | OutboxStatus::Sending => &mut counts.pending,
                OutboxStatus::Sent => &mut counts.sent,
                OutboxStatus::Failed => &mut counts.failed,
                OutboxStatus::Blocked => &mut counts.blocked,
            };
            *counter = counter.saturating_add(count);
        }
        Ok(counts)
    }
}
