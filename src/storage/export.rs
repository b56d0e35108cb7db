//! Builds the [`ExportSet`] the export writers read: every innovation in scope with its answers,
//! evidence, history, completion, missing items and deadline. A few whole-table queries instead
//! of several per innovation, so a thousand innovations export in one pass.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDateTime, Utc};
use chrono_tz::Tz;
use sqlx::FromRow;

use super::{Result, Storage, from_db_time, from_stored_json, item_from_db};
use crate::dialog::{AnswerKey, Dialog};
use crate::domain::{AnswerValue, InnovationState, Lang};
use crate::export::{AnswerRecord, EvidenceRecord, ExportSet, InnovationRecord, StateChange};

/// What to export, and how to read it.
#[derive(Debug, Clone, Copy)]
pub struct ExportRequest<'a> {
    pub dialog: &'a Dialog,
    pub timezone: Tz,
    /// EVIDENCE_DIR: stored paths are relative to it.
    pub evidence_dir: &'a Path,
    /// `None`: every unit.
    pub unit_id: Option<i64>,
    /// `None`: every state.
    pub state: Option<InnovationState>,
    /// `Some`: that innovation only (within the unit, if one is given).
    pub innovation_id: Option<i64>,
    /// The language of the `missing` sentences.
    pub lang: Lang,
    pub now: DateTime<Utc>,
}

#[derive(FromRow)]
struct AnswerRow {
    innovation_id: i64,
    question_id: String,
    item: i64,
    value: String,
    answered_by: String,
    answered_at: i64,
}

#[derive(FromRow)]
struct EvidenceRow {
    id: i64,
    innovation_id: i64,
    question_id: String,
    item: i64,
    kind: String,
    original_name: Option<String>,
    mime_type: Option<String>,
    size_bytes: i64,
    sha256: String,
    stored_path: String,
    uploaded_by: String,
    uploaded_at: i64,
}

#[derive(FromRow)]
struct EventRow {
    innovation_id: i64,
    at: i64,
    actor: String,
    from_state: String,
    to_state: String,
    comment: Option<String>,
}

/// Innovations in scope: `?1` a unit id or NULL, `?2` a state or NULL, `?3` an id or NULL.
const IN_SCOPE: &str = "SELECT id FROM innovations
    WHERE (?1 IS NULL OR unit_id = ?1) AND (?2 IS NULL OR state = ?2)
      AND (?3 IS NULL OR id = ?3)";

impl Storage {
    /// Everything stored about the innovations in scope, read-only.
    pub async fn export_set(&self, request: &ExportRequest<'_>) -> Result<ExportSet> {
        let tz = request.timezone;
        let local = |at: i64| local_time(from_db_time(at), tz);
        let state = request.state.map(InnovationState::as_str);
        let innovations: Vec<_> = self
            .innovations(request.unit_id)
            .await?
            .into_iter()
            .filter(|innovation| request.state.is_none_or(|s| s == innovation.state))
            .filter(|innovation| request.innovation_id.is_none_or(|id| id == innovation.id))
            .collect();

        let mut answers: HashMap<i64, Vec<AnswerRow>> = HashMap::new();
        let rows: Vec<AnswerRow> = sqlx::query_as(&format!(
            "SELECT a.innovation_id, a.question_id, a.item, a.value,
                 COALESCE(u.display_name, '') AS answered_by, a.answered_at
             FROM answers a LEFT JOIN users u ON u.id = a.answered_by
             WHERE a.innovation_id IN ({IN_SCOPE})
             ORDER BY a.innovation_id, a.question_id, a.item"
        ))
        .bind(request.unit_id)
        .bind(state)
        .bind(request.innovation_id)
        .fetch_all(&mut *self.reader().await?)
        .await?;
        for row in rows {
            answers.entry(row.innovation_id).or_default().push(row);
        }

        let mut evidence: HashMap<i64, Vec<EvidenceRow>> = HashMap::new();
        let rows: Vec<EvidenceRow> = sqlx::query_as(&format!(
            "SELECT e.id, e.innovation_id, e.question_id, e.item, e.kind, e.original_name,
                 e.mime_type, e.size_bytes, e.sha256, e.stored_path,
                 COALESCE(u.display_name, '') AS uploaded_by, e.uploaded_at
             FROM evidence_files e LEFT JOIN users u ON u.id = e.uploaded_by
             WHERE e.removed_at IS NULL AND e.innovation_id IN ({IN_SCOPE})
             ORDER BY e.innovation_id, e.id"
        ))
        .bind(request.unit_id)
        .bind(state)
        .bind(request.innovation_id)
        .fetch_all(&mut *self.reader().await?)
        .await?;
        for row in rows {
            evidence.entry(row.innovation_id).or_default().push(row);
        }

        let mut history: HashMap<i64, Vec<StateChange>> = HashMap::new();
        let rows: Vec<EventRow> = sqlx::query_as(&format!(
            "SELECT e.innovation_id, e.at, COALESCE(u.display_name, '') AS actor,
                 e.from_state, e.to_state, e.comment
             FROM innovation_events e LEFT JOIN users u ON u.id = e.actor_user_id
             WHERE e.innovation_id IN ({IN_SCOPE})
             ORDER BY e.innovation_id, e.id"
        ))
        .bind(request.unit_id)
        .bind(state)
        .bind(request.innovation_id)
        .fetch_all(&mut *self.reader().await?)
        .await?;
        for row in rows {
            history
                .entry(row.innovation_id)
                .or_default()
                .push(StateChange {
                    at: local(row.at),
                    actor: row.actor,
                    from: row.from_state,
                    to: row.to_state,
                    comment: row.comment,
                });
        }

        let mut deadlines: HashMap<i64, Option<NaiveDateTime>> = HashMap::new();
        for unit in self.units().await? {
            let deadline = self.deadline_for(request.dialog, tz, Some(&unit)).await?;
            deadlines.insert(unit.id, deadline.map(|at| local_time(at, tz)));
        }

        let evidence_root = absolute(request.evidence_dir);
        // The minimum age is counted to the national close, or to today without one.
        let today = request.now.with_timezone(&tz).date_naive();
        let mut records = Vec::with_capacity(innovations.len());
        for innovation in innovations {
            let answer_rows = answers.remove(&innovation.id).unwrap_or_default();
            let evidence_rows = evidence.remove(&innovation.id).unwrap_or_default();
            let answer_records: Vec<AnswerRecord> = answer_rows
                .into_iter()
                .filter_map(|row| {
                    let value = from_stored_json(&row.value, "answer", &row.question_id)?;
                    Some(AnswerRecord {
                        question_id: row.question_id,
                        item: item_from_db(row.item),
                        value,
                        answered_by: row.answered_by,
                        answered_at: local(row.answered_at),
                    })
                })
                .collect();
            let mut file_counts: HashMap<AnswerKey, u32> = HashMap::new();
            for file in &evidence_rows {
                let count = file_counts
                    .entry(AnswerKey::item(
                        file.question_id.clone(),
                        item_from_db(file.item),
                    ))
                    .or_default();
                *count = count.saturating_add(1);
            }
            let progress = request.dialog.progress_from(
                answer_records
                    .iter()
                    .map(|a| {
                        (
                            AnswerKey::item(a.question_id.clone(), a.item),
                            a.value.clone(),
                        )
                    })
                    .collect(),
                file_counts,
            );
            let missing = request
                .dialog
                .missing(&progress)
                .iter()
                .map(|missing| missing.message(request.dialog, request.lang))
                .collect();
            let sinovik_blockers = request
                .dialog
                .readiness(&progress, today)
                .blockers
                .iter()
                .map(|blocker| blocker.message(request.dialog, request.lang))
                .collect();
            let percent_complete = request.dialog.completion(&progress).percent;
            records.push(InnovationRecord {
                id: innovation.id,
                title: title(request.dialog, &answer_records),
                unit_code: innovation.unit_code,
                unit_name: innovation.unit_name,
                state: innovation.state.as_str().to_owned(),
                late: innovation.late_submitted_at.is_some(),
                percent_complete,
                deadline: deadlines.get(&innovation.unit_id).copied().flatten(),
                created_at: local_time(innovation.created_at, tz),
                updated_at: local_time(innovation.updated_at, tz),
                updated_by: innovation.updated_by_name,
                answers: answer_records,
                evidence: evidence_rows
                    .into_iter()
                    .map(|row| EvidenceRecord {
                        id: row.id,
                        question_id: row.question_id,
                        item: item_from_db(row.item),
                        kind: row.kind,
                        original_name: row.original_name,
                        mime_type: row.mime_type,
                        size_bytes: u64::try_from(row.size_bytes).unwrap_or(0),
                        sha256: row.sha256,
                        path: evidence_root.join(&row.stored_path),
                        uploaded_by: row.uploaded_by,
                        uploaded_at: local(row.uploaded_at),
                    })
                    .collect(),
                history: history.remove(&innovation.id).unwrap_or_default(),
                missing,
                sinovik_blockers,
            });
        }
        let now = request.now.with_timezone(&tz);
        Ok(ExportSet {
            campaign_name: request.dialog.campaign().name.get(request.lang).to_owned(),
            generated_at: now.naive_local(),
            timezone_label: now.format("%Z").to_string(),
            innovations: records,
        })
    }
}

fn local_time(at: DateTime<Utc>, tz: Tz) -> NaiveDateTime {
    at.with_timezone(&tz).naive_local()
}

/// The answer to the dialog's first question (the title), as the bot shows it.
fn title(dialog: &Dialog, answers: &[AnswerRecord]) -> String {
    let Some(first) = dialog
        .sections()
        .first()
        .and_then(|section| section.questions.first())
    else {
        return String::new();
    };
    answers
        .iter()
        .find(|answer| answer.question_id == first.id && answer.item == 0)
        .map(|answer| match &answer.value {
            AnswerValue::Text { text } => text.clone(),
            other => other.display(Lang::Id, first),
        })
        .unwrap_or_default()
}

/// Evidence paths in the set are absolute, so the archive finds them from any folder.
fn absolute(dir: &Path) -> PathBuf {
    std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf())
}
