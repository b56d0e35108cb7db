//! A small export set covering every answer type, two metric items, hidden and orphaned
//! answers, and evidence files with awkward names (one missing on disk); plus a generator for
//! large sets.

use std::collections::HashMap;
use std::path::Path;

use chrono::{NaiveDate, NaiveDateTime};
use tempfile::TempDir;

use crate::dialog::{AnswerKey, Dialog};
use crate::domain::{AnswerValue, Lang};
use crate::export::model::{
    AnswerRecord, EvidenceRecord, ExportSet, InnovationRecord, StateChange,
};

pub(super) const KIPP: &str = include_str!("../../../dialogs/kipp2025.toml");

pub(super) fn dialog() -> Dialog {
    Dialog::from_toml_str(KIPP).expect("kipp2025.toml is valid")
}

pub(super) fn at(day: u32, hour: u32, minute: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2025, 5, day)
        .unwrap()
        .and_hms_opt(hour, minute, 0)
        .unwrap()
}

/// The set and the folder holding its evidence files (deleted on drop).
pub(super) struct Fixture {
    pub set: ExportSet,
    pub _dir: TempDir,
}

pub(super) fn text(s: &str) -> AnswerValue {
    AnswerValue::Text { text: s.into() }
}

/// "kata1 kata2 …": `n` words.
pub(super) fn words(prefix: &str, n: usize) -> String {
    (1..=n)
        .map(|i| format!("{prefix}{i}"))
        .collect::<Vec<_>>()
        .join(" ")
}

pub(super) const RINGKASAN_WORDS: usize = 212;
pub(super) const LATAR_BELAKANG: &str = "Hanya 12% pelajar di Kabupaten X memiliki kartu anggota perpustakaan.\n\nTarget kami 40% dalam dua tahun, dengan layanan keliling ke desa-desa.";
pub(super) const HIDDEN_ANSWER: &str = "Jejak inspirasi lama yang tidak lagi ditanyakan";
pub(super) const ORPHAN_ID: &str = "kolaborasi_lama";

fn answer(id: &str, item: u16, value: AnswerValue) -> AnswerRecord {
    AnswerRecord {
        question_id: id.into(),
        item,
        value,
        answered_by: "Budi Santoso".into(),
        answered_at: at(2, 9, u32::from(item)),
    }
}

/// The answers of innovation 12: every answer type of kipp2025, two metrics.
pub(super) fn full_answers() -> Vec<AnswerRecord> {
    let mut answers = vec![
        answer(
            "judul",
            0,
            text("LAYAR KACA: Layanan Perpustakaan Keliling"),
        ),
        answer(
            "kelompok",
            0,
            AnswerValue::Choice {
                option: "umum".into(),
            },
        ),
        answer(
            "kategori",
            0,
            AnswerValue::Choice {
                option: "transformasi_digital".into(),
            },
        ),
        answer(
            "tpb",
            0,
            AnswerValue::Choices {
                options: vec!["tpb_04".into(), "tpb_10".into()],
            },
        ),
        answer(
            "tanggal_mulai",
            0,
            AnswerValue::Date {
                date: NaiveDate::from_ymd_opt(2022, 3, 1).unwrap(),
            },
        ),
        answer("ringkasan", 0, text(&words("ringkas", RINGKASAN_WORDS))),
        answer("latar_belakang", 0, text(LATAR_BELAKANG)),
        answer(
            "kebaruan",
            0,
            text("Peminjaman buku lewat WhatsApp, diantar kurir desa."),
        ),
        answer(
            "implementasi",
            0,
            text("Tahap 1: uji coba di 3 desa; tahap 2: 40 desa."),
        ),
        answer(
            "signifikansi",
            0,
            text("Waktu layanan turun dari 3 hari menjadi 2 jam."),
        ),
        answer("sudah_direplikasi", 0, text("Belum")),
        answer("potensi_replikasi", 0, text("Cocok untuk 120 kabupaten.")),
        answer(
            "sumber_daya",
            0,
            text("APBN Rp 150 juta, 6 pustakawan, 2 mobil."),
        ),
        answer("keberlanjutan_institusional", 0, text("Perka No. 12/2023.")),
        answer("keberlanjutan_manajerial", 0, text("SOP layanan 2023.")),
        answer(
            "keberlanjutan_sosial",
            0,
            text("Karang Taruna mengelola titik baca."),
        ),
        answer(
            "kontribusi_tpb",
            0,
            text("TPB 4.6: 2.300 warga ikut kelas literasi."),
        ),
        // Hidden: the Replikasi section is shown only for kelompok = replikasi.
        answer("inspirasi", 0, text(HIDDEN_ANSWER)),
        answer(
            "penerima_manfaat",
            0,
            AnswerValue::Integer { value: 12_500 },
        ),
        answer("ikm", 0, AnswerValue::Number { value: 87.5 }),
        answer("nama_pemberi_testimoni", 0, text("Ibu Sari")),
        answer(
            "isi_testimoni",
            0,
            text("\"Sekarang anak saya bisa pinjam buku.\""),
        ),
        answer("izin_testimoni", 0, AnswerValue::YesNo { value: true }),
        answer("nama_pemberi_testimoni", 1, text("Pak Budi")),
        answer(
            "video_url",
            0,
            AnswerValue::Url {
                url: "https://youtu.be/abc123".into(),
            },
        ),
        answer("nama_pimpinan", 0, text("Dr. Siti Rahmawati, M.Hum.")),
        answer(
            "jabatan_pimpinan",
            0,
            text("Kepala Pusat Data dan Informasi"),
        ),
        answer(
            "telepon_pimpinan",
            0,
            AnswerValue::Phone {
                phone: "+6281234567890".into(),
            },
        ),
        answer(
            "email_pimpinan",
            0,
            AnswerValue::Email {
                email: "siti@perpusnas.go.id".into(),
            },
        ),
        answer("siap_presentasi", 0, AnswerValue::YesNo { value: true }),
        answer(
            "narahubung",
            0,
            AnswerValue::Contact {
                name: "Budi Santoso".into(),
                phone: Some("+6281298765432".into()),
            },
        ),
        answer(
            ORPHAN_ID,
            0,
            text("Jawaban untuk pertanyaan yang sudah dihapus"),
        ),
    ];
    for (item, (name, before, after)) in [
        ("Waktu layanan", 72.0, 2.0),
        ("Jumlah anggota, aktif", 1200.0, 4350.5),
    ]
    .into_iter()
    .enumerate()
    {
        let item = item as u16;
        answers.extend([
            answer("nama_metrik", item, text(name)),
            answer(
                "satuan",
                item,
                text(if item == 0 { "jam" } else { "orang" }),
            ),
            answer("nilai_sebelum", item, AnswerValue::Number { value: before }),
            answer("nilai_sesudah", item, AnswerValue::Number { value: after }),
            answer("periode", item, text("Jan–Des 2021; Jan–Des 2023")),
            answer("sumber_data", item, text("Laporan evaluasi internal 2023")),
        ]);
    }
    answers
}

pub(super) struct FileSpec {
    pub question: &'static str,
    pub original: Option<&'static str>,
    pub mime: Option<&'static str>,
    pub kind: &'static str,
    pub bytes: Vec<u8>,
    pub on_disk: bool,
}

fn spec(
    question: &'static str,
    original: Option<&'static str>,
    mime: Option<&'static str>,
    kind: &'static str,
    bytes: Vec<u8>,
) -> FileSpec {
    FileSpec {
        question,
        original,
        mime,
        kind,
        bytes,
        on_disk: true,
    }
}

pub(super) fn evidence(dir: &Path, innovation: i64, files: Vec<FileSpec>) -> Vec<EvidenceRecord> {
    use sha2::{Digest, Sha256};
    files
        .into_iter()
        .enumerate()
        .map(|(i, f)| {
            let id = innovation * 100 + i as i64;
            let path = dir.join(format!("blob-{id}"));
            if f.on_disk {
                std::fs::write(&path, &f.bytes).unwrap();
            }
            EvidenceRecord {
                id,
                question_id: f.question.into(),
                item: 0,
                kind: f.kind.into(),
                original_name: f.original.map(Into::into),
                mime_type: f.mime.map(Into::into),
                size_bytes: f.bytes.len() as u64,
                sha256: hex::encode(Sha256::digest(&f.bytes)),
                path,
                uploaded_by: "Budi Santoso".into(),
                uploaded_at: at(3, 10, i as u32),
            }
        })
        .collect()
}

/// Bytes that look a little like a file of the kind and do not compress to nothing.
pub(super) fn bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
    (0..len)
        .map(|_| {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (x >> 56) as u8
        })
        .collect()
}

pub(super) const TRAVERSAL_NAME: &str = "../../etc/passwd";
pub(super) const ACCENTED_NAME: &str = "Foto Pelayanan Désa Mékar.jpg";
pub(super) const MISSING_NAME: &str = "Laporan Evaluasi 2024.docx";

fn innovation(id: i64, unit: (&str, &str), title: &str, state: &str) -> InnovationRecord {
    InnovationRecord {
        id,
        unit_code: unit.0.into(),
        unit_name: unit.1.into(),
        title: title.into(),
        state: state.into(),
        percent_complete: 0,
        deadline: Some(
            NaiveDate::from_ymd_opt(2025, 6, 3)
                .unwrap()
                .and_hms_opt(23, 59, 0)
                .unwrap(),
        ),
        created_at: at(1, 8, 0),
        updated_at: at(4, 14, 30),
        updated_by: "Budi Santoso".into(),
        answers: Vec::new(),
        evidence: Vec::new(),
        history: Vec::new(),
        missing: Vec::new(),
        late: false,
        sinovik_blockers: Vec::new(),
    }
}

/// What `Dialog::readiness` says of a record, in Indonesian, as the storage layer writes it.
pub(super) fn sinovik_blockers(d: &Dialog, rec: &InnovationRecord) -> Vec<String> {
    let mut files: HashMap<AnswerKey, u32> = HashMap::new();
    for e in &rec.evidence {
        *files
            .entry(AnswerKey::item(e.question_id.clone(), e.item))
            .or_default() += 1;
    }
    let answers = rec
        .answers
        .iter()
        .map(|a| {
            (
                AnswerKey::item(a.question_id.clone(), a.item),
                a.value.clone(),
            )
        })
        .collect();
    let today = NaiveDate::from_ymd_opt(2025, 5, 5).unwrap();
    d.readiness(&d.progress_from(answers, files), today)
        .blockers
        .iter()
        .map(|b| b.message(d, Lang::Id))
        .collect()
}

pub(super) fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let mut full = innovation(
        12,
        ("PUSDATIN", "Pusat Data dan Informasi"),
        "LAYAR KACA: Layanan Perpustakaan Keliling",
        "submitted",
    );
    full.percent_complete = 95;
    full.answers = full_answers();
    let mut missing = spec(
        "laporan_evaluasi",
        Some(MISSING_NAME),
        Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        "document",
        bytes(5, 300),
    );
    missing.on_disk = false;
    full.evidence = evidence(
        dir.path(),
        12,
        vec![
            spec(
                "dasar_hukum",
                Some("SK Kepala Perpusnas.pdf"),
                Some("application/pdf"),
                "document",
                bytes(1, 70_000),
            ),
            spec(
                "dasar_hukum",
                Some(TRAVERSAL_NAME),
                Some("text/plain"),
                "document",
                b"root:x:0:0:root:/root:/bin/bash\n".repeat(50),
            ),
            spec(
                "sk_inovator",
                Some("kosong.pdf"),
                Some("application/pdf"),
                "document",
                Vec::new(),
            ),
            spec(
                "foto",
                Some(ACCENTED_NAME),
                Some("image/jpeg"),
                "photo",
                bytes(3, 5_000),
            ),
            spec("foto", None, Some("image/jpeg"), "photo", bytes(4, 2_000)),
            missing,
        ],
    );
    full.history = vec![StateChange {
        at: at(4, 14, 30),
        actor: "Budi Santoso".into(),
        from: "draft".into(),
        to: "submitted".into(),
        comment: Some("Siap dinilai".into()),
    }];
    full.missing = vec!["SK penetapan inovator belum diunggah".into()];

    let mut replication = innovation(
        7,
        ("PUSJASA", "Pusat Jasa Informasi Perpustakaan"),
        "Pojok Baca Digital",
        "draft",
    );
    replication.percent_complete = 40;
    replication.answers = vec![
        answer("judul", 0, text("Pojok Baca Digital")),
        answer(
            "kelompok",
            0,
            AnswerValue::Choice {
                option: "replikasi".into(),
            },
        ),
        answer("inspirasi", 0, text("SIPINTAR dari Kota Z")),
        answer("nama_metrik", 0, text("Pengunjung")),
        answer("nilai_sebelum", 0, AnswerValue::Number { value: 10.0 }),
    ];
    replication.evidence = evidence(
        dir.path(),
        7,
        vec![spec(
            "pernyataan_replikasi",
            Some("Surat Pernyataan.PDF"),
            Some("application/pdf"),
            "document",
            bytes(6, 1_000),
        )],
    );
    replication.missing = vec![
        "Dasar hukum (SK) belum diunggah".into(),
        "Satuan (metrik dampak 1) belum diisi".into(),
    ];

    let mut empty = innovation(3, ("PUSDATIN", "Pusat Data dan Informasi"), "", "returned");
    empty.deadline = None;
    empty.missing = vec!["Judul inovasi belum diisi".into()];

    let mut innovations = vec![full, replication, empty];
    for rec in &mut innovations {
        rec.sinovik_blockers = sinovik_blockers(&dialog(), rec);
    }
    Fixture {
        set: ExportSet {
            campaign_name: "KIPP 2025".into(),
            generated_at: at(5, 16, 45),
            timezone_label: "WIB".into(),
            innovations,
        },
        _dir: dir,
    }
}

/// `innovations` copies of the full innovation spread over 20 units, each with `files`
/// evidence files of a few KB written under `dir`.
pub(super) fn generate(dir: &Path, innovations: usize, files: usize) -> ExportSet {
    let answers = full_answers();
    let questions = [
        "dasar_hukum",
        "sk_inovator",
        "laporan_evaluasi",
        "foto",
        "data_pendukung",
    ];
    let innovations = (0..innovations)
        .map(|i| {
            let id = i as i64 + 1;
            let unit = format!("UNIT{:02}", i % 20);
            let mut rec = innovation(
                id,
                (&unit, "Unit Kerja"),
                &format!("Inovasi nomor {id}"),
                "submitted",
            );
            rec.answers = answers.clone();
            rec.evidence = evidence(
                dir,
                id,
                (0..files)
                    .map(|f| {
                        let question = questions[f % questions.len()];
                        let (name, mime, kind) = if question == "foto" {
                            ("Foto Kegiatan.jpg", "image/jpeg", "photo")
                        } else {
                            ("Dokumen Pendukung.pdf", "application/pdf", "document")
                        };
                        spec(
                            question,
                            Some(name),
                            Some(mime),
                            kind,
                            bytes(id as u64 * 31 + f as u64, 2_048),
                        )
                    })
                    .collect(),
            );
            rec
        })
        .collect();
    ExportSet {
        campaign_name: "KIPP 2025".into(),
        generated_at: at(5, 16, 45),
        timezone_label: "WIB".into(),
        innovations,
    }
}
