use chrono::{DateTime, Utc};
use sqlx::FromRow;

use super::{Result, Storage, StorageError, Unit, audit, begin_write, to_db_time};
use crate::domain::{Lang, Role};

/// A registered person, with their unit. Loaded afresh for every update: a role change or a
/// deactivation takes effect on the very next message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub telegram_id: i64,
    pub display_name: String,
    pub username: Option<String>,
    pub lang: Lang,
    pub role: Role,
    pub unit: Option<Unit>,
    pub active: bool,
}

/// What Telegram tells us about a person on each message; kept up to date in `users`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserProfile {
    pub telegram_id: i64,
    pub display_name: String,
    pub username: Option<String>,
}

#[derive(FromRow)]
struct UserRow {
    id: i64,
    telegram_id: i64,
    display_name: String,
    username: Option<String>,
    language: String,
    role: String,
    active: bool,
    unit_id: Option<i64>,
    unit_code: Option<String>,
    unit_name: Option<String>,
    unit_deadline_at: Option<i64>,
}

impl TryFrom<UserRow> for User {
    type Error = StorageError;

    fn try_from(row: UserRow) -> Result<Self> {
        let role = Role::parse(&row.role)
            .ok_or_else(|| StorageError::Corrupt(format!("unknown role {:?}", row.role)))?;
        let unit = match (row.unit_id, row.unit_code, row.unit_name) {
            (Some(id), Some(code), Some(name)) => Some(Unit {
                id,
                code,
                name,
                deadline_at: row.unit_deadline_at,
            }),
            _ => None,
        };
        Ok(User {
            id: row.id,
            telegram_id: row.telegram_id,
            display_name: row.display_name,
            username: row.username,
            lang: Lang::parse(&row.language).unwrap_or_default(),
            role,
            unit,
            active: row.active,
        })
    }
}

const SELECT_USER: &str = "SELECT u.id, u.telegram_id, u.display_name, u.username, u.language,
        u.role, u.active, u.unit_id, n.code AS unit_code, n.name AS unit_name,
        n.deadline_at AS unit_deadline_at
    FROM users u LEFT JOIN units n ON n.id = u.unit_id";

impl Storage {
    pub async fn user_by_telegram_id(&self, telegram_id: i64) -> Result<Option<User>> {
        let row: Option<UserRow> =
            sqlx::query_as(&format!("{SELECT_USER} WHERE u.telegram_id = ?1"))
                .bind(telegram_id)
                .fetch_optional(&mut *self.reader().await?)
                .await?;
        row.map(User::try_from).transpose()
    }

    pub async fn user_by_id(&self, id: i64) -> Result<Option<User>> {
        let row: Option<UserRow> = sqlx::query_as(&format!("{SELECT_USER} WHERE u.id = ?1"))
            .bind(id)
            .fetch_optional(&mut *self.reader().await?)
            .await?;
        row.map(User::try_from).transpose()
    }

    /// Finds a person by Telegram id or by @username (without the `@`).
    pub async fn find_user(&self, handle: &str) -> Result<Option<User>> {
        let handle = handle.trim().trim_start_matches('@');
        if let Ok(telegram_id) = handle.parse::<i64>() {
            return self.user_by_telegram_id(telegram_id).await;
        }
        let row: Option<UserRow> = sqlx::query_as(&format!(
            "{SELECT_USER} WHERE lower(u.username) = lower(?1)"
        ))
        .bind(handle)
        .fetch_optional(&mut *self.reader().await?)
        .await?;
        row.map(User::try_from).transpose()
    }

    /// Everyone, or one unit's people, active ones first.
    pub async fn users(&self, unit_id: Option<i64>) -> Result<Vec<User>> {
        let rows: Vec<UserRow> = sqlx::query_as(&format!(
            "{SELECT_USER} WHERE (?1 IS NULL OR u.unit_id = ?1)
             ORDER BY u.active DESC, n.code, u.role, u.display_name"
        ))
        .bind(unit_id)
        .fetch_all(&mut *self.reader().await?)
        .await?;
        rows.into_iter().map(User::try_from).collect()
    }

    /// `BUREAU_ADMINS`: these people are active bureau members from every start on.
    pub async fn ensure_bureau_admin(&self, telegram_id: i64, now: DateTime<Utc>) -> Result<()> {
        let mut writer = self.writer().await?;
        let mut tx = begin_write(&mut writer).await?;
        let changed = sqlx::query(
            "INSERT INTO users (telegram_id, role, unit_id, active, created_at, updated_at)
             VALUES (?1, 'bureau', NULL, 1, ?2, ?2)
             ON CONFLICT (telegram_id) DO UPDATE SET role = 'bureau', unit_id = NULL, active = 1,
                 updated_at = excluded.updated_at
             WHERE users.role <> 'bureau' OR users.active = 0",
        )
        .bind(telegram_id)
        .bind(to_db_time(now))
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed > 0 {
            audit::record(
                &mut *tx,
                now,
                None,
                "user.bureau_admin",
                &telegram_id.to_string(),
                "from BUREAU_ADMINS",
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Keeps the name and @username current; writes only when something changed.
    pub async fn refresh_profile(&self, profile: &UserProfile) -> Result<()> {
        sqlx::query(
            "UPDATE users SET display_name = ?2, username = ?3
             WHERE telegram_id = ?1 AND (display_name <> ?2 OR username IS NOT ?3)",
        )
        .bind(profile.telegram_id)
        .bind(&profile.display_name)
        .bind(&profile.username)
        .execute(&mut *self.writer().await?)
        .await?;
        Ok(())
    }

    pub async fn set_language(&self, user_id: i64, lang: Lang, now: DateTime<Utc>) -> Result<()> {
        sqlx::query("UPDATE users SET language = ?2, updated_at = ?3 WHERE id = ?1")
            .bind(user_id)
            .bind(lang.code())
            .bind(to_db_time(now))
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(())
    }

    /// Changes a person's role and unit (`unit_id` must be set for staff and coordinators).
    pub async fn set_role(
        &self,
        actor_user_id: i64,
        user_id: i64,
        role: Role,
        unit_id: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let unit_id = if role.needs_unit() {
            Some(unit_id.ok_or_else(|| StorageError::Conflict("this role needs a unit".into()))?)
        } else {
            None
        };
        let mut writer = self.writer().await?;
        let mut tx = begin_write(&mut writer).await?;
        let updated =
            sqlx::query("UPDATE users SET role = ?2, unit_id = ?3, updated_at = ?4 WHERE id = ?1")
                .bind(user_id)
                .bind(role.as_str())
                .bind(unit_id)
                .bind(to_db_time(now))
                .execute(&mut *tx)
                .await?
                .rows_affected();
        if updated == 0 {
            return Err(StorageError::NotFound("user"));
        }
        let details = format!("role={role} unit_id={}", unit_id.unwrap_or_default());
        audit::record(
            &mut *tx,
            now,
            Some(actor_user_id),
            "user.set_role",
            &user_id.to_string(),
            &details,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn set_active(
        &self,
        actor_user_id: i64,
        user_id: i64,
        active: bool,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let mut writer = self.writer().await?;
        let mut tx = begin_write(&mut writer).await?;
        let updated = sqlx::query("UPDATE users SET active = ?2, updated_at = ?3 WHERE id = ?1")
            .bind(user_id)
            .bind(active)
            .bind(to_db_time(now))
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if updated == 0 {
            return Err(StorageError::NotFound("user"));
        }
        let action = if active {
            "user.activate"
        } else {
            "user.deactivate"
        };
        audit::record(
            &mut *tx,
            now,
            Some(actor_user_id),
            action,
            &user_id.to_string(),
            "",
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
