use chrono::{DateTime, Utc};
use sqlx::FromRow;

use super::{
    Result, Storage, StorageError, User, UserProfile, audit, begin_write, from_db_time, to_db_time,
};
use crate::domain::{InviteToken, Lang, Role};

#[derive(Debug, Clone)]
pub struct NewInvitation<'a> {
    pub token: &'a InviteToken,
    pub role: Role,
    pub unit_id: Option<i64>,
    pub max_uses: u32,
    pub expires_at: DateTime<Utc>,
    pub created_by: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    pub id: i64,
    pub role: Role,
    pub unit_code: Option<String>,
    pub max_uses: u32,
    pub uses: u32,
    pub expires_at: DateTime<Utc>,
    pub revoked: bool,
}

/// Why an invitation token did not register anybody.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvitationRefusal {
    Unknown,
    Expired,
    UsedUp,
    Revoked,
}

#[derive(FromRow)]
struct InvitationRow {
    id: i64,
    role: String,
    unit_code: Option<String>,
    max_uses: i64,
    uses: i64,
    expires_at: i64,
    revoked_at: Option<i64>,
}

impl TryFrom<InvitationRow> for Invitation {
    type Error = StorageError;

    fn try_from(row: InvitationRow) -> Result<Self> {
        Ok(Invitation {
            id: row.id,
            role: Role::parse(&row.role)
                .ok_or_else(|| StorageError::Corrupt(format!("unknown role {:?}", row.role)))?,
            unit_code: row.unit_code,
            max_uses: u32::try_from(row.max_uses).unwrap_or(u32::MAX),
            uses: u32::try_from(row.uses).unwrap_or(u32::MAX),
            expires_at: from_db_time(row.expires_at),
            revoked: row.revoked_at.is_some(),
        })
    }
}

const SELECT_INVITATION: &str = "SELECT i.id, i.role, n.code AS unit_code, i.max_uses, i.uses,
        i.expires_at, i.revoked_at
    FROM invitations i LEFT JOIN units n ON n.id = i.unit_id";

impl Storage {
    pub async fn create_invitation(
        &self,
        invitation: NewInvitation<'_>,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        if invitation.role.needs_unit() && invitation.unit_id.is_none() {
            return Err(StorageError::Conflict(
                "staff and coordinator invitations need a unit".into(),
            ));
        }
        let mut writer = self.writer().await?;
        let mut tx = begin_write(&mut writer).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO invitations (token_hash, role, unit_id, max_uses, expires_at, created_by,
                 created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
        )
        .bind(invitation.token.hash())
        .bind(invitation.role.as_str())
        .bind(
            invitation
                .role
                .needs_unit()
                .then_some(invitation.unit_id)
                .flatten(),
        )
        .bind(i64::from(invitation.max_uses.max(1)))
        .bind(to_db_time(invitation.expires_at))
        .bind(invitation.created_by)
        .bind(to_db_time(now))
        .fetch_one(&mut *tx)
        .await?;
        let details = format!(
            "role={} unit_id={} uses={} expires_at={}",
            invitation.role,
            invitation.unit_id.unwrap_or_default(),
            invitation.max_uses,
            invitation.expires_at.to_rfc3339()
        );
        audit::record(
            &mut *tx,
            now,
            invitation.created_by,
            "invitation.create",
            &id.to_string(),
            &details,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Invitations that can still be used, newest first.
    pub async fn open_invitations(&self, now: DateTime<Utc>) -> Result<Vec<Invitation>> {
        let rows: Vec<InvitationRow> = sqlx::query_as(&format!(
            "{SELECT_INVITATION} WHERE i.revoked_at IS NULL AND i.expires_at > ?1
                 AND i.uses < i.max_uses
             ORDER BY i.id DESC"
        ))
        .bind(to_db_time(now))
        .fetch_all(&mut *self.reader().await?)
        .await?;
        rows.into_iter().map(Invitation::try_from).collect()
    }

    pub async fn invitation(&self, id: i64) -> Result<Option<Invitation>> {
        let row: Option<InvitationRow> =
            sqlx::query_as(&format!("{SELECT_INVITATION} WHERE i.id = ?1"))
                .bind(id)
                .fetch_optional(&mut *self.reader().await?)
                .await?;
        row.map(Invitation::try_from).transpose()
    }

    /// Returns false when there was nothing to revoke (unknown or already revoked).
    pub async fn revoke_invitation(
        &self,
        actor_user_id: Option<i64>,
        id: i64,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let mut writer = self.writer().await?;
        let mut tx = begin_write(&mut writer).await?;
        let revoked = sqlx::query(
            "UPDATE invitations SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
        )
        .bind(id)
        .bind(to_db_time(now))
        .execute(&mut *tx)
        .await?
        .rows_affected()
            > 0;
        if revoked {
            audit::record(
                &mut *tx,
                now,
                actor_user_id,
                "invitation.revoke",
                &id.to_string(),
                "",
            )
            .await?;
        }
        tx.commit().await?;
        Ok(revoked)
    }

    /// Uses one of the invitation's places and registers (or re-activates) the person with its
    /// role and unit, in one transaction: two people racing for the last place cannot both win.
    pub async fn register_with_invitation(
        &self,
        token: &InviteToken,
        profile: &UserProfile,
        lang: Lang,
        now: DateTime<Utc>,
    ) -> Result<std::result::Result<User, InvitationRefusal>> {
        let token_hash = token.hash();
        let mut writer = self.writer().await?;
        let mut tx = begin_write(&mut writer).await?;
        let consumed: Option<(i64, String, Option<i64>)> = sqlx::query_as(
            "UPDATE invitations SET uses = uses + 1
             WHERE token_hash = ?1 AND revoked_at IS NULL AND expires_at > ?2 AND uses < max_uses
             RETURNING id, role, unit_id",
        )
        .bind(&token_hash)
        .bind(to_db_time(now))
        .fetch_optional(&mut *tx)
        .await?;
        let Some((invitation_id, role, unit_id)) = consumed else {
            let state: Option<(i64, i64, i64, Option<i64>)> = sqlx::query_as(
                "SELECT uses, max_uses, expires_at, revoked_at FROM invitations
                 WHERE token_hash = ?1",
            )
            .bind(&token_hash)
            .fetch_optional(&mut *tx)
            .await?;
            let refusal = match state {
                None => InvitationRefusal::Unknown,
                Some((_, _, _, Some(_))) => InvitationRefusal::Revoked,
                Some((_, _, expires_at, None)) if expires_at <= to_db_time(now) => {
                    InvitationRefusal::Expired
                }
                Some(_) => InvitationRefusal::UsedUp,
            };
            return Ok(Err(refusal));
        };
        let user_id: i64 = sqlx::query_scalar(
            "INSERT INTO users (telegram_id, display_name, username, language, role, unit_id,
                 active, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, ?7, ?7)
             ON CONFLICT (telegram_id) DO UPDATE SET display_name = excluded.display_name,
                 username = excluded.username, role = excluded.role, unit_id = excluded.unit_id,
                 active = 1, updated_at = excluded.updated_at
             RETURNING id",
        )
        .bind(profile.telegram_id)
        .bind(&profile.display_name)
        .bind(&profile.username)
        .bind(lang.code())
        .bind(&role)
        .bind(unit_id)
        .bind(to_db_time(now))
        .fetch_one(&mut *tx)
        .await?;
        audit::record(
            &mut *tx,
            now,
            Some(user_id),
            "user.register",
            &user_id.to_string(),
            &format!("invitation={invitation_id} role={role}"),
        )
        .await?;
        tx.commit().await?;
        let user = self
            .user_by_id(user_id)
            .await?
            .ok_or(StorageError::NotFound("user"))?;
        Ok(Ok(user))
    }
}
