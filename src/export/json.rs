//! The JSON export: every stored fact, keyed by question id, for other programs. The shape is
//! documented in `JSON_FORMAT.md` beside this file. Written innovation by innovation: the
//! document is never held in memory whole.

use std::collections::BTreeMap;
use std::io::{BufWriter, Write};

use chrono::NaiveDateTime;
use serde::Serialize;

use crate::dialog::Dialog;
use crate::domain::{AnswerValue, Lang};
use crate::export::ExportError;
use crate::export::model::{ExportSet, InnovationRecord};
use crate::export::view::{Layout, View};

/// Version of the shape below; bump it on any change that is not a pure addition.
pub const JSON_FORMAT_VERSION: u32 = 1;

#[derive(Serialize)]
struct Header<'a> {
    format: &'static str,
    format_version: u32,
    campaign: &'a str,
    generated_at: NaiveDateTime,
    timezone: &'a str,
    dialog_version: &'a str,
}

#[derive(Serialize)]
struct Innovation<'a> {
    id: i64,
    unit: Unit<'a>,
    title: &'a str,
    state: &'a str,
    /// First handed in after its unit's deadline.
    late: bool,
    percent_complete: u8,
    deadline: Option<NaiveDateTime>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    updated_by: &'a str,
    answers: BTreeMap<&'a str, Answer<'a>>,
    metrics: Vec<Metric<'a>>,
    evidence: Vec<Evidence<'a>>,
    history: Vec<Change<'a>>,
    missing: &'a [String],
    sinovik_ready: bool,
    sinovik_blockers: &'a [String],
}

#[derive(Serialize)]
struct Unit<'a> {
    code: &'a str,
    name: &'a str,
}

/// One value, or one value per item (null where an item has no answer).
#[derive(Serialize)]
#[serde(untagged)]
enum Answer<'a> {
    One(&'a AnswerValue),
    Items(Vec<Option<&'a AnswerValue>>),
}

#[derive(Serialize)]
struct Metric<'a> {
    group: &'a str,
    item: u16,
    values: BTreeMap<&'a str, &'a AnswerValue>,
}

#[derive(Serialize)]
struct Evidence<'a> {
    id: i64,
    question_id: &'a str,
    item: u16,
    kind: &'a str,
    original_name: Option<&'a str>,
    mime_type: Option<&'a str>,
    size_bytes: u64,
    sha256: &'a str,
    uploaded_by: &'a str,
    uploaded_at: NaiveDateTime,
}

#[derive(Serialize)]
struct Change<'a> {
    at: NaiveDateTime,
    actor: &'a str,
    from: &'a str,
    to: &'a str,
    comment: Option<&'a str>,
}

/// Writes the whole set as one JSON document (see `JSON_FORMAT.md`).
pub fn write_json<W>(set: &ExportSet, dialog: &Dialog, out: W) -> Result<(), ExportError>
where
    W: Write,
{
    let layout = Layout::new(dialog);
    let mut out = BufWriter::new(out);
    let header = Header {
        format: "kipp-bot-export",
        format_version: JSON_FORMAT_VERSION,
        campaign: &set.campaign_name,
        generated_at: set.generated_at,
        timezone: &set.timezone_label,
        dialog_version: dialog.version(),
    };
    // The header's fields, then the innovations one by one: `{"format":…,"innovations":[`.
    let mut head = serde_json::to_vec(&header)?;
    head.pop(); // the closing brace
    out.write_all(&head)?;
    out.write_all(b",\"innovations\":[")?;
    for (i, rec) in set.innovations.iter().enumerate() {
        out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
        serde_json::to_writer(&mut out, &innovation(rec, &layout))?;
    }
    out.write_all(b"\n]}\n")?;
    out.flush()?;
    Ok(())
}

fn innovation<'a>(rec: &'a InnovationRecord, layout: &Layout<'a>) -> Innovation<'a> {
    // Evidence order and names do not depend on the language here; any will do.
    let view = View::new(rec, layout, Lang::Id);
    Innovation {
        id: rec.id,
        unit: Unit {
            code: &rec.unit_code,
            name: &rec.unit_name,
        },
        title: &rec.title,
        state: &rec.state,
        late: rec.late,
        percent_complete: rec.percent_complete,
        deadline: rec.deadline,
        created_at: rec.created_at,
        updated_at: rec.updated_at,
        updated_by: &rec.updated_by,
        answers: answers(&view, layout),
        metrics: metrics(&view, layout),
        evidence: view
            .evidence
            .iter()
            .map(|e| {
                let r = e.record;
                Evidence {
                    id: r.id,
                    question_id: &r.question_id,
                    item: r.item,
                    kind: &r.kind,
                    original_name: r.original_name.as_deref(),
                    mime_type: r.mime_type.as_deref(),
                    size_bytes: r.size_bytes,
                    sha256: &r.sha256,
                    uploaded_by: &r.uploaded_by,
                    uploaded_at: r.uploaded_at,
                }
            })
            .collect(),
        history: rec
            .history
            .iter()
            .map(|h| Change {
                at: h.at,
                actor: &h.actor,
                from: &h.from,
                to: &h.to,
                comment: h.comment.as_deref(),
            })
            .collect(),
        missing: &rec.missing,
        sinovik_ready: rec.sinovik_blockers.is_empty(),
        sinovik_blockers: &rec.sinovik_blockers,
    }
}

/// Every stored answer by question id. Group members (and ids the dialog no longer has that
/// were stored with an item above 0) get an array indexed by item.
fn answers<'a>(view: &View<'a>, layout: &Layout<'_>) -> BTreeMap<&'a str, Answer<'a>> {
    let mut by_id: BTreeMap<&str, BTreeMap<u16, &AnswerValue>> = BTreeMap::new();
    for a in view.answers() {
        by_id
            .entry(a.question_id.as_str())
            .or_default()
            .insert(a.item, &a.value);
    }
    by_id
        .into_iter()
        .map(|(id, items)| {
            let is_member = layout.dialog.group_of(id).is_some();
            let answer = match items.first_key_value() {
                Some((0, value)) if !is_member && items.len() == 1 => Answer::One(value),
                _ => {
                    // One slot per item up to the highest one stored, `None` for gaps.
                    let slots = items.last_key_value().map_or_else(Vec::new, |(last, _)| {
                        (0..=*last).map(|item| items.get(&item).copied()).collect()
                    });
                    Answer::Items(slots)
                }
            };
            (id, answer)
        })
        .collect()
}

/// One entry per item of every group the dialog has, visible or not.
fn metrics<'a>(view: &View<'a>, layout: &Layout<'a>) -> Vec<Metric<'a>> {
    let mut metrics = Vec::new();
    for &group in &layout.groups {
        for item in view.items(group) {
            let values = group
                .members()
                .iter()
                .filter_map(|m| {
                    let answer = view.answer(&m.id, item)?;
                    Some((answer.question_id.as_str(), &answer.value))
                })
                .collect();
            metrics.push(Metric {
                group: &group.id,
                item,
                values,
            });
        }
    }
    metrics
}
