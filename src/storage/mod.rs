//! The only place with SQL. Every query is runtime-checked (`sqlx::query*` functions, no
//! compile-time macros), so the build needs no database; the tests cover each query.

mod audit;
mod backup;
mod broadcasts;
mod export;
mod inbox;
mod invitations;
mod meta;
mod outbox;
mod proposals;
mod retention;
mod review;
mod units;
mod users;

use std::{path::Path, str::FromStr, time::Duration};

use chrono::{DateTime, TimeZone, Utc};
use sqlx::{
    SqlitePool,
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
};

pub use audit::AuditEntry;
pub use backup::{CampaignCounts, EvidenceReference, database_path};
pub use broadcasts::Broadcast;
pub use export::ExportRequest;
pub use inbox::{ClaimedInbox, MAX_REPLAYS, PendingUpdate, QuarantinedUpdate};
pub use invitations::{Invitation, InvitationRefusal, NewInvitation};
pub use outbox::{DeliveryCounts, NewMessage, OutboxMessage, OutboxSource};
pub use proposals::{
    Applied, ConversationWrite, Created, EvidenceFile, Innovation, NewEvidence, StateEvent,
    StoredAnswer,
};
pub use retention::{Pruned, RowCounts};
pub use review::{CommentAdded, CommentTarget, ReviewComment, Selection, SendBack};
pub use units::Unit;
pub use users::{User, UserProfile};

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
    #[error("{0}")]
    Conflict(String),
    #[error("{0} not found")]
    NotFound(&'static str),
}

pub type Result<T, E = StorageError> = std::result::Result<T, E>;

/// A handle on the database: cheap to clone, shared by the bot, the scheduler and the CLI.
#[derive(Debug, Clone)]
pub struct Storage {
    pool: SqlitePool,
}

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
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        Ok(Self { pool })
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// A transaction that takes SQLite's write lock at once (`BEGIN IMMEDIATE`). A plain
    /// `BEGIN` that reads first and writes later fails with "database is locked" when another
    /// connection committed in between; waiting for the lock up front avoids that.
    pub(crate) async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
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
