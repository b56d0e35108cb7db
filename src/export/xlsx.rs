//! The spreadsheet: sheets Inovasi, Metrik and Bukti, written in rust_xlsxwriter's constant
//! memory mode (rows go to a temporary file as they are written).

use std::io::Write;

use rust_xlsxwriter::{Color, Format, FormatBorder, Workbook, Worksheet};

use crate::dialog::Dialog;
use crate::domain::Lang;
use crate::export::ExportError;
use crate::export::model::ExportSet;
use crate::export::sheets::{Cell, RowSink, SheetKind, Sheets};

/// Excel's limit on the characters (UTF-16 units) of one cell.
const MAX_CELL_CHARS: usize = 32_767;

/// Writes the three sheets as an `.xlsx` workbook.
pub fn write_xlsx<W>(
    set: &ExportSet,
    dialog: &Dialog,
    lang: Lang,
    out: W,
) -> Result<(), ExportError>
where
    W: Write + Send,
{
    let sheets = Sheets::new(set, dialog, lang);
    let formats = Formats::new();
    let mut workbook = Workbook::new();
    for kind in SheetKind::ALL {
        let worksheet = workbook.add_worksheet_with_constant_memory()?;
        worksheet.set_name(kind.name(lang))?;
        let columns = sheets.columns(kind);
        for (col, c) in columns.iter().enumerate() {
            let col = col_num(col)?;
            worksheet.set_column_width(col, c.width)?;
            worksheet.write_string_with_format(0, col, &c.header, &formats.header)?;
        }
        worksheet.set_freeze_panes(1, 0)?;
        let mut sink = SheetSink {
            worksheet,
            formats: &formats,
            row: 0,
        };
        sheets.write_rows(kind, &mut sink)?;
        let last_row = sink.row;
        if let Some(last_col) = columns.len().checked_sub(1) {
            sink.worksheet
                .autofilter(0, 0, last_row.max(1), col_num(last_col)?)?;
        }
    }
    workbook.save_to_writer(out)?;
    Ok(())
}

struct Formats {
    header: Format,
    datetime: Format,
    date: Format,
}

impl Formats {
    fn new() -> Self {
        Self {
            header: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0xDDEBF7))
                .set_border_bottom(FormatBorder::Thin),
            datetime: Format::new().set_num_format("yyyy-mm-dd hh:mm"),
            date: Format::new().set_num_format("yyyy-mm-dd"),
        }
    }
}

struct SheetSink<'w, 'f> {
    worksheet: &'w mut Worksheet,
    formats: &'f Formats,
    /// The last row written (0 is the header).
    row: u32,
}

impl RowSink for SheetSink<'_, '_> {
    fn row(&mut self, cells: &[Cell<'_>]) -> Result<(), ExportError> {
        // Saturating is enough: the writer refuses rows past Excel's 1,048,576 long before.
        self.row = self.row.saturating_add(1);
        let row = self.row;
        let ws = &mut *self.worksheet;
        for (col, cell) in cells.iter().enumerate() {
            let col = col_num(col)?;
            match cell {
                Cell::Empty => {}
                Cell::Text(text) => {
                    ws.write_string(row, col, fit_cell(text))?;
                }
                Cell::Int(n) => {
                    // f64 holds every integer a proposal can have (ids, counts, sizes) exactly.
                    ws.write_number(row, col, *n as f64)?;
                }
                Cell::Number(n) => {
                    ws.write_number(row, col, *n)?;
                }
                Cell::DateTime(t) => {
                    ws.write_datetime_with_format(row, col, t, &self.formats.datetime)?;
                }
                Cell::Date(d) => {
                    ws.write_datetime_with_format(row, col, d, &self.formats.date)?;
                }
            }
        }
        Ok(())
    }
}

fn col_num(col: usize) -> Result<u16, ExportError> {
    u16::try_from(col).map_err(|_| ExportError::TooManyColumns(col))
}

/// Cuts a text to Excel's cell limit (counted in UTF-16 units); longer cells make Excel refuse the file.
fn fit_cell(text: &str) -> &str {
    if text.len() <= MAX_CELL_CHARS {
        return text;
    }
    let mut units: usize = 0;
    for (i, c) in text.char_indices() {
        units = units.saturating_add(c.len_utf16());
        if units > MAX_CELL_CHARS {
            // `i` comes from `char_indices`, so the split succeeds; were it ever to fail, the
            // whole text goes on and the writer reports the over-long cell as an error.
            return text.split_at_checked(i).map_or(text, |(head, _)| head);
        }
    }
    text
}
