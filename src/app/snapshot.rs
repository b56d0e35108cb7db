//! One innovation read whole for the dialog engine: its answers, files and open comments.

use std::collections::HashMap;

use super::{App, AppError};
use crate::{
    dialog::{AnswerKey, Progress},
    domain::AnswerValue,
    storage::{EvidenceFile, Innovation, ReviewComment},
};

/// One innovation with everything the engine needs.
pub struct Snapshot {
    pub innovation: Innovation,
    pub progress: Progress,
    pub evidence: Vec<EvidenceFile>,
    /// Reviewer comments sent to the unit and not yet resolved.
    pub comments: Vec<ReviewComment>,
}

/// A stored item number as the engine's `u16` (numbers past it cannot be typed or shown).
pub(crate) fn item_u16(item: i64) -> u16 {
    u16::try_from(item).unwrap_or(u16::MAX)
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
            .filter_map(|row| {
                let value = serde_json::from_str(&row.value)
                    .inspect_err(|error| {
                        tracing::warn!(%error, question = row.question_id, "unreadable stored answer")
                    })
                    .ok()?;
                Some((AnswerKey::item(row.question_id, item_u16(row.item)), value))
            })
            .collect();
        let evidence = self.storage.evidence(innovation_id).await?;
        let mut file_counts: HashMap<AnswerKey, u32> = HashMap::new();
        for file in &evidence {
            let count = file_counts
                .entry(AnswerKey::item(
                    file.question_id.clone(),
                    item_u16(file.item),
                ))
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
