//! Validated domain types: once a value has one of these types, it is valid.

pub mod invitation;
pub mod lang;
pub mod role;
pub mod unit;

pub use invitation::{InviteToken, Lifetime};
pub use lang::Lang;
pub use role::Role;
pub use unit::{UnitCode, UnitName};
