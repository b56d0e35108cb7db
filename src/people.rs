//! People and access, shared by the bot's commands and the command line.

use chrono::{DateTime, Utc};

use crate::{
    domain::{InviteToken, Lifetime, Role},
    storage::{NewInvitation, Storage, StorageError, Unit},
};

#[derive(Debug, Clone)]
pub struct CreatedInvitation {
    pub id: i64,
    pub link: String,
    pub role: Role,
    pub unit: Option<Unit>,
    pub max_uses: u32,
    pub expires_at: DateTime<Utc>,
}

/// The deep link a person opens to register: `https://t.me/<bot>?start=<token>`.
pub fn invitation_link(bot_username: &str, token: &InviteToken) -> String {
    format!("https://t.me/{bot_username}?start={}", token.as_str())
}

/// Creates an invitation and returns its link; the token exists only in that link.
#[allow(clippy::too_many_arguments)]
pub async fn create_invitation(
    storage: &Storage,
    bot_username: &str,
    role: Role,
    unit: Option<Unit>,
    max_uses: u32,
    lifetime: Lifetime,
    created_by: Option<i64>,
    now: DateTime<Utc>,
) -> Result<CreatedInvitation, StorageError> {
    let token = InviteToken::generate();
    let unit = if role.needs_unit() { unit } else { None };
    // A lifetime is at most 366 days, so this fails only for a clock near the year 262000.
    let expires_at = now.checked_add_signed(lifetime.duration()).ok_or_else(|| {
        StorageError::Conflict(
            "the invitation would expire after the last representable date".into(),
        )
    })?;
    let id = storage
        .create_invitation(
            NewInvitation {
                token: &token,
                role,
                unit_id: unit.as_ref().map(|unit| unit.id),
                max_uses,
                expires_at,
                created_by,
            },
            now,
        )
        .await?;
    Ok(CreatedInvitation {
        id,
        link: invitation_link(bot_username, &token),
        role,
        unit,
        max_uses: max_uses.max(1),
        expires_at,
    })
}
