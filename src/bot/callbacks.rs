//! Button payloads (`callback_data`, at most 64 bytes). Anything that does not parse is treated
//! as a stale or forged button; every action is checked against the presser's role again.

use crate::domain::{Lang, Role};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    SetLanguage(Lang),
    InviteRole(Role),
    InviteUnit { role: Role, unit_id: i64 },
    RevokeInvitation(i64),
}

impl Action {
    pub fn encode(&self) -> String {
        match self {
            Action::SetLanguage(lang) => format!("lang:{}", lang.code()),
            Action::InviteRole(role) => format!("inv:r:{role}"),
            Action::InviteUnit { role, unit_id } => format!("inv:u:{role}:{unit_id}"),
            Action::RevokeInvitation(id) => format!("rev:{id}"),
        }
    }

    pub fn parse(data: &str) -> Option<Action> {
        let parts: Vec<&str> = data.split(':').collect();
        match parts.as_slice() {
            ["lang", code] => Lang::parse(code).map(Action::SetLanguage),
            ["inv", "r", role] => Role::parse(role).map(Action::InviteRole),
            ["inv", "u", role, unit_id] => Some(Action::InviteUnit {
                role: Role::parse(role)?,
                unit_id: unit_id.parse().ok()?,
            }),
            ["rev", id] => id.parse().ok().map(Action::RevokeInvitation),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for action in [
            Action::SetLanguage(Lang::En),
            Action::InviteRole(Role::Coordinator),
            Action::InviteUnit {
                role: Role::Staff,
                unit_id: 42,
            },
            Action::RevokeInvitation(7),
        ] {
            assert_eq!(Action::parse(&action.encode()), Some(action));
        }
        assert_eq!(Action::parse("rev:x"), None);
        assert_eq!(Action::parse("nonsense"), None);
    }
}
