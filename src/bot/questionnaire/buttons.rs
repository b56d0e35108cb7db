//! Buttons under questions and summaries: resume, review, edit, submit, and the steps of a question.

use super::*;
use crate::dialog::step::{self, Button as StepButton, StepInput};

/// Questionnaire buttons. `message_id` is the message the button was under (edited in place
/// for multi-choice ticks).
pub async fn on_action(
    ctx: &BotContext,
    user: &crate::storage::User,
    update_id: i64,
    action: Action,
    message_id: Option<i32>,
) -> HandlerResult {
    let lang = user.lang;
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
            let origin = Origin {
                update_id,
                message_id,
                file: None,
            };
            step_action(ctx, user, &origin, (innovation, question, item), step).await
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

/// A step button (`at`: the innovation, question number and item it was under).
pub(super) async fn step_action(
    ctx: &BotContext,
    user: &crate::storage::User,
    origin: &Origin<'_>,
    at: (i64, u16, u16),
    step: Step,
) -> HandlerResult {
    let lang = user.lang;
    let (innovation, question_index, item) = at;
    let conversation = ctx.load_conversation(user.id).await?;
    // The button must belong to the question being asked right now.
    let current = conversation.filter(|conversation| {
        conversation.innovation_id == innovation
            && match &conversation.cursor {
                Cursor::Question(key) => {
                    key.item == item && ctx.question_index(&key.question) == Some(question_index)
                }
                Cursor::AddAnother { group, items } => {
                    *items == item && ctx.question_index(group) == Some(question_index)
                }
                Cursor::Done => false,
            }
    });
    let Some(conversation) = current else {
        return ctx.reply(user.telegram_id, texts::stale_button(lang)).await;
    };
    let Some(snapshot) = usable_snapshot(ctx, user, &conversation).await? else {
        return Ok(());
    };
    let outcome = step::step(
        &ctx.dialog,
        &conversation,
        &snapshot.progress,
        StepInput::Button(step_button(step)),
        ctx.today(),
    );
    perform(ctx, user, origin, &snapshot, &conversation, outcome).await
}

/// The dialog's name for a step button's payload.
fn step_button(step: Step) -> StepButton {
    match step {
        Step::Choose(index) => StepButton::Choose(index),
        Step::Toggle(index) => StepButton::Toggle(index),
        Step::Done => StepButton::Done,
        Step::Yes => StepButton::Yes,
        Step::No => StepButton::No,
        Step::Skip => StepButton::Skip,
        Step::Back => StepButton::Back,
        Step::Pause => StepButton::Pause,
        Step::ClearDraft => StepButton::ClearDraft,
        Step::AddAnother(yes) => StepButton::AddAnother(yes),
    }
}
