//! The guided questionnaire over Telegram: thin glue between the dialog engine (which knows
//! nothing of Telegram), the storage (which knows nothing of questions) and the chat.
//!
//! Every accepted answer is committed, together with the person's next position and the id of
//! the update that carried it, before the bot replies. The position lives in the database, so a
//! restart resumes everyone where they were, and a redelivered update changes nothing twice.

use super::{
    BotContext, BotError,
    callbacks::{Action, Step},
    texts::{self, esc},
};
use crate::{
    app::{Conversation, Snapshot},
    dialog::{AnswerKey, Cursor, FileMeta, Input, Progress, Question, QuestionKind},
    domain::{InnovationState, Lang, Role, Transition},
    evidence::{self, UploadError},
    policy::{self, Act, Capability, Reach},
    storage::{Applied, ConversationWrite, Created, Innovation, NewEvidence},
    telegram::{Button, Keyboard, SendOptions},
};

type HandlerResult = Result<(), BotError>;

/// What a person sent, read off the Telegram message.
#[derive(Debug, Clone)]
pub enum UserInput {
    Text(String),
    Contact {
        phone: String,
        first_name: String,
        last_name: Option<String>,
    },
    File {
        file_id: String,
        unique_id: String,
        meta: FileMeta,
    },
    Other(&'static str),
}

pub(super) fn unit_id(user: &crate::storage::User) -> Option<i64> {
    user.unit.as_ref().map(|unit| unit.id)
}

pub(super) fn can_view(user: &crate::storage::User, innovation: &Innovation) -> bool {
    policy::may(user, Act::View, innovation).is_ok()
}

fn can_answer(user: &crate::storage::User, innovation: &Innovation) -> bool {
    policy::may(user, Act::Answer, innovation).is_ok()
}

/// Asks the [policy](crate::policy); on a refusal, tells the person why and returns false.
pub(super) async fn permitted(
    ctx: &BotContext,
    user: &crate::storage::User,
    act: Act,
    innovation: &Innovation,
) -> Result<bool, BotError> {
    match policy::may(user, act, innovation) {
        Ok(()) => Ok(true),
        Err(refusal) => {
            let bureau = policy::allows(user.role, Capability::RunCampaign);
            let text = texts::refusal(user.lang, act, refusal, innovation.id, bureau);
            ctx.reply(user.telegram_id, &text).await?;
            Ok(false)
        }
    }
}

/// The unit to list for the person (`None`: every unit), or `Err` after telling them they
/// have no unit.
async fn listed_unit(
    ctx: &BotContext,
    user: &crate::storage::User,
) -> Result<Result<Option<i64>, ()>, BotError> {
    match policy::reach(user) {
        Reach::Everything => Ok(Ok(None)),
        Reach::Unit(unit) => Ok(Ok(Some(unit))),
        Reach::Nothing => {
            ctx.reply(user.telegram_id, texts::no_unit(user.lang))
                .await?;
            Ok(Err(()))
        }
    }
}

// ---- commands --------------------------------------------------------------------------------

/// `/new`: a new innovation for the person's unit, unless the agency-wide cap is reached.
pub async fn start_new(
    ctx: &BotContext,
    user: &crate::storage::User,
    update_id: i64,
) -> HandlerResult {
    let lang = user.lang;
    let Some(unit_id) = unit_id(user) else {
        return ctx.reply(user.telegram_id, texts::no_unit(lang)).await;
    };
    let cap = ctx.dialog.campaign().max_innovations;
    // The first question of an empty innovation does not depend on its id.
    let first = ctx.dialog.first_missing(&Progress::default());
    let created = ctx
        .storage
        .create_innovation(
            unit_id,
            user.id,
            ctx.dialog.version(),
            cap,
            Some(update_id),
            |id| Conversation::at(id, first.clone()),
            ctx.now(),
        )
        .await?;
    let innovation_id = match created {
        Created::Innovation(id) => id,
        Created::CapReached => {
            return ctx
                .reply(user.telegram_id, &texts::cap_reached(lang, cap))
                .await;
        }
        Created::AlreadyHandled => return already_handled(ctx, user).await,
    };
    let Some(snapshot) = ctx.snapshot(innovation_id).await? else {
        return Ok(());
    };
    let Some(conversation) = ctx.load_conversation(user.id).await? else {
        return Ok(());
    };
    let notice = texts::innovation_started(lang, innovation_id);
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
        // Who moved it to its current state, and when.
        if let Some(event) = last_changes.get(&innovation.id) {
            let at = texts::local_time(event.at, ctx.timezone);
            line.push_str(&texts::last_change(lang, &event.actor_name, &at));
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
    let text = format!("{}\n{}", texts::list_header(lang, &scope), lines.join("\n"));
    let options = SendOptions {
        keyboard: Some(Keyboard::new(buttons.into_iter().take(90))),
        ..SendOptions::default()
    };
    ctx.reply_with(user.telegram_id, &text, options).await
}

/// Picks the innovation a command is about: the number typed, else the one being answered,
/// else the unit's only one. `None` after asking the person to choose.
async fn target_innovation(
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

async fn send_review(
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
        let header = texts::review_header(
            lang,
            innovation.id,
            &title,
            innovation.state,
            completion.percent,
        );
        let hint = if editable { texts::edit_hint(lang) } else { "" };
        ctx.reply(user.telegram_id, &format!("{header}\n{hint}"))
            .await?;
    }
    for (number, section) in ctx.dialog.review(&snapshot.progress).iter().enumerate() {
        if only_section.is_some_and(|id| id != section.section.id) {
            continue;
        }
        let mut lines = vec![format!(
            "<b>{}. {}</b>",
            number.saturating_add(1),
            esc(section.section.title.get(lang))
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
                        esc(&texts::shorten(&answer.display(lang, entry.question), 90)),
                    ),
                    None if entry.question.required => ("❌", texts::not_answered(lang).to_owned()),
                    None => ("➖", texts::not_answered(lang).to_owned()),
                }
            };
            lines.push(format!("{mark} {}: {value}", esc(&label)));
            for comment in snapshot.comments.iter().filter(|comment| {
                comment.question_id == entry.question.id && comment.item == entry.key.item
            }) {
                lines.push(format!(
                    "    {}",
                    texts::reviewer_comment(lang, &comment.author_name, &comment.comment)
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
                    lines.push(format!("    📄 {}", esc(&texts::shorten(&name, 60))));
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
        ctx.reply_with(user.telegram_id, lines.join("\n"), options)
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
        super::review::send_panel(ctx, user, snapshot).await?;
    }
    Ok(())
}

fn missing_sentences(ctx: &BotContext, progress: &Progress, lang: Lang) -> Vec<String> {
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

async fn submit_snapshot(
    ctx: &BotContext,
    user: &crate::storage::User,
    snapshot: &Snapshot,
) -> HandlerResult {
    let lang = user.lang;
    let innovation = &snapshot.innovation;
    if !permitted(ctx, user, Act::Submit, innovation).await? {
        return Ok(());
    }
    let missing = missing_sentences(ctx, &snapshot.progress, lang);
    if !missing.is_empty() {
        return ctx
            .reply(user.telegram_id, &texts::cannot_submit(lang, &missing))
            .await;
    }
    let changed = ctx
        .storage
        .change_innovation_state(innovation.id, Transition::Submit, user.id, None, ctx.now())
        .await?;
    if !changed {
        return ctx
            .reply(user.telegram_id, texts::innovation_not_found(lang))
            .await;
    }
    // Nobody stays "inside" a submitted innovation.
    if let Some(conversation) = ctx.load_conversation(user.id).await?
        && conversation.innovation_id == innovation.id
    {
        ctx.write_conversation(user.id, None, None).await?;
    }
    ctx.reply(user.telegram_id, &texts::submitted(lang, innovation.id))
        .await?;
    let title = ctx.title_of(&snapshot.progress).unwrap_or_default();
    notify_coordinators(ctx, innovation.unit_id, |coordinator_lang| {
        texts::submitted_notice(coordinator_lang, innovation.id, &title, &user.display_name)
    })
    .await?;
    if innovation.state == InnovationState::Returned {
        super::review::notify_resubmitted(ctx, innovation.id, &title, user).await?;
    }
    Ok(())
}

/// Tells the unit's coordinators; a coordinator who cannot be reached does not stop anything.
async fn notify_coordinators(
    ctx: &BotContext,
    unit_id: i64,
    text: impl Fn(Lang) -> String,
) -> HandlerResult {
    for person in ctx.storage.users(Some(unit_id)).await? {
        if person.active
            && person.role == Role::Coordinator
            && let Err(error) = ctx.reply(person.telegram_id, &text(person.lang)).await
        {
            tracing::info!(%error, "could not notify a coordinator");
        }
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
    let Some(innovation) = ctx.storage.innovation(id).await? else {
        return ctx
            .reply(user.telegram_id, texts::innovation_not_found(lang))
            .await;
    };
    if !permitted(ctx, user, Act::Reopen, &innovation).await? {
        return Ok(());
    }
    // The storage checks the state again as it writes, so a selection made meanwhile is not
    // undone.
    let changed = ctx
        .storage
        .change_innovation_state(innovation.id, Transition::Reopen, user.id, None, ctx.now())
        .await?;
    if !changed {
        return ctx.reply(user.telegram_id, texts::reopen_usage(lang)).await;
    }
    ctx.reply(user.telegram_id, &texts::reopened(lang, innovation.id))
        .await
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

// ---- answering ---------------------------------------------------------------------------------

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
            let notice = texts::draft_part_saved(lang, words, rules.max_words);
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
async fn usable_snapshot(
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

fn yes_no_word(text: &str) -> Option<bool> {
    match text.trim().to_lowercase().as_str() {
        "ya" | "y" | "yes" | "iya" | "tambah" | "add" => Some(true),
        "tidak" | "t" | "no" | "n" | "tdk" | "lanjut" => Some(false),
        _ => None,
    }
}

/// Validates and stores one answer, then shows what comes next. An invalid answer changes
/// nothing: the person sees why, with an example, and the same question again.
#[allow(clippy::too_many_arguments)]
async fn answer(
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
    let accepted = match ctx.dialog.validate(question, input, ctx.today()) {
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
async fn upload(
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
        ctx.dialog
            .validate(question, &Input::File(meta.clone()), ctx.today())
    });
    if let Err(rejection) = checked {
        let notice = format!("❗ {}", esc(&rejection.message(lang)));
        return show(ctx, user, snapshot, conversation, Some(notice)).await;
    }
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
    let notice = texts::file_saved(lang, count, rules.max_count);
    show(ctx, user, &updated, &next, Some(notice)).await
}

async fn recover(
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

async fn add_another(
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

// ---- buttons -------------------------------------------------------------------------------------

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
fn item_can_exist(ctx: &BotContext, question: &Question, item: u16, progress: &Progress) -> bool {
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

async fn viewable(
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

async fn editable(
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
async fn step_action(
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
async fn navigate(
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

// ---- showing the question ------------------------------------------------------------------------

/// Sends the current question (or "add another?", or "all done") with its buttons, after an
/// optional notice (what was saved, or why an answer was refused).
async fn show(
    ctx: &BotContext,
    user: &crate::storage::User,
    snapshot: &Snapshot,
    conversation: &Conversation,
    notice: Option<String>,
) -> HandlerResult {
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
async fn already_handled(ctx: &BotContext, user: &crate::storage::User) -> HandlerResult {
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

fn render(
    ctx: &BotContext,
    user: &crate::storage::User,
    snapshot: &Snapshot,
    conversation: &Conversation,
    notice: Option<String>,
) -> (String, SendOptions) {
    let lang = user.lang;
    let innovation = snapshot.innovation.id;
    let progress = &snapshot.progress;
    let mut parts: Vec<String> = notice.into_iter().filter(|n| !n.is_empty()).collect();
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
    let position_line = format!(
        "<b>{}</b>",
        texts::position(
            lang,
            position.section_index,
            position.section_count,
            position.question_index,
            position.question_count
        )
    );
    match &conversation.cursor {
        Cursor::Done => {
            parts.push(texts::all_answered(lang).to_owned());
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
            parts.push(position_line);
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
                parts.push(texts::question_changed(lang).to_owned());
                return (parts.join("\n\n"), SendOptions::default());
            };
            let index = ctx.question_index(&question.id).unwrap_or(u16::MAX);
            let item = key.item;
            let section = ctx.dialog.section_of(&question.id);
            let mut heading = position_line;
            if let Some(section) = section {
                heading.push_str(&format!(" · {}", esc(section.title.get(lang))));
            }
            parts.push(heading);
            if position.question_index == 1
                && item == 0
                && conversation.draft.is_empty()
                && let Some(intro) = section.and_then(|s| s.intro.as_ref())
            {
                parts.push(format!("<i>{}</i>", esc(intro.get(lang))));
            }
            let mut prompt = String::new();
            if let Some(group) = ctx.dialog.group_of(&question.id)
                && let QuestionKind::Group(rules) = &group.kind
            {
                prompt.push_str(&format!(
                    "<i>{}</i>\n",
                    texts::item_heading(rules.item_label.get(lang), item.saturating_add(1))
                ));
            }
            prompt.push_str(&format!("<b>{}</b>", esc(question.prompt.get(lang))));
            if !question.required {
                prompt.push_str(&format!(" {}", texts::optional_mark(lang)));
            }
            parts.push(prompt);
            if let Some(help) = &question.help {
                parts.push(esc(help.get(lang)));
            }
            match &question.kind {
                QuestionKind::Text(rules) if rules.multi_message => {
                    parts.push(texts::multi_message_hint(lang).to_owned());
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
                    parts.push(texts::multi_choice_hint(lang).to_owned());
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
                            Step::Toggle(number as u16),
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
    (parts.join("\n\n"), options)
}
