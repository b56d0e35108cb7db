use std::sync::{Mutex, PoisonError};

use chrono::{DateTime, Utc};

use super::{Result, Storage, begin_write, to_db_time};

/// How many times an update is handed to the handlers again after restarts before it is set
/// aside. Not 1 or 2: under a burst of restarts (the chaos test kills the bot six times within
/// seconds) an ordinary update can be in flight at two kills in a row, and quarantining it would
/// drop a person's message. An update that takes the process down five times in a row is poison.
pub const MAX_REPLAYS: i64 = 5;

/// Rows per insert into the inbox: three values each, far below SQLite's limit of 32,766.
const INBOX_ROWS_PER_STATEMENT: usize = 500;

/// What a restart finds in the inbox.
#[derive(Debug, Clone, Default)]
pub struct ClaimedInbox {
    /// Fetched before the last stop and not yet handled, oldest first.
    pub pending: Vec<PendingUpdate>,
    /// The `getUpdates` offset that confirms everything the inbox holds, quarantined included.
    pub next_offset: Option<i64>,
}

/// Handled updates waiting to leave the inbox (see [`Storage::finish_update`]).
#[derive(Debug, Default)]
pub(super) struct FinishedUpdates(Mutex<Vec<i64>>);

/// At most this many ids per delete: far below SQLite's 32,766 bound values.
const FINISHED_PER_STATEMENT: usize = 5_000;

impl FinishedUpdates {
    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<i64>> {
        // A plain list, whole after every statement: a panic elsewhere does not spoil it.
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn add(&self, update_id: i64) {
        self.lock().push(update_id);
    }

    fn take(&self) -> Vec<i64> {
        let mut waiting = self.lock();
        let keep = waiting.len().saturating_sub(FINISHED_PER_STATEMENT);
        waiting.split_off(keep)
    }

    fn put_back(&self, ids: Vec<i64>) {
        self.lock().extend(ids);
    }
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
        // One statement per batch (a batch from `getUpdates` holds at most 100): one trip to
        // the connection's thread instead of one per update, and atomic without a transaction.
        // A larger batch is split, in one transaction: all of it is kept or none.
        let received_at = to_db_time(now);
        let mut writer = self.writer().await?;
        if updates.len() <= INBOX_ROWS_PER_STATEMENT {
            return insert_into_inbox(&mut writer, updates, received_at).await;
        }
        let mut tx = begin_write(&mut writer).await?;
        let mut fresh = Vec::with_capacity(updates.len());
        for chunk in updates.chunks(INBOX_ROWS_PER_STATEMENT) {
            fresh.extend(insert_into_inbox(&mut tx, chunk, received_at).await?);
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
    ///
    /// Under load many updates finish at once: whoever gets the writer first deletes every
    /// update finished by then in one statement, and the others find theirs gone. An id taken
    /// by another caller was deleted before this call got the writer (the lock is handed on
    /// only after that statement), so on return the update has left the inbox, as before.
    pub async fn finish_update(&self, update_id: i64) -> Result<()> {
        self.finished.add(update_id);
        let mut writer = self.writer().await?;
        let ids = self.finished.take();
        if ids.is_empty() {
            return Ok(());
        }
        let mut delete = sqlx::QueryBuilder::new(
            "DELETE FROM inbox WHERE quarantined_at IS NULL AND update_id IN (",
        );
        let mut listed = delete.separated(", ");
        for id in &ids {
            listed.push_bind(*id);
        }
        listed.push_unseparated(")");
        if let Err(error) = delete.build().execute(&mut *writer).await {
            // Tried again with the next update to finish; until then they stay in the inbox,
            // which at worst replays them after a restart (as for a crash before the delete).
            self.finished.put_back(ids);
            return Err(error.into());
        }
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

/// Inserts `updates` in one statement; returns the ids that were not there yet.
async fn insert_into_inbox(
    connection: &mut sqlx::SqliteConnection,
    updates: &[(i64, String)],
    received_at: i64,
) -> Result<Vec<i64>> {
    let mut insert =
        sqlx::QueryBuilder::new("INSERT INTO inbox (update_id, payload, received_at) ");
    insert.push_values(updates, |mut row, (update_id, payload)| {
        row.push_bind(*update_id)
            .push_bind(payload.as_str())
            .push_bind(received_at);
    });
    insert.push(" ON CONFLICT DO NOTHING RETURNING update_id");
    Ok(insert.build_query_scalar().fetch_all(connection).await?)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::storage::proposals::tests::storage;

    async fn inbox_ids(storage: &Storage) -> Vec<i64> {
        sqlx::query_scalar("SELECT update_id FROM inbox ORDER BY update_id")
            .fetch_all(storage.pool())
            .await
            .unwrap()
    }

    /// Updates `ids` as `getUpdates` hands them out (the id and the raw JSON).
    fn batch(ids: std::ops::RangeInclusive<i64>) -> Vec<(i64, String)> {
        ids.map(|id| (id, format!("{{\"update_id\":{id}}}")))
            .collect()
    }

    /// A batch larger than one statement takes is kept whole, and each update is fresh once.
    #[tokio::test]
    async fn a_batch_is_kept_once_however_large() {
        let dir = tempfile::tempdir().unwrap();
        let storage = storage(&dir).await;
        let now = Utc.with_ymd_and_hms(2026, 5, 1, 8, 0, 0).unwrap();
        let updates = batch(1..=1_203);
        let mut fresh = storage.store_inbox(&updates, now).await.unwrap();
        fresh.sort_unstable();
        assert_eq!(fresh, (1..=1_203).collect::<Vec<_>>());
        // Fetched again (not yet confirmed to Telegram): nothing is fresh, one new one is.
        let mut again = updates.get(1_000..).unwrap().to_vec();
        again.extend(batch(1_204..=1_204));
        assert_eq!(storage.store_inbox(&again, now).await.unwrap(), vec![1_204]);
        assert_eq!(inbox_ids(&storage).await.len(), 1_204);
    }

    /// Updates finishing at once leave the inbox together, each caller returning only once
    /// its own update is gone; a quarantined one stays.
    #[tokio::test]
    async fn updates_finished_at_once_all_leave_the_inbox() {
        let dir = tempfile::tempdir().unwrap();
        let storage = storage(&dir).await;
        let now = Utc.with_ymd_and_hms(2026, 5, 1, 8, 0, 0).unwrap();
        storage.store_inbox(&batch(1..=300), now).await.unwrap();
        storage.quarantine_update(300, "poison", now).await.unwrap();
        let finishing = (1..=300).map(|id| {
            let storage = storage.clone();
            tokio::spawn(async move {
                storage.finish_update(id).await.unwrap();
                let left: Option<i64> = sqlx::query_scalar(
                    "SELECT update_id FROM inbox WHERE update_id = ?1 AND quarantined_at IS NULL",
                )
                .bind(id)
                .fetch_optional(storage.pool())
                .await
                .unwrap();
                assert_eq!(left, None, "update {id} has left the inbox on return");
            })
        });
        for finished in futures::future::join_all(finishing).await {
            finished.unwrap();
        }
        assert_eq!(inbox_ids(&storage).await, vec![300]);
        assert!(storage.finished.take().is_empty());
    }
}
