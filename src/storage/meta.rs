use super::{Result, Storage};

const BOT_USERNAME: &str = "bot_username";

impl Storage {
    /// Remembered at every start, so `kipp-bot invite` can build links while Telegram is away.
    pub async fn save_bot_username(&self, username: &str) -> Result<()> {
        sqlx::query(
            "INSERT INTO bot_meta (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(BOT_USERNAME)
        .bind(username)
        .execute(&mut *self.writer().await?)
        .await?;
        Ok(())
    }

    pub async fn bot_username(&self) -> Result<Option<String>> {
        let value = sqlx::query_scalar("SELECT value FROM bot_meta WHERE key = ?1")
            .bind(BOT_USERNAME)
            .fetch_optional(&mut *self.reader().await?)
            .await?;
        Ok(value)
    }
}
