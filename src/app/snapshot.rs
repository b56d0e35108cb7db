//! One innovation read whole for the dialog engine: its answers, files and open comments.

use std::collections::HashMap;

use super::{App, AppError};
use crate::{
    dialog::{AnswerKey, Progress},
    domain::AnswerValue,
    storage::{EvidenceFile, Innovation, ReviewComment},
};

/// One innovation with everything the engine needs.
#[derive(Debug)]
pub struct Snapshot {
    pub innovation: Innovation,
    pub progress: Progress,
    pub evidence: Vec<EvidenceFile>,
    /// Reviewer comments sent to the unit and not yet resolved.
    pub comments: Vec<ReviewComment>,
}

impl App {
    pub async fn snapshot(&self, innovation_id: i64) -> Result<Option<Snapshot>, AppError> {
        let Some(innovation) = self.storage.innovation(innovation_id).await? else {
            return Ok(None);
        };
        let answers: HashMap<AnswerKey, AnswerValue> = self
            .storage
            .answers(innovation_id)
            .await?
            .into_iter()
            .map(|answer| {
                (
                    AnswerKey::item(answer.question_id, answer.item),
                    answer.value,
                )
            })
            .collect();
        let evidence = self.storage.evidence(innovation_id).await?;
        let mut file_counts: HashMap<AnswerKey, u32> = HashMap::new();
        for file in &evidence {
            let count = file_counts
                .entry(AnswerKey::item(file.question_id.clone(), file.item))
                .or_default();
            *count = count.saturating_add(1);
        }
        let progress = self.dialog.progress_from(answers, file_counts);
        let comments = self.storage.open_review_comments(innovation_id).await?;
        Ok(Some(Snapshot {
            innovation,
            progress,
            evidence,
            comments,
        }))
    }
}
