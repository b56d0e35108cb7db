//! The questionnaire: `spec` reads a dialog file into a spanned tree, `model` checks it into a
//! [`Dialog`], `engine` walks it (pure), `validate` turns an [`Input`] into an answer; a
//! [`Conversation`] is where a person stands in it, and [`step`] moves them on by one message
//! or button (pure too).

mod conversation;
mod display;
pub mod engine;
pub mod model;
mod readiness;
pub mod spec;
pub mod step;
pub mod validate;

pub use conversation::Conversation;
pub use engine::{
    AnswerKey, BoxWords, Completion, Cursor, Missing, MissingKind, Position, Progress, ReviewEntry,
    ReviewSection,
};
pub use model::{
    AgeRule, Campaign, ChoiceOption, ChoiceRules, Condition, ConditionTest, DateRules, Dialog,
    DialogError, DialogErrors, FileKind, FileRules, GROUP_QUESTION, GroupRules, IntegerRules,
    LoadError, MinAge, NarrativeBox, NumberRules, Question, QuestionKind, Section, Text, TextRules,
    UNITS_DEADLINE_LEAD_DAYS, UrlRules,
};
pub use readiness::{Blocker, Readiness};
pub use step::{After, Event, Notice, Outcome, Press, step};
pub use validate::{
    Accepted, Expected, FileMeta, Input, Received, Rejection, Warning, file_type_name,
};

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects, reason = "tests may panic")]
mod props;
#[cfg(test)]
#[allow(
    clippy::arithmetic_side_effects,
    clippy::string_slice,
    reason = "tests may panic"
)]
mod tests;
