//! Commands: /new, /list, /review, /submit, /reopen and leaving the questionnaire.

use super::*;

/// `/new`: a new innovation for the person's unit (as many as the unit likes: the cap is on the
/// bureau's selection).
pub async fn start_new(
    ctx: &BotContext,
    user: &crate::storage::User,
    update_id: i64,
) -> HandlerResult {
    let lang = user.lang;
    let (snapshot, conversation) = match ctx
        .start_innovation(user, Some(update_id), ctx.now())
        .await?
    {
        Ok(Started::New {
            snapshot,
            conversation,
        }) => (snapshot, conversation),
        Ok(Started::AlreadyHandled) => return already_handled(ctx, user).await,
        Err(Refused::NoUnit) => return ctx.reply(user.telegram_id, texts::no_unit(lang)).await,
        Err(Refused::Policy(_)) => {
            return ctx
                .reply(user.telegram_id, &texts::not_allowed(lang, "new"))
                .await;
        }
        Err(_) => {
            return ctx
                .reply(user.telegram_id, texts::innovation_not_found(lang))
                .await;
        }
    };
    let notice = texts::innovation_started(lang, snapshot.innovation.id);
    show(ctx, user, &snapshot, &conversation, Some(notice)).await
}

/// `/list`: the unit's innovations (all of them for the bureau) with their completion.
pub async fn list(ctx: &BotContext, user: &crate::storage::User) -> HandlerResult {
    let lang = user.lang;
    let Ok(scope_unit) = listed_unit(ctx, user).await? else {
        return Ok(());
    };
    let innovations = ctx.storage.innovations(scope_unit).await?;
    if innovations.is_empty() {
        let text = texts::list_empty(lang, user.role == Role::Staff);
        return ctx.reply(user.telegram_id, &text).await;
    }
    let last_changes = ctx.storage.last_state_events(scope_unit).await?;
    let mut lines = Vec::new();
    let mut buttons = Vec::new();
    for innovation in &innovations {
        let Some(snapshot) = ctx.snapshot(innovation.id).await? else {
            continue;
        };
        let percent = ctx.dialog.completion(&snapshot.progress).percent;
        let title = ctx
            .title_of(&snapshot.progress)
            .unwrap_or_else(|| texts::untitled(lang).to_owned());
        let mut line = texts::list_line(
            lang,
            innovation.id,
            &innovation.unit_code,
            &title,
            innovation.state,
            percent,
        );
        if innovation.late_submitted_at.is_some() {
            line.push_text(texts::late_mark(lang));
        }
        // Who moved it to its current state, and when.
        if let Some(event) = last_changes.get(&innovation.id) {
            let at = texts::local_time(event.at, ctx.timezone);
            line.push(&texts::last_change(lang, &event.actor_name, &at));
        }
        lines.push(line);
        let button = if can_answer(user, innovation) {
            Button::callback(
                texts::resume_button(lang, innovation.id),
                Action::Resume(innovation.id).encode(),
            )
        } else {
            Button::callback(
                texts::view_button(lang, innovation.id),
                Action::Review(innovation.id).encode(),
            )
        };
        buttons.push(vec![button]);
    }
    let scope = match &user.unit {
        Some(unit) if user.role != Role::Bureau => unit.name.clone(),
        _ => texts::all_units(lang).to_owned(),
    };
    let text = texts::list_text(lang, &scope, &lines);
    let options = SendOptions {
        keyboard: Some(Keyboard::new(buttons.into_iter().take(90))),
        ..SendOptions::default()
    };
    ctx.reply_with(user.telegram_id, &text, options).await
}

/// Picks the innovation a command is about: the number typed, else the one being answered,
/// else the unit's only one. `None` after asking the person to choose.
pub(super) async fn target_innovation(
    ctx: &BotContext,
    user: &crate::storage::User,
    args: &str,
    make_button: fn(Lang, i64) -> String,
    make_action: fn(i64) -> Action,
) -> Result<Option<Snapshot>, BotError> {
    let lang = user.lang;
    let requested = args.trim().trim_start_matches('#');
    let id = if !requested.is_empty() {
        requested.parse::<i64>().ok()
    } else if let Some(conversation) = ctx.load_conversation(user.id).await? {
        Some(conversation.innovation_id)
    } else {
        let Ok(scope) = listed_unit(ctx, user).await? else {
            return Ok(None);
        };
        let innovations = ctx.storage.innovations(scope).await?;
        match innovations.as_slice() {
            [only] => Some(only.id),
            [] => {
                let text = texts::list_empty(lang, user.role == Role::Staff);
                ctx.reply(user.telegram_id, &text).await?;
                return Ok(None);
            }
            many => {
                let buttons: Vec<Vec<Button>> = many
                    .iter()
                    .take(90)
                    .map(|innovation| {
                        vec![Button::callback(
                            make_button(lang, innovation.id),
                            make_action(innovation.id).encode(),
                        )]
                    })
                    .collect();
                let options = SendOptions {
                    keyboard: Some(Keyboard::new(buttons)),
                    ..SendOptions::default()
                };
                ctx.reply_with(user.telegram_id, texts::choose_innovation(lang), options)
                    .await?;
                return Ok(None);
            }
        }
    };
    let snapshot = match id {
        Some(id) => ctx.snapshot(id).await?,
        None => None,
    };
    match snapshot {
        Some(snapshot) if can_view(user, &snapshot.innovation) => Ok(Some(snapshot)),
        _ => {
            ctx.reply(user.telegram_id, texts::innovation_not_found(lang))
                .await?;
            Ok(None)
        }
    }
}

/// `/review [N]`: the whole innovation by section, with buttons to change any answer.
pub async fn review(ctx: &BotContext, user: &crate::storage::User, args: &str) -> HandlerResult {
    let Some(snapshot) =
        target_innovation(ctx, user, args, texts::view_button, Action::Review).await?
    else {
        return Ok(());
    };
    send_review(ctx, user, &snapshot, None).await
}

pub(super) async fn send_review(
    ctx: &BotContext,
    user: &crate::storage::User,
    snapshot: &Snapshot,
    only_section: Option<&str>,
) -> HandlerResult {
    let lang = user.lang;
    let innovation = &snapshot.innovation;
    let editable = can_answer(user, innovation);
    let completion = ctx.dialog.completion(&snapshot.progress);
    let title = ctx
        .title_of(&snapshot.progress)
        .unwrap_or_else(|| texts::untitled(lang).to_owned());
    if only_section.is_none() {
        let intro = texts::review_intro(
            lang,
            innovation.id,
            &title,
            innovation.state,
            completion.percent,
            editable,
        );
        ctx.reply(user.telegram_id, &intro).await?;
    }
    for (number, section) in ctx.dialog.review(&snapshot.progress).iter().enumerate() {
        if only_section.is_some_and(|id| id != section.section.id) {
            continue;
        }
        let mut lines = vec![texts::review_section_heading(
            number.saturating_add(1),
            section.section.title.get(lang),
        )];
        let mut buttons: Vec<Vec<Button>> = Vec::new();
        for entry in &section.entries {
            let label = match entry.group {
                Some(group) => format!(
                    "{} ({})",
                    entry.question.label.get(lang),
                    texts::item_heading(
                        match &group.kind {
                            QuestionKind::Group(rules) => rules.item_label.get(lang),
                            _ => "",
                        },
                        entry.key.item.saturating_add(1)
                    )
                ),
                None => entry.question.label.get(lang).to_owned(),
            };
            let (mark, value) = if entry.question.is_file() {
                let mark = if entry.files >= entry.question.files_needed().max(1) {
                    "✅"
                } else if entry.question.required {
                    "❌"
                } else {
                    "➖"
                };
                (mark, texts::review_files(lang, entry.files))
            } else {
                match entry.answer {
                    Some(answer) => (
                        "✅",
                        texts::review_answer(&answer.display(lang, entry.question)),
                    ),
                    None if entry.question.required => {
                        ("❌", Html::text(texts::not_answered(lang)))
                    }
                    None => ("➖", Html::text(texts::not_answered(lang))),
                }
            };
            lines.push(texts::review_entry(mark, &label, &value));
            for comment in snapshot.comments.iter().filter(|comment| {
                comment.question_id == entry.question.id && comment.item == entry.key.item
            }) {
                lines.push(texts::review_comment_line(
                    lang,
                    &comment.author_name,
                    &comment.comment,
                ));
            }
            if editable && let Some(index) = ctx.question_index(&entry.question.id) {
                buttons.push(vec![Button::callback(
                    format!("✏️ {}", texts::shorten(&label, 40)),
                    Action::Edit {
                        innovation: innovation.id,
                        question: index,
                        item: entry.key.item,
                    }
                    .encode(),
                )]);
            }
            if editable && entry.question.is_file() {
                for file in snapshot.evidence.iter().filter(|file| {
                    file.question_id == entry.question.id && file.item == entry.key.item
                }) {
                    let name = file
                        .original_name
                        .clone()
                        .unwrap_or_else(|| file.kind.clone());
                    lines.push(texts::review_file_line(&name));
                    buttons.push(vec![Button::callback(
                        texts::remove_file_button(&name),
                        Action::RemoveFile {
                            innovation: innovation.id,
                            evidence: file.id,
                        }
                        .encode(),
                    )]);
                }
            }
        }
        if editable {
            for question in &section.section.questions {
                if let QuestionKind::Group(rules) = &question.kind
                    && ctx.dialog.is_visible(&question.id, &snapshot.progress)
                    && snapshot.progress.items(&question.id) < rules.max_items
                    && let Some(index) = ctx.question_index(&question.id)
                {
                    buttons.push(vec![Button::callback(
                        texts::add_item_button(lang, rules.item_label.get(lang)),
                        Action::Edit {
                            innovation: innovation.id,
                            question: index,
                            item: snapshot.progress.items(&question.id),
                        }
                        .encode(),
                    )]);
                }
            }
        }
        let options = SendOptions {
            keyboard: (!buttons.is_empty()).then(|| Keyboard::new(buttons.into_iter().take(95))),
            ..SendOptions::default()
        };
        ctx.reply_with(user.telegram_id, Html::join(&lines, "\n"), options)
            .await?;
    }
    if only_section.is_none() {
        let missing = missing_sentences(ctx, &snapshot.progress, lang);
        let mut options = SendOptions::default();
        if editable && missing.is_empty() {
            options.keyboard = Some(Keyboard::new([[Button::callback(
                texts::submit_button(lang, innovation.id),
                Action::Submit(innovation.id).encode(),
            )]]));
        }
        ctx.reply_with(
            user.telegram_id,
            &texts::missing_list(lang, &missing),
            options,
        )
        .await?;
        crate::bot::review::send_panel(ctx, user, snapshot).await?;
    }
    Ok(())
}

pub(super) fn missing_sentences(ctx: &BotContext, progress: &Progress, lang: Lang) -> Vec<String> {
    ctx.dialog
        .missing(progress)
        .iter()
        .map(|missing| missing.message(&ctx.dialog, lang))
        .collect()
}

/// `/submit [N]`: only when nothing required is missing.
pub async fn submit(ctx: &BotContext, user: &crate::storage::User, args: &str) -> HandlerResult {
    let Some(snapshot) =
        target_innovation(ctx, user, args, texts::submit_button, Action::Submit).await?
    else {
        return Ok(());
    };
    submit_snapshot(ctx, user, &snapshot).await
}

pub(super) async fn submit_snapshot(
    ctx: &BotContext,
    user: &crate::storage::User,
    snapshot: &Snapshot,
) -> HandlerResult {
    let lang = user.lang;
    let id = snapshot.innovation.id;
    let submitted = match ctx.submit(user, id, ctx.now()).await? {
        Ok(submitted) => submitted,
        Err(refused) => {
            let text = refused_text(ctx, user, Act::Submit, id, &refused, |_| {
                texts::innovation_not_found(lang)
            });
            return ctx.reply(user.telegram_id, &text).await;
        }
    };
    ctx.reply(user.telegram_id, &texts::submitted(lang, id))
        .await?;
    // A coordinator who cannot be reached does not stop anything.
    for coordinator in &submitted.coordinators_to_notify {
        let text =
            texts::submitted_notice(coordinator.lang, id, &submitted.title, &user.display_name);
        if let Err(error) = ctx.reply(coordinator.telegram_id, &text).await {
            tracing::info!(%error, "could not notify a coordinator");
        }
    }
    if let Some(reviewer) = &submitted.reviewer_to_notify {
        crate::bot::review::notify_resubmitted(ctx, reviewer, id, &submitted.title, user).await;
    }
    Ok(())
}

/// `/reopen N`: a coordinator (own unit) or the bureau turns a submitted innovation back into a
/// draft.
pub async fn reopen(ctx: &BotContext, user: &crate::storage::User, args: &str) -> HandlerResult {
    let lang = user.lang;
    let Ok(id) = args.trim().trim_start_matches('#').parse::<i64>() else {
        return ctx.reply(user.telegram_id, texts::reopen_usage(lang)).await;
    };
    let text = match ctx.reopen(user, id, ctx.now()).await? {
        Ok(reopened) => texts::reopened(lang, reopened.innovation_id),
        Err(refused) => refused_text(ctx, user, Act::Reopen, id, &refused, |_| {
            texts::reopen_usage(lang)
        }),
    };
    ctx.reply(user.telegram_id, &text).await
}

/// `/cancel` outside a broadcast: leaves the questionnaire (answers stay saved).
pub async fn pause(ctx: &BotContext, user: &crate::storage::User) -> HandlerResult {
    if ctx.load_conversation(user.id).await?.is_some() {
        ctx.write_conversation(user.id, None, None).await?;
        return ctx.reply(user.telegram_id, texts::paused(user.lang)).await;
    }
    ctx.reply(user.telegram_id, texts::cancelled(user.lang))
        .await
}
