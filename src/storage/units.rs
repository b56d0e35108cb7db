use chrono::{DateTime, NaiveDateTime, Utc};
use chrono_tz::Tz;

use super::{Result, Storage, StorageError, audit, begin_write, from_db_time, to_db_time};
use crate::{
    dialog::{Dialog, UNITS_DEADLINE_LEAD_DAYS},
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
        let mut writer = self.writer().await?;
        let mut tx = begin_write(&mut writer).await?;
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
                .fetch_all(&mut *self.reader().await?)
                .await?,
        )
    }

    pub async fn unit_by_code(&self, code: &UnitCode) -> Result<Option<Unit>> {
        Ok(
            sqlx::query_as("SELECT id, code, name, deadline_at FROM units WHERE code = ?1")
                .bind(code.as_str())
                .fetch_optional(&mut *self.reader().await?)
                .await?,
        )
    }

    pub async fn unit_by_id(&self, id: i64) -> Result<Option<Unit>> {
        Ok(
            sqlx::query_as("SELECT id, code, name, deadline_at FROM units WHERE id = ?1")
                .bind(id)
                .fetch_optional(&mut *self.reader().await?)
                .await?,
        )
    }
}

/// `bot_meta` keys of the deadlines the bureau set in the bot (unix seconds); without them the
/// dialog file's apply.
const UNITS_DEADLINE: &str = "units_deadline";
const NATIONAL_CLOSE: &str = "national_close";

/// Which campaign-wide deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CampaignDate {
    /// The units' deadline: what staff are reminded of (each unit may have its own instead).
    UnitsDeadline,
    /// SINOVIK's national close: the end of the bureau's selection.
    NationalClose,
}

impl CampaignDate {
    fn key(self) -> &'static str {
        match self {
            Self::UnitsDeadline => UNITS_DEADLINE,
            Self::NationalClose => NATIONAL_CLOSE,
        }
    }

    fn audit_action(self) -> &'static str {
        match self {
            Self::UnitsDeadline => "deadline.units",
            Self::NationalClose => "deadline.close",
        }
    }
}

/// A local date-time of the dialog file, in UTC.
fn from_local(local: Option<NaiveDateTime>, timezone: Tz) -> Option<DateTime<Utc>> {
    local
        .and_then(|local| local.and_local_timezone(timezone).earliest())
        .map(|at| at.with_timezone(&Utc))
}

impl Storage {
    /// Sets (or with `None` clears) one unit's own deadline.
    pub async fn set_unit_deadline(
        &self,
        unit_id: i64,
        deadline: Option<DateTime<Utc>>,
        actor_user_id: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let mut writer = self.writer().await?;
        let mut tx = begin_write(&mut writer).await?;
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

    /// A unit's deadline: its own if the bureau set one, else the units' deadline set in the
    /// bot, else the dialog file's `units_deadline`, else 10 days before the national close
    /// (as it stands, set in the bot or in the file); file times read in the bot's time zone.
    /// `unit = None` gives the units' general deadline.
    pub async fn deadline_for(
        &self,
        dialog: &Dialog,
        timezone: Tz,
        unit: Option<&Unit>,
    ) -> Result<Option<DateTime<Utc>>> {
        if let Some(own) = unit.and_then(Unit::deadline) {
            return Ok(Some(own));
        }
        if let Some(set) = self.campaign_date(CampaignDate::UnitsDeadline).await? {
            return Ok(Some(set));
        }
        if let Some(written) = from_local(dialog.campaign().units_deadline, timezone) {
            return Ok(Some(written));
        }
        let lead = chrono::Duration::days(UNITS_DEADLINE_LEAD_DAYS);
        Ok(self
            .national_close(dialog, timezone)
            .await?
            .and_then(|close| close.checked_sub_signed(lead)))
    }

    /// SINOVIK's national close: as set in the bot, else the dialog file's `national_close`.
    pub async fn national_close(
        &self,
        dialog: &Dialog,
        timezone: Tz,
    ) -> Result<Option<DateTime<Utc>>> {
        if let Some(set) = self.campaign_date(CampaignDate::NationalClose).await? {
            return Ok(Some(set));
        }
        Ok(from_local(dialog.campaign().national_close, timezone))
    }

    /// Sets a campaign-wide deadline, or with `None` goes back to the dialog file's.
    pub async fn set_campaign_date(
        &self,
        date: CampaignDate,
        deadline: Option<DateTime<Utc>>,
        actor_user_id: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let mut writer = self.writer().await?;
        let mut tx = begin_write(&mut writer).await?;
        match deadline {
            Some(at) => {
                sqlx::query(
                    "INSERT INTO bot_meta (key, value) VALUES (?1, ?2)
                     ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                )
                .bind(date.key())
                .bind(to_db_time(at).to_string())
                .execute(&mut *tx)
                .await?;
            }
            None => {
                sqlx::query("DELETE FROM bot_meta WHERE key = ?1")
                    .bind(date.key())
                    .execute(&mut *tx)
                    .await?;
            }
        }
        audit::record(
            &mut *tx,
            now,
            actor_user_id,
            date.audit_action(),
            "",
            &deadline.map(|at| at.to_rfc3339()).unwrap_or_default(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A campaign-wide deadline set in the bot, if any.
    pub async fn campaign_date(&self, date: CampaignDate) -> Result<Option<DateTime<Utc>>> {
        let value: Option<String> = sqlx::query_scalar("SELECT value FROM bot_meta WHERE key = ?1")
            .bind(date.key())
            .fetch_optional(&mut *self.reader().await?)
            .await?;
        Ok(value.and_then(|raw| raw.parse().ok()).map(from_db_time))
    }
}
