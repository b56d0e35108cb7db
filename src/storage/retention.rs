//! Bounded storage: what the bot forgets, and what it never forgets.
//!
//! Rows that exist only so that a restart or a redelivery does the right thing are deleted once
//! they can no longer matter; rows that are the campaign's record are never deleted. The
//! scheduler calls [`Storage::prune`] once a day with a cutoff of `RETENTION_DAYS` before now
//! (see `scheduler::retention`). Each statement reaches its old rows through an index
//! (migration `20261130120000_retention.sql`), so a daily pruning costs about one day's rows.
//!
//! - `handled_updates`: marks of updates handled before the cutoff go; the mark of an update
//!   still in `inbox` stays.
//! - `outbox`: `sent`, `failed` and `blocked` messages created and finished before the cutoff
//!   go, with their text, buttons and digest charts; `pending` messages (also those waiting for
//!   a retry), `sending` ones and every message of a broadcast still being sent stay.
//! - `reminders_sent`: marks for a deadline that passed before the cutoff go; marks for a
//!   deadline not yet passed stay.
//! - `digests_sent`: marks of local days before the cutoff's day go; today's stay.
//! - `inbox`: updates quarantined before the cutoff go (see `storage::inbox`: an update whose
//!   handling panicked, kept for a developer to read); every other row is an update not yet
//!   handled and stays.
//! - `audit_log`, `innovation_events`, broadcasts, innovations, answers, evidence, review
//!   comments: nothing goes, they are the campaign's record.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{Sqlite, SqliteExecutor};

use super::{Result, Storage, begin_write, to_db_time};

/// `bot_meta` key: the local day of the last pruning (`YYYY-MM-DD`).
const PRUNED_ON: &str = "pruned_on";

const DELETE_HANDLED_UPDATES: &str = "DELETE FROM handled_updates
    WHERE handled_at < ?1 AND update_id NOT IN (SELECT update_id FROM inbox)";
// Through the creation-time index (the planner would otherwise take `outbox_due` for the status
// and visit every finished row); a message sent after the cutoff (a long outage) stays.
const DELETE_OUTBOX: &str = "DELETE FROM outbox INDEXED BY outbox_by_creation
    WHERE created_at < ?1
      AND COALESCE(sent_at, created_at) < ?1
      AND status IN ('sent', 'failed', 'blocked')
      AND (broadcast_id IS NULL
           OR broadcast_id NOT IN (SELECT id FROM broadcasts WHERE status = 'sending'))";
const DELETE_QUARANTINED: &str =
    "DELETE FROM inbox WHERE quarantined_at IS NOT NULL AND quarantined_at < ?1";
const DELETE_REMINDER_MARKS: &str = "DELETE FROM reminders_sent WHERE deadline_at < ?1";
// Days are stored as `YYYY-MM-DD`, which sorts like the dates themselves.
const DELETE_DIGEST_MARKS: &str = "DELETE FROM digests_sent WHERE day < ?1";

/// How many rows one pruning deleted, per table.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pruned {
    pub handled_updates: u64,
    pub outbox: u64,
    pub reminder_marks: u64,
    pub digest_marks: u64,
    pub quarantined_updates: u64,
}

impl Pruned {
    pub fn total(&self) -> u64 {
        self.handled_updates
            .saturating_add(self.outbox)
            .saturating_add(self.reminder_marks)
            .saturating_add(self.digest_marks)
            .saturating_add(self.quarantined_updates)
    }
}

/// How many rows the tables that grow with activity hold (for tests and operators).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RowCounts {
    pub inbox: i64,
    pub handled_updates: i64,
    pub outbox: i64,
    pub reminders_sent: i64,
    pub digests_sent: i64,
    pub audit_log: i64,
    pub innovation_events: i64,
}

/// See [`Storage::prune_handled_updates`].
async fn delete_handled_updates<'e>(
    executor: impl SqliteExecutor<'e>,
    before: DateTime<Utc>,
) -> Result<u64> {
    Ok(sqlx::query::<Sqlite>(DELETE_HANDLED_UPDATES)
        .bind(to_db_time(before))
        .execute(executor)
        .await?
        .rows_affected())
}

/// See [`Storage::prune_outbox`].
async fn delete_outbox<'e>(
    executor: impl SqliteExecutor<'e>,
    before: DateTime<Utc>,
) -> Result<u64> {
    Ok(sqlx::query::<Sqlite>(DELETE_OUTBOX)
        .bind(to_db_time(before))
        .execute(executor)
        .await?
        .rows_affected())
}

/// See [`Storage::prune_reminder_marks`].
async fn delete_reminder_marks<'e>(
    executor: impl SqliteExecutor<'e>,
    before: DateTime<Utc>,
) -> Result<u64> {
    Ok(sqlx::query::<Sqlite>(DELETE_REMINDER_MARKS)
        .bind(to_db_time(before))
        .execute(executor)
        .await?
        .rows_affected())
}

/// See [`Storage::prune_digest_marks`].
async fn delete_digest_marks<'e>(
    executor: impl SqliteExecutor<'e>,
    before_day: NaiveDate,
) -> Result<u64> {
    Ok(sqlx::query::<Sqlite>(DELETE_DIGEST_MARKS)
        .bind(before_day.format("%Y-%m-%d").to_string())
        .execute(executor)
        .await?
        .rows_affected())
}

impl Storage {
    /// Deletes, in one transaction, everything older than the cutoff that no restart and no
    /// idempotency check reads any more (the rules are on each `prune_*` function below and in
    /// the module's list), and records `today` as the day of the last pruning. `before` is an
    /// instant at least a day before now; `before_day` a local day before today. The audit log,
    /// innovation events and every other record of the campaign are never deleted.
    pub async fn prune(
        &self,
        before: DateTime<Utc>,
        before_day: NaiveDate,
        today: NaiveDate,
    ) -> Result<Pruned> {
        let mut writer = self.writer().await?;
        let mut tx = begin_write(&mut writer).await?;
        let pruned = Pruned {
            handled_updates: delete_handled_updates(&mut *tx, before).await?,
            outbox: delete_outbox(&mut *tx, before).await?,
            reminder_marks: delete_reminder_marks(&mut *tx, before).await?,
            digest_marks: delete_digest_marks(&mut *tx, before_day).await?,
            quarantined_updates: sqlx::query(DELETE_QUARANTINED)
                .bind(to_db_time(before))
                .execute(&mut *tx)
                .await?
                .rows_affected(),
        };
        sqlx::query(
            "INSERT INTO bot_meta (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(PRUNED_ON)
        .bind(today.format("%Y-%m-%d").to_string())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(pruned)
    }

    /// The handled-update marks are read only when the same update arrives again: from Telegram,
    /// which keeps an update at most 24 hours, or from our own `inbox` after a crash between the
    /// change's commit and the update's removal from the inbox. So a mark older than the cutoff
    /// (`RETENTION_DAYS`, at least a day) is never read again, unless its update still waits in
    /// the inbox: that mark is kept, and a replay still changes nothing twice (`/new`, answers,
    /// review comments). Forgetting old marks also helps: Telegram picks update ids at random again
    /// after a week without updates, and a new update must not be taken for a replay of an old one.
    pub async fn prune_handled_updates(&self, before: DateTime<Utc>) -> Result<u64> {
        delete_handled_updates(&mut *self.writer().await?, before).await
    }

    /// Outbox rows are the sender's queue, not a record: a message that was sent, or given up
    /// (`failed`, `blocked`), before the cutoff goes, with its text, buttons and photo (the digest
    /// charts). A message not yet sent, waiting for a retry or in flight (`pending`, `sending`) is
    /// kept whatever its age, and so is every message of a broadcast still being sent, whose
    /// progress and final report count them. What was announced stays in `broadcasts`, and who did
    /// what in the audit log.
    pub async fn prune_outbox(&self, before: DateTime<Utc>) -> Result<u64> {
        delete_outbox(&mut *self.writer().await?, before).await
    }

    /// A reminder mark keeps one reminder per person, innovation, offset and deadline; it is read
    /// only while that deadline is ahead (no reminder is due once it passed). Marks of a deadline
    /// that passed before the cutoff go; marks of a deadline still ahead are kept however old they
    /// are. `before` must not be after now.
    pub async fn prune_reminder_marks(&self, before: DateTime<Utc>) -> Result<u64> {
        delete_reminder_marks(&mut *self.writer().await?, before).await
    }

    /// A digest mark keeps one digest per person per local day; only today's is read. Marks of
    /// days before `before_day` go (the caller passes a day before today).
    pub async fn prune_digest_marks(&self, before_day: NaiveDate) -> Result<u64> {
        delete_digest_marks(&mut *self.writer().await?, before_day).await
    }

    /// The local day of the last pruning, if any (an unreadable value counts as none).
    pub async fn pruned_on(&self) -> Result<Option<NaiveDate>> {
        let value: Option<String> = sqlx::query_scalar("SELECT value FROM bot_meta WHERE key = ?1")
            .bind(PRUNED_ON)
            .fetch_optional(&mut *self.reader().await?)
            .await?;
        Ok(value.and_then(|raw| NaiveDate::parse_from_str(&raw, "%Y-%m-%d").ok()))
    }

    /// Rows in the tables that grow with activity.
    pub async fn row_counts(&self) -> Result<RowCounts> {
        type Row = (i64, i64, i64, i64, i64, i64, i64);
        let row: Row = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM inbox), (SELECT COUNT(*) FROM handled_updates),
                    (SELECT COUNT(*) FROM outbox), (SELECT COUNT(*) FROM reminders_sent),
                    (SELECT COUNT(*) FROM digests_sent), (SELECT COUNT(*) FROM audit_log),
                    (SELECT COUNT(*) FROM innovation_events)",
        )
        .fetch_one(&mut *self.reader().await?)
        .await?;
        let (inbox, handled_updates, outbox, reminders_sent, digests_sent, audit_log, events) = row;
        Ok(RowCounts {
            inbox,
            handled_updates,
            outbox,
            reminders_sent,
            digests_sent,
            audit_log,
            innovation_events: events,
        })
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};

    use super::*;

    fn at(day: u32, hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 5, day, hour, 0, 0).unwrap()
    }

    fn date(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 5, day).unwrap()
    }

    async fn storage(dir: &tempfile::TempDir) -> Storage {
        let url = format!("sqlite://{}", dir.path().join("kipp.db").display());
        Storage::connect(&url).await.unwrap()
    }

    async fn exec(storage: &Storage, sql: &str) {
        sqlx::query(sql).execute(&storage.pool).await.unwrap();
    }

    async fn ids(storage: &Storage, sql: &str) -> Vec<i64> {
        sqlx::query_scalar(sql)
            .fetch_all(&storage.pool)
            .await
            .unwrap()
    }

    /// One person, two broadcasts (one still sending), and rows of every kind around a cutoff
    /// of 2026-05-20 00:00.
    async fn seeded(dir: &tempfile::TempDir) -> Storage {
        let storage = storage(dir).await;
        let old = to_db_time(at(1, 0));
        let late = to_db_time(at(25, 0));
        exec(
            &storage,
            &format!(
                "INSERT INTO users (id, telegram_id, role, created_at, updated_at)
                 VALUES (1, 100, 'bureau', {old}, {old});
                 INSERT INTO broadcasts (id, author_user_id, status, created_at)
                 VALUES (1, 1, 'done', {old}), (2, 1, 'sending', {old});
                 INSERT INTO inbox (update_id, payload, received_at) VALUES (12, '{{}}', {old});
                 INSERT INTO handled_updates (update_id, handled_at)
                 VALUES (11, {old}), (12, {old}), (13, {late});
                 INSERT INTO audit_log (at, action) VALUES ({old}, 'old.thing');"
            ),
        )
        .await;
        // (id, status, created, sent, broadcast)
        let outbox = [
            (1, "sent", old, Some(old), None),
            (2, "failed", old, None, None),
            (3, "blocked", old, None, None),
            (4, "pending", old, None, None),
            (5, "sending", old, None, None),
            (6, "sent", old, Some(late), None),
            (7, "sent", late, Some(late), None),
            (8, "sent", old, Some(old), Some(1)),
            (9, "sent", old, Some(old), Some(2)),
        ];
        for (id, status, created, sent, broadcast) in outbox {
            sqlx::query(
                "INSERT INTO outbox (id, chat_id, kind, body, photo, source, broadcast_id, status,
                     next_attempt_at, created_at, sent_at)
                 VALUES (?1, 100, 'photo', '', x'89504E47', 'digest', ?2, ?3, ?4, ?4, ?5)",
            )
            .bind(id)
            .bind(broadcast)
            .bind(status)
            .bind(created)
            .bind(sent)
            .execute(&storage.pool)
            .await
            .unwrap();
        }
        exec(
            &storage,
            &format!(
                "INSERT INTO reminders_sent (user_id, innovation_key, offset_minutes, deadline_at,
                     outcome, at)
                 VALUES (1, 0, 60, {}, 'queued', {old}), (1, 0, 60, {}, 'queued', {old}),
                        (1, 0, 60, {}, 'queued', {old});
                 INSERT INTO digests_sent (user_id, day, at)
                 VALUES (1, '2026-05-18', {old}), (1, '2026-05-19', {old}),
                        (1, '2026-05-20', {old}), (1, '2026-05-27', {late});",
                to_db_time(at(10, 0)),
                to_db_time(at(21, 0)),
                to_db_time(at(30, 0)),
            ),
        )
        .await;
        storage
    }

    #[tokio::test]
    async fn pruning_deletes_only_what_nothing_reads_any_more() {
        let dir = tempfile::tempdir().unwrap();
        let storage = seeded(&dir).await;
        let before = storage.row_counts().await.unwrap();
        assert_eq!(storage.pruned_on().await.unwrap(), None);

        let cutoff = at(20, 0);
        let pruned = storage.prune(cutoff, date(19), date(27)).await.unwrap();
        assert_eq!(
            pruned,
            Pruned {
                handled_updates: 1,
                outbox: 4,
                reminder_marks: 1,
                digest_marks: 1,
                quarantined_updates: 0,
            }
        );
        assert_eq!(pruned.total(), 7);
        assert_eq!(storage.pruned_on().await.unwrap(), Some(date(27)));

        // The mark of an update still in the inbox stays, and so do recent marks.
        assert_eq!(
            ids(&storage, "SELECT update_id FROM handled_updates ORDER BY 1").await,
            vec![12, 13]
        );
        // Pending, in flight, sent after the cutoff, recent, and a running broadcast's: kept.
        assert_eq!(
            ids(&storage, "SELECT id FROM outbox ORDER BY 1").await,
            vec![4, 5, 6, 7, 9]
        );
        // Deadlines not passed before the cutoff keep their marks.
        assert_eq!(
            ids(
                &storage,
                "SELECT deadline_at FROM reminders_sent ORDER BY 1"
            )
            .await,
            vec![to_db_time(at(21, 0)), to_db_time(at(30, 0))]
        );
        let days: Vec<String> = sqlx::query_scalar("SELECT day FROM digests_sent ORDER BY 1")
            .fetch_all(&storage.pool)
            .await
            .unwrap();
        assert_eq!(days, ["2026-05-19", "2026-05-20", "2026-05-27"]);

        let after = storage.row_counts().await.unwrap();
        assert_eq!(after.inbox, before.inbox);
        assert_eq!(after.audit_log, before.audit_log);
        assert_eq!(after.innovation_events, before.innovation_events);
        assert_eq!(after.outbox, before.outbox - 4);

        // Nothing more to do at the same cutoff.
        let again = storage.prune(cutoff, date(19), date(27)).await.unwrap();
        assert_eq!(again, Pruned::default());
    }

    #[tokio::test]
    async fn each_table_can_be_pruned_on_its_own() {
        let dir = tempfile::tempdir().unwrap();
        let storage = seeded(&dir).await;
        let cutoff = at(20, 0);
        assert_eq!(storage.prune_handled_updates(cutoff).await.unwrap(), 1);
        assert_eq!(storage.prune_outbox(cutoff).await.unwrap(), 4);
        assert_eq!(storage.prune_reminder_marks(cutoff).await.unwrap(), 1);
        assert_eq!(storage.prune_digest_marks(date(19)).await.unwrap(), 1);
        // These do not record a pruning day: only `prune` does.
        assert_eq!(storage.pruned_on().await.unwrap(), None);
        // Far in the past: nothing is old enough.
        let long_ago = cutoff - Duration::days(3650);
        assert_eq!(storage.prune_outbox(long_ago).await.unwrap(), 0);
    }

    #[tokio::test]
    async fn each_pruning_statement_walks_an_index() {
        let dir = tempfile::tempdir().unwrap();
        let storage = storage(&dir).await;
        for (statement, index) in [
            (DELETE_HANDLED_UPDATES, "handled_updates_by_time"),
            (DELETE_OUTBOX, "outbox_by_creation"),
            (DELETE_REMINDER_MARKS, "reminders_sent_by_deadline"),
            (DELETE_DIGEST_MARKS, "digests_sent_by_day"),
        ] {
            let plan: Vec<(i64, i64, i64, String)> =
                sqlx::query_as(&format!("EXPLAIN QUERY PLAN {statement}"))
                    .bind(1)
                    .fetch_all(&storage.pool)
                    .await
                    .unwrap();
            assert!(
                plan.iter().any(|(_, _, _, detail)| detail.contains(index)),
                "{statement}: {plan:?}"
            );
        }
    }
}
