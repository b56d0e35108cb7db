//! XLSX read back with calamine; the CSV ZIP parsed and compared cell by cell with it.

use std::io::{Cursor, Read};

use calamine::{Data, DataType, Reader, Xlsx};

use super::fixtures::{ORPHAN_ID, dialog, fixture};
use crate::dialog::{AnswerKey, QuestionKind};
use crate::domain::{AnswerValue, Lang};
use crate::export::{write_csv_zip, write_xlsx};

const FIXED: usize = 8;

fn read_xlsx(bytes: Vec<u8>) -> Vec<(String, Vec<Vec<Data>>)> {
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).expect("a valid workbook");
    workbook
        .sheet_names()
        .into_iter()
        .map(|name| {
            let range = workbook.worksheet_range(&name).unwrap();
            let rows = range.rows().map(<[Data]>::to_vec).collect();
            (name, rows)
        })
        .collect()
}

fn col(header: &[Data], name: &str) -> usize {
    header
        .iter()
        .position(|h| h.get_string() == Some(name))
        .unwrap_or_else(|| panic!("no column {name}: {header:?}"))
}

fn row_of(rows: &[Vec<Data>], id_col: usize, id: i64) -> &[Data] {
    rows.iter()
        .find(|r| r[id_col].as_i64() == Some(id))
        .unwrap_or_else(|| panic!("no row for innovation {id}"))
}

#[test]
fn xlsx_holds_every_answer_metric_and_evidence_row() {
    let f = fixture();
    let d = dialog();
    let mut out = Vec::new();
    write_xlsx(&f.set, &d, Lang::Id, &mut out).unwrap();
    let sheets = read_xlsx(out);
    let names: Vec<&str> = sheets.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["Inovasi", "Metrik", "Bukti"]);

    // --- Inovasi: one row per innovation, a column per top-level question.
    let rows = &sheets[0].1;
    assert_eq!(rows.len(), 1 + f.set.innovations.len());
    let header = &rows[0];
    let row = row_of(rows, col(header, "ID"), 12);
    let rec = &f.set.innovations[0];
    assert_eq!(row[col(header, "Kode unit")].get_string(), Some("PUSDATIN"));
    assert_eq!(row[col(header, "Status")].get_string(), Some("Diajukan"));
    assert_eq!(row[col(header, "% lengkap")].as_f64(), Some(95.0));
    // Siap SINOVIK: not with a Ringkasan over its limit; the blockers named beside it.
    assert_eq!(row[col(header, "Siap SINOVIK")].get_string(), Some("tidak"));
    let blockers = row[col(header, "Kendala SINOVIK")].get_string().unwrap();
    assert!(
        blockers.starts_with(
            "Ringkasan 212/200 kata, melebihi batas; Latar Belakang dan Tujuan 21 kata, minimal 40"
        ),
        "{blockers}"
    );
    assert!(
        blockers.ends_with("Surat kesediaan direplikasi belum diunggah"),
        "{blockers}"
    );
    let top: Vec<_> = d.sections().iter().flat_map(|s| &s.questions).collect();
    let progress = d.progress_from(
        rec.answers
            .iter()
            .map(|a| {
                (
                    AnswerKey::item(a.question_id.clone(), a.item),
                    a.value.clone(),
                )
            })
            .collect(),
        Default::default(),
    );
    for (i, q) in top.iter().enumerate() {
        let title = header[FIXED + i].get_string().unwrap();
        assert!(
            title.starts_with(q.label.id.as_str()),
            "{title} for {}",
            q.id
        );
        let cell = &row[FIXED + i];
        let stored = rec.answers.iter().find(|a| a.question_id == q.id);
        let hidden = !d.is_visible(&q.id, &progress);
        match (&q.kind, stored) {
            _ if hidden => assert_eq!(cell, &Data::Empty, "{} is hidden", q.id),
            (QuestionKind::Group(rules), _) => {
                let items = rec
                    .answers
                    .iter()
                    .filter(|a| rules.members.iter().any(|m| m.id == a.question_id))
                    .map(|a| u32::from(a.item) + 1)
                    .max()
                    .unwrap_or(0);
                assert_eq!(cell.as_f64(), Some(f64::from(items)), "{}", q.id);
            }
            (QuestionKind::File(_), _) => {
                let files = rec
                    .evidence
                    .iter()
                    .filter(|e| e.question_id == q.id)
                    .count();
                assert_eq!(cell.as_f64(), Some(files as f64), "{}", q.id);
            }
            (_, None) => assert_eq!(cell, &Data::Empty, "{}", q.id),
            (_, Some(a)) => match &a.value {
                AnswerValue::Number { value } => assert_eq!(cell.as_f64(), Some(*value)),
                AnswerValue::Integer { value } => assert_eq!(cell.as_i64(), Some(*value)),
                AnswerValue::Date { date } => {
                    assert!(matches!(cell, Data::DateTime(_)), "{cell:?}");
                    assert_eq!(cell.as_date(), Some(*date));
                }
                value => assert_eq!(
                    cell.get_string(),
                    Some(value.display(Lang::Id, q).as_str()),
                    "{}",
                    q.id
                ),
            },
        }
    }
    // The leader's contact, found generically.
    for expected in [
        "Dr. Siti Rahmawati, M.Hum.",
        "+6281234567890",
        "siti@perpusnas.go.id",
        "Ya",
    ] {
        assert!(
            row.iter().any(|c| c.get_string() == Some(expected)),
            "{expected}"
        );
    }
    let deadline = &row[col(header, "Tenggat (WIB)")];
    assert!(matches!(deadline, Data::DateTime(_)));
    assert_eq!(deadline.as_datetime(), rec.deadline);
    let other = row[col(header, "Jawaban lain (pertanyaan yang sudah dihapus)")]
        .get_string()
        .unwrap();
    assert!(
        other.starts_with(&format!("{ORPHAN_ID}: Jawaban untuk")),
        "{other}"
    );
    let empty = row_of(rows, col(header, "ID"), 3);
    assert_eq!(empty[col(header, "Judul")], Data::Empty);
    assert_eq!(empty[col(header, "Tenggat (WIB)")], Data::Empty);

    // --- Metrik: one row per group item.
    let rows = &sheets[1].1;
    let header = &rows[0];
    // Innovation 12: two metrics and two testimonials; the replication: one metric.
    assert_eq!(rows.len(), 1 + 2 + 2 + 1);
    let metric = rows
        .iter()
        .find(|r| {
            r[col(header, "ID inovasi")].as_i64() == Some(12)
                && r[5].as_i64() == Some(2)
                && r[col(header, "Kelompok pertanyaan")].get_string() == Some("Indikator dampak")
        })
        .expect("metric 2 of innovation 12");
    assert_eq!(
        metric[col(header, "Kelompok pertanyaan")].get_string(),
        Some("Indikator dampak")
    );
    assert_eq!(
        metric[col(header, "Nama indikator")].get_string(),
        Some("Jumlah anggota, aktif")
    );
    assert_eq!(metric[col(header, "Satuan")].get_string(), Some("orang"));
    assert_eq!(metric[col(header, "Nilai sebelum")].as_f64(), Some(1200.0));
    assert_eq!(metric[col(header, "Nilai sesudah")].as_f64(), Some(4350.5));
    assert_eq!(
        metric[col(header, "Sumber data")].get_string(),
        Some("Laporan evaluasi internal 2023")
    );

    // --- Bukti: one row per evidence file, missing or not.
    let rows = &sheets[2].1;
    let header = &rows[0];
    let all: Vec<_> = f.set.innovations.iter().flat_map(|r| &r.evidence).collect();
    assert_eq!(rows.len(), 1 + all.len());
    for e in all {
        let row = rows
            .iter()
            .find(|r| r[col(header, "SHA-256")].get_string() == Some(e.sha256.as_str()))
            .unwrap_or_else(|| panic!("no row for evidence {}", e.id));
        assert_eq!(
            row[col(header, "Ukuran (byte)")].as_f64(),
            Some(e.size_bytes as f64)
        );
        assert_eq!(
            row[col(header, "Nama file")].get_string(),
            e.original_name.as_deref()
        );
        assert_eq!(
            row[col(header, "MIME")].get_string(),
            e.mime_type.as_deref()
        );
        assert_eq!(
            row[col(header, "Diunggah pada (WIB)")].as_datetime(),
            Some(e.uploaded_at)
        );
        let path = row[col(header, "Berkas di arsip")].get_string().unwrap();
        assert!(path.starts_with("PUS"), "{path}");
    }
    let row = rows
        .iter()
        .find(|r| r[col(header, "Nama file")].get_string() == Some("SK Kepala Perpusnas.pdf"))
        .unwrap();
    assert_eq!(
        row[col(header, "Pertanyaan")].get_string(),
        Some("Dasar hukum (SK)")
    );
    assert_eq!(row[col(header, "Jenis")].get_string(), Some("Dokumen"));
    assert_eq!(
        row[col(header, "Berkas di arsip")].get_string(),
        Some(
            "PUSDATIN/012-layar-kaca-layanan-perpustakaan-keliling/01-dasar-hukum-sk-sk-kepala-perpusnas.pdf"
        )
    );
}

#[test]
fn xlsx_headers_follow_the_language() {
    let f = fixture();
    let mut out = Vec::new();
    write_xlsx(&f.set, &dialog(), Lang::En, &mut out).unwrap();
    let sheets = read_xlsx(out);
    let names: Vec<&str> = sheets.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["Innovations", "Metrics", "Evidence"]);
    let header = &sheets[0].1[0];
    col(header, "Unit code");
    col(header, "Leader's e-mail");
    let row = row_of(&sheets[0].1, col(header, "ID"), 12);
    assert_eq!(row[col(header, "State")].get_string(), Some("Submitted"));
}

/// RFC 4180: fields split by commas, quoted fields may hold commas, quotes ("") and line ends.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => assert_eq!(chars.next(), Some('\n'), "CRLF line ends"),
            (false, '\n') => panic!("bare LF line end"),
            (false, c) => field.push(c),
        }
        if !quoted && matches!(c, '\r') {
            row.push(std::mem::take(&mut field));
            rows.push(std::mem::take(&mut row));
        }
    }
    assert!(
        field.is_empty() && row.is_empty(),
        "the file ends with CRLF"
    );
    rows
}

#[test]
fn csv_zip_matches_the_spreadsheet_cell_by_cell() {
    let f = fixture();
    let d = dialog();
    let mut xlsx = Vec::new();
    write_xlsx(&f.set, &d, Lang::Id, &mut xlsx).unwrap();
    let sheets = read_xlsx(xlsx);
    let mut zip_bytes = Cursor::new(Vec::new());
    write_csv_zip(&f.set, &d, Lang::Id, &mut zip_bytes).unwrap();
    let mut zip = zip::ZipArchive::new(Cursor::new(zip_bytes.into_inner())).unwrap();
    let mut names: Vec<String> = zip.file_names().map(|n| n.unwrap().into_owned()).collect();
    names.sort();
    assert_eq!(names, ["bukti.csv", "inovasi.csv", "metrik.csv"]);

    for (sheet, rows) in &sheets {
        let mut file = zip
            .by_name(&format!("{}.csv", sheet.to_lowercase()))
            .unwrap();
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).unwrap();
        let text = std::str::from_utf8(&bytes).unwrap();
        let text = text.strip_prefix('\u{feff}').expect("UTF-8 BOM");
        let csv = parse_csv(text);
        assert_eq!(csv.len(), rows.len(), "{sheet}");
        for (xrow, crow) in rows.iter().zip(&csv) {
            assert!(
                crow.len() == rows[0].len(),
                "{sheet}: every row has every column"
            );
            for (x, c) in xrow.iter().zip(crow) {
                match x {
                    Data::Empty => assert_eq!(c, "", "{sheet}"),
                    Data::String(s) => assert_eq!(c, s, "{sheet}"),
                    Data::Float(n) => assert_eq!(c.parse::<f64>().ok(), Some(*n), "{sheet}"),
                    Data::DateTime(_) if c.len() == 10 => {
                        assert_eq!(Some(c.clone()), x.as_date().map(|d| d.to_string()))
                    }
                    Data::DateTime(_) => assert_eq!(
                        Some(c.clone()),
                        x.as_datetime()
                            .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
                    ),
                    other => panic!("unexpected cell {other:?}"),
                }
            }
        }
    }
    // Accents survive; the metric name with a comma is one field.
    let mut metrics = String::new();
    zip.by_name("metrik.csv")
        .unwrap()
        .read_to_string(&mut metrics)
        .unwrap();
    assert!(metrics.contains("\"Jumlah anggota, aktif\""));
    assert!(metrics.contains("Jan–Des 2021"));
}
