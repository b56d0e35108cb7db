use chrono::{DateTime, Utc};
use sqlx::{Sqlite, SqliteExecutor};

use super::{Result, Storage, from_db_time, to_db_time};

/// One line of "who changed what, when".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub at: DateTime<Utc>,
    pub actor_user_id: Option<i64>,
    pub action: String,
    pub target: Option<String>,
    pub details: Option<String>,
}

/// Written inside the same transaction as the change it describes.
pub(crate) async fn record<'e>(
    executor: impl SqliteExecutor<'e>,
    at: DateTime<Utc>,
    actor_user_id: Option<i64>,
    action: &str,
    target: &str,
    details: &str,
) -> Result<()> {
    sqlx::query::<Sqlite>(
        "INSERT INTO audit_log (at, actor_user_id, action, target, details)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )
    .bind(to_db_time(at))
    .bind(actor_user_id)
    .bind(action)
    .bind(target)
    .bind(details)
    .execute(executor)
    .await?;
    Ok(())
}

impl Storage {
    pub async fn record_audit(
        &self,
        at: DateTime<Utc>,
        actor_user_id: Option<i64>,
        action: &str,
        target: &str,
        details: &str,
    ) -> Result<()> {
        record(
            &mut *self.writer().await?,
            at,
            actor_user_id,
            action,
            target,
            details,
        )
        .await
    }

    /// The newest entries first.
    pub async fn recent_audit(&self, limit: u32) -> Result<Vec<AuditEntry>> {
        type Row = (i64, Option<i64>, String, Option<String>, Option<String>);
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT at, actor_user_id, action, target, details FROM audit_log
             ORDER BY id DESC LIMIT ?1",
        )
        .bind(limit)
        .fetch_all(&mut *self.reader().await?)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(at, actor_user_id, action, target, details)| AuditEntry {
                at: from_db_time(at),
                actor_user_id,
                action,
                target,
                details,
            })
            .collect())
    }
}
