use chrono::{DateTime, Utc};

use super::{Result, Storage, begin_write, to_db_time};

/// How many times an update is handed to the handlers again after restarts before it is set
/// aside. Not 1 or 2: under a burst of restarts (the chaos test kills the bot six times within
/// seconds) an ordinary update can be in flight at two kills in a row, and quarantining it would
/// drop a person's message. An update that takes the process down five times in a row is poison.
pub const MAX_REPLAYS: i64 = 5;

/// What a restart finds in the inbox.
#[derive(Debug, Clone, Default)]
pub struct ClaimedInbox {
    /// Fetched before the last stop and not yet handled, oldest first.
    pub pending: Vec<PendingUpdate>,
    /// The `getUpdates` offset that confirms everything the inbox holds, quarantined included.
    pub next_offset: Option<i64>,
}

/// An update fetched before the last stop and not yet handled.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PendingUpdate {
    pub update_id: i64,
    pub payload: String,
}

/// An update set aside instead of handled (see [`Storage::quarantine_update`]).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct QuarantinedUpdate {
    pub update_id: i64,
    pub payload: String,
    pub attempts: i64,
    pub failure: Option<String>,
}

impl Storage {
    /// Keeps a batch of raw updates (JSON) until they are handled, and returns the ids of those
    /// that are new. An update already in the inbox is either being replayed or quarantined: if
    /// Telegram sends it again (its offset was not confirmed before a stop), it is not handed out
    /// a second time.
    pub async fn store_inbox(
        &self,
        updates: &[(i64, String)],
        now: DateTime<Utc>,
    ) -> Result<Vec<i64>> {
        if updates.is_empty() {
            return Ok(Vec::new());
        }
        let mut fresh = Vec::with_capacity(updates.len());
        let mut writer = self.writer().await?;
        let mut tx = begin_write(&mut writer).await?;
        for (update_id, payload) in updates {
            let inserted: Option<i64> = sqlx::query_scalar(
                "INSERT INTO inbox (update_id, payload, received_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT DO NOTHING RETURNING update_id",
            )
            .bind(update_id)
            .bind(payload)
            .bind(to_db_time(now))
            .fetch_optional(&mut *tx)
            .await?;
            fresh.extend(inserted);
        }
        tx.commit().await?;
        Ok(fresh)
    }

    /// The updates a previous run fetched but did not finish, oldest first, each counted as one
    /// more attempt. Those already replayed [`MAX_REPLAYS`] times are quarantined instead of
    /// returned: an update that takes the process down cannot do so in a loop.
    pub async fn claim_pending_inbox(&self, now: DateTime<Utc>) -> Result<ClaimedInbox> {
        let mut writer = self.writer().await?;
        let mut tx = begin_write(&mut writer).await?;
        let quarantined = sqlx::query(
            "UPDATE inbox SET quarantined_at = ?1,
                 failure = COALESCE(failure, 'still unhandled after ' || attempts || ' replays')
             WHERE quarantined_at IS NULL AND attempts >= ?2",
        )
        .bind(to_db_time(now))
        .bind(MAX_REPLAYS)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if quarantined > 0 {
            tracing::error!(
                quarantined,
                "updates that failed on every replay are set aside (see the inbox table)"
            );
        }
        let pending: Vec<PendingUpdate> = sqlx::query_as(
            "UPDATE inbox SET attempts = attempts + 1 WHERE quarantined_at IS NULL
             RETURNING update_id, payload",
        )
        .fetch_all(&mut *tx)
        .await?;
        let newest: Option<i64> = sqlx::query_scalar("SELECT MAX(update_id) FROM inbox")
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        let mut pending = pending;
        pending.sort_by_key(|update| update.update_id);
        Ok(ClaimedInbox {
            pending,
            next_offset: newest.map(|id| id.saturating_add(1)),
        })
    }

    /// Marks an update handled: it leaves the inbox. A quarantined update stays (for reading).
    pub async fn finish_update(&self, update_id: i64) -> Result<()> {
        sqlx::query("DELETE FROM inbox WHERE update_id = ?1 AND quarantined_at IS NULL")
            .bind(update_id)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(())
    }

    /// Sets an update aside: it is never handed to the handlers again. `failure` says why (for
    /// developers; it is never shown to a user).
    pub async fn quarantine_update(
        &self,
        update_id: i64,
        failure: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE inbox SET quarantined_at = ?2, failure = ?3
             WHERE update_id = ?1 AND quarantined_at IS NULL",
        )
        .bind(update_id)
        .bind(to_db_time(now))
        .bind(failure)
        .execute(&mut *self.writer().await?)
        .await?;
        Ok(())
    }

    /// Updates set aside, oldest first.
    pub async fn quarantined_updates(&self) -> Result<Vec<QuarantinedUpdate>> {
        Ok(sqlx::query_as(
            "SELECT update_id, payload, attempts, failure FROM inbox
             WHERE quarantined_at IS NOT NULL ORDER BY update_id",
        )
        .fetch_all(&mut *self.reader().await?)
        .await?)
    }
}
