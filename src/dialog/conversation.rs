//! Where a person stands in the questionnaire, kept in the database between messages.

use serde::{Deserialize, Serialize};

use super::Cursor;

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
}
