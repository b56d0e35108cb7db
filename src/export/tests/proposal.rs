//! The proposal draft as Markdown and as DOCX.

use std::io::{Cursor, Read};

use super::fixtures::{HIDDEN_ANSWER, LATAR_BELAKANG, RINGKASAN_WORDS, dialog, fixture};
use crate::domain::Lang;
use crate::export::{proposal_markdown, write_proposal_docx};

#[test]
fn markdown_follows_the_sections_with_word_counts() {
    let f = fixture();
    let d = dialog();
    let md = proposal_markdown(&f.set.innovations[0], &d, Lang::Id);

    assert!(
        md.starts_with("# LAYAR KACA: Layanan Perpustakaan Keliling\n"),
        "{md}"
    );
    assert!(md.contains("_Draf proposal KIPP 2025_"));
    assert!(md.contains("- **Unit:** PUSDATIN — Pusat Data dan Informasi\n"));
    assert!(md.contains("- **Status:** Diajukan · 95% lengkap\n"));
    assert!(md.contains("- **Tenggat:** 3 Juni 2025, 23.59\n"));
    assert!(md.contains("- **Siap SINOVIK:** tidak ("), "{md}");
    // The profile, SINOVIK's eight boxes in the form's order, then the other sections in the
    // dialog's order; the hidden Replikasi section is left out.
    let positions: Vec<usize> = [
        "Deskripsi Inovasi",
        "Ringkasan",
        "Latar Belakang dan Tujuan",
        "Kebaruan",
        "Implementasi",
        "Signifikansi",
        "Adaptabilitas",
        "Sumber Daya",
        "Strategi Keberlanjutan",
        "Narasi SINOVIK",
        "Dampak dan Indikator",
        "Pengembangan dan Replikasi",
        "Dokumen dan Bukti",
        "Pimpinan, Inovator dan Narahubung",
        "Daftar bukti",
        "Yang belum lengkap",
        "Kendala SINOVIK",
    ]
    .iter()
    .map(|t| {
        md.find(&format!("## {t}\n"))
            .unwrap_or_else(|| panic!("{t}"))
    })
    .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{positions:?}");
    assert!(!md.contains("## Replikasi\n"));
    assert!(!md.contains(HIDDEN_ANSWER));
    // Narratives: paragraphs and word counts against the limits.
    assert!(md.contains(&format!("_({RINGKASAN_WORDS}/200 kata — melebihi batas)_")));
    for paragraph in LATAR_BELAKANG.split("\n\n") {
        assert!(md.contains(&format!("\n\n{paragraph}\n\n")), "{paragraph}");
    }
    assert!(md.contains("_(21/300 kata — di bawah minimum 40)_"), "{md}");
    // Choices by label, numbers in Indonesian notation, metrics as a table.
    assert!(md.contains("**Kategori:** Transformasi digital pelayanan publik"));
    assert!(md.contains(
        "**Tujuan TPB (SDGs):** 4. Pendidikan Berkualitas, 10. Berkurangnya Kesenjangan"
    ));
    assert!(md.contains("**Jumlah penerima manfaat:** 12.500 orang"));
    assert!(md.contains("**Kesiapan pimpinan presentasi:** Ya"));
    assert!(md.contains("| No. | Nama indikator | Satuan | Nilai sebelum | Nilai sesudah | Periode pengukuran | Sumber data |\n|---|---|---|---|---|---|---|\n"));
    assert!(md.contains("| 2 | Jumlah anggota, aktif | orang | 1.200 | 4.350,5 | Jan–Des 2021; Jan–Des 2023 | Laporan evaluasi internal 2023 |"));
    // Files as a list, then the evidence list and what is missing.
    assert!(md.contains("**Dasar hukum (SK):**\n\n- SK Kepala Perpusnas.pdf (01-dasar-hukum-sk-sk-kepala-perpusnas.pdf)\n"));
    assert!(md.contains("1. 01-dasar-hukum-sk-sk-kepala-perpusnas.pdf: Dasar hukum (SK) — SK Kepala Perpusnas.pdf (Dokumen, 68,4 KB)\n"));
    assert!(md.contains("3. 03-sk-penetapan-inovator-kosong.pdf: SK penetapan inovator — kosong.pdf (Dokumen, 0 byte)\n"));
    assert!(md.contains("## Yang belum lengkap\n\n- SK penetapan inovator belum diunggah\n"));
    assert!(md.contains("**Indeks kepuasan (IKM):** 87,5"));
    // A box of several prompts: each part under its label with its own count, then the box's
    // words against its one limit, then its supporting file.
    let adaptabilitas = md
        .split("## Adaptabilitas\n\n")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .unwrap();
    assert_eq!(
        adaptabilitas,
        "### Adaptabilitas: replikasi yang sudah terjadi\n\nBelum\n\n_(1/100 kata)_\n\n\
         ### Adaptabilitas: potensi replikasi\n\nCocok untuk 120 kabupaten.\n\n\
         _(4/200 kata — di bawah minimum 20)_\n\n\
         _(Seluruh kotak: 5/300 kata — di bawah minimum 40)_\n\n\
         **PDF pendukung Adaptabilitas:**\n\n_(belum diunggah)_\n"
    );
    // Box questions are not repeated in their section.
    assert_eq!(md.matches("Cocok untuk 120 kabupaten.").count(), 1);
    assert!(md.contains("## Kendala SINOVIK\n\n- Ringkasan 212/200 kata, melebihi batas\n"));
}

#[test]
fn markdown_in_english_and_for_an_empty_innovation() {
    let f = fixture();
    let d = dialog();
    let md = proposal_markdown(&f.set.innovations[0], &d, Lang::En);
    assert!(md.contains("## Evidence\n"));
    assert!(md.contains("## Still missing\n"));
    assert!(md.contains(&format!("({RINGKASAN_WORDS}/200 words — over the limit)")));
    assert!(md.contains("**Number of beneficiaries:** 12,500 people"));

    let replication = proposal_markdown(&f.set.innovations[1], &d, Lang::Id);
    assert!(replication.contains("## Replikasi\n"));
    assert!(replication.contains("SIPINTAR dari Kota Z"));
    assert!(
        replication.contains("| 1 | Pengunjung |  | 10 |  |  |  |"),
        "{replication}"
    );

    let empty = proposal_markdown(&f.set.innovations[2], &d, Lang::Id);
    assert!(empty.starts_with("# (belum ada judul)\n"));
    assert!(empty.contains("_(belum diisi)_"));
    assert!(empty.contains("## Daftar bukti\n\n_Belum ada file._"));
}

#[test]
fn docx_holds_the_narratives_and_word_counts() {
    let f = fixture();
    let mut out = Cursor::new(Vec::new());
    write_proposal_docx(&f.set.innovations[0], &dialog(), Lang::Id, &mut out).unwrap();
    let mut zip = zip::ZipArchive::new(Cursor::new(out.into_inner())).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    assert!(xml.contains("LAYAR KACA: Layanan Perpustakaan Keliling"));
    assert!(xml.contains("Waktu layanan turun dari 3 hari menjadi 2 jam."));
    for paragraph in LATAR_BELAKANG.split("\n\n") {
        assert!(xml.contains(paragraph), "{paragraph}");
    }
    assert!(xml.contains(&format!("({RINGKASAN_WORDS}/200 kata — melebihi batas)")));
    assert!(xml.contains("(21/300 kata — di bawah minimum 40)"));
    assert!(xml.contains("Jumlah anggota, aktif"));
    assert!(xml.contains("Daftar bukti"));
    assert!(xml.contains("SK penetapan inovator belum diunggah"));
    assert!(!xml.contains(HIDDEN_ANSWER));
}
