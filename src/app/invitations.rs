//! Invitations below the chat: the bureau creates a registration link for a role (and, for staff
//! and coordinators, a unit), lists the open ones and revokes one.
//!
//! The chat reads `/invite` arguments or the role and unit buttons into an
//! [`InvitationRequest`]; the use case checks the [policy](crate::policy), finds the unit and
//! creates the link through [`crate::people::create_invitation`] (which the command line uses
//! too). Outcomes are typed; the chat words them.

use chrono::{DateTime, Utc};

use super::{App, AppError};
use crate::{
    domain::{Lifetime, Role, UnitCode},
    people::{self, CreatedInvitation},
    policy,
    storage::{Invitation, Unit, User},
};

/// Which unit an invitation is for, as the person named it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnitRef {
    /// Typed in `/invite staff PUSDATIN`.
    Code(UnitCode),
    /// Chosen with a button.
    Id(i64),
}

/// What the bureau asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvitationRequest {
    pub role: Role,
    /// Ignored for a role without a unit.
    pub unit: Option<UnitRef>,
    pub uses: u32,
    pub lifetime: Lifetime,
}

impl InvitationRequest {
    /// One use, the default lifetime: what the buttons create.
    pub fn single(role: Role, unit: Option<UnitRef>) -> Self {
        Self {
            role,
            unit,
            uses: 1,
            lifetime: Lifetime::default(),
        }
    }
}

/// Why no invitation was created or revoked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InvitationRefused {
    /// Only the bureau manages invitations.
    Policy(policy::Refusal),
    /// No unit has the code typed.
    UnknownUnit(String),
    /// The role needs a unit and none was named.
    UnitNeeded,
    /// The role needs a unit and none exists yet.
    NoUnits,
    /// The unit (or invitation) a button names is gone, or the invitation is no longer open.
    Stale,
}

/// The next step after choosing a role by button.
#[derive(Debug)]
pub enum RoleChosen {
    /// A role without a unit: the invitation is made.
    Created(CreatedInvitation),
    /// A unit role: the units to choose from (never empty).
    ChooseUnit(Vec<Unit>),
}

type Outcome<T> = Result<T, InvitationRefused>;

fn may_run_campaign(user: &User) -> Outcome<()> {
    super::runs_campaign(user).map_err(InvitationRefused::Policy)
}

impl App {
    /// Creates an invitation link for the request.
    pub async fn invite(
        &self,
        user: &User,
        request: InvitationRequest,
        now: DateTime<Utc>,
    ) -> Result<Outcome<CreatedInvitation>, AppError> {
        if let Err(refused) = may_run_campaign(user) {
            return Ok(Err(refused));
        }
        let unit = if request.role.needs_unit() {
            let found = match &request.unit {
                None => return Ok(Err(InvitationRefused::UnitNeeded)),
                Some(UnitRef::Code(code)) => self
                    .storage
                    .unit_by_code(code)
                    .await?
                    .ok_or_else(|| InvitationRefused::UnknownUnit(code.as_str().to_owned())),
                Some(UnitRef::Id(id)) => self
                    .storage
                    .unit_by_id(*id)
                    .await?
                    .ok_or(InvitationRefused::Stale),
            };
            match found {
                Ok(unit) => Some(unit),
                Err(refused) => return Ok(Err(refused)),
            }
        } else {
            None
        };
        let created = people::create_invitation(
            &self.storage,
            &self.bot_username,
            request.role,
            unit,
            request.uses,
            request.lifetime,
            Some(user.id),
            now,
        )
        .await?;
        Ok(Ok(created))
    }

    /// A role chosen by button: the invitation at once, or the units to choose from.
    pub async fn invite_role(
        &self,
        user: &User,
        role: Role,
        now: DateTime<Utc>,
    ) -> Result<Outcome<RoleChosen>, AppError> {
        if let Err(refused) = may_run_campaign(user) {
            return Ok(Err(refused));
        }
        if !role.needs_unit() {
            return Ok(self
                .invite(user, InvitationRequest::single(role, None), now)
                .await?
                .map(RoleChosen::Created));
        }
        let units = self.storage.units().await?;
        Ok(if units.is_empty() {
            Err(InvitationRefused::NoUnits)
        } else {
            Ok(RoleChosen::ChooseUnit(units))
        })
    }

    /// Invitations that can still be used, newest first.
    pub async fn open_invitations(
        &self,
        user: &User,
        now: DateTime<Utc>,
    ) -> Result<Outcome<Vec<Invitation>>, AppError> {
        if let Err(refused) = may_run_campaign(user) {
            return Ok(Err(refused));
        }
        Ok(Ok(self.storage.open_invitations(now).await?))
    }

    /// Revokes an invitation; `Stale` when there was nothing to revoke.
    pub async fn revoke_invitation(
        &self,
        user: &User,
        id: i64,
        now: DateTime<Utc>,
    ) -> Result<Outcome<i64>, AppError> {
        if let Err(refused) = may_run_campaign(user) {
            return Ok(Err(refused));
        }
        Ok(
            if self
                .storage
                .revoke_invitation(Some(user.id), id, now)
                .await?
            {
                Ok(id)
            } else {
                Err(InvitationRefused::Stale)
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::innovations::tests::{BUREAU, COORDINATOR, app, before_deadline, person};

    #[tokio::test]
    async fn the_bureau_invites_to_a_unit_named_by_code_or_button_and_revokes_once() {
        let dir = tempfile::tempdir().unwrap();
        let app = app(&dir, before_deadline()).await;
        let bureau = person(&app, BUREAU).await;
        let now = app.now();
        let by_code = InvitationRequest {
            role: Role::Staff,
            unit: Some(UnitRef::Code(UnitCode::parse("U1").unwrap())),
            uses: 5,
            lifetime: Lifetime::default(),
        };
        let created = app.invite(&bureau, by_code, now).await.unwrap().unwrap();
        assert!(
            created
                .link
                .starts_with("https://t.me/kipp_test_bot?start=")
        );
        assert_eq!(created.unit.as_ref().map(|unit| unit.id), Some(1));
        assert_eq!(created.max_uses, 5);
        let unknown = InvitationRequest::single(
            Role::Coordinator,
            Some(UnitRef::Code(UnitCode::parse("NOPE").unwrap())),
        );
        assert_eq!(
            app.invite(&bureau, unknown, now)
                .await
                .unwrap()
                .unwrap_err(),
            InvitationRefused::UnknownUnit("NOPE".into())
        );
        let gone = InvitationRequest::single(Role::Staff, Some(UnitRef::Id(99)));
        assert_eq!(
            app.invite(&bureau, gone, now).await.unwrap().unwrap_err(),
            InvitationRefused::Stale
        );
        let without_unit = InvitationRequest::single(Role::Staff, None);
        assert_eq!(
            app.invite(&bureau, without_unit, now)
                .await
                .unwrap()
                .unwrap_err(),
            InvitationRefused::UnitNeeded
        );
        let open = app.open_invitations(&bureau, now).await.unwrap().unwrap();
        assert_eq!(open.len(), 1);
        assert_eq!(
            app.revoke_invitation(&bureau, created.id, now)
                .await
                .unwrap(),
            Ok(created.id)
        );
        assert_eq!(
            app.revoke_invitation(&bureau, created.id, now)
                .await
                .unwrap(),
            Err(InvitationRefused::Stale)
        );
    }

    #[tokio::test]
    async fn a_role_button_invites_at_once_or_asks_for_the_unit_and_only_the_bureau_may() {
        let dir = tempfile::tempdir().unwrap();
        let app = app(&dir, before_deadline()).await;
        let bureau = person(&app, BUREAU).await;
        let now = app.now();
        assert!(matches!(
            app.invite_role(&bureau, Role::Bureau, now).await.unwrap(),
            Ok(RoleChosen::Created(created)) if created.unit.is_none()
        ));
        match app.invite_role(&bureau, Role::Staff, now).await.unwrap() {
            Ok(RoleChosen::ChooseUnit(units)) => assert_eq!(units.len(), 1),
            other => panic!("{other:?}"),
        }
        let coordinator = person(&app, COORDINATOR).await;
        assert_eq!(
            app.invite_role(&coordinator, Role::Bureau, now)
                .await
                .unwrap()
                .unwrap_err(),
            InvitationRefused::Policy(policy::Refusal::Role)
        );
        assert!(
            app.open_invitations(&coordinator, now)
                .await
                .unwrap()
                .is_err()
        );
    }
}
