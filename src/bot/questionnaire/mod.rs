//! The guided questionnaire over Telegram: thin glue between the dialog engine (which knows
//! nothing of Telegram), the storage (which knows nothing of questions) and the chat.
//!
//! Every accepted answer is committed, together with the person's next position and the id of
//! the update that carried it, before the bot replies. The position lives in the database, so a
//! restart resumes everyone where they were, and a redelivered update changes nothing twice.

mod answers;
mod buttons;
mod commands;
mod rendering;

pub use answers::*;
pub use buttons::*;
pub use commands::*;
pub use rendering::*;

use std::sync::Arc;

use super::{
    BotContext, BotError,
    callbacks::{Action, Step},
    texts::{self, Html},
};
use crate::{
    app::{Conversation, Refused, Snapshot, Started},
    dialog::{
        After, AnswerKey, Cursor, Event, FileMeta, Input, Outcome, Progress, Question,
        QuestionKind, Warning,
        step::{after_upload, button_is_current, step},
    },
    domain::{AnswerValue, InnovationState, Lang, Role},
    evidence::{self, UploadError},
    policy::{self, Act, Capability, Reach},
    storage::{AnswerSaved, Applied, ConversationWrite, Innovation, NewEvidence, Pending},
    telegram::{Button, Keyboard, SendOptions},
};

pub(super) type HandlerResult = Result<(), BotError>;

/// What a person sent, read off the Telegram message.
#[derive(Debug, Clone)]
pub enum UserInput {
    Text(String),
    Contact {
        phone: String,
        first_name: String,
        last_name: Option<String>,
    },
    File {
        file_id: String,
        unique_id: String,
        meta: FileMeta,
    },
    Other(&'static str),
}

pub(super) fn can_view(user: &crate::storage::User, innovation: &Innovation) -> bool {
    policy::may(user, Act::View, innovation).is_ok()
}

pub(super) fn can_answer(user: &crate::storage::User, innovation: &Innovation) -> bool {
    policy::may(user, Act::Answer, innovation).is_ok()
}

/// Asks the [policy](crate::policy); on a refusal, tells the person why and returns false.
pub(super) async fn permitted(
    ctx: &BotContext,
    user: &crate::storage::User,
    act: Act,
    innovation: &Innovation,
) -> Result<bool, BotError> {
    match policy::may(user, act, innovation) {
        Ok(()) => Ok(true),
        Err(refusal) => {
            let text = refusal_text(user, act, refusal, innovation.id);
            ctx.reply(user.telegram_id, &text).await?;
            Ok(false)
        }
    }
}

fn refusal_text(
    user: &crate::storage::User,
    act: Act,
    refusal: policy::Refusal,
    innovation_id: i64,
) -> Html {
    let bureau = policy::allows(user.role, Capability::RunCampaign);
    texts::refusal(user.lang, act, refusal, innovation_id, bureau)
}

/// The sentence for a use case that changed nothing. `act` is the use case's act (for the
/// policy's refusals); `moved` words a state found changed as the storage wrote, which each
/// use case says its own way.
pub(crate) fn refused_text(
    ctx: &BotContext,
    user: &crate::storage::User,
    act: Act,
    innovation_id: i64,
    refused: &Refused,
    moved: impl FnOnce(InnovationState) -> Html,
) -> Html {
    let lang = user.lang;
    match refused {
        Refused::NotFound => texts::innovation_not_found(lang),
        Refused::NoUnit => texts::no_unit(lang),
        Refused::Policy(refusal) => refusal_text(user, act, *refusal, innovation_id),
        Refused::Incomplete(missing) => {
            let missing: Vec<String> = missing
                .iter()
                .map(|missing| missing.message(&ctx.dialog, lang))
                .collect();
            texts::cannot_submit(lang, &missing)
        }
        Refused::NotOpen(state) => texts::not_reviewable(lang, *state),
        Refused::Moved { state } => moved(*state),
        Refused::NoComments => texts::no_comments_yet(lang),
        Refused::SelectionClosed { deadline } => {
            texts::selection_closed(lang, &texts::local_time(*deadline, ctx.timezone))
        }
        Refused::CapReached { cap } => texts::select_cap_reached(lang, *cap),
        Refused::GroupFull { group, cap } => {
            texts::select_group_full(lang, &ctx.group_label(group, lang), *cap)
        }
    }
}

/// The unit to list for the person (`None`: every unit), or `Err` after telling them they
/// have no unit.
pub(super) async fn listed_unit(
    ctx: &BotContext,
    user: &crate::storage::User,
) -> Result<Result<Option<i64>, ()>, BotError> {
    match policy::reach(user) {
        Reach::Everything => Ok(Ok(None)),
        Reach::Unit(unit) => Ok(Ok(Some(unit))),
        Reach::Nothing => {
            ctx.reply(user.telegram_id, texts::no_unit(user.lang))
                .await?;
            Ok(Err(()))
        }
    }
}
