//! Group commit for the questionnaire's hot path: the answers and moves of people answering at
//! the same time are committed together, in one transaction and one trip to SQLite's thread.
//!
//! Why: each write of its own is a trip to the writer connection's thread and back (two thread
//! wake-ups) and a commit (WAL frames written for every page it touched, and a lock taken and
//! released). Under load, writes queue for the one writer anyway; whoever gets the writer takes
//! every write queued by then and commits them at once. Alone, a write is a group of one and
//! waits for nothing. Every caller still returns only once its own write is committed, so an
//! acknowledged answer is as durable as before.
//!
//! The group is one fixed batch of statements whatever its size ([`GROUP_SQL`]): the writes go
//! in as one JSON array, read by SQLite's `json_each`. A fixed text means one prepared batch in
//! sqlx's statement cache, where one text per group size would fill it.
//!
//! Each write keeps its own outcome. A group holds at most one write per person and per
//! innovation (the rest wait for the next group), so the revisions each answer reports are its
//! own. If the group fails (one of its updates was handled before, say), it is rolled back and
//! each write is committed alone, with its own outcome.

use std::collections::{HashMap, HashSet, VecDeque};

use serde::Serialize;
use sqlx::SqliteConnection;

use super::{
    Result, StorageError,
    batching::{self, Queue, Turn},
    connections::Connections,
};

/// At most this many writes per group: enough for every update in hand at once (`Turns::LIMIT`),
/// and a bound on how long one transaction holds the writer.
const MAX_GROUP: usize = 128;

/// One update's write on the hot path: where the person now stands, with the answer they gave
/// if any.
#[derive(Debug, Serialize)]
pub(super) struct HotWrite {
    /// The update that caused it; `None` for a write of the bot's own.
    pub update: Option<i64>,
    pub user: i64,
    /// The conversation as stored (JSON, empty for no question pending).
    pub state: String,
    /// Unix seconds.
    pub at: i64,
    pub answer: Option<AnswerWrite>,
}

#[derive(Debug, Serialize)]
pub(super) struct AnswerWrite {
    pub innovation: i64,
    pub question: String,
    pub item: u16,
    /// The answer as stored (JSON).
    pub value: String,
}

/// What became of one write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Written {
    /// Committed. For an answer, its innovation's revision before and after it.
    Stored { revisions: Option<(i64, i64)> },
    /// Its update was handled before (a redelivery): nothing was changed.
    AlreadyHandled,
}

/// The writes waiting for the writer.
pub(super) type GroupCommit = Queue<HotWrite, Written>;

type Queued = batching::Queued<HotWrite, Written>;

/// The whole group as one batch with its own transaction; `?1` is the JSON array of the writes.
/// It returns `(0, innovation, revision)` for each answered innovation as found and
/// `(1, innovation, revision)` as left. The handled-update marks go first: when one update was
/// handled before, its primary key refuses it and the whole batch is rolled back.
const GROUP_SQL: &str = "
BEGIN IMMEDIATE;
INSERT INTO handled_updates (update_id, handled_at)
    SELECT value ->> 'update', value ->> 'at' FROM json_each(?1)
    WHERE value ->> 'update' IS NOT NULL;
INSERT INTO conversations (user_id, state, updated_at)
    SELECT value ->> 'user', value ->> 'state', value ->> 'at' FROM json_each(?1) WHERE true
    ON CONFLICT (user_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at;
SELECT 0, id, revision FROM innovations
    WHERE id IN (SELECT value ->> '$.answer.innovation' FROM json_each(?1));
UPDATE innovations SET updated_by = written.by_user, updated_at = written.at_time
    FROM (SELECT value ->> '$.answer.innovation' AS innovation, value ->> 'user' AS by_user,
                 value ->> 'at' AS at_time
          FROM json_each(?1) WHERE value ->> '$.answer.innovation' IS NOT NULL) AS written
    WHERE innovations.id = written.innovation;
INSERT INTO answers (innovation_id, question_id, item, value, answered_by, answered_at)
    SELECT value ->> '$.answer.innovation', value ->> '$.answer.question',
           value ->> '$.answer.item', value ->> '$.answer.value', value ->> 'user',
           value ->> 'at'
    FROM json_each(?1) WHERE value ->> '$.answer.innovation' IS NOT NULL
    ON CONFLICT (innovation_id, question_id, item) DO UPDATE
    SET value = excluded.value, answered_by = excluded.answered_by,
        answered_at = excluded.answered_at;
UPDATE review_comments SET resolved_at = written.at_time, resolved_by = written.by_user
    FROM (SELECT value ->> '$.answer.innovation' AS innovation,
                 value ->> '$.answer.question' AS question, value ->> '$.answer.item' AS item,
                 value ->> 'user' AS by_user, value ->> 'at' AS at_time
          FROM json_each(?1) WHERE value ->> '$.answer.innovation' IS NOT NULL) AS written
    WHERE review_comments.innovation_id = written.innovation
      AND review_comments.question_id = written.question
      AND review_comments.item = written.item
      AND review_comments.sent_at IS NOT NULL AND review_comments.resolved_at IS NULL;
INSERT INTO audit_log (at, actor_user_id, action, target, details)
    SELECT value ->> 'at', value ->> 'user', 'answer.set',
           concat_ws('/', value ->> '$.answer.innovation', value ->> '$.answer.question',
                     value ->> '$.answer.item'),
           ''
    FROM json_each(?1) WHERE value ->> '$.answer.innovation' IS NOT NULL;
SELECT 1, id, revision FROM innovations
    WHERE id IN (SELECT value ->> '$.answer.innovation' FROM json_each(?1));
COMMIT";

/// Commits `write`, with whatever else is queued when the writer is free; returns once it is
/// committed (or refused).
pub(super) async fn commit_write(
    queue: &GroupCommit,
    connections: &Connections,
    write: HotWrite,
) -> Result<Written> {
    let mut ticket = queue.submit(write);
    loop {
        match queue
            .next(&mut ticket, connections.writer(), take_group)
            .await
        {
            Turn::Done(written) => return written,
            Turn::Run(mut writer, group) => {
                connections.batch_started();
                commit(&mut writer, group).await;
                connections.batch_finished();
            }
        }
    }
}

/// The writes queued first, at most one per person and per innovation; the others stay queued,
/// in order.
fn take_group(queue: &mut VecDeque<Queued>) -> Vec<Queued> {
    let mut users = HashSet::new();
    let mut innovations = HashSet::new();
    batching::take_fitting(queue, MAX_GROUP, |write: &HotWrite| {
        let innovation = write.answer.as_ref().map(|answer| answer.innovation);
        let fits = !users.contains(&write.user)
            && innovation.is_none_or(|innovation| !innovations.contains(&innovation));
        if fits {
            users.insert(write.user);
            innovations.extend(innovation);
        }
        fits
    })
}

/// Commits a group and tells each write its outcome: at once if the group commits, else each
/// alone.
async fn commit(writer: &mut SqliteConnection, group: Vec<Queued>) {
    batching::finish_group(
        writer,
        group,
        async |writer, writes| run(writer, writes).await,
        |write, revisions| written(write, revisions),
        refused,
    )
    .await;
}

/// Each answered innovation's revision as found and as left, by innovation.
#[derive(Debug, Default)]
struct Revisions {
    before: HashMap<i64, i64>,
    after: HashMap<i64, i64>,
}

/// Runs the group's batch; on failure it is rolled back.
async fn run(writer: &mut SqliteConnection, writes: &[&HotWrite]) -> Result<Revisions> {
    let json = serde_json::to_string(writes)?;
    let rows: std::result::Result<Vec<(i64, i64, i64)>, sqlx::Error> = sqlx::query_as(GROUP_SQL)
        .bind(json)
        .fetch_all(&mut *writer)
        .await;
    match rows {
        Ok(rows) => {
            let mut revisions = Revisions::default();
            for (after, innovation, revision) in rows {
                let side = if after == 0 {
                    &mut revisions.before
                } else {
                    &mut revisions.after
                };
                side.insert(innovation, revision);
            }
            Ok(revisions)
        }
        Err(error) => {
            if let Err(error) = sqlx::query("ROLLBACK").execute(&mut *writer).await {
                // The batch failed before its BEGIN, or SQLite rolled back by itself.
                tracing::debug!(%error, "nothing to roll back");
            }
            Err(error.into())
        }
    }
}

/// A committed write's outcome.
fn written(write: &HotWrite, revisions: &Revisions) -> Result<Written> {
    let Some(answer) = &write.answer else {
        return Ok(Written::Stored { revisions: None });
    };
    let before = revisions.before.get(&answer.innovation);
    let after = revisions.after.get(&answer.innovation);
    match (before, after) {
        (Some(&before), Some(&after)) => Ok(Written::Stored {
            revisions: Some((before, after)),
        }),
        // Foreign keys refuse an answer to a missing innovation; this is the second guard.
        _ => Err(StorageError::NotFound("innovation")),
    }
}

/// A write that failed alone: refused as handled before, or the error.
fn refused(error: StorageError) -> Result<Written> {
    match error {
        StorageError::Database(error) if is_handled_before(&error) => Ok(Written::AlreadyHandled),
        error => Err(error),
    }
}

/// Whether a write failed because its update's handled mark is already stored.
fn is_handled_before(error: &sqlx::Error) -> bool {
    error.as_database_error().is_some_and(|error| {
        error.is_unique_violation() && error.message().contains("handled_updates")
    })
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects, reason = "tests may panic")]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::{
        domain::{AnswerValue, InnovationState},
        storage::{
            AnswerSaved, Applied, ConversationWrite, Storage,
            proposals::tests::{innovation_in, storage},
        },
    };

    fn of_update(user_id: i64, update_id: i64) -> ConversationWrite<'static> {
        ConversationWrite {
            user_id,
            state: None,
            update_id: Some(update_id),
        }
    }

    fn text(text: &str) -> AnswerValue {
        AnswerValue::Text {
            text: text.to_owned(),
        }
    }

    async fn count(storage: &Storage, sql: &str) -> i64 {
        sqlx::query_scalar(sql)
            .fetch_one(storage.pool())
            .await
            .unwrap()
    }

    fn groups(storage: &Storage) -> Vec<usize> {
        std::mem::take(&mut *storage.group_commit.groups.lock().unwrap())
    }

    /// Writes that queue while the writer is busy are committed as one group, and each keeps
    /// its own outcome: the answers' revisions are their own (two answers to one innovation go
    /// in different groups), and a redelivered update among them is refused alone while the
    /// others are stored.
    #[tokio::test]
    async fn writes_committed_together_keep_their_own_outcomes() {
        let dir = tempfile::tempdir().unwrap();
        let storage = storage(&dir).await;
        let now = Utc.with_ymd_and_hms(2026, 5, 1, 8, 0, 0).unwrap();
        sqlx::query(
            "INSERT INTO users (id, telegram_id, role, created_at, updated_at)
             SELECT value, value * 100, 'bureau', 0, 0 FROM json_each('[2, 3, 4, 5, 6]')",
        )
        .execute(storage.pool())
        .await
        .unwrap();
        let first = innovation_in(&storage, InnovationState::Draft).await;
        let second = innovation_in(&storage, InnovationState::Draft).await;
        let revision = |id| {
            let storage = &storage;
            async move { storage.innovation(id).await.unwrap().unwrap().revision }
        };
        let (first_at, second_at) = (revision(first).await, revision(second).await);
        let [two, three, four, five] = ["two", "three", "four", "five"].map(text);

        // The first write finds the writer free and goes alone; the others queue behind it and
        // go together, but for the second answer to the first innovation, which goes next.
        let (by_2, by_3, by_4, by_5, by_6) = tokio::join!(
            storage.save_answer(first, "judul", 0, &two, of_update(2, 51), now),
            storage.save_answer(first, "judul", 1, &three, of_update(3, 52), now),
            storage.save_answer(first, "judul", 2, &four, of_update(4, 53), now),
            storage.save_answer(second, "judul", 0, &five, of_update(5, 54), now),
            storage.save_conversation(of_update(6, 55), now),
        );
        // How the runtime interleaves the callers decides the groups' sizes (a fresh clone's run
        // saw other sizes than a warm one); that writes were grouped at all, and each counted
        // once, is what holds.
        let sizes = groups(&storage);
        assert_eq!(sizes.iter().sum::<usize>(), 5, "{sizes:?}");
        assert!(sizes.iter().any(|&size| size > 1), "{sizes:?}");
        let saved = |saved: Result<AnswerSaved>| match saved.unwrap() {
            AnswerSaved::Yes {
                revision_before,
                revision_after,
            } => (revision_before, revision_after),
            AnswerSaved::AlreadyHandled => panic!("refused"),
        };
        assert_eq!(saved(by_2), (first_at, first_at + 1));
        assert_eq!(saved(by_3), (first_at + 1, first_at + 2));
        assert_eq!(saved(by_4), (first_at + 2, first_at + 3));
        assert_eq!(saved(by_5), (second_at, second_at + 1));
        assert_eq!(by_6.unwrap(), Applied::Yes);

        // Update 55 again, among new ones: that group fails, and each of its writes goes alone.
        let (by_6, again, by_2) = tokio::join!(
            storage.save_conversation(of_update(6, 60), now),
            storage.save_conversation(of_update(6, 55), now),
            storage.save_answer(second, "judul", 1, &two, of_update(2, 61), now),
        );
        assert_eq!(groups(&storage).iter().sum::<usize>(), 3);
        assert_eq!(by_6.unwrap(), Applied::Yes);
        assert_eq!(again.unwrap(), Applied::AlreadyHandled);
        assert_eq!(saved(by_2), (second_at + 1, second_at + 2));

        assert_eq!(count(&storage, "SELECT COUNT(*) FROM answers").await, 5);
        assert_eq!(
            count(
                &storage,
                "SELECT COUNT(*) FROM audit_log WHERE action = 'answer.set'"
            )
            .await,
            5
        );
        assert_eq!(
            count(&storage, "SELECT COUNT(*) FROM handled_updates").await,
            7
        );
        assert_eq!(
            count(
                &storage,
                "SELECT COUNT(*) FROM conversations WHERE user_id IN (2, 3, 4, 5, 6)"
            )
            .await,
            5
        );
        let authors: Vec<(String, i64, String)> = sqlx::query_as(
            "SELECT a.value, a.answered_by, l.target FROM answers a
             JOIN audit_log l ON l.actor_user_id = a.answered_by
              AND l.target = a.innovation_id || '/' || a.question_id || '/' || a.item
             ORDER BY a.answered_by, a.innovation_id",
        )
        .fetch_all(storage.pool())
        .await
        .unwrap();
        assert_eq!(
            authors,
            [
                (
                    r#"{"type":"text","text":"two"}"#.to_owned(),
                    2,
                    format!("{first}/judul/0")
                ),
                (
                    r#"{"type":"text","text":"two"}"#.to_owned(),
                    2,
                    format!("{second}/judul/1")
                ),
                (
                    r#"{"type":"text","text":"three"}"#.to_owned(),
                    3,
                    format!("{first}/judul/1")
                ),
                (
                    r#"{"type":"text","text":"four"}"#.to_owned(),
                    4,
                    format!("{first}/judul/2")
                ),
                (
                    r#"{"type":"text","text":"five"}"#.to_owned(),
                    5,
                    format!("{second}/judul/0")
                ),
            ]
        );
    }
}
