//! Answers: a message read against the pending question, validated, saved, and what comes next.

use super::*;

/// A message that is not a command: an answer to the pending question, if there is one.
pub async fn on_input(
    ctx: &BotContext,
    user: &crate::storage::User,
    update_id: i64,
    input: UserInput,
    pending: Option<Pending>,
) -> HandlerResult {
    let lang = user.lang;
    let Some(Pending {
        conversation,
        innovation,
    }) = pending
    else {
        let text = match input {
            UserInput::Text(_) => texts::nothing_pending(lang),
            _ => texts::unexpected_input(lang),
        };
        return ctx.reply(user.telegram_id, &text).await;
    };
    let Some(snapshot) = usable_snapshot_of(ctx, user, innovation).await? else {
        return Ok(());
    };
    let (engine_input, file) = match &input {
        UserInput::Text(text) => (Input::Text(text), None),
        UserInput::Contact {
            phone,
            first_name,
            last_name,
        } => (
            Input::Contact {
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
            Input::File(meta.clone()),
            Some(IncomingFile {
                file_id,
                unique_id,
                meta,
            }),
        ),
        UserInput::Other(kind) => (Input::Other(kind), None),
    };
    let outcome = step(
        &ctx.dialog,
        &conversation,
        &snapshot.progress,
        Event::Message(engine_input),
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
            file,
            message_id: None,
        },
    )
    .await
}

/// A file as Telegram announced it, before the download.
pub(super) struct IncomingFile<'a> {
    file_id: &'a str,
    unique_id: &'a str,
    meta: &'a FileMeta,
}

/// A file the step let through: where it goes, how big it may be, what to warn about.
struct CheckedFile<'a> {
    key: &'a AnswerKey,
    max_bytes: u64,
    warnings: &'a [Warning],
}

/// How the step's event arrived: the file to download for an upload, the message a button
/// was under (redrawn in place for multi-choice ticks).
pub(super) struct Delivery<'a> {
    pub(super) file: Option<IncomingFile<'a>>,
    pub(super) message_id: Option<i32>,
}

/// Stores what the [step](crate::dialog::step) decided (with the update id, so a redelivered
/// update changes nothing twice) and shows the result.
pub(super) async fn carry_out(
    ctx: &BotContext,
    user: &crate::storage::User,
    update_id: i64,
    snapshot: &Snapshot,
    conversation: &Conversation,
    outcome: Outcome,
    delivery: Delivery<'_>,
) -> HandlerResult {
    let lang = user.lang;
    match outcome {
        Outcome::Repeat(notice) => {
            let notice = notice.map(|notice| texts::step_notice(lang, &notice));
            show(ctx, user, snapshot, conversation, notice).await
        }
        Outcome::Stale => ctx.reply(user.telegram_id, texts::stale_button(lang)).await,
        Outcome::Paused => {
            ctx.write_conversation(user.id, None, Some(update_id))
                .await?;
            ctx.reply(user.telegram_id, texts::paused(lang)).await
        }
        Outcome::ToReview { section } => {
            ctx.write_conversation(user.id, None, Some(update_id))
                .await?;
            send_review(ctx, user, snapshot, section.as_deref()).await
        }
        Outcome::Moved {
            next,
            notice,
            in_place,
        } => {
            if ctx
                .write_conversation(user.id, Some(&next), Some(update_id))
                .await?
                == Applied::AlreadyHandled
            {
                return already_handled(ctx, user).await;
            }
            let notice = notice.map(|notice| texts::step_notice(lang, &notice));
            match (in_place, delivery.message_id) {
                (true, Some(message_id)) => {
                    let (text, options) = render(ctx, user, snapshot, &next, notice);
                    ctx.telegram
                        .edit_text(user.telegram_id, message_id, &text, options.keyboard)
                        .await?;
                    Ok(())
                }
                _ => show(ctx, user, snapshot, &next, notice).await,
            }
        }
        Outcome::Answered {
            key,
            value,
            warnings,
            after,
            progress,
        } => {
            let answer = Accepted {
                key,
                value,
                warnings,
                after,
                progress,
            };
            store_answer(ctx, user, update_id, snapshot, answer).await
        }
        Outcome::Upload {
            key,
            max_bytes,
            warnings,
        } => match delivery.file {
            Some(file) => {
                let checked = CheckedFile {
                    key: &key,
                    max_bytes,
                    warnings: &warnings,
                };
                upload(ctx, user, update_id, snapshot, conversation, file, checked).await
            }
            // Only a message carries a file; show the question rather than say nothing.
            None => show(ctx, user, snapshot, conversation, None).await,
        },
    }
}

/// The snapshot of the conversation's innovation, if the person may still edit it; otherwise
/// the conversation ends with a clear sentence.
pub(super) async fn usable_snapshot(
    ctx: &BotContext,
    user: &crate::storage::User,
    conversation: &Conversation,
) -> Result<Option<Snapshot>, BotError> {
    let innovation = ctx.storage.innovation(conversation.innovation_id).await?;
    usable_snapshot_of(ctx, user, innovation).await
}

/// [`usable_snapshot`] for the conversation's innovation row, already read (with the person's
/// session). The answers are loaded only once the person may answer.
pub(super) async fn usable_snapshot_of(
    ctx: &BotContext,
    user: &crate::storage::User,
    innovation: Option<Innovation>,
) -> Result<Option<Snapshot>, BotError> {
    let lang = user.lang;
    let Some(innovation) = innovation else {
        ctx.write_conversation(user.id, None, None).await?;
        ctx.reply(user.telegram_id, texts::innovation_not_found(lang))
            .await?;
        return Ok(None);
    };
    if !permitted(ctx, user, Act::Answer, &innovation).await? {
        ctx.write_conversation(user.id, None, None).await?;
        return Ok(None);
    }
    Ok(Some(ctx.snapshot_of(innovation).await?))
}

/// An answer the step accepted (the fields of [`Outcome::Answered`]).
struct Accepted {
    key: AnswerKey,
    value: AnswerValue,
    warnings: Vec<Warning>,
    after: After,
    /// The snapshot's progress with the answer recorded.
    progress: Progress,
}

/// Stores an accepted answer with the person's next position, then shows what comes next.
async fn store_answer(
    ctx: &BotContext,
    user: &crate::storage::User,
    update_id: i64,
    snapshot: &Snapshot,
    answer: Accepted,
) -> HandlerResult {
    let Accepted {
        key,
        value,
        warnings,
        after,
        progress,
    } = answer;
    let lang = user.lang;
    let Some(question) = ctx.dialog.question(&key.question) else {
        return Ok(());
    };
    let next = match &after {
        After::Continue(next) => Some(next),
        After::Review { .. } => None,
    };
    let saved = ctx
        .storage
        .save_answer(
            snapshot.innovation.id,
            &key.question,
            key.item,
            &value,
            ConversationWrite {
                user_id: user.id,
                state: next,
                update_id: Some(update_id),
            },
            ctx.now(),
        )
        .await?;
    let AnswerSaved::Yes {
        revision_before,
        revision_after,
    } = saved
    else {
        return already_handled(ctx, user).await;
    };
    let warnings: Vec<String> = warnings
        .iter()
        .map(|warning| warning.message(lang))
        .collect();
    let mut notice = texts::saved_notice(lang, &value.display(lang, question), &warnings);
    if matches!(question.kind, QuestionKind::Contact) {
        // Take the phone's "share contact" keyboard away again.
        let options = SendOptions {
            remove_keyboard: true,
            ..SendOptions::default()
        };
        ctx.reply_with(user.telegram_id, &notice, options).await?;
        notice = Html::empty();
    }
    // The stored answer goes into the snapshot in memory: no need to read everything back.
    let updated = Snapshot {
        innovation: snapshot.innovation.clone(),
        progress: Arc::new(progress),
        evidence: snapshot.evidence.clone(),
        // Answering a commented question resolves its comment (see `save_answer`).
        comments: Arc::new(
            snapshot
                .comments
                .iter()
                .filter(|comment| comment.question_id != key.question || comment.item != key.item)
                .cloned()
                .collect(),
        ),
    };
    ctx.snapshot_written(snapshot, &updated, revision_before, revision_after);
    match after {
        After::Review { section } => {
            if !notice.is_empty() {
                ctx.reply(user.telegram_id, &notice).await?;
            }
            send_review(ctx, user, &updated, section.as_deref()).await
        }
        After::Continue(next) => {
            let notice = (!notice.is_empty()).then_some(notice);
            show(ctx, user, &updated, &next, notice).await
        }
    }
}

/// Downloads, hashes and stores one evidence file that the step has checked, with the
/// person's next position.
async fn upload(
    ctx: &BotContext,
    user: &crate::storage::User,
    update_id: i64,
    snapshot: &Snapshot,
    conversation: &Conversation,
    file: IncomingFile<'_>,
    checked: CheckedFile<'_>,
) -> HandlerResult {
    let lang = user.lang;
    let CheckedFile {
        key,
        max_bytes,
        warnings,
    } = checked;
    let Some(question) = ctx.dialog.question(&key.question) else {
        return Ok(());
    };
    let QuestionKind::File(rules) = &question.kind else {
        return Ok(());
    };
    let meta = file.meta;
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
                UploadError::NotDownloadable(_) => texts::file_not_downloadable(lang),
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
                        Err(rejection) => Html::text(&rejection.message(lang)),
                        Ok(_) => texts::file_not_downloadable(lang),
                    }
                }
                UploadError::Empty => Html::text(
                    &crate::dialog::Rejection::Empty {
                        expected: crate::dialog::Expected::File,
                    }
                    .message(lang),
                ),
                UploadError::Telegram(_) | UploadError::Io(_) => texts::file_download_failed(lang),
            };
            return show(
                ctx,
                user,
                snapshot,
                conversation,
                Some(texts::problem(&notice)),
            )
            .await;
        }
    };
    let mut progress = Progress::clone(&snapshot.progress);
    ctx.dialog.record_file(&mut progress, key.clone());
    let count = progress.files(key);
    let next = after_upload(&ctx.dialog, conversation, &progress, key);
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
        let notice = texts::file_duplicate(lang);
        return show(ctx, user, &updated, conversation, Some(notice)).await;
    }
    let warnings: Vec<String> = warnings
        .iter()
        .map(|warning| warning.message(lang))
        .collect();
    let notice = texts::with_warnings(texts::file_saved(lang, count, rules.max_count), &warnings);
    show(ctx, user, &updated, &next, Some(notice)).await
}
