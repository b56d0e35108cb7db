//! Backups: a consistent copy of the live database (`VACUUM INTO`), and what a backup or a
//! restore needs to read from such a copy.

use std::{
    path::{Path, PathBuf},
    str::FromStr,
    time::Duration,
};

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode};

use super::{Result, Storage, StorageError, connections::Connections};

/// One evidence file a database refers to (relative to `EVIDENCE_DIR`).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct EvidenceReference {
    pub stored_path: String,
    pub sha256: String,
}

/// What a database holds, for a backup's manifest and a restore's summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct CampaignCounts {
    pub innovations: i64,
    pub answers: i64,
    /// Evidence files still counted (removed ones are not).
    pub evidence_files: i64,
}

/// The file behind a `sqlite://` URL; `None` for an in-memory database.
pub fn database_path(database_url: &str) -> Result<Option<PathBuf>> {
    let options = SqliteConnectOptions::from_str(database_url)?;
    let path = options.get_filename();
    if path.as_os_str().is_empty() || path == Path::new(":memory:") {
        return Ok(None);
    }
    Ok(Some(path.to_path_buf()))
}

impl Storage {
    /// Opens an existing database as it is: nothing is created and no migration runs, so a
    /// backup never changes the schema under a running bot (which may be older or newer).
    pub async fn open_existing(database_url: &str) -> Result<Self> {
        let options = SqliteConnectOptions::from_str(database_url)?
            .create_if_missing(false)
            .busy_timeout(Duration::from_secs(30));
        // One connection reads and writes.
        let connections = Connections::open(&options, 0).await?;
        Ok(Self::holding(connections, &options))
    }

    /// Opens a copy of a database (a snapshot, or a database being restored) on its own, in
    /// rollback-journal mode, so closing it leaves no `-wal` or `-shm` file beside it.
    pub async fn open_copy(path: &Path) -> Result<Self> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(false)
            .journal_mode(SqliteJournalMode::Delete)
            .foreign_keys(true);
        // One connection reads and writes.
        let connections = Connections::open(&options, 0).await?;
        Ok(Self::holding(connections, &options))
    }

    /// Writes a consistent copy of the whole database to `path`, which must not exist yet.
    /// `VACUUM INTO` reads inside one read transaction: the bot's writes go on meanwhile (WAL)
    /// and none of them is half in the copy.
    pub async fn snapshot_into(&self, path: &Path) -> Result<()> {
        let target = path.to_str().ok_or_else(|| {
            StorageError::Conflict(format!(
                "the snapshot path {} is not valid UTF-8",
                path.display()
            ))
        })?;
        sqlx::query("VACUUM INTO ?1")
            .bind(target)
            .execute(&mut *self.reader().await?)
            .await?;
        Ok(())
    }

    /// `PRAGMA integrity_check`: `"ok"`, or the problems found, one a line.
    pub async fn integrity_check(&self) -> Result<String> {
        let lines: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_all(&mut *self.reader().await?)
            .await?;
        Ok(lines.join("\n"))
    }

    /// Every evidence file the database refers to, each path once. Removed files are included:
    /// their rows stay in the history, and their bytes stay on disk.
    pub async fn evidence_references(&self) -> Result<Vec<EvidenceReference>> {
        Ok(sqlx::query_as(
            "SELECT stored_path, MIN(sha256) AS sha256 FROM evidence_files
             GROUP BY stored_path ORDER BY stored_path",
        )
        .fetch_all(&mut *self.reader().await?)
        .await?)
    }

    pub async fn campaign_counts(&self) -> Result<CampaignCounts> {
        Ok(sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM innovations) AS innovations,
                    (SELECT COUNT(*) FROM answers) AS answers,
                    (SELECT COUNT(*) FROM evidence_files WHERE removed_at IS NULL)
                        AS evidence_files",
        )
        .fetch_one(&mut *self.reader().await?)
        .await?)
    }
}
