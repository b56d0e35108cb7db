//! Where a person stands in the questionnaire, kept in the database between messages.

use serde::{Deserialize, Serialize};

use super::{App, AppError};
use crate::{
    dialog::{Cursor, Question},
    storage::{Applied, ConversationWrite},
};

/// Where a person is. Kept small: if a newer dialog file drops the question, the engine
/// recovers to the first missing one instead of locking the person out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conversation {
    pub innovation_id: i64,
    pub cursor: Cursor,
    /// The parts of a long text answer sent so far (each part acknowledged and saved here).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub draft: Vec<String>,
    /// Ticked options of a multi-choice question, before Done.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub selected: Vec<String>,
    /// After this answer, show the review again instead of the next question.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub back_to_review: bool,
}

impl Conversation {
    pub fn at(innovation_id: i64, cursor: Cursor) -> Self {
        Self {
            innovation_id,
            cursor,
            draft: Vec::new(),
            selected: Vec::new(),
            back_to_review: false,
        }
    }

    #[allow(
        clippy::expect_used,
        reason = "a struct of strings, numbers and lists of them always serialises"
    )]
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a conversation always serialises")
    }
}

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

    pub async fn load_conversation(&self, user_id: i64) -> Result<Option<Conversation>, AppError> {
        let Some(raw) = self.storage.conversation(user_id).await? else {
            return Ok(None);
        };
        match serde_json::from_str(&raw) {
            Ok(conversation) => Ok(Some(conversation)),
            Err(error) => {
                // An unreadable state must not lock the person out: forget it.
                tracing::warn!(%error, user_id, "dropping an unreadable conversation state");
                Ok(None)
            }
        }
    }

    pub async fn write_conversation(
        &self,
        user_id: i64,
        conversation: Option<&Conversation>,
        update_id: Option<i64>,
    ) -> Result<Applied, AppError> {
        let state = conversation.map(Conversation::to_json);
        Ok(self
            .storage
            .save_conversation(
                ConversationWrite {
                    user_id,
                    state: state.as_deref(),
                    update_id,
                },
                self.now(),
            )
            .await?)
    }
}
