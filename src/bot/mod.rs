//! The Telegram layer: the handler tree and thin handlers (read the update → check access →
//! call the domain/storage → render a text → send it).

pub mod commands;
mod exports;
mod guard;

// Reply texts and button payloads live outside the chat layer (the scheduler and the digests use
// them too); re-exported here where the chat code and its tests have always found them.
pub use crate::{actions as callbacks, texts};
mod handlers;
pub mod outreach;
pub mod questionnaire;
mod review;

use std::sync::Arc;

use teloxide::{
    dispatching::{UpdateFilterExt, UpdateHandler},
    prelude::*,
};

use crate::{
    app::{App, AppError},
    domain::Lang,
    storage::{StorageError, User},
    telegram::{SendOptions, TelegramClient, TelegramError, Turns},
    texts::Html,
};

/// What every handler needs: the application (storage, questionnaire, clock; see
/// [`crate::app`]) and the Telegram transport. It dereferences to [`App`], so a handler reads
/// `ctx.storage` or `ctx.now()` directly; only this layer holds the client.
pub struct BotContext {
    pub app: Arc<App>,
    pub telegram: TelegramClient,
    /// `KIPP_TEST_PANIC_TEXT`: a message with exactly this text makes its handler panic, so
    /// that tests can prove a panic stops nothing. `None` (unset) in production.
    pub panic_trigger: Option<String>,
    /// Which updates are in hand; every handler holds its update's turn (see `Turns`).
    pub turns: Arc<Turns>,
}

impl std::ops::Deref for BotContext {
    type Target = App;

    fn deref(&self) -> &App {
        &self.app
    }
}

impl BotContext {
    pub async fn reply(&self, chat_id: i64, html: impl AsRef<Html>) -> Result<(), BotError> {
        self.telegram
            .send_text(chat_id, html.as_ref(), SendOptions::default())
            .await?;
        Ok(())
    }

    pub async fn reply_with(
        &self,
        chat_id: i64,
        html: impl AsRef<Html>,
        options: SendOptions,
    ) -> Result<(), BotError> {
        self.telegram
            .send_text(chat_id, html.as_ref(), options)
            .await?;
        Ok(())
    }

    /// Shows a person the menu of their role, in their language.
    pub async fn sync_menu(&self, user: &User) -> Result<(), BotError> {
        let commands = if user.active {
            commands::menu_for(user.role, user.lang)
        } else {
            commands::public_menu(user.lang)
        };
        match self
            .telegram
            .set_commands(Some(user.telegram_id), None, &commands)
            .await
        {
            // A person who never opened a chat with the bot has no menu to set yet.
            Err(TelegramError::Unreachable(_)) => Ok(()),
            other => Ok(other?),
        }
    }

    /// The default menu, seen by anyone without a per-chat menu.
    pub async fn set_public_menu(&self) -> Result<(), BotError> {
        self.telegram
            .set_commands(None, None, &commands::public_menu(Lang::Id))
            .await?;
        self.telegram
            .set_commands(None, Some("en"), &commands::public_menu(Lang::En))
            .await?;
        Ok(())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum BotError {
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error(transparent)]
    Telegram(#[from] TelegramError),
    #[error(transparent)]
    App(#[from] AppError),
}

/// The handler tree: messages, edited messages and button presses. Nothing else is asked for.
pub fn schema() -> UpdateHandler<BotError> {
    dptree::entry()
        .branch(Update::filter_message().endpoint(handlers::on_message))
        .branch(Update::filter_edited_message().endpoint(handlers::on_edited_message))
        .branch(Update::filter_callback_query().endpoint(handlers::on_callback))
}
