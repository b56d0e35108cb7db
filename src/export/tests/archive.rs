//! The evidence archive opened with the zip crate: every file byte for byte, names safe.

use std::collections::HashSet;
use std::io::{Cursor, Read};

use sha2::{Digest, Sha256};
use zip::CompressionMethod;

use super::fixtures::{ACCENTED_NAME, MISSING_NAME, TRAVERSAL_NAME, dialog, fixture};
use crate::domain::Lang;
use crate::export::write_evidence_zip;

fn is_safe(path: &str) -> bool {
    path.split('/').all(|part| {
        !part.is_empty()
            && part != "."
            && part != ".."
            && part.len() <= 90
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    })
}

#[test]
fn archive_copies_every_file_byte_for_byte_under_safe_names() {
    let f = fixture();
    let d = dialog();
    let extra = vec![
        ("KIPP 2025.xlsx".to_owned(), b"spreadsheet bytes".to_vec()),
        ("../../evil.txt".to_owned(), b"x".to_vec()),
    ];
    let mut out = Cursor::new(Vec::new());
    let summary = write_evidence_zip(&f.set, &d, Lang::Id, &mut out, &extra).unwrap();

    let all: Vec<_> = f.set.innovations.iter().flat_map(|r| &r.evidence).collect();
    assert_eq!(summary.evidence_files, all.len() - 1);
    assert_eq!(summary.missing, 1);
    assert_eq!(
        summary.evidence_bytes,
        all.iter()
            .filter(|e| e.path.exists())
            .map(|e| e.size_bytes)
            .sum::<u64>()
    );
    assert!(summary.checksum_mismatches.is_empty());
    // Evidence, notes, two proposal files per innovation, two extra files.
    assert_eq!(
        summary.files_written,
        all.len() + 2 * f.set.innovations.len() + 2
    );

    let mut zip = zip::ZipArchive::new(Cursor::new(out.into_inner())).unwrap();
    let names: Vec<String> = zip.file_names().map(|n| n.unwrap().into_owned()).collect();
    assert_eq!(zip.len(), summary.files_written, "{names:#?}");
    let unique: HashSet<&String> = names.iter().collect();
    assert_eq!(unique.len(), names.len(), "names are unique");
    for name in &names {
        assert!(is_safe(name), "unsafe name {name}");
        let file_name = name.rsplit('/').next().unwrap();
        assert!(
            file_name.len() <= 80 || file_name.starts_with("MISSING-"),
            "{name}"
        );
    }
    assert!(names.contains(&"KIPP_2025.xlsx".to_owned()));
    assert!(names.contains(&"evil.txt".to_owned()));

    // Every file on disk is in the archive with the same bytes.
    let mut hashes = HashSet::new();
    for i in 0..zip.len() {
        let mut file = zip.by_index(i).unwrap();
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).unwrap();
        hashes.insert(hex::encode(Sha256::digest(&bytes)));
    }
    for e in &all {
        assert_eq!(
            hashes.contains(&e.sha256),
            e.path.exists(),
            "{:?}",
            e.original_name
        );
    }

    let folder = "PUSDATIN/012-layar-kaca-layanan-perpustakaan-keliling";
    let expect = [
        "01-dasar-hukum-sk-sk-kepala-perpusnas.pdf",
        "02-dasar-hukum-sk-passwd.txt",
        "03-sk-penetapan-inovator-kosong.pdf",
        "04-laporan-evaluasi-laporan-evaluasi-2024.docx",
        "05-foto-layanan-foto-pelayanan-desa-mekar.jpg",
        "06-foto-layanan.jpg",
        "proposal.md",
        "proposal.docx",
    ];
    for file in expect {
        let path = format!("{folder}/{file}");
        let present = names.contains(&path);
        if file.starts_with("04-") {
            assert!(!present, "{MISSING_NAME} is not on disk");
            assert!(names.contains(&format!("{folder}/MISSING-{file}.txt")));
        } else {
            assert!(present, "{path} in {names:#?}");
        }
    }
    let _ = (TRAVERSAL_NAME, ACCENTED_NAME);
    assert!(
        names.contains(
            &"PUSJASA/007-pojok-baca-digital/01-surat-pernyataan-replikasi-surat-pernyataan.pdf"
                .to_owned()
        )
    );
    assert!(names.contains(&"PUSDATIN/003/proposal.md".to_owned()));

    // The empty file is there, empty.
    let empty = zip
        .by_name(&format!("{folder}/03-sk-penetapan-inovator-kosong.pdf"))
        .unwrap();
    assert_eq!(empty.size(), 0);
    drop(empty);
    // Already-compressed kinds are stored, others deflated.
    let pdf = zip
        .by_name(&format!(
            "{folder}/01-dasar-hukum-sk-sk-kepala-perpusnas.pdf"
        ))
        .unwrap();
    assert_eq!(pdf.compression(), CompressionMethod::Stored);
    drop(pdf);
    let jpg = zip
        .by_name(&format!("{folder}/06-foto-layanan.jpg"))
        .unwrap();
    assert_eq!(jpg.compression(), CompressionMethod::Stored);
    drop(jpg);
    let txt = zip
        .by_name(&format!("{folder}/02-dasar-hukum-sk-passwd.txt"))
        .unwrap();
    assert_eq!(txt.compression(), CompressionMethod::Deflated);
    assert!(txt.compressed_size() < txt.size());
    drop(txt);

    let mut note = String::new();
    zip.by_name(&format!(
        "{folder}/MISSING-04-laporan-evaluasi-laporan-evaluasi-2024.docx.txt"
    ))
    .unwrap()
    .read_to_string(&mut note)
    .unwrap();
    assert!(note.contains("tidak ditemukan"), "{note}");
    assert!(note.contains(MISSING_NAME), "{note}");
    assert_eq!(
        summary.missing_notes,
        [format!(
            "{folder}/MISSING-04-laporan-evaluasi-laporan-evaluasi-2024.docx.txt"
        )]
    );
}

#[test]
fn archive_reports_files_that_changed_since_upload() {
    let f = fixture();
    std::fs::write(&f.set.innovations[0].evidence[0].path, b"tampered").unwrap();
    let summary =
        write_evidence_zip(&f.set, &dialog(), Lang::En, Cursor::new(Vec::new()), &[]).unwrap();
    assert_eq!(summary.checksum_mismatches.len(), 1);
    assert!(
        summary.checksum_mismatches[0].ends_with("01-legal-basis-decree-sk-kepala-perpusnas.pdf")
    );
}

#[test]
fn archive_survives_a_file_that_fails_while_being_read() {
    let mut f = fixture();
    // Opening a directory works on Linux; reading it fails: the partial entry is dropped.
    let dir = f.set.innovations[1].evidence[0]
        .path
        .with_file_name("a-directory");
    std::fs::create_dir(&dir).unwrap();
    f.set.innovations[1].evidence[0].path = dir;
    let mut out = Cursor::new(Vec::new());
    let summary = write_evidence_zip(&f.set, &dialog(), Lang::Id, &mut out, &[]).unwrap();
    assert_eq!(summary.missing, 2);
    let zip = zip::ZipArchive::new(Cursor::new(out.into_inner())).unwrap();
    let names: Vec<String> = zip.file_names().map(|n| n.unwrap().into_owned()).collect();
    assert!(names.contains(&"PUSJASA/007-pojok-baca-digital/MISSING-01-surat-pernyataan-replikasi-surat-pernyataan.pdf.txt".to_owned()), "{names:#?}");
    assert!(
        !names
            .iter()
            .any(|n| n.ends_with("/01-surat-pernyataan-replikasi-surat-pernyataan.pdf"))
    );
    assert_eq!(zip.len(), summary.files_written);
}
