//! The three tables shared by the XLSX and CSV exports: innovations, metrics, evidence.
//! Each table is a header plus rows of typed cells, produced innovation by innovation into a
//! [`RowSink`] so no table is ever held in memory whole.

use std::borrow::Cow;

use chrono::{NaiveDate, NaiveDateTime};

use crate::dialog::{Question, QuestionKind};
use crate::domain::{AnswerValue, Lang};
use crate::export::ExportError;
use crate::export::model::ExportSet;
use crate::export::texts::{Txt, kind_label, state_label, state_shown};
use crate::export::view::{Layout, View, display};

/// One cell, typed so the XLSX keeps numbers and dates as such.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell<'a> {
    Empty,
    Text(Cow<'a, str>),
    Int(i64),
    Number(f64),
    DateTime(NaiveDateTime),
    Date(NaiveDate),
}

impl<'a> Cell<'a> {
    fn text(s: &'a str) -> Self {
        if s.is_empty() {
            Self::Empty
        } else {
            Self::Text(Cow::Borrowed(s))
        }
    }

    fn owned(s: String) -> Self {
        if s.is_empty() {
            Self::Empty
        } else {
            Self::Text(Cow::Owned(s))
        }
    }
}

pub(crate) struct Column {
    pub header: String,
    /// In Excel character units.
    pub width: f64,
}

fn column(header: impl Into<String>, width: f64) -> Column {
    Column {
        header: header.into(),
        width,
    }
}

pub(crate) trait RowSink {
    fn row(&mut self, cells: &[Cell<'_>]) -> Result<(), ExportError>;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SheetKind {
    Innovations,
    Metrics,
    Evidence,
}

impl SheetKind {
    pub(crate) const ALL: [Self; 3] = [Self::Innovations, Self::Metrics, Self::Evidence];

    pub(crate) fn name(self, lang: Lang) -> &'static str {
        match self {
            Self::Innovations => Txt::SheetInnovations.get(lang),
            Self::Metrics => Txt::SheetMetrics.get(lang),
            Self::Evidence => Txt::SheetEvidence.get(lang),
        }
    }
}

/// The tables of one export.
pub(crate) struct Sheets<'s, 'd> {
    set: &'s ExportSet,
    layout: Layout<'d>,
    lang: Lang,
}

const W_CODE: f64 = 12.0;
const W_NAME: f64 = 28.0;
const W_ID: f64 = 8.0;
const W_TITLE: f64 = 40.0;
const W_STATE: f64 = 14.0;
const W_TIME: f64 = 17.0;
const W_PERSON: f64 = 20.0;

impl<'s, 'd> Sheets<'s, 'd> {
    pub(crate) fn new(set: &'s ExportSet, dialog: &'d crate::dialog::Dialog, lang: Lang) -> Self {
        Self {
            set,
            layout: Layout::new(dialog),
            lang,
        }
    }

    pub(crate) fn columns(&self, kind: SheetKind) -> Vec<Column> {
        match kind {
            SheetKind::Innovations => self.innovation_columns(),
            SheetKind::Metrics => self.metric_columns(),
            SheetKind::Evidence => self.evidence_columns(),
        }
    }

    pub(crate) fn write_rows(
        &self,
        kind: SheetKind,
        sink: &mut impl RowSink,
    ) -> Result<(), ExportError> {
        match kind {
            SheetKind::Innovations => self.innovation_rows(sink),
            SheetKind::Metrics => self.metric_rows(sink),
            SheetKind::Evidence => self.evidence_rows(sink),
        }
    }

    fn t(&self, txt: Txt) -> &'static str {
        txt.get(self.lang)
    }

    /// "Tenggat (WIB)"
    fn timed(&self, txt: Txt) -> String {
        match self.set.timezone_label.trim() {
            "" => self.t(txt).to_owned(),
            tz => format!("{} ({tz})", self.t(txt)),
        }
    }

    // --- Inovasi ----------------------------------------------------------------------------

    fn innovation_columns(&self) -> Vec<Column> {
        let mut columns = vec![
            column(self.t(Txt::UnitCode), W_CODE),
            column(self.t(Txt::UnitName), W_NAME),
            column(self.t(Txt::Id), W_ID),
            column(self.t(Txt::Title), W_TITLE),
            column(self.t(Txt::State), W_STATE),
            column(self.t(Txt::PercentComplete), 10.0),
            column(self.t(Txt::SinovikReady), 10.0),
            column(self.t(Txt::SinovikBlockers), 50.0),
        ];
        for q in &self.layout.top {
            columns.push(column(self.question_header(q), question_width(q)));
        }
        columns.extend([
            column(self.timed(Txt::Deadline), W_TIME),
            column(self.timed(Txt::Created), W_TIME),
            column(self.timed(Txt::LastChange), W_TIME),
            column(self.t(Txt::ChangedBy), W_PERSON),
            column(self.t(Txt::StillMissing), 50.0),
            column(self.t(Txt::OtherAnswers), 40.0),
            column(self.timed(Txt::History), 60.0),
        ]);
        columns
    }

    /// The label, with what the column counts or its unit: "Dasar hukum (SK) (jumlah file)",
    /// "Jumlah penerima manfaat (orang)".
    fn question_header(&self, q: &Question) -> String {
        let label = q.label.get(self.lang);
        let unit = match &q.kind {
            QuestionKind::Group(_) => Some(self.t(Txt::CountSuffix)),
            QuestionKind::File(_) => Some(self.t(Txt::FilesSuffix)),
            QuestionKind::Number(rules) => rules.unit.as_ref().map(|u| u.get(self.lang)),
            QuestionKind::Integer(rules) => rules.unit.as_ref().map(|u| u.get(self.lang)),
            _ => None,
        };
        match unit {
            Some(unit) => format!("{label} ({unit})"),
            None => label.to_owned(),
        }
    }

    fn innovation_rows(&self, sink: &mut impl RowSink) -> Result<(), ExportError> {
        let mut cells = Vec::new();
        for rec in &self.set.innovations {
            let view = View::new(rec, &self.layout, self.lang);
            cells.clear();
            cells.extend([
                Cell::text(&rec.unit_code),
                Cell::text(&rec.unit_name),
                Cell::Int(rec.id),
                Cell::text(&rec.title),
                Cell::owned(state_shown(&rec.state, rec.late, self.lang)),
                Cell::Int(rec.percent_complete.into()),
                Cell::text(if rec.sinovik_blockers.is_empty() {
                    self.t(Txt::Yes)
                } else {
                    self.t(Txt::NotYet)
                }),
                Cell::owned(rec.sinovik_blockers.join("; ")),
            ]);
            for q in &self.layout.top {
                cells.push(self.top_question_cell(&view, q));
            }
            let orphans: Vec<String> = view
                .orphans(&self.layout)
                .into_iter()
                .map(|a| {
                    let value = display(&a.value, None, self.lang);
                    match a.item {
                        0 => format!("{}: {value}", a.question_id),
                        item => format!(
                            "{}[{}]: {value}",
                            a.question_id,
                            u32::from(item).saturating_add(1)
                        ),
                    }
                })
                .collect();
            cells.extend([
                rec.deadline.map_or(Cell::Empty, Cell::DateTime),
                Cell::DateTime(rec.created_at),
                Cell::DateTime(rec.updated_at),
                Cell::text(&rec.updated_by),
                Cell::owned(rec.missing.join("; ")),
                Cell::owned(orphans.join("; ")),
                Cell::owned(self.history(rec)),
            ]);
            sink.row(&cells)?;
        }
        Ok(())
    }

    /// "2025-05-04 14:30 Budi Santoso: dikirim; 2025-05-06 09:00 Bu Rina: dikembalikan (…)".
    fn history(&self, rec: &crate::export::model::InnovationRecord) -> String {
        rec.history
            .iter()
            .map(|change| {
                let mut line = format!(
                    "{} {}: {}",
                    change.at.format("%Y-%m-%d %H:%M"),
                    change.actor,
                    state_label(&change.to, self.lang)
                );
                if let Some(comment) = change.comment.as_deref().filter(|c| !c.is_empty()) {
                    line.push_str(&format!(" ({})", comment.replace('\n', " / ")));
                }
                line
            })
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn top_question_cell<'v>(&self, view: &View<'v>, q: &Question) -> Cell<'v> {
        if !view.is_visible(&self.layout, &q.id) {
            return Cell::Empty;
        }
        match &q.kind {
            QuestionKind::Group(_) => Cell::Int(view.items(q).len() as i64),
            QuestionKind::File(_) => Cell::Int(view.files(&q.id, 0).count() as i64),
            _ => view
                .value(&q.id, 0)
                .map_or(Cell::Empty, |v| self.value_cell(v, q)),
        }
    }

    /// Numbers and dates stay numbers and dates; everything else is its human rendering.
    fn value_cell<'v>(&self, value: &'v AnswerValue, q: &Question) -> Cell<'v> {
        match value {
            AnswerValue::Number { value } => Cell::Number(*value),
            AnswerValue::Integer { value } => Cell::Int(*value),
            AnswerValue::Date { date } => Cell::Date(*date),
            AnswerValue::Text { text } => Cell::text(text),
            other => Cell::owned(other.display(self.lang, q)),
        }
    }

    // --- Metrik -----------------------------------------------------------------------------

    fn metric_columns(&self) -> Vec<Column> {
        let mut columns = vec![
            column(self.t(Txt::UnitCode), W_CODE),
            column(self.t(Txt::UnitName), W_NAME),
            column(self.t(Txt::InnovationId), W_ID),
            column(self.t(Txt::Title), W_TITLE),
            column(self.t(Txt::Group), 20.0),
            column(self.t(Txt::ItemNo), 8.0),
        ];
        for group in &self.layout.groups {
            for m in group.members() {
                columns.push(column(self.question_header(m), question_width(m)));
            }
        }
        columns
    }

    fn metric_rows(&self, sink: &mut impl RowSink) -> Result<(), ExportError> {
        let mut cells = Vec::new();
        for rec in &self.set.innovations {
            let view = View::new(rec, &self.layout, self.lang);
            for group in &self.layout.groups {
                if !view.is_visible(&self.layout, &group.id) {
                    continue;
                }
                for item in view.items(group) {
                    cells.clear();
                    cells.extend([
                        Cell::text(&rec.unit_code),
                        Cell::text(&rec.unit_name),
                        Cell::Int(rec.id),
                        Cell::text(&rec.title),
                        Cell::text(group.label.get(self.lang)),
                        Cell::Int(i64::from(item).saturating_add(1)),
                    ]);
                    for other in &self.layout.groups {
                        for m in other.members() {
                            let cell = if other.id != group.id {
                                Cell::Empty
                            } else if m.is_file() {
                                Cell::Int(view.files(&m.id, item).count() as i64)
                            } else {
                                view.value(&m.id, item)
                                    .map_or(Cell::Empty, |v| self.value_cell(v, m))
                            };
                            cells.push(cell);
                        }
                    }
                    sink.row(&cells)?;
                }
            }
        }
        Ok(())
    }

    // --- Bukti ------------------------------------------------------------------------------

    fn evidence_columns(&self) -> Vec<Column> {
        vec![
            column(self.t(Txt::UnitCode), W_CODE),
            column(self.t(Txt::UnitName), W_NAME),
            column(self.t(Txt::InnovationId), W_ID),
            column(self.t(Txt::Title), W_TITLE),
            column(self.t(Txt::Question), 30.0),
            column(self.t(Txt::FileName), 30.0),
            column(self.t(Txt::ArchivePath), 50.0),
            column(self.t(Txt::Kind), 10.0),
            column(self.t(Txt::Mime), 22.0),
            column(self.t(Txt::SizeBytes), 12.0),
            column(self.t(Txt::Sha256), 66.0),
            column(self.t(Txt::UploadedBy), W_PERSON),
            column(self.timed(Txt::UploadedAt), W_TIME),
        ]
    }

    fn evidence_rows(&self, sink: &mut impl RowSink) -> Result<(), ExportError> {
        for rec in &self.set.innovations {
            let view = View::new(rec, &self.layout, self.lang);
            let folder = view.folder();
            for e in &view.evidence {
                let r = e.record;
                let size = i64::try_from(r.size_bytes).unwrap_or(i64::MAX);
                sink.row(&[
                    Cell::text(&rec.unit_code),
                    Cell::text(&rec.unit_name),
                    Cell::Int(rec.id),
                    Cell::text(&rec.title),
                    Cell::owned(self.layout.label(&r.question_id, r.item, self.lang)),
                    Cell::text(r.original_name.as_deref().unwrap_or_default()),
                    Cell::owned(format!("{folder}/{}", e.file_name)),
                    Cell::text(kind_label(&r.kind, self.lang)),
                    Cell::text(r.mime_type.as_deref().unwrap_or_default()),
                    Cell::Int(size),
                    Cell::text(&r.sha256),
                    Cell::text(&r.uploaded_by),
                    Cell::DateTime(r.uploaded_at),
                ])?;
            }
        }
        Ok(())
    }
}

fn question_width(q: &Question) -> f64 {
    match &q.kind {
        QuestionKind::Text(rules) if rules.max_words.is_some() || rules.multi_message => 50.0,
        QuestionKind::Text(_) | QuestionKind::Contact => 28.0,
        QuestionKind::SingleChoice(_) => 25.0,
        QuestionKind::MultiChoice(_) | QuestionKind::Url(_) => 35.0,
        QuestionKind::Email | QuestionKind::Phone => 22.0,
        QuestionKind::Number(_) | QuestionKind::Integer(_) => 14.0,
        QuestionKind::Date(_) => 12.0,
        QuestionKind::YesNo => 10.0,
        QuestionKind::File(_) | QuestionKind::Group(_) => 12.0,
    }
}
