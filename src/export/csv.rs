//! The same three tables as CSV files (RFC 4180: comma-separated, fields quoted when needed,
//! CRLF line ends; UTF-8 with a byte-order mark so Excel reads Indonesian text correctly),
//! inside one ZIP.

use std::io::{Seek, Write};

use zip::ZipWriter;
use zip::write::SimpleFileOptions;

use crate::dialog::Dialog;
use crate::domain::Lang;
use crate::export::model::ExportSet;
use crate::export::sheets::{Cell, RowSink, SheetKind, Sheets};
use crate::export::{ExportError, zip_time};

const BOM: &[u8] = "\u{feff}".as_bytes();

/// Writes `inovasi.csv`, `metrik.csv` and `bukti.csv` (`innovations.csv`, `metrics.csv`,
/// `evidence.csv` in English) into one ZIP.
pub fn write_csv_zip<W>(
    set: &ExportSet,
    dialog: &Dialog,
    lang: Lang,
    out: W,
) -> Result<(), ExportError>
where
    W: Write + Seek,
{
    let sheets = Sheets::new(set, dialog, lang);
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip_time(set.generated_at));
    let mut zip = ZipWriter::new(out);
    for kind in SheetKind::ALL {
        zip.start_file(csv_file_name(kind, lang), options)?;
        zip.write_all(BOM)?;
        let mut sink = CsvSink {
            out: &mut zip,
            line: String::new(),
        };
        let headers: Vec<Cell<'_>> = sheets
            .columns(kind)
            .into_iter()
            .map(|c| Cell::Text(c.header.into()))
            .collect();
        sink.row(&headers)?;
        sheets.write_rows(kind, &mut sink)?;
    }
    zip.finish()?;
    Ok(())
}

/// `inovasi.csv`
pub(crate) fn csv_file_name(kind: SheetKind, lang: Lang) -> String {
    format!("{}.csv", kind.name(lang).to_lowercase())
}

struct CsvSink<'w, W: Write> {
    out: &'w mut W,
    /// One line, reused.
    line: String,
}

impl<W: Write> RowSink for CsvSink<'_, W> {
    fn row(&mut self, cells: &[Cell<'_>]) -> Result<(), ExportError> {
        self.line.clear();
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                self.line.push(',');
            }
            push_field(&mut self.line, cell);
        }
        self.line.push_str("\r\n");
        self.out.write_all(self.line.as_bytes())?;
        Ok(())
    }
}

fn push_field(line: &mut String, cell: &Cell<'_>) {
    match cell {
        Cell::Empty => {}
        Cell::Text(text) => push_text(line, text),
        Cell::Int(n) => line.push_str(&n.to_string()),
        Cell::Number(n) => line.push_str(&n.to_string()),
        Cell::DateTime(t) => line.push_str(&t.format("%Y-%m-%d %H:%M:%S").to_string()),
        Cell::Date(d) => line.push_str(&d.format("%Y-%m-%d").to_string()),
    }
}

/// RFC 4180 quoting, plus a leading `'` on texts a spreadsheet would run as a formula
/// (`=…`, `@…`, `+cmd…`): the answers come from outside and the file is opened in Excel.
fn push_text(line: &mut String, text: &str) {
    let guard = looks_like_formula(text);
    let quote = guard || text.contains([',', '"', '\r', '\n']) || text.starts_with(' ');
    if quote {
        line.push('"');
    }
    if guard {
        line.push('\'');
    }
    for c in text.chars() {
        if c == '"' {
            line.push('"');
        }
        line.push(c);
    }
    if quote {
        line.push('"');
    }
}

/// `=`, `@`, tab or carriage return first, or `+`/`-` followed by something other than a plain
/// number or phone number (`+62 812-3456`, `-3,5` stay as they are).
fn looks_like_formula(text: &str) -> bool {
    let mut chars = text.chars();
    match chars.next() {
        Some('=' | '@' | '\t' | '\r') => true,
        Some('+' | '-') => !chars
            .as_str()
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '.' | ',' | '-' | '(' | ')' | '%')),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(text: &str) -> String {
        let mut line = String::new();
        push_text(&mut line, text);
        line
    }

    #[test]
    fn quotes_only_when_needed() {
        assert_eq!(field("Perpusnas"), "Perpusnas");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("kata \"baru\""), "\"kata \"\"baru\"\"\"");
        assert_eq!(field("baris\nkedua"), "\"baris\nkedua\"");
    }

    #[test]
    fn formulas_are_defused_but_phones_are_kept() {
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("+cmd|' /C calc'!A0"), "\"'+cmd|' /C calc'!A0\"");
        assert_eq!(field("@SUM(A1)"), "\"'@SUM(A1)\"");
        assert_eq!(field("+6281234567890"), "+6281234567890");
        assert_eq!(field("-3,5"), "\"-3,5\"");
    }
}
