//! The application below the chat: its state and what every use case needs from it.
//!
//! [`App`] holds the storage, the questionnaire, the clock and the campaign's settings, and knows
//! nothing of Telegram: the chat layer (`src/bot/`) wraps it with the transport, the scheduler and
//! the digests use it directly. [`Snapshot`] is one innovation read for the dialog engine, and
//! [`Conversation`] (from `dialog`, where the storage can use it too) where a person stands in the
//! questionnaire. The use cases return typed outcomes the chat renders: the innovation ones
//! (start, submit, reopen, approve, send back, select, unselect) in `innovations.rs`,
//! invitations in `invitations.rs`, deadlines and what each person sees of them in
//! `deadlines.rs`, composing a broadcast in `broadcasts.rs`, and how full the selection is in
//! `selection.rs`.

mod broadcasts;
mod conversation;
mod deadlines;
mod innovations;
mod invitations;
mod selection;
mod snapshot;

use std::{path::PathBuf, sync::Arc};

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

pub use broadcasts::{BroadcastText, ComposeStep, Composed, MAX_BROADCAST_CHARS};
pub use deadlines::{
    DeadlineChange, DeadlineChanged, DeadlineRefused, DeadlineView, parse_local_deadline,
};
pub use innovations::{
    Approved, Outcome, Refused, Reopened, Selected, SentBack, Started, Submitted, Unselected,
};
pub use invitations::{InvitationRefused, InvitationRequest, RoleChosen, UnitRef};
pub use selection::{GroupSlots, SelectionSlots};
pub use snapshot::{Snapshot, SnapshotCache};

pub use crate::dialog::Conversation;
use crate::{
    clock::Clock,
    dialog::{AnswerKey, Dialog, Progress},
    domain::{AnswerValue, Lang},
    policy::{self, Capability},
    storage::{Storage, StorageError, Unit, User},
};

/// The application's state, built once at start and shared.
pub struct App {
    pub storage: Storage,
    pub clock: Arc<dyn Clock>,
    pub timezone: Tz,
    pub bot_username: String,
    pub dialog: Arc<Dialog>,
    pub evidence_dir: PathBuf,
    /// Wakes the scheduler when something was queued for sending (e.g. a broadcast).
    pub outbox_wake: Arc<tokio::sync::Notify>,
    /// Days after which an untouched draft is named in digests.
    pub stale_days: u32,
    /// Innovations' snapshots kept between messages (see [`App::snapshot`]).
    pub snapshots: SnapshotCache,
}

/// Units, people, invitations, deadlines and broadcasts are the bureau's (see [`policy`]).
fn runs_campaign(user: &User) -> Result<(), policy::Refusal> {
    if policy::allows(user.role, Capability::RunCampaign) {
        Ok(())
    } else {
        Err(policy::Refusal::Role)
    }
}

/// What can go wrong below the chat.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl App {
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Today in the bot's time zone.
    pub fn today(&self) -> NaiveDate {
        self.now().with_timezone(&self.timezone).date_naive()
    }

    /// SINOVIK's national close, which ends the selection: as set in the bot, else the dialog
    /// file's.
    pub async fn national_close(&self) -> Result<Option<DateTime<Utc>>, AppError> {
        Ok(self
            .storage
            .national_close(&self.dialog, self.timezone)
            .await?)
    }

    /// The deadline that applies to a unit (or the units' general one, for `None`): what staff
    /// are reminded of, and after which a submission is late.
    pub async fn deadline_for(
        &self,
        unit: Option<&Unit>,
    ) -> Result<Option<DateTime<Utc>>, AppError> {
        Ok(self
            .storage
            .deadline_for(&self.dialog, self.timezone, unit)
            .await?)
    }

    /// The innovation's title: the answer to the dialog file's first question.
    pub fn title_of(&self, progress: &Progress) -> Option<String> {
        let first = self.dialog.sections().first()?.questions.first()?;
        match progress.answer(&AnswerKey::new(first.id.as_str()))? {
            AnswerValue::Text { text } => Some(text.clone()),
            other => Some(other.display(Lang::Id, first)),
        }
    }
}
