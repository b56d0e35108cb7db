use std::fmt;

use serde::{Deserialize, Serialize};

/// What a registered person may do. Checked on every action, never cached from registration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Belongs to one unit and works on that unit's innovations.
    Staff,
    /// Belongs to one unit; reads its progress, reviews it and receives its digest.
    Coordinator,
    /// Biro HOKH: everything, across all units.
    Bureau,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Staff, Role::Coordinator, Role::Bureau];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Staff => "staff",
            Role::Coordinator => "coordinator",
            Role::Bureau => "bureau",
        }
    }

    /// Accepts the English names and the Indonesian ones the bureau is likely to type.
    pub fn parse(s: &str) -> Option<Role> {
        match s.trim().to_ascii_lowercase().as_str() {
            "staff" | "staf" => Some(Role::Staff),
            "coordinator" | "koordinator" | "coord" => Some(Role::Coordinator),
            "bureau" | "biro" | "admin" => Some(Role::Bureau),
            _ => None,
        }
    }

    /// Staff and coordinators always belong to a unit; bureau members never need one.
    pub fn needs_unit(self) -> bool {
        !matches!(self, Role::Bureau)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
