use std::collections::{HashMap, HashSet, VecDeque};

use chrono::{DateTime, Utc};
use sqlx::{FromRow, SqliteConnection};

use super::{
    Innovation, Result, Storage, StorageError, Unit, audit,
    batching::{self, Queue, Queued, Turn},
    begin_write, from_stored_json,
    proposals::InnovationRow,
    to_db_time,
};
use crate::{
    dialog::Conversation,
    domain::{Lang, Role},
};

/// A registered person, with their unit. Loaded afresh for every update: a role change or a
/// deactivation takes effect on the very next message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub telegram_id: i64,
    pub display_name: String,
    pub username: Option<String>,
    pub lang: Lang,
    pub role: Role,
    pub unit: Option<Unit>,
    pub active: bool,
}

/// A person as an update finds them: who they are and, when a question is pending, their
/// conversation and its innovation's row, read in one query (three before: each query is a trip
/// to SQLite's thread, and this one starts every update).
#[derive(Debug, Clone)]
pub struct Session {
    pub user: User,
    pub pending: Option<Pending>,
}

/// A pending question's conversation, with its innovation's row (`None` when it is gone).
#[derive(Debug, Clone)]
pub struct Pending {
    pub conversation: Conversation,
    pub innovation: Option<Innovation>,
}

#[derive(Debug, FromRow)]
pub(super) struct SessionRow {
    #[sqlx(flatten)]
    user: UserRow,
    conversation: Option<String>,
    i_id: Option<i64>,
    i_unit_id: Option<i64>,
    i_unit_code: Option<String>,
    i_unit_name: Option<String>,
    i_state: Option<String>,
    i_dialog_version: Option<String>,
    i_created_by: Option<i64>,
    i_created_at: Option<i64>,
    i_updated_by: Option<i64>,
    i_updated_by_name: Option<String>,
    i_updated_at: Option<i64>,
    i_late_submitted_at: Option<i64>,
    i_revision: Option<i64>,
}

impl SessionRow {
    fn innovation(&mut self) -> Option<InnovationRow> {
        Some(InnovationRow {
            id: self.i_id?,
            unit_id: self.i_unit_id?,
            unit_code: self.i_unit_code.take()?,
            unit_name: self.i_unit_name.take()?,
            state: self.i_state.take()?,
            dialog_version: self.i_dialog_version.take()?,
            created_by: self.i_created_by?,
            created_at: self.i_created_at?,
            updated_by: self.i_updated_by?,
            updated_by_name: self.i_updated_by_name.take()?,
            updated_at: self.i_updated_at?,
            late_submitted_at: self.i_late_submitted_at,
            revision: self.i_revision?,
        })
    }
}

/// The innovation a stored conversation is on: `json_extract` of its state (a state that is
/// empty or unreadable has none, and is forgotten when read, as in [`Storage::conversation`]).
/// The sessions of a group of people (`?1`: a JSON array of Telegram ids), read at once (see
/// [`Storage::session`]).
const SELECT_SESSIONS: &str = "SELECT u.id, u.telegram_id, u.display_name, u.username,
        u.language, u.role, u.active, u.unit_id, n.code AS unit_code, n.name AS unit_name,
        n.deadline_at AS unit_deadline_at,
        NULLIF(c.state, '') AS conversation,
        i.id AS i_id, i.unit_id AS i_unit_id, iu.code AS i_unit_code, iu.name AS i_unit_name,
        i.state AS i_state, i.dialog_version AS i_dialog_version, i.created_by AS i_created_by,
        i.created_at AS i_created_at, i.updated_by AS i_updated_by,
        COALESCE(ub.display_name, '') AS i_updated_by_name, i.updated_at AS i_updated_at,
        i.late_submitted_at AS i_late_submitted_at, i.revision AS i_revision
    FROM users u
    LEFT JOIN units n ON n.id = u.unit_id
    LEFT JOIN conversations c ON c.user_id = u.id
    LEFT JOIN innovations i ON i.id = CASE WHEN json_valid(c.state)
        THEN json_extract(c.state, '$.innovation_id') END
    LEFT JOIN units iu ON iu.id = i.unit_id
    LEFT JOIN users ub ON ub.id = i.updated_by
    WHERE u.telegram_id IN (SELECT value FROM json_each(?1))";

/// At most this many sessions per read: enough for every update in hand at once (`Turns::LIMIT`).
const MAX_SESSIONS_PER_READ: usize = 128;

/// Session reads waiting for a reader connection.
pub(super) type SessionReads = Queue<i64, Option<SessionRow>>;

/// What Telegram tells us about a person on each message; kept up to date in `users`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserProfile {
    pub telegram_id: i64,
    pub display_name: String,
    pub username: Option<String>,
}

#[derive(Debug, FromRow)]
struct UserRow {
    id: i64,
    telegram_id: i64,
    display_name: String,
    username: Option<String>,
    language: String,
    role: String,
    active: bool,
    unit_id: Option<i64>,
    unit_code: Option<String>,
    unit_name: Option<String>,
    unit_deadline_at: Option<i64>,
}

impl TryFrom<UserRow> for User {
    type Error = StorageError;

    fn try_from(row: UserRow) -> Result<Self> {
        let role = Role::parse(&row.role)
            .ok_or_else(|| StorageError::Corrupt(format!("unknown role {:?}", row.role)))?;
        let unit = match (row.unit_id, row.unit_code, row.unit_name) {
            (Some(id), Some(code), Some(name)) => Some(Unit {
                id,
                code,
                name,
                deadline_at: row.unit_deadline_at,
            }),
            _ => None,
        };
        Ok(User {
            id: row.id,
            telegram_id: row.telegram_id,
            display_name: row.display_name,
            username: row.username,
            lang: Lang::parse(&row.language).unwrap_or_default(),
            role,
            unit,
            active: row.active,
        })
    }
}

const SELECT_USER: &str = "SELECT u.id, u.telegram_id, u.display_name, u.username, u.language,
        u.role, u.active, u.unit_id, n.code AS unit_code, n.name AS unit_name,
        n.deadline_at AS unit_deadline_at
    FROM users u LEFT JOIN units n ON n.id = u.unit_id";

/// The reads queued first, one per person (a second read of the same person waits for the next
/// group).
fn take_sessions(
    waiting: &mut VecDeque<Queued<i64, Option<SessionRow>>>,
) -> Vec<Queued<i64, Option<SessionRow>>> {
    let mut people = HashSet::new();
    batching::take_fitting(waiting, MAX_SESSIONS_PER_READ, |person| {
        people.insert(*person)
    })
}

/// Reads a group's sessions and hands each its own; if the query fails, each is read alone.
async fn read_sessions(reader: &mut SqliteConnection, group: Vec<Queued<i64, Option<SessionRow>>>) {
    batching::finish_group(
        reader,
        group,
        async |reader, people| {
            let people: Vec<i64> = people.iter().map(|person| **person).collect();
            session_rows(reader, &people).await
        },
        |person, rows| Ok(rows.remove(person)),
        Err,
    )
    .await;
}

/// The sessions of these people, by Telegram id.
async fn session_rows(
    reader: &mut SqliteConnection,
    people: &[i64],
) -> Result<HashMap<i64, SessionRow>> {
    let rows: Vec<SessionRow> = sqlx::query_as(SELECT_SESSIONS)
        .bind(serde_json::to_string(people)?)
        .fetch_all(&mut *reader)
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| (row.user.telegram_id, row))
        .collect())
}

impl Storage {
    pub async fn user_by_telegram_id(&self, telegram_id: i64) -> Result<Option<User>> {
        let row: Option<UserRow> =
            sqlx::query_as(&format!("{SELECT_USER} WHERE u.telegram_id = ?1"))
                .bind(telegram_id)
                .fetch_optional(&mut *self.reader().await?)
                .await?;
        row.map(User::try_from).transpose()
    }

    /// The person with this Telegram id, their pending conversation and its innovation.
    ///
    /// Every update starts with this read, so reads that queue for a reader at the same time are
    /// done in one query, one trip to SQLite's thread (see `batching.rs`). Each is as fresh as
    /// a read of its own: a group's query starts after every read in it was asked for.
    pub async fn session(&self, telegram_id: i64) -> Result<Option<Session>> {
        let mut ticket = self.session_reads.submit(telegram_id);
        let row = loop {
            let connection = self.connections.reader();
            match self
                .session_reads
                .next(&mut ticket, connection, take_sessions)
                .await
            {
                Turn::Done(row) => break row?,
                Turn::Run(mut reader, group) => read_sessions(&mut reader, group).await,
            }
        };
        let Some(mut row) = row else {
            return Ok(None);
        };
        let innovation = row.innovation().map(Innovation::try_from).transpose()?;
        let user = User::try_from(row.user)?;
        let conversation: Option<Conversation> = row
            .conversation
            .and_then(|state| from_stored_json(&state, "conversation", &user.id.to_string()));
        let pending = conversation.map(|conversation| Pending {
            innovation: innovation.filter(|innovation| innovation.id == conversation.innovation_id),
            conversation,
        });
        Ok(Some(Session { user, pending }))
    }

    pub async fn user_by_id(&self, id: i64) -> Result<Option<User>> {
        let row: Option<UserRow> = sqlx::query_as(&format!("{SELECT_USER} WHERE u.id = ?1"))
            .bind(id)
            .fetch_optional(&mut *self.reader().await?)
            .await?;
        row.map(User::try_from).transpose()
    }

    /// Finds a person by Telegram id or by @username (without the `@`).
    pub async fn find_user(&self, handle: &str) -> Result<Option<User>> {
        let handle = handle.trim().trim_start_matches('@');
        if let Ok(telegram_id) = handle.parse::<i64>() {
            return self.user_by_telegram_id(telegram_id).await;
        }
        let row: Option<UserRow> = sqlx::query_as(&format!(
            "{SELECT_USER} WHERE lower(u.username) = lower(?1)"
        ))
        .bind(handle)
        .fetch_optional(&mut *self.reader().await?)
        .await?;
        row.map(User::try_from).transpose()
    }

    /// Everyone, or one unit's people, active ones first.
    pub async fn users(&self, unit_id: Option<i64>) -> Result<Vec<User>> {
        let rows: Vec<UserRow> = sqlx::query_as(&format!(
            "{SELECT_USER} WHERE (?1 IS NULL OR u.unit_id = ?1)
             ORDER BY u.active DESC, n.code, u.role, u.display_name"
        ))
        .bind(unit_id)
        .fetch_all(&mut *self.reader().await?)
        .await?;
        rows.into_iter().map(User::try_from).collect()
    }

    /// `BUREAU_ADMINS`: these people are active bureau members from every start on.
    pub async fn ensure_bureau_admin(&self, telegram_id: i64, now: DateTime<Utc>) -> Result<()> {
        let mut writer = self.writer().await?;
        let mut tx = begin_write(&mut writer).await?;
        let changed = sqlx::query(
            "INSERT INTO users (telegram_id, role, unit_id, active, created_at, updated_at)
             VALUES (?1, 'bureau', NULL, 1, ?2, ?2)
             ON CONFLICT (telegram_id) DO UPDATE SET role = 'bureau', unit_id = NULL, active = 1,
                 updated_at = excluded.updated_at
             WHERE users.role <> 'bureau' OR users.active = 0",
        )
        .bind(telegram_id)
        .bind(to_db_time(now))
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed > 0 {
            audit::record(
                &mut *tx,
                now,
                None,
                "user.bureau_admin",
                &telegram_id.to_string(),
                "from BUREAU_ADMINS",
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Keeps the name and @username current; writes only when something changed.
    pub async fn refresh_profile(&self, profile: &UserProfile) -> Result<()> {
        sqlx::query(
            "UPDATE users SET display_name = ?2, username = ?3
             WHERE telegram_id = ?1 AND (display_name <> ?2 OR username IS NOT ?3)",
        )
        .bind(profile.telegram_id)
        .bind(&profile.display_name)
        .bind(&profile.username)
        .execute(&mut *self.writer().await?)
        .await?;
        Ok(())
    }

    pub async fn set_language(&self, user_id: i64, lang: Lang, now: DateTime<Utc>) -> Result<()> {
        sqlx::query("UPDATE users SET language = ?2, updated_at = ?3 WHERE id = ?1")
            .bind(user_id)
            .bind(lang.code())
            .bind(to_db_time(now))
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(())
    }

    /// Changes a person's role and unit (`unit_id` must be set for staff and coordinators).
    pub async fn set_role(
        &self,
        actor_user_id: i64,
        user_id: i64,
        role: Role,
        unit_id: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let unit_id = if role.needs_unit() {
            Some(unit_id.ok_or_else(|| StorageError::Conflict("this role needs a unit".into()))?)
        } else {
            None
        };
        let mut writer = self.writer().await?;
        let mut tx = begin_write(&mut writer).await?;
        let updated =
            sqlx::query("UPDATE users SET role = ?2, unit_id = ?3, updated_at = ?4 WHERE id = ?1")
                .bind(user_id)
                .bind(role.as_str())
                .bind(unit_id)
                .bind(to_db_time(now))
                .execute(&mut *tx)
                .await?
                .rows_affected();
        if updated == 0 {
            return Err(StorageError::NotFound("user"));
        }
        let details = format!("role={role} unit_id={}", unit_id.unwrap_or_default());
        audit::record(
            &mut *tx,
            now,
            Some(actor_user_id),
            "user.set_role",
            &user_id.to_string(),
            &details,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn set_active(
        &self,
        actor_user_id: i64,
        user_id: i64,
        active: bool,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let mut writer = self.writer().await?;
        let mut tx = begin_write(&mut writer).await?;
        let updated = sqlx::query("UPDATE users SET active = ?2, updated_at = ?3 WHERE id = ?1")
            .bind(user_id)
            .bind(active)
            .bind(to_db_time(now))
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if updated == 0 {
            return Err(StorageError::NotFound("user"));
        }
        let action = if active {
            "user.activate"
        } else {
            "user.deactivate"
        };
        audit::record(
            &mut *tx,
            now,
            Some(actor_user_id),
            action,
            &user_id.to_string(),
            "",
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::proposals::tests::storage;

    /// Sessions asked for while a reader is busy are read in one query, and each caller gets
    /// its own person (or nobody, for a stranger), as a read of its own would.
    #[tokio::test]
    async fn sessions_read_together_are_each_their_own() {
        let dir = tempfile::tempdir().unwrap();
        let storage = storage(&dir).await;
        sqlx::query(
            "INSERT INTO users (id, telegram_id, role, display_name, created_at, updated_at)
             SELECT value, value * 100, 'bureau', 'person ' || value, 0, 0
             FROM json_each('[2, 3, 4]')",
        )
        .execute(storage.pool())
        .await
        .unwrap();
        let name = |session: Result<Option<Session>>| {
            session
                .unwrap()
                .map(|session| (session.user.id, session.user.display_name))
        };
        // Reads that queue while the readers are busy go together; which ones do depends on
        // how the runtime interleaves the callers (a fresh clone once saw five groups of one),
        // so only the outcomes are asserted: every read counted once, each its own person.
        let (first, second, third, fourth, stranger) = tokio::join!(
            storage.session(100),
            storage.session(200),
            storage.session(300),
            storage.session(400),
            storage.session(999),
        );
        let groups = std::mem::take(&mut *storage.session_reads.groups.lock().unwrap());
        assert_eq!(groups.iter().sum::<usize>(), 5, "{groups:?}");
        assert_eq!(name(first).map(|(id, _)| id), Some(1));
        assert_eq!(name(second), Some((2, "person 2".to_owned())));
        assert_eq!(name(third), Some((3, "person 3".to_owned())));
        assert_eq!(name(fourth), Some((4, "person 4".to_owned())));
        assert_eq!(name(stranger), None);
    }
}
