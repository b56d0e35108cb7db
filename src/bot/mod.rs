//! The Telegram layer: the handler tree and thin handlers (read the update → check access →
//! call the domain/storage → render a text → send it).

pub mod callbacks;
pub mod commands;
mod exports;
mod guard;
mod handlers;
pub mod outreach;
pub mod questionnaire;
mod review;
pub mod texts;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use teloxide::{
    dispatching::{UpdateFilterExt, UpdateHandler},
    prelude::*,
};

use crate::{
    clock::Clock,
    dialog::Dialog,
    domain::Lang,
    storage::{Storage, StorageError, User},
    telegram::{SendOptions, TelegramClient, TelegramError},
};

/// What every handler needs, built once at start and shared.
pub struct BotContext {
    pub storage: Storage,
    pub telegram: TelegramClient,
    pub clock: Arc<dyn Clock>,
    pub timezone: Tz,
    pub bot_username: String,
    pub dialog: Arc<Dialog>,
    pub evidence_dir: std::path::PathBuf,
    /// Wakes the scheduler when something was queued for sending (e.g. a broadcast).
    pub outbox_wake: Arc<tokio::sync::Notify>,
    /// Days after which an untouched draft is named in digests.
    pub stale_days: u32,
    /// `KIPP_TEST_PANIC_TEXT`: a message with exactly this text makes its handler panic, so
    /// that tests can prove a panic stops nothing. `None` (unset) in production.
    pub panic_trigger: Option<String>,
}

impl BotContext {
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// The deadline that applies to a unit (or the campaign's, for `None`).
    pub async fn deadline_for(
        &self,
        unit: Option<&crate::storage::Unit>,
    ) -> Result<Option<DateTime<Utc>>, BotError> {
        Ok(crate::campaign::deadline_for(&self.storage, &self.dialog, self.timezone, unit).await?)
    }

    pub async fn reply(&self, chat_id: i64, html: impl AsRef<str>) -> Result<(), BotError> {
        self.telegram
            .send_text(chat_id, html.as_ref(), SendOptions::default())
            .await?;
        Ok(())
    }

    pub async fn reply_with(
        &self,
        chat_id: i64,
        html: impl AsRef<str>,
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
    /// A value of ours (a conversation, an answer, an audience) did not serialise.
    #[error("cannot encode {0}")]
    Encode(#[from] serde_json::Error),
}

/// The handler tree: messages, edited messages and button presses. Nothing else is asked for.
pub fn schema() -> UpdateHandler<BotError> {
    dptree::entry()
        .branch(Update::filter_message().endpoint(handlers::on_message))
        .branch(Update::filter_edited_message().endpoint(handlers::on_edited_message))
        .branch(Update::filter_callback_query().endpoint(handlers::on_callback))
}
