use chrono::{DateTime, Utc};

use super::{Result, Storage, StorageError, audit, to_db_time};
use crate::domain::{UnitCode, UnitName};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Unit {
    pub id: i64,
    pub code: String,
    pub name: String,
}

impl Storage {
    pub async fn add_unit(
        &self,
        code: &UnitCode,
        name: &UnitName,
        actor_user_id: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<Unit> {
        let mut tx = self.pool.begin().await?;
        let inserted: Option<Unit> = sqlx::query_as(
            "INSERT INTO units (code, name, created_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (code) DO NOTHING
             RETURNING id, code, name",
        )
        .bind(code.as_str())
        .bind(name.as_str())
        .bind(to_db_time(now))
        .fetch_optional(&mut *tx)
        .await?;
        let unit = inserted.ok_or_else(|| {
            StorageError::Conflict(format!("a unit with code {code} already exists"))
        })?;
        audit::record(
            &mut *tx,
            now,
            actor_user_id,
            "unit.add",
            code.as_str(),
            name.as_str(),
        )
        .await?;
        tx.commit().await?;
        Ok(unit)
    }

    pub async fn units(&self) -> Result<Vec<Unit>> {
        Ok(
            sqlx::query_as("SELECT id, code, name FROM units ORDER BY code")
                .fetch_all(&self.pool)
                .await?,
        )
    }

    pub async fn unit_by_code(&self, code: &UnitCode) -> Result<Option<Unit>> {
        Ok(
            sqlx::query_as("SELECT id, code, name FROM units WHERE code = ?1")
                .bind(code.as_str())
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    pub async fn unit_by_id(&self, id: i64) -> Result<Option<Unit>> {
        Ok(
            sqlx::query_as("SELECT id, code, name FROM units WHERE id = ?1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?,
        )
    }
}
