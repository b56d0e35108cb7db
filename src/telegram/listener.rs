//! Long polling that loses nothing and recovers fast.
//!
//! Each batch from `getUpdates` is written to the database (`inbox`) before the next call
//! confirms it to Telegram; an update leaves the inbox once handled. After a crash, the updates
//! that were fetched but not handled are handed to the dispatcher again first. A failed poll
//! (5xx, timeout) is retried within a second or two, not after teloxide's fixed 10 seconds.
//!
//! Fetched updates wait here for their turn ([`Turns`]): one per chat at a time, in order. The
//! next `getUpdates` runs while they wait, and is never dropped halfway because a turn ended:
//! it is kept and awaited again.

use std::{collections::VecDeque, convert::Infallible, sync::Arc, time::Duration};

use futures::{StreamExt, future::BoxFuture, stream::BoxStream};
use serde_json::{Value, value::RawValue};
use teloxide::{
    stop::{StopFlag, StopToken, mk_stop_token},
    types::{AllowedUpdate, Update},
    update_listeners::{AsUpdateStream, UpdateListener},
};

use super::{Backoff, TelegramClient, TelegramError, Turns};
use crate::{
    clock::Clock,
    storage::{PendingUpdate, Storage},
};

/// Fetched updates kept waiting for their turn, at most (then no more are fetched until some
/// are handed out): beyond [`Turns::LIMIT`] in hand, a few batches of `getUpdates`.
const WAITING: usize = 256;

type Poll = BoxFuture<'static, Result<Vec<Box<RawValue>>, TelegramError>>;

pub struct DurablePolling {
    client: TelegramClient,
    storage: Storage,
    clock: Arc<dyn Clock>,
    turns: Arc<Turns>,
    poll_timeout: Duration,
    offset: i64,
    /// Fetched and stored, waiting for their turn.
    waiting: VecDeque<Update>,
    /// The `getUpdates` call under way, kept across turns.
    poll: Option<Poll>,
    replayed: bool,
    failures: u32,
    stop_token: StopToken,
    stop_flag: StopFlag,
}

impl DurablePolling {
    pub fn new(
        client: TelegramClient,
        storage: Storage,
        clock: Arc<dyn Clock>,
        turns: Arc<Turns>,
        poll_timeout: Duration,
    ) -> Self {
        let (stop_token, stop_flag) = mk_stop_token();
        Self {
            client,
            storage,
            clock,
            turns,
            poll_timeout,
            offset: 0,
            waiting: VecDeque::new(),
            poll: None,
            replayed: false,
            failures: 0,
            stop_token,
            stop_flag,
        }
    }

    async fn next_update(&mut self) -> Option<Update> {
        loop {
            if let Some(update) = self.turns.next(&mut self.waiting) {
                return Some(update);
            }
            // Whatever still waits is in the inbox: the next start hands it out.
            if self.stop_flag.is_stopped() {
                return None;
            }
            if !self.replayed {
                self.replay().await;
                continue;
            }
            let fetching = self.waiting.len() < WAITING;
            if fetching && self.poll.is_none() {
                self.poll = Some(self.start_poll());
            }
            let mut stop = self.stop_flag.clone();
            let turns = &self.turns;
            let poll = self.poll.as_mut().filter(|_| fetching);
            let polled = async {
                match poll {
                    Some(poll) => poll.await,
                    None => std::future::pending().await,
                }
            };
            // Dropping the poll at a stop is safe: an unconfirmed batch is simply fetched again.
            let batch = tokio::select! {
                () = &mut stop => return None,
                () = turns.ended() => None,
                batch = polled => Some(batch),
            };
            if let Some(batch) = batch {
                self.poll = None;
                self.take_batch(batch).await;
            }
        }
    }

    /// Hands out what a previous run fetched but did not finish. Each replay counts as an
    /// attempt; an update that was replayed `MAX_REPLAYS` times without being finished (it keeps
    /// taking the process down) is quarantined by the storage instead of handed out again.
    async fn replay(&mut self) {
        match self.storage.claim_pending_inbox(self.clock.now()).await {
            Ok(claimed) => {
                if !claimed.pending.is_empty() {
                    tracing::info!(
                        count = claimed.pending.len(),
                        "handling updates left over from the last run"
                    );
                }
                if let Some(next_offset) = claimed.next_offset {
                    self.offset = self.offset.max(next_offset);
                }
                for PendingUpdate { update_id, payload } in claimed.pending {
                    match read_update(&payload) {
                        Ok(update) => self.waiting.push_back(update),
                        Err(error) => {
                            tracing::warn!(%error, update_id, "dropping an unreadable stored update");
                            let _ = self.storage.finish_update(update_id).await;
                        }
                    }
                }
                self.replayed = true;
            }
            Err(error) => {
                tracing::error!(%error, "cannot read the inbox; retrying");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }

    /// The next `getUpdates`, after a pause if the last ones failed.
    fn start_poll(&self) -> Poll {
        let client = self.client.clone();
        let (offset, timeout) = (self.offset, self.poll_timeout);
        let pause = (self.failures > 0).then(|| Backoff::CALL.delay(self.failures));
        Box::pin(async move {
            if let Some(pause) = pause {
                tokio::time::sleep(pause).await;
            }
            client.get_updates(offset, timeout).await
        })
    }

    async fn take_batch(&mut self, batch: Result<Vec<Box<RawValue>>, TelegramError>) {
        let batch = match batch {
            Ok(batch) => batch,
            Err(error) => {
                self.failures = self.failures.saturating_add(1);
                tracing::warn!(%error, "polling Telegram for updates failed; retrying");
                return;
            }
        };
        self.failures = 0;
        // Each update's text as Telegram sent it: stored, then read once by teloxide, with no
        // JSON tree built and printed again in between.
        let rows: Vec<(i64, String)> = batch
            .into_iter()
            .filter_map(|raw| {
                let id = serde_json::from_str::<UpdateId>(raw.get()).ok()?.update_id;
                Some((id, Box::<str>::from(raw).into_string()))
            })
            .collect();
        // Stored before the next getUpdates confirms the batch to Telegram.
        let fresh = match self.storage.store_inbox(&rows, self.clock.now()).await {
            Ok(fresh) => fresh,
            Err(error) => {
                tracing::error!(%error, "cannot store updates; fetching them again");
                tokio::time::sleep(Duration::from_secs(1)).await;
                return;
            }
        };
        for (update_id, payload) in rows {
            self.offset = self.offset.max(update_id.saturating_add(1));
            // Already in the inbox: being replayed, or quarantined. Not handed out twice.
            if !fresh.contains(&update_id) {
                continue;
            }
            // From the text, not from a `Value`: teloxide's Update only parses reliably that way.
            match read_update(&payload) {
                Ok(update) => self.waiting.push_back(update),
                Err(error) => {
                    tracing::warn!(%error, update_id, "skipping an update teloxide cannot read");
                    let _ = self.storage.finish_update(update_id).await;
                }
            }
        }
    }
}

/// Only the id of an update (the rest of its text is skipped over).
#[derive(serde::Deserialize)]
struct UpdateId {
    update_id: i64,
}

/// Reads an update the way teloxide does. teloxide keeps file sizes in a `u32`, while Telegram
/// sends files over 4 GiB: such a message would read as one of no known kind, and its sender
/// would get no answer at all. Sizes past `u32::MAX` are capped to it before reading, so the
/// file is refused as too large like any other.
fn read_update(payload: &str) -> serde_json::Result<Update> {
    if payload.contains("\"file_size\"") {
        let mut value: Value = serde_json::from_str(payload)?;
        if cap_file_sizes(&mut value) {
            return serde_json::from_str(&value.to_string());
        }
    }
    serde_json::from_str(payload)
}

fn cap_file_sizes(value: &mut Value) -> bool {
    let mut capped = false;
    match value {
        Value::Object(fields) => {
            for (key, field) in fields.iter_mut() {
                let too_large = field
                    .as_u64()
                    .is_some_and(|size| size > u64::from(u32::MAX));
                if key == "file_size" && too_large {
                    *field = Value::from(u32::MAX);
                    capped = true;
                } else {
                    capped |= cap_file_sizes(field);
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                capped |= cap_file_sizes(item);
            }
        }
        _ => {}
    }
    capped
}

impl UpdateListener for DurablePolling {
    type Err = Infallible;

    fn stop_token(&mut self) -> StopToken {
        self.stop_token.clone()
    }

    fn hint_allowed_updates(&mut self, _hint: &mut dyn Iterator<Item = AllowedUpdate>) {}
}

impl<'a> AsUpdateStream<'a> for DurablePolling {
    type StreamErr = Infallible;
    type Stream = BoxStream<'a, Result<Update, Infallible>>;

    fn as_stream(&'a mut self) -> Self::Stream {
        futures::stream::unfold(self, |this| async move {
            let update = this.next_update().await?;
            Some((Ok(update), this))
        })
        .boxed()
    }
}
