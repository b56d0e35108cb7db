//! Work that queues for a connection, done in groups: whoever gets the connection takes what
//! is queued by then and does it in one trip to SQLite's thread, and each caller gets its own
//! outcome. Alone, a request is a group of one and waits for nothing. Used for the hot path's
//! writes (`group_commit.rs`) and the session read that starts every update (`users.rs`).
//!
//! Why: each statement sqlx runs is a trip to the connection's thread and back, two thread
//! wake-ups; under load, requests wait for a connection anyway, and a group pays one trip.

use std::{
    collections::VecDeque,
    sync::{Mutex, MutexGuard, PoisonError},
};

use sqlx::SqliteConnection;
use tokio::sync::oneshot;

use super::{Held, Result, StorageError};

/// The requests waiting for a connection.
#[derive(Debug)]
pub(super) struct Queue<T, O> {
    waiting: Mutex<VecDeque<Queued<T, O>>>,
    /// The size of each group taken (for the tests).
    #[cfg(test)]
    pub(super) groups: Mutex<Vec<usize>>,
}

impl<T, O> Default for Queue<T, O> {
    fn default() -> Self {
        Self {
            waiting: Mutex::default(),
            #[cfg(test)]
            groups: Mutex::default(),
        }
    }
}

/// One request and where its outcome goes.
#[derive(Debug)]
pub(super) struct Queued<T, O> {
    pub(super) request: T,
    done: oneshot::Sender<Result<O>>,
}

impl<T, O> Queued<T, O> {
    /// Hands the caller its outcome (a caller that went away is not waiting for it).
    pub(super) fn finish(self, outcome: Result<O>) {
        let _ = self.done.send(outcome);
    }
}

/// A caller's request on its way: waiting for its outcome, or holding the connection.
pub(super) struct Ticket<O>(oneshot::Receiver<Result<O>>);

/// What a caller does next (see [`Queue::next`]).
pub(super) enum Turn<'c, T, O> {
    /// Its outcome.
    Done(Result<O>),
    /// It holds the connection and the group to do: it does it, finishing each request, and
    /// asks again.
    Run(Held<'c>, Vec<Queued<T, O>>),
}

impl<T, O> Queue<T, O> {
    fn waiting(&self) -> MutexGuard<'_, VecDeque<Queued<T, O>>> {
        // A plain queue, whole after every statement: a panic elsewhere does not spoil it.
        self.waiting.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Queues a request.
    pub(super) fn submit(&self, request: T) -> Ticket<O> {
        let (done, outcome) = oneshot::channel();
        self.waiting().push_back(Queued { request, done });
        Ticket(outcome)
    }

    /// The caller's outcome once another holder of the connection has finished its request, or
    /// the connection with the group to do, taken by `take` from the queue (which may leave
    /// some for the next group). A request's holder that is stopped halfway drops it
    /// unanswered: its outcome is not known ([`StorageError::Interrupted`]).
    pub(super) async fn next<'c>(
        &self,
        ticket: &mut Ticket<O>,
        connection: impl Future<Output = Result<Held<'c>>>,
        take: impl FnOnce(&mut VecDeque<Queued<T, O>>) -> Vec<Queued<T, O>>,
    ) -> Turn<'c, T, O> {
        tokio::pin!(connection);
        tokio::select! {
            biased;
            outcome = &mut ticket.0 => Turn::Done(outcome.unwrap_or(Err(StorageError::Interrupted))),
            held = &mut connection => {
                let held = match held {
                    Ok(held) => held,
                    Err(error) => return Turn::Done(Err(error)),
                };
                let group = take(&mut self.waiting());
                if group.is_empty() {
                    // Another holder of a connection took this request, and finishes it before
                    // letting its connection go.
                    drop(held);
                    let outcome = (&mut ticket.0).await;
                    return Turn::Done(outcome.unwrap_or(Err(StorageError::Interrupted)));
                }
                #[cfg(test)]
                self.groups
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(group.len());
                Turn::Run(held, group)
            }
        }
    }
}

/// The requests queued first that `fits` lets into the group (it sees them in order and keeps
/// its own account of what is in), at most `max`; the others stay queued, in order.
pub(super) fn take_fitting<T, O>(
    waiting: &mut VecDeque<Queued<T, O>>,
    max: usize,
    mut fits: impl FnMut(&T) -> bool,
) -> Vec<Queued<T, O>> {
    let mut group = Vec::with_capacity(waiting.len().min(max));
    let mut left = VecDeque::new();
    while let Some(queued) = waiting.pop_front() {
        if group.len() < max && fits(&queued.request) {
            group.push(queued);
        } else {
            left.push_back(queued);
        }
    }
    *waiting = left;
    group
}

/// Does a group in one go with `run` and hands each request its outcome from what `run`
/// returned (`outcome`); if the group fails, each request is done alone, so one bad request
/// does not fail the others. `refused` words a request's own failure.
pub(super) async fn finish_group<T, O, R>(
    connection: &mut SqliteConnection,
    group: Vec<Queued<T, O>>,
    mut run: impl AsyncFnMut(&mut SqliteConnection, &[&T]) -> Result<R>,
    mut outcome: impl FnMut(&T, &mut R) -> Result<O>,
    refused: impl Fn(StorageError) -> Result<O>,
) {
    let requests: Vec<&T> = group.iter().map(|queued| &queued.request).collect();
    let together = run(connection, &requests).await;
    drop(requests);
    match together {
        Ok(mut done) => {
            for queued in group {
                let result = outcome(&queued.request, &mut done);
                queued.finish(result);
            }
        }
        Err(error) if group.len() == 1 => {
            if let Some(queued) = group.into_iter().next() {
                queued.finish(refused(error));
            }
        }
        Err(error) => {
            tracing::debug!(%error, requests = group.len(), "a group failed; doing each alone");
            for queued in group {
                let result = match run(connection, &[&queued.request]).await {
                    Ok(mut done) => outcome(&queued.request, &mut done),
                    Err(error) => refused(error),
                };
                queued.finish(result);
            }
        }
    }
}
