//! Deadlines, status, digests on demand and broadcasts: how the bureau reaches people.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

use super::{
    BotContext, BotError,
    callbacks::{Action, BroadcastStep},
    texts::{self, Html},
};
use crate::{
    campaign::days_left,
    digest,
    domain::{Audience, InnovationState, Role, UnitCode},
    policy::{self, Capability, Reach},
    storage::{Broadcast, BroadcastStatus, NewMessage, OutboxSource, User},
    telegram::{Button, Keyboard, SendOptions},
};

type HandlerResult = Result<(), BotError>;

/// Reads "2026-06-03 23:59", "2026-06-03T23:59", "03-06-2026 23:59" or a date alone (23:59 that
/// day) as a local time in the bot's time zone.
pub fn parse_local_deadline(raw: &str, timezone: chrono_tz::Tz) -> Option<DateTime<Utc>> {
    let raw = raw.trim();
    let naive = [
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
        "%d-%m-%Y %H:%M",
        "%d/%m/%Y %H:%M",
    ]
    .iter()
    .find_map(|format| NaiveDateTime::parse_from_str(raw, format).ok())
    .or_else(|| {
        ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]
            .iter()
            .find_map(|format| NaiveDate::parse_from_str(raw, format).ok())
            .and_then(|date| date.and_hms_opt(23, 59, 0))
    })?;
    naive
        .and_local_timezone(timezone)
        .earliest()
        .map(|at| at.with_timezone(&Utc))
}

/// `/deadline [UNIT] DATE TIME`, `/deadline UNIT clear`, or `/deadline` to see them.
pub async fn deadline(ctx: &BotContext, user: &User, args: &str) -> HandlerResult {
    let lang = user.lang;
    let args = args.trim();
    if args.is_empty() {
        return status(ctx, user).await;
    }
    let (first, rest) = args.split_once(char::is_whitespace).unwrap_or((args, ""));
    let starts_with_date = first.chars().next().is_some_and(|c| c.is_ascii_digit());
    if starts_with_date {
        let Some(at) = parse_local_deadline(args, ctx.timezone) else {
            return ctx
                .reply(user.telegram_id, texts::deadline_usage(lang))
                .await;
        };
        ctx.storage
            .set_campaign_deadline(at, Some(user.id), ctx.now())
            .await?;
        let text = texts::deadline_set(
            lang,
            texts::everyone(lang),
            &texts::local_time(at, ctx.timezone),
        );
        return ctx.reply(user.telegram_id, &text).await;
    }
    let unit = match UnitCode::parse(first) {
        Ok(code) => ctx.storage.unit_by_code(&code).await?,
        Err(_) => None,
    };
    let Some(unit) = unit else {
        return ctx
            .reply(user.telegram_id, &texts::unit_unknown(lang, first))
            .await;
    };
    if matches!(
        rest.trim().to_lowercase().as_str(),
        "clear" | "hapus" | "umum"
    ) {
        ctx.storage
            .set_unit_deadline(unit.id, None, Some(user.id), ctx.now())
            .await?;
        return ctx
            .reply(user.telegram_id, &texts::deadline_cleared(lang, &unit.name))
            .await;
    }
    let Some(at) = parse_local_deadline(rest, ctx.timezone) else {
        return ctx
            .reply(user.telegram_id, texts::deadline_usage(lang))
            .await;
    };
    ctx.storage
        .set_unit_deadline(unit.id, Some(at), Some(user.id), ctx.now())
        .await?;
    let text = texts::deadline_set(lang, &unit.name, &texts::local_time(at, ctx.timezone));
    ctx.reply(user.telegram_id, &text).await
}

/// `/status`: the deadline that applies to the person (for the bureau: the general one and
/// every unit's own), and the days left.
pub async fn status(ctx: &BotContext, user: &User) -> HandlerResult {
    let lang = user.lang;
    let now = ctx.now();
    let line = |deadline: Option<DateTime<Utc>>| {
        let at = deadline.map(|at| texts::local_time(at, ctx.timezone));
        texts::deadline_line(lang, at.as_deref(), deadline.map(|at| days_left(now, at)))
    };
    let mut lines = Vec::new();
    match policy::reach(user) {
        Reach::Everything => {
            lines.push(texts::scoped_deadline(
                texts::everyone(lang),
                &line(ctx.deadline_for(None).await?),
            ));
            for unit in ctx.storage.units().await? {
                if unit.deadline().is_some() {
                    lines.push(texts::scoped_deadline(&unit.code, &line(unit.deadline())));
                }
            }
            lines.push(Html::empty());
            lines.push(texts::deadline_usage(lang));
        }
        _ => {
            let deadline = ctx.deadline_for(user.unit.as_ref()).await?;
            lines.push(line(deadline));
        }
    }
    ctx.reply(user.telegram_id, Html::join(&lines, "\n")).await
}

/// `/digest`: the same digest the scheduler sends every morning, now.
pub async fn digest_now(ctx: &BotContext, user: &User, stale_days: u32) -> HandlerResult {
    let now = ctx.now();
    match (policy::reach(user), &user.unit) {
        (Reach::Everything, _) => {
            let (text, chart) = digest::agency_digest(ctx, user.lang, now, stale_days).await?;
            if let Some(png) = chart {
                ctx.telegram
                    .send_photo(user.telegram_id, "kemajuan-kipp.png", png, None)
                    .await?;
            }
            ctx.reply(user.telegram_id, text).await
        }
        (_, Some(unit)) => {
            let text = digest::unit_digest(ctx, unit, user.lang, now, stale_days).await?;
            ctx.reply(user.telegram_id, text).await
        }
        (_, None) => ctx.reply(user.telegram_id, texts::no_unit(user.lang)).await,
    }
}

// ---- broadcasts ------------------------------------------------------------------------------

/// `/broadcast`: starts composing; the next message is the announcement.
pub async fn start_broadcast(ctx: &BotContext, user: &User) -> HandlerResult {
    ctx.storage.start_broadcast(user.id, ctx.now()).await?;
    ctx.reply(user.telegram_id, texts::broadcast_ask_text(user.lang))
        .await
}

/// A bureau member's message while a broadcast waits for its text. Returns false when no
/// broadcast is being composed (the message is something else).
pub async fn take_broadcast_text(
    ctx: &BotContext,
    user: &User,
    text: &str,
) -> Result<bool, BotError> {
    if !policy::allows(user.role, Capability::RunCampaign) {
        return Ok(false);
    }
    let Some(draft) = ctx.storage.draft_broadcast(user.id).await? else {
        return Ok(false);
    };
    if draft.status != BroadcastStatus::Composing {
        return Ok(false);
    }
    // Telegram counts a message's length in UTF-16 units; the headings must fit beside it.
    let count = text.encode_utf16().count();
    if count > texts::MAX_BROADCAST_CHARS {
        ctx.reply(
            user.telegram_id,
            &texts::broadcast_too_long(user.lang, count),
        )
        .await?;
        return Ok(true);
    }
    ctx.storage
        .update_broadcast_draft(draft.id, BroadcastStatus::Audience, Some(text), None)
        .await?;
    let keyboard = audience_keyboard(user, draft.id);
    let options = SendOptions {
        keyboard: Some(keyboard),
        ..SendOptions::default()
    };
    ctx.reply_with(
        user.telegram_id,
        texts::broadcast_choose_audience(user.lang),
        options,
    )
    .await?;
    Ok(true)
}

fn audience_keyboard(user: &User, id: i64) -> Keyboard {
    let lang = user.lang;
    let button = |label: &str, step| {
        Button::callback(label.to_owned(), Action::Broadcast { id, step }.encode())
    };
    Keyboard::new([
        vec![button(
            texts::audience_everyone(lang),
            BroadcastStep::Everyone,
        )],
        vec![button(
            texts::audience_units(lang),
            BroadcastStep::PickUnits,
        )],
        vec![button(
            texts::audience_incomplete(lang),
            BroadcastStep::Incomplete,
        )],
        vec![button(
            texts::audience_coordinators(lang),
            BroadcastStep::Coordinators,
        )],
        vec![button(texts::button_cancel(lang), BroadcastStep::Cancel)],
    ])
}

/// `/cancel`: drops a broadcast being composed.
pub async fn cancel_broadcast_draft(ctx: &BotContext, user: &User) -> Result<bool, BotError> {
    match ctx.storage.draft_broadcast(user.id).await? {
        Some(draft) => Ok(ctx.storage.cancel_broadcast(draft.id).await?),
        None => Ok(false),
    }
}

pub async fn on_broadcast_step(
    ctx: &BotContext,
    user: &User,
    id: i64,
    step: BroadcastStep,
    message_id: Option<i32>,
) -> HandlerResult {
    let lang = user.lang;
    let draft = ctx
        .storage
        .broadcast(id)
        .await?
        .filter(|draft| draft.author_user_id == user.id);
    let Some(draft) = draft.filter(|draft| {
        matches!(
            draft.status,
            BroadcastStatus::Audience | BroadcastStatus::Preview
        )
    }) else {
        return ctx.reply(user.telegram_id, texts::stale_button(lang)).await;
    };
    let audience = match step {
        BroadcastStep::Cancel => {
            ctx.storage.cancel_broadcast(id).await?;
            return ctx
                .reply(user.telegram_id, texts::broadcast_cancelled(lang))
                .await;
        }
        BroadcastStep::Send => return send_broadcast(ctx, user, &draft).await,
        BroadcastStep::Everyone => Audience::Everyone,
        BroadcastStep::Incomplete => Audience::Incomplete,
        BroadcastStep::Coordinators => Audience::Coordinators,
        BroadcastStep::PickUnits => {
            return pick_units(ctx, user, &draft, Vec::new(), None).await;
        }
        BroadcastStep::ToggleUnit(unit) => {
            let mut units = match draft.audience.clone() {
                Some(Audience::Units { units }) => units,
                _ => Vec::new(),
            };
            if let Some(at) = units.iter().position(|u| *u == unit) {
                units.remove(at);
            } else if ctx.storage.unit_by_id(unit).await?.is_some() {
                units.push(unit);
            }
            return pick_units(ctx, user, &draft, units, message_id).await;
        }
        BroadcastStep::UnitsDone => match draft.audience.clone() {
            Some(audience @ Audience::Units { .. }) => audience,
            _ => return pick_units(ctx, user, &draft, Vec::new(), None).await,
        },
    };
    preview(ctx, user, &draft, audience).await
}

async fn pick_units(
    ctx: &BotContext,
    user: &User,
    draft: &Broadcast,
    units: Vec<i64>,
    message_id: Option<i32>,
) -> HandlerResult {
    let lang = user.lang;
    let audience = Audience::Units {
        units: units.clone(),
    };
    ctx.storage
        .update_broadcast_draft(draft.id, BroadcastStatus::Audience, None, Some(&audience))
        .await?;
    let mut rows: Vec<Vec<Button>> = ctx
        .storage
        .units()
        .await?
        .into_iter()
        .take(90)
        .map(|unit| {
            let mark = if units.contains(&unit.id) {
                "☑️"
            } else {
                "⬜"
            };
            vec![Button::callback(
                format!("{mark} {}", unit.code),
                Action::Broadcast {
                    id: draft.id,
                    step: BroadcastStep::ToggleUnit(unit.id),
                }
                .encode(),
            )]
        })
        .collect();
    rows.push(vec![
        Button::callback(
            texts::button_done(lang),
            Action::Broadcast {
                id: draft.id,
                step: BroadcastStep::UnitsDone,
            }
            .encode(),
        ),
        Button::callback(
            texts::button_cancel(lang),
            Action::Broadcast {
                id: draft.id,
                step: BroadcastStep::Cancel,
            }
            .encode(),
        ),
    ]);
    let keyboard = Keyboard::new(rows);
    match message_id {
        Some(message_id) => {
            ctx.telegram
                .edit_text(
                    user.telegram_id,
                    message_id,
                    &texts::broadcast_choose_units(lang),
                    Some(keyboard),
                )
                .await?;
            Ok(())
        }
        None => {
            let options = SendOptions {
                keyboard: Some(keyboard),
                ..SendOptions::default()
            };
            ctx.reply_with(
                user.telegram_id,
                texts::broadcast_choose_units(lang),
                options,
            )
            .await
        }
    }
}

async fn preview(
    ctx: &BotContext,
    user: &User,
    draft: &Broadcast,
    audience: Audience,
) -> HandlerResult {
    let lang = user.lang;
    let recipients = recipients(ctx, &audience).await?;
    if recipients.is_empty() {
        ctx.storage
            .update_broadcast_draft(draft.id, BroadcastStatus::Audience, None, Some(&audience))
            .await?;
        let options = SendOptions {
            keyboard: Some(audience_keyboard(user, draft.id)),
            ..SendOptions::default()
        };
        return ctx
            .reply_with(
                user.telegram_id,
                texts::broadcast_no_recipients(lang),
                options,
            )
            .await;
    }
    ctx.storage
        .update_broadcast_draft(draft.id, BroadcastStatus::Preview, None, Some(&audience))
        .await?;
    let body = draft.body.clone().unwrap_or_default();
    let keyboard = Keyboard::new([[
        Button::callback(
            texts::button_send(lang),
            Action::Broadcast {
                id: draft.id,
                step: BroadcastStep::Send,
            }
            .encode(),
        ),
        Button::callback(
            texts::button_cancel(lang),
            Action::Broadcast {
                id: draft.id,
                step: BroadcastStep::Cancel,
            }
            .encode(),
        ),
    ]]);
    let options = SendOptions {
        keyboard: Some(keyboard),
        ..SendOptions::default()
    };
    let text = texts::broadcast_preview(lang, &body, recipients.len());
    ctx.reply_with(user.telegram_id, text, options).await
}

/// Active people an audience covers (a person appears once).
pub async fn recipients(ctx: &BotContext, audience: &Audience) -> Result<Vec<User>, BotError> {
    let everyone: Vec<User> = ctx
        .storage
        .users(None)
        .await?
        .into_iter()
        .filter(|user| user.active)
        .collect();
    let unit_of = |user: &User| user.unit.as_ref().map(|unit| unit.id);
    Ok(match audience {
        Audience::Everyone => everyone,
        Audience::Coordinators => everyone
            .into_iter()
            .filter(|user| user.role == Role::Coordinator)
            .collect(),
        Audience::Units { units } => everyone
            .into_iter()
            .filter(|user| unit_of(user).is_some_and(|unit| units.contains(&unit)))
            .collect(),
        Audience::Incomplete => {
            let mut lagging = Vec::new();
            for unit in ctx.storage.units().await? {
                let innovations = ctx.storage.innovations(Some(unit.id)).await?;
                let mut incomplete = innovations.is_empty();
                for innovation in &innovations {
                    if !matches!(
                        innovation.state,
                        InnovationState::Draft | InnovationState::Returned
                    ) {
                        continue;
                    }
                    if let Some(snapshot) = ctx.snapshot(innovation.id).await?
                        && !ctx.dialog.missing(&snapshot.progress).is_empty()
                    {
                        incomplete = true;
                    }
                }
                if incomplete {
                    lagging.push(unit.id);
                }
            }
            everyone
                .into_iter()
                .filter(|user| {
                    user.role == Role::Staff && unit_of(user).is_some_and(|u| lagging.contains(&u))
                })
                .collect()
        }
    })
}

async fn send_broadcast(ctx: &BotContext, user: &User, draft: &Broadcast) -> HandlerResult {
    let lang = user.lang;
    let Some(audience) = draft.audience.clone() else {
        return ctx.reply(user.telegram_id, texts::stale_button(lang)).await;
    };
    let body = draft.body.clone().unwrap_or_default();
    let people = recipients(ctx, &audience).await?;
    let messages: Vec<NewMessage> = people
        .iter()
        .map(|person| NewMessage {
            chat_id: person.telegram_id,
            body: texts::broadcast_message(person.lang, &body).into_string(),
            photo: None,
            keyboard: None,
            source: OutboxSource::Broadcast,
            broadcast_id: Some(draft.id),
        })
        .collect();
    if !ctx
        .storage
        .queue_broadcast(draft.id, user.id, &messages, ctx.now())
        .await?
    {
        return ctx.reply(user.telegram_id, texts::stale_button(lang)).await;
    }
    let counts = crate::storage::DeliveryCounts {
        pending: u32::try_from(messages.len()).unwrap_or(u32::MAX),
        ..Default::default()
    };
    let progress = ctx
        .telegram
        .send_text(
            user.telegram_id,
            &texts::broadcast_progress(lang, draft.id, counts, messages.len() as i64),
            SendOptions::default(),
        )
        .await?;
    ctx.storage
        .set_broadcast_progress_message(draft.id, i64::from(progress.id.0))
        .await?;
    ctx.outbox_wake.notify_one();
    Ok(())
}
