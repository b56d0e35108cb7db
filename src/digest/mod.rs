//! Progress digests: a unit's for its coordinators, every unit's (with a chart) for the bureau.
//! The same texts serve the daily digest and `/digest` on demand.

pub mod chart;
pub mod sinovik;

use chrono::{DateTime, Utc};

use crate::{
    app::{App, AppError},
    campaign::days_left,
    domain::{InnovationState, Lang},
    storage::Unit,
    texts::{self, Html},
};

/// One unit's innovations, counted the way the digest and the chart show them.
#[derive(Debug, Clone, Default)]
pub struct UnitSummary {
    pub draft: u32,
    pub complete: u32,
    pub submitted: u32,
    pub average_percent: u8,
    pub lines: Vec<Html>,
    pub stale: Vec<Html>,
    /// Innovations first handed in after the unit's deadline.
    pub late: Vec<i64>,
}

/// Reads a unit's innovations and sorts them into draft / complete / submitted.
pub async fn summarise_unit(
    ctx: &App,
    unit: &Unit,
    lang: Lang,
    now: DateTime<Utc>,
    stale_days: u32,
) -> Result<UnitSummary, AppError> {
    let mut summary = UnitSummary::default();
    let mut percent_total: u32 = 0;
    let innovations = ctx.storage.innovations(Some(unit.id)).await?;
    for innovation in &innovations {
        let Some(snapshot) = ctx.snapshot(innovation.id).await? else {
            continue;
        };
        let completion = ctx.dialog.completion(&snapshot.progress);
        percent_total = percent_total.saturating_add(u32::from(completion.percent));
        let missing: Vec<String> = ctx
            .dialog
            .missing(&snapshot.progress)
            .iter()
            .map(|missing| missing.message(&ctx.dialog, lang))
            .collect();
        match innovation.state {
            InnovationState::Draft | InnovationState::Returned if missing.is_empty() => {
                summary.complete = summary.complete.saturating_add(1);
            }
            InnovationState::Draft | InnovationState::Returned => {
                summary.draft = summary.draft.saturating_add(1);
            }
            _ => summary.submitted = summary.submitted.saturating_add(1),
        }
        if innovation.late_submitted_at.is_some() {
            summary.late.push(innovation.id);
        }
        let title = ctx
            .title_of(&snapshot.progress)
            .unwrap_or_else(|| texts::untitled(lang).to_owned());
        summary.lines.push(texts::digest_innovation(
            lang,
            innovation.id,
            &title,
            innovation.state,
            completion.percent,
            &missing,
        ));
        let idle_days = now.signed_duration_since(innovation.updated_at).num_days();
        if innovation.state.is_editable() && idle_days >= i64::from(stale_days) {
            summary.stale.push(texts::digest_stale(
                lang,
                innovation.id,
                &innovation.updated_by_name,
                idle_days,
            ));
        }
    }
    // No innovations (a zero divisor) leaves the average at 0.
    let count = u64::try_from(innovations.len()).unwrap_or(u64::MAX);
    if let Some(average) = u64::from(percent_total).checked_div(count) {
        summary.average_percent = u8::try_from(average).unwrap_or(100);
    }
    Ok(summary)
}

fn local_date(ctx: &App, now: DateTime<Utc>) -> String {
    now.with_timezone(&ctx.timezone)
        .format("%d-%m-%Y")
        .to_string()
}

async fn deadline_text(
    ctx: &App,
    unit: Option<&Unit>,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<(Html, Option<i64>), AppError> {
    let deadline = ctx.deadline_for(unit).await?;
    let days = deadline.map(|at| days_left(now, at));
    let at = deadline.map(|at| texts::local_time(at, ctx.timezone));
    Ok((texts::deadline_line(lang, at.as_deref(), days), days))
}

/// A coordinator's digest of one unit.
pub async fn unit_digest(
    ctx: &App,
    unit: &Unit,
    lang: Lang,
    now: DateTime<Utc>,
    stale_days: u32,
) -> Result<Html, AppError> {
    let summary = summarise_unit(ctx, unit, lang, now, stale_days).await?;
    let (deadline, _) = deadline_text(ctx, Some(unit), lang, now).await?;
    let mut parts = vec![
        texts::digest_title(lang, &unit.name, &local_date(ctx, now)),
        deadline,
        texts::digest_counts(lang, summary.draft, summary.complete, summary.submitted),
    ];
    if summary.lines.is_empty() {
        parts.push(texts::digest_nothing(lang));
    } else {
        parts.push(Html::join(&summary.lines, "\n"));
    }
    if !summary.stale.is_empty() {
        parts.push(texts::digest_stale_section(
            lang,
            stale_days,
            &summary.stale,
        ));
    }
    Ok(Html::join(parts, "\n\n"))
}

/// The bureau's digest of every unit, and its chart as a PNG: both dates counted down, how full
/// the selection is, what was handed in late.
pub async fn agency_digest(
    ctx: &App,
    lang: Lang,
    now: DateTime<Utc>,
    stale_days: u32,
) -> Result<(Html, Option<Vec<u8>>), AppError> {
    let units = ctx.storage.units().await?;
    let units_deadline = ctx.deadline_for(None).await?;
    let national_close = ctx.national_close().await?;
    let countdown = |name: &str, deadline: Option<DateTime<Utc>>| {
        let at = deadline.map(|at| texts::local_time(at, ctx.timezone));
        texts::countdown_line(
            lang,
            name,
            at.as_deref(),
            deadline.map(|at| days_left(now, at)),
        )
    };
    let date = local_date(ctx, now);
    let mut lines = Vec::new();
    let mut progress = Vec::new();
    let mut late = Vec::new();
    let (mut draft, mut complete, mut submitted) = (0, 0, 0);
    for unit in &units {
        let summary = summarise_unit(ctx, unit, lang, now, stale_days).await?;
        draft = summary.draft.saturating_add(draft);
        complete = summary.complete.saturating_add(complete);
        submitted = summary.submitted.saturating_add(submitted);
        late.extend(summary.late.iter().copied());
        lines.push(texts::digest_unit_line(
            lang,
            &unit.code,
            summary.draft,
            summary.complete,
            summary.submitted,
            summary.average_percent,
        ));
        progress.push(chart::UnitProgress {
            unit_code: unit.code.clone(),
            draft: summary.draft,
            complete: summary.complete,
            submitted: summary.submitted,
            average_percent: summary.average_percent,
        });
    }
    let slots = ctx.selection_slots().await?;
    let groups: Vec<(String, u32, u32)> = slots
        .groups
        .iter()
        .map(|share| {
            (
                ctx.group_label(&share.group, lang),
                share.selected,
                share.cap,
            )
        })
        .collect();
    let mut parts = vec![
        texts::digest_title(lang, texts::everyone(lang), &date),
        Html::join(
            [
                countdown(texts::units_deadline_name(lang), units_deadline),
                countdown(texts::national_close_name(lang), national_close),
            ],
            "\n",
        ),
        texts::digest_counts(lang, draft, complete, submitted),
        texts::selection_slots(
            lang,
            slots.selected,
            slots.cap,
            &groups,
            slots.approved_waiting,
        ),
    ];
    if !late.is_empty() {
        late.sort_unstable();
        parts.push(texts::digest_late(lang, &late));
    }
    if lines.is_empty() {
        parts.push(texts::digest_nothing(lang));
    } else {
        parts.push(Html::join(&lines, "\n"));
    }
    if let Some(sinovik) = sinovik::sinovik_part(ctx, lang, now).await? {
        parts.push(sinovik);
    }
    // The chart counts down to the units' deadline while it is ahead, then to the close.
    let days = [units_deadline, national_close]
        .into_iter()
        .flatten()
        .map(|at| days_left(now, at))
        .find(|days| *days >= 0);
    let labels = texts::chart_labels(lang, &date, days);
    // Drawing takes milliseconds of CPU: on a blocking thread, so the bot's one runtime thread
    // goes on answering meanwhile (see `main`).
    let drawn =
        tokio::task::spawn_blocking(move || chart::render_progress_chart(&progress, &labels)).await;
    let png = match drawn {
        Ok(Ok(png)) => Some(png),
        Ok(Err(error)) => {
            tracing::warn!(%error, "could not draw the progress chart; sending the text alone");
            None
        }
        Err(error) => {
            tracing::error!(%error, "drawing the progress chart failed; sending the text alone");
            None
        }
    };
    Ok((Html::join(parts, "\n\n"), png))
}
