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
    texts,
};

/// One unit's innovations, counted the way the digest and the chart show them.
#[derive(Debug, Clone, Default)]
pub struct UnitSummary {
    pub draft: u32,
    pub complete: u32,
    pub submitted: u32,
    pub average_percent: u8,
    pub lines: Vec<String>,
    pub stale: Vec<String>,
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
) -> Result<(String, Option<i64>), AppError> {
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
) -> Result<String, AppError> {
    let summary = summarise_unit(ctx, unit, lang, now, stale_days).await?;
    let (deadline, _) = deadline_text(ctx, Some(unit), lang, now).await?;
    let mut parts = vec![
        texts::digest_title(lang, &unit.name, &local_date(ctx, now)),
        deadline,
        texts::digest_counts(lang, summary.draft, summary.complete, summary.submitted),
    ];
    if summary.lines.is_empty() {
        parts.push(texts::digest_nothing(lang).to_owned());
    } else {
        parts.push(summary.lines.join("\n"));
    }
    if !summary.stale.is_empty() {
        parts.push(format!(
            "{}\n{}",
            texts::digest_stale_header(lang, stale_days),
            summary.stale.join("\n")
        ));
    }
    Ok(parts.join("\n\n"))
}

/// The bureau's digest of every unit, and its chart as a PNG.
pub async fn agency_digest(
    ctx: &App,
    lang: Lang,
    now: DateTime<Utc>,
    stale_days: u32,
) -> Result<(String, Option<Vec<u8>>), AppError> {
    let units = ctx.storage.units().await?;
    let (deadline, days) = deadline_text(ctx, None, lang, now).await?;
    let date = local_date(ctx, now);
    let mut lines = Vec::new();
    let mut progress = Vec::new();
    let (mut draft, mut complete, mut submitted) = (0, 0, 0);
    for unit in &units {
        let summary = summarise_unit(ctx, unit, lang, now, stale_days).await?;
        draft = summary.draft.saturating_add(draft);
        complete = summary.complete.saturating_add(complete);
        submitted = summary.submitted.saturating_add(submitted);
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
    let mut parts = vec![
        texts::digest_title(lang, texts::everyone(lang), &date),
        deadline,
        texts::digest_counts(lang, draft, complete, submitted),
    ];
    if lines.is_empty() {
        parts.push(texts::digest_nothing(lang).to_owned());
    } else {
        parts.push(lines.join("\n"));
    }
    if let Some(sinovik) = sinovik::sinovik_part(ctx, lang, now).await? {
        parts.push(sinovik);
    }
    let labels = texts::chart_labels(lang, &date, days);
    let png = match chart::render_progress_chart(&progress, &labels) {
        Ok(png) => Some(png),
        Err(error) => {
            tracing::warn!(%error, "could not draw the progress chart; sending the text alone");
            None
        }
    };
    Ok((parts.join("\n\n"), png))
}
