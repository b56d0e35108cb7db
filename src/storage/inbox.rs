use chrono::{DateTime, Utc};

use super::{Result, Storage, to_db_time};

impl Storage {
    /// Keeps a batch of raw updates (JSON) until they are handled.
    pub async fn store_inbox(&self, updates: &[(i64, String)], now: DateTime<Utc>) -> Result<()> {
        if updates.is_empty() {
            return Ok(());
        }
        let mut tx = self.begin_write().await?;
        for (update_id, payload) in updates {
            sqlx::query(
                "INSERT INTO inbox (update_id, payload, received_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT DO NOTHING",
            )
            .bind(update_id)
            .bind(payload)
            .bind(to_db_time(now))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Updates received but not handled, oldest first (after a restart: the ones to replay).
    pub async fn pending_inbox(&self) -> Result<Vec<(i64, String)>> {
        Ok(
            sqlx::query_as("SELECT update_id, payload FROM inbox ORDER BY update_id")
                .fetch_all(&self.pool)
                .await?,
        )
    }

    pub async fn finish_update(&self, update_id: i64) -> Result<()> {
        sqlx::query("DELETE FROM inbox WHERE update_id = ?1")
            .bind(update_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
