//! Once a day, forgetting what no restart and no replay needs any more: old sent messages (with
//! their digest charts), old replay marks and old reminder and digest marks. What is kept, and
//! why, is decided in `storage::retention`; the audit log and the innovations' history are never
//! pruned.

use chrono::{DateTime, Days, Utc};

use super::SchedulerError;
use crate::{app::App, config::ScheduleSettings, storage::Pruned};

/// Prunes rows older than `RETENTION_DAYS` at the first planning of each local day (in practice
/// just after midnight, a quiet hour), at most once a day: the day of the last pruning is
/// stored, so a restart, or a crash loop, does not prune again the same day. Returns what went,
/// or `None` when today's pruning was already done.
pub async fn prune_if_due(
    ctx: &App,
    settings: &ScheduleSettings,
    now: DateTime<Utc>,
) -> Result<Option<Pruned>, SchedulerError> {
    let today = now.with_timezone(&ctx.timezone).date_naive();
    if ctx.storage.pruned_on().await? == Some(today) {
        return Ok(None);
    }
    let days = settings.retention_days.max(1);
    let before = chrono::Duration::try_days(i64::from(days))
        .and_then(|window| now.checked_sub_signed(window));
    let before_day = today.checked_sub_days(Days::new(u64::from(days)));
    let (Some(before), Some(before_day)) = (before, before_day) else {
        // A window reaching past the calendar's start: nothing can be that old.
        return Ok(None);
    };
    let pruned = ctx.storage.prune(before, before_day, today).await?;
    tracing::info!(
        retention_days = days,
        handled_updates = pruned.handled_updates,
        outbox = pruned.outbox,
        reminder_marks = pruned.reminder_marks,
        digest_marks = pruned.digest_marks,
        "pruned {} rows older than the retention window",
        pruned.total()
    );
    Ok(Some(pruned))
}
