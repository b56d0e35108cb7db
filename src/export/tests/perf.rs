//! 1,000 innovations × 10 evidence files, every format, timed. Run with
//! `cargo test --release -- --ignored --nocapture export_timing`.

use std::io::{BufWriter, Cursor};
use std::time::Instant;

use super::fixtures::{dialog, generate};
use crate::domain::Lang;
use crate::export::{write_csv_zip, write_evidence_zip, write_json, write_xlsx};

#[test]
#[ignore = "slow: times a large export"]
fn export_timing() {
    let dir = tempfile::tempdir().unwrap();
    let start = Instant::now();
    let set = generate(dir.path(), 1_000, 10);
    println!(
        "generate 1,000 innovations × 10 files: {:?}",
        start.elapsed()
    );
    let d = dialog();

    let start = Instant::now();
    let mut xlsx = Vec::new();
    write_xlsx(&set, &d, Lang::Id, &mut xlsx).unwrap();
    println!("xlsx: {:?}, {} bytes", start.elapsed(), xlsx.len());

    let start = Instant::now();
    let mut csv = Cursor::new(Vec::new());
    write_csv_zip(&set, &d, Lang::Id, &mut csv).unwrap();
    println!(
        "csv zip: {:?}, {} bytes",
        start.elapsed(),
        csv.get_ref().len()
    );

    let start = Instant::now();
    let mut json = Vec::new();
    write_json(&set, &d, &mut json).unwrap();
    println!("json: {:?}, {} bytes", start.elapsed(), json.len());

    let start = Instant::now();
    let file = std::fs::File::create(dir.path().join("bukti.zip")).unwrap();
    let summary = write_evidence_zip(
        &set,
        &d,
        Lang::Id,
        BufWriter::new(file),
        &[("kipp.xlsx".into(), xlsx)],
    )
    .unwrap();
    println!("evidence zip: {:?}, {summary:?}", start.elapsed());
    assert_eq!(summary.evidence_files, 10_000);
    assert_eq!(summary.missing, 0);
}
