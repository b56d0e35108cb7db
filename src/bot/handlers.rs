//! Thin handlers. Every update loads the sender from the database first, so a role change or a
//! deactivation applies to the very next message or button press.

use std::sync::Arc;

use teloxide::types::{CallbackQuery, MediaKind, Message, MessageKind, Update, User as TgUser};

use super::{
    BotContext, BotError,
    callbacks::Action,
    commands::{self, ParsedCommand, command_info},
    exports,
    guard::guarded,
    outreach,
    questionnaire::{self, UserInput},
    review,
    texts::{self, Html},
};
use crate::{
    app::{InvitationRefused, InvitationRequest, RoleChosen, UnitRef},
    dialog::{FileKind, FileMeta},
    domain::{InviteToken, Lang, Lifetime, Role, UnitCode, UnitName},
    people::CreatedInvitation,
    policy,
    storage::{InvitationRefusal, Session, StorageError, User, UserProfile},
    telegram::{Button, Keyboard, SendOptions},
};

type HandlerResult = Result<(), BotError>;

fn profile_of(from: &TgUser) -> UserProfile {
    UserProfile {
        telegram_id: from.id.0 as i64,
        display_name: from.full_name(),
        username: from.username.clone(),
    }
}

/// Loads the sender; `None` for strangers and deactivated people.
async fn active_user(ctx: &BotContext, telegram_id: i64) -> Result<Option<User>, BotError> {
    Ok(ctx
        .storage
        .user_by_telegram_id(telegram_id)
        .await?
        .filter(|user| user.active))
}

/// Loads the sender with their pending question, in one query; `None` for strangers and
/// deactivated people.
async fn active_session(ctx: &BotContext, telegram_id: i64) -> Result<Option<Session>, BotError> {
    Ok(ctx
        .storage
        .session(telegram_id)
        .await?
        .filter(|session| session.user.active))
}

/// Every endpoint marks its update finished only after handling it: an update whose handling
/// was cut short (crash, Telegram unreachable) stays in the inbox and is handled after a restart.
async fn finished(ctx: &BotContext, update: &Update, handled: HandlerResult) -> HandlerResult {
    handled?;
    ctx.storage.finish_update(i64::from(update.id.0)).await?;
    Ok(())
}

pub async fn on_message(update: Update, message: Message, ctx: Arc<BotContext>) -> HandlerResult {
    let _turn = ctx.turns.take(&update);
    let handled = guarded(&update, &ctx, handle_message(&update, &message, &ctx)).await;
    finished(&ctx, &update, handled).await
}

pub async fn on_edited_message(
    update: Update,
    message: Message,
    ctx: Arc<BotContext>,
) -> HandlerResult {
    let _turn = ctx.turns.take(&update);
    let handled = guarded(&update, &ctx, handle_edited_message(&message, &ctx)).await;
    finished(&ctx, &update, handled).await
}

pub async fn on_callback(
    update: Update,
    query: CallbackQuery,
    ctx: Arc<BotContext>,
) -> HandlerResult {
    let _turn = ctx.turns.take(&update);
    let handled = guarded(&update, &ctx, handle_callback(&update, &query, &ctx)).await;
    finished(&ctx, &update, handled).await
}

async fn handle_message(update: &Update, message: &Message, ctx: &BotContext) -> HandlerResult {
    // Channel posts and service messages have no human sender to answer.
    let Some(from) = message.from.as_ref() else {
        return Ok(());
    };
    // A dice, or a message teloxide cannot read (`Empty`: a malformed field, a kind it does not
    // know), came from a person too and gets an answer; service messages do not.
    let answerable = matches!(
        message.kind,
        MessageKind::Common(_) | MessageKind::Dice(_) | MessageKind::Empty {}
    );
    if from.is_bot || !answerable {
        return Ok(());
    }
    let chat_id = message.chat.id.0;
    let fallback_lang = texts::lang_of_stranger(from.language_code.as_deref());
    if !message.chat.is_private() {
        return ctx
            .reply(chat_id, &texts::private_chat_only(fallback_lang))
            .await;
    }
    let update_id = i64::from(update.id.0);
    // A test aid (never set in production): lets the tests prove a panic stops nothing.
    if ctx.panic_trigger.is_some() && ctx.panic_trigger.as_deref() == message.text() {
        panic!("KIPP_TEST_PANIC_TEXT received from chat {chat_id}");
    }
    if let Err(error) = route_message(message, from, update_id, ctx).await {
        tracing::error!(%error, chat_id, "message handling failed");
        let lang = match active_user(ctx, chat_id).await {
            Ok(Some(user)) => user.lang,
            _ => fallback_lang,
        };
        ctx.reply(chat_id, &texts::internal_error(lang)).await?;
    }
    Ok(())
}

async fn handle_edited_message(message: &Message, ctx: &BotContext) -> HandlerResult {
    let Some(from) = message.from.as_ref() else {
        return Ok(());
    };
    if from.is_bot || !message.chat.is_private() {
        return Ok(());
    }
    let chat_id = message.chat.id.0;
    match active_user(ctx, from.id.0 as i64).await? {
        Some(user) => {
            ctx.reply(chat_id, &texts::edited_message_ignored(user.lang))
                .await
        }
        None => {
            let lang = texts::lang_of_stranger(from.language_code.as_deref());
            ctx.reply(chat_id, &texts::stranger(lang)).await
        }
    }
}

async fn route_message(
    message: &Message,
    from: &TgUser,
    update_id: i64,
    ctx: &BotContext,
) -> HandlerResult {
    let chat_id = message.chat.id.0;
    let text = message.text().unwrap_or_default();
    let command = commands::parse_command(text, &ctx.bot_username);
    let Some(Session { mut user, pending }) = active_session(ctx, from.id.0 as i64).await? else {
        let lang = texts::lang_of_stranger(from.language_code.as_deref());
        return match command {
            Some(ParsedCommand { name, args }) if name == "start" && !args.is_empty() => {
                register(ctx, chat_id, from, args, lang).await
            }
            _ => ctx.reply(chat_id, &texts::stranger(lang)).await,
        };
    };
    let profile = profile_of(from);
    // Written only when Telegram reports a new name (most messages change nothing).
    if profile.display_name != user.display_name || profile.username != user.username {
        ctx.storage.refresh_profile(&profile).await?;
        // The reply to this very message uses the new name (a `BUREAU_ADMINS` admin's first
        // `/start` once greeted an empty name).
        user.display_name = profile.display_name;
        user.username = profile.username;
    }

    let Some(ParsedCommand { name, args }) = command else {
        if let Some(text) = message.text()
            && outreach::take_broadcast_text(ctx, &user, text).await?
        {
            return Ok(());
        }
        // A reviewer who picked a question is typing their comment on it.
        if policy::allows(user.role, policy::Capability::Review)
            && let Some(text) = message.text()
            && review::on_text(ctx, &user, update_id, text).await?
        {
            return Ok(());
        }
        let input = user_input(message);
        return questionnaire::on_input(ctx, &user, update_id, input, pending).await;
    };
    let Some(info) = command_info(&name) else {
        return ctx
            .reply(chat_id, &texts::unknown_command(user.lang, &name))
            .await;
    };
    if !info.allows(user.role) {
        return ctx
            .reply(chat_id, &texts::not_allowed(user.lang, &name))
            .await;
    }
    match info.name {
        "start" => start_registered(ctx, chat_id, &user).await,
        "help" => help(ctx, chat_id, &user).await,
        "whoami" => whoami(ctx, chat_id, &user).await,
        "lang" => language(ctx, chat_id, &user, args).await,
        "new" => questionnaire::start_new(ctx, &user, update_id).await,
        "status" => outreach::status(ctx, &user).await,
        "digest" => outreach::digest_now(ctx, &user, ctx.stale_days).await,
        "deadline" => outreach::deadline(ctx, &user, args).await,
        "broadcast" => outreach::start_broadcast(ctx, &user).await,
        "cancel" => cancel(ctx, &user).await,
        "list" => questionnaire::list(ctx, &user).await,
        "review" => questionnaire::review(ctx, &user, args).await,
        "submit" => questionnaire::submit(ctx, &user, args).await,
        "reopen" => questionnaire::reopen(ctx, &user, args).await,
        "select" => review::selection_command(ctx, &user, args, true).await,
        "unselect" => review::selection_command(ctx, &user, args, false).await,
        "export" => exports::export_command(ctx, &user, args).await,
        "proposal" => exports::proposal_command(ctx, &user, args).await,
        "units" => units(ctx, chat_id, &user, args).await,
        "invite" => invite(ctx, chat_id, &user, args).await,
        "invitations" => invitations(ctx, chat_id, &user).await,
        "users" => users(ctx, chat_id, &user).await,
        "user" => change_user(ctx, chat_id, &user, args).await,
        other => {
            ctx.reply(chat_id, &texts::unknown_command(user.lang, other))
                .await
        }
    }
}

// ---- registration and account ---------------------------------------------------------------

async fn register(
    ctx: &BotContext,
    chat_id: i64,
    from: &TgUser,
    payload: &str,
    lang: Lang,
) -> HandlerResult {
    let Some(token) = InviteToken::parse(payload) else {
        return ctx.reply(chat_id, &texts::invitation_unknown(lang)).await;
    };
    let outcome = ctx
        .storage
        .register_with_invitation(&token, &profile_of(from), lang, ctx.now())
        .await?;
    match outcome {
        Ok(user) => {
            let unit = user.unit.as_ref().map(|unit| unit.name.as_str());
            let welcome = texts::registered(user.lang, &user.display_name, user.role, unit);
            // The menu first, so it is in place when the welcome arrives.
            ctx.sync_menu(&user).await?;
            ctx.reply(chat_id, &welcome).await
        }
        Err(refusal) => {
            let text = match refusal {
                InvitationRefusal::Unknown => texts::invitation_unknown(lang),
                InvitationRefusal::Expired => texts::invitation_expired(lang),
                InvitationRefusal::UsedUp => texts::invitation_used_up(lang),
                InvitationRefusal::Revoked => texts::invitation_revoked(lang),
            };
            ctx.reply(chat_id, &text).await
        }
    }
}

/// A registered person pressing Start (again, or through another invitation link) keeps their
/// role: only the bureau changes roles, with `/user`.
async fn start_registered(ctx: &BotContext, chat_id: i64, user: &User) -> HandlerResult {
    ctx.sync_menu(user).await?;
    ctx.reply(
        chat_id,
        &texts::welcome_back(user.lang, &user.display_name, user.role),
    )
    .await
}

async fn help(ctx: &BotContext, chat_id: i64, user: &User) -> HandlerResult {
    let lines: Vec<(&str, &str)> = commands::commands_for(user.role)
        .map(|info| (info.name, info.description(user.lang)))
        .collect();
    ctx.reply(chat_id, &texts::help(user.lang, user.role, &lines))
        .await
}

async fn whoami(ctx: &BotContext, chat_id: i64, user: &User) -> HandlerResult {
    let unit = user
        .unit
        .as_ref()
        .map(|unit| (unit.code.as_str(), unit.name.as_str()));
    let text = texts::whoami(
        user.lang,
        &user.display_name,
        user.telegram_id,
        user.role,
        unit,
    );
    ctx.reply(chat_id, &text).await
}

async fn language(ctx: &BotContext, chat_id: i64, user: &User, args: &str) -> HandlerResult {
    match Lang::parse(args) {
        Some(lang) => set_language(ctx, chat_id, user, lang).await,
        None => {
            let keyboard = Keyboard::new([[
                Button::callback("Bahasa Indonesia", Action::SetLanguage(Lang::Id).encode()),
                Button::callback("English", Action::SetLanguage(Lang::En).encode()),
            ]]);
            let options = SendOptions {
                keyboard: Some(keyboard),
                ..SendOptions::default()
            };
            ctx.reply_with(chat_id, &texts::choose_language(user.lang), options)
                .await
        }
    }
}

async fn set_language(ctx: &BotContext, chat_id: i64, user: &User, lang: Lang) -> HandlerResult {
    ctx.storage.set_language(user.id, lang, ctx.now()).await?;
    let updated = User {
        lang,
        ..user.clone()
    };
    ctx.sync_menu(&updated).await?;
    ctx.reply(chat_id, &texts::language_set(lang)).await
}

// ---- bureau: units, invitations, people ------------------------------------------------------

async fn units(ctx: &BotContext, chat_id: i64, user: &User, args: &str) -> HandlerResult {
    let lang = user.lang;
    let Some(rest) = args.strip_prefix("add").filter(|_| !args.is_empty()) else {
        let units: Vec<(String, String)> = ctx
            .storage
            .units()
            .await?
            .into_iter()
            .map(|unit| (unit.code, unit.name))
            .collect();
        // Dozens of units do not fit one message: the client sends it in parts.
        return ctx.reply(chat_id, &texts::units_list(lang, &units)).await;
    };
    let rest = rest.trim();
    let (raw_code, raw_name) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    let (Ok(code), Ok(name)) = (UnitCode::parse(raw_code), UnitName::parse(raw_name)) else {
        return ctx.reply(chat_id, &texts::bad_unit_input(lang)).await;
    };
    match ctx
        .storage
        .add_unit(&code, &name, Some(user.id), ctx.now())
        .await
    {
        Ok(unit) => {
            ctx.reply(chat_id, &texts::unit_added(lang, &unit.code, &unit.name))
                .await
        }
        Err(StorageError::Conflict(_)) => {
            ctx.reply(chat_id, &texts::unit_exists(lang, code.as_str()))
                .await
        }
        Err(error) => Err(error.into()),
    }
}

/// `/invite` with no arguments: a button per role. With arguments:
/// `/invite ROLE [UNIT] [USES] [LIFETIME]`.
async fn invite(ctx: &BotContext, chat_id: i64, user: &User, args: &str) -> HandlerResult {
    let lang = user.lang;
    if args.split_whitespace().next().is_none() {
        let keyboard = Keyboard::new(Role::ALL.map(|role| {
            [Button::callback(
                texts::role_name(lang, role),
                Action::InviteRole(role).encode(),
            )]
        }));
        let options = SendOptions {
            keyboard: Some(keyboard),
            ..SendOptions::default()
        };
        return ctx
            .reply_with(chat_id, &texts::invite_choose_role(lang), options)
            .await;
    }
    let Some(request) = read_invitation_request(args) else {
        return ctx.reply(chat_id, &texts::invite_usage(lang)).await;
    };
    let invited = ctx.invite(user, request, ctx.now()).await?;
    reply_invitation(ctx, chat_id, user, invited).await
}

/// Reads `ROLE [UNIT] [USES] [LIFETIME]` (the unit only for a role that needs one); `None`
/// when it does not read.
fn read_invitation_request(args: &str) -> Option<InvitationRequest> {
    let words: Vec<&str> = args.split_whitespace().collect();
    let (first, rest) = words.split_first()?;
    let role = Role::parse(first)?;
    let (unit, rest) = if role.needs_unit() {
        let code = UnitCode::parse(rest.first()?).ok()?;
        (Some(UnitRef::Code(code)), rest.get(1..).unwrap_or_default())
    } else {
        (None, rest)
    };
    if rest.len() > 2 {
        return None;
    }
    let uses = match rest.first() {
        None => 1,
        Some(raw) => raw
            .parse::<u32>()
            .ok()
            .filter(|uses| (1..=500).contains(uses))?,
    };
    let lifetime = match rest.get(1) {
        None => Lifetime::default(),
        Some(raw) => Lifetime::parse(raw).ok()?,
    };
    Some(InvitationRequest {
        role,
        unit,
        uses,
        lifetime,
    })
}

/// The new link, or why there is none.
async fn reply_invitation(
    ctx: &BotContext,
    chat_id: i64,
    user: &User,
    invited: Result<CreatedInvitation, InvitationRefused>,
) -> HandlerResult {
    let lang = user.lang;
    let text = match invited {
        Ok(created) => texts::invitation_created(
            lang,
            &created.link,
            created.role,
            created.unit.as_ref().map(|unit| unit.name.as_str()),
            created.max_uses,
            &texts::local_time(created.expires_at, ctx.timezone),
        ),
        Err(refused) => invitation_refused_text(lang, refused),
    };
    ctx.reply(chat_id, &text).await
}

fn invitation_refused_text(lang: Lang, refused: InvitationRefused) -> Html {
    match refused {
        InvitationRefused::UnknownUnit(code) => texts::unit_unknown(lang, &code),
        InvitationRefused::UnitNeeded => texts::invite_usage(lang),
        InvitationRefused::NoUnits => texts::invite_needs_units(lang),
        InvitationRefused::Stale => texts::stale_button(lang),
        InvitationRefused::Policy(_) => texts::button_not_allowed(lang).to_owned(),
    }
}

async fn invitations(ctx: &BotContext, chat_id: i64, user: &User) -> HandlerResult {
    let lang = user.lang;
    let open = match ctx.open_invitations(user, ctx.now()).await? {
        Ok(open) => open,
        Err(refused) => {
            return ctx
                .reply(chat_id, &invitation_refused_text(lang, refused))
                .await;
        }
    };
    let lines: Vec<Html> = open
        .iter()
        .map(|inv| {
            texts::invitation_line(
                lang,
                inv.id,
                inv.role,
                inv.unit_code.as_deref(),
                inv.uses,
                inv.max_uses,
                &texts::local_time(inv.expires_at, ctx.timezone),
            )
        })
        .collect();
    let buttons: Vec<Vec<Button>> = open
        .iter()
        .take(50)
        .map(|inv| {
            vec![Button::callback(
                texts::revoke_button(lang, inv.id),
                Action::RevokeInvitation(inv.id).encode(),
            )]
        })
        .collect();
    let options = SendOptions {
        keyboard: (!buttons.is_empty()).then(|| Keyboard::new(buttons)),
        ..SendOptions::default()
    };
    // Many open invitations do not fit one message: the client sends it in parts, the buttons
    // under the last one.
    ctx.reply_with(chat_id, &texts::invitations_list(lang, &lines), options)
        .await
}

async fn users(ctx: &BotContext, chat_id: i64, user: &User) -> HandlerResult {
    let lines: Vec<Html> = ctx
        .storage
        .users(None)
        .await?
        .iter()
        .map(|person| {
            texts::user_line(
                user.lang,
                &person.display_name,
                person.telegram_id,
                person.role,
                person.unit.as_ref().map(|unit| unit.code.as_str()),
                person.active,
            )
        })
        .collect();
    // A long list goes out in several messages (the client splits it).
    ctx.reply(chat_id, texts::users_list(user.lang, &lines))
        .await
}

/// `/user ID role ROLE [UNIT]`, `/user ID unit UNIT`, `/user ID deactivate|activate`.
async fn change_user(ctx: &BotContext, chat_id: i64, actor: &User, args: &str) -> HandlerResult {
    let lang = actor.lang;
    let words: Vec<&str> = args.split_whitespace().collect();
    let [handle, action, rest @ ..] = words.as_slice() else {
        return ctx.reply(chat_id, &texts::user_usage(lang)).await;
    };
    let Some(target) = ctx.storage.find_user(handle).await? else {
        return ctx.reply(chat_id, &texts::user_unknown(lang, handle)).await;
    };
    if target.id == actor.id {
        return ctx.reply(chat_id, &texts::cannot_change_self(lang)).await;
    }
    let now = ctx.now();
    let (role, unit_code) = match (action.to_ascii_lowercase().as_str(), rest) {
        ("role", [role]) => (Role::parse(role), None),
        ("role", [role, unit]) => (Role::parse(role), Some(*unit)),
        ("unit", [unit]) => (Some(target.role), Some(*unit)),
        ("deactivate" | "nonaktifkan", []) | ("activate" | "aktifkan", []) => {
            let active = matches!(*action, "activate" | "aktifkan");
            ctx.storage
                .set_active(actor.id, target.id, active, now)
                .await?;
            return report_user_change(ctx, chat_id, actor, target.id).await;
        }
        _ => return ctx.reply(chat_id, &texts::user_usage(lang)).await,
    };
    let Some(role) = role else {
        return ctx.reply(chat_id, &texts::user_usage(lang)).await;
    };
    let unit_id = match unit_code {
        None => target.unit.as_ref().map(|unit| unit.id),
        Some(raw) => {
            let Ok(code) = UnitCode::parse(raw) else {
                return ctx.reply(chat_id, &texts::unit_unknown(lang, raw)).await;
            };
            let Some(unit) = ctx.storage.unit_by_code(&code).await? else {
                return ctx.reply(chat_id, &texts::unit_unknown(lang, raw)).await;
            };
            Some(unit.id)
        }
    };
    if role.needs_unit() && unit_id.is_none() {
        return ctx.reply(chat_id, &texts::user_usage(lang)).await;
    }
    ctx.storage
        .set_role(actor.id, target.id, role, unit_id, now)
        .await?;
    report_user_change(ctx, chat_id, actor, target.id).await
}

async fn report_user_change(
    ctx: &BotContext,
    chat_id: i64,
    actor: &User,
    target_id: i64,
) -> HandlerResult {
    let Some(target) = ctx.storage.user_by_id(target_id).await? else {
        return Ok(());
    };
    let unit = target.unit.as_ref().map(|unit| unit.code.as_str());
    let text = texts::user_updated(
        actor.lang,
        &target.display_name,
        target.role,
        unit,
        target.active,
    );
    ctx.sync_menu(&target).await?;
    ctx.reply(chat_id, &text).await?;
    if target.active {
        let note = texts::your_role_changed(target.lang, target.role, unit);
        // The person may never have opened the chat; the change stands either way.
        if let Err(error) = ctx.reply(target.telegram_id, &note).await {
            tracing::info!(%error, "could not tell a person about their new role");
        }
    }
    Ok(())
}

// ---- buttons ---------------------------------------------------------------------------------

async fn handle_callback(
    update: &Update,
    query: &CallbackQuery,
    ctx: &BotContext,
) -> HandlerResult {
    let update_id = i64::from(update.id.0);
    let telegram_id = query.from.id.0 as i64;
    let session = active_session(ctx, telegram_id).await?;
    let Some(Session { user, pending }) = session else {
        let lang = texts::lang_of_stranger(query.from.language_code.as_deref());
        // A button's notification is plain text; these texts hold no markup.
        ctx.telegram
            .answer_callback(&query.id.0, Some(texts::stranger(lang).as_str()))
            .await?;
        return Ok(());
    };
    let action = query.data.as_deref().and_then(Action::parse);
    let Some(action) = action else {
        ctx.telegram
            .answer_callback(&query.id.0, Some(texts::stale_button(user.lang).as_str()))
            .await?;
        return Ok(());
    };
    // The chat to answer in is the presser's private chat, never one taken from the payload.
    let chat_id = telegram_id;
    // Answer first: the phone stops its spinner whatever happens next.
    ctx.telegram.answer_callback(&query.id.0, None).await?;
    let message_id = query.message.as_ref().map(|message| message.id().0);
    let pressed = questionnaire::Pressed {
        update_id,
        message_id,
        pending,
    };
    let result = handle_action(ctx, chat_id, &user, action, pressed).await;
    if let Err(error) = result {
        tracing::error!(%error, chat_id, "button handling failed");
        ctx.reply(chat_id, &texts::internal_error(user.lang))
            .await?;
    }
    Ok(())
}

async fn handle_action(
    ctx: &BotContext,
    chat_id: i64,
    user: &User,
    action: Action,
    pressed: questionnaire::Pressed,
) -> HandlerResult {
    if !policy::allows(user.role, action.capability()) {
        return ctx
            .reply(chat_id, texts::button_not_allowed(user.lang))
            .await;
    }
    match action {
        Action::SetLanguage(lang) => set_language(ctx, chat_id, user, lang).await,
        Action::InviteRole(role) => match ctx.invite_role(user, role, ctx.now()).await? {
            Ok(RoleChosen::Created(created)) => {
                reply_invitation(ctx, chat_id, user, Ok(created)).await
            }
            Ok(RoleChosen::ChooseUnit(units)) => {
                let buttons: Vec<Vec<Button>> = units
                    .into_iter()
                    .map(|unit| {
                        vec![Button::callback(
                            format!("{} — {}", unit.code, unit.name),
                            Action::InviteUnit {
                                role,
                                unit_id: unit.id,
                            }
                            .encode(),
                        )]
                    })
                    .collect();
                let options = SendOptions {
                    keyboard: Some(Keyboard::new(buttons)),
                    ..SendOptions::default()
                };
                ctx.reply_with(
                    chat_id,
                    &texts::invite_choose_unit(user.lang, role),
                    options,
                )
                .await
            }
            Err(refused) => reply_invitation(ctx, chat_id, user, Err(refused)).await,
        },
        Action::InviteUnit { role, unit_id } => {
            let request = InvitationRequest::single(role, Some(UnitRef::Id(unit_id)));
            let invited = ctx.invite(user, request, ctx.now()).await?;
            reply_invitation(ctx, chat_id, user, invited).await
        }
        Action::RevokeInvitation(id) => {
            let text = match ctx.revoke_invitation(user, id, ctx.now()).await? {
                Ok(id) => texts::invitation_revoked_ok(user.lang, id),
                Err(refused) => invitation_refused_text(user.lang, refused),
            };
            ctx.reply(chat_id, &text).await
        }
        Action::Broadcast { id, step } => {
            outreach::on_broadcast_step(ctx, user, id, step, pressed.message_id).await
        }
        action @ (Action::Approve(_)
        | Action::SendBack(_)
        | Action::CommentOn { .. }
        | Action::SendComments(_)
        | Action::CancelSendBack(_)
        | Action::Select(_)
        | Action::Unselect(_)) => review::on_action(ctx, user, action).await,
        action @ (Action::Export(_) | Action::Proposal(_)) => {
            exports::on_action(ctx, user, action).await
        }
        questionnaire_action => {
            questionnaire::on_action(ctx, user, questionnaire_action, pressed).await
        }
    }
}

/// `/cancel`: drops a broadcast being composed, or pauses the questionnaire.
async fn cancel(ctx: &BotContext, user: &User) -> HandlerResult {
    if outreach::cancel_broadcast_draft(ctx, user).await? {
        return ctx
            .reply(user.telegram_id, texts::broadcast_cancelled(user.lang))
            .await;
    }
    questionnaire::pause(ctx, user).await
}

/// Reads a message as an answer: text, a shared contact, a file, or something else by name.
fn user_input(message: &Message) -> UserInput {
    let common = match &message.kind {
        MessageKind::Common(common) => common,
        MessageKind::Dice(_) => return UserInput::Other("dice"),
        _ => return UserInput::Other("message"),
    };
    let file = |id: &teloxide::types::FileMeta, meta: FileMeta| UserInput::File {
        file_id: id.id.0.clone(),
        unique_id: id.unique_id.0.clone(),
        meta,
    };
    match &common.media_kind {
        MediaKind::Text(text) => UserInput::Text(text.text.clone()),
        MediaKind::Contact(contact) => UserInput::Contact {
            phone: contact.contact.phone_number.clone(),
            first_name: contact.contact.first_name.clone(),
            last_name: contact.contact.last_name.clone(),
        },
        MediaKind::Document(document) => file(
            &document.document.file,
            FileMeta {
                kind: FileKind::Document,
                mime: document
                    .document
                    .mime_type
                    .as_ref()
                    .map(ToString::to_string),
                size: Some(u64::from(document.document.file.size)),
                name: document.document.file_name.clone(),
            },
        ),
        MediaKind::Photo(photo) => match photo
            .photo
            .iter()
            .max_by_key(|size| size.width.saturating_mul(size.height))
        {
            Some(largest) => file(
                &largest.file,
                FileMeta {
                    kind: FileKind::Photo,
                    mime: Some("image/jpeg".into()),
                    size: Some(u64::from(largest.file.size)),
                    name: None,
                },
            ),
            None => UserInput::Other("photo"),
        },
        MediaKind::Video(video) => file(
            &video.video.file,
            FileMeta {
                kind: FileKind::Video,
                mime: video.video.mime_type.as_ref().map(ToString::to_string),
                size: Some(u64::from(video.video.file.size)),
                name: video.video.file_name.clone(),
            },
        ),
        MediaKind::Audio(audio) => file(
            &audio.audio.file,
            FileMeta {
                kind: FileKind::Audio,
                mime: audio.audio.mime_type.as_ref().map(ToString::to_string),
                size: Some(u64::from(audio.audio.file.size)),
                name: audio.audio.file_name.clone(),
            },
        ),
        MediaKind::Sticker(_) => UserInput::Other("sticker"),
        MediaKind::Voice(_) => UserInput::Other("voice"),
        MediaKind::VideoNote(_) => UserInput::Other("video_note"),
        MediaKind::Location(_) => UserInput::Other("location"),
        MediaKind::Venue(_) => UserInput::Other("venue"),
        MediaKind::Animation(_) => UserInput::Other("animation"),
        MediaKind::Poll(_) => UserInput::Other("poll"),
        MediaKind::Game(_) => UserInput::Other("game"),
        _ => UserInput::Other("message"),
    }
}
