//! No update can stop the bot for everyone else.
//!
//! teloxide runs each chat's updates on a worker task; a panic inside a handler kills that worker,
//! and the dispatcher then panics itself ("TX is dead"): nobody is answered any more. Every
//! endpoint therefore runs its handling inside [`guarded`], which catches a panic, logs it with
//! the update id, quarantines the update (so a restart does not replay it into the same panic),
//! and tells the sender, in their language, that this one message could not be handled.

use std::{any::Any, future::Future, panic::AssertUnwindSafe};

use futures::FutureExt;
use teloxide::types::{Update, UpdateKind};

use super::{BotContext, BotError, texts};

/// Runs `handling`; a panic inside it is caught and answered instead of unwinding into the
/// dispatcher. Errors pass through unchanged (the caller leaves such an update in the inbox).
pub async fn guarded<F>(update: &Update, ctx: &BotContext, handling: F) -> Result<(), BotError>
where
    F: Future<Output = Result<(), BotError>>,
{
    match AssertUnwindSafe(handling).catch_unwind().await {
        Ok(result) => result,
        Err(panic) => {
            recover(update, ctx, &panic_message(panic.as_ref())).await;
            Ok(())
        }
    }
}

/// After a caught panic: log, quarantine, tell the sender. Nothing here may fail the update.
async fn recover(update: &Update, ctx: &BotContext, message: &str) {
    let update_id = i64::from(update.id.0);
    tracing::error!(update_id, panic = %message, "handling an update panicked; it is set aside");
    let failure = format!("panicked: {message}");
    if let Err(error) = ctx
        .storage
        .quarantine_update(update_id, &failure, ctx.now())
        .await
    {
        tracing::error!(%error, update_id, "cannot quarantine the update");
    }
    let Some((chat_id, language_code)) = sender_of(update) else {
        return;
    };
    let lang = match ctx.storage.user_by_telegram_id(chat_id).await {
        Ok(Some(user)) if user.active => user.lang,
        _ => texts::lang_of_stranger(language_code.as_deref()),
    };
    if let Err(error) = ctx.reply(chat_id, texts::update_failed(lang)).await {
        tracing::warn!(%error, update_id, "cannot tell the sender their update failed");
    }
}

/// The private chat to answer in, and the sender's app language. Group chats get nothing: the
/// bot only serves private chats.
fn sender_of(update: &Update) -> Option<(i64, Option<String>)> {
    match &update.kind {
        UpdateKind::Message(message) | UpdateKind::EditedMessage(message) => {
            let from = message.from.as_ref()?;
            if !message.chat.is_private() || from.is_bot {
                return None;
            }
            Some((message.chat.id.0, from.language_code.clone()))
        }
        UpdateKind::CallbackQuery(query) => Some((
            i64::try_from(query.from.id.0).ok()?,
            query.from.language_code.clone(),
        )),
        _ => None,
    }
}

fn panic_message(panic: &(dyn Any + Send)) -> String {
    if let Some(text) = panic.downcast_ref::<&str>() {
        (*text).to_owned()
    } else if let Some(text) = panic.downcast_ref::<String>() {
        text.clone()
    } else {
        "a panic without a message".to_owned()
    }
}
