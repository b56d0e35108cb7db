//! The evidence archive: one folder per unit and innovation (`PUSDATIN/012-layar-kaca/`) with
//! every evidence file copied byte for byte from disk (streamed, never read whole), the
//! proposal draft (`proposal.md`, `proposal.docx`), and the caller's extra files at the root.

use std::fs::File;
use std::io::{Cursor, Read, Seek, Write};

use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use crate::dialog::Dialog;
use crate::domain::Lang;
use crate::export::model::{EvidenceRecord, ExportSet};
use crate::export::naming::{is_precompressed, root_file_name};
use crate::export::proposal::{blocks, render_markdown, write_docx};
use crate::export::texts::{Txt, kind_label};
use crate::export::view::{Layout, View};
use crate::export::{ExportError, zip_time};

/// What went into the archive.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArchiveSummary {
    /// Every entry: evidence files, proposals, notes and extra files.
    pub files_written: usize,
    /// Evidence files copied.
    pub evidence_files: usize,
    /// Bytes of evidence copied (before compression).
    pub evidence_bytes: u64,
    /// Evidence files that could not be read; each has a `MISSING-….txt` note instead.
    pub missing: usize,
    /// Paths (inside the archive) of those notes.
    pub missing_notes: Vec<String>,
    /// Paths of evidence files whose bytes no longer match the SHA-256 recorded at upload.
    /// They are in the archive all the same.
    pub checksum_mismatches: Vec<String>,
}

const COPY_BUFFER: usize = 64 * 1024;
/// Files at least this large get ZIP64 headers (the plain format stops at 4 GiB).
const LARGE_FILE: u64 = 0xFFFF_0000;

/// Writes the evidence archive. `extra` files (e.g. the spreadsheet) go to the root under
/// safe versions of their names. A file missing on disk does not stop the archive.
pub fn write_evidence_zip<W>(
    set: &ExportSet,
    dialog: &Dialog,
    lang: Lang,
    out: W,
    extra: &[(String, Vec<u8>)],
) -> Result<ArchiveSummary, ExportError>
where
    W: Write + Seek,
{
    let layout = Layout::new(dialog);
    let mut zip = ZipWriter::new(out);
    let mut summary = ArchiveSummary::default();
    let stamp = zip_time(set.generated_at);
    let deflated = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(stamp);
    let stored = deflated.compression_method(CompressionMethod::Stored);
    let options_for = |name: &str| {
        if is_precompressed(name) {
            stored
        } else {
            deflated
        }
    };

    for (name, bytes) in extra {
        let name = root_file_name(name);
        zip.start_file(name.as_str(), options_for(&name))?;
        zip.write_all(bytes)?;
        summary.files_written = summary.files_written.saturating_add(1);
    }

    let mut buffer = vec![0; COPY_BUFFER];
    for rec in &set.innovations {
        let view = View::new(rec, &layout, lang);
        let folder = view.folder();
        let draft = blocks(&view, &layout, lang);

        zip.start_file(format!("{folder}/proposal.md"), deflated)?;
        zip.write_all(render_markdown(&draft).as_bytes())?;
        let mut docx = Cursor::new(Vec::new());
        write_docx(&draft, &mut docx)?;
        zip.start_file(format!("{folder}/proposal.docx"), stored)?;
        zip.write_all(docx.get_ref())?;
        summary.files_written = summary.files_written.saturating_add(2);

        for e in &view.evidence {
            let path = format!("{folder}/{}", e.file_name);
            let copied = match File::open(&e.record.path) {
                Ok(file) => {
                    let large = file.metadata().is_ok_and(|m| m.len() >= LARGE_FILE);
                    let options = options_for(&e.file_name)
                        .last_modified_time(zip_time(e.record.uploaded_at))
                        .large_file(large);
                    zip.start_file(path.as_str(), options)?;
                    let copied = copy_checked(file, &mut zip, &mut buffer)?;
                    if copied.is_err() {
                        // Unreadable half way: drop the partial entry, leave a note.
                        zip.abort_file()?;
                    }
                    copied
                }
                Err(err) => Err(err),
            };
            match copied {
                Ok((bytes, sha)) => {
                    summary.evidence_files = summary.evidence_files.saturating_add(1);
                    summary.evidence_bytes = summary.evidence_bytes.saturating_add(bytes);
                    let recorded = e.record.sha256.trim();
                    if !recorded.is_empty() && !recorded.eq_ignore_ascii_case(&sha) {
                        summary.checksum_mismatches.push(path);
                    }
                }
                Err(read_error) => {
                    let note = format!("{folder}/MISSING-{}.txt", e.file_name);
                    zip.start_file(note.as_str(), deflated)?;
                    zip.write_all(missing_note(e.record, &read_error, &layout, lang).as_bytes())?;
                    summary.missing = summary.missing.saturating_add(1);
                    summary.missing_notes.push(note);
                }
            }
            summary.files_written = summary.files_written.saturating_add(1);
        }
    }
    zip.finish()?;
    Ok(summary)
}

/// Copies `from` into the open ZIP entry, hashing on the way. A read error is returned inside
/// `Ok` (the file is skipped, with a note); a write error aborts the archive.
#[allow(clippy::type_complexity)]
fn copy_checked<R, W>(
    mut from: R,
    to: &mut W,
    buffer: &mut [u8],
) -> Result<Result<(u64, String), std::io::Error>, ExportError>
where
    R: Read,
    W: Write,
{
    let mut hasher = Sha256::new();
    let mut total = 0u64;
    loop {
        let n = match from.read(buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Ok(Err(e)),
        };
        let Some(chunk) = buffer.get(..n) else {
            return Ok(Err(std::io::Error::other(
                "a read reported more bytes than its buffer",
            )));
        };
        hasher.update(chunk);
        to.write_all(chunk)?;
        total = total.saturating_add(n as u64);
    }
    Ok(Ok((total, hex::encode(hasher.finalize()))))
}

/// The text of `MISSING-<name>.txt`: what the file was, so it can be found or sent again.
fn missing_note(
    r: &EvidenceRecord,
    error: &std::io::Error,
    layout: &Layout<'_>,
    lang: Lang,
) -> String {
    let t = |txt: Txt| txt.get(lang);
    let mut note = format!("{}\r\n\r\n", t(Txt::MissingFileNote));
    let lines = [
        (t(Txt::Question), layout.label(&r.question_id, r.item, lang)),
        (
            t(Txt::FileName),
            r.original_name.clone().unwrap_or_default(),
        ),
        (t(Txt::Kind), kind_label(&r.kind, lang).to_owned()),
        (t(Txt::Mime), r.mime_type.clone().unwrap_or_default()),
        (t(Txt::SizeBytes), r.size_bytes.to_string()),
        (t(Txt::Sha256), r.sha256.clone()),
        (t(Txt::UploadedBy), r.uploaded_by.clone()),
        (
            t(Txt::UploadedAt),
            r.uploaded_at.format("%Y-%m-%d %H:%M").to_string(),
        ),
        ("ID", r.id.to_string()),
        ("Error", error.to_string()),
    ];
    for (label, value) in lines {
        note.push_str(&format!("{label}: {value}\r\n"));
    }
    note
}
