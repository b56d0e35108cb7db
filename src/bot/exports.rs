//! `/export` and `/proposal`: read-only exports scoped by role (the bureau: every unit; a
//! coordinator: their own unit; `/proposal` like `/review`), each recorded in the audit log.
//! Files over Telegram's upload limit stay on the server and the person is told where.

use super::{BotContext, BotError, callbacks::Action, questionnaire::permitted, texts};
use crate::{
    domain::InnovationState,
    export::{ExportSet, Format},
    exporting::{self, Scope},
    policy::{self, Act, Capability, Reach},
    storage::{ExportRequest, User},
    telegram::{Button, Keyboard, SendOptions},
};

type HandlerResult = Result<(), BotError>;

/// What the person may export: their [reach](crate::policy::reach), if their role exports at
/// all (the bureau: every unit; a coordinator: their own).
fn scope_of(user: &User) -> Option<Scope> {
    if !policy::allows(user.role, Capability::Review) {
        return None;
    }
    match (policy::reach(user), &user.unit) {
        (Reach::Everything, _) => Some(Scope::default()),
        (Reach::Unit(id), Some(unit)) => Some(Scope {
            unit: Some((id, unit.code.clone())),
            state: None,
        }),
        _ => None,
    }
}

fn scope_label(user: &User, scope: &Scope) -> String {
    let mut label = match (&scope.unit, &user.unit) {
        (Some(_), Some(unit)) => unit.name.clone(),
        _ => texts::all_units(user.lang).to_owned(),
    };
    if let Some(state) = scope.state {
        label.push_str(&format!(" ({})", texts::state_name(user.lang, state)));
    }
    label
}

/// `/export [format] [state]`: without a format, buttons to choose one.
pub async fn export_command(ctx: &BotContext, user: &User, args: &str) -> HandlerResult {
    let lang = user.lang;
    let Some(mut scope) = scope_of(user) else {
        return ctx
            .reply(user.telegram_id, &texts::not_allowed(lang, "export"))
            .await;
    };
    let mut format = None;
    for word in args.split_whitespace() {
        if let (None, Some(parsed)) = (format, Format::parse(word)) {
            format = Some(parsed);
        } else if let (None, Some(state)) = (scope.state, InnovationState::parse(word)) {
            scope.state = Some(state);
        } else {
            return ctx.reply(user.telegram_id, texts::export_usage(lang)).await;
        }
    }
    match format {
        Some(format) => run_export(ctx, user, format, scope).await,
        None => {
            let rows = Format::ALL.map(|format| {
                [Button::callback(
                    texts::export_button(lang, format),
                    Action::Export(format).encode(),
                )]
            });
            let options = SendOptions {
                keyboard: Some(Keyboard::new(rows)),
                ..SendOptions::default()
            };
            let text = texts::export_choose(lang, &scope_label(user, &scope));
            ctx.reply_with(user.telegram_id, &text, options).await
        }
    }
}

/// Export and proposal buttons; the role is checked again on every press.
pub async fn on_action(ctx: &BotContext, user: &User, action: Action) -> HandlerResult {
    match action {
        Action::Export(format) => match scope_of(user) {
            Some(scope) => run_export(ctx, user, format, scope).await,
            None => {
                ctx.reply(user.telegram_id, &texts::not_allowed(user.lang, "export"))
                    .await
            }
        },
        Action::Proposal(id) => send_proposal(ctx, user, id).await,
        _ => Ok(()),
    }
}

async fn export_set(
    ctx: &BotContext,
    user: &User,
    scope: &Scope,
    innovation_id: Option<i64>,
) -> Result<ExportSet, BotError> {
    Ok(ctx
        .storage
        .export_set(&ExportRequest {
            dialog: &ctx.dialog,
            timezone: ctx.timezone,
            evidence_dir: &ctx.evidence_dir,
            unit_id: scope.unit_id(),
            state: scope.state,
            innovation_id,
            lang: user.lang,
            now: ctx.now(),
        })
        .await?)
}

async fn run_export(ctx: &BotContext, user: &User, format: Format, scope: Scope) -> HandlerResult {
    let lang = user.lang;
    ctx.reply(user.telegram_id, texts::export_working(lang))
        .await?;
    let set = export_set(ctx, user, &scope, None).await?;
    let count = set.innovations.len();
    let file_name = exporting::file_name(format, &set, &scope);
    // Each export gets its own folder on the server; it is removed once the file is sent.
    let folder = exporting::exports_dir(&ctx.evidence_dir).join(format!(
        "{}-{}-{:08x}",
        set.generated_at.format("%Y%m%d-%H%M%S"),
        user.telegram_id,
        rand::random::<u32>()
    ));
    let path = folder.join(&file_name);
    let dialog = ctx.dialog.clone();
    let written = {
        let path = path.clone();
        tokio::task::spawn_blocking(move || {
            exporting::write_file(format, &set, &dialog, lang, &path)
        })
        .await
    };
    match written {
        Ok(Ok(())) => {}
        Ok(Err(error)) => {
            tracing::error!(%error, "export failed");
            let _ = std::fs::remove_dir_all(&folder);
            return ctx
                .reply(user.telegram_id, texts::internal_error(lang))
                .await;
        }
        Err(error) => {
            tracing::error!(%error, "export task failed");
            let _ = std::fs::remove_dir_all(&folder);
            return ctx
                .reply(user.telegram_id, texts::internal_error(lang))
                .await;
        }
    }
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    ctx.storage
        .record_audit(
            ctx.now(),
            Some(user.id),
            "export",
            &scope.describe(),
            &format!("format={} bytes={size}", exporting::format_name(format)),
        )
        .await?;
    if !exporting::fits_telegram(size) {
        let megabytes = size.div_ceil(1024 * 1024);
        tracing::info!(path = %path.display(), size, "export too large for Telegram; kept on the server");
        return ctx
            .reply(
                user.telegram_id,
                &texts::export_too_large(lang, &path.display().to_string(), megabytes),
            )
            .await;
    }
    let bytes = match tokio::fs::read(&path).await {
        Ok(bytes) => bytes,
        Err(error) => {
            tracing::error!(%error, "cannot read the written export");
            return ctx
                .reply(user.telegram_id, texts::internal_error(lang))
                .await;
        }
    };
    let caption = texts::export_caption(lang, &scope_label(user, &scope), count);
    let sent = ctx
        .telegram
        .send_document(user.telegram_id, &file_name, bytes, Some(&caption))
        .await;
    let _ = std::fs::remove_dir_all(&folder);
    sent?;
    Ok(())
}

/// `/proposal N`: the proposal draft of one innovation, as DOCX and Markdown.
pub async fn proposal_command(ctx: &BotContext, user: &User, args: &str) -> HandlerResult {
    match args.trim().trim_start_matches('#').parse::<i64>() {
        Ok(id) => send_proposal(ctx, user, id).await,
        Err(_) => {
            ctx.reply(user.telegram_id, texts::proposal_usage(user.lang))
                .await
        }
    }
}

async fn send_proposal(ctx: &BotContext, user: &User, id: i64) -> HandlerResult {
    let lang = user.lang;
    let Some(innovation) = ctx.storage.innovation(id).await? else {
        return ctx
            .reply(user.telegram_id, texts::innovation_not_found(lang))
            .await;
    };
    if !permitted(ctx, user, Act::View, &innovation).await? {
        return Ok(());
    }
    let scope = Scope {
        unit: Some((innovation.unit_id, innovation.unit_code.clone())),
        state: None,
    };
    let set = export_set(ctx, user, &scope, Some(id)).await?;
    let Some(record) = set.innovations.into_iter().find(|record| record.id == id) else {
        return ctx
            .reply(user.telegram_id, texts::innovation_not_found(lang))
            .await;
    };
    // Writing the documents is CPU work: on a blocking thread, off the runtime's one thread.
    let dialog = ctx.dialog.clone();
    let drafted =
        tokio::task::spawn_blocking(move || exporting::proposal_files(&record, &dialog, lang))
            .await;
    let files = match drafted {
        Ok(Ok(files)) => files,
        Ok(Err(error)) => {
            tracing::error!(%error, "proposal draft failed");
            return ctx
                .reply(user.telegram_id, texts::internal_error(lang))
                .await;
        }
        Err(error) => {
            tracing::error!(%error, "proposal draft task failed");
            return ctx
                .reply(user.telegram_id, texts::internal_error(lang))
                .await;
        }
    };
    ctx.storage
        .record_audit(
            ctx.now(),
            Some(user.id),
            "export",
            &format!("innovation={id}"),
            "format=proposal",
        )
        .await?;
    let caption = texts::proposal_caption(lang, id);
    for (name, bytes) in files {
        ctx.telegram
            .send_document(user.telegram_id, &name, bytes, Some(&caption))
            .await?;
    }
    Ok(())
}
