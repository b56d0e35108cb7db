//! Where a person stands in the questionnaire: reading and writing their [`Conversation`], and
//! compact question numbers for buttons.

use super::{App, AppError};
use crate::{
    dialog::{Conversation, Question},
    storage::{Applied, ConversationWrite},
};

impl App {
    /// Every question in file order (groups, then their members) for compact button ids.
    pub fn question_index(&self, id: &str) -> Option<u16> {
        crate::dialog::step::question_index(&self.dialog, id)
    }

    pub fn question_at(&self, index: u16) -> Option<&Question> {
        crate::dialog::step::question_at(&self.dialog, index)
    }

    /// The person's conversation; `None` when no question is pending (or the stored one could
    /// not be read: the storage forgets it rather than lock the person out).
    pub async fn load_conversation(&self, user_id: i64) -> Result<Option<Conversation>, AppError> {
        Ok(self.storage.conversation(user_id).await?)
    }

    pub async fn write_conversation(
        &self,
        user_id: i64,
        conversation: Option<&Conversation>,
        update_id: Option<i64>,
    ) -> Result<Applied, AppError> {
        Ok(self
            .storage
            .save_conversation(
                ConversationWrite {
                    user_id,
                    state: conversation,
                    update_id,
                },
                self.now(),
            )
            .await?)
    }
}
