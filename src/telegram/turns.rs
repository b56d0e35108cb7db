//! Which fetched updates are handled now: one at a time per chat, in the order Telegram sent
//! them, and at most [`Turns::LIMIT`] at once.
//!
//! teloxide can keep a chat's updates in order by itself: one worker per chat, or one per
//! "lane" of chats. Each worker has its own queue, and a tokio queue holds a block of 32 updates
//! (about 2 KB each) from its first use: 128 lanes held 8 MB at 1,000 staff, and fewer lanes
//! made people wait behind each other's slow Telegram calls (BENCHMARKS.md). Here the listener
//! hands the dispatcher only updates whose chat has nothing in hand, and the dispatcher handles
//! them side by side in its one worker: the order per chat is kept, nobody waits behind another
//! chat, and the only queue is the listener's list of fetched updates waiting for their turn.
//!
//! Every update handed out is held until its [`Turn`] is dropped: every handler takes one first
//! thing (`Turns::take`), so a handler that returns, fails or panics ends its turn.

use std::{
    collections::{HashMap, HashSet, VecDeque},
    sync::{Arc, Mutex, MutexGuard, PoisonError},
};

use teloxide::types::{Update, UpdateKind};
use tokio::sync::Notify;

#[derive(Debug, Default)]
pub struct Turns {
    held: Mutex<Held>,
    /// Woken when a turn ends: the listener may hand out an update it held back.
    ended: Notify,
}

#[derive(Debug, Default)]
struct Held {
    /// Updates handed out and not finished, with their chat.
    updates: HashMap<u32, Option<i64>>,
    chats: HashSet<i64>,
}

impl Turns {
    /// How many updates are handled at once, at most. Each waits for SQLite and for its calls to
    /// Telegram, so this is also how many calls are in flight at once: real Telegram takes tens
    /// to hundreds of milliseconds per call, and one that stalls holds only its own chat.
    pub const LIMIT: usize = 128;

    fn held(&self) -> MutexGuard<'_, Held> {
        // Every statement leaves the sets consistent; a panic elsewhere does not spoil them.
        self.held.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Takes out of `waiting` the first update that may be handled now (its chat has nothing in
    /// hand, and fewer than [`Self::LIMIT`] are), and holds it until its turn ends.
    pub fn next(&self, waiting: &mut VecDeque<Update>) -> Option<Update> {
        let mut held = self.held();
        if held.updates.len() >= Self::LIMIT {
            return None;
        }
        let position = waiting
            .iter()
            .position(|update| chat_of(update).is_none_or(|chat| !held.chats.contains(&chat)))?;
        let update = waiting.remove(position)?;
        // teloxide drops an update it could not read before any handler sees it: no turn would
        // end, so it is not held.
        if !matches!(update.kind, UpdateKind::Error(_)) {
            let chat = chat_of(&update);
            held.updates.insert(update.id.0, chat);
            if let Some(chat) = chat {
                held.chats.insert(chat);
            }
        }
        Some(update)
    }

    /// Waits until a turn has ended since the last wait (at once if one has).
    pub async fn ended(&self) {
        self.ended.notified().await;
    }

    /// The handling of `update` has begun; its turn ends when the returned value is dropped.
    pub fn take(self: &Arc<Self>, update: &Update) -> Turn {
        Turn {
            turns: Arc::clone(self),
            update_id: update.id.0,
        }
    }

    fn end(&self, update_id: u32) {
        {
            let mut held = self.held();
            if let Some(Some(chat)) = held.updates.remove(&update_id) {
                held.chats.remove(&chat);
            }
        }
        // One waiter (the listener); a wake with nobody waiting is kept for its next wait.
        self.ended.notify_one();
    }

    /// How many updates are in hand (for tests).
    #[cfg(test)]
    fn in_hand(&self) -> usize {
        self.held().updates.len()
    }
}

/// While it lives, its update's chat gets no other update.
#[derive(Debug)]
#[must_use = "the turn ends when this is dropped"]
pub struct Turn {
    turns: Arc<Turns>,
    update_id: u32,
}

impl Drop for Turn {
    fn drop(&mut self) {
        self.turns.end(self.update_id);
    }
}

fn chat_of(update: &Update) -> Option<i64> {
    update.chat().map(|chat| chat.id.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(update_id: u32, chat: i64) -> Update {
        // From the text: teloxide's Update does not read from a `Value` tree.
        let text = serde_json::json!({
            "update_id": update_id,
            "message": {
                "message_id": update_id,
                "date": 0,
                "chat": { "id": chat, "type": "private", "first_name": "A" },
                "from": { "id": chat, "is_bot": false, "first_name": "A" },
                "text": "x"
            }
        })
        .to_string();
        let update: Update =
            serde_json::from_str(&text).unwrap_or_else(|error| panic!("a test update: {error}"));
        assert!(
            matches!(update.kind, UpdateKind::Message(_)),
            "not read as a message: {update:?}"
        );
        update
    }

    fn ids(updates: &VecDeque<Update>) -> Vec<u32> {
        updates.iter().map(|update| update.id.0).collect()
    }

    #[test]
    fn a_chat_gets_its_next_update_only_when_the_one_in_hand_is_finished() {
        let turns = Arc::new(Turns::default());
        let mut waiting: VecDeque<Update> = [
            message(1, 10),
            message(2, 10),
            message(3, 20),
            message(4, 10),
        ]
        .into();

        let first = turns.next(&mut waiting).map(|u| u.id.0);
        assert_eq!(first, Some(1));
        // Chat 10 is busy: chat 20's update goes ahead, chat 10's wait in their order.
        assert_eq!(turns.next(&mut waiting).map(|u| u.id.0), Some(3));
        assert!(turns.next(&mut waiting).is_none());
        assert_eq!(ids(&waiting), [2, 4]);

        let turn = turns.take(&message(1, 10));
        drop(turn);
        assert_eq!(turns.next(&mut waiting).map(|u| u.id.0), Some(2));
        assert!(turns.next(&mut waiting).is_none());
        drop(turns.take(&message(2, 10)));
        assert_eq!(turns.next(&mut waiting).map(|u| u.id.0), Some(4));
        assert_eq!(turns.in_hand(), 2);
    }

    #[test]
    fn no_more_than_the_limit_are_in_hand() {
        let turns = Arc::new(Turns::default());
        let count = u32::try_from(Turns::LIMIT).unwrap_or(u32::MAX);
        let mut waiting: VecDeque<Update> = (1..=count + 1)
            .map(|id| message(id, i64::from(id)))
            .collect();
        let handed: Vec<Update> = std::iter::from_fn(|| turns.next(&mut waiting)).collect();
        assert_eq!(handed.len(), Turns::LIMIT);
        assert_eq!(ids(&waiting), [count + 1]);

        drop(turns.take(&handed[5]));
        assert_eq!(turns.next(&mut waiting).map(|u| u.id.0), Some(count + 1));
    }

    #[tokio::test]
    async fn an_ended_turn_wakes_the_next_wait_even_if_it_ended_first() {
        let turns = Arc::new(Turns::default());
        drop(turns.take(&message(1, 10)));
        // Ended before anyone waited: the wait returns at once.
        tokio::time::timeout(std::time::Duration::from_secs(5), turns.ended())
            .await
            .unwrap_or_else(|_| panic!("the ended turn was not noticed"));
    }
}
