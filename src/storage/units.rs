use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::{Result, Storage, StorageError, audit, from_db_time, to_db_time};
use crate::{
    dialog::Dialog,
    domain::{UnitCode, UnitName},
};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Unit {
    pub id: i64,
    pub code: String,
    pub name: String,
    /// Unix seconds; `None`: the campaign deadline applies.
    pub deadline_at: Option<i64>,
}

impl Unit {
    pub fn deadline(&self) -> Option<DateTime<Utc>> {
        self.deadline_at.map(from_db_time)
    }
}

impl Storage {
    pub async fn add_unit(
        &self,
        code: &UnitCode,
        name: &UnitName,
        actor_user_id: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<Unit> {
        let mut tx = self.begin_write().await?;
        let inserted: Option<Unit> = sqlx::query_as(
            "INSERT INTO units (code, name, created_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (code) DO NOTHING
             RETURNING id, code, name, deadline_at",
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
            sqlx::query_as("SELECT id, code, name, deadline_at FROM units ORDER BY code")
                .fetch_all(&self.pool)
                .await?,
        )
    }

    pub async fn unit_by_code(&self, code: &UnitCode) -> Result<Option<Unit>> {
        Ok(
            sqlx::query_as("SELECT id, code, name, deadline_at FROM units WHERE code = ?1")
                .bind(code.as_str())
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    pub async fn unit_by_id(&self, id: i64) -> Result<Option<Unit>> {
        Ok(
            sqlx::query_as("SELECT id, code, name, deadline_at FROM units WHERE id = ?1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?,
        )
    }
}

const CAMPAIGN_DEADLINE: &str = "campaign_deadline";

impl Storage {
    /// Sets (or with `None` clears) one unit's own deadline.
    pub async fn set_unit_deadline(
        &self,
        unit_id: i64,
        deadline: Option<DateTime<Utc>>,
        actor_user_id: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE units SET deadline_at = ?2 WHERE id = ?1")
            .bind(unit_id)
            .bind(deadline.map(to_db_time))
            .execute(&mut *tx)
            .await?;
        let details = deadline.map(|at| at.to_rfc3339()).unwrap_or_default();
        audit::record(
            &mut *tx,
            now,
            actor_user_id,
            "deadline.unit",
            &unit_id.to_string(),
            &details,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A unit's deadline: its own if the bureau set one, else the campaign deadline set in the bot,
    /// else the dialog file's `default_deadline` (read in the bot's time zone).
    pub async fn deadline_for(
        &self,
        dialog: &Dialog,
        timezone: Tz,
        unit: Option<&Unit>,
    ) -> Result<Option<DateTime<Utc>>> {
        if let Some(own) = unit.and_then(Unit::deadline) {
            return Ok(Some(own));
        }
        if let Some(campaign) = self.campaign_deadline().await? {
            return Ok(Some(campaign));
        }
        Ok(dialog
            .campaign()
            .default_deadline
            .and_then(|local| local.and_local_timezone(timezone).earliest())
            .map(|at| at.with_timezone(&Utc)))
    }

    /// Sets the campaign-wide deadline (all units without their own).
    pub async fn set_campaign_deadline(
        &self,
        deadline: DateTime<Utc>,
        actor_user_id: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO bot_meta (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(CAMPAIGN_DEADLINE)
        .bind(to_db_time(deadline).to_string())
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut *tx,
            now,
            actor_user_id,
            "deadline.campaign",
            "",
            &deadline.to_rfc3339(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn campaign_deadline(&self) -> Result<Option<DateTime<Utc>>> {
        let value: Option<String> = sqlx::query_scalar("SELECT value FROM bot_meta WHERE key = ?1")
            .bind(CAMPAIGN_DEADLINE)
            .fetch_optional(&self.pool)
            .await?;
        Ok(value.and_then(|raw| raw.parse().ok()).map(from_db_time))
    }
}
