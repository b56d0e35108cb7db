//! One innovation read whole for the dialog engine (its answers, files and open comments), and
//! the snapshots kept in memory between messages.
//!
//! Reading an innovation whole takes four queries and parses every answer from JSON; with a
//! person answering one question per message that was most of the bot's work per message. The
//! innovation's row is still read for every message (its state and unit decide what the person
//! may do), but the rest is reused while the row's `revision` is the one it was read at: the
//! database raises the revision whenever answers, files or comments change, whoever writes
//! them, so a reused snapshot is never older than the database.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex, PoisonError},
};

use super::{App, AppError};
use crate::{
    dialog::{AnswerKey, Missing, Progress},
    domain::AnswerValue,
    storage::{EvidenceFile, Innovation, ReviewComment},
};

/// One innovation with everything the engine needs.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub innovation: Innovation,
    pub progress: Arc<Progress>,
    pub evidence: Arc<Vec<EvidenceFile>>,
    /// Reviewer comments sent to the unit and not yet resolved.
    pub comments: Arc<Vec<ReviewComment>>,
}

/// How many innovations' snapshots are kept. In the load benchmark each holds about 5 KB of
/// answers (heaptrack; its long texts at the questionnaire's minimum length), so the cache stays
/// within a few MB, and longer texts cost their length. When it is full, the snapshots nobody
/// used in the last [`IDLE_USES`] lookups make room; if none did, a new one is
/// simply not kept (read from the database each time, as before the cache) while the ones in
/// use stay: with more people active at once than this, the first ones keep the benefit,
/// instead of everyone evicting everyone (which least-recently-used does to people who take
/// turns).
const KEPT_SNAPSHOTS: usize = 1_024;

/// A kept snapshot not looked up in this many lookups (of any innovation) is idle: minutes at a
/// busy hour, longer when the bot is quiet.
const IDLE_USES: u64 = 8 * KEPT_SNAPSHOTS as u64;

/// Snapshots kept between messages, by innovation id.
#[derive(Debug, Default)]
pub struct SnapshotCache {
    kept: Mutex<Kept>,
}

#[derive(Debug, Default)]
struct Kept {
    by_innovation: HashMap<i64, KeptSnapshot>,
    /// Counts uses, to find the least recently used entries.
    uses: u64,
}

#[derive(Debug)]
struct KeptSnapshot {
    revision: i64,
    progress: Arc<Progress>,
    evidence: Arc<Vec<EvidenceFile>>,
    comments: Arc<Vec<ReviewComment>>,
    last_used: u64,
}

impl SnapshotCache {
    fn lock(&self) -> std::sync::MutexGuard<'_, Kept> {
        // The map is consistent after every statement; a panic elsewhere does not spoil it.
        self.kept.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// `innovation`'s snapshot, if the rest of it was kept at the row's current revision.
    fn get(&self, innovation: &Innovation) -> Option<Snapshot> {
        let mut kept = self.lock();
        kept.uses = kept.uses.wrapping_add(1);
        let uses = kept.uses;
        let entry = kept
            .by_innovation
            .get_mut(&innovation.id)
            .filter(|entry| entry.revision == innovation.revision)?;
        entry.last_used = uses;
        Some(Snapshot {
            innovation: innovation.clone(),
            progress: entry.progress.clone(),
            evidence: entry.evidence.clone(),
            comments: entry.comments.clone(),
        })
    }

    /// Keeps `snapshot` as the innovation's content at `revision` (unless a later one is kept).
    fn keep(&self, snapshot: &Snapshot, revision: i64) {
        let mut kept = self.lock();
        if kept
            .by_innovation
            .get(&snapshot.innovation.id)
            .is_some_and(|entry| entry.revision > revision)
        {
            return;
        }
        let known = kept.by_innovation.contains_key(&snapshot.innovation.id);
        if !known && kept.by_innovation.len() >= KEPT_SNAPSHOTS {
            kept.drop_idle();
            if kept.by_innovation.len() >= KEPT_SNAPSHOTS {
                return;
            }
        }
        kept.uses = kept.uses.wrapping_add(1);
        let last_used = kept.uses;
        kept.by_innovation.insert(
            snapshot.innovation.id,
            KeptSnapshot {
                revision,
                progress: snapshot.progress.clone(),
                evidence: snapshot.evidence.clone(),
                comments: snapshot.comments.clone(),
                last_used,
            },
        );
    }

    fn forget(&self, innovation_id: i64) {
        self.lock().by_innovation.remove(&innovation_id);
    }
}

impl Kept {
    fn drop_idle(&mut self) {
        let uses = self.uses;
        self.by_innovation
            .retain(|_, entry| uses.saturating_sub(entry.last_used) < IDLE_USES);
    }
}

impl App {
    /// The first time an innovation started on another version of the questionnaire file is
    /// shown in the questionnaire: what it lacks now (the questions the new file added among
    /// them). Its answers to questions that still exist are kept as they are; the innovation is
    /// then marked as up to date with this file, so this is said once.
    pub async fn questionnaire_update(
        &self,
        snapshot: &Snapshot,
    ) -> Result<Option<Vec<Missing>>, AppError> {
        if snapshot.innovation.dialog_version == self.dialog.version() {
            return Ok(None);
        }
        let first = self
            .storage
            .set_dialog_version(snapshot.innovation.id, self.dialog.version())
            .await?;
        Ok(first.then(|| self.dialog.missing(&snapshot.progress)))
    }

    /// The innovation as it is now: its row read fresh, the rest reused from memory when the
    /// row's revision says nothing changed since.
    pub async fn snapshot(&self, innovation_id: i64) -> Result<Option<Snapshot>, AppError> {
        let Some(innovation) = self.storage.innovation(innovation_id).await? else {
            self.snapshots.forget(innovation_id);
            return Ok(None);
        };
        Ok(Some(self.snapshot_of(innovation).await?))
    }

    /// The snapshot of an innovation whose row was just read (with the person's session, say).
    pub async fn snapshot_of(&self, innovation: Innovation) -> Result<Snapshot, AppError> {
        if let Some(snapshot) = self.snapshots.get(&innovation) {
            return Ok(snapshot);
        }
        let revision = innovation.revision;
        let snapshot = self.read_snapshot(innovation).await?;
        // Read after the row: at least as new as `revision`, so never kept as newer than it is.
        self.snapshots.keep(&snapshot, revision);
        Ok(snapshot)
    }

    /// After a write that started from `snapshot` at `revision_before` and left the innovation
    /// at `revision_after`: keeps `updated` (the snapshot with that write applied in memory) when
    /// nobody else wrote in between, so the next message need not read it again.
    pub fn snapshot_written(
        &self,
        snapshot: &Snapshot,
        updated: &Snapshot,
        revision_before: i64,
        revision_after: i64,
    ) {
        if revision_before == snapshot.innovation.revision {
            self.snapshots.keep(updated, revision_after);
        }
    }

    async fn read_snapshot(&self, innovation: Innovation) -> Result<Snapshot, AppError> {
        let innovation_id = innovation.id;
        let answers: HashMap<AnswerKey, AnswerValue> = self
            .storage
            .answers(innovation_id)
            .await?
            .into_iter()
            .map(|answer| {
                (
                    AnswerKey::item(answer.question_id, answer.item),
                    answer.value,
                )
            })
            .collect();
        let evidence = self.storage.evidence(innovation_id).await?;
        let mut file_counts: HashMap<AnswerKey, u32> = HashMap::new();
        for file in &evidence {
            let count = file_counts
                .entry(AnswerKey::item(file.question_id.clone(), file.item))
                .or_default();
            *count = count.saturating_add(1);
        }
        let progress = self.dialog.progress_from(answers, file_counts);
        let comments = self.storage.open_review_comments(innovation_id).await?;
        Ok(Snapshot {
            innovation,
            progress: Arc::new(progress),
            evidence: Arc::new(evidence),
            comments: Arc::new(comments),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::InnovationState;

    fn snapshot(id: i64, revision: i64) -> Snapshot {
        Snapshot {
            innovation: Innovation {
                id,
                unit_id: 1,
                unit_code: "U1".into(),
                unit_name: "Unit 1".into(),
                state: InnovationState::Draft,
                dialog_version: "v".into(),
                created_by: 1,
                created_at: chrono::DateTime::UNIX_EPOCH,
                updated_by: 1,
                updated_by_name: String::new(),
                updated_at: chrono::DateTime::UNIX_EPOCH,
                late_submitted_at: None,
                revision,
            },
            progress: Arc::default(),
            evidence: Arc::default(),
            comments: Arc::default(),
        }
    }

    #[test]
    fn a_kept_snapshot_is_used_only_at_its_revision() {
        let cache = SnapshotCache::default();
        cache.keep(&snapshot(1, 5), 5);
        assert!(cache.get(&snapshot(1, 5).innovation).is_some());
        assert!(cache.get(&snapshot(1, 6).innovation).is_none());
        assert!(cache.get(&snapshot(2, 5).innovation).is_none());
    }

    #[test]
    fn an_older_revision_never_replaces_a_newer_one() {
        let cache = SnapshotCache::default();
        cache.keep(&snapshot(1, 7), 7);
        cache.keep(&snapshot(1, 6), 6);
        assert!(cache.get(&snapshot(1, 7).innovation).is_some());
    }

    #[test]
    fn a_full_cache_keeps_what_is_in_use_and_makes_room_from_what_is_idle() {
        let cache = SnapshotCache::default();
        let total = i64::try_from(KEPT_SNAPSHOTS).unwrap();
        for id in 0..total {
            cache.keep(&snapshot(id, 0), 0);
        }
        // Full, everyone recent: a newcomer is not kept, a known one is updated.
        cache.keep(&snapshot(total, 0), 0);
        assert!(cache.get(&snapshot(total, 0).innovation).is_none());
        cache.keep(&snapshot(0, 1), 1);
        assert!(cache.get(&snapshot(0, 1).innovation).is_some());
        // Only the first one is used for a long while: the others become idle and make room.
        for _ in 0..IDLE_USES {
            assert!(cache.get(&snapshot(0, 1).innovation).is_some());
        }
        cache.keep(&snapshot(total, 0), 0);
        assert!(cache.get(&snapshot(total, 0).innovation).is_some());
        assert!(cache.get(&snapshot(0, 1).innovation).is_some());
        assert!(cache.get(&snapshot(1, 0).innovation).is_none());
        assert_eq!(cache.lock().by_innovation.len(), 2);
    }

    /// The bot keeps the snapshot it wrote; every other write, through the storage or straight
    /// into the database, is seen at the next read.
    #[tokio::test]
    async fn a_kept_snapshot_is_what_the_database_holds() {
        use crate::{
            app::innovations::tests::{COORDINATOR, STAFF, app, before_deadline, innovation},
            storage::{AnswerSaved, ConversationWrite},
        };
        let dir = tempfile::tempdir().unwrap();
        let app = app(&dir, before_deadline()).await;
        let id = innovation(&app, InnovationState::Draft).await;
        let title = AnswerKey::new("judul");
        let text = |text: &str| AnswerValue::Text {
            text: text.to_owned(),
        };
        let answer = |user_id, update_id, value: AnswerValue| {
            let app = &app;
            async move {
                let write = ConversationWrite {
                    user_id,
                    state: None,
                    update_id: Some(update_id),
                };
                let saved = app
                    .storage
                    .save_answer(id, "judul", 0, &value, write, app.now())
                    .await
                    .unwrap();
                let AnswerSaved::Yes {
                    revision_before,
                    revision_after,
                } = saved
                else {
                    panic!("stored: {saved:?}");
                };
                (revision_before, revision_after)
            }
        };
        let with_answer = |snapshot: &Snapshot, value: AnswerValue| {
            let mut progress = Progress::clone(&snapshot.progress);
            app.dialog
                .record_answer(&mut progress, title.clone(), value);
            Snapshot {
                progress: Arc::new(progress),
                ..snapshot.clone()
            }
        };

        // The bot answers and keeps the result: the next read reuses it, and it is what a
        // fresh read gives.
        let first = app.snapshot(id).await.unwrap().unwrap();
        let (before, after) = answer(STAFF, 1, text("Pojok Data")).await;
        let updated = with_answer(&first, text("Pojok Data"));
        app.snapshot_written(&first, &updated, before, after);
        let kept = app.snapshot(id).await.unwrap().unwrap();
        assert!(Arc::ptr_eq(&kept.progress, &updated.progress), "reused");
        let fresh = app.read_snapshot(kept.innovation.clone()).await.unwrap();
        assert_eq!(*kept.progress, *fresh.progress);

        // Someone else answers in between: what the bot then writes is not kept, and the next
        // read has both.
        let (_, _) = answer(COORDINATOR, 2, text("Lain")).await;
        let (before, after) = answer(STAFF, 3, text("Ketiga")).await;
        app.snapshot_written(&kept, &with_answer(&kept, text("Ketiga")), before, after);
        let seen = app.snapshot(id).await.unwrap().unwrap();
        assert_eq!(seen.innovation.revision, after);
        assert_eq!(seen.progress.answer(&title), Some(&text("Ketiga")));
        assert_eq!(
            *seen.progress,
            *app.read_snapshot(seen.innovation.clone())
                .await
                .unwrap()
                .progress
        );

        // A write straight into the database (a command, a retention run) is seen too.
        sqlx::query("DELETE FROM answers WHERE innovation_id = ?1")
            .bind(id)
            .execute(app.storage.pool())
            .await
            .unwrap();
        let seen = app.snapshot(id).await.unwrap().unwrap();
        assert!(seen.progress.answers.is_empty());
    }
}
