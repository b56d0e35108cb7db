//! Validated domain types: once a value has one of these types, it is valid.

pub mod answer;
pub mod audience;
pub mod innovation;
pub mod invitation;
pub mod lang;
pub mod role;
pub mod span;
pub mod unit;

pub use answer::{
    AnswerValue, DateError, Email, EmailError, HttpUrl, Number, NumberError, PhoneError,
    PhoneNumber, UrlError, parse_date, parse_integer,
};
pub use audience::Audience;
pub use innovation::{InnovationState, NotAllowed, Transition};
pub use invitation::{InviteToken, Lifetime};
pub use lang::Lang;
pub use role::Role;
pub use span::parse_span;
pub use unit::{UnitCode, UnitName};

#[cfg(test)]
#[allow(
    clippy::arithmetic_side_effects,
    clippy::string_slice,
    reason = "tests may panic"
)]
mod props;
