//! Exports for the bureau: a spreadsheet (XLSX, or the same tables as CSV in a ZIP), JSON for
//! other programs, and the evidence archive with each innovation's proposal draft (Markdown and
//! DOCX). Pure writers over an [`ExportSet`] the storage layer builds: no database, no
//! Telegram, no async. Every time in the set is the bot's local time.

pub mod archive;
pub mod csv;
pub mod json;
pub mod model;
pub mod proposal;
pub mod xlsx;

mod naming;
mod sheets;
mod texts;
mod view;

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects, reason = "tests may panic")]
mod tests;

pub use archive::{ArchiveSummary, write_evidence_zip};
pub use csv::write_csv_zip;
pub use json::{JSON_FORMAT_VERSION, write_json};
pub use model::{AnswerRecord, EvidenceRecord, ExportSet, InnovationRecord, StateChange};
pub use proposal::{proposal_markdown, write_proposal_docx};
pub use xlsx::write_xlsx;

use chrono::{Datelike, NaiveDateTime, Timelike};

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("cannot write the export: {0}")]
    Io(#[from] std::io::Error),
    #[error("cannot write the spreadsheet: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("cannot write the ZIP archive: {0}")]
    Zip(#[from] zip::result::ZipError),
    #[error("cannot write the JSON export: {0}")]
    Json(#[from] serde_json::Error),
    #[error("cannot write the proposal document: {0}")]
    Docx(#[source] Box<dyn std::error::Error + Send + Sync>),
    #[error("too many columns for a spreadsheet: {0}")]
    TooManyColumns(usize),
}

/// What the bureau asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// One workbook: sheets Inovasi, Metrik, Bukti.
    Xlsx,
    /// The same three tables as CSV files in one ZIP.
    Csv,
    /// Everything stored, for other programs.
    Json,
    /// The evidence archive with proposal drafts.
    Zip,
}

impl Format {
    pub const ALL: [Self; 4] = [Self::Xlsx, Self::Csv, Self::Json, Self::Zip];

    /// `xlsx`, `excel`, `csv`, `json`, `zip`, `arsip`, `bukti`… (any case, a leading `.` allowed).
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim().trim_start_matches('.').to_ascii_lowercase();
        match s.as_str() {
            "xlsx" | "excel" | "xls" | "spreadsheet" => Some(Self::Xlsx),
            "csv" => Some(Self::Csv),
            "json" => Some(Self::Json),
            "zip" | "arsip" | "archive" | "bukti" | "evidence" => Some(Self::Zip),
            _ => None,
        }
    }

    /// The file's extension (the CSV tables come zipped).
    pub fn extension(self) -> &'static str {
        match self {
            Self::Xlsx => "xlsx",
            Self::Json => "json",
            Self::Csv | Self::Zip => "zip",
        }
    }

    pub fn mime_type(self) -> &'static str {
        match self {
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Self::Json => "application/json",
            Self::Csv | Self::Zip => "application/zip",
        }
    }

    /// `kipp-2025-20250603-2359.xlsx`, `kipp-2025-20250603-2359-csv.zip`,
    /// `kipp-2025-20250603-2359-bukti.zip`.
    pub fn file_name(self, set: &ExportSet) -> String {
        let campaign = match naming::slug(&set.campaign_name, 40) {
            s if s.is_empty() => "export".to_owned(),
            s => s,
        };
        let stamp = set.generated_at.format("%Y%m%d-%H%M");
        let suffix = match self {
            Self::Xlsx | Self::Json => "",
            Self::Csv => "-csv",
            Self::Zip => "-bukti",
        };
        format!("{campaign}-{stamp}{suffix}.{}", self.extension())
    }
}

/// A ZIP entry time (local, like every time here); outside ZIP's 1980–2107 range, 1980-01-01.
pub(crate) fn zip_time(t: NaiveDateTime) -> zip::DateTime {
    let part = |v: u32| u8::try_from(v).unwrap_or(0);
    u16::try_from(t.year())
        .ok()
        .and_then(|year| {
            zip::DateTime::from_date_and_time(
                year,
                part(t.month()),
                part(t.day()),
                part(t.hour()),
                part(t.minute()),
                part(t.second()),
            )
            .ok()
        })
        .unwrap_or_default()
}
