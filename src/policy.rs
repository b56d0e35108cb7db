//! Who may do what, decided in one place.
//!
//! Every command and every button asks [`allows`] (may this role use this capability at all?)
//! and, for an act on one innovation, [`may`] (may this person do this to that innovation,
//! now?). Nothing else in the code compares roles or units to decide access.
//!
//! The rules:
//! - The bureau sees every unit; everyone else sees their own unit only. An innovation outside a
//!   person's reach is answered as "not found": its existence is not revealed.
//! - Staff of the unit draft, answer and submit; only while it is a draft or sent back.
//! - The unit's coordinator and the bureau review (approve, send back with comments) and reopen a
//!   submitted or approved innovation. A **selected** innovation is reopened by nobody directly:
//!   the bureau first takes the selection back with `/unselect` (which keeps the selection
//!   deadline and the cap in force), then reopens it.
//! - Only the bureau selects for KIPP, runs the campaign (units, people, invitations, deadlines,
//!   broadcasts) and exports every unit; a coordinator exports their own unit.

use crate::{
    domain::{InnovationState, Role, Transition},
    storage::{Innovation, User},
};

/// What a role may use at all: one per group of commands and buttons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Capability {
    /// Help, language, status, the list and summaries of what one may see.
    Basics,
    /// Start, answer and submit innovations.
    Draft,
    /// Review, reopen, digests and exports of one's reach.
    Review,
    /// Select for KIPP, units, people, invitations, deadlines, broadcasts.
    RunCampaign,
}

pub fn allows(role: Role, capability: Capability) -> bool {
    match capability {
        Capability::Basics => true,
        Capability::Draft => role == Role::Staff,
        Capability::Review => matches!(role, Role::Coordinator | Role::Bureau),
        Capability::RunCampaign => role == Role::Bureau,
    }
}

/// What a person may want to do to one innovation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    /// See its answers, summary and proposal draft.
    View,
    /// Change its answers (and resume its questionnaire).
    Answer,
    Submit,
    /// Approve it, send it back, comment on its answers.
    Review,
    /// Turn it back into a draft.
    Reopen,
    /// Select it for KIPP or take the selection back.
    Select,
}

/// Why an act is refused; the chat turns each into a sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Outside the person's reach: answered as "not found".
    Hidden,
    /// The person's role may not do this (staff approving, a coordinator selecting).
    Role,
    /// Not in a state this act applies to (answering a submitted innovation).
    State(InnovationState),
    /// Selected for KIPP: only the bureau can take the selection back (`/unselect`) first.
    Selected,
}

/// Which innovations a person reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    Everything,
    Unit(i64),
    /// Registered without a unit (cannot happen for staff and coordinators, who need one).
    Nothing,
}

pub fn reach(user: &User) -> Reach {
    match (user.role, &user.unit) {
        (Role::Bureau, _) => Reach::Everything,
        (_, Some(unit)) => Reach::Unit(unit.id),
        (_, None) => Reach::Nothing,
    }
}

impl Reach {
    pub fn includes(self, unit_id: i64) -> bool {
        match self {
            Self::Everything => true,
            Self::Unit(own) => own == unit_id,
            Self::Nothing => false,
        }
    }

    /// The unit to filter by; `None` for everything.
    pub fn unit(self) -> Option<i64> {
        match self {
            Self::Unit(id) => Some(id),
            Self::Everything | Self::Nothing => None,
        }
    }
}

/// May `user` do `act` to `innovation` now?
pub fn may(user: &User, act: Act, innovation: &Innovation) -> Result<(), Refusal> {
    if !user.active || !reach(user).includes(innovation.unit_id) {
        return Err(Refusal::Hidden);
    }
    let state = innovation.state;
    let capability = match act {
        Act::View => Capability::Basics,
        Act::Answer | Act::Submit => Capability::Draft,
        Act::Review | Act::Reopen => Capability::Review,
        Act::Select => Capability::RunCampaign,
    };
    if !allows(user.role, capability) {
        return Err(Refusal::Role);
    }
    // Which states an act starts from is the state machine's to say.
    match act {
        Act::Answer if !state.is_editable() => Err(Refusal::State(state)),
        Act::Submit if state.after(Transition::Submit).is_err() => Err(Refusal::State(state)),
        Act::Reopen if state.after(Transition::Reopen).is_err() => {
            Err(if state == InnovationState::Selected {
                Refusal::Selected
            } else {
                Refusal::State(state)
            })
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::{domain::Lang, storage::Unit};

    fn person(role: Role, unit: Option<i64>) -> User {
        User {
            id: 1,
            telegram_id: 1,
            display_name: "A".into(),
            username: None,
            lang: Lang::Id,
            role,
            unit: unit.map(|id| Unit {
                id,
                code: format!("U{id}"),
                name: format!("Unit {id}"),
                deadline_at: None,
            }),
            active: true,
        }
    }

    fn innovation(unit_id: i64, state: InnovationState) -> Innovation {
        Innovation {
            id: 7,
            unit_id,
            unit_code: "U1".into(),
            unit_name: "Unit 1".into(),
            state,
            dialog_version: "v".into(),
            created_by: 1,
            created_at: Utc::now(),
            updated_by: 1,
            updated_by_name: "A".into(),
            late_submitted_at: None,
            revision: 0,
            updated_at: Utc::now(),
        }
    }

    #[test]
    fn other_units_are_hidden_from_everyone_but_the_bureau() {
        let theirs = innovation(2, InnovationState::Submitted);
        for role in [Role::Staff, Role::Coordinator] {
            for act in [
                Act::View,
                Act::Answer,
                Act::Review,
                Act::Reopen,
                Act::Select,
            ] {
                assert_eq!(
                    may(&person(role, Some(1)), act, &theirs),
                    Err(Refusal::Hidden)
                );
            }
        }
        assert_eq!(may(&person(Role::Bureau, None), Act::View, &theirs), Ok(()));
        let mut inactive = person(Role::Bureau, None);
        inactive.active = false;
        assert_eq!(may(&inactive, Act::View, &theirs), Err(Refusal::Hidden));
    }

    #[test]
    fn staff_answer_only_editable_innovations_of_their_unit() {
        let staff = person(Role::Staff, Some(1));
        assert_eq!(
            may(&staff, Act::Answer, &innovation(1, InnovationState::Draft)),
            Ok(())
        );
        assert_eq!(
            may(
                &staff,
                Act::Submit,
                &innovation(1, InnovationState::Returned)
            ),
            Ok(())
        );
        assert_eq!(
            may(
                &staff,
                Act::Answer,
                &innovation(1, InnovationState::Submitted)
            ),
            Err(Refusal::State(InnovationState::Submitted))
        );
        assert_eq!(
            may(
                &staff,
                Act::Review,
                &innovation(1, InnovationState::Submitted)
            ),
            Err(Refusal::Role)
        );
        let coordinator = person(Role::Coordinator, Some(1));
        assert_eq!(
            may(
                &coordinator,
                Act::Answer,
                &innovation(1, InnovationState::Draft)
            ),
            Err(Refusal::Role)
        );
    }

    #[test]
    fn a_selected_innovation_is_reopened_by_nobody_directly() {
        let selected = innovation(1, InnovationState::Selected);
        for user in [
            person(Role::Coordinator, Some(1)),
            person(Role::Bureau, None),
        ] {
            assert_eq!(may(&user, Act::Reopen, &selected), Err(Refusal::Selected));
            assert_eq!(
                may(
                    &user,
                    Act::Reopen,
                    &innovation(1, InnovationState::Approved)
                ),
                Ok(())
            );
        }
        assert_eq!(
            may(&person(Role::Coordinator, Some(1)), Act::Select, &selected),
            Err(Refusal::Role)
        );
        assert_eq!(
            may(&person(Role::Bureau, None), Act::Select, &selected),
            Ok(())
        );
    }

    #[test]
    fn submit_and_reopen_start_where_the_state_machine_says() {
        let staff = person(Role::Staff, Some(1));
        let coordinator = person(Role::Coordinator, Some(1));
        for state in InnovationState::ALL {
            let innovation = innovation(1, state);
            assert_eq!(
                may(&staff, Act::Submit, &innovation).is_ok(),
                state.after(Transition::Submit).is_ok(),
                "{state}"
            );
            assert_eq!(
                may(&coordinator, Act::Reopen, &innovation).is_ok(),
                state.after(Transition::Reopen).is_ok(),
                "{state}"
            );
        }
    }
}
