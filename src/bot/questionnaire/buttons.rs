//! Buttons under questions and summaries: resume, review, edit, submit, and the steps of a question.

use super::*;

/// How a button press arrived: its update, the message it was under (edited in place
/// for multi-choice ticks), and the presser's pending question as the update found it.
pub struct Pressed {
    pub update_id: i64,
    pub message_id: Option<i32>,
    pub pending: Option<Pending>,
}

/// Questionnaire buttons.
pub async fn on_action(
    ctx: &BotContext,
    user: &crate::storage::User,
    action: Action,
    pressed: Pressed,
) -> HandlerResult {
    let lang = user.lang;
    let Pressed {
        update_id,
        message_id,
        pending,
    } = pressed;
    match action {
        Action::Resume(id) => {
            let Some(snapshot) = viewable(ctx, user, id).await? else {
                return Ok(());
            };
            if !can_answer(user, &snapshot.innovation) {
                return send_review(ctx, user, &snapshot, None).await;
            }
            let conversation = Conversation::at(id, ctx.dialog.first_missing(&snapshot.progress));
            ctx.write_conversation(user.id, Some(&conversation), Some(update_id))
                .await?;
            show(ctx, user, &snapshot, &conversation, None).await
        }
        Action::Review(id) => {
            let Some(snapshot) = viewable(ctx, user, id).await? else {
                return Ok(());
            };
            send_review(ctx, user, &snapshot, None).await
        }
        Action::Submit(id) => {
            let Some(snapshot) = viewable(ctx, user, id).await? else {
                return Ok(());
            };
            submit_snapshot(ctx, user, &snapshot).await
        }
        Action::Edit {
            innovation,
            question,
            item,
        } => {
            let Some(snapshot) = editable(ctx, user, innovation).await? else {
                return Ok(());
            };
            let Some(question) = ctx
                .question_at(question)
                .filter(|question| item_can_exist(ctx, question, item, &snapshot.progress))
            else {
                return ctx.reply(user.telegram_id, texts::stale_button(lang)).await;
            };
            // A group button means "add an item": start at its first member.
            let target = match question.members().first() {
                Some(first) => AnswerKey::item(first.id.as_str(), item),
                None => AnswerKey::item(question.id.as_str(), item),
            };
            let mut conversation = Conversation::at(innovation, Cursor::Question(target));
            conversation.back_to_review = !question.is_group();
            ctx.write_conversation(user.id, Some(&conversation), Some(update_id))
                .await?;
            show(ctx, user, &snapshot, &conversation, None).await
        }
        Action::RemoveFile {
            innovation,
            evidence,
        } => {
            let Some(snapshot) = editable(ctx, user, innovation).await? else {
                return Ok(());
            };
            let removed = ctx
                .storage
                .remove_evidence(evidence, snapshot.innovation.id, user.id, ctx.now())
                .await?;
            if !removed {
                return ctx.reply(user.telegram_id, texts::stale_button(lang)).await;
            }
            ctx.reply(user.telegram_id, texts::file_removed(lang))
                .await?;
            let section = snapshot
                .evidence
                .iter()
                .find(|file| file.id == evidence)
                .and_then(|file| ctx.dialog.section_of(&file.question_id))
                .map(|section| section.id.clone());
            let Some(updated) = ctx.snapshot(innovation).await? else {
                return Ok(());
            };
            send_review(ctx, user, &updated, section.as_deref()).await
        }
        Action::Step {
            innovation,
            question,
            item,
            step,
        } => {
            let at = StepAt {
                innovation,
                question,
                item,
                step,
            };
            step_action(
                ctx,
                user,
                at,
                Pressed {
                    update_id,
                    message_id,
                    pending,
                },
            )
            .await
        }
        _ => Ok(()),
    }
}

/// Whether an edit button's item can exist: always 0 outside a group; in a group, an item
/// already started or the next one, below the group's maximum. A forged item would otherwise
/// store answers and files under keys no review, export or count ever sees.
pub(super) fn item_can_exist(
    ctx: &BotContext,
    question: &Question,
    item: u16,
    progress: &Progress,
) -> bool {
    let group = if question.is_group() {
        Some(question)
    } else {
        ctx.dialog.group_of(&question.id)
    };
    match group.map(|group| (group.id.as_str(), &group.kind)) {
        Some((id, QuestionKind::Group(rules))) => {
            item <= progress.items(id) && item < rules.max_items
        }
        _ => item == 0,
    }
}

pub(super) async fn viewable(
    ctx: &BotContext,
    user: &crate::storage::User,
    id: i64,
) -> Result<Option<Snapshot>, BotError> {
    match ctx.snapshot(id).await? {
        Some(snapshot) if can_view(user, &snapshot.innovation) => Ok(Some(snapshot)),
        _ => {
            ctx.reply(user.telegram_id, texts::innovation_not_found(user.lang))
                .await?;
            Ok(None)
        }
    }
}

pub(super) async fn editable(
    ctx: &BotContext,
    user: &crate::storage::User,
    id: i64,
) -> Result<Option<Snapshot>, BotError> {
    let Some(snapshot) = viewable(ctx, user, id).await? else {
        return Ok(None);
    };
    if !permitted(ctx, user, Act::Answer, &snapshot.innovation).await? {
        return Ok(None);
    }
    Ok(Some(snapshot))
}

/// A button under a question: checked against the question being asked now, decided by the
/// pure [step](crate::dialog::step), then stored and shown.
/// A step button's payload: which innovation, question and item, and what was pressed.
pub(super) struct StepAt {
    innovation: i64,
    question: u16,
    item: u16,
    step: Step,
}

pub(super) async fn step_action(
    ctx: &BotContext,
    user: &crate::storage::User,
    at: StepAt,
    pressed: Pressed,
) -> HandlerResult {
    let lang = user.lang;
    let StepAt {
        innovation,
        question: question_index,
        item,
        step: step_pressed,
    } = at;
    let Pressed {
        update_id,
        message_id,
        pending,
    } = pressed;
    // The button must belong to the question being asked right now; checked before the
    // innovation is loaded, so an old button changes nothing.
    let current = pending.filter(|pending| {
        button_is_current(
            &ctx.dialog,
            &pending.conversation,
            innovation,
            question_index,
            item,
        )
    });
    let Some(Pending {
        conversation,
        innovation: row,
    }) = current
    else {
        return ctx.reply(user.telegram_id, texts::stale_button(lang)).await;
    };
    let Some(snapshot) = usable_snapshot_of(ctx, user, row).await? else {
        return Ok(());
    };
    let outcome = step(
        &ctx.dialog,
        &conversation,
        &snapshot.progress,
        Event::Button {
            innovation_id: innovation,
            question: question_index,
            item,
            press: step_pressed,
        },
        ctx.today(),
    );
    carry_out(
        ctx,
        user,
        update_id,
        &snapshot,
        &conversation,
        outcome,
        Delivery {
            file: None,
            message_id,
        },
    )
    .await
}
