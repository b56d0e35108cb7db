//! Deciding which reminders and digests are due, and queueing each exactly once.

use chrono::{DateTime, NaiveTime, Utc};

use super::SchedulerError;
use crate::{
    actions::Action,
    app::App,
    config::ScheduleSettings,
    digest,
    domain::{InnovationState, Role},
    storage::{NewMessage, OutboxKeyboard, OutboxSource, User},
    texts::{self, Html},
};

/// The reminder offset due at `now` for `deadline`: the smallest offset whose moment has
/// come. Earlier offsets that were missed (the bot was down) are not sent late: only the most
/// recent one is meaningful. `None` before the first offset and from the deadline on.
pub fn due_offset(
    now: DateTime<Utc>,
    deadline: DateTime<Utc>,
    offsets: &[chrono::Duration],
) -> Option<chrono::Duration> {
    if now >= deadline {
        return None;
    }
    offsets
        .iter()
        .filter(|offset| {
            deadline
                .checked_sub_signed(**offset)
                .is_none_or(|due| now >= due)
        })
        .min()
        .copied()
}

/// Whether a local time falls in the quiet hours (which may wrap past midnight).
pub fn in_quiet_hours(local: NaiveTime, quiet: Option<(NaiveTime, NaiveTime)>) -> bool {
    match quiet {
        None => false,
        Some((start, end)) if start <= end => local >= start && local < end,
        Some((start, end)) => local >= start || local < end,
    }
}

/// Queues the reminders due now; returns how many were queued.
pub async fn plan_reminders(
    ctx: &App,
    settings: &ScheduleSettings,
    now: DateTime<Utc>,
) -> Result<u32, SchedulerError> {
    let local = now.with_timezone(&ctx.timezone);
    if in_quiet_hours(local.time(), settings.quiet_hours) {
        // They wait for the morning; whatever is still due then goes out.
        return Ok(0);
    }
    let mut queued: u32 = 0;
    for unit in ctx.storage.units().await? {
        let Some(deadline) = ctx.deadline_for(Some(&unit)).await? else {
            continue;
        };
        let Some(offset) = due_offset(now, deadline, &settings.reminder_offsets) else {
            continue;
        };
        let staff: Vec<User> = ctx
            .storage
            .users(Some(unit.id))
            .await?
            .into_iter()
            .filter(|user| user.active && user.role == Role::Staff)
            .collect();
        if staff.is_empty() {
            continue;
        }
        // What each reminder is about: an incomplete innovation, or "nothing started".
        let innovations = ctx.storage.innovations(Some(unit.id)).await?;
        let mut targets: Vec<Option<i64>> = Vec::new();
        let mut incomplete = Vec::new();
        for innovation in &innovations {
            if !matches!(
                innovation.state,
                InnovationState::Draft | InnovationState::Returned
            ) {
                continue;
            }
            let Some(snapshot) = ctx.snapshot(innovation.id).await? else {
                continue;
            };
            let missing = ctx.dialog.missing(&snapshot.progress);
            if missing.is_empty() {
                continue;
            }
            incomplete.push((innovation.id, snapshot, missing));
        }
        if innovations.is_empty() {
            targets.push(None);
        }
        targets.extend(incomplete.iter().map(|(id, _, _)| Some(*id)));
        let deadline_text = texts::local_time(deadline, ctx.timezone);
        for person in &staff {
            let lang = person.lang;
            let header = texts::reminder_header(
                lang,
                &deadline_text,
                &texts::time_left(lang, deadline.signed_duration_since(now)),
            );
            for target in &targets {
                let (key, body, keyboard) = match target {
                    None => (
                        0,
                        Html::join(
                            [&header, &texts::reminder_nothing_started(lang, &unit.name)],
                            "\n\n",
                        ),
                        None,
                    ),
                    Some(id) => {
                        let Some((_, snapshot, missing)) =
                            incomplete.iter().find(|(candidate, _, _)| candidate == id)
                        else {
                            continue;
                        };
                        let title = ctx
                            .title_of(&snapshot.progress)
                            .unwrap_or_else(|| texts::untitled(lang).to_owned());
                        let missing: Vec<String> = missing
                            .iter()
                            .map(|missing| missing.message(&ctx.dialog, lang))
                            .collect();
                        let keyboard = OutboxKeyboard::button(
                            texts::resume_button(lang, *id),
                            Action::Resume(*id).encode(),
                        );
                        (
                            *id,
                            Html::join(
                                [
                                    &header,
                                    &texts::reminder_innovation(lang, *id, &title, &missing),
                                ],
                                "\n\n",
                            ),
                            Some(keyboard),
                        )
                    }
                };
                let message = NewMessage {
                    chat_id: person.telegram_id,
                    body: body.into_string(),
                    photo: None,
                    keyboard,
                    source: OutboxSource::Reminder,
                    broadcast_id: None,
                };
                if ctx
                    .storage
                    .queue_reminder(
                        person.id,
                        key,
                        offset.num_minutes(),
                        deadline,
                        Some(&message),
                        now,
                    )
                    .await?
                {
                    queued = queued.saturating_add(1);
                }
            }
        }
    }
    Ok(queued)
}

/// Queues today's digests once the digest time has come; returns how many were queued.
pub async fn plan_digests(
    ctx: &App,
    settings: &ScheduleSettings,
    now: DateTime<Utc>,
) -> Result<u32, SchedulerError> {
    let local = now.with_timezone(&ctx.timezone);
    if local.time() < settings.digest_time {
        return Ok(0);
    }
    let day = local.date_naive().to_string();
    let mut queued: u32 = 0;
    for person in ctx.storage.users(None).await? {
        if !person.active || person.role == Role::Staff {
            continue;
        }
        if ctx.storage.digest_queued(person.id, &day).await? {
            continue;
        }
        let lang = person.lang;
        let messages = match (person.role, &person.unit) {
            (Role::Bureau, _) => {
                let (text, chart) =
                    digest::agency_digest(ctx, lang, now, settings.stale_days).await?;
                let mut messages = Vec::new();
                if let Some(png) = chart {
                    messages.push(NewMessage {
                        chat_id: person.telegram_id,
                        body: String::new(),
                        photo: Some(png),
                        keyboard: None,
                        source: OutboxSource::Digest,
                        broadcast_id: None,
                    });
                }
                messages.push(text_message(person.telegram_id, text));
                messages
            }
            (_, Some(unit)) => {
                let text = digest::unit_digest(ctx, unit, lang, now, settings.stale_days).await?;
                vec![text_message(person.telegram_id, text)]
            }
            (_, None) => continue,
        };
        if ctx
            .storage
            .queue_digest(person.id, &day, &messages, now)
            .await?
        {
            queued = queued.saturating_add(1);
        }
    }
    Ok(queued)
}

fn text_message(chat_id: i64, body: Html) -> NewMessage {
    NewMessage {
        chat_id,
        body: body.into_string(),
        photo: None,
        keyboard: None,
        source: OutboxSource::Digest,
        broadcast_id: None,
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};

    use super::*;

    fn offsets() -> Vec<Duration> {
        vec![
            Duration::days(7),
            Duration::days(3),
            Duration::days(1),
            Duration::hours(3),
        ]
    }

    #[test]
    fn the_most_recent_offset_is_due() {
        let deadline = Utc.with_ymd_and_hms(2026, 6, 3, 16, 59, 0).unwrap();
        assert_eq!(
            due_offset(deadline - Duration::days(8), deadline, &offsets()),
            None
        );
        assert_eq!(
            due_offset(deadline - Duration::days(7), deadline, &offsets()),
            Some(Duration::days(7))
        );
        assert_eq!(
            due_offset(deadline - Duration::days(2), deadline, &offsets()),
            Some(Duration::days(3))
        );
        assert_eq!(
            due_offset(deadline - Duration::hours(1), deadline, &offsets()),
            Some(Duration::hours(3))
        );
        assert_eq!(due_offset(deadline, deadline, &offsets()), None);
    }

    #[test]
    fn quiet_hours_wrap_midnight() {
        let quiet = Some((
            NaiveTime::from_hms_opt(21, 0, 0).unwrap(),
            NaiveTime::from_hms_opt(7, 0, 0).unwrap(),
        ));
        let at = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap();
        assert!(in_quiet_hours(at(22), quiet));
        assert!(in_quiet_hours(at(3), quiet));
        assert!(!in_quiet_hours(at(7), quiet));
        assert!(!in_quiet_hours(at(20), quiet));
        assert!(!in_quiet_hours(at(3), None));
    }
}
