use serde::{Deserialize, Serialize};

/// Who a broadcast goes to. Stored with the draft as JSON (`{"kind":"units","units":[1,2]}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Audience {
    Everyone,
    Units { units: Vec<i64> },
    Incomplete,
    Coordinators,
}
