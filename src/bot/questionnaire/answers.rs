//! Answers: a message read against the pending question, validated, saved, and what comes next.

use super::*;

/// A message that is not a command: an answer to the pending question, if there is one.
pub async fn on_input(
    ctx: &BotContext,
    user: &crate::storage::User,
    update_id: i64,
    input: UserInput,
) -> HandlerResult {
    let lang = user.lang;
    let Some(mut conversation) = ctx.load_conversation(user.id).await? else {
        let text = match input {
            UserInput::Text(_) => texts::nothing_pending(lang),
            _ => texts::unexpected_input(lang).to_owned(),
        };
        return ctx.reply(user.telegram_id, &text).await;
    };
    let Some(snapshot) = usable_snapshot(ctx, user, &conversation).await? else {
        return Ok(());
    };
    let key = match &conversation.cursor {
        Cursor::Question(key) => key.clone(),
        Cursor::AddAnother { group, .. } => {
            let group = group.clone();
            return match input {
                UserInput::Text(text) => match yes_no_word(&text) {
                    Some(yes) => {
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
                    None => show(ctx, user, &snapshot, &conversation, None).await,
                },
                _ => show(ctx, user, &snapshot, &conversation, None).await,
            };
        }
        Cursor::Done => return show(ctx, user, &snapshot, &conversation, None).await,
    };
    let Some(question) = ctx.dialog.question(&key.question) else {
        return recover(ctx, user, &snapshot, update_id).await;
    };
    let question = question.clone();
    match (&question.kind, input) {
        (QuestionKind::Text(rules), UserInput::Text(text)) if rules.multi_message => {
            conversation.draft.push(text);
            if ctx
                .write_conversation(user.id, Some(&conversation), Some(update_id))
                .await?
                == Applied::AlreadyHandled
            {
                return already_handled(ctx, user).await;
            }
            let words: usize = conversation
                .draft
                .iter()
                .map(|part| part.split_whitespace().count())
                .sum();
            let limit = ctx.dialog.word_limit(&question, &snapshot.progress);
            let notice = texts::draft_part_saved(lang, words, limit);
            show(ctx, user, &snapshot, &conversation, Some(notice)).await
        }
        (
            QuestionKind::File(_),
            UserInput::File {
                file_id,
                unique_id,
                meta,
            },
        ) => {
            upload(
                ctx,
                user,
                update_id,
                &snapshot,
                &conversation,
                &question,
                &key,
                &file_id,
                &unique_id,
                meta,
            )
            .await
        }
        (_, input) => {
            let engine_input = match &input {
                UserInput::Text(text) => Input::Text(text),
                UserInput::Contact {
                    phone,
                    first_name,
                    last_name,
                } => Input::Contact {
                    phone,
                    first_name,
                    last_name: last_name.as_deref(),
                },
                UserInput::File { meta, .. } => Input::File(meta.clone()),
                UserInput::Other(kind) => Input::Other(kind),
            };
            answer(
                ctx,
                user,
                update_id,
                &snapshot,
                &mut conversation,
                &question,
                &key,
                &engine_input,
            )
            .await
        }
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

pub(super) fn yes_no_word(text: &str) -> Option<bool> {
    match text.trim().to_lowercase().as_str() {
        "ya" | "y" | "yes" | "iya" | "tambah" | "add" => Some(true),
        "tidak" | "t" | "no" | "n" | "tdk" | "lanjut" => Some(false),
        _ => None,
    }
}

/// Validates and stores one answer, then shows what comes next. An invalid answer changes
/// nothing: the person sees why, with an example, and the same question again.
#[allow(clippy::too_many_arguments)]
pub(super) async fn answer(
    ctx: &BotContext,
    user: &crate::storage::User,
    update_id: i64,
    snapshot: &Snapshot,
    conversation: &mut Conversation,
    question: &Question,
    key: &AnswerKey,
    input: &Input<'_>,
) -> HandlerResult {
    let lang = user.lang;
    let accepted = match ctx
        .dialog
        .validate(question, input, &snapshot.progress, ctx.today())
    {
        Ok(accepted) => accepted,
        Err(rejection) => {
            let notice = format!("❗ {}", esc(&rejection.message(lang)));
            return show(ctx, user, snapshot, conversation, Some(notice)).await;
        }
    };
    let Some(value) = accepted.value else {
        // A file answer arrives through `upload`; a file where text was asked was rejected.
        return show(ctx, user, snapshot, conversation, None).await;
    };
    let mut progress = snapshot.progress.clone();
    ctx.dialog
        .record_answer(&mut progress, key.clone(), value.clone());
    let back_to_review = conversation.back_to_review;
    let next = Conversation::at(
        conversation.innovation_id,
        ctx.dialog.next(&conversation.cursor, &progress),
    );
    let applied = ctx
        .storage
        .save_answer(
            conversation.innovation_id,
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
    for warning in &accepted.warnings {
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

/// Downloads, checks and stores one evidence file for the current file question.
#[allow(clippy::too_many_arguments)]
pub(super) async fn upload(
    ctx: &BotContext,
    user: &crate::storage::User,
    update_id: i64,
    snapshot: &Snapshot,
    conversation: &Conversation,
    question: &Question,
    key: &AnswerKey,
    file_id: &str,
    unique_id: &str,
    meta: FileMeta,
) -> HandlerResult {
    let lang = user.lang;
    let QuestionKind::File(rules) = &question.kind else {
        return Ok(());
    };
    let have = snapshot.progress.files(key);
    // Kind, MIME type, size and count are checked before anything is downloaded.
    let checked = ctx.dialog.check_file_slot(question, have).and_then(|()| {
        ctx.dialog.validate(
            question,
            &Input::File(meta.clone()),
            &snapshot.progress,
            ctx.today(),
        )
    });
    let warnings = match checked {
        Ok(accepted) => accepted.warnings,
        Err(rejection) => {
            let notice = format!("❗ {}", esc(&rejection.message(lang)));
            return show(ctx, user, snapshot, conversation, Some(notice)).await;
        }
    };
    let max_bytes = (rules.max_size_mb * 1024.0 * 1024.0) as u64;
    let extension = evidence::extension_for(meta.name.as_deref(), meta.mime.as_deref());
    let stored = match evidence::fetch(
        &ctx.telegram,
        &ctx.evidence_dir,
        file_id,
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
                        &snapshot.progress,
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
    let count = progress.files(key);
    // A full question moves on by itself; otherwise the person may send more or press Done.
    let next = if count >= rules.max_count && !conversation.back_to_review {
        Conversation::at(
            conversation.innovation_id,
            ctx.dialog.next(&conversation.cursor, &progress),
        )
    } else {
        conversation.clone()
    };
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
                telegram_file_unique_id: Some(unique_id),
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
    let mut notice = texts::file_saved(lang, count, rules.max_count);
    for warning in &warnings {
        notice.push_str(&format!("\n⚠️ {}", esc(&warning.message(lang))));
    }
    show(ctx, user, &updated, &next, Some(notice)).await
}

pub(super) async fn recover(
    ctx: &BotContext,
    user: &crate::storage::User,
    snapshot: &Snapshot,
    update_id: i64,
) -> HandlerResult {
    let conversation = Conversation::at(
        snapshot.innovation.id,
        ctx.dialog.first_missing(&snapshot.progress),
    );
    ctx.write_conversation(user.id, Some(&conversation), Some(update_id))
        .await?;
    let notice = texts::question_changed(user.lang).to_owned();
    show(ctx, user, snapshot, &conversation, Some(notice)).await
}

pub(super) async fn add_another(
    ctx: &BotContext,
    user: &crate::storage::User,
    update_id: i64,
    snapshot: &Snapshot,
    conversation: &mut Conversation,
    group: &str,
    yes: bool,
) -> HandlerResult {
    let next = Conversation::at(
        conversation.innovation_id,
        ctx.dialog.add_another(group, yes, &snapshot.progress),
    );
    if ctx
        .write_conversation(user.id, Some(&next), Some(update_id))
        .await?
        == Applied::AlreadyHandled
    {
        return already_handled(ctx, user).await;
    }
    show(ctx, user, snapshot, &next, None).await
}
