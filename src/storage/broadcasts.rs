//! Broadcasts: composed in steps by a bureau member, then queued in the outbox at once.

use chrono::{DateTime, Utc};
use sqlx::FromRow;

use super::{
    NewMessage, OutboxSource, Result, Storage, StorageError, audit, begin_write, from_stored_json,
    outbox::enqueue, to_db_time, to_stored_json,
};
use crate::domain::Audience;

/// Where a broadcast stands, stored as its snake_case name (`'composing'`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[sqlx(rename_all = "snake_case")]
pub enum BroadcastStatus {
    /// Waiting for the announcement's text.
    Composing,
    /// Waiting for the author to choose who gets it.
    Audience,
    /// Shown to the author, waiting for Send.
    Preview,
    /// Queued in the outbox, being delivered.
    Sending,
    Done,
    Cancelled,
}

impl BroadcastStatus {
    /// Still being composed: the author may change it, send it or cancel it.
    pub fn is_draft(self) -> bool {
        matches!(self, Self::Composing | Self::Audience | Self::Preview)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broadcast {
    pub id: i64,
    pub author_user_id: i64,
    pub status: BroadcastStatus,
    pub body: Option<String>,
    /// The audience chosen so far (`None` also when the stored one no longer reads).
    pub audience: Option<Audience>,
    pub recipients: i64,
    pub progress_message_id: Option<i64>,
}

#[derive(FromRow)]
struct BroadcastRow {
    id: i64,
    author_user_id: i64,
    status: BroadcastStatus,
    body: Option<String>,
    /// JSON of the chosen audience.
    audience: Option<String>,
    recipients: i64,
    progress_message_id: Option<i64>,
}

impl From<BroadcastRow> for Broadcast {
    fn from(row: BroadcastRow) -> Self {
        Self {
            id: row.id,
            author_user_id: row.author_user_id,
            status: row.status,
            body: row.body,
            audience: row
                .audience
                .as_deref()
                .and_then(|raw| from_stored_json(raw, "broadcast audience", &row.id.to_string())),
            recipients: row.recipients,
            progress_message_id: row.progress_message_id,
        }
    }
}

const SELECT_BROADCAST: &str = "SELECT id, author_user_id, status, body, audience, recipients,
    progress_message_id FROM broadcasts";

impl Storage {
    /// Starts composing a broadcast; any other unfinished draft of the author is cancelled.
    pub async fn start_broadcast(&self, author_user_id: i64, now: DateTime<Utc>) -> Result<i64> {
        let mut writer = self.writer().await?;
        let mut tx = begin_write(&mut writer).await?;
        sqlx::query(
            "UPDATE broadcasts SET status = 'cancelled'
             WHERE author_user_id = ?1 AND status IN ('composing', 'audience', 'preview')",
        )
        .bind(author_user_id)
        .execute(&mut *tx)
        .await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO broadcasts (author_user_id, status, created_at) VALUES (?1, 'composing', ?2)
             RETURNING id",
        )
        .bind(author_user_id)
        .bind(to_db_time(now))
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The author's broadcast being composed (not yet sent), if any.
    pub async fn draft_broadcast(&self, author_user_id: i64) -> Result<Option<Broadcast>> {
        let row: Option<BroadcastRow> = sqlx::query_as(&format!(
            "{SELECT_BROADCAST} WHERE author_user_id = ?1
                 AND status IN ('composing', 'audience', 'preview') ORDER BY id DESC LIMIT 1"
        ))
        .bind(author_user_id)
        .fetch_optional(&mut *self.reader().await?)
        .await?;
        Ok(row.map(Broadcast::from))
    }

    pub async fn broadcast(&self, id: i64) -> Result<Option<Broadcast>> {
        let row: Option<BroadcastRow> =
            sqlx::query_as(&format!("{SELECT_BROADCAST} WHERE id = ?1"))
                .bind(id)
                .fetch_optional(&mut *self.reader().await?)
                .await?;
        Ok(row.map(Broadcast::from))
    }

    /// Moves a draft to another composing step, with its text or audience if given. False when
    /// it is no longer a draft. Sending goes through [`Storage::queue_broadcast`], cancelling
    /// through [`Storage::cancel_broadcast`].
    pub async fn update_broadcast_draft(
        &self,
        id: i64,
        status: BroadcastStatus,
        body: Option<&str>,
        audience: Option<&Audience>,
    ) -> Result<bool> {
        if !status.is_draft() {
            return Err(StorageError::Conflict(format!(
                "a broadcast draft cannot be moved to {status:?} here"
            )));
        }
        let audience = audience.map(to_stored_json).transpose()?;
        Ok(sqlx::query(
            "UPDATE broadcasts SET status = ?2, body = COALESCE(?3, body),
                 audience = COALESCE(?4, audience)
             WHERE id = ?1 AND status IN ('composing', 'audience', 'preview')",
        )
        .bind(id)
        .bind(status)
        .bind(body)
        .bind(audience)
        .execute(&mut *self.writer().await?)
        .await?
        .rows_affected()
            > 0)
    }

    /// Queues one message per recipient and marks the broadcast as sending, in one
    /// transaction: a broadcast is either fully queued or not at all. False if it was already
    /// sent or cancelled (a second press of "Send").
    pub async fn queue_broadcast(
        &self,
        id: i64,
        author_user_id: i64,
        messages: &[NewMessage],
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let mut writer = self.writer().await?;
        let mut tx = begin_write(&mut writer).await?;
        let taken = sqlx::query(
            "UPDATE broadcasts SET status = 'sending', recipients = ?2
             WHERE id = ?1 AND status = 'preview'",
        )
        .bind(id)
        .bind(i64::try_from(messages.len()).unwrap_or(i64::MAX))
        .execute(&mut *tx)
        .await?
        .rows_affected()
            > 0;
        if !taken {
            return Ok(false);
        }
        for message in messages {
            let message = NewMessage {
                source: OutboxSource::Broadcast,
                broadcast_id: Some(id),
                ..message.clone()
            };
            enqueue(&mut tx, &message, now).await?;
        }
        audit::record(
            &mut *tx,
            now,
            Some(author_user_id),
            "broadcast.send",
            &id.to_string(),
            &format!("recipients={}", messages.len()),
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    pub async fn set_broadcast_progress_message(&self, id: i64, message_id: i64) -> Result<()> {
        sqlx::query("UPDATE broadcasts SET progress_message_id = ?2 WHERE id = ?1")
            .bind(id)
            .bind(message_id)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(())
    }

    /// Broadcasts still being delivered.
    pub async fn sending_broadcasts(&self) -> Result<Vec<Broadcast>> {
        let rows: Vec<BroadcastRow> = sqlx::query_as(&format!(
            "{SELECT_BROADCAST} WHERE status = 'sending' ORDER BY id"
        ))
        .fetch_all(&mut *self.reader().await?)
        .await?;
        Ok(rows.into_iter().map(Broadcast::from).collect())
    }

    /// Marks a broadcast finished; false if it already was (the report is sent once).
    pub async fn finish_broadcast(&self, id: i64, now: DateTime<Utc>) -> Result<bool> {
        Ok(sqlx::query(
            "UPDATE broadcasts SET status = 'done', finished_at = ?2 WHERE id = ?1 AND status = 'sending'",
        )
        .bind(id)
        .bind(to_db_time(now))
        .execute(&mut *self.writer().await?)
        .await?
        .rows_affected()
            > 0)
    }

    pub async fn cancel_broadcast(&self, id: i64) -> Result<bool> {
        Ok(sqlx::query(
            "UPDATE broadcasts SET status = 'cancelled'
             WHERE id = ?1 AND status IN ('composing', 'audience', 'preview')",
        )
        .bind(id)
        .execute(&mut *self.writer().await?)
        .await?
        .rows_affected()
            > 0)
    }
}
