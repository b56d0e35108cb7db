//! Showing the pending question: its text, hints and buttons, sent or edited in place.

use super::*;

/// Sends the current question (or "add another?", or "all done") with its buttons, after an
/// optional notice (what was saved, or why an answer was refused).
pub(super) async fn show(
    ctx: &BotContext,
    user: &crate::storage::User,
    snapshot: &Snapshot,
    conversation: &Conversation,
    notice: Option<Html>,
) -> HandlerResult {
    // An innovation started on an older questionnaire file: once, what it lacks now.
    let notice = match ctx.questionnaire_update(snapshot).await? {
        Some(missing) => {
            let items: Vec<String> = missing
                .iter()
                .map(|m| m.message(&ctx.dialog, user.lang))
                .collect();
            let update = texts::questionnaire_updated(user.lang, &items);
            Some(match notice {
                Some(notice) if !notice.is_empty() => Html::join([update, notice], "\n\n"),
                _ => update,
            })
        }
        None => notice,
    };
    let (text, options) = render(ctx, user, snapshot, conversation, notice);
    ctx.reply_with(user.telegram_id, &text, options).await?;
    if let Cursor::Question(key) = &conversation.cursor
        && let Some(question) = ctx.dialog.question(&key.question)
        && matches!(question.kind, QuestionKind::Contact)
    {
        let options = SendOptions {
            request_contact: Some(texts::share_contact_button(user.lang).to_owned()),
            ..SendOptions::default()
        };
        ctx.reply_with(user.telegram_id, texts::contact_hint(user.lang), options)
            .await?;
    }
    Ok(())
}

/// The same update came twice (a redelivery after a crash): its change is already stored, so
/// the person is shown where they are now, and nothing is changed again.
pub(super) async fn already_handled(
    ctx: &BotContext,
    user: &crate::storage::User,
) -> HandlerResult {
    tracing::info!(
        user_id = user.id,
        "update already handled; showing the current question"
    );
    if !reshow(ctx, user).await? {
        ctx.reply(user.telegram_id, texts::nothing_pending(user.lang))
            .await?;
    }
    Ok(())
}

/// Re-shows the pending question, e.g. when a person writes a command-less message that is not
/// an answer, or after a restart. Nobody is left without the buttons they need.
pub async fn reshow(ctx: &BotContext, user: &crate::storage::User) -> Result<bool, BotError> {
    let Some(conversation) = ctx.load_conversation(user.id).await? else {
        return Ok(false);
    };
    let Some(snapshot) = usable_snapshot(ctx, user, &conversation).await? else {
        return Ok(true);
    };
    show(ctx, user, &snapshot, &conversation, None).await?;
    Ok(true)
}

pub(super) fn render(
    ctx: &BotContext,
    user: &crate::storage::User,
    snapshot: &Snapshot,
    conversation: &Conversation,
    notice: Option<Html>,
) -> (Html, SendOptions) {
    let lang = user.lang;
    let innovation = snapshot.innovation.id;
    let progress = &snapshot.progress;
    let mut parts: Vec<Html> = notice.into_iter().filter(|n| !n.is_empty()).collect();
    let mut rows: Vec<Vec<Button>> = Vec::new();
    let button = |label: &str, question: u16, item: u16, step: Step| {
        Button::callback(
            label.to_owned(),
            Action::Step {
                innovation,
                question,
                item,
                step,
            }
            .encode(),
        )
    };
    let position = ctx.dialog.position(&conversation.cursor, progress);
    let position_text = texts::position(
        lang,
        position.section_index,
        position.section_count,
        position.question_index,
        position.question_count,
    );
    match &conversation.cursor {
        Cursor::Done => {
            parts.push(texts::all_answered(lang));
            rows.push(vec![
                Button::callback(
                    texts::button_review(lang),
                    Action::Review(innovation).encode(),
                ),
                Button::callback(
                    texts::submit_button(lang, innovation),
                    Action::Submit(innovation).encode(),
                ),
            ]);
        }
        Cursor::AddAnother { group, items } => {
            let index = ctx.question_index(group).unwrap_or(u16::MAX);
            let label = match ctx.dialog.question(group).map(|q| &q.kind) {
                Some(QuestionKind::Group(rules)) => rules.item_label.get(lang).to_owned(),
                _ => group.clone(),
            };
            parts.push(texts::question_heading(&position_text, None));
            parts.push(texts::add_another(lang, &label, *items));
            rows.push(vec![
                button(
                    texts::button_add_more(lang),
                    index,
                    *items,
                    Step::AddAnother(true),
                ),
                button(
                    texts::button_no_more(lang),
                    index,
                    *items,
                    Step::AddAnother(false),
                ),
            ]);
            rows.push(vec![
                button(texts::button_back(lang), index, *items, Step::Back),
                button(texts::button_pause(lang), index, *items, Step::Pause),
            ]);
        }
        Cursor::Question(key) => {
            let Some(question) = ctx.dialog.question(&key.question) else {
                parts.push(texts::question_changed(lang));
                return (Html::join(parts, "\n\n"), SendOptions::default());
            };
            let index = ctx.question_index(&question.id).unwrap_or(u16::MAX);
            let item = key.item;
            let section = ctx.dialog.section_of(&question.id);
            parts.push(texts::question_heading(
                &position_text,
                section.map(|section| section.title.get(lang)),
            ));
            if position.question_index == 1
                && item == 0
                && conversation.draft.is_empty()
                && let Some(intro) = section.and_then(|s| s.intro.as_ref())
            {
                parts.push(texts::section_intro(intro.get(lang)));
            }
            let group_item = match ctx.dialog.group_of(&question.id).map(|group| &group.kind) {
                Some(QuestionKind::Group(rules)) => {
                    Some((rules.item_label.get(lang), item.saturating_add(1)))
                }
                _ => None,
            };
            parts.push(texts::question_prompt(
                lang,
                group_item,
                question.prompt.get(lang),
                question.required,
            ));
            if let Some(help) = &question.help {
                parts.push(Html::text(help.get(lang)));
            }
            if let Some(narrative_box) = ctx.dialog.box_of(&question.id) {
                let words = ctx.dialog.box_words(narrative_box, progress);
                parts.push(texts::box_hint(
                    lang,
                    narrative_box.title.get(lang),
                    narrative_box.questions.len(),
                    narrative_box.max_words,
                    narrative_box.min_words,
                    words.words,
                ));
            }
            match &question.kind {
                QuestionKind::Text(rules) if rules.multi_message => {
                    parts.push(texts::multi_message_hint(lang));
                    let mut row = vec![button(texts::button_done(lang), index, item, Step::Done)];
                    if !conversation.draft.is_empty() {
                        row.push(button(
                            texts::button_restart_text(lang),
                            index,
                            item,
                            Step::ClearDraft,
                        ));
                    }
                    rows.push(row);
                }
                QuestionKind::SingleChoice(rules) => {
                    for (number, option) in rules.options.iter().enumerate() {
                        let label =
                            format!("{}. {}", number.saturating_add(1), option.label.get(lang));
                        rows.push(vec![button(
                            &label,
                            index,
                            item,
                            Step::Choose(number as u16),
                        )]);
                    }
                }
                QuestionKind::MultiChoice(rules) => {
                    parts.push(texts::multi_choice_hint(lang));
                    for (number, option) in rules.options.iter().enumerate() {
                        let ticked = conversation.selected.contains(&option.id);
                        let label = format!(
                            "{} {}. {}",
                            if ticked { "☑️" } else { "⬜" },
                            number.saturating_add(1),
                            option.label.get(lang)
                        );
                        rows.push(vec![button(
                            &label,
                            index,
                            item,
                            if ticked {
                                Step::Untick(number as u16)
                            } else {
                                Step::Tick(number as u16)
                            },
                        )]);
                    }
                    rows.push(vec![button(
                        texts::button_done(lang),
                        index,
                        item,
                        Step::Done,
                    )]);
                }
                QuestionKind::YesNo => {
                    rows.push(vec![
                        button(texts::button_yes(lang), index, item, Step::Yes),
                        button(texts::button_no(lang), index, item, Step::No),
                    ]);
                }
                QuestionKind::File(rules) => {
                    let kinds: Vec<&str> = rules
                        .kinds
                        .iter()
                        .map(|kind| texts::file_kind_name(lang, kind.name()))
                        .collect();
                    parts.push(texts::file_hint(
                        lang,
                        &kinds.join(" / "),
                        rules.max_size_mb,
                        rules.min_count,
                        rules.max_count,
                    ));
                    if !rules.warn_mime_types.is_empty() || rules.warn_max_size_mb.is_some() {
                        let types: Vec<String> = rules
                            .warn_mime_types
                            .iter()
                            .map(|mime| crate::dialog::file_type_name(mime))
                            .collect();
                        parts.push(texts::form_file_rule(lang, &types, rules.warn_max_size_mb));
                    }
                    let have = progress.files(key);
                    if have > 0 {
                        parts.push(texts::review_files(lang, have));
                    }
                    if have >= question.files_needed() && have > 0 {
                        rows.push(vec![button(
                            texts::button_done(lang),
                            index,
                            item,
                            Step::Done,
                        )]);
                    }
                }
                _ => {}
            }
            if let Some(value) = progress.answer(key) {
                parts.push(texts::current_answer(lang, &value.display(lang, question)));
            }
            let comments: Vec<_> = snapshot
                .comments
                .iter()
                .filter(|comment| comment.question_id == question.id && comment.item == item)
                .collect();
            // The latest two: with the question they fit one message (`/review` lists all).
            for comment in comments.iter().skip(comments.len().saturating_sub(2)) {
                parts.push(texts::reviewer_comment(
                    lang,
                    &comment.author_name,
                    &comment.comment,
                ));
            }
            let mut navigation = vec![button(texts::button_back(lang), index, item, Step::Back)];
            if !question.required {
                navigation.push(button(texts::button_skip(lang), index, item, Step::Skip));
            }
            navigation.push(button(texts::button_pause(lang), index, item, Step::Pause));
            rows.push(navigation);
        }
    }
    let options = SendOptions {
        keyboard: Some(Keyboard::new(rows)),
        ..SendOptions::default()
    };
    (Html::join(parts, "\n\n"), options)
}
