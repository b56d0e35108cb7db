//! The questionnaire's hot path in the database: an answer with where the person goes next,
//! or where the person now stands, each committed in one transaction with the writes of others
//! answering at the same time (see `group_commit.rs`); and the person's conversation read back.

use chrono::{DateTime, Utc};
use sqlx::{Sqlite, Transaction};

use super::{
    Result, Storage, StorageError, from_stored_json,
    group_commit::{self, AnswerWrite, HotWrite, Written},
    to_db_time, to_stored_json,
};
use crate::{dialog::Conversation, domain::AnswerValue};

/// A person's conversation after a change (`state = None`: no question pending), and the
/// Telegram update that caused it.
#[derive(Debug, Clone, Copy)]
pub struct ConversationWrite<'a> {
    pub user_id: i64,
    pub state: Option<&'a Conversation>,
    pub update_id: Option<i64>,
}

/// Whether a change was made, or had already been made by the same update.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    Yes,
    /// The update was handled before (a redelivery): nothing was changed.
    AlreadyHandled,
}

/// What [`Storage::save_answer`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerSaved {
    /// Stored. The innovation's revision as the write found it and as it left it: when the
    /// first is the one a snapshot in memory was read at, that snapshot with this answer added
    /// is what the database now holds.
    Yes {
        revision_before: i64,
        revision_after: i64,
    },
    /// The update was handled before (a redelivery): nothing was changed.
    AlreadyHandled,
}

impl Storage {
    /// Stores an answer (by the person whose conversation moves on) with the person's next
    /// position, the handled-update mark, the audit line and the resolution of review comments
    /// on that question: one transaction, so an acknowledged answer and the next question can
    /// never disagree. It is committed with the writes of others answering at the same time,
    /// one trip to SQLite's thread for them all: those trips were most of an answer's cost
    /// (BENCHMARKS.md).
    pub async fn save_answer(
        &self,
        innovation_id: i64,
        question_id: &str,
        item: u16,
        value: &AnswerValue,
        conversation: ConversationWrite<'_>,
        now: DateTime<Utc>,
    ) -> Result<AnswerSaved> {
        let write = HotWrite {
            answer: Some(AnswerWrite {
                innovation: innovation_id,
                question: question_id.to_owned(),
                item,
                value: to_stored_json(value)?,
            }),
            ..hot_write(conversation, now)?
        };
        Ok(
            match group_commit::commit_write(&self.group_commit, &self.connections, write).await? {
                Written::Stored {
                    revisions: Some((revision_before, revision_after)),
                } => AnswerSaved::Yes {
                    revision_before,
                    revision_after,
                },
                Written::Stored { revisions: None } => {
                    return Err(StorageError::NotFound("innovation"));
                }
                Written::AlreadyHandled => AnswerSaved::AlreadyHandled,
            },
        )
    }

    /// The person's conversation: `None` when no question is pending (stored empty), or when
    /// the stored state no longer reads (with a warning): forgotten rather than locking the
    /// person out.
    pub async fn conversation(&self, user_id: i64) -> Result<Option<Conversation>> {
        let state: Option<String> =
            sqlx::query_scalar("SELECT state FROM conversations WHERE user_id = ?1")
                .bind(user_id)
                .fetch_optional(&mut *self.reader().await?)
                .await?;
        Ok(state
            .filter(|state| !state.is_empty())
            .and_then(|state| from_stored_json(&state, "conversation", &user_id.to_string())))
    }

    /// Stores where the person now stands (with the handled-update mark), committed like an
    /// answer: moving between questions is nearly half of all updates.
    pub async fn save_conversation(
        &self,
        conversation: ConversationWrite<'_>,
        now: DateTime<Utc>,
    ) -> Result<Applied> {
        let write = hot_write(conversation, now)?;
        Ok(
            match group_commit::commit_write(&self.group_commit, &self.connections, write).await? {
                Written::Stored { .. } => Applied::Yes,
                Written::AlreadyHandled => Applied::AlreadyHandled,
            },
        )
    }
}

/// The write of a conversation (with no answer).
fn hot_write(conversation: ConversationWrite<'_>, now: DateTime<Utc>) -> Result<HotWrite> {
    Ok(HotWrite {
        update: conversation.update_id,
        user: conversation.user_id,
        state: stored_state(conversation.state)?,
        at: to_db_time(now),
        answer: None,
    })
}

/// A conversation as stored: its JSON, or empty for no question pending.
fn stored_state(state: Option<&Conversation>) -> Result<String> {
    Ok(match state {
        Some(state) => to_stored_json(state)?,
        None => String::new(),
    })
}

/// Records that an update's change is being committed; false if it already was.
pub(super) async fn mark_handled(
    tx: &mut Transaction<'_, Sqlite>,
    update_id: i64,
    now: DateTime<Utc>,
) -> Result<bool> {
    Ok(sqlx::query(
        "INSERT INTO handled_updates (update_id, handled_at) VALUES (?1, ?2)
         ON CONFLICT DO NOTHING",
    )
    .bind(update_id)
    .bind(to_db_time(now))
    .execute(&mut **tx)
    .await?
    .rows_affected()
        > 0)
}

/// Marks the update handled (first, so a redelivery stops here) and stores the conversation.
pub(super) async fn write_conversation(
    tx: &mut Transaction<'_, Sqlite>,
    conversation: ConversationWrite<'_>,
    now: DateTime<Utc>,
) -> Result<Applied> {
    let state = stored_state(conversation.state)?;
    if let Some(update_id) = conversation.update_id
        && !mark_handled(tx, update_id, now).await?
    {
        return Ok(Applied::AlreadyHandled);
    }
    sqlx::query(
        "INSERT INTO conversations (user_id, state, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (user_id) DO UPDATE SET state = excluded.state,
             updated_at = excluded.updated_at",
    )
    .bind(conversation.user_id)
    .bind(state)
    .bind(to_db_time(now))
    .execute(&mut **tx)
    .await?;
    Ok(Applied::Yes)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::{
        domain::InnovationState,
        storage::proposals::tests::{innovation_in, no_conversation, storage},
    };

    /// A redelivered update stores nothing twice: the handled mark refuses it and the whole
    /// batch is rolled back. An answer to an innovation that does not exist stores nothing
    /// either, not even the mark, so the update can still be handled.
    #[tokio::test]
    async fn an_answers_update_is_stored_once_and_never_half() {
        let dir = tempfile::tempdir().unwrap();
        let storage = storage(&dir).await;
        let now = Utc.with_ymd_and_hms(2026, 5, 1, 8, 0, 0).unwrap();
        let id = innovation_in(&storage, InnovationState::Draft).await;
        let of_update = |update_id| ConversationWrite {
            user_id: 1,
            state: None,
            update_id: Some(update_id),
        };
        let text = |text: &str| AnswerValue::Text {
            text: text.to_owned(),
        };
        let audit_lines = || async {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM audit_log")
                .fetch_one(&storage.pool)
                .await
                .unwrap()
        };

        let missing = storage
            .save_answer(id + 1, "judul", 0, &text("lost"), of_update(7), now)
            .await;
        // Refused by the answer's foreign key (or, were keys not enforced, by the missing
        // revision): either way an error, and nothing is committed.
        assert!(missing.is_err(), "{missing:?}");
        let first = storage
            .save_answer(id, "judul", 0, &text("first"), of_update(7), now)
            .await
            .unwrap();
        let AnswerSaved::Yes {
            revision_before,
            revision_after,
        } = first
        else {
            panic!("stored: {first:?}");
        };
        assert!(revision_after > revision_before);
        let again = storage
            .save_answer(id, "judul", 0, &text("again"), of_update(7), now)
            .await
            .unwrap();
        assert_eq!(again, AnswerSaved::AlreadyHandled);

        let answers = storage.answers(id).await.unwrap();
        assert_eq!(answers.len(), 1);
        assert_eq!(answers[0].value, text("first"));
        assert_eq!(audit_lines().await, 1);
        let revision = storage.innovation(id).await.unwrap().unwrap().revision;
        assert_eq!(revision, revision_after);
    }

    /// A batch dropped halfway (its caller went away) leaves its transaction open on the
    /// writer: the next write rolls it back first instead of failing for good.
    #[tokio::test]
    async fn a_write_batch_cut_short_is_undone_before_the_next_write() {
        let dir = tempfile::tempdir().unwrap();
        let storage = storage(&dir).await;
        let now = Utc.with_ymd_and_hms(2026, 5, 1, 8, 0, 0).unwrap();
        let id = innovation_in(&storage, InnovationState::Draft).await;
        {
            let mut writer = storage.writer().await.unwrap();
            storage.connections.batch_started();
            sqlx::query(
                "BEGIN IMMEDIATE;
                 INSERT INTO units (id, code, name, created_at) VALUES (9, 'U9', 'Half', 0)",
            )
            .execute(&mut *writer)
            .await
            .unwrap();
        }
        let value = AnswerValue::Text {
            text: "after".to_owned(),
        };
        let saved = storage
            .save_answer(id, "judul", 0, &value, no_conversation(1), now)
            .await
            .unwrap();
        assert!(matches!(saved, AnswerSaved::Yes { .. }), "{saved:?}");
        let half: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM units WHERE id = 9")
            .fetch_one(&storage.pool)
            .await
            .unwrap();
        assert_eq!(half, 0);
    }

    /// The session read at the start of each update: the person, their conversation and its
    /// innovation, or less when there is less; an unreadable conversation is no conversation.
    #[tokio::test]
    async fn a_session_is_the_person_their_question_and_its_innovation() {
        use crate::dialog::{AnswerKey, Cursor};
        let dir = tempfile::tempdir().unwrap();
        let storage = storage(&dir).await;
        let now = Utc.with_ymd_and_hms(2026, 5, 1, 8, 0, 0).unwrap();
        let id = innovation_in(&storage, InnovationState::Draft).await;
        let session = storage.session(100).await.unwrap().unwrap();
        assert_eq!(session.user.id, 1);
        assert!(session.pending.is_none());
        assert!(storage.session(999).await.unwrap().is_none());

        let at = |innovation_id| {
            Conversation::at(innovation_id, Cursor::Question(AnswerKey::new("judul")))
        };
        for (conversation, found) in [(at(id), true), (at(id + 7), false)] {
            let write = ConversationWrite {
                user_id: 1,
                state: Some(&conversation),
                update_id: None,
            };
            storage.save_conversation(write, now).await.unwrap();
            let pending = storage
                .session(100)
                .await
                .unwrap()
                .unwrap()
                .pending
                .unwrap();
            assert_eq!(pending.conversation, conversation);
            assert_eq!(
                pending.innovation.map(|innovation| innovation.id),
                found.then_some(id)
            );
        }
        assert_eq!(storage.innovation(id).await.unwrap(), {
            let write = ConversationWrite {
                user_id: 1,
                state: Some(&at(id)),
                update_id: None,
            };
            storage.save_conversation(write, now).await.unwrap();
            storage
                .session(100)
                .await
                .unwrap()
                .unwrap()
                .pending
                .unwrap()
                .innovation
        });

        sqlx::query("UPDATE conversations SET state = '{\"cursor\":' WHERE user_id = 1")
            .execute(&storage.pool)
            .await
            .unwrap();
        assert!(
            storage
                .session(100)
                .await
                .unwrap()
                .unwrap()
                .pending
                .is_none()
        );
    }
}
