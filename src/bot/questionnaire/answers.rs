//! Answers: a message read against the pending question, validated, saved, and what comes next.

use super::*;
use crate::dialog::step::{self, AcceptFile, Notice, Outcome, Save, StepInput};

/// A message that is not a command: an answer to the pending question, if there is one.
pub async fn on_input(
    ctx: &BotContext,
    user: &crate::storage::User,
    update_id: i64,
    input: UserInput,
) -> HandlerResult {
    let lang = user.lang;
    let Some(conversation) = ctx.load_conversation(user.id).await? else {
        let text = match input {
            UserInput::Text(_) => texts::nothing_pending(lang),
            _ => texts::unexpected_input(lang).to_owned(),
        };
        return ctx.reply(user.telegram_id, &text).await;
    };
    let Some(snapshot) = usable_snapshot(ctx, user, &conversation).await? else {
        return Ok(());
    };
    let (step_input, file) = match &input {
        UserInput::Text(text) => (StepInput::Text(text), None),
        UserInput::Contact {
            phone,
            first_name,
            last_name,
        } => (
            StepInput::Contact {
                phone,
                first_name,
                last_name: last_name.as_deref(),
            },
            None,
        ),
        UserInput::File {
            file_id,
            unique_id,
            meta,
        } => (
            StepInput::File(meta.clone()),
            Some(SentFile {
                file_id,
                unique_id,
                meta,
            }),
        ),
        UserInput::Other(kind) => (StepInput::Other(kind), None),
    };
    let outcome = step::step(
        &ctx.dialog,
        &conversation,
        &snapshot.progress,
        step_input,
        ctx.today(),
    );
    let origin = Origin {
        update_id,
        message_id: None,
        file,
    };
    perform(ctx, user, &origin, &snapshot, &conversation, outcome).await
}

/// The file a message carried, to download when the step accepts it.
pub(super) struct SentFile<'a> {
    pub file_id: &'a str,
    pub unique_id: &'a str,
    pub meta: &'a FileMeta,
}

/// Where a step came from.
pub(super) struct Origin<'a> {
    pub update_id: i64,
    /// The message a step button was under (edited in place for multi-choice ticks).
    pub message_id: Option<i32>,
    pub file: Option<SentFile<'a>>,
}

/// Performs a step's [`Outcome`]: the storage write (one transaction with the update id), then
/// the reply.
pub(super) async fn perform(
    ctx: &BotContext,
    user: &crate::storage::User,
    origin: &Origin<'_>,
    snapshot: &Snapshot,
    conversation: &Conversation,
    outcome: Outcome<'_>,
) -> HandlerResult {
    let lang = user.lang;
    let update_id = origin.update_id;
    match outcome {
        Outcome::Show(notice) => {
            let notice = notice.map(|notice| notice_text(lang, &notice));
            show(ctx, user, snapshot, conversation, notice).await
        }
        Outcome::Stale => ctx.reply(user.telegram_id, texts::stale_button(lang)).await,
        Outcome::Recover(next) => {
            ctx.write_conversation(user.id, Some(&next), Some(update_id))
                .await?;
            let notice = texts::question_changed(lang).to_owned();
            show(ctx, user, snapshot, &next, Some(notice)).await
        }
        Outcome::KeepDraft {
            conversation: next,
            words,
            max_words,
        } => {
            if ctx
                .write_conversation(user.id, Some(&next), Some(update_id))
                .await?
                == Applied::AlreadyHandled
            {
                return already_handled(ctx, user).await;
            }
            let notice = texts::draft_part_saved(lang, words, max_words);
            show(ctx, user, snapshot, &next, Some(notice)).await
        }
        Outcome::DraftCleared(next) => {
            ctx.write_conversation(user.id, Some(&next), Some(update_id))
                .await?;
            let notice = texts::draft_cleared(lang).to_owned();
            show(ctx, user, snapshot, &next, Some(notice)).await
        }
        Outcome::Ticks(next) => {
            if ctx
                .write_conversation(user.id, Some(&next), Some(update_id))
                .await?
                == Applied::AlreadyHandled
            {
                return already_handled(ctx, user).await;
            }
            let (text, options) = render(ctx, user, snapshot, &next, None);
            match origin.message_id {
                Some(message_id) => {
                    ctx.telegram
                        .edit_text(user.telegram_id, message_id, &text, options.keyboard)
                        .await?;
                    Ok(())
                }
                None => ctx.reply_with(user.telegram_id, &text, options).await,
            }
        }
        Outcome::Save(save) => store_answer(ctx, user, update_id, snapshot, *save).await,
        Outcome::AcceptFile(accept) => match &origin.file {
            Some(file) => upload(ctx, user, update_id, snapshot, conversation, accept, file).await,
            None => Ok(()),
        },
        Outcome::Move(next) => {
            if ctx
                .write_conversation(user.id, Some(&next), Some(update_id))
                .await?
                == Applied::AlreadyHandled
            {
                return already_handled(ctx, user).await;
            }
            show(ctx, user, snapshot, &next, None).await
        }
        Outcome::Review { section } => {
            ctx.write_conversation(user.id, None, Some(update_id))
                .await?;
            send_review(ctx, user, snapshot, section.as_deref()).await
        }
        Outcome::Pause => {
            ctx.write_conversation(user.id, None, Some(update_id))
                .await?;
            ctx.reply(user.telegram_id, texts::paused(lang)).await
        }
    }
}

/// The line above a question shown again.
fn notice_text(lang: Lang, notice: &Notice) -> String {
    match notice {
        Notice::Rejected(rejection) => format!("❗ {}", esc(&rejection.message(lang))),
        Notice::FilesNeeded { have, need } => {
            format!("❗ {}", texts::files_needed(lang, *have, *need))
        }
        Notice::RequiredCannotSkip => format!("❗ {}", texts::required_cannot_skip(lang)),
    }
}

/// The snapshot of the conversation's innovation, if the person may still edit it; otherwise
/// the conversation ends with a clear sentence.
pub(super) async fn usable_snapshot(
    ctx: &BotContext,
    user: &crate::storage::User,
    conversation: &Conversation,
) -> Result<Option<Snapshot>, BotError> {
    let lang = user.lang;
    let Some(snapshot) = ctx.snapshot(conversation.innovation_id).await? else {
        ctx.write_conversation(user.id, None, None).await?;
        ctx.reply(user.telegram_id, texts::innovation_not_found(lang))
            .await?;
        return Ok(None);
    };
    if !permitted(ctx, user, Act::Answer, &snapshot.innovation).await? {
        ctx.write_conversation(user.id, None, None).await?;
        return Ok(None);
    }
    Ok(Some(snapshot))
}

/// Stores one accepted answer with the person's next position, then shows what comes next.
pub(super) async fn store_answer(
    ctx: &BotContext,
    user: &crate::storage::User,
    update_id: i64,
    snapshot: &Snapshot,
    save: Save<'_>,
) -> HandlerResult {
    let lang = user.lang;
    let Save {
        question,
        key,
        value,
        warnings,
        progress,
        next,
        back_to_review,
    } = save;
    let applied = ctx
        .storage
        .save_answer(
            next.innovation_id,
            &key.question,
            key.item,
            &value,
            user.id,
            ConversationWrite {
                user_id: user.id,
                state: (!back_to_review).then_some(&next),
                update_id: Some(update_id),
            },
            ctx.now(),
        )
        .await?;
    if applied == Applied::AlreadyHandled {
        return already_handled(ctx, user).await;
    }
    let mut notice = texts::saved(lang, &value.display(lang, question));
    for warning in &warnings {
        notice.push_str(&format!("\n⚠️ {}", esc(&warning.message(lang))));
    }
    if matches!(question.kind, QuestionKind::Contact) {
        // Take the phone's "share contact" keyboard away again.
        let options = SendOptions {
            remove_keyboard: true,
            ..SendOptions::default()
        };
        ctx.reply_with(user.telegram_id, &notice, options).await?;
        notice = String::new();
    }
    // The stored answer is already in `progress`: no need to read everything back.
    let updated = Snapshot {
        innovation: snapshot.innovation.clone(),
        progress,
        evidence: snapshot.evidence.clone(),
        // Answering a commented question resolves its comment (see `save_answer`).
        comments: snapshot
            .comments
            .iter()
            .filter(|comment| comment.question_id != key.question || comment.item != key.item)
            .cloned()
            .collect(),
    };
    if back_to_review {
        if !notice.is_empty() {
            ctx.reply(user.telegram_id, &notice).await?;
        }
        let section = ctx
            .dialog
            .section_of(&question.id)
            .map(|section| section.id.clone());
        return send_review(ctx, user, &updated, section.as_deref()).await;
    }
    let notice = (!notice.is_empty()).then_some(notice);
    show(ctx, user, &updated, &next, notice).await
}

/// Downloads and stores one evidence file for the current file question (already checked by
/// the step), then shows what comes next.
pub(super) async fn upload(
    ctx: &BotContext,
    user: &crate::storage::User,
    update_id: i64,
    snapshot: &Snapshot,
    conversation: &Conversation,
    accept: AcceptFile<'_>,
    file: &SentFile<'_>,
) -> HandlerResult {
    let lang = user.lang;
    let AcceptFile {
        question,
        rules,
        key,
    } = accept;
    let meta = file.meta;
    let max_bytes = (rules.max_size_mb * 1024.0 * 1024.0) as u64;
    let extension = evidence::extension_for(meta.name.as_deref(), meta.mime.as_deref());
    let stored = match evidence::fetch(
        &ctx.telegram,
        &ctx.evidence_dir,
        file.file_id,
        &extension,
        max_bytes,
    )
    .await
    {
        Ok(stored) => stored,
        Err(error) => {
            tracing::info!(%error, "evidence upload refused or failed");
            let notice = match error {
                UploadError::NotDownloadable(_) => texts::file_not_downloadable(lang).to_owned(),
                UploadError::TooLarge { size } => {
                    let rejection = ctx.dialog.validate(
                        question,
                        &Input::File(FileMeta {
                            size: Some(size),
                            ..meta.clone()
                        }),
                        ctx.today(),
                    );
                    match rejection {
                        Err(rejection) => rejection.message(lang),
                        Ok(_) => texts::file_not_downloadable(lang).to_owned(),
                    }
                }
                UploadError::Empty => crate::dialog::Rejection::Empty {
                    expected: crate::dialog::Expected::File,
                }
                .message(lang),
                UploadError::Telegram(_) | UploadError::Io(_) => {
                    texts::file_download_failed(lang).to_owned()
                }
            };
            return show(
                ctx,
                user,
                snapshot,
                conversation,
                Some(format!("❗ {}", esc(&notice))),
            )
            .await;
        }
    };
    let mut progress = snapshot.progress.clone();
    ctx.dialog.record_file(&mut progress, key.clone());
    let count = progress.files(&key);
    // A full question moves on by itself; otherwise the person may send more or press Done.
    let next = step::after_file(&ctx.dialog, conversation, rules, &key, &progress);
    let inserted = ctx
        .storage
        .add_evidence(
            NewEvidence {
                innovation_id: conversation.innovation_id,
                question_id: &key.question,
                item: key.item,
                kind: meta.kind.name(),
                original_name: meta.name.as_deref(),
                mime_type: meta.mime.as_deref(),
                size_bytes: stored.size,
                sha256: &stored.sha256,
                stored_path: &stored.relative_path,
                telegram_file_unique_id: Some(file.unique_id),
            },
            user.id,
            ConversationWrite {
                user_id: user.id,
                state: Some(&next),
                update_id: Some(update_id),
            },
            ctx.now(),
        )
        .await?;
    let Some(updated) = ctx.snapshot(conversation.innovation_id).await? else {
        return Ok(());
    };
    if !inserted {
        let notice = texts::file_duplicate(lang).to_owned();
        return show(ctx, user, &updated, conversation, Some(notice)).await;
    }
    let notice = texts::file_saved(lang, count, rules.max_count);
    show(ctx, user, &updated, &next, Some(notice)).await
}
