//! The connections the storage holds for its whole life: one writer and a few readers.
//!
//! Why not sqlx's pool: sqlx runs each SQLite connection on a thread of its own, so every
//! statement is a trip to that thread and back (two thread wake-ups), and its pool adds one more
//! trip (a `ping`) each time a connection is handed back, that is after every query. Profiles of
//! the load benchmark showed those wake-ups as the bot's main cost (BENCHMARKS.md). Connections
//! held here are locked, used and unlocked with no trip of their own.
//!
//! One writer: SQLite lets one writer in at a time anyway; with one connection for all writes,
//! writers queue on its lock (a wake-up) instead of inside SQLite's busy handler (a
//! sleep-and-retry), and readers in WAL mode never wait for them.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use sqlx::{Connection, SqliteConnection, sqlite::SqliteConnectOptions};
use tokio::sync::{MappedMutexGuard, Mutex, MutexGuard};

use super::{Result, StorageError};

/// A held connection, locked for the caller until dropped.
pub(crate) type Held<'a> = MappedMutexGuard<'a, SqliteConnection>;

#[derive(Debug)]
pub(super) struct Connections {
    writer: Mutex<Option<SqliteConnection>>,
    /// Set while a batch that opens its own transaction runs on the writer (see
    /// [`Connections::batch_started`]); still set at the next lock if that batch was cut short.
    batch_open: AtomicBool,
    /// Empty for a database opened on its own (a backup copy): then the writer reads too.
    readers: Box<[Mutex<Option<SqliteConnection>>]>,
    next_reader: AtomicUsize,
}

impl Connections {
    pub(super) async fn open(options: &SqliteConnectOptions, readers: usize) -> Result<Self> {
        let writer = SqliteConnection::connect_with(options).await?;
        Self::with_writer(writer, options, readers).await
    }

    /// `writer` is already open (the migrations ran on it).
    pub(super) async fn with_writer(
        writer: SqliteConnection,
        options: &SqliteConnectOptions,
        readers: usize,
    ) -> Result<Self> {
        let mut opened = Vec::with_capacity(readers);
        for _ in 0..readers {
            opened.push(Mutex::new(Some(
                SqliteConnection::connect_with(options).await?,
            )));
        }
        Ok(Self {
            writer: Mutex::new(Some(writer)),
            batch_open: AtomicBool::new(false),
            readers: opened.into_boxed_slice(),
            next_reader: AtomicUsize::new(0),
        })
    }

    /// The writer, once the writes before have finished.
    pub(super) async fn writer(&self) -> Result<Held<'_>> {
        let mut guard = self.writer.lock().await;
        if self.batch_open.swap(false, Ordering::AcqRel)
            && let Some(connection) = guard.as_mut()
        {
            // A batch was dropped halfway (its caller went away): whatever it left open is
            // undone before anyone else writes.
            tracing::warn!("rolling back a write batch that was cut short");
            if let Err(error) = sqlx::query("ROLLBACK").execute(&mut *connection).await {
                tracing::debug!(%error, "nothing to roll back");
            }
        }
        held(guard)
    }

    /// A free reader if there is one, else the next in turn once it is free.
    pub(super) async fn reader(&self) -> Result<Held<'_>> {
        let count = self.readers.len();
        if count == 0 {
            return self.writer().await;
        }
        let first = self.next_reader.fetch_add(1, Ordering::Relaxed);
        for offset in 0..count {
            let at = first.wrapping_add(offset).checked_rem(count).unwrap_or(0);
            if let Some(Ok(guard)) = self.readers.get(at).map(Mutex::try_lock) {
                return held(guard);
            }
        }
        let at = first.checked_rem(count).unwrap_or(0);
        match self.readers.get(at) {
            Some(reader) => held(reader.lock().await),
            None => self.writer().await,
        }
    }

    /// Marks the writer as running a batch that begins and commits its own transaction;
    /// [`Connections::batch_finished`] clears the mark. A mark found still set means the batch
    /// never finished, and [`Connections::writer`] rolls it back.
    pub(super) fn batch_started(&self) {
        self.batch_open.store(true, Ordering::Release);
    }

    pub(super) fn batch_finished(&self) {
        self.batch_open.store(false, Ordering::Release);
    }

    /// Closes every connection once its current user is done; later calls get
    /// [`StorageError::Closed`].
    pub(super) async fn close(&self) {
        for reader in &self.readers {
            if let Some(connection) = reader.lock().await.take()
                && let Err(error) = connection.close().await
            {
                tracing::warn!(%error, "closing a database reader failed");
            }
        }
        if let Some(connection) = self.writer.lock().await.take()
            && let Err(error) = connection.close().await
        {
            tracing::warn!(%error, "closing the database writer failed");
        }
    }
}

fn held(guard: MutexGuard<'_, Option<SqliteConnection>>) -> Result<Held<'_>> {
    MutexGuard::try_map(guard, Option::as_mut).map_err(|_| StorageError::Closed)
}
