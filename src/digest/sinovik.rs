//! The bureau digest's SINOVIK part: what keeps each approved (or selected) innovation from
//! being filed on SINOVIK, one line per innovation, by [`Dialog::readiness`](crate::dialog::Dialog::readiness).

use chrono::{DateTime, Utc};

use crate::{
    app::{App, AppError},
    domain::{InnovationState, Lang},
    texts::{self, Html},
};

/// At most this many innovations are named; the others are counted ("and N more").
pub const MAX_LINES: usize = 10;
/// At most this many blockers on one line; the others are counted.
pub const MAX_BLOCKERS: usize = 3;

/// The part, or `None` when no innovation is approved or selected yet.
pub async fn sinovik_part(
    ctx: &App,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<Option<Html>, AppError> {
    // The minimum age is counted to the national close, or to today without one.
    let today = now.with_timezone(&ctx.timezone).date_naive();
    let mut lines = Vec::new();
    let (mut ready, mut blocked) = (0usize, 0usize);
    for innovation in ctx.storage.innovations(None).await? {
        if !matches!(
            innovation.state,
            InnovationState::Approved | InnovationState::Selected
        ) {
            continue;
        }
        let Some(snapshot) = ctx.snapshot(innovation.id).await? else {
            continue;
        };
        let readiness = ctx.dialog.readiness(&snapshot.progress, today);
        if readiness.is_ready() {
            ready = ready.saturating_add(1);
            continue;
        }
        blocked = blocked.saturating_add(1);
        if lines.len() >= MAX_LINES {
            continue;
        }
        let title = ctx
            .title_of(&snapshot.progress)
            .unwrap_or_else(|| texts::untitled(lang).to_owned());
        let blockers: Vec<String> = readiness
            .blockers
            .iter()
            .map(|blocker| blocker.message(&ctx.dialog, lang))
            .collect();
        lines.push(texts::digest_sinovik_line(
            lang,
            innovation.id,
            &title,
            &blockers,
            MAX_BLOCKERS,
        ));
    }
    if ready == 0 && blocked == 0 {
        return Ok(None);
    }
    let more = blocked.saturating_sub(lines.len());
    Ok(Some(texts::digest_sinovik(
        lang, ready, blocked, &lines, more,
    )))
}
