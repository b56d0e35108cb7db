//! Buttons under questions and summaries: resume, review, edit, submit, and the steps of a question.

use super::*;

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
            step_action(
                ctx, user, update_id, innovation, question, item, step, message_id,
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

#[allow(clippy::too_many_arguments)]
pub(super) async fn step_action(
    ctx: &BotContext,
    user: &crate::storage::User,
    update_id: i64,
    innovation: i64,
    question_index: u16,
    item: u16,
    step: Step,
    message_id: Option<i32>,
) -> HandlerResult {
    let lang = user.lang;
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
    let Some(mut conversation) = current else {
        return ctx.reply(user.telegram_id, texts::stale_button(lang)).await;
    };
    let Some(snapshot) = usable_snapshot(ctx, user, &conversation).await? else {
        return Ok(());
    };
    if let Cursor::AddAnother { group, .. } = &conversation.cursor {
        let group = group.clone();
        return match step {
            Step::AddAnother(yes) => {
                add_another(
                    ctx,
                    user,
                    update_id,
                    &snapshot,
                    &mut conversation,
                    &group,
                    yes,
                )
                .await
            }
            Step::Back | Step::Pause => {
                navigate(ctx, user, update_id, &snapshot, &conversation, step).await
            }
            _ => ctx.reply(user.telegram_id, texts::stale_button(lang)).await,
        };
    }
    let Cursor::Question(key) = conversation.cursor.clone() else {
        return Ok(());
    };
    let Some(question) = ctx.dialog.question(&key.question).cloned() else {
        return recover(ctx, user, &snapshot, update_id).await;
    };
    // Buttons that answer the question all go through `answer`.
    let joined_draft = conversation.draft.join("\n\n");
    let input = match (step, &question.kind) {
        (Step::Choose(index), QuestionKind::SingleChoice(rules)) => {
            match rules.options.get(usize::from(index)) {
                Some(option) => Some(Input::Choice(&option.id)),
                None => return ctx.reply(user.telegram_id, texts::stale_button(lang)).await,
            }
        }
        (Step::Yes | Step::No, QuestionKind::YesNo) => Some(Input::YesNo(step == Step::Yes)),
        (Step::Done, QuestionKind::MultiChoice(_)) => {
            Some(Input::Choices(conversation.selected.clone()))
        }
        (Step::Done, QuestionKind::Text(_)) => Some(Input::Text(&joined_draft)),
        _ => None,
    };
    if let Some(input) = input {
        return answer(
            ctx,
            user,
            update_id,
            &snapshot,
            &mut conversation,
            &question,
            &key,
            &input,
        )
        .await;
    }
    match (step, &question.kind) {
        (Step::Toggle(index), QuestionKind::MultiChoice(rules)) => {
            let Some(option) = rules.options.get(usize::from(index)) else {
                return ctx.reply(user.telegram_id, texts::stale_button(lang)).await;
            };
            if let Some(at) = conversation.selected.iter().position(|id| *id == option.id) {
                conversation.selected.remove(at);
            } else {
                conversation.selected.push(option.id.clone());
            }
            if ctx
                .write_conversation(user.id, Some(&conversation), Some(update_id))
                .await?
                == Applied::AlreadyHandled
            {
                return already_handled(ctx, user).await;
            }
            let (text, options) = render(ctx, user, &snapshot, &conversation, None);
            match message_id {
                Some(message_id) => {
                    ctx.telegram
                        .edit_text(user.telegram_id, message_id, &text, options.keyboard)
                        .await?;
                    Ok(())
                }
                None => ctx.reply_with(user.telegram_id, &text, options).await,
            }
        }
        (Step::ClearDraft, QuestionKind::Text(_)) => {
            conversation.draft.clear();
            ctx.write_conversation(user.id, Some(&conversation), Some(update_id))
                .await?;
            let notice = texts::draft_cleared(lang).to_owned();
            show(ctx, user, &snapshot, &conversation, Some(notice)).await
        }
        (Step::Done, QuestionKind::File(_)) => {
            let have = snapshot.progress.files(&key);
            let need = question.files_needed();
            if have < need {
                let notice = format!("❗ {}", texts::files_needed(lang, have, need));
                return show(ctx, user, &snapshot, &conversation, Some(notice)).await;
            }
            if conversation.back_to_review {
                ctx.write_conversation(user.id, None, Some(update_id))
                    .await?;
                let section = ctx.dialog.section_of(&question.id).map(|s| s.id.clone());
                return send_review(ctx, user, &snapshot, section.as_deref()).await;
            }
            navigate(ctx, user, update_id, &snapshot, &conversation, Step::Skip).await
        }
        (Step::Skip, _) if question.required => {
            let notice = format!("❗ {}", texts::required_cannot_skip(lang));
            show(ctx, user, &snapshot, &conversation, Some(notice)).await
        }
        (Step::Skip | Step::Back | Step::Pause, _) => {
            navigate(ctx, user, update_id, &snapshot, &conversation, step).await
        }
        _ => ctx.reply(user.telegram_id, texts::stale_button(lang)).await,
    }
}

/// Skip (next without answering), Back and Pause.
pub(super) async fn navigate(
    ctx: &BotContext,
    user: &crate::storage::User,
    update_id: i64,
    snapshot: &Snapshot,
    conversation: &Conversation,
    step: Step,
) -> HandlerResult {
    let lang = user.lang;
    if step == Step::Pause {
        ctx.write_conversation(user.id, None, Some(update_id))
            .await?;
        return ctx.reply(user.telegram_id, texts::paused(lang)).await;
    }
    if step == Step::Skip && conversation.back_to_review {
        ctx.write_conversation(user.id, None, Some(update_id))
            .await?;
        return send_review(ctx, user, snapshot, None).await;
    }
    let cursor = match step {
        Step::Back => ctx
            .dialog
            .previous(&conversation.cursor, &snapshot.progress),
        _ => ctx.dialog.next(&conversation.cursor, &snapshot.progress),
    };
    let next = Conversation::at(conversation.innovation_id, cursor);
    if ctx
        .write_conversation(user.id, Some(&next), Some(update_id))
        .await?
        == Applied::AlreadyHandled
    {
        return already_handled(ctx, user).await;
    }
    show(ctx, user, snapshot, &next, None).await
}
