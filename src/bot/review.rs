//! Review and selection: a unit's coordinator or the bureau approves a submitted innovation or
//! sends it back with a comment per question; the bureau selects approved innovations for KIPP,
//! at most the campaign's cap (and a group's share, when split), until the national close.
//!
//! Every button and command checks the person's role and unit again. The question a reviewer is
//! commenting on and the comments not sent yet live in the database, not in memory.

use super::{
    BotContext, BotError,
    callbacks::Action,
    questionnaire::{permitted, refused_text},
    texts::{self, Html},
};
use crate::{
    app::Snapshot,
    dialog::QuestionKind,
    domain::{Lang, Transition},
    policy::{self, Act, Capability},
    storage::{CommentAdded, CommentTarget, Innovation, ReviewComment, User},
    telegram::{Button, Keyboard, SendOptions},
};

type HandlerResult = Result<(), BotError>;

/// The unit's coordinator, or the bureau (see [`crate::policy`]).
pub(super) fn can_review(user: &User, innovation: &Innovation) -> bool {
    policy::may(user, Act::Review, innovation).is_ok()
}

fn keyboard(rows: Vec<Vec<Button>>) -> SendOptions {
    SendOptions {
        keyboard: (!rows.is_empty()).then(|| Keyboard::new(rows)),
        ..SendOptions::default()
    }
}

/// "Signifikansi", or "Nilai sebelum (metrik dampak 2)" for a group member.
fn question_label(ctx: &BotContext, question_id: &str, item: u16, lang: Lang) -> String {
    let Some(question) = ctx.dialog.question(question_id) else {
        return question_id.to_owned();
    };
    let label = question.label.get(lang);
    match ctx.dialog.group_of(question_id).map(|group| &group.kind) {
        Some(QuestionKind::Group(rules)) => format!(
            "{label} ({})",
            texts::item_heading(rules.item_label.get(lang), item.saturating_add(1))
        ),
        _ => label.to_owned(),
    }
}

fn labelled(ctx: &BotContext, comments: &[ReviewComment], lang: Lang) -> Vec<(String, String)> {
    comments
        .iter()
        .map(|c| {
            (
                question_label(ctx, &c.question_id, c.item, lang),
                c.comment.clone(),
            )
        })
        .collect()
}

/// The innovation, if the person may review it; otherwise they are told why not.
async fn reviewable(
    ctx: &BotContext,
    user: &User,
    innovation_id: i64,
) -> Result<Option<Snapshot>, BotError> {
    let Some(snapshot) = ctx.snapshot(innovation_id).await? else {
        ctx.reply(user.telegram_id, texts::innovation_not_found(user.lang))
            .await?;
        return Ok(None);
    };
    if !permitted(ctx, user, Act::Review, &snapshot.innovation).await? {
        return Ok(None);
    }
    Ok(Some(snapshot))
}

/// After a reviewer's `/review`: the state history and the decisions open to them.
pub(super) async fn send_panel(
    ctx: &BotContext,
    user: &User,
    snapshot: &Snapshot,
) -> HandlerResult {
    let innovation = &snapshot.innovation;
    if !can_review(user, innovation) {
        return Ok(());
    }
    let lang = user.lang;
    let id = innovation.id;
    let mut lines = vec![texts::review_panel(lang, id, innovation.state)];
    if let Some(at) = innovation.late_submitted_at {
        lines.push(texts::late_note(lang, &texts::local_time(at, ctx.timezone)));
    }
    let events = ctx.storage.innovation_events(id).await?;
    if !events.is_empty() {
        lines.push(texts::history_header(lang));
        for event in &events {
            let at = texts::local_time(event.at, ctx.timezone);
            lines.push(texts::history_line(
                lang,
                &at,
                &event.actor_name,
                event.to,
                event.comment.as_deref(),
            ));
        }
    }
    // A button for each transition open from this state to this person.
    let open = |transition| innovation.state.after(transition).is_ok();
    let may_select = policy::may(user, Act::Select, innovation).is_ok();
    let mut rows = Vec::new();
    let mut review_row = Vec::new();
    if open(Transition::Approve) {
        review_row.push(Button::callback(
            texts::button_approve(lang),
            Action::Approve(id).encode(),
        ));
    }
    if open(Transition::SendBack) {
        review_row.push(Button::callback(
            texts::button_send_back(lang),
            Action::SendBack(id).encode(),
        ));
    }
    if !review_row.is_empty() {
        rows.push(review_row);
    }
    if may_select && open(Transition::Select) {
        rows.push(vec![Button::callback(
            texts::button_select(lang),
            Action::Select(id).encode(),
        )]);
    }
    if may_select && open(Transition::Unselect) {
        rows.push(vec![Button::callback(
            texts::button_unselect(lang),
            Action::Unselect(id).encode(),
        )]);
    }
    if policy::allows(user.role, Capability::RunCampaign) {
        let slots = ctx.selection_slots().await?;
        lines.push(texts::selection_count(lang, slots.selected, slots.cap));
        // With the cap split by group: this innovation's group and how full it is.
        let group = ctx.group_of(id).await?;
        if let Some(share) = slots
            .groups
            .iter()
            .find(|share| Some(&share.group) == group.as_ref())
        {
            lines.push(texts::group_selection_count(
                lang,
                &ctx.group_label(&share.group, lang),
                share.selected,
                share.cap,
            ));
        }
    }
    rows.push(vec![Button::callback(
        texts::button_proposal(lang),
        Action::Proposal(id).encode(),
    )]);
    ctx.reply_with(user.telegram_id, Html::join(&lines, "\n"), keyboard(rows))
        .await
}

/// The send-back being written: the comments so far and a button per question.
async fn send_compose(ctx: &BotContext, user: &User, snapshot: &Snapshot) -> HandlerResult {
    let lang = user.lang;
    let id = snapshot.innovation.id;
    let drafted = ctx.storage.draft_review_comments(id, user.id).await?;
    let mut rows: Vec<Vec<Button>> = Vec::new();
    for section in ctx.dialog.review(&snapshot.progress) {
        for entry in &section.entries {
            let Some(question) = ctx.question_index(&entry.question.id) else {
                continue;
            };
            let label = question_label(ctx, &entry.question.id, entry.key.item, lang);
            rows.push(vec![Button::callback(
                texts::button_comment(&label),
                Action::CommentOn {
                    innovation: id,
                    question,
                    item: entry.key.item,
                }
                .encode(),
            )]);
        }
    }
    rows.truncate(90);
    let mut last_row = Vec::new();
    if !drafted.is_empty() {
        last_row.push(Button::callback(
            texts::button_send_comments(lang, drafted.len()),
            Action::SendComments(id).encode(),
        ));
    }
    last_row.push(Button::callback(
        texts::button_cancel_send_back(lang),
        Action::CancelSendBack(id).encode(),
    ));
    rows.push(last_row);
    let text = texts::send_back_compose(lang, id, &labelled(ctx, &drafted, lang));
    reply_in_parts(ctx, user.telegram_id, &text, rows).await
}

/// The client sends a text too long for one message in parts, the buttons under the last one.
async fn reply_in_parts(
    ctx: &BotContext,
    chat_id: i64,
    text: &Html,
    rows: Vec<Vec<Button>>,
) -> HandlerResult {
    ctx.reply_with(chat_id, text, keyboard(rows)).await
}

/// A reviewer's message while a question is picked: the comment on it.
/// Returns false when the person is not writing a comment.
pub async fn on_text(
    ctx: &BotContext,
    user: &User,
    update_id: i64,
    text: &str,
) -> Result<bool, BotError> {
    let Some(target) = ctx.storage.comment_target(user.id).await? else {
        return Ok(false);
    };
    let Some(snapshot) = reviewable(ctx, user, target.innovation_id).await? else {
        ctx.storage
            .discard_review_draft(target.innovation_id, user.id)
            .await?;
        return Ok(true);
    };
    if snapshot
        .innovation
        .state
        .after(Transition::SendBack)
        .is_err()
    {
        ctx.storage
            .discard_review_draft(target.innovation_id, user.id)
            .await?;
        ctx.reply(
            user.telegram_id,
            &texts::not_reviewable(user.lang, snapshot.innovation.state),
        )
        .await?;
        return Ok(true);
    }
    let comment = text.trim();
    if comment.is_empty() {
        // Nothing to keep; the reviewer is asked again rather than left without an answer.
        let label = question_label(ctx, &target.question_id, target.item, user.lang);
        ctx.reply(
            user.telegram_id,
            &texts::write_comment_for(user.lang, &label),
        )
        .await?;
        return Ok(true);
    }
    let count = comment.chars().count();
    if count > texts::MAX_COMMENT_CHARS {
        ctx.reply(user.telegram_id, &texts::comment_too_long(user.lang, count))
            .await?;
        return Ok(true);
    }
    match ctx
        .storage
        .add_review_comment(user.id, comment, Some(update_id), ctx.now())
        .await?
    {
        CommentAdded::Added(target) => {
            let label = question_label(ctx, &target.question_id, target.item, user.lang);
            ctx.reply(user.telegram_id, &texts::comment_saved(user.lang, &label))
                .await?;
            send_compose(ctx, user, &snapshot).await?;
        }
        CommentAdded::NoTarget | CommentAdded::AlreadyHandled => {}
    }
    Ok(true)
}

/// Review and selection buttons.
pub async fn on_action(ctx: &BotContext, user: &User, action: Action) -> HandlerResult {
    let lang = user.lang;
    match action {
        Action::Approve(id) => approve(ctx, user, id).await,
        Action::SendBack(id) => {
            let Some(snapshot) = open_to(ctx, user, id, Transition::SendBack).await? else {
                return Ok(());
            };
            send_compose(ctx, user, &snapshot).await
        }
        Action::CommentOn {
            innovation,
            question,
            item,
        } => {
            let Some(_) = open_to(ctx, user, innovation, Transition::SendBack).await? else {
                return Ok(());
            };
            let Some(question) = ctx.question_at(question).filter(|q| !q.is_group()) else {
                return ctx.reply(user.telegram_id, texts::stale_button(lang)).await;
            };
            let target = CommentTarget {
                innovation_id: innovation,
                question_id: question.id.clone(),
                item,
            };
            ctx.storage
                .pick_comment_target(user.id, &target, ctx.now())
                .await?;
            let label = question_label(ctx, &question.id, item, lang);
            ctx.reply(user.telegram_id, &texts::write_comment_for(lang, &label))
                .await
        }
        Action::SendComments(id) => send_back(ctx, user, id).await,
        Action::CancelSendBack(id) => {
            let Some(_) = reviewable(ctx, user, id).await? else {
                return Ok(());
            };
            ctx.storage.discard_review_draft(id, user.id).await?;
            ctx.reply(user.telegram_id, texts::send_back_cancelled(lang))
                .await
        }
        Action::Select(id) => change_selection(ctx, user, id, true).await,
        Action::Unselect(id) => change_selection(ctx, user, id, false).await,
        _ => Ok(()),
    }
}

/// The innovation, if the person may review it and its state is one `transition` starts from;
/// otherwise they are told why not.
async fn open_to(
    ctx: &BotContext,
    user: &User,
    id: i64,
    transition: Transition,
) -> Result<Option<Snapshot>, BotError> {
    match ctx.open_to(user, id, transition).await? {
        Ok(snapshot) => Ok(Some(snapshot)),
        Err(refused) => {
            let text = refused_text(ctx, user, Act::Review, id, &refused, |_| {
                texts::stale_button(user.lang)
            });
            ctx.reply(user.telegram_id, &text).await?;
            Ok(None)
        }
    }
}

async fn approve(ctx: &BotContext, user: &User, id: i64) -> HandlerResult {
    let approved = match ctx.approve(user, id, ctx.now()).await? {
        Ok(approved) => approved,
        Err(refused) => {
            let text = refused_text(ctx, user, Act::Review, id, &refused, |_| {
                texts::stale_button(user.lang)
            });
            return ctx.reply(user.telegram_id, &text).await;
        }
    };
    ctx.reply(user.telegram_id, &texts::approved_ok(user.lang, id))
        .await?;
    for person in &approved.staff_to_notify {
        let text = texts::approved_notice(person.lang, id, &approved.title, &user.display_name);
        if let Err(error) = ctx.reply(person.telegram_id, &text).await {
            tracing::info!(%error, "could not tell a staff member about an approval");
        }
    }
    Ok(())
}

async fn send_back(ctx: &BotContext, user: &User, id: i64) -> HandlerResult {
    let lang = user.lang;
    let sent = match ctx.send_back(user, id, ctx.now()).await? {
        Ok(sent) => sent,
        Err(refused) => {
            let text = refused_text(ctx, user, Act::Review, id, &refused, |_| {
                texts::stale_button(lang)
            });
            return ctx.reply(user.telegram_id, &text).await;
        }
    };
    let (title, comments) = (&sent.title, &sent.comments);
    ctx.reply(
        user.telegram_id,
        &texts::sent_back_ok(lang, id, comments.len()),
    )
    .await?;
    for person in &sent.staff_to_notify {
        let text = texts::sent_back_notice(
            person.lang,
            id,
            title,
            &user.display_name,
            &labelled(ctx, comments, person.lang),
        );
        // One button per commented question: it opens that question for editing.
        let mut seen = Vec::new();
        let mut rows = Vec::new();
        for comment in comments {
            let key = (comment.question_id.as_str(), comment.item);
            if seen.contains(&key) {
                continue;
            }
            seen.push(key);
            let Some(question) = ctx.question_index(&comment.question_id) else {
                continue;
            };
            let label = question_label(ctx, &comment.question_id, comment.item, person.lang);
            rows.push(vec![Button::callback(
                texts::button_fix(&label),
                Action::Edit {
                    innovation: id,
                    question,
                    item: comment.item,
                }
                .encode(),
            )]);
        }
        rows.truncate(90);
        if let Err(error) = reply_in_parts(ctx, person.telegram_id, &text, rows).await {
            tracing::info!(%error, "could not tell a staff member about a send-back");
        }
    }
    Ok(())
}

/// After a resubmission: the reviewer who sent it back is told at once; one who cannot be
/// reached does not stop anything.
pub(super) async fn notify_resubmitted(
    ctx: &BotContext,
    reviewer: &User,
    innovation_id: i64,
    title: &str,
    by: &User,
) {
    let text = texts::resubmitted_notice(reviewer.lang, innovation_id, title, &by.display_name);
    let rows = vec![vec![Button::callback(
        texts::view_button(reviewer.lang, innovation_id),
        Action::Review(innovation_id).encode(),
    )]];
    if let Err(error) = ctx
        .reply_with(reviewer.telegram_id, &text, keyboard(rows))
        .await
    {
        tracing::info!(%error, "could not tell the reviewer about a resubmission");
    }
}

/// `/select N`, `/unselect N`.
pub async fn selection_command(
    ctx: &BotContext,
    user: &User,
    args: &str,
    select: bool,
) -> HandlerResult {
    let command = if select { "select" } else { "unselect" };
    match args.trim().trim_start_matches('#').parse::<i64>() {
        Ok(id) => change_selection(ctx, user, id, select).await,
        Err(_) => {
            ctx.reply(user.telegram_id, &texts::select_usage(user.lang, command))
                .await
        }
    }
}

async fn change_selection(ctx: &BotContext, user: &User, id: i64, select: bool) -> HandlerResult {
    let lang = user.lang;
    let now = ctx.now();
    let done = if select {
        ctx.select(user, id, now)
            .await?
            .map(|selected| texts::selected_ok(lang, id, selected.count, selected.cap))
    } else {
        ctx.unselect(user, id, now)
            .await?
            .map(|_| texts::unselected_ok(lang, id))
    };
    let text = done.unwrap_or_else(|refused| {
        refused_text(ctx, user, Act::Select, id, &refused, |state| {
            texts::select_not_approved(lang, state)
        })
    });
    ctx.reply(user.telegram_id, &text).await
}
