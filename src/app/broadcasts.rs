//! Composing a broadcast below the chat: the bureau writes the announcement, chooses who gets
//! it (everyone, some units, the units still incomplete, the coordinators), sees how many people
//! that is, and confirms; every recipient's message is then queued in the outbox at once.
//!
//! The draft lives in the database (`broadcasts`), so composing survives a restart. Each step
//! returns a typed outcome; the chat shows it with its buttons.

use chrono::{DateTime, Utc};

use super::{App, AppError};
use crate::{
    domain::{Audience, InnovationState, Lang, Role},
    policy::{self, Capability},
    storage::{Broadcast, BroadcastStatus, NewMessage, OutboxSource, Unit, User},
};

/// The longest announcement, in UTF-16 units as Telegram counts them: the most Telegram lets
/// anyone type in one message. With its heading it may need two messages; the client and the
/// outbox send it in parts (see `telegram::split`).
pub const MAX_BROADCAST_CHARS: usize = 4096;

/// What became of a bureau member's message while a broadcast may be waiting for its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BroadcastText {
    /// No broadcast waits for a text: the message is something else.
    NotComposing,
    /// Longer than [`MAX_BROADCAST_CHARS`]; nothing kept.
    TooLong { count: usize },
    /// Kept; the audience is chosen next.
    Taken { id: i64 },
}

/// A step in composing, as the author chose it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ComposeStep {
    Everyone,
    Incomplete,
    Coordinators,
    /// Show the units to choose from.
    PickUnits,
    /// Add or remove one unit.
    ToggleUnit(i64),
    /// The chosen units are the audience.
    UnitsDone,
    Send,
    Cancel,
}

/// What a composing step led to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Composed {
    /// Not the author's draft, or no longer being composed.
    Stale,
    Cancelled,
    /// Choose units: every unit, and those chosen so far.
    ChooseUnits {
        id: i64,
        units: Vec<Unit>,
        chosen: Vec<i64>,
    },
    /// The audience covers nobody: choose again.
    NoRecipients {
        id: i64,
    },
    /// The announcement and how many people it would reach; Send or Cancel next.
    Preview {
        id: i64,
        body: String,
        recipients: usize,
    },
    /// One message per recipient is in the outbox.
    Queued {
        id: i64,
        recipients: usize,
    },
}

impl App {
    /// `/broadcast`: starts composing (any other unfinished draft of the author is dropped);
    /// the author's next message is the announcement.
    pub async fn start_broadcast(
        &self,
        user: &User,
        now: DateTime<Utc>,
    ) -> Result<Result<i64, policy::Refusal>, AppError> {
        if let Err(refusal) = super::runs_campaign(user) {
            return Ok(Err(refusal));
        }
        Ok(Ok(self.storage.start_broadcast(user.id, now).await?))
    }

    /// A bureau member's message: the announcement, if a broadcast waits for one.
    pub async fn take_broadcast_text(
        &self,
        user: &User,
        text: &str,
    ) -> Result<BroadcastText, AppError> {
        if !policy::allows(user.role, Capability::RunCampaign) {
            return Ok(BroadcastText::NotComposing);
        }
        let Some(draft) = self.storage.draft_broadcast(user.id).await? else {
            return Ok(BroadcastText::NotComposing);
        };
        if draft.status != BroadcastStatus::Composing {
            return Ok(BroadcastText::NotComposing);
        }
        // Telegram counts a message's length in UTF-16 units; the headings must fit beside it.
        let count = text.encode_utf16().count();
        if count > MAX_BROADCAST_CHARS {
            return Ok(BroadcastText::TooLong { count });
        }
        self.storage
            .update_broadcast_draft(draft.id, BroadcastStatus::Audience, Some(text), None)
            .await?;
        Ok(BroadcastText::Taken { id: draft.id })
    }

    /// `/cancel`: drops the broadcast being composed; false when there was none.
    pub async fn cancel_broadcast_draft(&self, user: &User) -> Result<bool, AppError> {
        Ok(match self.storage.draft_broadcast(user.id).await? {
            Some(draft) => self.storage.cancel_broadcast(draft.id).await?,
            None => false,
        })
    }

    /// One step of composing broadcast `id`. On Send, `message` words the announcement for
    /// each recipient (in their language).
    pub async fn compose_broadcast(
        &self,
        user: &User,
        id: i64,
        step: ComposeStep,
        message: impl Fn(Lang, &str) -> String,
        now: DateTime<Utc>,
    ) -> Result<Composed, AppError> {
        let draft = self
            .storage
            .broadcast(id)
            .await?
            .filter(|draft| draft.author_user_id == user.id);
        let Some(draft) = draft.filter(|draft| {
            matches!(
                draft.status,
                BroadcastStatus::Audience | BroadcastStatus::Preview
            )
        }) else {
            return Ok(Composed::Stale);
        };
        let audience = match step {
            ComposeStep::Cancel => {
                self.storage.cancel_broadcast(id).await?;
                return Ok(Composed::Cancelled);
            }
            ComposeStep::Send => return self.queue_broadcast(user, &draft, message, now).await,
            ComposeStep::Everyone => Audience::Everyone,
            ComposeStep::Incomplete => Audience::Incomplete,
            ComposeStep::Coordinators => Audience::Coordinators,
            ComposeStep::PickUnits => return self.choose_units(&draft, Vec::new()).await,
            ComposeStep::ToggleUnit(unit) => {
                let mut units = match draft.audience.clone() {
                    Some(Audience::Units { units }) => units,
                    _ => Vec::new(),
                };
                if let Some(at) = units.iter().position(|u| *u == unit) {
                    units.remove(at);
                } else if self.storage.unit_by_id(unit).await?.is_some() {
                    units.push(unit);
                }
                return self.choose_units(&draft, units).await;
            }
            ComposeStep::UnitsDone => match draft.audience.clone() {
                Some(audience @ Audience::Units { .. }) => audience,
                _ => return self.choose_units(&draft, Vec::new()).await,
            },
        };
        self.preview(&draft, audience).await
    }

    async fn choose_units(
        &self,
        draft: &Broadcast,
        chosen: Vec<i64>,
    ) -> Result<Composed, AppError> {
        let audience = Audience::Units {
            units: chosen.clone(),
        };
        self.storage
            .update_broadcast_draft(draft.id, BroadcastStatus::Audience, None, Some(&audience))
            .await?;
        Ok(Composed::ChooseUnits {
            id: draft.id,
            units: self.storage.units().await?,
            chosen,
        })
    }

    async fn preview(&self, draft: &Broadcast, audience: Audience) -> Result<Composed, AppError> {
        let recipients = self.recipients(&audience).await?;
        if recipients.is_empty() {
            self.storage
                .update_broadcast_draft(draft.id, BroadcastStatus::Audience, None, Some(&audience))
                .await?;
            return Ok(Composed::NoRecipients { id: draft.id });
        }
        self.storage
            .update_broadcast_draft(draft.id, BroadcastStatus::Preview, None, Some(&audience))
            .await?;
        Ok(Composed::Preview {
            id: draft.id,
            body: draft.body.clone().unwrap_or_default(),
            recipients: recipients.len(),
        })
    }

    /// Queues one message per recipient, all or none; `Stale` on a second press of Send.
    async fn queue_broadcast(
        &self,
        user: &User,
        draft: &Broadcast,
        message: impl Fn(Lang, &str) -> String,
        now: DateTime<Utc>,
    ) -> Result<Composed, AppError> {
        let Some(audience) = draft.audience.clone() else {
            return Ok(Composed::Stale);
        };
        let body = draft.body.clone().unwrap_or_default();
        let messages: Vec<NewMessage> = self
            .recipients(&audience)
            .await?
            .iter()
            .map(|person| NewMessage {
                chat_id: person.telegram_id,
                body: message(person.lang, &body),
                photo: None,
                keyboard: None,
                source: OutboxSource::Broadcast,
                broadcast_id: Some(draft.id),
            })
            .collect();
        if !self
            .storage
            .queue_broadcast(draft.id, user.id, &messages, now)
            .await?
        {
            return Ok(Composed::Stale);
        }
        Ok(Composed::Queued {
            id: draft.id,
            recipients: messages.len(),
        })
    }

    /// The author's progress message for broadcast `id` is in place (the outbox edits it as
    /// it delivers): delivery starts now.
    pub async fn broadcast_progress_shown(&self, id: i64, message_id: i64) -> Result<(), AppError> {
        self.storage
            .set_broadcast_progress_message(id, message_id)
            .await?;
        self.outbox_wake.notify_one();
        Ok(())
    }

    /// Active people an audience covers (a person appears once).
    pub async fn recipients(&self, audience: &Audience) -> Result<Vec<User>, AppError> {
        let everyone: Vec<User> = self
            .storage
            .users(None)
            .await?
            .into_iter()
            .filter(|user| user.active)
            .collect();
        let unit_of = |user: &User| user.unit.as_ref().map(|unit| unit.id);
        Ok(match audience {
            Audience::Everyone => everyone,
            Audience::Coordinators => everyone
                .into_iter()
                .filter(|user| user.role == Role::Coordinator)
                .collect(),
            Audience::Units { units } => everyone
                .into_iter()
                .filter(|user| unit_of(user).is_some_and(|unit| units.contains(&unit)))
                .collect(),
            Audience::Incomplete => {
                let lagging = self.incomplete_units().await?;
                everyone
                    .into_iter()
                    .filter(|user| {
                        user.role == Role::Staff
                            && unit_of(user).is_some_and(|u| lagging.contains(&u))
                    })
                    .collect()
            }
        })
    }

    /// Units with nothing started, or with a draft still missing something required.
    async fn incomplete_units(&self) -> Result<Vec<i64>, AppError> {
        let mut lagging = Vec::new();
        for unit in self.storage.units().await? {
            let innovations = self.storage.innovations(Some(unit.id)).await?;
            let mut incomplete = innovations.is_empty();
            for innovation in &innovations {
                if !matches!(
                    innovation.state,
                    InnovationState::Draft | InnovationState::Returned
                ) {
                    continue;
                }
                if let Some(snapshot) = self.snapshot(innovation.id).await?
                    && !self.dialog.missing(&snapshot.progress).is_empty()
                {
                    incomplete = true;
                }
            }
            if incomplete {
                lagging.push(unit.id);
            }
        }
        Ok(lagging)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::innovations::tests::{BUREAU, STAFF, app, before_deadline, person};

    fn words(lang: Lang, body: &str) -> String {
        format!("{lang:?}: {body}")
    }

    #[tokio::test]
    async fn a_broadcast_is_written_addressed_previewed_and_queued_once() {
        let dir = tempfile::tempdir().unwrap();
        let app = app(&dir, before_deadline()).await;
        let bureau = person(&app, BUREAU).await;
        let now = app.now();
        // Nothing being composed: a message is something else.
        assert_eq!(
            app.take_broadcast_text(&bureau, "Halo").await.unwrap(),
            BroadcastText::NotComposing
        );
        let id = app.start_broadcast(&bureau, now).await.unwrap().unwrap();
        let too_long = "x".repeat(MAX_BROADCAST_CHARS.saturating_add(1));
        assert_eq!(
            app.take_broadcast_text(&bureau, &too_long).await.unwrap(),
            BroadcastText::TooLong {
                count: MAX_BROADCAST_CHARS.saturating_add(1)
            }
        );
        assert_eq!(
            app.take_broadcast_text(&bureau, "Rapat besok")
                .await
                .unwrap(),
            BroadcastText::Taken { id }
        );
        // Units: choose unit 1, then done; everyone in it is counted.
        let step = |step| app.compose_broadcast(&bureau, id, step, words, now);
        assert!(matches!(
            step(ComposeStep::PickUnits).await.unwrap(),
            Composed::ChooseUnits { ref chosen, .. } if chosen.is_empty()
        ));
        assert!(matches!(
            step(ComposeStep::ToggleUnit(1)).await.unwrap(),
            Composed::ChooseUnits { ref chosen, .. } if chosen == &[1]
        ));
        assert_eq!(
            step(ComposeStep::UnitsDone).await.unwrap(),
            Composed::Preview {
                id,
                body: "Rapat besok".into(),
                recipients: 2
            }
        );
        // The coordinators only, then send.
        assert!(matches!(
            step(ComposeStep::Coordinators).await.unwrap(),
            Composed::Preview { recipients: 1, .. }
        ));
        assert_eq!(
            step(ComposeStep::Send).await.unwrap(),
            Composed::Queued { id, recipients: 1 }
        );
        assert_eq!(step(ComposeStep::Send).await.unwrap(), Composed::Stale);
        // Another author's button is stale too.
        let staff = person(&app, STAFF).await;
        assert_eq!(
            app.compose_broadcast(&staff, id, ComposeStep::Cancel, words, now)
                .await
                .unwrap(),
            Composed::Stale
        );
    }

    #[tokio::test]
    async fn the_incomplete_audience_is_the_staff_of_units_with_an_unfinished_draft() {
        let dir = tempfile::tempdir().unwrap();
        let app = app(&dir, before_deadline()).await;
        // Nothing started: the unit counts as incomplete.
        let staff: Vec<i64> = app
            .recipients(&Audience::Incomplete)
            .await
            .unwrap()
            .iter()
            .map(|person| person.id)
            .collect();
        assert_eq!(staff, vec![STAFF]);
        // Only a submitted innovation: complete.
        crate::app::innovations::tests::innovation(&app, InnovationState::Submitted).await;
        assert!(
            app.recipients(&Audience::Incomplete)
                .await
                .unwrap()
                .is_empty()
        );
        let bureau = person(&app, BUREAU).await;
        assert!(!app.cancel_broadcast_draft(&bureau).await.unwrap());
        app.start_broadcast(&bureau, app.now())
            .await
            .unwrap()
            .unwrap();
        assert!(app.cancel_broadcast_draft(&bureau).await.unwrap());
    }
}
