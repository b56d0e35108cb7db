//! Innovations, their answers and evidence files (an answer's write and each person's place in
//! the questionnaire are in `answering.rs`).

use chrono::{DateTime, Utc};
use sqlx::{FromRow, Sqlite, Transaction};

use super::{
    Result, Storage, StorageError,
    answering::{Applied, ConversationWrite, mark_handled, write_conversation},
    audit, begin_write, from_db_time, from_stored_json, item_from_db, review, to_db_time,
};
use crate::{
    dialog::Conversation,
    domain::{AnswerValue, InnovationState, Transition},
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Innovation {
    pub id: i64,
    pub unit_id: i64,
    pub unit_code: String,
    pub unit_name: String,
    pub state: InnovationState,
    pub dialog_version: String,
    pub created_by: i64,
    pub created_at: DateTime<Utc>,
    pub updated_by: i64,
    pub updated_by_name: String,
    pub updated_at: DateTime<Utc>,
    /// When it was first handed in after its unit's deadline; `None` when on time (or not yet
    /// handed in). The bureau sees it as "late".
    pub late_submitted_at: Option<DateTime<Utc>>,
    /// Grows whenever the innovation's answers, evidence files or review comments change (by
    /// triggers in the database, whoever writes): what the in-memory snapshot is checked against.
    pub revision: i64,
}

#[derive(FromRow)]
pub(super) struct InnovationRow {
    pub(super) id: i64,
    pub(super) unit_id: i64,
    pub(super) unit_code: String,
    pub(super) unit_name: String,
    pub(super) state: String,
    pub(super) dialog_version: String,
    pub(super) created_by: i64,
    pub(super) created_at: i64,
    pub(super) updated_by: i64,
    pub(super) updated_by_name: String,
    pub(super) updated_at: i64,
    pub(super) late_submitted_at: Option<i64>,
    pub(super) revision: i64,
}

impl TryFrom<InnovationRow> for Innovation {
    type Error = StorageError;

    fn try_from(row: InnovationRow) -> Result<Self> {
        Ok(Innovation {
            id: row.id,
            unit_id: row.unit_id,
            unit_code: row.unit_code,
            unit_name: row.unit_name,
            state: InnovationState::parse(&row.state)
                .ok_or_else(|| StorageError::Corrupt(format!("unknown state {:?}", row.state)))?,
            dialog_version: row.dialog_version,
            created_by: row.created_by,
            created_at: from_db_time(row.created_at),
            updated_by: row.updated_by,
            updated_by_name: row.updated_by_name,
            updated_at: from_db_time(row.updated_at),
            late_submitted_at: row.late_submitted_at.map(from_db_time),
            revision: row.revision,
        })
    }
}

const SELECT_INNOVATION: &str = "SELECT i.id, i.unit_id, n.code AS unit_code, n.name AS unit_name,
        i.state, i.dialog_version, i.created_by, i.created_at, i.updated_by,
        COALESCE(u.display_name, '') AS updated_by_name, i.updated_at, i.late_submitted_at,
        i.revision
    FROM innovations i
    JOIN units n ON n.id = i.unit_id
    LEFT JOIN users u ON u.id = i.updated_by";

/// One stored answer.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredAnswer {
    pub question_id: String,
    pub item: u16,
    pub value: AnswerValue,
    pub answered_by: i64,
    pub answered_by_name: String,
    pub answered_at: i64,
}

/// An answer as stored: `value` is the JSON of the validated answer.
#[derive(FromRow)]
struct AnswerRow {
    question_id: String,
    item: i64,
    value: String,
    answered_by: i64,
    answered_by_name: String,
    answered_at: i64,
}

impl AnswerRow {
    /// The answer, or `None` (with a warning) when its stored value no longer reads.
    fn read(self) -> Option<StoredAnswer> {
        let value = from_stored_json(&self.value, "answer", &self.question_id)?;
        Some(StoredAnswer {
            question_id: self.question_id,
            item: item_from_db(self.item),
            value,
            answered_by: self.answered_by,
            answered_by_name: self.answered_by_name,
            answered_at: self.answered_at,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceFile {
    pub id: i64,
    pub innovation_id: i64,
    pub question_id: String,
    pub item: u16,
    pub kind: String,
    pub original_name: Option<String>,
    pub mime_type: Option<String>,
    pub size_bytes: i64,
    pub sha256: String,
    pub stored_path: String,
    pub uploaded_by: i64,
    pub uploaded_by_name: String,
    pub uploaded_at: i64,
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
    uploaded_by: i64,
    uploaded_by_name: String,
    uploaded_at: i64,
}

impl From<EvidenceRow> for EvidenceFile {
    fn from(row: EvidenceRow) -> Self {
        Self {
            id: row.id,
            innovation_id: row.innovation_id,
            question_id: row.question_id,
            item: item_from_db(row.item),
            kind: row.kind,
            original_name: row.original_name,
            mime_type: row.mime_type,
            size_bytes: row.size_bytes,
            sha256: row.sha256,
            stored_path: row.stored_path,
            uploaded_by: row.uploaded_by,
            uploaded_by_name: row.uploaded_by_name,
            uploaded_at: row.uploaded_at,
        }
    }
}

#[derive(Debug, Clone)]
pub struct NewEvidence<'a> {
    pub innovation_id: i64,
    pub question_id: &'a str,
    pub item: u16,
    pub kind: &'a str,
    pub original_name: Option<&'a str>,
    pub mime_type: Option<&'a str>,
    pub size_bytes: u64,
    pub sha256: &'a str,
    pub stored_path: &'a str,
    pub telegram_file_unique_id: Option<&'a str>,
}

/// What `/new` produced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Created {
    Innovation(i64),
    AlreadyHandled,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateEvent {
    pub at: DateTime<Utc>,
    pub actor_name: String,
    pub from: InnovationState,
    pub to: InnovationState,
    pub comment: Option<String>,
}

/// A state change as stored: at, actor's name, from, to, comment.
pub(super) type StoredEvent = (i64, String, String, String, Option<String>);

impl StateEvent {
    /// The event, or `None` (with a warning) when a state in it is not one this version knows.
    pub(super) fn read((at, actor_name, from, to, comment): StoredEvent) -> Option<Self> {
        let state = |raw: &str| {
            let parsed = InnovationState::parse(raw);
            if parsed.is_none() {
                tracing::warn!(state = raw, "unknown state in an innovation's history");
            }
            parsed
        };
        Some(Self {
            at: from_db_time(at),
            actor_name,
            from: state(&from)?,
            to: state(&to)?,
            comment,
        })
    }
}

impl Storage {
    /// Starts an innovation for a unit and puts its creator in it: one transaction with the
    /// update that asked for it, so a redelivered `/new` creates nothing twice. `state` builds
    /// the conversation from the new id. Units draft as many as they like: the campaign's cap
    /// is on the bureau's selection ([`Storage::select_innovation`]).
    pub async fn create_innovation(
        &self,
        unit_id: i64,
        user_id: i64,
        dialog_version: &str,
        update_id: Option<i64>,
        state: impl FnOnce(i64) -> Conversation,
        now: DateTime<Utc>,
    ) -> Result<Created> {
        let mut writer = self.writer().await?;
        let mut tx = begin_write(&mut writer).await?;
        if let Some(update_id) = update_id
            && !mark_handled(&mut tx, update_id, now).await?
        {
            return Ok(Created::AlreadyHandled);
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO innovations (unit_id, state, dialog_version, created_by, created_at,
                 updated_by, updated_at)
             VALUES (?1, 'draft', ?2, ?3, ?4, ?3, ?4)
             RETURNING id",
        )
        .bind(unit_id)
        .bind(dialog_version)
        .bind(user_id)
        .bind(to_db_time(now))
        .fetch_one(&mut *tx)
        .await?;
        audit::record(
            &mut *tx,
            now,
            Some(user_id),
            "innovation.create",
            &id.to_string(),
            "",
        )
        .await?;
        let state = state(id);
        write_conversation(
            &mut tx,
            ConversationWrite {
                user_id,
                state: Some(&state),
                update_id: None,
            },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(Created::Innovation(id))
    }

    pub async fn innovation(&self, id: i64) -> Result<Option<Innovation>> {
        let row: Option<InnovationRow> =
            sqlx::query_as(&format!("{SELECT_INNOVATION} WHERE i.id = ?1"))
                .bind(id)
                .fetch_optional(&mut *self.reader().await?)
                .await?;
        row.map(Innovation::try_from).transpose()
    }

    /// Records that the innovation was brought up to date with this version of the dialog
    /// file (its answers shown against it); true when the stored version was another.
    pub async fn set_dialog_version(&self, id: i64, dialog_version: &str) -> Result<bool> {
        let changed = sqlx::query(
            "UPDATE innovations SET dialog_version = ?2 WHERE id = ?1 AND dialog_version <> ?2",
        )
        .bind(id)
        .bind(dialog_version)
        .execute(&mut *self.writer().await?)
        .await?
        .rows_affected();
        Ok(changed > 0)
    }

    /// All innovations, or one unit's, oldest first.
    pub async fn innovations(&self, unit_id: Option<i64>) -> Result<Vec<Innovation>> {
        let rows: Vec<InnovationRow> = sqlx::query_as(&format!(
            "{SELECT_INNOVATION} WHERE (?1 IS NULL OR i.unit_id = ?1) ORDER BY n.code, i.id"
        ))
        .bind(unit_id)
        .fetch_all(&mut *self.reader().await?)
        .await?;
        rows.into_iter().map(Innovation::try_from).collect()
    }

    /// The innovation's answers. One whose stored value no longer reads is left out (with a
    /// warning): the question shows as unanswered and can be answered again.
    pub async fn answers(&self, innovation_id: i64) -> Result<Vec<StoredAnswer>> {
        let rows: Vec<AnswerRow> = sqlx::query_as(
            "SELECT a.question_id, a.item, a.value, a.answered_by,
                 COALESCE(u.display_name, '') AS answered_by_name, a.answered_at
             FROM answers a LEFT JOIN users u ON u.id = a.answered_by
             WHERE a.innovation_id = ?1 ORDER BY a.question_id, a.item",
        )
        .bind(innovation_id)
        .fetch_all(&mut *self.reader().await?)
        .await?;
        Ok(rows.into_iter().filter_map(AnswerRow::read).collect())
    }

    /// Evidence files still counted (not removed), in upload order.
    pub async fn evidence(&self, innovation_id: i64) -> Result<Vec<EvidenceFile>> {
        let rows: Vec<EvidenceRow> = sqlx::query_as(
            "SELECT e.id, e.innovation_id, e.question_id, e.item, e.kind, e.original_name,
                 e.mime_type, e.size_bytes, e.sha256, e.stored_path, e.uploaded_by,
                 COALESCE(u.display_name, '') AS uploaded_by_name, e.uploaded_at
             FROM evidence_files e LEFT JOIN users u ON u.id = e.uploaded_by
             WHERE e.innovation_id = ?1 AND e.removed_at IS NULL ORDER BY e.id",
        )
        .bind(innovation_id)
        .fetch_all(&mut *self.reader().await?)
        .await?;
        Ok(rows.into_iter().map(EvidenceFile::from).collect())
    }

    /// Records an uploaded file (already on disk under its hash). Returns false when the same
    /// file is already counted for that question.
    pub async fn add_evidence(
        &self,
        file: NewEvidence<'_>,
        user_id: i64,
        conversation: ConversationWrite<'_>,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let mut writer = self.writer().await?;
        let mut tx = begin_write(&mut writer).await?;
        if write_conversation(&mut tx, conversation, now).await? == Applied::AlreadyHandled {
            return Ok(false);
        }
        touch_innovation(&mut tx, file.innovation_id, user_id, now).await?;
        let inserted = sqlx::query(
            "INSERT INTO evidence_files (innovation_id, question_id, item, kind, original_name,
                 mime_type, size_bytes, sha256, stored_path, telegram_file_unique_id, uploaded_by,
                 uploaded_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
             ON CONFLICT DO NOTHING",
        )
        .bind(file.innovation_id)
        .bind(file.question_id)
        .bind(i64::from(file.item))
        .bind(file.kind)
        .bind(file.original_name)
        .bind(file.mime_type)
        .bind(i64::try_from(file.size_bytes).unwrap_or(i64::MAX))
        .bind(file.sha256)
        .bind(file.stored_path)
        .bind(file.telegram_file_unique_id)
        .bind(user_id)
        .bind(to_db_time(now))
        .execute(&mut *tx)
        .await?
        .rows_affected()
            > 0;
        if inserted {
            review::resolve_comments(
                &mut tx,
                file.innovation_id,
                file.question_id,
                file.item,
                user_id,
                now,
            )
            .await?;
            audit::record(
                &mut *tx,
                now,
                Some(user_id),
                "evidence.add",
                &format!("{}/{}/{}", file.innovation_id, file.question_id, file.item),
                file.sha256,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(inserted)
    }

    /// Stops counting a file (the bytes stay on disk: other answers may share them).
    pub async fn remove_evidence(
        &self,
        evidence_id: i64,
        innovation_id: i64,
        user_id: i64,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let mut writer = self.writer().await?;
        let mut tx = begin_write(&mut writer).await?;
        let removed = sqlx::query(
            "UPDATE evidence_files SET removed_at = ?3, removed_by = ?4
             WHERE id = ?1 AND innovation_id = ?2 AND removed_at IS NULL",
        )
        .bind(evidence_id)
        .bind(innovation_id)
        .bind(to_db_time(now))
        .bind(user_id)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            > 0;
        if removed {
            touch_innovation(&mut tx, innovation_id, user_id, now).await?;
            audit::record(
                &mut *tx,
                now,
                Some(user_id),
                "evidence.remove",
                &format!("{innovation_id}/{evidence_id}"),
                "",
            )
            .await?;
        }
        tx.commit().await?;
        Ok(removed)
    }

    /// Moves an innovation by `transition` if its current state allows it (see
    /// [`InnovationState::after`]), keeping the event. Returns false when it does not (someone
    /// else changed it first) or the innovation does not exist.
    ///
    /// Selecting and sending back carry more than a change of state: they go through
    /// [`Storage::select_innovation`] (the cap) and [`Storage::send_back`] (the comments).
    pub async fn change_innovation_state(
        &self,
        innovation_id: i64,
        transition: Transition,
        actor_user_id: i64,
        comment: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        if matches!(transition, Transition::Select | Transition::SendBack) {
            return Err(StorageError::Conflict(format!(
                "{transition} has its own storage method"
            )));
        }
        let mut writer = self.writer().await?;
        let mut tx = begin_write(&mut writer).await?;
        let moved = apply_transition(
            &mut tx,
            TransitionWrite {
                innovation_id,
                transition,
                actor_user_id,
                comment,
                cap: None,
            },
            now,
        )
        .await?;
        if moved != Moved::Yes {
            return Ok(false);
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Hands an innovation in, like [`Storage::change_innovation_state`] with
    /// [`Transition::Submit`]. `late`: it comes after the unit's deadline, which is kept (in
    /// the same transaction) when this is its first submission; a resubmission after a
    /// send-back or a reopening keeps what the first one was.
    pub async fn submit_innovation(
        &self,
        innovation_id: i64,
        actor_user_id: i64,
        late: bool,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let mut writer = self.writer().await?;
        let mut tx = begin_write(&mut writer).await?;
        let submitted_before: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM innovation_events
                 WHERE innovation_id = ?1 AND to_state = 'submitted')",
        )
        .bind(innovation_id)
        .fetch_one(&mut *tx)
        .await?;
        let moved = apply_transition(
            &mut tx,
            TransitionWrite {
                innovation_id,
                transition: Transition::Submit,
                actor_user_id,
                comment: None,
                cap: None,
            },
            now,
        )
        .await?;
        if moved != Moved::Yes {
            return Ok(false);
        }
        if late && !submitted_before {
            sqlx::query("UPDATE innovations SET late_submitted_at = ?2 WHERE id = ?1")
                .bind(innovation_id)
                .bind(to_db_time(now))
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    pub async fn innovation_events(&self, innovation_id: i64) -> Result<Vec<StateEvent>> {
        let rows: Vec<StoredEvent> = sqlx::query_as(
            "SELECT e.at, COALESCE(u.display_name, ''), e.from_state, e.to_state, e.comment
             FROM innovation_events e LEFT JOIN users u ON u.id = e.actor_user_id
             WHERE e.innovation_id = ?1 ORDER BY e.id",
        )
        .bind(innovation_id)
        .fetch_all(&mut *self.reader().await?)
        .await?;
        Ok(rows.into_iter().filter_map(StateEvent::read).collect())
    }
}

async fn touch_innovation(
    tx: &mut Transaction<'_, Sqlite>,
    innovation_id: i64,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    let touched =
        sqlx::query("UPDATE innovations SET updated_by = ?2, updated_at = ?3 WHERE id = ?1")
            .bind(innovation_id)
            .bind(user_id)
            .bind(to_db_time(now))
            .execute(&mut **tx)
            .await?
            .rows_affected();
    if touched == 0 {
        return Err(StorageError::NotFound("innovation"));
    }
    Ok(())
}

/// One state change asked of the database.
#[derive(Debug, Clone, Copy)]
pub(super) struct TransitionWrite<'a> {
    pub innovation_id: i64,
    pub transition: Transition,
    pub actor_user_id: i64,
    /// Kept with the event.
    pub comment: Option<&'a str>,
    /// At most this many innovations may be in the target state afterwards.
    pub cap: Option<u32>,
}

/// What became of a state change inside a transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Moved {
    Yes,
    /// The innovation does not exist, or its state is not one the transition starts from.
    NotAllowed,
    /// The target state already holds `cap` innovations.
    Full,
}

/// Moves an innovation by a transition inside `tx`, with its event and audit line: the one
/// place that writes an innovation's state. The state machine decides the target from the state
/// read in this (write-locked) transaction; the update re-checks that state, and the cap, in
/// the same statement that writes.
pub(super) async fn apply_transition(
    tx: &mut Transaction<'_, Sqlite>,
    change: TransitionWrite<'_>,
    now: DateTime<Utc>,
) -> Result<Moved> {
    let current: Option<String> = sqlx::query_scalar("SELECT state FROM innovations WHERE id = ?1")
        .bind(change.innovation_id)
        .fetch_optional(&mut **tx)
        .await?;
    let Some(current) = current else {
        return Ok(Moved::NotAllowed);
    };
    let from = InnovationState::parse(&current)
        .ok_or_else(|| StorageError::Corrupt(format!("unknown state {current:?}")))?;
    let Ok(to) = from.after(change.transition) else {
        return Ok(Moved::NotAllowed);
    };
    let changed = sqlx::query(
        "UPDATE innovations SET state = ?3, updated_by = ?4, updated_at = ?5
         WHERE id = ?1 AND state = ?2
           AND (?6 IS NULL OR (SELECT COUNT(*) FROM innovations WHERE state = ?3) < ?6)",
    )
    .bind(change.innovation_id)
    .bind(from.as_str())
    .bind(to.as_str())
    .bind(change.actor_user_id)
    .bind(to_db_time(now))
    .bind(change.cap.map(i64::from))
    .execute(&mut **tx)
    .await?
    .rows_affected()
        > 0;
    if !changed {
        // The state was read under the write lock: only the cap can have stopped the update.
        return Ok(if change.cap.is_some() {
            Moved::Full
        } else {
            Moved::NotAllowed
        });
    }
    sqlx::query(
        "INSERT INTO innovation_events (innovation_id, at, actor_user_id, from_state, to_state,
             comment) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )
    .bind(change.innovation_id)
    .bind(to_db_time(now))
    .bind(change.actor_user_id)
    .bind(from.as_str())
    .bind(to.as_str())
    .bind(change.comment)
    .execute(&mut **tx)
    .await?;
    audit::record(
        &mut **tx,
        now,
        Some(change.actor_user_id),
        "innovation.state",
        &change.innovation_id.to_string(),
        &format!("{from} -> {to}"),
    )
    .await?;
    Ok(Moved::Yes)
}

#[cfg(test)]
pub(super) mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::{
        dialog::{AnswerKey, Cursor},
        storage::{Selection, SendBack},
    };

    pub(in crate::storage) async fn storage(dir: &tempfile::TempDir) -> Storage {
        let url = format!("sqlite://{}", dir.path().join("kipp.db").display());
        let storage = Storage::connect(&url).await.unwrap();
        sqlx::query(
            "INSERT INTO units (id, code, name, created_at) VALUES (1, 'U1', 'Unit 1', 0);
             INSERT INTO users (id, telegram_id, role, created_at, updated_at)
             VALUES (1, 100, 'bureau', 0, 0);",
        )
        .execute(&storage.pool)
        .await
        .unwrap();
        storage
    }

    /// A new innovation in `state`, with a reviewer's comment drafted on it.
    pub(in crate::storage) async fn innovation_in(
        storage: &Storage,
        state: InnovationState,
    ) -> i64 {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO innovations (unit_id, state, dialog_version, created_by, created_at,
                 updated_by, updated_at) VALUES (1, ?1, 'v', 1, 0, 1, 0) RETURNING id",
        )
        .bind(state.as_str())
        .fetch_one(&storage.pool)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO review_comments (innovation_id, question_id, item, comment,
                 author_user_id, created_at) VALUES (?1, 'q', 0, 'c', 1, 0)",
        )
        .bind(id)
        .execute(&storage.pool)
        .await
        .unwrap();
        id
    }

    /// Every state × every transition through the storage: it moves exactly where the state
    /// machine says, records that one event, and leaves everything else as it was.
    #[tokio::test]
    async fn the_storage_moves_innovations_only_as_the_state_machine_says() {
        let dir = tempfile::tempdir().unwrap();
        let storage = storage(&dir).await;
        let now = Utc.with_ymd_and_hms(2026, 5, 1, 8, 0, 0).unwrap();
        for from in InnovationState::ALL {
            for transition in Transition::ALL {
                let id = innovation_in(&storage, from).await;
                let changed = match transition {
                    Transition::SendBack => {
                        matches!(storage.send_back(id, 1, now).await, Ok(SendBack::Sent(_)))
                    }
                    Transition::Select => {
                        storage.select_innovation(id, 1, 1_000, now).await.unwrap()
                            == Selection::Selected
                    }
                    _ => storage
                        .change_innovation_state(id, transition, 1, None, now)
                        .await
                        .unwrap(),
                };
                let expected = from.after(transition);
                assert_eq!(changed, expected.is_ok(), "{from} + {transition}");
                let stored = storage.innovation(id).await.unwrap().unwrap();
                assert_eq!(
                    stored.state,
                    expected.unwrap_or(from),
                    "{from} + {transition}"
                );
                let events: Vec<(InnovationState, InnovationState)> = storage
                    .innovation_events(id)
                    .await
                    .unwrap()
                    .into_iter()
                    .map(|event| (event.from, event.to))
                    .collect();
                let expected_events: Vec<(InnovationState, InnovationState)> =
                    expected.iter().map(|to| (from, *to)).collect();
                assert_eq!(events, expected_events, "{from} + {transition}");
            }
        }
    }

    #[tokio::test]
    async fn selecting_and_sending_back_only_go_through_their_own_methods() {
        let dir = tempfile::tempdir().unwrap();
        let storage = storage(&dir).await;
        let now = Utc.with_ymd_and_hms(2026, 5, 1, 8, 0, 0).unwrap();
        let approved = innovation_in(&storage, InnovationState::Approved).await;
        let submitted = innovation_in(&storage, InnovationState::Submitted).await;
        for (id, transition) in [
            (approved, Transition::Select),
            (submitted, Transition::SendBack),
        ] {
            assert!(matches!(
                storage
                    .change_innovation_state(id, transition, 1, None, now)
                    .await,
                Err(StorageError::Conflict(_))
            ));
        }
        assert_eq!(
            storage.innovation(approved).await.unwrap().unwrap().state,
            InnovationState::Approved
        );
        assert_eq!(
            storage.innovation(submitted).await.unwrap().unwrap().state,
            InnovationState::Submitted
        );
    }

    async fn late_of(storage: &Storage, id: i64) -> Option<DateTime<Utc>> {
        storage
            .innovation(id)
            .await
            .unwrap()
            .unwrap()
            .late_submitted_at
    }

    #[tokio::test]
    async fn only_a_late_first_submission_is_flagged() {
        let dir = tempfile::tempdir().unwrap();
        let storage = storage(&dir).await;
        let first = Utc.with_ymd_and_hms(2026, 5, 1, 8, 0, 0).unwrap();
        let later = Utc.with_ymd_and_hms(2026, 5, 2, 8, 0, 0).unwrap();
        // Late the first time: flagged, and the flag stays through a reopening and a
        // resubmission that is on time.
        let flagged = innovation_in(&storage, InnovationState::Draft).await;
        assert!(
            storage
                .submit_innovation(flagged, 1, true, first)
                .await
                .unwrap()
        );
        assert_eq!(late_of(&storage, flagged).await, Some(first));
        storage
            .change_innovation_state(flagged, Transition::Reopen, 1, None, first)
            .await
            .unwrap();
        assert!(
            storage
                .submit_innovation(flagged, 1, false, later)
                .await
                .unwrap()
        );
        assert_eq!(late_of(&storage, flagged).await, Some(first));
        // On time the first time: a late resubmission (after a send-back) is not flagged.
        let on_time = innovation_in(&storage, InnovationState::Draft).await;
        assert!(
            storage
                .submit_innovation(on_time, 1, false, first)
                .await
                .unwrap()
        );
        storage
            .change_innovation_state(on_time, Transition::Reopen, 1, None, first)
            .await
            .unwrap();
        assert!(
            storage
                .submit_innovation(on_time, 1, true, later)
                .await
                .unwrap()
        );
        assert_eq!(late_of(&storage, on_time).await, None);
        // Nothing to submit: nothing flagged.
        let submitted = innovation_in(&storage, InnovationState::Submitted).await;
        assert!(
            !storage
                .submit_innovation(submitted, 1, true, later)
                .await
                .unwrap()
        );
        assert_eq!(late_of(&storage, submitted).await, None);
    }

    #[tokio::test]
    async fn a_full_selection_refuses_the_next_and_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let storage = storage(&dir).await;
        let now = Utc.with_ymd_and_hms(2026, 5, 1, 8, 0, 0).unwrap();
        let first = innovation_in(&storage, InnovationState::Approved).await;
        let second = innovation_in(&storage, InnovationState::Approved).await;
        let draft = innovation_in(&storage, InnovationState::Draft).await;
        assert_eq!(
            storage.select_innovation(first, 1, 1, now).await.unwrap(),
            Selection::Selected
        );
        assert_eq!(
            storage.select_innovation(second, 1, 1, now).await.unwrap(),
            Selection::CapReached { cap: 1 }
        );
        assert_eq!(
            storage.select_innovation(draft, 1, 1, now).await.unwrap(),
            Selection::NotApproved
        );
        assert_eq!(
            storage.innovation(second).await.unwrap().unwrap().state,
            InnovationState::Approved
        );
        assert!(storage.innovation_events(second).await.unwrap().is_empty());
        assert_eq!(storage.selected_count().await.unwrap(), 1);
    }

    pub(in crate::storage) fn no_conversation(user_id: i64) -> ConversationWrite<'static> {
        ConversationWrite {
            user_id,
            state: None,
            update_id: None,
        }
    }

    /// Answers and conversations are stored as the same JSON text as before they crossed the
    /// storage as types, and read back as what was written.
    #[tokio::test]
    async fn typed_values_keep_their_stored_text() {
        let dir = tempfile::tempdir().unwrap();
        let storage = storage(&dir).await;
        let now = Utc.with_ymd_and_hms(2026, 5, 1, 8, 0, 0).unwrap();
        let id = innovation_in(&storage, InnovationState::Draft).await;
        let value = AnswerValue::Text {
            text: "Pojok Data".to_owned(),
        };
        let mut conversation =
            Conversation::at(id, Cursor::Question(AnswerKey::item("metrik_nama", 2)));
        conversation.selected = vec!["a".to_owned()];
        storage
            .save_answer(
                id,
                "judul",
                3,
                &value,
                ConversationWrite {
                    user_id: 1,
                    state: Some(&conversation),
                    update_id: None,
                },
                now,
            )
            .await
            .unwrap();
        let (item, raw): (i64, String) =
            sqlx::query_as("SELECT item, value FROM answers WHERE innovation_id = ?1")
                .bind(id)
                .fetch_one(&storage.pool)
                .await
                .unwrap();
        assert_eq!(
            (item, raw.as_str()),
            (3, r#"{"type":"text","text":"Pojok Data"}"#)
        );
        let raw: String = sqlx::query_scalar("SELECT state FROM conversations WHERE user_id = 1")
            .fetch_one(&storage.pool)
            .await
            .unwrap();
        assert_eq!(
            raw,
            format!(
                r#"{{"innovation_id":{id},"cursor":{{"Question":{{"question":"metrik_nama","item":2}}}},"selected":["a"]}}"#
            )
        );
        let answers = storage.answers(id).await.unwrap();
        assert_eq!(answers.len(), 1);
        assert_eq!((answers[0].item, &answers[0].value), (3, &value));
        assert_eq!(storage.conversation(1).await.unwrap(), Some(conversation));

        // No question pending is stored as an empty state, as before.
        storage
            .save_conversation(no_conversation(1), now)
            .await
            .unwrap();
        let raw: String = sqlx::query_scalar("SELECT state FROM conversations WHERE user_id = 1")
            .fetch_one(&storage.pool)
            .await
            .unwrap();
        assert_eq!(raw, "");
        assert_eq!(storage.conversation(1).await.unwrap(), None);
    }

    /// A stored value this version cannot read does not lock anyone out: the answer is left
    /// out (the question can be answered again), the conversation forgotten, the history line
    /// skipped.
    #[tokio::test]
    async fn unreadable_stored_values_are_left_out_not_errors() {
        let dir = tempfile::tempdir().unwrap();
        let storage = storage(&dir).await;
        let now = Utc.with_ymd_and_hms(2026, 5, 1, 8, 0, 0).unwrap();
        let id = innovation_in(&storage, InnovationState::Draft).await;
        let value = AnswerValue::Text {
            text: "kept".to_owned(),
        };
        storage
            .save_answer(id, "judul", 0, &value, no_conversation(1), now)
            .await
            .unwrap();
        sqlx::query(
            "INSERT INTO answers (innovation_id, question_id, item, value, answered_by,
                 answered_at) VALUES (?1, 'ringkasan', 0, '{\"type\":\"hologram\"}', 1, 0);
             UPDATE conversations SET state = '{\"cursor\":' WHERE user_id = 1;
             INSERT INTO innovation_events (innovation_id, at, actor_user_id, from_state,
                 to_state) VALUES (?1, 0, 1, 'draft', 'archived'),
                 (?1, 1, 1, 'draft', 'submitted');",
        )
        .bind(id)
        .execute(&storage.pool)
        .await
        .unwrap();
        let answers = storage.answers(id).await.unwrap();
        assert_eq!(answers.len(), 1);
        assert_eq!(answers[0].value, value);
        assert_eq!(storage.conversation(1).await.unwrap(), None);
        let events = storage.innovation_events(id).await.unwrap();
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].to, InnovationState::Submitted);
        let last = storage.last_state_events(None).await.unwrap();
        assert_eq!(
            last.get(&id).map(|event| event.to),
            Some(InnovationState::Submitted)
        );
    }
}
