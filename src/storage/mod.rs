//! The only place with SQL. Every query is runtime-checked (`sqlx::query*` functions, no
//! compile-time macros), so the build needs no database; the tests cover each query.
//!
//! Values cross this API as types, never as the text they are stored as: answers as
//! [`AnswerValue`](crate::domain::AnswerValue), a conversation as
//! [`Conversation`](crate::dialog::Conversation), statuses as enums, item numbers as `u16`. The
//! JSON and the status words stay what they always were on disk; the conversion is here, once.

mod answering;
mod audit;
mod backup;
mod batching;
mod broadcasts;
mod connections;
mod export;
mod group_commit;
mod inbox;
mod invitations;
mod meta;
mod outbox;
mod proposals;
mod retention;
mod review;
mod units;
mod users;

use std::{path::Path, str::FromStr, sync::Arc, time::Duration};

use chrono::{DateTime, TimeZone, Utc};
use serde::{Serialize, de::DeserializeOwned};
use sqlx::{
    Connection, SqliteConnection, SqlitePool,
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
};

use connections::Connections;
pub(crate) use connections::Held;

pub use answering::{AnswerSaved, Applied, ConversationWrite};
pub use audit::AuditEntry;
pub use backup::{CampaignCounts, EvidenceReference, database_path};
pub use broadcasts::{Broadcast, BroadcastStatus};
pub use export::ExportRequest;
pub use inbox::{ClaimedInbox, MAX_REPLAYS, PendingUpdate, QuarantinedUpdate};
pub use invitations::{Invitation, InvitationRefusal, NewInvitation};
pub use outbox::{
    DeliveryCounts, MessageKind, NewMessage, OutboxButton, OutboxKeyboard, OutboxMessage,
    OutboxSource, OutboxStatus,
};
pub use proposals::{Created, EvidenceFile, Innovation, NewEvidence, StateEvent, StoredAnswer};
pub use retention::{Pruned, RowCounts};
pub use review::{CommentAdded, CommentTarget, GroupShare, ReviewComment, Selection, SendBack};
pub use units::{CampaignDate, Unit};
pub use users::{Pending, Session, User, UserProfile};

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("cannot create the database folder {path}: {source}")]
    CreateDir {
        path: String,
        source: std::io::Error,
    },
    #[error("stored data is not valid: {0}")]
    Corrupt(String),
    /// A value of ours (an answer, a conversation, an audience) did not serialise.
    #[error("cannot encode a value to store: {0}")]
    Encode(#[from] serde_json::Error),
    #[error("{0}")]
    Conflict(String),
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("the database is closed")]
    Closed,
    /// A write committed together with others (see `group_commit.rs`) whose committer was
    /// stopped halfway: whether it was committed is not known. The update's handled mark
    /// decides when it is handled again.
    #[error("a write was interrupted before its outcome was known")]
    Interrupted,
}

pub type Result<T, E = StorageError> = std::result::Result<T, E>;

/// A handle on the database: cheap to clone, shared by the bot, the scheduler and the CLI.
///
/// It holds one writer connection and a few readers for its whole life (see `connections.rs`
/// for why not sqlx's pool).
#[derive(Debug, Clone)]
pub struct Storage {
    connections: Arc<Connections>,
    finished: Arc<inbox::FinishedUpdates>,
    group_commit: Arc<group_commit::GroupCommit>,
    session_reads: Arc<users::SessionReads>,
    /// Only for tests and benchmarks that look at the tables directly; connects on first use.
    pool: SqlitePool,
}

/// Readers: one per core on the development machine is enough; each connection is a thread
/// with its own page cache (up to 2 MB), so more cost memory without adding speed.
const READERS: usize = 2;

impl Storage {
    /// Opens (creating the file and its folder if needed) and migrates the database.
    pub async fn connect(database_url: &str) -> Result<Self> {
        let options = SqliteConnectOptions::from_str(database_url)?
            .create_if_missing(true)
            // WAL lets readers go on while one writer commits; sqlx does not set it by itself.
            .journal_mode(SqliteJournalMode::Wal)
            // In WAL mode, NORMAL still survives a process crash; only an OS crash can lose the
            // last commits.
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(15));
        if let Some(folder) = options.get_filename().parent() {
            create_folder(folder)?;
        }
        let mut writer = SqliteConnection::connect_with(&options).await?;
        sqlx::migrate!("./migrations").run(&mut writer).await?;
        let connections = Connections::with_writer(writer, &options, READERS).await?;
        Ok(Self::holding(connections, &options))
    }

    fn holding(connections: Connections, options: &SqliteConnectOptions) -> Self {
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_lazy_with(options.clone());
        Self {
            connections: Arc::new(connections),
            finished: Arc::default(),
            group_commit: Arc::default(),
            session_reads: Arc::default(),
            pool,
        }
    }

    /// A pool on the same database, for tests and benchmarks that look at the tables directly
    /// (the bot itself never uses it).
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// The writer connection, once the writes before have finished.
    pub(crate) async fn writer(&self) -> Result<Held<'_>> {
        self.connections.writer().await
    }

    /// A reader connection.
    pub(crate) async fn reader(&self) -> Result<Held<'_>> {
        self.connections.reader().await
    }

    pub async fn close(&self) {
        self.connections.close().await;
        self.pool.close().await;
    }
}

/// A transaction that takes SQLite's write lock at once (`BEGIN IMMEDIATE`). A plain `BEGIN`
/// that reads first and writes later fails with "database is locked" when another connection
/// (another process) committed in between; waiting for the lock up front avoids that.
pub(crate) async fn begin_write(
    writer: &mut SqliteConnection,
) -> Result<sqlx::Transaction<'_, sqlx::Sqlite>> {
    Ok(writer.begin_with("BEGIN IMMEDIATE").await?)
}

fn create_folder(folder: &Path) -> Result<()> {
    if folder.as_os_str().is_empty() || folder.exists() {
        return Ok(());
    }
    std::fs::create_dir_all(folder).map_err(|source| StorageError::CreateDir {
        path: folder.display().to_string(),
        source,
    })
}

/// Times are stored as Unix seconds.
pub(crate) fn to_db_time(at: DateTime<Utc>) -> i64 {
    at.timestamp()
}

pub(crate) fn from_db_time(seconds: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(seconds, 0)
        .single()
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// Item numbers are `u16` above the storage; the database keeps INTEGER. Only a hand-edited
/// database holds a number past `u16`: it reads as the last one, which nobody can type or reach.
pub(crate) fn item_from_db(item: i64) -> u16 {
    u16::try_from(item).unwrap_or(u16::MAX)
}

/// The JSON text a value of ours is stored as.
pub(crate) fn to_stored_json(value: &impl Serialize) -> Result<String> {
    Ok(serde_json::to_string(value)?)
}

/// A stored JSON value, or `None` (with a warning naming `what` and `key`) when it no longer
/// reads, e.g. written by an older version: one unreadable row must not lock anyone out.
pub(crate) fn from_stored_json<T: DeserializeOwned>(raw: &str, what: &str, key: &str) -> Option<T> {
    serde_json::from_str(raw)
        .inspect_err(|error| tracing::warn!(%error, key, "unreadable stored {what}"))
        .ok()
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::domain::Audience;

    async fn storage(dir: &tempfile::TempDir) -> Storage {
        let url = format!("sqlite://{}", dir.path().join("kipp.db").display());
        let storage = Storage::connect(&url).await.unwrap();
        sqlx::query(
            "INSERT INTO users (id, telegram_id, role, created_at, updated_at)
             VALUES (1, 100, 'bureau', 0, 0)",
        )
        .execute(&storage.pool)
        .await
        .unwrap();
        storage
    }

    /// Binds `value` and reads back the text SQLite got, then reads the text back as the type.
    async fn stored_word<T>(storage: &Storage, value: T) -> (String, T)
    where
        T: for<'q> sqlx::Encode<'q, sqlx::Sqlite>
            + for<'r> sqlx::Decode<'r, sqlx::Sqlite>
            + sqlx::Type<sqlx::Sqlite>
            + Send
            + Unpin,
    {
        let word: String = sqlx::query_scalar("SELECT ?1")
            .bind(value)
            .fetch_one(&storage.pool)
            .await
            .unwrap();
        let back: T = sqlx::query_scalar("SELECT ?1")
            .bind(&word)
            .fetch_one(&storage.pool)
            .await
            .unwrap();
        (word, back)
    }

    /// Every status keeps the word existing databases hold (and their CHECK constraints allow).
    #[tokio::test]
    async fn statuses_are_stored_as_the_words_they_always_were() {
        let dir = tempfile::tempdir().unwrap();
        let storage = storage(&dir).await;
        let broadcast = [
            (BroadcastStatus::Composing, "composing"),
            (BroadcastStatus::Audience, "audience"),
            (BroadcastStatus::Preview, "preview"),
            (BroadcastStatus::Sending, "sending"),
            (BroadcastStatus::Done, "done"),
            (BroadcastStatus::Cancelled, "cancelled"),
        ];
        for (status, word) in broadcast {
            assert_eq!(
                stored_word(&storage, status).await,
                (word.to_owned(), status)
            );
        }
        let outbox = [
            (OutboxStatus::Pending, "pending"),
            (OutboxStatus::Sending, "sending"),
            (OutboxStatus::Sent, "sent"),
            (OutboxStatus::Failed, "failed"),
            (OutboxStatus::Blocked, "blocked"),
        ];
        for (status, word) in outbox {
            assert_eq!(
                stored_word(&storage, status).await,
                (word.to_owned(), status)
            );
        }
        let sources = [
            (OutboxSource::Reminder, "reminder"),
            (OutboxSource::Digest, "digest"),
            (OutboxSource::Broadcast, "broadcast"),
        ];
        for (source, word) in sources {
            assert_eq!(
                stored_word(&storage, source).await,
                (word.to_owned(), source)
            );
        }
        for (kind, word) in [(MessageKind::Text, "text"), (MessageKind::Photo, "photo")] {
            assert_eq!(stored_word(&storage, kind).await, (word.to_owned(), kind));
        }

        let now = Utc.with_ymd_and_hms(2026, 5, 1, 8, 0, 0).unwrap();
        let reminder = NewMessage {
            chat_id: 100,
            body: "Pengingat".to_owned(),
            photo: None,
            keyboard: None,
            source: OutboxSource::Reminder,
            broadcast_id: None,
        };
        for (offset, message) in [(60, Some(&reminder)), (30, None)] {
            assert!(
                storage
                    .queue_reminder(1, 0, offset, now, message, now)
                    .await
                    .unwrap()
            );
        }
        let outcomes: Vec<String> =
            sqlx::query_scalar("SELECT outcome FROM reminders_sent ORDER BY offset_minutes DESC")
                .fetch_all(&storage.pool)
                .await
                .unwrap();
        assert_eq!(outcomes, ["queued", "superseded"]);
    }

    /// A broadcast's audience and a queued keyboard that no longer read are dropped, not errors:
    /// the draft still shows (the author picks the audience again), the message still goes out.
    #[tokio::test]
    async fn unreadable_audiences_and_keyboards_are_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let storage = storage(&dir).await;
        let now = Utc.with_ymd_and_hms(2026, 5, 1, 8, 0, 0).unwrap();
        let id = storage.start_broadcast(1, now).await.unwrap();
        let audience = Audience::Units { units: vec![4, 2] };
        assert!(
            storage
                .update_broadcast_draft(id, BroadcastStatus::Preview, Some("Halo"), Some(&audience))
                .await
                .unwrap()
        );
        let raw: String = sqlx::query_scalar("SELECT audience FROM broadcasts WHERE id = ?1")
            .bind(id)
            .fetch_one(&storage.pool)
            .await
            .unwrap();
        assert_eq!(raw, r#"{"kind":"units","units":[4,2]}"#);
        let draft = storage.draft_broadcast(1).await.unwrap().unwrap();
        assert_eq!(
            (draft.status, draft.audience),
            (BroadcastStatus::Preview, Some(audience))
        );
        assert!(matches!(
            storage
                .update_broadcast_draft(id, BroadcastStatus::Sending, None, None)
                .await,
            Err(StorageError::Conflict(_))
        ));

        let keyboard = OutboxKeyboard::button("Lanjutkan", "r:1");
        let message = |keyboard| NewMessage {
            chat_id: 100,
            body: "Pengingat".to_owned(),
            photo: None,
            keyboard,
            source: OutboxSource::Reminder,
            broadcast_id: None,
        };
        storage
            .enqueue_messages(&[message(Some(keyboard.clone())), message(None)], now)
            .await
            .unwrap();
        let due = storage.due_messages(now, 10).await.unwrap();
        assert_eq!(due.len(), 2);
        assert_eq!(due[0].keyboard, Some(keyboard));
        assert_eq!(
            (due[0].kind, due[0].source),
            (MessageKind::Text, OutboxSource::Reminder)
        );
        assert_eq!(due[1].keyboard, None);

        sqlx::query(
            "UPDATE broadcasts SET audience = '{\"kind\":\"martians\"}';
             UPDATE outbox SET keyboard = '[[' WHERE id = (SELECT MIN(id) FROM outbox);",
        )
        .execute(&storage.pool)
        .await
        .unwrap();
        let draft = storage.broadcast(id).await.unwrap().unwrap();
        assert_eq!(
            (draft.status, draft.audience),
            (BroadcastStatus::Preview, None)
        );
        let due = storage.due_messages(now, 10).await.unwrap();
        assert_eq!(due.len(), 2);
        assert_eq!(due[0].keyboard, None);
        assert_eq!(due[0].body, "Pengingat");
    }
}
