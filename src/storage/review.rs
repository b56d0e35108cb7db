//! Review and selection: a reviewer's comments on single questions, sending an innovation back,
//! and the bureau's selection for KIPP under the campaign's cap.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sqlx::{FromRow, Sqlite, Transaction};

use super::{
    Result, StateEvent, Storage, audit, begin_write, from_db_time, item_from_db,
    proposals::{Moved, StoredEvent, TransitionWrite, apply_transition},
    to_db_time,
};
use crate::domain::Transition;

/// One reviewer comment on one question (and group item).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewComment {
    pub id: i64,
    pub innovation_id: i64,
    pub question_id: String,
    pub item: u16,
    pub comment: String,
    pub author_user_id: i64,
    pub author_name: String,
    pub created_at: DateTime<Utc>,
}

#[derive(FromRow)]
struct CommentRow {
    id: i64,
    innovation_id: i64,
    question_id: String,
    item: i64,
    comment: String,
    author_user_id: i64,
    author_name: String,
    created_at: i64,
}

impl From<CommentRow> for ReviewComment {
    fn from(row: CommentRow) -> Self {
        Self {
            id: row.id,
            innovation_id: row.innovation_id,
            question_id: row.question_id,
            item: item_from_db(row.item),
            comment: row.comment,
            author_user_id: row.author_user_id,
            author_name: row.author_name,
            created_at: from_db_time(row.created_at),
        }
    }
}

const SELECT_COMMENT: &str = "SELECT c.id, c.innovation_id, c.question_id, c.item, c.comment,
        c.author_user_id, COALESCE(u.display_name, '') AS author_name, c.created_at
    FROM review_comments c LEFT JOIN users u ON u.id = c.author_user_id";

/// The question a reviewer is about to comment on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentTarget {
    pub innovation_id: i64,
    pub question_id: String,
    pub item: u16,
}

/// What became of a typed comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommentAdded {
    Added(CommentTarget),
    /// The reviewer had not picked a question: the text is not a comment.
    NoTarget,
    /// The same update was handled before.
    AlreadyHandled,
}

/// What became of a send-back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendBack {
    /// Returned; the comments that went with it.
    Sent(Vec<ReviewComment>),
    /// The reviewer has written no comment yet: nothing changed.
    NoComments,
    /// The innovation is not (or no longer) submitted.
    NotSubmitted,
}

/// What became of a selection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selection {
    Selected,
    /// The agency already has `cap` selected innovations.
    CapReached {
        cap: u32,
    },
    /// The innovation's group already has its share of selected innovations.
    GroupFull {
        cap: u32,
    },
    /// Only approved innovations can be selected.
    NotApproved,
}

/// A group's share of the selection: at most `cap` selected innovations whose answer to
/// `question_id` is the choice `option`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupShare<'a> {
    pub question_id: &'a str,
    pub option: &'a str,
    pub cap: u32,
}

impl Storage {
    /// Comments sent to the unit and not yet resolved, oldest first.
    pub async fn open_review_comments(&self, innovation_id: i64) -> Result<Vec<ReviewComment>> {
        let rows: Vec<CommentRow> = sqlx::query_as(&format!(
            "{SELECT_COMMENT} WHERE c.innovation_id = ?1 AND c.sent_at IS NOT NULL
                 AND c.resolved_at IS NULL ORDER BY c.id"
        ))
        .bind(innovation_id)
        .fetch_all(&mut *self.reader().await?)
        .await?;
        Ok(rows.into_iter().map(ReviewComment::from).collect())
    }

    /// A reviewer's comments not sent yet, oldest first.
    pub async fn draft_review_comments(
        &self,
        innovation_id: i64,
        author_user_id: i64,
    ) -> Result<Vec<ReviewComment>> {
        let rows: Vec<CommentRow> = sqlx::query_as(&format!(
            "{SELECT_COMMENT} WHERE c.innovation_id = ?1 AND c.author_user_id = ?2
                 AND c.sent_at IS NULL ORDER BY c.id"
        ))
        .bind(innovation_id)
        .bind(author_user_id)
        .fetch_all(&mut *self.reader().await?)
        .await?;
        Ok(rows.into_iter().map(ReviewComment::from).collect())
    }

    /// Remembers which question the reviewer's next message comments on.
    pub async fn pick_comment_target(
        &self,
        user_id: i64,
        target: &CommentTarget,
        now: DateTime<Utc>,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO review_drafts (user_id, innovation_id, question_id, item, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (user_id) DO UPDATE SET innovation_id = excluded.innovation_id,
                 question_id = excluded.question_id, item = excluded.item,
                 updated_at = excluded.updated_at",
        )
        .bind(user_id)
        .bind(target.innovation_id)
        .bind(&target.question_id)
        .bind(i64::from(target.item))
        .bind(to_db_time(now))
        .execute(&mut *self.writer().await?)
        .await?;
        Ok(())
    }

    pub async fn comment_target(&self, user_id: i64) -> Result<Option<CommentTarget>> {
        let row: Option<(i64, String, i64)> = sqlx::query_as(
            "SELECT innovation_id, question_id, item FROM review_drafts WHERE user_id = ?1",
        )
        .bind(user_id)
        .fetch_optional(&mut *self.reader().await?)
        .await?;
        Ok(row.map(|(innovation_id, question_id, item)| CommentTarget {
            innovation_id,
            question_id,
            item: item_from_db(item),
        }))
    }

    /// Stores a typed comment for the picked question (one transaction with the update id, so a
    /// redelivered message is not stored twice).
    pub async fn add_review_comment(
        &self,
        user_id: i64,
        comment: &str,
        update_id: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<CommentAdded> {
        let mut writer = self.writer().await?;
        let mut tx = begin_write(&mut writer).await?;
        let target: Option<(i64, String, i64)> = sqlx::query_as(
            "DELETE FROM review_drafts WHERE user_id = ?1
             RETURNING innovation_id, question_id, item",
        )
        .bind(user_id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((innovation_id, question_id, item)) = target else {
            return Ok(CommentAdded::NoTarget);
        };
        if let Some(update_id) = update_id {
            let first_time = sqlx::query(
                "INSERT INTO handled_updates (update_id, handled_at) VALUES (?1, ?2)
                 ON CONFLICT DO NOTHING",
            )
            .bind(update_id)
            .bind(to_db_time(now))
            .execute(&mut *tx)
            .await?
            .rows_affected()
                > 0;
            if !first_time {
                return Ok(CommentAdded::AlreadyHandled);
            }
        }
        sqlx::query(
            "INSERT INTO review_comments (innovation_id, question_id, item, comment,
                 author_user_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )
        .bind(innovation_id)
        .bind(&question_id)
        .bind(item)
        .bind(comment)
        .bind(user_id)
        .bind(to_db_time(now))
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut *tx,
            now,
            Some(user_id),
            "review.comment",
            &format!("{innovation_id}/{question_id}/{item}"),
            "",
        )
        .await?;
        tx.commit().await?;
        Ok(CommentAdded::Added(CommentTarget {
            innovation_id,
            question_id,
            item: item_from_db(item),
        }))
    }

    /// Forgets a reviewer's unsent comments on an innovation and the picked question.
    pub async fn discard_review_draft(&self, innovation_id: i64, user_id: i64) -> Result<u64> {
        let mut writer = self.writer().await?;
        let mut tx = begin_write(&mut writer).await?;
        sqlx::query("DELETE FROM review_drafts WHERE user_id = ?1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        let removed = sqlx::query(
            "DELETE FROM review_comments
             WHERE innovation_id = ?1 AND author_user_id = ?2 AND sent_at IS NULL",
        )
        .bind(innovation_id)
        .bind(user_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        tx.commit().await?;
        Ok(removed)
    }

    /// Sends a submitted innovation back to its unit with the reviewer's drafted comments: the
    /// state change, its event and the comments are one transaction.
    pub async fn send_back(
        &self,
        innovation_id: i64,
        reviewer_user_id: i64,
        now: DateTime<Utc>,
    ) -> Result<SendBack> {
        let mut writer = self.writer().await?;
        let mut tx = begin_write(&mut writer).await?;
        let rows: Vec<CommentRow> = sqlx::query_as(&format!(
            "{SELECT_COMMENT} WHERE c.innovation_id = ?1 AND c.author_user_id = ?2
                 AND c.sent_at IS NULL ORDER BY c.id"
        ))
        .bind(innovation_id)
        .bind(reviewer_user_id)
        .fetch_all(&mut *tx)
        .await?;
        let comments: Vec<ReviewComment> = rows.into_iter().map(ReviewComment::from).collect();
        let summary: Vec<String> = comments
            .iter()
            .map(|c| format!("{}[{}]: {}", c.question_id, c.item, c.comment))
            .collect();
        let moved = apply_transition(
            &mut tx,
            TransitionWrite {
                innovation_id,
                transition: Transition::SendBack,
                actor_user_id: reviewer_user_id,
                comment: Some(&summary.join("\n")),
                cap: None,
            },
            now,
        )
        .await?;
        if moved != Moved::Yes {
            return Ok(SendBack::NotSubmitted);
        }
        if comments.is_empty() {
            // Dropping the transaction rolls the state change back.
            return Ok(SendBack::NoComments);
        }
        sqlx::query(
            "UPDATE review_comments SET sent_at = ?3
             WHERE innovation_id = ?1 AND author_user_id = ?2 AND sent_at IS NULL",
        )
        .bind(innovation_id)
        .bind(reviewer_user_id)
        .bind(to_db_time(now))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(SendBack::Sent(comments))
    }

    /// Marks an approved innovation selected for KIPP, unless `cap` innovations already are:
    /// the count and the change are one statement inside one transaction.
    pub async fn select_innovation(
        &self,
        innovation_id: i64,
        actor_user_id: i64,
        cap: u32,
        now: DateTime<Utc>,
    ) -> Result<Selection> {
        self.select_within(innovation_id, actor_user_id, cap, None, now)
            .await
    }

    /// [`Storage::select_innovation`], and when `share` is given also within its group's share:
    /// both counts are read under the write lock, so two selections cannot pass either.
    pub async fn select_within(
        &self,
        innovation_id: i64,
        actor_user_id: i64,
        cap: u32,
        share: Option<GroupShare<'_>>,
        now: DateTime<Utc>,
    ) -> Result<Selection> {
        let mut writer = self.writer().await?;
        let mut tx = begin_write(&mut writer).await?;
        if let Some(share) = share {
            let in_group: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM innovations i
                 JOIN answers a ON a.innovation_id = i.id AND a.question_id = ?1 AND a.item = 0
                 WHERE i.state = 'selected' AND i.id != ?3
                   AND json_extract(a.value, '$.option') = ?2",
            )
            .bind(share.question_id)
            .bind(share.option)
            .bind(innovation_id)
            .fetch_one(&mut *tx)
            .await?;
            if in_group >= i64::from(share.cap) {
                return Ok(Selection::GroupFull { cap: share.cap });
            }
        }
        let moved = apply_transition(
            &mut tx,
            TransitionWrite {
                innovation_id,
                transition: Transition::Select,
                actor_user_id,
                comment: None,
                cap: Some(cap),
            },
            now,
        )
        .await?;
        Ok(match moved {
            Moved::Yes => {
                tx.commit().await?;
                Selection::Selected
            }
            Moved::Full => Selection::CapReached { cap },
            Moved::NotAllowed => Selection::NotApproved,
        })
    }

    /// How many innovations are selected for KIPP.
    pub async fn selected_count(&self) -> Result<u32> {
        let count: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM innovations WHERE state = 'selected'")
                .fetch_one(&mut *self.reader().await?)
                .await?;
        Ok(u32::try_from(count).unwrap_or(u32::MAX))
    }

    /// Who last sent the innovation back, if anyone did.
    pub async fn returned_by(&self, innovation_id: i64) -> Result<Option<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT actor_user_id FROM innovation_events
             WHERE innovation_id = ?1 AND to_state = 'returned' ORDER BY id DESC LIMIT 1",
        )
        .bind(innovation_id)
        .fetch_optional(&mut *self.reader().await?)
        .await?
        .flatten())
    }

    /// The latest state change of each innovation (of one unit, or all).
    pub async fn last_state_events(
        &self,
        unit_id: Option<i64>,
    ) -> Result<HashMap<i64, StateEvent>> {
        let rows: Vec<(i64, i64, String, String, String, Option<String>)> = sqlx::query_as(
            "SELECT e.innovation_id, e.at, COALESCE(u.display_name, ''), e.from_state,
                 e.to_state, e.comment
             FROM innovation_events e
             JOIN innovations i ON i.id = e.innovation_id
             LEFT JOIN users u ON u.id = e.actor_user_id
             WHERE (?1 IS NULL OR i.unit_id = ?1)
               AND e.id = (SELECT MAX(id) FROM innovation_events WHERE innovation_id = i.id)",
        )
        .bind(unit_id)
        .fetch_all(&mut *self.reader().await?)
        .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(innovation_id, at, actor_name, from, to, comment)| {
                let row: StoredEvent = (at, actor_name, from, to, comment);
                Some((innovation_id, StateEvent::read(row)?))
            })
            .collect())
    }
}

/// Answering a question again resolves the comments sent on it; called inside the transaction
/// that stores the answer or the file.
pub(super) async fn resolve_comments(
    tx: &mut Transaction<'_, Sqlite>,
    innovation_id: i64,
    question_id: &str,
    item: u16,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "UPDATE review_comments SET resolved_at = ?5, resolved_by = ?4
         WHERE innovation_id = ?1 AND question_id = ?2 AND item = ?3
           AND sent_at IS NOT NULL AND resolved_at IS NULL",
    )
    .bind(innovation_id)
    .bind(question_id)
    .bind(item)
    .bind(user_id)
    .bind(to_db_time(now))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::{
        domain::InnovationState,
        storage::proposals::tests::{innovation_in, storage},
    };

    #[tokio::test]
    async fn a_groups_share_binds_within_the_overall_cap() {
        let dir = tempfile::tempdir().unwrap();
        let storage = storage(&dir).await;
        let now = Utc.with_ymd_and_hms(2026, 5, 1, 8, 0, 0).unwrap();
        let in_group = |id: i64, option: &'static str| {
            let storage = storage.clone();
            async move {
                sqlx::query(
                    "INSERT INTO answers (innovation_id, question_id, item, value, answered_by,
                         answered_at) VALUES (?1, 'kelompok', 0, ?2, 1, 0)",
                )
                .bind(id)
                .bind(format!("{{\"type\":\"choice\",\"option\":\"{option}\"}}"))
                .execute(&storage.pool)
                .await
                .unwrap();
                id
            }
        };
        let umum = in_group(
            innovation_in(&storage, InnovationState::Approved).await,
            "umum",
        )
        .await;
        let umum_too = in_group(
            innovation_in(&storage, InnovationState::Approved).await,
            "umum",
        )
        .await;
        let replikasi = in_group(
            innovation_in(&storage, InnovationState::Approved).await,
            "replikasi",
        )
        .await;
        let select = |id, option| {
            let storage = storage.clone();
            async move {
                let share = GroupShare {
                    question_id: "kelompok",
                    option,
                    cap: 1,
                };
                storage
                    .select_within(id, 1, 15, Some(share), now)
                    .await
                    .unwrap()
            }
        };
        assert_eq!(select(umum, "umum").await, Selection::Selected);
        assert_eq!(
            select(umum_too, "umum").await,
            Selection::GroupFull { cap: 1 }
        );
        assert_eq!(select(replikasi, "replikasi").await, Selection::Selected);
        assert_eq!(
            storage.innovation(umum_too).await.unwrap().unwrap().state,
            InnovationState::Approved
        );
        // The overall cap still binds a group with room.
        let more = in_group(
            innovation_in(&storage, InnovationState::Approved).await,
            "lain",
        )
        .await;
        let wide = GroupShare {
            question_id: "kelompok",
            option: "lain",
            cap: 5,
        };
        assert_eq!(
            storage
                .select_within(more, 1, 2, Some(wide), now)
                .await
                .unwrap(),
            Selection::CapReached { cap: 2 }
        );
    }
}
