//! Deadlines, status, digests on demand and broadcasts: how the bureau reaches people. The use
//! cases are the application's (`app::deadlines`, `app::broadcasts`); this reads the command or
//! the button into a call and shows the outcome.

use chrono::{DateTime, Utc};

use super::{
    BotContext, BotError,
    callbacks::{Action, BroadcastStep},
    texts::{self, Html},
};
use crate::{
    app::{
        BroadcastText, ComposeStep, Composed, DeadlineChange, DeadlineChanged, DeadlineRefused,
        DeadlineView, parse_local_deadline,
    },
    campaign::days_left,
    digest,
    policy::{self, Reach},
    storage::{DeliveryCounts, Unit, User},
    telegram::{Button, Keyboard, SendOptions},
};

type HandlerResult = Result<(), BotError>;

/// `/deadline units|close DATE TIME` (or `clear`), `/deadline UNIT DATE TIME`,
/// `/deadline UNIT clear`, `/deadline DATE TIME` (the units' deadline), or `/deadline` to see
/// them.
pub async fn deadline(ctx: &BotContext, user: &User, args: &str) -> HandlerResult {
    let lang = user.lang;
    let args = args.trim();
    if args.is_empty() {
        return status(ctx, user).await;
    }
    let Some(change) = read_deadline_change(args, ctx.timezone) else {
        return ctx
            .reply(user.telegram_id, texts::deadline_usage(lang))
            .await;
    };
    let reset = matches!(
        change,
        DeadlineChange::Units(None) | DeadlineChange::NationalClose(None)
    );
    let local = |at: DateTime<Utc>| texts::local_time(at, ctx.timezone);
    let text = match ctx.set_deadline(user, change, ctx.now()).await? {
        Ok(DeadlineChanged::Units { at }) => texts::campaign_date_set(
            lang,
            texts::units_deadline_name(lang),
            at.map(local).as_deref(),
            reset,
        ),
        Ok(DeadlineChanged::NationalClose { at }) => texts::campaign_date_set(
            lang,
            texts::national_close_name(lang),
            at.map(local).as_deref(),
            reset,
        ),
        Ok(DeadlineChanged::Unit { unit, at }) => texts::deadline_set(lang, &unit.name, &local(at)),
        Ok(DeadlineChanged::UnitCleared { unit, .. }) => texts::deadline_cleared(lang, &unit.name),
        Err(DeadlineRefused::UnknownUnit(code)) => texts::unit_unknown(lang, &code),
        Err(DeadlineRefused::AfterClose { close }) => {
            texts::deadline_after_close(lang, &local(close))
        }
        Err(DeadlineRefused::BeforeUnits { units }) => {
            texts::close_before_units(lang, &local(units))
        }
        Err(DeadlineRefused::Policy(_)) => texts::not_allowed(lang, "deadline"),
    };
    ctx.reply(user.telegram_id, &text).await
}

/// Reads `/deadline`'s arguments. `None`: not understood (the usage is shown).
///
/// - `units DATE` / `close DATE` (also `unit`, `unit-unit`; `tutup`, `nasional`, `sinovik`):
///   a campaign date; `units clear` / `close clear` goes back to the dialog file's;
/// - `DATE` alone: the units' deadline (as before there were two dates);
/// - `UNIT DATE` / `UNIT clear`: one unit's own deadline.
fn read_deadline_change(args: &str, timezone: chrono_tz::Tz) -> Option<DeadlineChange> {
    let (first, rest) = args.split_once(char::is_whitespace).unwrap_or((args, ""));
    let rest = rest.trim();
    let clears = matches!(rest.to_lowercase().as_str(), "clear" | "hapus" | "umum");
    let date = || parse_local_deadline(rest, timezone);
    match first.to_lowercase().as_str() {
        _ if first.chars().next().is_some_and(|c| c.is_ascii_digit()) => {
            parse_local_deadline(args, timezone).map(|at| DeadlineChange::Units(Some(at)))
        }
        "units" | "unit" | "unit-unit" => Some(DeadlineChange::Units(if clears {
            None
        } else {
            Some(date()?)
        })),
        "close" | "tutup" | "nasional" | "sinovik" => {
            Some(DeadlineChange::NationalClose(if clears {
                None
            } else {
                Some(date()?)
            }))
        }
        _ if clears => Some(DeadlineChange::ClearUnit {
            code: first.to_owned(),
        }),
        _ => date().map(|at| DeadlineChange::Unit {
            code: first.to_owned(),
            at,
        }),
    }
}

/// `/status`: the person's unit deadline and the national close, with the days left (the
/// bureau: both campaign dates and every unit's own deadline).
pub async fn status(ctx: &BotContext, user: &User) -> HandlerResult {
    let lang = user.lang;
    let now = ctx.now();
    let dated = |deadline: Option<DateTime<Utc>>| {
        (
            deadline.map(|at| texts::local_time(at, ctx.timezone)),
            deadline.map(|at| days_left(now, at)),
        )
    };
    let countdown = |name: &str, deadline: Option<DateTime<Utc>>| {
        let (at, days) = dated(deadline);
        texts::countdown_line(lang, name, at.as_deref(), days)
    };
    let mut lines = Vec::new();
    match ctx.deadlines(user).await? {
        DeadlineView::Everything {
            units,
            national_close,
            own,
        } => {
            lines.push(countdown(texts::units_deadline_name(lang), units));
            lines.push(countdown(texts::national_close_name(lang), national_close));
            for (unit, at) in &own {
                lines.push(countdown(&unit.code, Some(*at)));
            }
            lines.push(Html::empty());
            lines.push(texts::deadline_usage(lang));
        }
        DeadlineView::Own {
            unit,
            national_close,
        } => {
            let (at, days) = dated(unit);
            lines.push(texts::deadline_line(lang, at.as_deref(), days));
            lines.push(countdown(texts::national_close_name(lang), national_close));
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
    let text = match ctx.start_broadcast(user, ctx.now()).await? {
        Ok(_) => texts::broadcast_ask_text(user.lang).to_owned(),
        Err(_) => texts::not_allowed(user.lang, "broadcast"),
    };
    ctx.reply(user.telegram_id, &text).await
}

/// A bureau member's message while a broadcast waits for its text. Returns false when no
/// broadcast is being composed (the message is something else).
pub async fn take_broadcast_text(
    ctx: &BotContext,
    user: &User,
    text: &str,
) -> Result<bool, BotError> {
    match ctx.take_broadcast_text(user, text).await? {
        BroadcastText::NotComposing => Ok(false),
        BroadcastText::TooLong { count } => {
            ctx.reply(
                user.telegram_id,
                &texts::broadcast_too_long(user.lang, count),
            )
            .await?;
            Ok(true)
        }
        BroadcastText::Taken { id } => {
            let options = SendOptions {
                keyboard: Some(audience_keyboard(user, id)),
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
    }
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
    Ok(ctx.cancel_broadcast_draft(user).await?)
}

/// A button pressed while composing broadcast `id`.
pub async fn on_broadcast_step(
    ctx: &BotContext,
    user: &User,
    id: i64,
    step: BroadcastStep,
    message_id: Option<i32>,
) -> HandlerResult {
    let lang = user.lang;
    let step = match step {
        BroadcastStep::Everyone => ComposeStep::Everyone,
        BroadcastStep::PickUnits => ComposeStep::PickUnits,
        BroadcastStep::ToggleUnit(unit) => ComposeStep::ToggleUnit(unit),
        BroadcastStep::UnitsDone => ComposeStep::UnitsDone,
        BroadcastStep::Incomplete => ComposeStep::Incomplete,
        BroadcastStep::Coordinators => ComposeStep::Coordinators,
        BroadcastStep::Send => ComposeStep::Send,
        BroadcastStep::Cancel => ComposeStep::Cancel,
    };
    let composed = ctx
        .compose_broadcast(
            user,
            id,
            step,
            |lang, body| texts::broadcast_message(lang, body).into_string(),
            ctx.now(),
        )
        .await?;
    match composed {
        Composed::Stale => ctx.reply(user.telegram_id, texts::stale_button(lang)).await,
        Composed::Cancelled => {
            ctx.reply(user.telegram_id, texts::broadcast_cancelled(lang))
                .await
        }
        Composed::ChooseUnits { id, units, chosen } => {
            // A toggle redraws the list in place; the first showing is a new message.
            let edit = match step {
                ComposeStep::ToggleUnit(_) => message_id,
                _ => None,
            };
            show_units(ctx, user, id, &units, &chosen, edit).await
        }
        Composed::NoRecipients { id } => {
            let options = SendOptions {
                keyboard: Some(audience_keyboard(user, id)),
                ..SendOptions::default()
            };
            ctx.reply_with(
                user.telegram_id,
                texts::broadcast_no_recipients(lang),
                options,
            )
            .await
        }
        Composed::Preview {
            id,
            body,
            recipients,
        } => {
            let step_button = |label: &str, step| {
                Button::callback(label.to_owned(), Action::Broadcast { id, step }.encode())
            };
            let keyboard = Keyboard::new([[
                step_button(texts::button_send(lang), BroadcastStep::Send),
                step_button(texts::button_cancel(lang), BroadcastStep::Cancel),
            ]]);
            let options = SendOptions {
                keyboard: Some(keyboard),
                ..SendOptions::default()
            };
            let text = texts::broadcast_preview(lang, &body, recipients);
            ctx.reply_with(user.telegram_id, text, options).await
        }
        Composed::Queued { id, recipients } => {
            let counts = DeliveryCounts {
                pending: u32::try_from(recipients).unwrap_or(u32::MAX),
                ..Default::default()
            };
            let total = i64::try_from(recipients).unwrap_or(i64::MAX);
            let progress = ctx
                .telegram
                .send_text(
                    user.telegram_id,
                    &texts::broadcast_progress(lang, id, counts, total),
                    SendOptions::default(),
                )
                .await?;
            ctx.broadcast_progress_shown(id, i64::from(progress.id.0))
                .await?;
            Ok(())
        }
    }
}

/// The units to choose from, each ticked when chosen, with Done and Cancel; edited in place
/// when `message_id` is given.
async fn show_units(
    ctx: &BotContext,
    user: &User,
    id: i64,
    units: &[Unit],
    chosen: &[i64],
    message_id: Option<i32>,
) -> HandlerResult {
    let lang = user.lang;
    let step_button =
        |label: String, step| Button::callback(label, Action::Broadcast { id, step }.encode());
    let mut rows: Vec<Vec<Button>> = units
        .iter()
        .take(90)
        .map(|unit| {
            let mark = if chosen.contains(&unit.id) {
                "☑️"
            } else {
                "⬜"
            };
            vec![step_button(
                format!("{mark} {}", unit.code),
                BroadcastStep::ToggleUnit(unit.id),
            )]
        })
        .collect();
    rows.push(vec![
        step_button(
            texts::button_done(lang).to_owned(),
            BroadcastStep::UnitsDone,
        ),
        step_button(texts::button_cancel(lang).to_owned(), BroadcastStep::Cancel),
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
