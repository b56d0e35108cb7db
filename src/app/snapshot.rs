//! One innovation read whole for the dialog engine: its answers, files and open comments.

use std::collections::HashMap;

use super::{App, AppError};
use crate::{
    dialog::{AnswerKey, Missing, Progress},
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
    /// The first time an innovation started on another version of the questionnaire file is
    /// shown in the questionnaire: what it lacks now (the questions the new file added among
    /// them). Its answers to questions that still exist are kept as they are; the innovation is
    /// then marked as up to date with this file, so this is said once.
    pub async fn questionnaire_update(
        &self,
        snapshot: &Snapshot,
    ) -> Result<Option<Vec<Missing>>, AppError> {
        if snapshot.innovation.dialog_version == self.dialog.version() {
            return Ok(None);
        }
        let first = self
            .storage
            .set_dialog_version(snapshot.innovation.id, self.dialog.version())
            .await?;
        Ok(first.then(|| self.dialog.missing(&snapshot.progress)))
    }

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
