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
        self.dialog_questions()
            .position(|question| question.id == id)
            .and_then(|index| u16::try_from(index).ok())
    }

    pub fn question_at(&self, index: u16) -> Option<&Question> {
        self.dialog_questions().nth(usize::from(index))
    }

    fn dialog_questions(&self) -> impl Iterator<Item = &Question> {
        self.dialog
            .sections()
            .iter()
            .flat_map(|section| section.questions.iter())
            .flat_map(|question| std::iter::once(question).chain(question.members().iter()))
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
