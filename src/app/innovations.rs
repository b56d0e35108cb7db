//! The innovation use cases below the chat: start, submit, reopen, approve, send back, select
//! and unselect.
//!
//! Each one loads the innovation, asks the [policy](crate::policy), moves it through the state
//! machine in the storage (which checks the state again as it writes) and returns a typed
//! outcome: what happened and who must be told, or why nothing happened. No texts and no
//! Telegram: the chat layer turns outcomes into sentences and sends them.

use chrono::{DateTime, Utc};

use super::{App, AppError, Conversation};
use crate::{
    dialog::{GROUP_QUESTION, Missing, Progress},
    domain::{InnovationState, Role, Transition},
    policy::{self, Act, Capability},
    storage::{Created, GroupShare, ReviewComment, Selection, SendBack, User},
};

/// Why a use case changed nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// No such innovation.
    NotFound,
    /// The person belongs to no unit (start).
    NoUnit,
    /// The policy refuses the person this act (for `Hidden`, answered as "not found").
    Policy(policy::Refusal),
    /// Something required is still missing (submit).
    Incomplete(Vec<Missing>),
    /// The innovation is not in a state the review decision starts from.
    NotOpen(InnovationState),
    /// The storage found the innovation in another state as it wrote (changed meanwhile, or
    /// never in a state the transition starts from); `state` is the one read before.
    Moved { state: InnovationState },
    /// A send-back without a single comment written.
    NoComments,
    /// The selection deadline (the national close) has passed.
    SelectionClosed { deadline: DateTime<Utc> },
    /// The agency already has `cap` selected innovations.
    CapReached { cap: u32 },
    /// The innovation's group (an option id of the group question) already has its share.
    GroupFull { group: String, cap: u32 },
}

/// What a use case returns: done (with what happened), or refused.
pub type Outcome<T> = Result<T, Refused>;

/// A new draft, and its creator placed at its first question.
#[derive(Debug)]
pub enum Started {
    New {
        snapshot: Box<super::Snapshot>,
        conversation: Box<super::Conversation>,
    },
    /// The update that asked for it was handled before (a redelivery): nothing was created.
    AlreadyHandled,
}

/// A submitted innovation and who is told.
#[derive(Debug)]
pub struct Submitted {
    pub innovation_id: i64,
    /// The innovation's title, empty when it has none.
    pub title: String,
    /// The unit's active coordinators.
    pub coordinators_to_notify: Vec<User>,
    /// It had been sent back and is now handed in again.
    pub was_resubmission: bool,
    /// On a resubmission: the reviewer who sent it back, when still active.
    pub reviewer_to_notify: Option<User>,
}

#[derive(Debug)]
pub struct Reopened {
    pub innovation_id: i64,
}

/// An approved innovation and the unit's staff to tell.
#[derive(Debug)]
pub struct Approved {
    pub innovation_id: i64,
    pub title: String,
    pub staff_to_notify: Vec<User>,
}

/// An innovation sent back with the reviewer's comments, and the unit's staff to tell.
#[derive(Debug)]
pub struct SentBack {
    pub innovation_id: i64,
    pub title: String,
    pub comments: Vec<ReviewComment>,
    pub staff_to_notify: Vec<User>,
}

#[derive(Debug, PartialEq, Eq)]
pub struct Selected {
    pub innovation_id: i64,
    /// How many innovations are selected now, and the campaign's cap.
    pub count: u32,
    pub cap: u32,
}

#[derive(Debug, PartialEq, Eq)]
pub struct Unselected {
    pub innovation_id: i64,
}

impl App {
    /// `/new`: staff start an innovation for their unit and are placed at its first
    /// question. Units draft as many as they like (the cap is on the bureau's selection).
    /// `update_id` makes a redelivered `/new` create nothing twice.
    pub async fn start_innovation(
        &self,
        user: &User,
        update_id: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<Outcome<Started>, AppError> {
        if !policy::allows(user.role, Capability::Draft) {
            return Ok(Err(Refused::Policy(policy::Refusal::Role)));
        }
        let Some(unit) = &user.unit else {
            return Ok(Err(Refused::NoUnit));
        };
        // The first question of an empty innovation does not depend on its id.
        let first = self.dialog.first_missing(&Progress::default());
        let created = self
            .storage
            .create_innovation(
                unit.id,
                user.id,
                self.dialog.version(),
                update_id,
                |id| Conversation::at(id, first.clone()),
                now,
            )
            .await?;
        let innovation_id = match created {
            Created::Innovation(id) => id,
            Created::AlreadyHandled => return Ok(Ok(Started::AlreadyHandled)),
        };
        let (Some(snapshot), Some(conversation)) = (
            self.snapshot(innovation_id).await?,
            self.load_conversation(user.id).await?,
        ) else {
            // Created a moment ago in the same transaction as the conversation: only a
            // concurrent removal gets here.
            return Ok(Err(Refused::NotFound));
        };
        Ok(Ok(Started::New {
            snapshot: Box::new(snapshot),
            conversation: Box::new(conversation),
        }))
    }

    /// Staff hand in an innovation: only when nothing required is missing. Whoever was
    /// answering it leaves it (nobody stays "inside" a submitted innovation).
    pub async fn submit(
        &self,
        user: &User,
        innovation_id: i64,
        now: DateTime<Utc>,
    ) -> Result<Outcome<Submitted>, AppError> {
        let Some(snapshot) = self.snapshot(innovation_id).await? else {
            return Ok(Err(Refused::NotFound));
        };
        let innovation = &snapshot.innovation;
        if let Err(refusal) = policy::may(user, Act::Submit, innovation) {
            return Ok(Err(Refused::Policy(refusal)));
        }
        let missing = self.dialog.missing(&snapshot.progress);
        if !missing.is_empty() {
            return Ok(Err(Refused::Incomplete(missing)));
        }
        // After the unit's deadline a draft may still be handed in: the bureau sees it flagged
        // late (when it is the first submission).
        let unit = self.storage.unit_by_id(innovation.unit_id).await?;
        let late = self
            .deadline_for(unit.as_ref())
            .await?
            .is_some_and(|deadline| now > deadline);
        let changed = self
            .storage
            .submit_innovation(innovation.id, user.id, late, now)
            .await?;
        if !changed {
            return Ok(Err(Refused::Moved {
                state: innovation.state,
            }));
        }
        if let Some(conversation) = self.load_conversation(user.id).await?
            && conversation.innovation_id == innovation.id
        {
            self.write_conversation(user.id, None, None).await?;
        }
        let title = self.title_of(&snapshot.progress).unwrap_or_default();
        let coordinators_to_notify = self
            .unit_people(innovation.unit_id, Role::Coordinator)
            .await?;
        let was_resubmission = innovation.state == InnovationState::Returned;
        let reviewer_to_notify = if was_resubmission {
            self.returned_by(innovation.id).await?
        } else {
            None
        };
        Ok(Ok(Submitted {
            innovation_id: innovation.id,
            title,
            coordinators_to_notify,
            was_resubmission,
            reviewer_to_notify,
        }))
    }

    /// A coordinator (own unit) or the bureau turns a submitted or approved innovation back
    /// into a draft; a selected one only after the selection is taken back.
    pub async fn reopen(
        &self,
        user: &User,
        innovation_id: i64,
        now: DateTime<Utc>,
    ) -> Result<Outcome<Reopened>, AppError> {
        let Some(innovation) = self.storage.innovation(innovation_id).await? else {
            return Ok(Err(Refused::NotFound));
        };
        if let Err(refusal) = policy::may(user, Act::Reopen, &innovation) {
            return Ok(Err(Refused::Policy(refusal)));
        }
        // The storage checks the state again as it writes, so a selection made meanwhile is
        // not undone.
        let changed = self
            .storage
            .change_innovation_state(innovation.id, Transition::Reopen, user.id, None, now)
            .await?;
        if !changed {
            return Ok(Err(Refused::Moved {
                state: innovation.state,
            }));
        }
        Ok(Ok(Reopened {
            innovation_id: innovation.id,
        }))
    }

    /// A reviewer approves a submitted innovation; their unsent send-back comments go.
    pub async fn approve(
        &self,
        user: &User,
        innovation_id: i64,
        now: DateTime<Utc>,
    ) -> Result<Outcome<Approved>, AppError> {
        let snapshot = match self
            .open_to(user, innovation_id, Transition::Approve)
            .await?
        {
            Ok(snapshot) => snapshot,
            Err(refused) => return Ok(Err(refused)),
        };
        let changed = self
            .storage
            .change_innovation_state(innovation_id, Transition::Approve, user.id, None, now)
            .await?;
        if !changed {
            return Ok(Err(Refused::Moved {
                state: snapshot.innovation.state,
            }));
        }
        self.storage
            .discard_review_draft(innovation_id, user.id)
            .await?;
        Ok(Ok(Approved {
            innovation_id,
            title: self.title_of(&snapshot.progress).unwrap_or_default(),
            staff_to_notify: self
                .unit_people(snapshot.innovation.unit_id, Role::Staff)
                .await?,
        }))
    }

    /// A reviewer returns a submitted innovation to its unit with the comments written.
    pub async fn send_back(
        &self,
        user: &User,
        innovation_id: i64,
        now: DateTime<Utc>,
    ) -> Result<Outcome<SentBack>, AppError> {
        let snapshot = match self
            .open_to(user, innovation_id, Transition::SendBack)
            .await?
        {
            Ok(snapshot) => snapshot,
            Err(refused) => return Ok(Err(refused)),
        };
        let comments = match self.storage.send_back(innovation_id, user.id, now).await? {
            SendBack::Sent(comments) => comments,
            SendBack::NoComments => return Ok(Err(Refused::NoComments)),
            SendBack::NotSubmitted => {
                return Ok(Err(Refused::Moved {
                    state: snapshot.innovation.state,
                }));
            }
        };
        Ok(Ok(SentBack {
            innovation_id,
            title: self.title_of(&snapshot.progress).unwrap_or_default(),
            comments,
            staff_to_notify: self
                .unit_people(snapshot.innovation.unit_id, Role::Staff)
                .await?,
        }))
    }

    /// The innovation, if the person may review it and its state is one `transition` starts
    /// from.
    pub async fn open_to(
        &self,
        user: &User,
        innovation_id: i64,
        transition: Transition,
    ) -> Result<Outcome<super::Snapshot>, AppError> {
        let Some(snapshot) = self.snapshot(innovation_id).await? else {
            return Ok(Err(Refused::NotFound));
        };
        if let Err(refusal) = policy::may(user, Act::Review, &snapshot.innovation) {
            return Ok(Err(Refused::Policy(refusal)));
        }
        if snapshot.innovation.state.after(transition).is_err() {
            return Ok(Err(Refused::NotOpen(snapshot.innovation.state)));
        }
        Ok(Ok(snapshot))
    }

    /// The bureau selects an approved innovation for KIPP: before the national close, at most
    /// the campaign's cap, and when the cap is split by group, at most the group's share.
    pub async fn select(
        &self,
        user: &User,
        innovation_id: i64,
        now: DateTime<Utc>,
    ) -> Result<Outcome<Selected>, AppError> {
        let state = match self.selection_open(user, innovation_id, now).await? {
            Ok(state) => state,
            Err(refused) => return Ok(Err(refused)),
        };
        let campaign = self.dialog.campaign();
        let cap = campaign.max_innovations;
        let group = self.group_of(innovation_id).await?;
        let share = group.as_deref().and_then(|option| {
            Some(GroupShare {
                question_id: GROUP_QUESTION,
                option,
                cap: campaign.group_cap(option)?,
            })
        });
        Ok(
            match self
                .storage
                .select_within(innovation_id, user.id, cap, share, now)
                .await?
            {
                Selection::Selected => Ok(Selected {
                    innovation_id,
                    count: self.storage.selected_count().await?,
                    cap,
                }),
                Selection::CapReached { cap } => Err(Refused::CapReached { cap }),
                Selection::GroupFull { cap } => Err(Refused::GroupFull {
                    group: group.unwrap_or_default(),
                    cap,
                }),
                Selection::NotApproved => Err(Refused::Moved { state }),
            },
        )
    }

    /// The bureau takes a selection back (before the national close): the innovation is approved
    /// again, and may then be reopened.
    pub async fn unselect(
        &self,
        user: &User,
        innovation_id: i64,
        now: DateTime<Utc>,
    ) -> Result<Outcome<Unselected>, AppError> {
        let state = match self.selection_open(user, innovation_id, now).await? {
            Ok(state) => state,
            Err(refused) => return Ok(Err(refused)),
        };
        let changed = self
            .storage
            .change_innovation_state(innovation_id, Transition::Unselect, user.id, None, now)
            .await?;
        Ok(if changed {
            Ok(Unselected { innovation_id })
        } else {
            Err(Refused::Moved { state })
        })
    }

    /// The innovation's state, if the person may change its selection now.
    async fn selection_open(
        &self,
        user: &User,
        innovation_id: i64,
        now: DateTime<Utc>,
    ) -> Result<Outcome<InnovationState>, AppError> {
        let Some(innovation) = self.storage.innovation(innovation_id).await? else {
            return Ok(Err(Refused::NotFound));
        };
        if let Err(refusal) = policy::may(user, Act::Select, &innovation) {
            return Ok(Err(Refused::Policy(refusal)));
        }
        // Units hand in by their deadline; the bureau selects until SINOVIK closes.
        if let Some(deadline) = self.national_close().await?
            && now > deadline
        {
            return Ok(Err(Refused::SelectionClosed { deadline }));
        }
        Ok(Ok(innovation.state))
    }

    /// The unit's active people of one role.
    async fn unit_people(&self, unit_id: i64, role: Role) -> Result<Vec<User>, AppError> {
        Ok(self
            .storage
            .users(Some(unit_id))
            .await?
            .into_iter()
            .filter(|person| person.active && person.role == role)
            .collect())
    }

    /// The reviewer who last sent the innovation back, when still active.
    async fn returned_by(&self, innovation_id: i64) -> Result<Option<User>, AppError> {
        let Some(reviewer_id) = self.storage.returned_by(innovation_id).await? else {
            return Ok(None);
        };
        Ok(self
            .storage
            .user_by_id(reviewer_id)
            .await?
            .filter(|reviewer| reviewer.active))
    }
}

#[cfg(test)]
/// Shared by the other use cases' tests in `app`.
pub(crate) mod tests {
    use std::sync::Arc;

    use chrono::TimeZone;

    use super::*;
    use crate::{
        clock::ManualClock,
        dialog::Dialog,
        storage::{Storage, to_db_time},
    };

    pub(crate) const STAFF: i64 = 1;
    pub(crate) const COORDINATOR: i64 = 2;
    pub(crate) const BUREAU: i64 = 3;

    /// An app on a temp database with one unit, one person of each role, and the KIPP 2025
    /// questionnaire (cap 15, deadline 2025-06-03), on a fixed clock before the deadline.
    pub(crate) async fn app(dir: &tempfile::TempDir, now: DateTime<Utc>) -> App {
        let url = format!("sqlite://{}", dir.path().join("kipp.db").display());
        let storage = Storage::connect(&url).await.unwrap();
        let at = to_db_time(now);
        sqlx::query(&format!(
            "INSERT INTO units (id, code, name, created_at) VALUES (1, 'U1', 'Unit 1', {at});
             INSERT INTO users (id, telegram_id, display_name, role, unit_id, created_at,
                 updated_at)
             VALUES ({STAFF}, 101, 'Staf', 'staff', 1, {at}, {at}),
                    ({COORDINATOR}, 102, 'Koordinator', 'coordinator', 1, {at}, {at}),
                    ({BUREAU}, 103, 'Biro', 'bureau', NULL, {at}, {at});"
        ))
        .execute(storage.pool())
        .await
        .unwrap();
        let dialog = Dialog::from_toml_str(include_str!("../../dialogs/kipp2025.toml")).unwrap();
        App {
            storage,
            clock: Arc::new(ManualClock::new(now)),
            timezone: chrono_tz::Asia::Jakarta,
            bot_username: "kipp_test_bot".into(),
            dialog: Arc::new(dialog),
            evidence_dir: dir.path().join("evidence"),
            outbox_wake: Arc::new(tokio::sync::Notify::new()),
            stale_days: 7,
            snapshots: Default::default(),
        }
    }

    pub(crate) fn before_deadline() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 5, 20, 3, 0, 0).unwrap()
    }

    /// A new innovation of unit 1 in `state`, created by the staff member; its id.
    pub(crate) async fn innovation(app: &App, state: InnovationState) -> i64 {
        let at = to_db_time(app.now());
        sqlx::query_scalar(
            "INSERT INTO innovations (unit_id, state, dialog_version, created_by, created_at,
                 updated_by, updated_at)
             VALUES (1, ?1, ?2, ?3, ?4, ?3, ?4) RETURNING id",
        )
        .bind(state.as_str())
        .bind(app.dialog.version())
        .bind(STAFF)
        .bind(at)
        .fetch_one(app.storage.pool())
        .await
        .unwrap()
    }

    pub(crate) async fn person(app: &App, id: i64) -> User {
        app.storage.user_by_id(id).await.unwrap().unwrap()
    }

    pub(crate) async fn state(app: &App, id: i64) -> InnovationState {
        app.storage.innovation(id).await.unwrap().unwrap().state
    }

    #[tokio::test]
    async fn staff_start_a_draft_at_its_first_question_once_per_update() {
        let dir = tempfile::tempdir().unwrap();
        let app = app(&dir, before_deadline()).await;
        let staff = person(&app, STAFF).await;
        let started = app
            .start_innovation(&staff, Some(7), app.now())
            .await
            .unwrap();
        let Ok(Started::New {
            snapshot,
            conversation,
        }) = started
        else {
            panic!("{started:?}");
        };
        assert_eq!(snapshot.innovation.state, InnovationState::Draft);
        assert_eq!(snapshot.innovation.unit_id, 1);
        assert_eq!(conversation.innovation_id, snapshot.innovation.id);
        assert_eq!(
            conversation.cursor,
            app.dialog.first_missing(&Progress::default())
        );
        // The same update again creates nothing.
        assert!(matches!(
            app.start_innovation(&staff, Some(7), app.now())
                .await
                .unwrap(),
            Ok(Started::AlreadyHandled)
        ));
        assert_eq!(app.storage.innovations(None).await.unwrap().len(), 1);
        // Only staff start innovations.
        let coordinator = person(&app, COORDINATOR).await;
        assert!(matches!(
            app.start_innovation(&coordinator, None, app.now())
                .await
                .unwrap(),
            Err(Refused::Policy(policy::Refusal::Role))
        ));
    }

    #[tokio::test]
    async fn submit_is_refused_while_something_required_is_missing() {
        let dir = tempfile::tempdir().unwrap();
        let app = app(&dir, before_deadline()).await;
        let id = innovation(&app, InnovationState::Draft).await;
        let staff = person(&app, STAFF).await;
        match app.submit(&staff, id, app.now()).await.unwrap() {
            Err(Refused::Incomplete(missing)) => assert!(!missing.is_empty()),
            other => panic!("{other:?}"),
        }
        assert_eq!(state(&app, id).await, InnovationState::Draft);
        // A coordinator may not submit at all; an unknown innovation is not found.
        let coordinator = person(&app, COORDINATOR).await;
        assert!(matches!(
            app.submit(&coordinator, id, app.now()).await.unwrap(),
            Err(Refused::Policy(policy::Refusal::Role))
        ));
        assert!(matches!(
            app.submit(&staff, 999, app.now()).await.unwrap(),
            Err(Refused::NotFound)
        ));
    }

    #[tokio::test]
    async fn a_selected_innovation_is_not_reopened_until_unselected() {
        let dir = tempfile::tempdir().unwrap();
        let app = app(&dir, before_deadline()).await;
        let id = innovation(&app, InnovationState::Selected).await;
        let bureau = person(&app, BUREAU).await;
        assert!(matches!(
            app.reopen(&bureau, id, app.now()).await.unwrap(),
            Err(Refused::Policy(policy::Refusal::Selected))
        ));
        assert_eq!(state(&app, id).await, InnovationState::Selected);
        assert_eq!(
            app.unselect(&bureau, id, app.now()).await.unwrap(),
            Ok(Unselected { innovation_id: id })
        );
        assert!(app.reopen(&bureau, id, app.now()).await.unwrap().is_ok());
        assert_eq!(state(&app, id).await, InnovationState::Draft);
    }

    #[tokio::test]
    async fn selection_stops_at_the_cap_and_at_the_deadline() {
        let dir = tempfile::tempdir().unwrap();
        let app = app(&dir, before_deadline()).await;
        let cap = app.dialog.campaign().max_innovations;
        let bureau = person(&app, BUREAU).await;
        let first = innovation(&app, InnovationState::Approved).await;
        assert_eq!(
            app.select(&bureau, first, app.now()).await.unwrap(),
            Ok(Selected {
                innovation_id: first,
                count: 1,
                cap
            })
        );
        for _ in 1..cap {
            innovation(&app, InnovationState::Selected).await;
        }
        let one_more = innovation(&app, InnovationState::Approved).await;
        assert!(matches!(
            app.select(&bureau, one_more, app.now()).await.unwrap(),
            Err(Refused::CapReached { cap: refused }) if refused == cap
        ));
        assert_eq!(state(&app, one_more).await, InnovationState::Approved);
        // Only the bureau selects; and not after the deadline.
        let coordinator = person(&app, COORDINATOR).await;
        assert!(matches!(
            app.select(&coordinator, one_more, app.now()).await.unwrap(),
            Err(Refused::Policy(policy::Refusal::Role))
        ));
        let late = Utc.with_ymd_and_hms(2025, 7, 1, 0, 0, 0).unwrap();
        assert!(matches!(
            app.unselect(&bureau, first, late).await.unwrap(),
            Err(Refused::SelectionClosed { .. })
        ));
        assert_eq!(state(&app, first).await, InnovationState::Selected);
    }

    #[tokio::test]
    async fn an_approval_names_the_units_staff_and_only_a_submitted_one_is_approved() {
        let dir = tempfile::tempdir().unwrap();
        let app = app(&dir, before_deadline()).await;
        let coordinator = person(&app, COORDINATOR).await;
        let draft = innovation(&app, InnovationState::Draft).await;
        assert!(matches!(
            app.approve(&coordinator, draft, app.now()).await.unwrap(),
            Err(Refused::NotOpen(InnovationState::Draft))
        ));
        let submitted = innovation(&app, InnovationState::Submitted).await;
        let approved = app
            .approve(&coordinator, submitted, app.now())
            .await
            .unwrap()
            .unwrap();
        let told: Vec<i64> = approved.staff_to_notify.iter().map(|p| p.id).collect();
        assert_eq!(told, vec![STAFF]);
        assert_eq!(state(&app, submitted).await, InnovationState::Approved);
        // Sending back needs a comment first.
        let another = innovation(&app, InnovationState::Submitted).await;
        assert!(matches!(
            app.send_back(&coordinator, another, app.now())
                .await
                .unwrap(),
            Err(Refused::NoComments)
        ));
    }
}
