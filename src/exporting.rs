//! Running an export for the bot and the command line: the scope asked for, the file written
//! (blocking work, called from `spawn_blocking` in the bot), and where large files are kept.

use std::fs::File;
use std::io::{BufWriter, Cursor, Write};
use std::path::{Path, PathBuf};

use crate::dialog::Dialog;
use crate::domain::{InnovationState, Lang};
use crate::export::{
    ExportError, ExportSet, Format, InnovationRecord, write_csv_zip, write_evidence_zip,
    write_json, write_proposal_docx, write_xlsx,
};

/// Telegram's limit for a file a bot uploads (sendDocument) through the public Bot API.
pub const TELEGRAM_UPLOAD_LIMIT: u64 = 50 * 1024 * 1024;

/// Whether a file of `size` bytes can be sent as a Telegram document; larger ones stay on the
/// server.
pub fn fits_telegram(size: u64) -> bool {
    size <= TELEGRAM_UPLOAD_LIMIT
}

/// Which innovations an export holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    /// `None`: every unit.
    pub unit: Option<(i64, String)>,
    pub state: Option<InnovationState>,
}

impl Scope {
    pub fn unit_id(&self) -> Option<i64> {
        self.unit.as_ref().map(|(id, _)| *id)
    }

    /// For the audit log: `all`, `unit=PUSDATIN`, `all state=approved`.
    pub fn describe(&self) -> String {
        let mut text = match &self.unit {
            Some((_, code)) => format!("unit={code}"),
            None => "all".to_owned(),
        };
        if let Some(state) = self.state {
            text.push_str(&format!(" state={state}"));
        }
        text
    }
}

/// The format's short name, as typed after `--format` or `/export`.
pub fn format_name(format: Format) -> &'static str {
    match format {
        Format::Xlsx => "xlsx",
        Format::Csv => "csv",
        Format::Json => "json",
        Format::Zip => "zip",
    }
}

/// Where exports are written on the server: `exports/` beside EVIDENCE_DIR (in the data folder).
pub fn exports_dir(evidence_dir: &Path) -> PathBuf {
    let evidence_dir = std::path::absolute(evidence_dir).unwrap_or_else(|_| evidence_dir.into());
    evidence_dir
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| evidence_dir.clone())
        .join("exports")
}

/// The format's file name, with the unit's code when the export holds one unit only.
pub fn file_name(format: Format, set: &ExportSet, scope: &Scope) -> String {
    let name = format.file_name(set);
    match &scope.unit {
        Some((_, code)) => match name.split_once('.') {
            Some((stem, extension)) => format!("{stem}-{code}.{extension}"),
            None => format!("{name}-{code}"),
        },
        None => name,
    }
}

/// Writes one export to `path`. The evidence archive carries the spreadsheet at its root.
pub fn write_file(
    format: Format,
    set: &ExportSet,
    dialog: &Dialog,
    lang: Lang,
    path: &Path,
) -> Result<(), ExportError> {
    if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder)?;
    }
    let mut out = BufWriter::new(File::create(path)?);
    match format {
        Format::Xlsx => write_xlsx(set, dialog, lang, &mut out)?,
        Format::Csv => write_csv_zip(set, dialog, lang, &mut out)?,
        Format::Json => write_json(set, dialog, &mut out)?,
        Format::Zip => {
            let mut xlsx = Vec::new();
            write_xlsx(set, dialog, lang, &mut xlsx)?;
            let extra = [(Format::Xlsx.file_name(set), xlsx)];
            let summary = write_evidence_zip(set, dialog, lang, &mut out, &extra)?;
            if summary.missing > 0 {
                tracing::warn!(missing = summary.missing, "evidence files missing on disk");
            }
        }
    }
    out.flush()?;
    Ok(())
}

/// One innovation's proposal draft: (file name, bytes) of the DOCX and of the Markdown.
pub fn proposal_files(
    record: &InnovationRecord,
    dialog: &Dialog,
    lang: Lang,
) -> Result<[(String, Vec<u8>); 2], ExportError> {
    let mut docx = Cursor::new(Vec::new());
    write_proposal_docx(record, dialog, lang, &mut docx)?;
    let markdown = crate::export::proposal_markdown(record, dialog, lang);
    let stem = format!("proposal-{}", record.id);
    Ok([
        (format!("{stem}.docx"), docx.into_inner()),
        (format!("{stem}.md"), markdown.into_bytes()),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_is_described_for_the_audit_log() {
        assert_eq!(Scope::default().describe(), "all");
        let scope = Scope {
            unit: Some((3, "PUSDATIN".into())),
            state: Some(InnovationState::Approved),
        };
        assert_eq!(scope.describe(), "unit=PUSDATIN state=approved");
    }

    #[test]
    fn files_over_50_mb_are_not_sent() {
        assert!(fits_telegram(50 * 1024 * 1024));
        assert!(!fits_telegram(50 * 1024 * 1024 + 1));
    }

    #[test]
    fn exports_live_beside_the_evidence_folder() {
        let dir = exports_dir(Path::new("/srv/kipp/data/evidence"));
        assert_eq!(dir, Path::new("/srv/kipp/data/exports"));
    }
}
